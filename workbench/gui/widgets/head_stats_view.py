"""Head statistics: one sortable table row per (layer, head), cells shaded by value.

The numbers come from :func:`workbench.engine.inspection.aggregate.head_stats`:
mean row entropy (nats) and the mean share of attention on special tokens, on
punctuation, on the previous and on the next token. Shading makes diffuse heads
(high entropy) and positional heads (high previous / next share) stand out.
Double-clicking a row emits ``head_activated(layer, head)``.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# (key in head_stats, header, tooltip); header and tooltip are shown translated.
STAT_COLUMNS: list[tuple[str, str, str]] = [
    (
        "entropy",
        QT_TRANSLATE_NOOP("HeadStatsView", "entropy (nats)"),
        QT_TRANSLATE_NOOP(
            "HeadStatsView", "Mean entropy of the head's rows: high = attends diffusely."
        ),
    ),
    (
        "special",
        QT_TRANSLATE_NOOP("HeadStatsView", "→ special"),
        QT_TRANSLATE_NOOP(
            "HeadStatsView", "Mean share of attention on special tokens ([CLS], [SEP], <s> …)."
        ),
    ),
    (
        "punctuation",
        QT_TRANSLATE_NOOP("HeadStatsView", "→ punctuation"),
        QT_TRANSLATE_NOOP("HeadStatsView", "Mean share of attention on punctuation tokens."),
    ),
    (
        "previous",
        QT_TRANSLATE_NOOP("HeadStatsView", "→ previous"),
        QT_TRANSLATE_NOOP("HeadStatsView", "Mean weight on the token just before the query."),
    ),
    (
        "next",
        QT_TRANSLATE_NOOP("HeadStatsView", "→ next"),
        QT_TRANSLATE_NOOP("HeadStatsView", "Mean weight on the token just after the query."),
    ),
]
HEADERS = [
    QT_TRANSLATE_NOOP("HeadStatsView", "layer"),
    QT_TRANSLATE_NOOP("HeadStatsView", "head"),
    *(header for _, header, _ in STAT_COLUMNS),
]
FIRST_STAT_COLUMN = 2

_ENTROPY_RGB = (232, 119, 46)  # orange: diffuse heads
_SHARE_RGB = (58, 110, 200)  # blue: heads that focus on one kind of token or position

LEGEND = QT_TRANSLATE_NOOP(
    "HeadStatsView",
    "One row per head. <b>entropy</b>: how spread out its attention is (0 = always one token, "
    "log T = uniform; orange = diffuse). <b>→ special / punctuation</b>: share of attention on "
    "special tokens or punctuation (often a “no-op” target). <b>→ previous / next</b>: weight on "
    "the neighbouring token (blue near 1 = a positional head). Click a header to sort; "
    "double-click a row to show that head.",
)


def _shade(rgb: tuple[int, int, int], t: float) -> QColor:
    """White at t = 0, ``rgb`` at 55% strength at t = 1: dark text stays readable."""
    t = min(max(float(t), 0.0), 1.0) * 0.55
    r, g, b = (round(255 + (c - 255) * t) for c in rgb)
    return QColor(r, g, b)


class _NumberItem(QTableWidgetItem):
    """A read-only cell that sorts by its number, not its text."""

    def __init__(self, value: float, text: str, sort_key: float | None = None) -> None:
        super().__init__(text)
        self.setData(Qt.ItemDataRole.UserRole, float(value))
        self._key = float(value if sort_key is None else sort_key)
        self.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if not isinstance(other, _NumberItem):
            return super().__lt__(other)
        return self._key < other._key


class HeadStatsView(QWidget):
    head_activated = Signal(int, int)  # layer, head (a row was double-clicked)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.legend = QLabel(self.tr(LEGEND))
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("QLabel { color: #333; padding: 2px 4px; }")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(header) for header in HEADERS])
        for column, (_, _, tip) in enumerate(STAT_COLUMNS, start=FIRST_STAT_COLUMN):
            self.table.horizontalHeaderItem(column).setToolTip(self.tr(tip))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(self.tr("Double-click a row to show that head in the Heatmap tab."))
        self.table.cellDoubleClicked.connect(self._on_double_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addWidget(self.table, 1)

    # ---- data -------------------------------------------------------------------------

    def set_stats(self, stats: dict[str, np.ndarray], tokens: int) -> None:
        """``stats`` maps each column key to an (L, H) array; ``tokens`` = T (for log T)."""
        entropy = np.asarray(stats["entropy"])
        L, H = entropy.shape
        max_entropy = math.log(tokens) if tokens > 1 else 1.0
        self.table.setSortingEnabled(False)  # else rows move while they are filled
        self.table.clearContents()
        self.table.setRowCount(L * H)
        for layer in range(L):
            for head in range(H):
                row = layer * H + head
                # Ties broken by (layer, head) order, so sorting by layer keeps heads in order.
                self.table.setItem(row, 0, _NumberItem(layer, str(layer), row))
                self.table.setItem(row, 1, _NumberItem(head, str(head), head * L + layer))
                for column, (key, _, _) in enumerate(STAT_COLUMNS, start=FIRST_STAT_COLUMN):
                    value = float(np.asarray(stats[key])[layer, head])
                    if key == "entropy":
                        item = _NumberItem(value, f"{value:.3f}")
                        item.setBackground(_shade(_ENTROPY_RGB, value / max_entropy))
                    else:
                        item = _NumberItem(value, f"{value:.1%}")
                        item.setBackground(_shade(_SHARE_RGB, value))
                    item.setForeground(QColor("#111"))
                    self.table.setItem(row, column, item)
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.AscendingOrder)  # (layer, head) order

    def clear(self) -> None:
        self.table.setRowCount(0)

    # ---- queries (tests, tour) ------------------------------------------------------------

    def row_count(self) -> int:
        return self.table.rowCount()

    def row_head(self, row: int) -> tuple[int, int]:
        """(layer, head) of the row as it is now displayed (after any sorting)."""
        return (
            int(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)),
            int(self.table.item(row, 1).data(Qt.ItemDataRole.UserRole)),
        )

    def value(self, row: int, key: str) -> float:
        """The number behind the cell of column ``key`` (e.g. "entropy") in displayed ``row``."""
        column = FIRST_STAT_COLUMN + [k for k, _, _ in STAT_COLUMNS].index(key)
        return float(self.table.item(row, column).data(Qt.ItemDataRole.UserRole))

    def activate_row(self, row: int) -> None:
        """What a double-click on ``row`` does."""
        self._on_double_clicked(row, 0)

    # ---- slots --------------------------------------------------------------------------

    def _on_double_clicked(self, row: int, _column: int) -> None:
        if 0 <= row < self.table.rowCount() and self.table.item(row, 0) is not None:
            self.head_activated.emit(*self.row_head(row))
