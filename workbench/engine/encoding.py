"""Turn examples into token ids once, before training, for every task.

Features are plain lists of ints (one dict per example); ``batching.pad_batch``
pads them per batch. Tokenising once up front keeps Python work out of the
training loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.engine.errors import DatasetError

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from workbench.engine.data import Examples

# Lines are tokenised for language modelling in groups this large: big enough
# for the fast tokenizer's batching, small enough to bound peak memory.
_LM_LINE_GROUP = 2000


@dataclass
class Encoded:
    features: list[dict[str, Any]]
    # Length of each feature's input_ids (for length grouping and statistics).
    lengths: list[int] = field(default_factory=list)
    # Examples whose tokens reached max_length (so were probably cut).
    num_at_max_length: int = 0

    def __len__(self) -> int:
        return len(self.features)


def encode(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, task: str, max_length: int,
    *, doc_stride: int = 128,
) -> Encoded:
    """``doc_stride``: question answering only, the tokens shared by a context's windows."""
    if task == "question-answering":  # windows over long contexts: see tasks/question_answering.py
        from workbench.engine.tasks.question_answering import encode_qa

        return encode_qa(examples, tokenizer, max_length, doc_stride)  # type: ignore[arg-type]
    if task == "classification":
        return encode_classification(examples, tokenizer, max_length)
    if task == "multi-label":
        from workbench.engine.tasks.multilabel import encode_multilabel

        return encode_multilabel(examples, tokenizer, max_length)
    if task == "token-classification":
        return _encode_tagging(examples, tokenizer, max_length)
    if task in ("masked-lm", "causal-lm"):
        return _encode_lm(examples, tokenizer, max_length, causal=task == "causal-lm")
    raise ValueError(f"unknown task {task!r}")


def _finish(features: list[dict[str, Any]], max_length: int) -> Encoded:
    lengths = [len(f["input_ids"]) for f in features]
    return Encoded(features, lengths, sum(1 for n in lengths if n >= max_length))


def tokenize_texts(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    pairs: Sequence[str] | None,
    max_length: int,
) -> dict[str, list[list[int]]]:
    """Tokenise (optionally paired) texts with truncation, as prediction does too."""
    args: tuple[Any, ...] = (list(texts),) if pairs is None else (list(texts), list(pairs))
    return tokenizer(*args, truncation=True, max_length=max_length)


def encode_classification(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int
) -> Encoded:
    enc = tokenize_texts(tokenizer, examples.texts, examples.text_pairs, max_length)
    labels = examples.labels or []
    features = []
    for i, ids in enumerate(enc["input_ids"]):
        feature: dict[str, Any] = {"input_ids": ids}
        if "token_type_ids" in enc:
            feature["token_type_ids"] = enc["token_type_ids"][i]
        if labels:
            feature["labels"] = labels[i]
        features.append(feature)
    return _finish(features, max_length)


def align_word_labels(word_ids: Sequence[int | None], word_labels: Sequence[int]) -> list[int]:
    """Labels per token: the first sub-token of each word carries the word's label, the rest -100."""
    out = []
    previous = None
    for word in word_ids:
        if word is None or word == previous or word >= len(word_labels):
            out.append(-100)
        else:
            out.append(word_labels[word])
        previous = word
    return out


def _encode_tagging(examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int) -> Encoded:
    if examples.words is None:
        raise DatasetError(
            "token classification needs words with one tag each (a CoNLL or CoNLL-U file).",
            path=examples.source,
        )
    enc = tokenizer(examples.words, is_split_into_words=True, truncation=True, max_length=max_length)
    tags = examples.labels or []
    features = []
    for i, ids in enumerate(enc["input_ids"]):
        feature: dict[str, Any] = {"input_ids": ids}
        if "token_type_ids" in enc:
            feature["token_type_ids"] = enc["token_type_ids"][i]
        if tags:
            feature["labels"] = align_word_labels(enc.word_ids(i), tags[i])  # type: ignore[arg-type]
        features.append(feature)
    return _finish(features, max_length)


def _encode_lm(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int, *, causal: bool
) -> Encoded:
    """Pack the corpus into fixed-length blocks (no padding at all during training).

    Lines are joined with newlines and tokenised in large groups, so line
    breaks stay part of the text (they matter for verse and code).
    Causal: blocks of max_length tokens. Masked: blocks of max_length - 2
    wrapped in [CLS] ... [SEP].
    """
    stream: list[int] = []
    texts = examples.texts
    for start in range(0, len(texts), _LM_LINE_GROUP):
        chunk = "\n".join(texts[start : start + _LM_LINE_GROUP]) + "\n"
        # verbose=False: the chunk is longer than the model's positions on purpose (it is
        # cut into blocks next); transformers would warn about "indexing errors".
        stream.extend(tokenizer(chunk, add_special_tokens=False, verbose=False)["input_ids"])
    prefix: list[int] = []
    suffix: list[int] = []
    body = max_length
    if not causal:
        if tokenizer.cls_token_id is None or tokenizer.sep_token_id is None:
            raise DatasetError("masked-LM training needs a tokenizer with [CLS] and [SEP] tokens.")
        prefix, suffix = [tokenizer.cls_token_id], [tokenizer.sep_token_id]
        body = max_length - 2
    if len(stream) < 2:
        raise DatasetError(
            "the text is too short for language modelling (fewer than 2 tokens).", path=examples.source
        )
    features = []
    for start in range(0, len(stream), body):
        block = stream[start : start + body]
        if len(block) < 2:
            break
        features.append({"input_ids": prefix + block + suffix})
    # Language-model blocks are full by construction; nothing is truncated.
    encoded = _finish(features, max_length)
    encoded.num_at_max_length = 0
    return encoded
