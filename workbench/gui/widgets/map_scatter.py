"""A 2-D scatter of up to hundreds of thousands of points that stays smooth: hover, box and lasso.

One ``ScatterPlotItem`` in pixel mode holds every point. Colours are a small palette of
brushes indexed by a code per point (``brushes[codes]``: a numpy take, no object per point),
so recolouring 50,000 points costs one array lookup and one ``setBrush``. Hover never asks the
scene for the item under the mouse (pyqtgraph would test every spot): a ``PointGrid`` of the
coordinates answers "which point is nearest to here" from the handful of points in nearby
cells, at most ``HOVER_PER_S`` times a second.

Selections: drag with Shift (or in box mode) for a box, with Ctrl (or in lasso mode) for a
lasso; the points inside are found in numpy (``points_in_polygon``), and ``selection_changed``
carries their indices. ``select_box`` and ``select_lasso`` do the same from code.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath, QResizeEvent
from PySide6.QtWidgets import QGraphicsPathItem, QLabel, QVBoxLayout, QWidget

HOVER_PER_S = 25  # hover lookups a second at most: the mouse sends events far faster
HOVER_RADIUS_PX = 10.0  # a point farther than this from the mouse is not "under" it
POINT_SIZE = 5
_LASSO_STEP_PX = 3  # the least distance between two lasso vertices
_POINTS_PER_CELL = 4  # the grid's density: a query looks at a few cells of ~4 points


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which of ``points`` (N, 2) lie inside ``polygon`` (M, 2, closed implicitly): bool (N,).

    Even-odd rule: a horizontal ray from each point crosses the polygon's edges an odd number
    of times when the point is inside. One pass per edge, vectorised over the points, and only
    for the points inside the polygon's bounding box.
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    polygon = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    inside = np.zeros(len(points), dtype=bool)
    if len(polygon) < 3 or not len(points):
        return inside
    lo, hi = polygon.min(axis=0), polygon.max(axis=0)
    box = np.flatnonzero(np.all((points >= lo) & (points <= hi), axis=1))
    x, y = points[box, 0], points[box, 1]
    odd = np.zeros(len(box), dtype=bool)
    x0, y0 = polygon[:, 0], polygon[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    for ax, ay, bx, by in zip(x0, y0, x1, y1, strict=True):
        if ay == by:
            continue  # a horizontal edge is never crossed by a horizontal ray
        straddles = (ay > y) != (by > y)
        cross_x = ax + (y - ay) * (bx - ax) / (by - ay)
        odd ^= straddles & (x < cross_x)
    inside[box] = odd
    return inside


def points_in_box(points: np.ndarray, corner_a: Sequence[float], corner_b: Sequence[float]) -> np.ndarray:
    """Which points lie in the axis-aligned box between two corners (edges included): bool (N,)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    lo = np.minimum(corner_a, corner_b)
    hi = np.maximum(corner_a, corner_b)
    return np.all((points >= lo) & (points <= hi), axis=1)


