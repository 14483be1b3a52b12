"""The confusion matrix as a heatmap: counts in the cells, label names on both axes.

Rows are the true labels, columns the predicted labels (as in sklearn and in
``EvalResult.metrics["eval_confusion_matrix"]``); row 0 is at the top. The
style is the attention heatmap's (``widgets/heatmap.py``): an ``ImageItem``
with the viridis colormap, label names as axis ticks (vertical on the bottom
axis, every k-th when they would overlap, all of them again when zoomed in),
and a ``ColorBarItem``.

Two scales: counts (levels 0..largest cell) or row-normalised (each row divided
by its total, levels 0..1: the share of a true class that went to each
prediction, so rare classes are as visible as common ones). Each cell shows its
number; with more than ``MAX_CELL_TEXTS`` classes the numbers would not fit, so
only the hovered cell shows one. Clicking a cell emits ``cell_clicked(true, pred)``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.widgets.heatmap import TokenAxis, add_matrix_plot, label_step

# Above this many classes the cells are too small for numbers: only the hovered cell has one.
MAX_CELL_TEXTS = 20
# Class names are longer than tokens ("card_payment_wrong_exchange_rate"); cut them later.
MAX_CLASS_CHARS = 26
# With many classes the names take the room the cells need (vertical names on the bottom axis
# most of all): cut them shorter there. The hover line always shows the whole name.
MANY_CLASS_CHARS = {"bottom": 12, "left": 20}
CELL_POINT_SIZE = 9
_SELECTED_PEN = "#e8772e"  # the orange of the selected head in the attention view


def _short(name: str, limit: int = MAX_CLASS_CHARS) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


class ClassAxis(TokenAxis):
    """``TokenAxis`` with room for longer class names, cut shorter when there are many."""

    def set_labels(self, labels: Sequence[str]) -> None:
        limit = (
            MAX_CLASS_CHARS if len(labels) <= MAX_CELL_TEXTS else MANY_CLASS_CHARS[self.orientation]
        )
        self._labels = [_short(str(t), limit) for t in labels]
        self._apply()


def row_normalised(counts: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (rows without examples stay 0)."""
    counts = np.asarray(counts, dtype=np.float64)  # (L, L)
    sums = counts.sum(axis=1, keepdims=True)  # (L, 1)
    return np.divide(counts, sums, out=np.zeros_like(counts), where=sums > 0)


