"""Length-grouped batches padded to the longest sequence in each batch.

Sorting whole epochs by length would make batches too uniform to shuffle well;
instead indices are shuffled, cut into large "mega-batches", sorted by length
inside each, then cut into batches whose order is shuffled again. Each batch
then holds sequences of similar length, so almost no compute goes to padding.
The order depends only on (seed, epoch), which makes exact resume possible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch

# Mega-batch size in batches: large enough for tight length groups, small enough
# that the epoch still mixes examples well.
MEGA_BATCH_FACTOR = 50


def epoch_batches(
    lengths: Sequence[int], batch_size: int, seed: int, epoch: int, *, shuffle: bool = True
) -> list[list[int]]:
    """The batches (lists of example indices) of one epoch, deterministic in (seed, epoch)."""
    n = len(lengths)
    if not shuffle:
        # Evaluation: sort by length for speed; order does not matter.
        order = sorted(range(n), key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(0, n, batch_size)]
    gen = torch.Generator().manual_seed(seed * 100_003 + epoch)
    perm = torch.randperm(n, generator=gen).tolist()
    mega = batch_size * MEGA_BATCH_FACTOR
    batches: list[list[int]] = []
    for start in range(0, n, mega):
        chunk = sorted(perm[start : start + mega], key=lambda i: lengths[i], reverse=True)
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    order = torch.randperm(len(batches), generator=gen).tolist()
    return [batches[i] for i in order]


def pads_left(tokenizer: object) -> bool:
    return getattr(tokenizer, "padding_side", "right") == "left"


def pad_batch(
    features: Sequence[dict[str, list[int]]],
    pad_token_id: int,
    *,
    label_pad: int = -100,
    left: bool = False,
) -> dict[str, torch.Tensor]:
    """Stack features padded to the longest ``input_ids`` in the batch.

    Keys: ``input_ids`` and optional ``token_type_ids`` and ``labels`` (a list
    of the same length as the ids for token-level tasks, or a single int).
    Seq2seq features carry ``target_ids`` (the target's own tokens): they become
    ``labels`` padded on the right with ``label_pad``, a key of their own so a target
    is never read as a label per input token.
    Multi-label features carry ``label_set`` (positive label ids) and
    ``num_labels`` instead: they become float multi-hot ``labels`` (B, L), a
    key of their own so a set of ids is never read as per-token labels.
    ``left`` pads at the start, for models that read the last position
    (XLNet's tokenizer pads on the left for that reason).
    """
    longest = max(len(f["input_ids"]) for f in features)
    size = (len(features), longest)
    input_ids = torch.full(size, pad_token_id, dtype=torch.long)
    attention_mask = torch.zeros(size, dtype=torch.long)
    has_types = "token_type_ids" in features[0]
    token_type_ids = torch.zeros(size, dtype=torch.long) if has_types else None
    labels: Any = None
    first_label = features[0].get("labels")
    sequence_labels = isinstance(first_label, list)
    if "target_ids" in features[0]:  # seq2seq: a target text of its own length, see tasks/seq2seq.py
        labels = torch.full((len(features), max(len(f["target_ids"]) for f in features)), label_pad, dtype=torch.long)
        for row, feature in enumerate(features):
            labels[row, : len(feature["target_ids"])] = torch.tensor(feature["target_ids"], dtype=torch.long)
    elif sequence_labels:
        labels = torch.full(size, label_pad, dtype=torch.long)
    elif first_label is not None:
        labels = torch.tensor([f["labels"] for f in features], dtype=torch.long)
    elif "label_set" in features[0]:  # multi-label: see tasks/multilabel.py
        labels = torch.zeros(len(features), features[0]["num_labels"])  # (B, L) float for BCE
        rows = [r for r, f in enumerate(features) for _ in f["label_set"]]
        labels[rows, [i for f in features for i in f["label_set"]]] = 1.0
    for row, feature in enumerate(features):
        ids = feature["input_ids"]
        n = len(ids)
        span = slice(longest - n, longest) if left else slice(0, n)
        input_ids[row, span] = torch.tensor(ids, dtype=torch.long)
        attention_mask[row, span] = 1
        if token_type_ids is not None:
            token_type_ids[row, span] = torch.tensor(feature["token_type_ids"], dtype=torch.long)
        if sequence_labels:
            labels[row, span] = torch.tensor(feature["labels"], dtype=torch.long)
    batch = {"input_ids": input_ids, "attention_mask": attention_mask}
    if token_type_ids is not None:
        batch["token_type_ids"] = token_type_ids
    if labels is not None:
        batch["labels"] = labels
    if "next_sentence_label" in features[0]:  # masked LM + NSP: 0 is next, 1 random (B,)
        batch["next_sentence_label"] = torch.tensor([f["next_sentence_label"] for f in features], dtype=torch.long)
    for key in ("start_positions", "end_positions"):  # question answering: token index per window (B,)
        if key in features[0]:
            batch[key] = torch.tensor([f[key] for f in features], dtype=torch.long)
    return batch


def labelled_token_units(batch: Mapping[str, torch.Tensor], *, shifted: bool = False) -> torch.Tensor:
    """(B,) labelled tokens per row: the items of a token-level loss's mean.

    ``shifted``: the model shifts the labels by one inside (causal LMs), so the first
    label is never a target. One per row when the batch has no per-token labels.
    """
    labels = batch.get("labels")
    if labels is None or labels.dim() < 2:
        return torch.ones(batch["input_ids"].shape[0], dtype=torch.long)
    if shifted:
        labels = labels[:, 1:]
    return (labels != -100).sum(dim=1)  # (B,)


def mask_tokens(
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    special_mask: torch.Tensor,
    mask_token_id: int,
    vocab_size: int,
    generator: torch.Generator,
    probability: float = 0.15,
    continuation: torch.Tensor | None = None,
    all_masked: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's masking: 15% of real tokens are targets; of those 80% [MASK], 10% random, 10% kept.

    ``all_masked`` (evaluation) turns every target into [MASK]: the question the
    fill-mask playground asks. With the 10% kept tokens a model that only copies
    its input scores about 0.1 above the unigram baseline without using context.

    ``continuation`` (B, T) bool marks tokens that continue the previous token's
    word (WordPiece "##" pieces); when given, whole words are chosen: a word is a
    target when its first token is drawn, and all its pieces follow.
    Returns (masked input_ids, labels with -100 everywhere but the targets).
    """
    # 1. choose targets among real, non-special tokens
    candidates = attention_mask.bool() & ~special_mask  # (B, T)
    probs = torch.full(input_ids.shape, probability)
    drawn = torch.bernoulli(probs, generator=generator).bool()
    if continuation is None:
        targets = drawn & candidates
    else:
        # 1b. whole-word masking: number the words, draw per word start, spread to its pieces
        starts = candidates & ~continuation  # (B, T) first token of each word
        word = torch.cumsum(starts.long(), dim=1)  # (B, T) word index (0 before the first word)
        chosen = torch.zeros(input_ids.shape[0], input_ids.shape[1] + 1, dtype=torch.bool)
        chosen.scatter_(1, word * starts, drawn & starts)  # chosen[b, w] for each word start
        chosen[:, 0] = False  # index 0 collects non-start tokens
        targets = chosen.gather(1, word) & candidates
    labels = torch.where(targets, input_ids, torch.full_like(input_ids, -100))
    # 2. 80% of targets become [MASK]
    masked = input_ids.clone()
    replace = torch.bernoulli(torch.full(input_ids.shape, 0.8), generator=generator).bool() & targets
    if all_masked:
        masked[targets] = mask_token_id
        return masked, labels
    masked[replace] = mask_token_id
    # 3. half of the rest (10% overall) become a random token; the last 10% stay as they are
    randomise = torch.bernoulli(torch.full(input_ids.shape, 0.5), generator=generator).bool()
    randomise &= targets & ~replace
    random_ids = torch.randint(vocab_size, input_ids.shape, generator=generator)
    masked[randomise] = random_ids[randomise]
    return masked, labels


def continuation_table(tokenizer: object) -> torch.Tensor:
    """(V,) bool: True for vocabulary entries that continue a word (WordPiece '##' pieces)."""
    vocab = tokenizer.get_vocab()  # type: ignore[attr-defined]
    table = torch.zeros(max(vocab.values()) + 1, dtype=torch.bool)
    for token, index in vocab.items():
        if token.startswith("##"):
            table[index] = True
    return table
