"""Dataset statistics and warnings, as one JSON-serialisable dict.

Keys of the result (``None`` where it does not apply):

- ``task``, ``rows`` (train examples), ``validation_rows``
- ``label_names``; ``label_counts`` / ``validation_label_counts``: name -> count
  (for token-classification: tag counts over all words)
- ``length_unit``: ``"tokens"`` with ``token_lengths``, else ``"words"``
- ``lengths`` / ``validation_lengths``: min, mean, p50, p90, p95, p99, max
- ``max_length``, ``truncated`` (train examples longer than it), ``truncated_share``
- ``empty_texts``, ``duplicates`` (train examples repeating an earlier one),
  ``conflicting_duplicates`` (texts seen with different labels),
  ``overlap`` (validation examples whose text also occurs in train)
- multi-label only: ``labels_per_row`` (min, mean, max), ``labels_per_row_counts``
  (number of labels -> rows) and ``rows_without_labels``
- ``warnings``: human-readable sentences

Task-free: what differs between tasks comes in as arguments (``task_data.compute_stats``
asks the task for them).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from workbench.engine.data.examples import Examples

# Thresholds for warnings; chosen to flag problems worth a look, not to nag.
TRUNCATION_WARN = 0.05  # 5% of examples cut by max_length loses real signal
_IMBALANCE_WARN = 10.0  # largest class 10x the smallest: accuracy becomes misleading


def _percentile(sorted_values: list[int], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default method)."""
    pos = (len(sorted_values) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    value = sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)
    return round(float(value), 2)


def _summary(lengths: list[int]) -> dict[str, float | int] | None:
    if not lengths:
        return None
    values = sorted(lengths)
    return {
        "min": values[0],
        "mean": round(sum(values) / len(values), 2),
        "p50": _percentile(values, 50),
        "p90": _percentile(values, 90),
        "p95": _percentile(values, 95),
        "p99": _percentile(values, 99),
        "max": values[-1],
    }


# Scripts written without spaces between words (Chinese, Japanese, Korean syllables):
# each character counts as one word, as BERT's basic tokenizer splits them.
CJK_CHARS = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])")


def word_count(text: str) -> int:
    """Whitespace words, with every CJK character counted as a word of its own."""
    if text.isascii():  # the fast path for most English data
        return len(text.split())
    return len(CJK_CHARS.sub(r" \1 ", text).split())


def _lengths(
    examples: Examples, token_lengths: Callable[[list[str]], list[int]] | None
) -> list[int]:
    measure = token_lengths or (lambda texts: [word_count(t) for t in texts])
    lengths = [int(n) for n in measure(examples.texts)]
    if examples.text_pairs is not None:
        # A pair is measured as the sum of its parts: within a couple of special
        # tokens of what the tokenizer produces for the pair.
        lengths = [a + int(b) for a, b in zip(lengths, measure(examples.text_pairs))]
    return lengths


def _keys(examples: Examples) -> list[object]:
    """What makes two examples the same: the text (and pair), and the targets when there are some
    (a source with two different translations is two examples, not a duplicate)."""
    parts: list[list] = [examples.texts]
    if examples.text_pairs is not None:
        parts.append(examples.text_pairs)
    if examples.targets is not None:
        parts.append([tuple(refs) for refs in examples.targets])
    return list(examples.texts) if len(parts) == 1 else list(zip(*parts))


def _label_counts(examples: Examples, label_lists: bool) -> dict[str, int] | None:
    if examples.labels is None:
        return None
    if label_lists:  # a list of ids per row
        counts = Counter(t for tags in examples.labels for t in tags)  # type: ignore[union-attr]
    else:
        counts = Counter(examples.labels)  # type: ignore[arg-type]
    return {name: counts.get(i, 0) for i, name in enumerate(examples.label_names)}


def _truncation(
    lengths: list[int], max_length: int | None, unit: str, warnings: list[str]
) -> tuple[int | None, float | None]:
    """(examples longer than ``max_length``, their share); None without a max_length or examples."""
    if max_length is None or not lengths:
        return None, None
    truncated = sum(1 for n in lengths if n > max_length)
    share = truncated / len(lengths)
    if share >= TRUNCATION_WARN:
        warnings.append(
            f"{share:.1%} of the training examples ({truncated}) are longer than "
            f"max_length {max_length} {unit} and will be truncated; consider a larger "
            "max_length."
        )
    return truncated, share


