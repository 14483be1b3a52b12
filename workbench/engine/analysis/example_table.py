"""Per-example facts of one evaluation, in one table the analysis views share.

The embedding map colours points by these columns, slices select rows by them and the bias
probes and label-error review show them. The task decides what it has
(``Task.example_columns``: gold and predicted labels, correct, confidence, loss, a sentence
score); the text length is added here for every task. Row i is example i of the evaluation,
and ``lines`` ties it back to its row of the data file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.engine.data.stats import word_count
from workbench.engine.tasks.registry import get_task

__all__ = ["PAIR_JOINER", "ExampleTable", "example_table", "label_names_of", "shown_texts"]

# Shown between a text and its pair (NLI's premise and hypothesis) where one string is needed.
PAIR_JOINER = " ⟂ "


@dataclass(frozen=True)
class ExampleTable:
    """Per-example facts of one evaluation, aligned with examples (row i = example i)."""

    texts: list[str]  # what the model read (text, or "text ⟂ pair" joined)
    lines: list[int]  # the file line each example starts on
    # Among "gold", "predicted" (label names, str), "correct" (bool), "confidence" (float, the
    # predicted class's probability), "loss" (float), "score" (float, seq2seq sentence metric),
    # "length" (int, words; a CJK character counts as a word).
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.texts)


def shown_texts(examples: Any) -> list[str]:
    """Each example's text, a pair joined with ``PAIR_JOINER``."""
    pairs = getattr(examples, "text_pairs", None)
    if not pairs:
        return list(examples.texts)
    return [f"{text}{PAIR_JOINER}{pair}" for text, pair in zip(examples.texts, pairs)]


def label_names_of(outcome_like: Any) -> list[str]:
    """The label names an evaluation scored with: the outcome's, else its predictor's, else the examples'."""
    for source in (outcome_like, getattr(outcome_like, "predictor", None), getattr(outcome_like, "examples", None)):
        names = getattr(source, "label_names", None)
        if names:
            return [str(n) for n in names]
    return []


def task_of(outcome_like: Any) -> Any:
    """The Task object of an evaluation (its predictor's task, else its examples')."""
    predictor = getattr(outcome_like, "predictor", None)
    name = getattr(predictor, "task", None) or outcome_like.examples.task
    return get_task(str(name))


def example_table(outcome_like: Any) -> ExampleTable:
    """The table of an evaluation: anything with ``examples`` and ``result`` (and ``predictor`` or
    ``label_names``), such as the GUI's ``EvalOutcome``."""
    examples = outcome_like.examples
    texts = shown_texts(examples)
    columns = dict(task_of(outcome_like).example_columns(outcome_like.result, examples, label_names_of(outcome_like)))
    columns["length"] = lengths(examples)
    lines = list(examples.lines) if len(examples.lines) == len(texts) else list(range(1, len(texts) + 1))
    return ExampleTable(texts, [int(n) for n in lines], columns)


def lengths(examples: Any) -> np.ndarray:
    """(N,) int: words of each text (and its pair); a CJK character counts as a word."""
    pairs: Sequence[str] = getattr(examples, "text_pairs", None) or [""] * len(examples.texts)
    return np.array([word_count(t) + word_count(p) for t, p in zip(examples.texts, pairs)], dtype=np.int64)
