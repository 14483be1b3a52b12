"""The task-free pieces of encoding: examples become token ids once, before training.

Each task encodes its own examples (``Task.encode`` in ``workbench/engine/tasks/``)
with these. Features are plain lists of ints (one dict per example);
``batching.pad_batch`` pads them per batch. Tokenising once up front keeps Python
work out of the training loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase


@dataclass
class Encoded:
    features: list[dict[str, Any]]
    # Length of each feature's input_ids (for length grouping and statistics).
    lengths: list[int] = field(default_factory=list)
    # Examples whose tokens reached max_length (so were probably cut).
    num_at_max_length: int = 0

    def __len__(self) -> int:
        return len(self.features)


def finish_encoding(features: list[dict[str, Any]], max_length: int) -> Encoded:
    """``Encoded`` with each feature's length and how many reached ``max_length`` (were probably cut)."""
    lengths = [len(f["input_ids"]) for f in features]
    return Encoded(features, lengths, sum(1 for n in lengths if n >= max_length))


def tokenized_features(
    enc: Any, max_length: int, label_at: Callable[[int], Any] | None = None
) -> Encoded:
    """One feature per row of a tokenizer's output (ids, and token types when it has them), with
    ``label_at(row)`` as its labels when given: a class id, or a label per token."""
    features = []
    for i, ids in enumerate(enc["input_ids"]):
        feature: dict[str, Any] = {"input_ids": ids}
        if "token_type_ids" in enc:
            feature["token_type_ids"] = enc["token_type_ids"][i]
        if label_at is not None:
            feature["labels"] = label_at(i)
        features.append(feature)
    return finish_encoding(features, max_length)


def tokenize_texts(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    pairs: Sequence[str] | None,
    max_length: int,
) -> dict[str, list[list[int]]]:
    """Tokenise (optionally paired) texts with truncation, as prediction does too."""
    args: tuple[Any, ...] = (list(texts),) if pairs is None else (list(texts), list(pairs))
    return tokenizer(*args, truncation=True, max_length=max_length)


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
