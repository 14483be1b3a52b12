"""Model view: every head of every layer as a small attention map, layers down, heads across.

One ``GraphicsLayoutWidget`` holds L x H ViewBoxes, each with an ``ImageItem``
(levels 0..1, or each map's own 0..largest weight when stretched; viridis, as the large heatmap), a "layer i" label at the start of
each row and a "head j" label above each column. Clicking a small map emits
``cell_clicked(layer, head)``. Long inputs are block-averaged to at most
``MAX_CELL_PIXELS`` per side before drawing, so a 12 x 12 grid of 512-token maps
stays responsive (the large heatmap always shows the full matrix).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QWidget

from workbench.gui.widgets.heatmap import colormap, colour_levels

MAX_CELL_PIXELS = 128  # longest side of a small map's image; longer maps are block-averaged
MIN_CELL = 44  # pixels: below this the grid scrolls instead of shrinking further

_SELECTED_PEN = ("#e8772e", 3)
_PLAIN_PEN = ("#bbb", 1)


def block_mean(matrix: np.ndarray, max_side: int = MAX_CELL_PIXELS) -> np.ndarray:
    """(..., T, T) -> (..., T', T') with T' <= ``max_side``: the mean of each k x k block.

    k = ceil(T / max_side); the last block of a row or column may be smaller (its own mean).
    """
    matrix = np.asarray(matrix, dtype=np.float32)
    T = matrix.shape[-1]
    if T <= max_side:
        return matrix
    k = math.ceil(T / max_side)
    starts = np.arange(0, T, k)  # (T',)
    sizes = np.diff(np.append(starts, T)).astype(np.float32)  # (T',)
    summed = np.add.reduceat(np.add.reduceat(matrix, starts, axis=-1), starts, axis=-2)
    return summed / sizes[:, None] / sizes[None, :]


class _CellBox(pg.ViewBox):
    """A fixed (no pan, no zoom) view of one small map that reports left clicks."""

    def __init__(self, layer: int, head: int, on_click: Any) -> None:
        super().__init__(lockAspect=True, invertY=True, enableMenu=False)
        self.layer = layer
        self.head = head
        self._on_click = on_click
        self.setMouseEnabled(x=False, y=False)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self._on_click(self.layer, self.head)

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        ev.ignore()

    def wheelEvent(self, ev: Any, axis: int | None = None) -> None:
        ev.ignore()


class ModelView(pg.GraphicsLayoutWidget):
    """Layers x heads grid of small attention maps; a click selects that layer and head."""

    cell_clicked = Signal(int, int)  # layer, head

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.ci.setSpacing(3)
        self._boxes: list[list[_CellBox]] = []
        self._images: list[list[pg.ImageItem]] = []
        self._shape: tuple[int, int] = (0, 0)
        self._selected: tuple[int, int] | None = None
        self._displayed_side = 0
        self.setToolTip(
            self.tr(
                "Every head of every layer (rows: layers, columns: heads), same colours as the heatmap.\n"
                "Click a small map to show it large in the Heatmap tab."
            )
        )

    # ---- data -------------------------------------------------------------------------

    def set_maps(self, attentions: np.ndarray, stretch: bool = False) -> None:
        """Draw ``attentions`` (L, H, T, T); long inputs are block-averaged for display. With
        ``stretch`` each small map is coloured up to its own largest weight."""
        attentions = np.asarray(attentions)
        L, H = int(attentions.shape[0]), int(attentions.shape[1])
        if (L, H) != self._shape:
            self._build(L, H)
        small = block_mean(attentions)  # (L, H, T', T')
        n = small.shape[-1]
        self._displayed_side = n
        for layer in range(L):
            for head in range(H):
                image = self._images[layer][head]
                matrix = small[layer, head]
                image.setImage(matrix, levels=colour_levels(matrix, stretch), autoLevels=False)
                image.setRect(QRectF(0, 0, n, n))
                self._boxes[layer][head].setRange(xRange=(0, n), yRange=(0, n), padding=0.02)
        self.set_selected(self._selected)

    def set_selected(self, selected: tuple[int, int] | None) -> None:
        """Outline the (layer, head) shown large; None when none is (e.g. the mean is shown)."""
        self._selected = selected
        for layer, row in enumerate(self._boxes):
            for head, box in enumerate(row):
                colour, width = _SELECTED_PEN if (layer, head) == selected else _PLAIN_PEN
                box.setBorder(pg.mkPen(colour, width=width))
        # setBorder repaints only the border item, not the box's own border: without this the
        # old orange frame stays on screen (see HeadGrid.set_selected).
        self.viewport().update()

    def clear_maps(self) -> None:
        self.ci.clear()
        self._boxes, self._images = [], []
        self._shape = (0, 0)
        self._displayed_side = 0

    # ---- queries (tests, tour) ------------------------------------------------------------

    def cell_count(self) -> int:
        return sum(len(row) for row in self._boxes)

    def displayed_side(self) -> int:
        """Pixels per side of each small map's image (<= MAX_CELL_PIXELS)."""
        return self._displayed_side

    def cell_image(self, layer: int, head: int) -> np.ndarray | None:
        return self._images[layer][head].image

    def click(self, layer: int, head: int) -> None:
        """What a click on the small map of (layer, head) does."""
        self.cell_clicked.emit(layer, head)

    # ---- building -----------------------------------------------------------------------

    def _build(self, layers: int, heads: int) -> None:
        self.ci.clear()
        self._boxes, self._images = [], []
        self._shape = (layers, heads)
        cmap = colormap()
        self.ci.addItem(pg.LabelItem("", size="9pt"), row=0, col=0)
        for head in range(heads):
            label = pg.LabelItem(self.tr("head {head}").format(head=head), size="9pt", color="#333")
            self.ci.addItem(label, row=0, col=head + 1)
        for layer in range(layers):
            label = pg.LabelItem(
                self.tr("layer {layer}").format(layer=layer), size="9pt", color="#333", angle=0
            )
            label.setFixedWidth(58)
            self.ci.addItem(label, row=layer + 1, col=0)
            boxes, images = [], []
            for head in range(heads):
                box = _CellBox(layer, head, self.click)
                image = pg.ImageItem(axisOrder="row-major")  # [query, key]
                image.setColorMap(cmap)
                box.addItem(image)
                box.setMinimumSize(MIN_CELL, MIN_CELL)
                self.ci.addItem(box, row=layer + 1, col=head + 1)
                boxes.append(box)
                images.append(image)
            self._boxes.append(boxes)
            self._images.append(images)
        # Never squeeze a cell below MIN_CELL: the surrounding scroll area takes over.
        self.setMinimumSize(60 + heads * (MIN_CELL + 6), 24 + layers * (MIN_CELL + 6))