def _duplicates(train: Examples, keys: list[object], warnings: list[str]) -> tuple[int, int]:
    """(examples repeating an earlier one, texts seen with different labels)."""
    seen: dict[object, int] = {}
    duplicates = 0
    conflicting: set[object] = set()
    for i, key in enumerate(keys):
        first = seen.setdefault(key, i)
        if first != i:
            duplicates += 1
            if train.labels is not None and train.labels[first] != train.labels[i]:
                conflicting.add(key)
    if duplicates:
        warnings.append(
            f"{duplicates} training example(s) repeat an earlier one exactly; duplicates "
            "weigh those texts more and inflate validation scores if they leak."
        )
    if conflicting:
        warnings.append(
            f"{len(conflicting)} text(s) appear with different labels in the training data; "
            "check those rows."
        )
    return duplicates, len(conflicting)


def _overlap(train_keys: list[object], validation: Examples, warnings: list[str]) -> int:
    """Validation examples whose text (pair) also occurs in train."""
    known = set(train_keys)
    overlap = sum(1 for key in _keys(validation) if key in known)
    if overlap:
        warnings.append(
            f"{overlap} validation example(s) also occur in the training data; "
            "validation scores will be too optimistic."
        )
    return overlap


def _label_warnings(counts: dict[str, int], warn_imbalance: bool, warnings: list[str]) -> None:
    """A single class, (``warn_imbalance``) a largest class far above the smallest, labels never seen."""
    present = {name: c for name, c in counts.items() if c > 0}
    if len(present) < 2:
        warnings.append(
            "the training data has a single class; a classifier needs at least two."
        )
    elif warn_imbalance:
        most, least = max(present.values()), min(present.values())
        if most >= _IMBALANCE_WARN * least:
            rare = min(present, key=lambda n: present[n])
            warnings.append(
                f"the labels are very imbalanced: the largest class has {most} examples, "
                f"{rare!r} only {least}; accuracy will be misleading, look at macro F1."
            )
    missing = [name for name, c in counts.items() if c == 0]
    if missing:
        warnings.append(
            f"{len(missing)} label(s) have no training examples: "
            + ", ".join(repr(n) for n in missing[:10])
        )


def compute_stats(
    train: Examples,
    validation: Examples | None = None,
    *,
    token_lengths: Callable[[list[str]], list[int]] | None = None,
    max_length: int | None = None,
    label_lists: bool = False,
    warn_imbalance: bool = False,
    extras: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Statistics of ``train`` (and ``validation``) plus warnings worth showing a user.

    ``label_lists``: each example carries a list of label ids (a tag per word, a label
    set), counted one by one. ``warn_imbalance``: warn when the largest class has
    ``_IMBALANCE_WARN`` times the examples of the smallest. ``extras``: a task's own
    keys, put before ``warnings``; its ``"warnings"`` list goes after the others.
    """
    # Each step appends its warnings in turn: their order is the order a user reads them in.
    warnings: list[str] = []
    unit = "tokens" if token_lengths is not None else "words"
    train_lengths = _lengths(train, token_lengths)
    val_lengths = _lengths(validation, token_lengths) if validation is not None else None
    truncated, share = _truncation(train_lengths, max_length, unit, warnings)
    keys = _keys(train)
    duplicates, conflicting = _duplicates(train, keys, warnings)
    overlap = _overlap(keys, validation, warnings) if validation is not None else None
    empty = sum(1 for t in train.texts if not t.strip())
    if empty:
        warnings.append(f"{empty} training example(s) have an empty text.")
    counts = _label_counts(train, label_lists)
    if counts is not None:
        _label_warnings(counts, warn_imbalance, warnings)
    val_counts = _label_counts(validation, label_lists) if validation is not None else None
    extra = dict(extras or {})
    warnings.extend(extra.pop("warnings", []))

    return {
        "task": train.task,
        "rows": len(train),
        "validation_rows": len(validation) if validation is not None else None,
        "label_names": list(train.label_names),
        "label_counts": counts,
        "validation_label_counts": val_counts,
        "length_unit": unit,
        "lengths": _summary(train_lengths),
        "validation_lengths": _summary(val_lengths) if val_lengths is not None else None,
        "max_length": max_length,
        "truncated": truncated,
        "truncated_share": share,
        "empty_texts": empty,
        "duplicates": duplicates,
        "conflicting_duplicates": conflicting,
        "overlap": overlap,
        **extra,
        "warnings": warnings,
    }
