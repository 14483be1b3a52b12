"""A bertviz-style head view: tokens in two columns, a line for each attention link.

The left column holds the queries (the tokens attending), the right column the
keys (the tokens attended to); a line joins query i to key j with an opacity
and width that grow with the weight ``matrix[i, j]``. Hovering a token isolates
its links (the others are hidden) and lists its strongest weights.

Long inputs stay responsive (512+ tokens would mean 262,144 lines):
1. rows have a fixed height inside a ``QScrollArea``, so the rows on screen are
   known without measuring anything;
2. only the links worth seeing are kept, once per matrix: the ``top_k``
   strongest of each query (default 8) at or above ``min_weight``;
3. ``paintEvent`` draws only the tokens on screen and the kept links of the
   queries on screen: at most (visible rows × top_k) lines, whatever the length.
A link is read from its query, so a link into a visible key from a query
scrolled out of view is not drawn until that query scrolls in (hovering the key
shows all of its links).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

ROW_HEIGHT = 18  # pixels per token row: fixed, so the visible rows follow from the scroll position
MARGIN = 8  # above the first row and below the last
SIDE_ROOM = 40  # pixels left and right of the columns, for the weights written while hovering
DEFAULT_TOP_K = 8  # links kept per query: enough to show where a head looks, few enough to read
MAX_TOKEN_WIDTH = 170  # pixels; longer tokens are elided (the hover line shows them whole)
GAP = 10  # between a token's text and the end of its links
TOP_WEIGHTS_SHOWN = 5  # weights written beside the other column while a token is hovered
TOKEN_POINT_SIZE = 9
_LINK_COLOUR = QColor(31, 95, 191)  # a blue that reads on white at any opacity
_HOVER_BACKGROUND = QColor("#e8772e")  # the orange of the selected head in the heatmap view
_LINKED_BACKGROUND = QColor(31, 95, 191)
SIDES = ("left", "right")


class _Canvas(QWidget):
    """The scrolled surface; all drawing and hit testing is the HeadView's."""

    def __init__(self, view: HeadView) -> None:
        super().__init__()
        self._view = view
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._view._paint(painter, event.rect(), self.width())
        finally:
            painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._view._on_canvas_mouse_moved(event.position())
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._view._on_canvas_left()
        super().leaveEvent(event)  # type: ignore[arg-type]


