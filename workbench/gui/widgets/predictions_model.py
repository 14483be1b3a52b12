"""The per-example predictions of an evaluation: a table model and a filtering proxy.

``PredictionsModel`` holds numpy columns (label, predicted, confidence, loss,
correct) and formats a cell only when the view asks. Sorting is done here with
one numpy ``lexsort`` over the whole column, not by the proxy comparing rows
one Python call at a time: 10,000 examples sort in a millisecond instead of
~300,000 ``data()`` calls. ``PredictionsProxy`` only filters (the examples of
one confusion-matrix cell) and hands sort requests to the source model, so a
click on a header still sorts and shows the indicator.

The default order is "most confident mistakes first": wrong predictions first,
each group by confidence, highest first (``sort_mistakes_first``; the same as
sorting the "correct" column ascending). For token classification a row is a
sentence, and the sentences with the most wrong tags come first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

_Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("text", "label", "predicted", "confidence", "loss", "correct")
COL_TEXT, COL_LABEL, COL_PRED, COL_CONF, COL_LOSS, COL_CORRECT = range(len(COLUMNS))
# Headers and tips are shown translated (headerData); these are the English sources.
HEADERS = (
    QT_TRANSLATE_NOOP("PredictionsModel", "Text"),
    QT_TRANSLATE_NOOP("PredictionsModel", "Label"),
    QT_TRANSLATE_NOOP("PredictionsModel", "Predicted"),
    QT_TRANSLATE_NOOP("PredictionsModel", "Confidence"),
    QT_TRANSLATE_NOOP("PredictionsModel", "Loss"),
    QT_TRANSLATE_NOOP("PredictionsModel", "Correct"),
)
HEADER_TIPS = (
    QT_TRANSLATE_NOOP("PredictionsModel", "The example's text (hover a cell for all of it)."),
    QT_TRANSLATE_NOOP("PredictionsModel", "The true label from the data file."),
    QT_TRANSLATE_NOOP("PredictionsModel", "The model's prediction."),
    QT_TRANSLATE_NOOP(
        "PredictionsModel",
        "The probability the model gave its prediction. Confident mistakes are worth a look: "
        "often a wrong label in the data, or a pattern the model learned wrongly.",
    ),
    QT_TRANSLATE_NOOP(
        "PredictionsModel",
        "Cross-entropy loss of the true label (high = the model found the true label unlikely).",
    ),
    QT_TRANSLATE_NOOP(
        "PredictionsModel",
        "Whether the prediction equals the label. Sorting this column ascending lists the "
        "most confident mistakes first.",
    ),
)
# Token classification: a row is a sentence; the confidence column holds the share of right tags.
SEQUENCE_HEADERS = {
    COL_TEXT: (
        QT_TRANSLATE_NOOP("PredictionsModel", "Words"),
        QT_TRANSLATE_NOOP(
            "PredictionsModel", "The sentence's words (hover a cell for all of them)."
        ),
    ),
    COL_LABEL: (
        QT_TRANSLATE_NOOP("PredictionsModel", "Tags"),
        QT_TRANSLATE_NOOP("PredictionsModel", "The true tags, one per word."),
    ),
    COL_PRED: (
        QT_TRANSLATE_NOOP("PredictionsModel", "Predicted"),
        QT_TRANSLATE_NOOP("PredictionsModel", "The predicted tags, one per word."),
    ),
    COL_CONF: (
        QT_TRANSLATE_NOOP("PredictionsModel", "Tags right"),
        QT_TRANSLATE_NOOP("PredictionsModel", "The share of the sentence's words tagged right."),
    ),
    COL_CORRECT: (
        QT_TRANSLATE_NOOP("PredictionsModel", "Correct"),
        QT_TRANSLATE_NOOP(
            "PredictionsModel",
            "Whether every tag of the sentence is right. Sorting this column ascending lists "
            "the sentences with the most wrong tags first.",
        ),
    ),
}
EXAMPLE_ROLE = Qt.ItemDataRole.UserRole + 1  # the example's index in the evaluated data
# A cell shows at most this many characters; the tooltip shows the whole text.
_CELL_CHARS = 300
_TOOLTIP_CHARS = 2000
_WRONG_BACKGROUND = QColor("#ffe8e8")
_WRONG_TEXT = QColor("#a11d1d")
_RIGHT_TEXT = QColor("#1b7a2c")


def _one_line(text: str, limit: int = _CELL_CHARS) -> str:
    if len(text) > limit:
        text = text[:limit] + "…"
    return text.replace("\r\n", " ⏎ ").replace("\n", " ⏎ ").replace("\r", " ⏎ ")


class PredictionsModel(QAbstractTableModel):
    """One row per evaluated example; rows are kept in ``order`` (a permutation of examples)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._texts: list[str] = []
        self._label_text: list[str] = []
        self._pred_text: list[str] = []
        self._labels = np.zeros(0, dtype=np.int64)  # (N,) true ids, -1 = unknown
        self._preds = np.zeros(0, dtype=np.int64)  # (N,) predicted ids, -1 = none
        self._confidence = np.zeros(0, dtype=np.float64)  # (N,) NaN = not available
        self._loss = np.zeros(0, dtype=np.float64)  # (N,)
        self._correct = np.zeros(0, dtype=bool)  # (N,)
        self._order = np.zeros(0, dtype=np.int64)  # row -> example
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._sequences = False  # token classification: one row per sentence
        self._lines: list[int] = []  # example -> the file line it starts on (empty: rows show example indices)
        self._file = ""

    # ------------------------------------------------------------------ content

    def set_predictions(
        self,
        texts: Sequence[str],
        labels: Sequence[int] | np.ndarray,
        predicted: Sequence[int] | np.ndarray,
        label_names: Sequence[str],
        *,
        confidence: np.ndarray | None = None,
        loss: np.ndarray | None = None,
    ) -> None:
        """Classification results: one id per example for ``labels`` and ``predicted``."""
        names = [str(n) for n in label_names]
        labels_a = np.asarray(labels, dtype=np.int64).reshape(-1)
        preds_a = np.asarray(predicted, dtype=np.int64).reshape(-1)
        n = len(texts)

        def name(i: int) -> str:
            return names[i] if 0 <= i < len(names) else ("" if i < 0 else str(i))

        self._sequences = False
        self._set(
            list(texts),
            [name(int(i)) for i in labels_a],
            [name(int(i)) for i in preds_a],
            labels_a,
            preds_a,
            np.full(n, np.nan) if confidence is None else np.asarray(confidence, dtype=np.float64),
            np.full(n, np.nan) if loss is None else np.asarray(loss, dtype=np.float64),
            labels_a == preds_a,
        )

    def set_sequences(
        self,
        texts: Sequence[str],
        true_tags: Sequence[Sequence[str]],
        predicted_tags: Sequence[Sequence[str]],
    ) -> None:
        """Token classification: one row per sentence; right only if every tag is right."""
        n = len(texts)
        correct = np.array(
            [list(t) == list(p) for t, p in zip(true_tags, predicted_tags)], dtype=bool
        )
        # Share of right tags, so the "confidence" column still ranks sentences.
        share = np.array(
            [
                sum(a == b for a, b in zip(t, p)) / max(len(t), 1)
                for t, p in zip(true_tags, predicted_tags)
            ],
            dtype=np.float64,
        )
        self._sequences = True
        self._set(
            list(texts),
            [" ".join(t) for t in true_tags],
            [" ".join(p) for p in predicted_tags],
            np.full(n, -1, dtype=np.int64),
            np.full(n, -1, dtype=np.int64),
            share,
            np.full(n, np.nan),
            correct,
        )

    def set_label_sets(
        self,
        texts: Sequence[str],
        true_sets: Sequence[str],
        predicted_sets: Sequence[str],
        correct: np.ndarray,
        *,
        confidence: np.ndarray | None = None,
        loss: np.ndarray | None = None,
    ) -> None:
        """Multi-label results: label sets already written as text; right = the whole set matches."""
        n = len(texts)
        self._sequences = False
        self._set(
            list(texts),
            list(true_sets),
            list(predicted_sets),
            np.full(n, -1, dtype=np.int64),  # no single id: the label columns sort by text
            np.full(n, -1, dtype=np.int64),
            np.full(n, np.nan) if confidence is None else np.asarray(confidence, dtype=np.float64),
            np.full(n, np.nan) if loss is None else np.asarray(loss, dtype=np.float64),
            np.asarray(correct, dtype=bool),
        )

    def _set(
        self,
        texts: list[str],
        label_text: list[str],
        pred_text: list[str],
        labels: np.ndarray,
        preds: np.ndarray,
        confidence: np.ndarray,
        loss: np.ndarray,
        correct: np.ndarray,
    ) -> None:
        self.beginResetModel()
        self._texts, self._label_text, self._pred_text = texts, label_text, pred_text
        self._labels, self._preds = labels, preds
        self._confidence, self._loss, self._correct = confidence, loss, correct
        self._order = np.arange(len(texts), dtype=np.int64)
        self._apply_sort()
        self.endResetModel()

    def clear(self) -> None:
        self._set(
            [],
            [],
            [],
            *(np.zeros(0, dtype=np.int64),) * 2,
            np.zeros(0),
            np.zeros(0),
            np.zeros(0, dtype=bool),
        )

    def set_lines(self, lines: Sequence[int], file: str) -> None:
        """Head each row with the file line its example starts on (``Examples.lines``), as the
        Dataset tab numbers rows; ``file``: the name the tooltip gives. Set before the rows."""
        self._lines = [int(n) for n in lines]
        self._file = file

    # ------------------------------------------------------------------ queries

    def example_at(self, row: int) -> int:
        return int(self._order[row])

    def text(self, example: int) -> str:
        return self._texts[example]

    @property
    def labels(self) -> np.ndarray:
        return self._labels

    @property
    def predicted(self) -> np.ndarray:
        return self._preds

    @property
    def correct(self) -> np.ndarray:
        return self._correct

    @property
    def sequences(self) -> bool:
        return self._sequences

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sort

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if self._sequences and section in SEQUENCE_HEADERS:
                name, tip = SEQUENCE_HEADERS[section]
                return (
                    self.tr(name)
                    if role == Qt.ItemDataRole.DisplayRole
                    else self.tr(tip)
                    if role == Qt.ItemDataRole.ToolTipRole
                    else None
                )
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(HEADERS[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr(HEADER_TIPS[section])
        elif 0 <= section < len(self._order):
            example = int(self._order[section])
            # Without lines: the example's index (0 = the first in the file), as in the exported CSV and report.
            line = self._lines[example] if example < len(self._lines) else None
            if role == Qt.ItemDataRole.DisplayRole:
                return str(example if line is None else line)
            if role == Qt.ItemDataRole.ToolTipRole:
                if line is None:
                    return self.tr("The example's index in the data (0 = the first), as in the exported CSV.")
                return self.tr(
                    "Line {line} of {file}: the row number the Dataset tab shows for this example "
                    "(example {index} in the exported CSV)."
                ).format(line=line, file=self._file, index=example)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        example = int(self._order[index.row()])
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_TEXT:
                return _one_line(self._texts[example])
            if column == COL_LABEL:
                return self._label_text[example]
            if column == COL_PRED:
                return self._pred_text[example]
            if column == COL_CONF:
                value = self._confidence[example]
                return "" if math.isnan(value) else f"{value:.3f}"
            if column == COL_LOSS:
                value = self._loss[example]
                return "" if math.isnan(value) else f"{value:.3f}"
            return "✓" if self._correct[example] else "✗"
        if role == EXAMPLE_ROLE:
            return example
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_TEXT:
                return self._texts[example][:_TOOLTIP_CHARS]
            if column in (COL_LABEL, COL_PRED):
                return (
                    self._label_text[example] if column == COL_LABEL else self._pred_text[example]
                )
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(_WRONG_BACKGROUND) if not self._correct[example] else None
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_CORRECT:
            return QBrush(_RIGHT_TEXT if self._correct[example] else _WRONG_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            COL_CONF,
            COL_LOSS,
            COL_CORRECT,
        ):
            return (
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column != COL_CORRECT
                else int(Qt.AlignmentFlag.AlignCenter)
            )
        return None

    # ------------------------------------------------------------------ sorting

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every row at once with numpy (stable; ties keep the examples' order)."""
        if column < 0 or column >= len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_examples = [int(self._order[i.row()]) for i in old]
        self._sort = (column, order)
        self._apply_sort()
        row_of = np.empty_like(self._order)
        row_of[self._order] = np.arange(len(self._order))
        self.changePersistentIndexList(
            old, [self.index(int(row_of[e]), i.column()) for e, i in zip(old_examples, old)]
        )
        self.layoutChanged.emit()

    def sort_mistakes_first(self) -> None:
        self.sort(COL_CORRECT, Qt.SortOrder.AscendingOrder)

    def _apply_sort(self) -> None:
        n = len(self._texts)
        if self._sort is None or n == 0:
            self._order = np.arange(n, dtype=np.int64)
            return
        column, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        examples = np.arange(n)
        if column == COL_CORRECT:
            # Wrong first, then confidence high to low: "most confident mistakes first".
            # Descending flips the groups (right first) and keeps confident first.
            # Sentences: wrong first, the most wrong tags (lowest share right) first.
            conf = np.nan_to_num(self._confidence, nan=-1.0)
            group = self._correct.astype(np.int64)
            keys = (examples, conf if self._sequences else -conf, -group if descending else group)
            self._order = np.lexsort(keys).astype(np.int64)
            return
        if column in (COL_CONF, COL_LOSS):
            values = self._confidence if column == COL_CONF else self._loss
            # NaN (not available) last either way.
            key = np.where(np.isnan(values), np.inf, -values if descending else values)
            self._order = np.lexsort((examples, key)).astype(np.int64)
            return
        strings = {COL_TEXT: self._texts, COL_LABEL: self._label_text, COL_PRED: self._pred_text}[
            column
        ]
        # Sort by the label id when there is one (class order), else by the text.
        ids = self._labels if column == COL_LABEL else self._preds if column == COL_PRED else None
        if ids is not None and (ids >= 0).all():
            ranks = ids
        else:
            ranks = np.argsort(
                np.argsort(np.array([s.casefold() for s in strings], dtype=object), kind="stable"),
                kind="stable",
            )
        order_ = np.lexsort((examples, ranks)).astype(np.int64)
        self._order = order_[::-1].copy() if descending else order_


class PredictionsProxy(QSortFilterProxyModel):
    """Shows only the examples of one (true, predicted) cell, or all; sorting is the source's."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._keep: np.ndarray | None = None  # (N,) bool per example, None = all
        self._cell: tuple[int, int] | None = None
        self.setDynamicSortFilter(False)

    def source(self) -> PredictionsModel:
        model = self.sourceModel()
        assert isinstance(model, PredictionsModel)
        return model

    @property
    def cell(self) -> tuple[int, int] | None:
        return self._cell

    def set_cell(self, true_index: int | None, pred_index: int | None = None) -> None:
        """Keep the examples with label ``true_index`` predicted as ``pred_index`` (None: all)."""
        model = self.source()
        self.beginFilterChange()
        if true_index is None or pred_index is None:
            self._keep, self._cell = None, None
        else:
            self._keep = (model.labels == true_index) & (model.predicted == pred_index)
            self._cell = (true_index, pred_index)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_examples(self, examples: Sequence[int] | None) -> None:
        """Keep only these example indices (None: all)."""
        model = self.source()
        self.beginFilterChange()
        self._cell = None
        if examples is None:
            self._keep = None
        else:
            keep = np.zeros(model.rowCount(), dtype=bool)
            keep[np.asarray(list(examples), dtype=np.int64)] = True
            self._keep = keep
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._keep is None:
            return True
        example = self.source().example_at(source_row)
        return bool(example < len(self._keep) and self._keep[example])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The view asks the proxy; the source sorts with numpy and the proxy keeps its order.
        if self.sourceModel() is not None:
            self.source().sort(column, order)

    def examples(self) -> list[int]:
        """The example indices of the rows shown, top to bottom."""
        model = self.source()
        return [
            model.example_at(self.mapToSource(self.index(row, 0)).row())
            for row in range(self.rowCount())
        ]