class PointGrid:
    """Nearest point to a position, from a uniform grid of cells sorted once (no tree, no scipy).

    Points are sorted by cell (``cell = column * side + row``), so the points of one grid
    column over a range of rows are one contiguous slice of ``order``: a query gathers a few
    slices and measures only those points.
    """

    def __init__(self, coords: np.ndarray) -> None:
        self.coords = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
        n = len(self.coords)
        self.side = max(1, int(math.sqrt(max(n, 1) / _POINTS_PER_CELL)))
        if n:
            self.lo = self.coords.min(axis=0)
            span = self.coords.max(axis=0) - self.lo
        else:
            self.lo, span = np.zeros(2), np.ones(2)
        self.cell_size = np.where(span > 0, span / self.side, 1.0)
        cells = self._cell_ids(self.coords)
        self.order = np.argsort(cells, kind="stable")
        self.starts = np.searchsorted(cells[self.order], np.arange(self.side * self.side + 1))

    def _cell(self, xy: np.ndarray) -> np.ndarray:
        return np.clip(((xy - self.lo) / self.cell_size).astype(np.int64), 0, self.side - 1)

    def _cell_ids(self, xy: np.ndarray) -> np.ndarray:
        cell = self._cell(xy)
        return cell[:, 0] * self.side + cell[:, 1]

    def candidates(self, x: float, y: float, rx: float, ry: float) -> np.ndarray:
        """Indices of the points in the cells that overlap the box (x ± rx, y ± ry)."""
        if not len(self.coords):
            return np.zeros(0, dtype=np.int64)
        (c0, r0), (c1, r1) = self._cell(np.array([[x - rx, y - ry], [x + rx, y + ry]]))
        slices = [self.order[self.starts[c * self.side + r0]: self.starts[c * self.side + r1 + 1]]
                  for c in range(c0, c1 + 1)]
        return np.concatenate(slices) if slices else np.zeros(0, dtype=np.int64)

    def nearest(self, x: float, y: float, rx: float, ry: float) -> int | None:
        """The point nearest (x, y) within the ellipse of radii (rx, ry) in data units, or None.

        Distances are measured in those radii, so on screen (rx, ry = a radius in pixels times
        the pixel size of each axis) the test is a circle whatever the axes' aspect.
        """
        if rx <= 0 or ry <= 0:
            return None
        found = self.candidates(x, y, rx, ry)
        if not len(found):
            return None
        d = ((self.coords[found, 0] - x) / rx) ** 2 + ((self.coords[found, 1] - y) / ry) ** 2
        best = int(np.argmin(d))
        return int(found[best]) if d[best] <= 1.0 else None


class _SelectingViewBox(pg.ViewBox):
    """Pans and zooms as usual; a drag in box or lasso mode (or with Shift / Ctrl) selects instead."""

    def __init__(self, owner: MapScatter) -> None:
        super().__init__()
        self._owner = owner
        self._path: list[QPointF] = []
        self._last_scene = QPointF()
        self._outline = QGraphicsPathItem()
        self._outline.setPen(pg.mkPen("#333333", width=1, style=Qt.PenStyle.DashLine))
        self._outline.setZValue(20)
        self._outline.hide()
        self.addItem(self._outline, ignoreBounds=True)

    def _drag_mode(self, ev: object) -> str | None:
        modifiers = ev.modifiers()  # type: ignore[attr-defined]
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            return "box"
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            return "lasso"
        return self._owner.mode if self._owner.mode in ("box", "lasso") else None

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:  # noqa: N802 - Qt's name
        mode = self._drag_mode(ev)
        if mode is None or ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()  # type: ignore[attr-defined]
        here = self.mapSceneToView(ev.scenePos())  # type: ignore[attr-defined]
        if ev.isStart():  # type: ignore[attr-defined]
            self._path = [self.mapSceneToView(ev.buttonDownScenePos())]  # type: ignore[attr-defined]
            self._last_scene = ev.buttonDownScenePos()  # type: ignore[attr-defined]
        scene = ev.scenePos()  # type: ignore[attr-defined]
        # A lasso vertex every few pixels is enough: each vertex is one pass over the points.
        if ev.isFinish() or (scene - self._last_scene).manhattanLength() >= _LASSO_STEP_PX:  # type: ignore[attr-defined]
            self._path.append(here)
            self._last_scene = scene
        outline = self._outline_path(mode)
        self._outline.setPath(outline)
        self._outline.show()
        if ev.isFinish():  # type: ignore[attr-defined]
            self._outline.hide()
            points = np.array([[p.x(), p.y()] for p in self._path])
            self._path = []
            if mode == "box":
                self._owner.select_box(points[0], points[-1])
            else:
                self._owner.select_lasso(points)

    def _outline_path(self, mode: str) -> QPainterPath:
        path = QPainterPath()
        first, last = self._path[0], self._path[-1]
        if mode == "box":
            path.addRect(min(first.x(), last.x()), min(first.y(), last.y()),
                         abs(last.x() - first.x()), abs(last.y() - first.y()))
            return path
        path.moveTo(first)
        for point in self._path[1:]:
            path.lineTo(point)
        path.closeSubpath()
        return path