class HeadView(QWidget):
    """Attention of one head (or the mean of heads) as lines between two token columns."""

    hover_changed = Signal(object)  # (side, index) of the hovered token, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tokens: list[str] = []
        self._shown: list[str] = []  # elided for drawing
        self._matrix = np.zeros((0, 0), dtype=np.float32)  # (T, T), rows = queries
        self._threshold = 0.0
        self._top_k: int | None = DEFAULT_TOP_K
        # The kept links, sorted by query then weight (strongest first):
        self._rows = np.zeros(0, dtype=np.int64)  # (K,) query index
        self._cols = np.zeros(0, dtype=np.int64)  # (K,) key index
        self._weights = np.zeros(0, dtype=np.float32)  # (K,)
        self._row_start = np.zeros(
            1, dtype=np.int64
        )  # (T + 1,) links of row i: [start[i], start[i+1])
        self._hover: tuple[str, int] | None = None
        self._column_width = 60
        self.last_paint_links = 0  # lines drawn by the last paint (for benchmarks)
        self._font = QFont()
        self._font.setPointSize(TOKEN_POINT_SIZE)
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._build()

    # ---- public API ------------------------------------------------------------------

    def set_maps(self, tokens: Sequence[str], matrix: np.ndarray) -> None:
        """Show ``matrix`` (T, T) (rows = queries, columns = keys) for ``tokens``."""
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape != (len(tokens), len(tokens)):
            raise ValueError(
                f"a ({len(tokens)}, {len(tokens)}) matrix is needed, got {matrix.shape}"
            )
        self._tokens = [str(t) for t in tokens]
        self._matrix = matrix
        self._hover = None
        metrics = QFontMetrics(self._bold)
        self._shown = [
            metrics.elidedText(t, Qt.TextElideMode.ElideRight, MAX_TOKEN_WIDTH)
            for t in self._tokens
        ]
        widest = max((metrics.horizontalAdvance(t) for t in self._shown), default=40)
        self._column_width = min(max(widest + 8, 40), MAX_TOKEN_WIDTH + 8)
        self._canvas.setFixedHeight(len(self._tokens) * ROW_HEIGHT + 2 * MARGIN)
        self._canvas.setMinimumWidth(2 * self._column_width + 2 * SIDE_ROOM + 120)
        self._update_links()
        self._update_info()
        self._canvas.update()

    def set_threshold(self, min_weight: float) -> None:
        """Draw only links whose weight is at least ``min_weight``."""
        min_weight = float(min_weight)
        if self._threshold_spin.value() != min_weight:
            self._threshold_spin.blockSignals(True)
            self._threshold_spin.setValue(min_weight)
            self._threshold_spin.blockSignals(False)
        self._threshold = min_weight
        self._update_links()
        self._update_info()
        self._canvas.update()

    def set_top_k(self, k: int | None) -> None:
        """Keep the ``k`` strongest links of each query (None or 0: all of them)."""
        k = None if not k else int(k)
        self._top_k_spin.blockSignals(True)
        self._top_k_spin.setValue(k or 0)
        self._top_k_spin.blockSignals(False)
        self._top_k = k
        self._update_links()
        self._update_info()
        self._canvas.update()

    def set_title(self, title: str) -> None:
        self._title.setText(title)

    def hover_token(self, side: str, index: int) -> None:
        """What hovering a token does: isolate its links (``side`` is "left" or "right")."""
        if side not in SIDES:
            raise ValueError(f"side must be 'left' (queries) or 'right' (keys), not {side!r}")
        if not 0 <= index < len(self._tokens):
            raise IndexError(f"token {index} of {len(self._tokens)}")
        self._set_hover((side, int(index)))

    def clear_hover(self) -> None:
        self._set_hover(None)

    def clear(self) -> None:
        self.set_maps([], np.zeros((0, 0), dtype=np.float32))

    @property
    def hovered_token(self) -> int | None:
        return None if self._hover is None else self._hover[1]

    @property
    def hovered_side(self) -> str | None:
        return None if self._hover is None else self._hover[0]

    @property
    def threshold(self) -> float:
        return self._threshold

    @property
    def top_k(self) -> int | None:
        return self._top_k

    @property
    def tokens(self) -> list[str]:
        return list(self._tokens)

    def visible_rows(self) -> range:
        """The token rows inside the scroll area's viewport."""
        n = len(self._tokens)
        top = self._scroll.verticalScrollBar().value()
        height = self._scroll.viewport().height()
        first = max(0, (top - MARGIN) // ROW_HEIGHT)
        last = min(n, math.ceil((top + height - MARGIN) / ROW_HEIGHT))
        return range(first, max(first, last))

    def visible_links(self) -> int:
        """How many lines are drawn now (the same selection ``paintEvent`` uses)."""
        return len(self._links_to_draw()[0])

    def top_weights(
        self, side: str, index: int, k: int = TOP_WEIGHTS_SHOWN
    ) -> list[tuple[int, float]]:
        """The strongest weights of a query (left) or into a key (right): (other index, weight)."""
        row = self._matrix[index] if side == "left" else self._matrix[:, index]
        order = np.argsort(-row, kind="stable")[:k]
        return [(int(j), float(row[j])) for j in order]

    # ---- UI ----------------------------------------------------------------------------

    def _build(self) -> None:
        self._title = QLabel("")
        self._title.setStyleSheet("font-weight: bold;")
        self._title.setToolTip(self.tr("Which layer and head these links show."))
        self._threshold_spin = QDoubleSpinBox()
        self._threshold_spin.setRange(0.0, 1.0)
        self._threshold_spin.setSingleStep(0.05)
        self._threshold_spin.setDecimals(2)
        self._threshold_spin.setPrefix(self.tr("min weight "))
        self._threshold_spin.setToolTip(
            self.tr("Draw only links with at least this attention weight (0 = no minimum).")
        )
        self._top_k_spin = QSpinBox()
        self._top_k_spin.setRange(0, 512)
        self._top_k_spin.setValue(DEFAULT_TOP_K)
        self._top_k_spin.setSpecialValueText(self.tr("all links"))
        self._top_k_spin.setPrefix(self.tr("top "))
        self._top_k_spin.setSuffix(self.tr(" per token"))
        self._top_k_spin.setToolTip(
            self.tr(
                "Draw only the strongest links of each query token ('all links' draws every one; "
                "on long inputs that is slow and unreadable)."
            )
        )
        for spin in (self._threshold_spin, self._top_k_spin):
            spin.setKeyboardTracking(False)
        bar = QHBoxLayout()
        bar.addWidget(self._title, 1)
        bar.addWidget(self._top_k_spin)
        bar.addWidget(self._threshold_spin)

        left = QLabel(self.tr("query (attending)"))
        right = QLabel(self.tr("key (attended to)"))
        right.setAlignment(Qt.AlignmentFlag.AlignRight)
        for label in (left, right):
            label.setStyleSheet("color: #555;")
            label.setToolTip(
                self.tr("Hover a token to isolate its links and see its strongest weights.")
            )
        heads = QHBoxLayout()
        heads.addWidget(left)
        heads.addStretch(1)
        heads.addWidget(right)

        self._canvas = _Canvas(self)
        self._canvas.setToolTip(
            self.tr(
                "Each line joins a query token (left) to a key token (right); stronger attention is "
                "darker and thicker. Hover a token to show only its links."
            )
        )
        self._scroll = QScrollArea()
        self._scroll.setWidget(self._canvas)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # White below a short input too, so the view reads as one surface.
        viewport = self._scroll.viewport()
        palette = viewport.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("white"))
        viewport.setPalette(palette)
        viewport.setAutoFillBackground(True)
        # Scrolling shows other rows, whose links are chosen at paint time.
        self._scroll.verticalScrollBar().valueChanged.connect(self._canvas.update)

        self._info = QLabel("")
        self._info.setWordWrap(True)
        self._info.setTextFormat(Qt.TextFormat.RichText)
        self._info.setToolTip(self.tr("The hovered token's strongest attention weights."))

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(heads)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._info)

        self._threshold_spin.valueChanged.connect(self._on_threshold_spin_changed)
        self._top_k_spin.valueChanged.connect(self._on_top_k_spin_changed)

    def sizeHint(self) -> QSize:
        return QSize(2 * self._column_width + 240, 480)

    # ---- slots --------------------------------------------------------------------------

    def _on_threshold_spin_changed(self, value: float) -> None:
        self.set_threshold(value)

    def _on_top_k_spin_changed(self, value: int) -> None:
        self.set_top_k(value or None)

    def _on_canvas_mouse_moved(self, pos: QPointF) -> None:
        self._set_hover(self._token_at(pos))

    def _on_canvas_left(self) -> None:
        self._set_hover(None)

    # ---- refreshes ----------------------------------------------------------------------

    def _set_hover(self, hover: tuple[str, int] | None) -> None:
        if hover == self._hover:
            return
        self._hover = hover
        self._update_info()
        self._canvas.update()
        self.hover_changed.emit(hover)

    def _update_links(self) -> None:
        """Choose the links worth drawing, once per matrix, threshold and top-k."""
        m = self._matrix  # (T, T)
        n = m.shape[0]
        if n == 0:
            self._rows = self._cols = np.zeros(0, dtype=np.int64)
            self._weights = np.zeros(0, dtype=np.float32)
            self._row_start = np.zeros(1, dtype=np.int64)
            return
        # 1. at or above the threshold (and not zero: masked positions are no link)
        keep = (m >= self._threshold) & (m > 0)  # (T, T)
        # 2. the k strongest of each query
        if self._top_k is not None and self._top_k < n:
            top = np.argpartition(-m, self._top_k - 1, axis=1)[:, : self._top_k]  # (T, k)
            strongest = np.zeros_like(keep)
            strongest[np.arange(n)[:, None], top] = True
            keep &= strongest
        rows, cols = np.nonzero(keep)  # sorted by row
        weights = m[rows, cols]
        # 3. within a row, strongest first (drawn last would be on top; order is for top lists)
        order = np.lexsort((-weights, rows))
        self._rows, self._cols, self._weights = rows[order], cols[order], weights[order]
        self._row_start = np.searchsorted(self._rows, np.arange(n + 1)).astype(np.int64)

    def _links_to_draw(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(queries, keys, weights) of the lines to draw now."""
        if self._hover is not None:
            side, index = self._hover
            if side == "left":
                a, b = self._row_start[index], self._row_start[index + 1]
                return self._rows[a:b], self._cols[a:b], self._weights[a:b]
            into = self._cols == index
            return self._rows[into], self._cols[into], self._weights[into]
        rows = self.visible_rows()
        if not len(rows):
            return self._rows[:0], self._cols[:0], self._weights[:0]
        a, b = self._row_start[rows.start], self._row_start[rows.stop]
        return self._rows[a:b], self._cols[a:b], self._weights[a:b]

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the line it formats from the links shown."""
        self._update_info()

    def _update_info(self) -> None:
        if self._hover is None:
            n = len(self._tokens)
            if n:
                limit = (
                    self.tr("top {k} per token").format(k=self._top_k)
                    if self._top_k
                    else self.tr("all links")
                )
                if self._threshold > 0:
                    limit += self.tr(", weight ≥ {weight}").format(weight=f"{self._threshold:.2f}")
                self._info.setText(
                    self.tr(
                        "{tokens} tokens · {links} links ({limit}) · hover a token to isolate its links"
                    ).format(tokens=n, links=len(self._rows), limit=limit)
                )
            else:
                self._info.setText("")
            return
        side, index = self._hover
        parts = [
            f"{html.escape(self._tokens[j])} <b>{w:.3f}</b>"
            for j, w in self.top_weights(side, index)
        ]
        line = (
            self.tr("{token} (query {index}) attends most to: {weights}")
            if side == "left"
            else self.tr("{token} (key {index}) is attended most by: {weights}")
        )
        self._info.setText(
            line.format(
                token=f"<b>{html.escape(self._tokens[index])}</b>",
                index=index,
                weights=" · ".join(parts),
            )
        )

    # ---- drawing ------------------------------------------------------------------------

    def _geometry(self, width: int) -> tuple[float, float, float, float]:
        """(left text x0, left link x, right link x, right text x0) for a canvas ``width``."""
        left_x0 = SIDE_ROOM
        left_link = SIDE_ROOM + self._column_width + GAP / 2
        right_x0 = width - SIDE_ROOM - self._column_width
        right_link = right_x0 - GAP / 2
        return left_x0, left_link, right_link, right_x0

    @staticmethod
    def _row_y(index: int) -> float:
        return MARGIN + index * ROW_HEIGHT + ROW_HEIGHT / 2

    def _token_at(self, pos: QPointF) -> tuple[str, int] | None:
        n = len(self._tokens)
        row = math.floor((pos.y() - MARGIN) / ROW_HEIGHT)
        if not 0 <= row < n:
            return None
        left_x0, _, _, right_x0 = self._geometry(self._canvas.width())
        if left_x0 <= pos.x() <= left_x0 + self._column_width:
            return ("left", row)
        if right_x0 <= pos.x() <= right_x0 + self._column_width:
            return ("right", row)
        return None

    def _paint(self, painter: QPainter, rect: QRect, width: int) -> None:
        painter.fillRect(rect, QColor("white"))
        n = len(self._tokens)
        if n == 0:
            painter.setPen(QColor("#888"))
            painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignCenter), self.tr("No attention to show yet.")
            )
            self.last_paint_links = 0
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        left_x0, left_link, right_link, right_x0 = self._geometry(width)
        # 1. links (under the text)
        rows, cols, weights = self._links_to_draw()
        pen = QPen(_LINK_COLOUR)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        for i, j, w in zip(rows.tolist(), cols.tolist(), weights.tolist()):
            w = min(max(w, 0.0), 1.0)
            colour = QColor(_LINK_COLOUR)
            colour.setAlpha(int(30 + 225 * w))
            pen.setColor(colour)
            pen.setWidthF(0.6 + 3.4 * w)
            painter.setPen(pen)
            painter.drawLine(
                QPointF(left_link, self._row_y(i)), QPointF(right_link, self._row_y(j))
            )
        self.last_paint_links = len(rows)
        # 2. tokens on screen (the exposed rows only)
        first = max(0, (rect.top() - MARGIN) // ROW_HEIGHT)
        last = min(n, math.ceil((rect.bottom() + 1 - MARGIN) / ROW_HEIGHT))
        linked: dict[int, float] = {}
        hover_side = hover_index = None
        if self._hover is not None:
            hover_side, hover_index = self._hover
            other = cols if hover_side == "left" else rows
            linked = dict(zip(other.tolist(), weights.tolist()))
            top = {j for j, _ in self.top_weights(hover_side, hover_index)}
        metrics = QFontMetrics(self._font)
        for index in range(first, last):
            y = MARGIN + index * ROW_HEIGHT
            for side, x0 in (("left", left_x0), ("right", right_x0)):
                box = QRectF(x0, y + 1, self._column_width, ROW_HEIGHT - 2)
                hovered = side == hover_side and index == hover_index
                is_linked = hover_side is not None and side != hover_side and index in linked
                if hovered:
                    painter.fillRect(box, _HOVER_BACKGROUND)
                elif is_linked:
                    shade = QColor(_LINKED_BACKGROUND)
                    shade.setAlpha(int(25 + 120 * min(linked[index], 1.0)))
                    painter.fillRect(box, shade)
                painter.setFont(self._bold if hovered else self._font)
                faded = hover_side is not None and not hovered and not is_linked
                painter.setPen(QColor("#fff" if hovered else "#aaa" if faded else "#222"))
                align = (
                    Qt.AlignmentFlag.AlignRight if side == "left" else Qt.AlignmentFlag.AlignLeft
                )
                painter.drawText(
                    box.adjusted(3, 0, -3, 0),
                    int(align | Qt.AlignmentFlag.AlignVCenter),
                    self._shown[index],
                )
                # The strongest weights, written outside the other column.
                if is_linked and index in top:
                    painter.setFont(self._font)
                    painter.setPen(QColor("#1f3f7f"))
                    label = f"{linked[index]:.2f}"
                    w = metrics.horizontalAdvance(label) + 4
                    if side == "right":
                        where = QRectF(right_x0 + self._column_width + 2, y, w, ROW_HEIGHT)
                    else:
                        where = QRectF(left_x0 - w - 2, y, w, ROW_HEIGHT)
                    painter.drawText(where, int(Qt.AlignmentFlag.AlignVCenter), label)