class ConfusionPlot(pg.GraphicsLayoutWidget):
    """The heatmap itself (no controls). Rows: true labels; columns: predicted labels."""

    cell_clicked = Signal(int, int)  # (true index, predicted index)
    hovered = Signal(str)  # a description of the cell under the cursor, "" when none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self._counts: np.ndarray | None = None  # (L, L) int
        self._names: list[str] = []
        self._normalised = False
        self._texts: list[pg.TextItem] = []
        self._selected: tuple[int, int] | None = None
        self._hover_cell: tuple[int, int] | None = None
        self._x_axis = ClassAxis("bottom")
        self._y_axis = ClassAxis("left")
        # counts[row, col] = [true, predicted]
        self.plot, self.view, self.image, self.colorbar = add_matrix_plot(
            self, self._x_axis, self._y_axis, self.tr("predicted label"), self.tr("true label"), self.tr("examples"))
        self._hover_box = QGraphicsRectItem()
        self._hover_box.setPen(pg.mkPen("#ffffff", width=2, cosmetic=True))
        self._hover_box.setZValue(20)
        self._hover_box.hide()
        self.plot.addItem(self._hover_box, ignoreBounds=True)
        self._selected_box = QGraphicsRectItem()
        pen = pg.mkPen(_SELECTED_PEN, width=3)
        pen.setCosmetic(True)
        self._selected_box.setPen(pen)
        self._selected_box.setZValue(21)
        self._selected_box.hide()
        self.plot.addItem(self._selected_box, ignoreBounds=True)
        self._hover_text = pg.TextItem(
            "", anchor=(0.5, 0.5), color="#000", fill=pg.mkBrush(255, 255, 255, 220)
        )
        self._hover_text.setZValue(22)
        self._hover_text.hide()
        self.plot.addItem(self._hover_text, ignoreBounds=True)
        self._cell_font = QFont()
        self._cell_font.setPointSize(CELL_POINT_SIZE)
        self.plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_mouse_clicked)
        self.view.sigResized.connect(self._update_label_step)
        self.view.sigRangeChanged.connect(self._update_label_step)
        self.setToolTip(
            self.tr(
                "Rows: the true label; columns: the predicted label. The diagonal holds the right answers.\n"
                "Click a cell to list its examples below. Scroll to zoom, drag to pan."
            )
        )

    # ---- data ---------------------------------------------------------------------

    def set_matrix(self, counts: np.ndarray, label_names: Sequence[str]) -> None:
        counts = np.asarray(counts, dtype=np.int64)
        n = len(label_names)
        if counts.shape != (n, n):
            raise ValueError(f"a ({n}, {n}) matrix is needed, got {counts.shape}")
        reshape = (
            self._counts is None
            or self._counts.shape != counts.shape
            or list(label_names) != self._names
        )
        self._counts = counts
        self._names = [str(name) for name in label_names]
        self._selected = None
        self._selected_box.hide()
        if reshape:
            self._x_axis.set_labels(self._names)
            self._y_axis.set_labels(self._names)
            self._build_texts()
        self._update_image()
        if reshape:
            self.view.setRange(xRange=(-0.5, n - 0.5), yRange=(-0.5, n - 0.5), padding=0)
        self._update_label_step()

    def set_normalised(self, normalised: bool) -> None:
        if normalised != self._normalised:
            self._normalised = normalised
            self._update_image()

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        """Outline one cell (the one whose examples are listed), or none."""
        self._selected = cell
        if cell is None or self._counts is None:
            self._selected_box.hide()
            return
        true_index, pred_index = cell
        self._selected_box.setRect(QRectF(pred_index - 0.5, true_index - 0.5, 1, 1))
        self._selected_box.show()

    def clear(self) -> None:
        self._counts = None
        self._names = []
        self._selected = None
        self.image.clear()
        self._x_axis.set_labels([])
        self._y_axis.set_labels([])
        self._build_texts()
        self._hover_box.hide()
        self._selected_box.hide()
        self._hover_text.hide()

    def click_cell(self, true_index: int, pred_index: int) -> None:
        """What a mouse click on that cell does (also for tests and the tour)."""
        self.cell_clicked.emit(int(true_index), int(pred_index))

    @property
    def counts(self) -> np.ndarray | None:
        return self._counts

    @property
    def normalised(self) -> bool:
        return self._normalised

    @property
    def label_names(self) -> list[str]:
        return list(self._names)

    def values(self) -> np.ndarray | None:
        """The matrix as drawn: counts, or each row's shares."""
        if self._counts is None:
            return None
        return row_normalised(self._counts) if self._normalised else self._counts.astype(np.float64)

    def cell_texts(self) -> list[str]:
        """The numbers written in the cells, row by row (empty for big matrices)."""
        return [item.textItem.toPlainText() for item in self._texts]

    def label_step(self) -> int:
        return self._y_axis.step

    # ---- refreshes -----------------------------------------------------------------

    def _build_texts(self) -> None:
        for item in self._texts:
            self.plot.removeItem(item)
        self._texts = []
        if self._counts is None or len(self._names) > MAX_CELL_TEXTS:
            return
        n = len(self._names)
        for row in range(n):
            for col in range(n):
                item = pg.TextItem("", anchor=(0.5, 0.5))
                item.setFont(self._cell_font)
                item.setPos(col, row)
                item.setZValue(10)
                self.plot.addItem(item, ignoreBounds=True)
                self._texts.append(item)

    def _level_range(self) -> tuple[float, float]:
        if self._normalised or self._counts is None:
            return 0.0, 1.0
        return 0.0, float(max(int(self._counts.max()), 1))

    def _update_image(self) -> None:
        values = self.values()
        if values is None:
            return
        n = values.shape[0]
        levels = self._level_range()
        self.image.setImage(values.astype(np.float32), levels=levels, autoLevels=False)
        # Cell i spans [i - 0.5, i + 0.5], so the tick at i sits in the cell's middle.
        self.image.setRect(QRectF(-0.5, -0.5, n, n))
        self.colorbar.setLevels(values=levels)
        self.colorbar.getAxis("left").setLabel(
            self.tr("share of the true class") if self._normalised else self.tr("examples")
        )
        if not self._texts:
            return
        assert self._counts is not None
        shares = row_normalised(self._counts)
        high = levels[1]
        for k, item in enumerate(self._texts):
            row, col = divmod(k, n)
            count = int(self._counts[row, col])
            if self._normalised:
                text = f"{shares[row, col]:.0%}"
                if n <= 10:
                    text += f"\n({count})"
            else:
                text = str(count)
            item.setText(text)
            # viridis is dark at the bottom and light at the top: white text on the dark half.
            light = values[row, col] / high > 0.6 if high > 0 else False
            item.setColor(QColor("#111") if light else QColor("#fff"))

    def _update_label_step(self, *_: object) -> None:
        """Every name when a cell is tall enough for text, else every k-th."""
        n = len(self._names)
        if not n:
            return
        step = label_step(self.view, self._y_axis)
        self._x_axis.set_step(step)
        self._y_axis.set_step(step)

    # ---- mouse ---------------------------------------------------------------------

    def _cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self._counts is None or not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        col, row = round(point.x()), round(point.y())
        n = len(self._names)
        if 0 <= row < n and 0 <= col < n:
            return row, col
        return None

    def describe(self, true_index: int, pred_index: int) -> str:
        assert self._counts is not None
        count = int(self._counts[true_index, pred_index])
        total = int(self._counts[true_index].sum())
        share = count / total if total else 0.0
        verdict = self.tr("right") if true_index == pred_index else self.tr("wrong")
        examples = (
            self.tr("{count} examples") if count != 1 else self.tr("{count} example")
        ).format(count=count)
        return self.tr(
            "true {true} → predicted {predicted}: {examples} ({share} of {total}, {verdict})"
        ).format(
            true=f"<b>{html.escape(self._names[true_index])}</b>",
            predicted=f"<b>{html.escape(self._names[pred_index])}</b>",
            examples=examples,
            share=f"{share:.1%}",
            total=total,
            verdict=verdict,
        )

    def _on_scene_mouse_moved(self, pos: QPointF) -> None:
        cell = self._cell_at(pos)
        if cell == self._hover_cell:
            return
        self._hover_cell = cell
        if cell is None:
            self._hover_box.hide()
            self._hover_text.hide()
            self.hovered.emit("")
            return
        row, col = cell
        self._hover_box.setRect(QRectF(col - 0.5, row - 0.5, 1, 1))
        self._hover_box.show()
        if not self._texts:  # big matrix: the number only where the cursor is
            assert self._counts is not None
            self._hover_text.setText(str(int(self._counts[row, col])))
            self._hover_text.setPos(col, row)
            self._hover_text.show()
        self.hovered.emit(self.describe(row, col))

    def _on_scene_mouse_clicked(self, event: object) -> None:
        button = getattr(event, "button", lambda: None)()
        if button != Qt.MouseButton.LeftButton:
            return
        cell = self._cell_at(event.scenePos())  # type: ignore[attr-defined]
        if cell is not None:
            self.click_cell(*cell)