class MapScatter(QWidget):
    """The points of one map, coloured by codes, with hover, selection and a query marker."""

    hovered = Signal(int)  # the index of the point under the mouse, -1 when none
    selection_changed = Signal(object)  # np.ndarray of the selected indices (sorted)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = "pan"  # "pan", "box" or "lasso": what a plain drag does
        self.coords = np.zeros((0, 2), dtype=np.float32)
        self.grid = PointGrid(self.coords)
        self.selected = np.zeros(0, dtype=np.int64)
        self.draw_order = np.zeros(0, dtype=np.int64)  # point indices in the order they are drawn
        self.view_box = _SelectingViewBox(self)
        self.plot = pg.PlotWidget(viewBox=self.view_box)
        self.plot.setMenuEnabled(False)
        self.plot.setBackground("w")
        self.plot.hideButtons()
        # A projection's axes carry no units worth reading, and drawing their ticks costs a third
        # of a frame at 50,000 points: the title says what the axes are instead.
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.scatter = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE, pen=None, hoverable=False)
        self.rings = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE + 5, brush=None,
                                        pen=pg.mkPen("#000000", width=1.2))
        self.neighbours = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE + 7, brush=None,
                                             pen=pg.mkPen("#e67e00", width=2))
        self.query = pg.ScatterPlotItem(pxMode=True, size=18, symbol="star",
                                        brush=pg.mkBrush("#ffd400"), pen=pg.mkPen("#000000", width=1.5))
        self.hover_mark = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE + 6, brush=None,
                                             pen=pg.mkPen("#d40000", width=2))
        for z, item in enumerate((self.scatter, self.rings, self.neighbours, self.query, self.hover_mark)):
            item.setZValue(z)
            # Only the points decide the range: a ring or the hover mark must not move the view.
            self.plot.addItem(item, ignoreBounds=item is not self.scatter)
        self.hover_text = pg.TextItem(color="#111111", fill=pg.mkBrush(255, 255, 240, 230),
                                      border=pg.mkPen("#999999"), anchor=(0, 1))
        self.hover_text.setZValue(30)
        self.hover_text.hide()
        self.plot.addItem(self.hover_text, ignoreBounds=True)
        self.texts: Sequence[str] = []
        self.hovered_index = -1
        self._mouse: QPointF | None = None
        self._hover_timer = QTimer(self)
        self._hover_timer.setObjectName("hover throttle")
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(1000 // HOVER_PER_S)
        self._hover_timer.timeout.connect(self._update_hover)
        self.plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        # Said over the empty plot (what to do to get a map), as the other empty views do.
        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("QLabel { color: #777; background: transparent; padding: 12px; }")
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._update_hint()

    # ---- data ----------------------------------------------------------------------------

    def set_points(self, coords: np.ndarray, codes: np.ndarray, brushes: Sequence[QBrush],
                   texts: Sequence[str] = ()) -> None:
        """Draw ``coords`` (N, 2), point i filled with ``brushes[codes[i]]``; ``texts[i]`` on hover."""
        self.coords = np.ascontiguousarray(coords, dtype=np.float64).reshape(-1, 2)
        self.texts = texts
        self.grid = PointGrid(self.coords)
        self.selected = np.zeros(0, dtype=np.int64)
        self._draw(codes, brushes)
        for item in (self.rings, self.neighbours, self.query, self.hover_mark):
            item.setData([], [])
        self._set_hovered(-1)
        self.view_box.autoRange()
        self.view_box.disableAutoRange()  # the view stays where the user pans it
        self._update_hint()

    def set_colours(self, codes: np.ndarray, brushes: Sequence[QBrush]) -> None:
        if len(codes) == len(self.coords):
            self._draw(codes, brushes)

    def _draw(self, codes: np.ndarray, brushes: Sequence[QBrush]) -> None:
        """The points in the order of their colour's count, the biggest group first: the rarest
        colours are drawn last, on top, so a slice of 500 among 50,000 grey points, or the wrong
        predictions among the right ones, stay visible where the map is dense. Only the drawing is
        reordered: hover and selection go by ``coords``, whose order is the examples'."""
        codes = np.asarray(codes, dtype=np.int64)
        counts = np.bincount(codes, minlength=len(brushes))
        self.draw_order = np.argsort(-counts[codes], kind="stable")
        self.scatter.setData(pos=self.coords[self.draw_order],
                             brush=self._brush_array(codes, brushes)[self.draw_order])

    @staticmethod
    def _brush_array(codes: np.ndarray, brushes: Sequence[QBrush]) -> np.ndarray:
        palette = np.empty(len(brushes), dtype=object)
        palette[:] = list(brushes)
        return palette[np.asarray(codes, dtype=np.int64)]  # shared brush objects, none made per point

    def clear(self) -> None:
        self.set_points(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), [QBrush(QColor("#888888"))])

    def set_empty_hint(self, text: str) -> None:
        """What the plot says while it has no points."""
        self.hint.setText(text)

    @property
    def empty(self) -> bool:
        return not len(self.coords)

    def _update_hint(self) -> None:
        self.hint.setVisible(self.empty)
        self.hint.setGeometry(self.rect())
        self.hint.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.hint.setGeometry(self.rect())

    # ---- selection, neighbours, the typed sentence ------------------------------------------

    def select_box(self, corner_a: Sequence[float], corner_b: Sequence[float]) -> np.ndarray:
        return self._select(np.flatnonzero(points_in_box(self.coords, corner_a, corner_b)))

    def select_lasso(self, polygon: np.ndarray) -> np.ndarray:
        return self._select(np.flatnonzero(points_in_polygon(self.coords, polygon)))

    def _select(self, indices: np.ndarray) -> np.ndarray:
        self.highlight(indices)
        self.selection_changed.emit(self.selected)
        return self.selected

    def highlight(self, indices: np.ndarray) -> None:
        """Ring ``indices`` (a selection made here or in the map beside this one)."""
        indices = np.asarray(indices, dtype=np.int64)
        self.selected = indices[(indices >= 0) & (indices < len(self.coords))]
        self.rings.setData(pos=self.coords[self.selected] if len(self.selected) else np.zeros((0, 2)))

    def show_neighbours(self, indices: Sequence[int]) -> None:
        idx = np.asarray(list(indices), dtype=np.int64)
        self.neighbours.setData(pos=self.coords[idx] if len(idx) else np.zeros((0, 2)))

    def show_query(self, xy: Sequence[float] | None) -> None:
        self.query.setData(pos=np.zeros((0, 2)) if xy is None else np.asarray([xy], dtype=np.float64))

    # ---- hover ------------------------------------------------------------------------------

    def point_near(self, x: float, y: float, radius_px: float = HOVER_RADIUS_PX) -> int | None:
        """The point nearest the view position (x, y) within ``radius_px`` screen pixels."""
        px, py = self.view_box.viewPixelSize()
        return self.grid.nearest(x, y, radius_px * px, radius_px * py)

    def _on_scene_mouse_moved(self, scene_pos: QPointF) -> None:
        self._mouse = scene_pos
        if not self._hover_timer.isActive():
            self._hover_timer.start()  # throttled: at most HOVER_PER_S lookups a second

    def _update_hover(self) -> None:
        if self._mouse is None or not self.view_box.sceneBoundingRect().contains(self._mouse):
            self._set_hovered(-1)
            return
        here = self.view_box.mapSceneToView(self._mouse)
        found = self.point_near(here.x(), here.y())
        self._set_hovered(-1 if found is None else found)

    def _set_hovered(self, index: int) -> None:
        if index == self.hovered_index:
            return
        self.hovered_index = index
        if index < 0:
            self.hover_mark.setData([], [])
            self.hover_text.hide()
        else:
            x, y = self.coords[index]
            self.hover_mark.setData(pos=[(x, y)])
            text = self.texts[index] if index < len(self.texts) else str(index)
            self.hover_text.setText(text if len(text) <= 160 else text[:157] + "…")
            self.hover_text.setPos(x, y)
            self.hover_text.show()
        self.hovered.emit(index)

    def shutdown(self) -> None:
        self._hover_timer.stop()
