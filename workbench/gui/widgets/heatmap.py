"""Attention heatmaps: one large map with token labels, and a grid of per-head thumbnails.

pyqtgraph's MatrixDisplayExample is the model: an ``ImageItem`` with fixed
levels (0, 1) (softmax rows, so colours mean the same on every map; or, when the
user stretches them, 0 to the map's largest weight), a perceptually uniform
colormap, a ``ColorBarItem``, and token names as axis ticks. Rows are queries
(the token attending), columns are keys (the token attended to); row 0 is at the top.

Before any input (and after ``clear()``) the map shows no axes, ticks or colour
bar, only a hint saying where the data comes from; they come back with the first
matrix. Nothing is ever removed from the layout for that: pyqtgraph's
``GraphicsLayoutWidget`` puts its layout's ``clear()`` on every instance, which
took the plot and colour bar out of the layout and left the widget blank for good
(the lesson "never clear the attention heatmap"); ``AttentionHeatmap`` replaces it
with its own ``clear()``, which only hides things.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

COLORMAP_NAME = "viridis"  # perceptually uniform, colour-blind safe, shipped with pyqtgraph
# 8 pt labels fit ~40 tokens on a 500-pixel map without thinning.
TICK_POINT_SIZE = 8
MAX_LABEL_CHARS = 18  # longer token labels are cut with "…" (the hover label shows them whole)
EMPTY_HINT = "Type a sentence in the Prediction tab to see its attention here."


def colormap() -> pg.ColorMap:
    return pg.colormap.get(COLORMAP_NAME)  # read from pyqtgraph's own files: works offline


def colour_levels(matrix: np.ndarray, stretch: bool) -> tuple[float, float]:
    """The colour scale of an attention map: (0, 1), the same on every map, or stretched to
    (0, the map's largest weight). A long input spreads attention thin (about 1/length a token),
    which on the fixed scale is drawn almost all dark."""
    top = float(np.max(matrix)) if stretch and matrix.size else 0.0
    return (0.0, top) if top > 0 else (0.0, 1.0)


def add_matrix_plot(
    layout: pg.GraphicsLayoutWidget, x_axis: pg.AxisItem, y_axis: pg.AxisItem,
    x_label: str, y_label: str, bar_label: str,
) -> tuple[pg.PlotItem, pg.ViewBox, pg.ImageItem, pg.ColorBarItem]:
    """A square-celled matrix plot at (0, 0) of ``layout``, first row at the top, and its colour
    bar at (0, 1): the attention map and the confusion matrix look alike this way."""
    plot = layout.addPlot(row=0, col=0, axisItems={"bottom": x_axis, "left": y_axis})
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    view = plot.getViewBox()
    view.invertY(True)  # row 0 at the top, as in a table
    view.setAspectLocked(True)
    image = pg.ImageItem(axisOrder="row-major")  # matrix[row, col]
    image.setColorMap(colormap())
    plot.addItem(image)
    colorbar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=colormap(), interactive=False, width=14, label=bar_label)
    colorbar.setImageItem(image)
    layout.addItem(colorbar, row=0, col=1)
    for axis in (x_axis, y_axis):
        axis.setTextPen("#222")
        axis.setPen("#888")
    return plot, view, image, colorbar


def _short(token: str) -> str:
    return token if len(token) <= MAX_LABEL_CHARS else token[: MAX_LABEL_CHARS - 1] + "…"


def upright(text: str) -> bool:
    """Chinese/Japanese characters read best upright, stacked, not turned on their side."""
    return bool(text) and all(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def label_step(view: pg.ViewBox, axis: pg.AxisItem) -> int:
    """Label every cell when a cell is tall enough for a line of text, else every k-th."""
    (_, _), (y0, y1) = view.viewRange()
    pixels = view.height() / max(abs(y1 - y0), 1e-9)  # pixels per cell
    font = axis.style["tickFont"] or axis.font()
    needed = QFontMetrics(font).height() * 0.9
    return max(1, math.ceil(needed / max(pixels, 1e-9))) if pixels > 0 else 1


class TokenAxis(pg.AxisItem):
    """An axis whose ticks are token names, one per cell (every k-th when they would overlap).

    On a horizontal axis the names are drawn vertically, so ~40 tokens stay readable.
    """

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self._labels: list[str] = []
        self._step = 1
        font = QFont()
        font.setPointSize(TICK_POINT_SIZE)
        self.setStyle(
            tickLength=-4, autoExpandTextSpace=True, hideOverlappingLabels=False, tickFont=font
        )
        self.enableAutoSIPrefix(False)

    @property
    def vertical_text(self) -> bool:
        return self.orientation in ("top", "bottom")

    def set_labels(self, labels: Sequence[str]) -> None:
        self._labels = [_short(t) for t in labels]
        self._apply()

    def set_step(self, step: int) -> None:
        if step != self._step:
            self._step = step
            self._apply()

    @property
    def step(self) -> int:
        return self._step

    def shown_labels(self) -> list[tuple[int, str]]:
        return [(i, t) for i, t in enumerate(self._labels) if i % self._step == 0]

    def _apply(self) -> None:
        shown = self.shown_labels()
        # Vertical names are drawn in drawPicture; the base class only draws the ticks.
        self.setTicks([[(i, "" if self.vertical_text else t) for i, t in shown], []])
        metrics = QFontMetrics(self.style["tickFont"] or self.font())
        if self.vertical_text:
            widest = max(
                (metrics.height() * len(t) if upright(t) else metrics.horizontalAdvance(t) for _, t in shown),
                default=0,
            )
            label_h = 20 if self.label.isVisible() else 0
            self.setHeight(widest + 14 + label_h)
        else:
            # Sized here, before the first paint: pyqtgraph widens the axis only after drawing, and a
            # name that did not fit that first time (the confusion matrix's first row) stayed blank.
            widest = max((metrics.boundingRect(t).width() for _, t in shown), default=0)
            label_w = 20 if self.label.isVisible() else 0
            self.setWidth(widest + 10 + label_w)
        self.picture = None
        self.update()

    def drawPicture(self, p: QPainter, axisSpec: Any, tickSpecs: Any, textSpecs: Any) -> None:
        if not self.vertical_text:
            super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
            return
        super().drawPicture(p, axisSpec, tickSpecs, [])
        view = self.linkedView()
        if view is None or not self._labels:
            return
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        metrics = QFontMetrics(p.font())
        for index, text in self.shown_labels():
            # The cell centre, from view to this item's coordinates.
            x = self.mapFromScene(view.mapViewToScene(QPointF(index, 0))).x()
            if x < -1 or x > self.width() + 1:
                continue
            top = self.orientation == "bottom"
            if upright(text):
                # One character a line, from the axis line outwards.
                line = metrics.height()
                y = 6 if top else self.height() - 6 - line * len(text)
                for k, char in enumerate(text):
                    cell = QRectF(x - line / 2, y + k * line, line, line)
                    p.drawText(cell, int(Qt.AlignmentFlag.AlignCenter), char)
                continue
            width = metrics.horizontalAdvance(text) + 2
            p.save()
            p.translate(x, 6 if top else self.height() - 6)
            p.rotate(-90)
            # Rotated by -90 degrees, +x points up: text ends at the axis line.
            rect = (
                QRectF(-width, -metrics.height() / 2, width, metrics.height())
                if top
                else QRectF(0, -metrics.height() / 2, width, metrics.height())
            )
            align = Qt.AlignmentFlag.AlignRight if top else Qt.AlignmentFlag.AlignLeft
            p.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), text)
            p.restore()


class AttentionHeatmap(pg.GraphicsLayoutWidget):
    """One attention matrix with token names on both axes, a colour bar, and a hover readout."""

    hovered = Signal(str)  # "query → key: 0.123", or "" when the cursor leaves the map

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # GraphicsLayoutWidget bound its layout's clear() to this instance: that one removes
        # the plot and colour bar from the layout for good. Ours (the class's) only empties the map.
        self.__dict__.pop("clear", None)
        self.setBackground("w")
        self._matrix: np.ndarray | None = None
        self._tokens: list[str] = []
        self._stretch = False
        self._x_axis = TokenAxis("bottom")
        self._y_axis = TokenAxis("left")
        # matrix[row, col] = [query, key]
        self.plot, self.view, self.image, self.colorbar = add_matrix_plot(
            self, self._x_axis, self._y_axis, self.tr("key (attended to)"), self.tr("query (attending)"),
            self.tr("attention weight"))
        self.view.setMouseEnabled(x=True, y=True)
        self.image.setLevels((0.0, 1.0))  # softmax weights: fixed scale, comparable across maps
        self.readout = pg.LabelItem("", justify="left", color="#222")
        self.addItem(self.readout, row=1, col=0, colspan=2)
        self.plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.view.sigResized.connect(self._update_label_step)
        self.view.sigRangeChanged.connect(self._update_label_step)
        self.setToolTip(
            self.tr(
                "Each row is a token attending (query); each column a token attended to (key).\n"
                "Rows sum to 1. Scroll to zoom, drag to pan; hover a cell for its value."
            )
        )
        # A widget over the view, not a scene item: it stays centred whatever the view range.
        self.hint = QLabel(self.tr(EMPTY_HINT), self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("QLabel { color: #777; background: transparent; padding: 12px; }")
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._update_empty()

    # ---- data -------------------------------------------------------------------------

    def set_matrix(self, matrix: np.ndarray, tokens: Sequence[str]) -> None:
        """Draw ``matrix`` (T, T), rows = queries; ``tokens`` names both axes."""
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] != len(tokens):
            raise ValueError(
                f"a ({len(tokens)}, {len(tokens)}) matrix is needed, got {matrix.shape}"
            )
        reshape = (
            self._matrix is None
            or self._matrix.shape != matrix.shape
            or list(tokens) != self._tokens
        )
        self._matrix = matrix
        self._tokens = list(tokens)
        self._update_empty()
        levels = colour_levels(matrix, self._stretch)
        self.image.setImage(matrix, levels=levels, autoLevels=False)
        self.colorbar.setLevels(values=levels)
        n = len(tokens)
        # Cell i spans [i - 0.5, i + 0.5], so the tick at i sits in the cell's middle.
        self.image.setRect(QRectF(-0.5, -0.5, n, n))
        if reshape:
            self._x_axis.set_labels(tokens)
            self._y_axis.set_labels(tokens)
            self.view.setRange(xRange=(-0.5, n - 0.5), yRange=(-0.5, n - 0.5), padding=0)
        self._update_label_step()

    def set_stretch(self, stretch: bool) -> None:
        """Colour from 0 to this map's largest weight (True) or from 0 to 1 (False)."""
        self._stretch = stretch
        if self._matrix is not None:
            levels = colour_levels(self._matrix, stretch)
            self.image.setLevels(levels)
            self.colorbar.setLevels(values=levels)

    @property
    def levels(self) -> tuple[float, float]:
        """The colour scale now drawn (the colour bar's range)."""
        low, high = self.colorbar.levels()
        return float(low), float(high)

    def set_title(self, title: str) -> None:
        """A line above the map (layer and head), so an exported picture says what it shows."""
        self.plot.setTitle(title, size="10pt", color="#222")

    def export_image(self) -> QImage:
        """The widget as drawn, without the hover readout (it describes the cursor, not the map)."""
        readout = self.readout.text
        self.readout.setText("")
        try:
            return self.grab().toImage()
        finally:
            self.readout.setText(readout)

    def clear(self) -> None:
        """Back to the empty state: no map, no axes, the hint. The items stay in the layout."""
        self._matrix = None
        self._tokens = []
        self._x_axis.set_labels([])
        self._y_axis.set_labels([])
        self.readout.setText("")
        self._update_empty()

    def set_empty_hint(self, text: str) -> None:
        """What the empty map says (by default: type a sentence in the Prediction tab)."""
        self.hint.setText(text)

    @property
    def empty(self) -> bool:
        """True while there is no matrix: axes, ticks and colour bar hidden, the hint shown."""
        return self._matrix is None

    @property
    def matrix(self) -> np.ndarray | None:
        return self._matrix

    @property
    def tokens(self) -> list[str]:
        return list(self._tokens)

    def label_step(self) -> int:
        """Every k-th token is labelled (1 = all of them)."""
        return self._y_axis.step

    # ---- refreshes --------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        hint = getattr(self, "hint", None)  # pyqtgraph calls this from its __init__, before ours
        if hint is not None:
            hint.setGeometry(self.rect())

    def _update_empty(self) -> None:
        """Axes, ticks, colour bar and map only with data; the hint only without."""
        empty = self._matrix is None
        for side in ("bottom", "left"):
            self.plot.showAxis(side, not empty)
        self.colorbar.setVisible(not empty)
        if not empty:
            # A hidden axis sizes itself to 0 and nothing resizes the bar's label-only axis
            # when it shows again: without this its label is drawn over the bar.
            axis = self.colorbar.getAxis("left")  # a vertical bar's label axis
            axis.showLabel(bool(axis.labelText))
        self.image.setVisible(not empty)  # hidden, not cleared: the next matrix replaces it
        self.view.setMouseEnabled(x=not empty, y=not empty)  # nothing to pan or zoom
        self.hint.setVisible(empty)
        self.hint.setGeometry(self.rect())

    def _update_label_step(self, *_: object) -> None:
        """Label every token when a cell is tall enough for text, else every k-th."""
        n = len(self._tokens)
        if not n:
            return
        step = label_step(self.view, self._y_axis)
        self._x_axis.set_step(step)
        self._y_axis.set_step(step)

    def _on_scene_mouse_moved(self, pos: QPointF) -> None:
        text = ""
        if self._matrix is not None and self.view.sceneBoundingRect().contains(pos):
            point = self.view.mapSceneToView(pos)
            col, row = round(point.x()), round(point.y())
            n = len(self._tokens)
            if 0 <= row < n and 0 <= col < n:
                text = f"{self._tokens[row]} → {self._tokens[col]}: {self._matrix[row, col]:.3f}"
        self.readout.setText(text)
        self.hovered.emit(text)


class _ThumbBox(pg.ViewBox):
    def __init__(self, index: int, on_click: Callable[[int], None]) -> None:
        super().__init__(lockAspect=True, invertY=True, enableMenu=False)
        self.index = index
        self._on_click = on_click
        self.setMouseEnabled(x=False, y=False)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self._on_click(self.index)

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        ev.ignore()

    def wheelEvent(self, ev: Any, axis: int | None = None) -> None:
        ev.ignore()


class HeadGrid(pg.GraphicsLayoutWidget):
    """Small maps of every head of one layer; clicking one selects that head."""

    head_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, columns: int = 3, thumb: int = 96) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self._columns = columns
        self._thumb = thumb
        self._boxes: list[_ThumbBox] = []
        self._images: list[pg.ImageItem] = []
        self._titles: list[pg.LabelItem] = []
        self._selected: int | None = None
        self.setToolTip(self.tr("Every head of this layer. Click a head to show it large."))
        self.ci.setSpacing(2)
        self.setMinimumWidth(columns * (thumb + 12) + 10)

    def set_maps(self, maps: np.ndarray, selected: int | None, stretch: bool = False) -> None:
        """``maps`` is (H, T, T); ``selected`` is highlighted (None = the mean is shown); with
        ``stretch`` each small map is coloured up to its own largest weight."""
        heads = maps.shape[0]
        if heads != len(self._boxes):
            self._build(heads)
        n = maps.shape[-1]
        for image, matrix in zip(self._images, maps):
            matrix = np.asarray(matrix, dtype=np.float32)
            image.setImage(matrix, levels=colour_levels(matrix, stretch), autoLevels=False)
            image.setRect(QRectF(0, 0, n, n))
        for box in self._boxes:
            box.setRange(xRange=(0, n), yRange=(0, n), padding=0.02)
        self.set_selected(selected)

    def set_selected(self, selected: int | None) -> None:
        self._selected = selected
        for i, (box, title) in enumerate(zip(self._boxes, self._titles)):
            chosen = i == selected
            box.setBorder(pg.mkPen("#e8772e", width=3) if chosen else pg.mkPen("#bbb", width=1))
            title.setText(
                self.tr("head {head}").format(head=i),
                bold=chosen,
                color="#e8772e" if chosen else "#333",
                size="9pt",
            )
        # ViewBox.setBorder repaints only its border item, but the box paints the border too
        # (and the 3-pixel pen reaches past its bounds): the old orange frame stayed on screen
        # until something else repainted it. The grid is small: repaint all of it.
        self.viewport().update()

    @property
    def selected(self) -> int | None:
        return self._selected

    @property
    def head_count(self) -> int:
        return len(self._boxes)

    def click_head(self, index: int) -> None:
        """What a click on a thumbnail does (also used by tests and the tour)."""
        self.head_clicked.emit(index)

    def _build(self, heads: int) -> None:
        self.ci.clear()
        self._boxes, self._images, self._titles = [], [], []
        cmap = colormap()
        for i in range(heads):
            row, col = divmod(i, self._columns)
            title = pg.LabelItem(self.tr("head {head}").format(head=i), size="9pt")
            self.ci.addItem(title, row=2 * row, col=col)
            box = _ThumbBox(i, self.click_head)
            box.setFixedWidth(self._thumb)
            box.setFixedHeight(self._thumb)
            image = pg.ImageItem(axisOrder="row-major")
            image.setColorMap(cmap)
            box.addItem(image)
            self.ci.addItem(box, row=2 * row + 1, col=col)
            self._boxes.append(box)
            self._images.append(image)
            self._titles.append(title)
        rows = math.ceil(heads / self._columns)
        self.setMinimumWidth(self._columns * (self._thumb + 12) + 10)
        self.setMinimumHeight(rows * (self._thumb + 34) + 10)