class ConfusionMatrixWidget(QWidget):
    """The plot with its "Row-normalised" switch and a one-line explanation."""

    cell_clicked = Signal(int, int)  # (true index, predicted index)
    HINT = QT_TRANSLATE_NOOP(
        "ConfusionMatrixWidget",
        "Rows: true label · columns: predicted label · click a cell to list its examples",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = ConfusionPlot()
        self.normalise_box = QCheckBox(self.tr("Row-normalised"))
        self.normalise_box.setToolTip(
            self.tr(
                "Colour each cell by its share of the true class (0–1) instead of its count, so "
                "rare classes show their mistakes as clearly as common ones."
            )
        )
        self.caption = QLabel(self.tr(self.HINT))
        self.caption.setStyleSheet("color: #555;")
        # Long class names must not widen the panel: the line is cut instead.
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setToolTip(self.tr("How to read the confusion matrix."))
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.normalise_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.plot, 1)
        self.normalise_box.toggled.connect(self._on_normalise_box_toggled)
        self.plot.cell_clicked.connect(self.cell_clicked)
        self.plot.hovered.connect(self._on_plot_hovered)

    def set_matrix(self, counts: np.ndarray, label_names: Sequence[str]) -> None:
        self.plot.set_matrix(counts, label_names)

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        self.plot.set_selected(cell)

    def set_normalised(self, normalised: bool) -> None:
        self.normalise_box.setChecked(normalised)

    def clear(self) -> None:
        self.plot.clear()

    def click_cell(self, true_index: int, pred_index: int) -> None:
        self.plot.click_cell(true_index, pred_index)

    @property
    def normalised(self) -> bool:
        return self.plot.normalised

    def _on_plot_hovered(self, text: str) -> None:
        # The hovered cell replaces the hint (no extra line under the plot: cells need the room).
        self.caption.setText(text or self.tr(self.HINT))

    def _on_normalise_box_toggled(self, checked: bool) -> None:
        self.plot.set_normalised(checked)
