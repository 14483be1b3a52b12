"""The task-free pieces of prediction rows and files: the columns, the fields every row starts with.

Each task builds its own rows (``Task.prediction_rows`` / ``Task.prediction_table`` in
``workbench/engine/tasks/``); ``reports`` asks the task. Torch-free and task-free.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from workbench.engine.data import Examples

# The probability columns are named p_<label> (not p(<label>)): a name without brackets
# or quotes is a plain identifier for most labels (pandas' df.p_positive, R's read.csv,
# SQL), and it is what ``workbench eval --predictions`` wrote from the start.
PROBABILITY_PREFIX = "p_"
PREDICTION_COLUMNS = ("example", "line", "text", "label", "predicted", "confidence", "loss", "correct")


def example_fields(examples: Examples, i: int) -> dict[str, Any]:
    """The fields a prediction row starts with: the example's index, line and text (and pair)."""
    row: dict[str, Any] = {
        "example": i,
        "line": examples.lines[i] if i < len(examples.lines) else None,
        "text": examples.texts[i],
    }
    if examples.text_pairs is not None:
        row["text_pair"] = examples.text_pairs[i]
    return row


def csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)  # 1/0: the mean of the column is the accuracy
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is None:
        return ""
    return value


def example_table(
    rows: list[dict[str, Any]], examples: Examples, probabilities: np.ndarray | None, names: Sequence[str]
) -> list[list[Any]]:
    """One line per example row, a header first: ``PREDICTION_COLUMNS`` (``text_pair`` after the
    text when the examples have pairs), then ``p_<label>`` per class when there are probabilities."""
    columns = list(PREDICTION_COLUMNS)
    if examples.text_pairs is not None:
        columns.insert(columns.index("text") + 1, "text_pair")
    probability_columns = [f"{PROBABILITY_PREFIX}{n}" for n in names] if probabilities is not None else []
    table: list[list[Any]] = [columns + probability_columns]
    for row in rows:
        values = [csv_value(row[c]) for c in columns]
        if probabilities is not None:
            values += [float(p) for p in probabilities[row["example"]].tolist()]
        table.append(values)
    return table
