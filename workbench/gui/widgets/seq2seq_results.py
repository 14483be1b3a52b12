"""The evaluation panel's page for generated text (translation, summarisation, dialogue).

Left: the corpus metrics, each with its 95% bootstrap interval (computed in the panel's
worker by the task's ``metric_intervals``). Below: every example generated for, the
lowest sentence score first (the task's ``worst_first`` order of its ``prediction_rows``):
line, source, references, prediction and the sentence score. Double-click (or Enter on)
a row to open its source in the playground (``example_opened``).

This module imports no torch and computes nothing: it shows rows the engine built.
"""

from __future__ import annotations

import json
import math
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.generation_metrics import METRIC_NAMES

COL_LINE, COL_SOURCE, COL_REFERENCES, COL_PREDICTION, COL_SCORE = range(5)
_LOW_SCORE = 20.0  # rows scoring below this (of 100) are shaded: clearly wrong outputs
_LOW_BRUSH = QBrush(QColor(255, 227, 227))
ModelIndex = QModelIndex | QPersistentModelIndex


def _references(row: dict[str, Any]) -> list[str]:
    try:
        return [str(r) for r in json.loads(row.get("references") or "[]")]
    except (TypeError, ValueError):
        return [str(row.get("reference", ""))]


class OutputsModel(QAbstractTableModel):
    """The generated outputs, one row per example, in the order given (worst first)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._metric = "chrf"

    def set_rows(self, rows: list[dict[str, Any]], metric: str) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._metric = metric
        self.endResetModel()

    def row(self, index: int) -> dict[str, Any]:
        return self._rows[index]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        info = METRIC_NAMES.get(self._metric)
        names = (self.tr("Line"), self.tr("Source"), self.tr("References"), self.tr("Prediction"),
                 info.display_name if info else self._metric)
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        score = row.get(self._metric)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            tooltip = role == Qt.ItemDataRole.ToolTipRole
            text = self._text(row, col, score, tooltip=tooltip)
            limit = 2000 if tooltip else 300  # a 1 MB source laid out whole in a cell froze the window
            return text[:limit] + "…" if len(text) > limit else text
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_LINE, COL_SCORE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and isinstance(score, float) and score < _LOW_SCORE:
            return _LOW_BRUSH
        return None

    @staticmethod
    def _text(row: dict[str, Any], col: int, score: Any, *, tooltip: bool) -> str:
        if col == COL_LINE:
            return "" if row.get("line") is None else str(row["line"])
        if col == COL_SOURCE:
            return str(row.get("source", ""))
        if col == COL_REFERENCES:
            return ("\n" if tooltip else " ‖ ").join(_references(row))
        if col == COL_PREDICTION:
            return str(row.get("prediction") or "")
        return "" if not isinstance(score, float) or math.isnan(score) else f"{score:.1f}"


class Seq2SeqResults(QWidget):
    """Corpus metrics with intervals above, the outputs worst first below."""

    example_opened = Signal(int)  # the example's index in the evaluated examples

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.metrics_table = QTableWidget(0, 3)
        self.metrics_table.setHorizontalHeaderLabels([self.tr("Metric"), self.tr("Value"), self.tr("95% interval")])
        self.metrics_table.verticalHeader().hide()
        self.metrics_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.metrics_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.metrics_table.setToolTip(self.tr(
            "Corpus scores of the generated outputs against their references (0-100; distinct-n: a "
            "share). The interval is a 95% percentile bootstrap: the examples resampled 1,000 times."
        ))
        header = self.metrics_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.metrics_table.verticalHeader().setDefaultSectionSize(22)

        self.outputs = OutputsModel(self)
        self.outputs_view = QTableView()
        self.outputs_view.setModel(self.outputs)
        self.outputs_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.outputs_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.outputs_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outputs_view.setWordWrap(False)
        self.outputs_view.setToolTip(self.tr(
            "Every example generated for, the lowest sentence score first; scores under 20 are shaded. "
            "Double-click or Enter opens the source in the prediction panel."
        ))
        rows = self.outputs_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # measuring rows would visit them all
        rows.setDefaultSectionSize(22)
        rows.hide()
        columns = self.outputs_view.horizontalHeader()
        for col in (COL_SOURCE, COL_REFERENCES, COL_PREDICTION):
            columns.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        for col in (COL_LINE, COL_SCORE):
            columns.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.outputs_view.installEventFilter(self)
        self.outputs_view.doubleClicked.connect(self._open)

        self.summary_label = QLabel()
        self.summary_label.setToolTip(self.tr("Which examples the table lists."))
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.summary_label)
        below_layout.addWidget(self.outputs_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.metrics_table)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([170, 580])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # ---- public API -------------------------------------------------------------------

    def set_results(
        self, metrics: dict[str, Any], intervals: dict[str, tuple[float, float]], rows: list[dict[str, Any]],
        metric: str, headline: str = "",
    ) -> None:
        """Show ``metrics`` (with ``intervals``: ``eval_<name>`` -> (low, high); ``headline`` in bold) and
        ``rows`` in their order, scored by ``metric``."""
        self._fill_metrics(metrics, intervals, headline)
        self.outputs.set_rows(rows, metric)
        info = METRIC_NAMES.get(metric)
        summary = (self.tr("{count} output · the lowest {metric} first") if len(rows) == 1
                   else self.tr("{count} outputs · the lowest {metric} first"))
        self.summary_label.setText(summary.format(count=len(rows), metric=info.display_name if info else metric))

    def clear(self) -> None:
        self.metrics_table.setRowCount(0)
        self.outputs.set_rows([], "chrf")
        self.summary_label.clear()

    def row_examples(self) -> list[int]:
        """The example indices the table lists, top to bottom."""
        return [int(self.outputs.row(i)["example"]) for i in range(self.outputs.rowCount())]

    def open_row(self, row: int) -> None:
        """The same as double-clicking table row ``row``."""
        self._open(self.outputs.index(row, COL_SOURCE))

    # ---- internals --------------------------------------------------------------------

    def _fill_metrics(
        self, metrics: dict[str, Any], intervals: dict[str, tuple[float, float]], headline: str
    ) -> None:
        table = self.metrics_table
        table.setRowCount(0)
        bold = QFont(table.font())
        bold.setBold(True)
        for name, info in METRIC_NAMES.items():
            key = f"eval_{name}"
            if key in metrics:
                ci = intervals.get(key)
                self._add(info.display_name, f"{metrics[key]:.2f}",
                          f"{ci[0]:.2f} – {ci[1]:.2f}" if ci else "", bold if key == headline else None)
        for label, key in ((self.tr("Loss"), "eval_loss"), (self.tr("Perplexity"), "eval_perplexity")):
            value = metrics.get(key)
            if isinstance(value, float) and math.isfinite(value):
                self._add(label, f"{value:.4f}", "", None)

    def _add(self, name: str, value: str, interval: str, font: QFont | None) -> None:
        table = self.metrics_table
        row = table.rowCount()
        table.insertRow(row)
        for col, text in enumerate((name, value, interval)):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if font is not None:
                item.setFont(font)
            table.setItem(row, col, item)

    def _open(self, index: ModelIndex) -> None:
        if index.isValid():
            self.example_opened.emit(int(self.outputs.row(index.row())["example"]))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.outputs_view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._open(self.outputs_view.currentIndex())
            return True
        return super().eventFilter(watched, event)
