"""Horizontal probability bars: one row per label, longest bar first.

A plain painted QWidget rather than a plot: the label names are the point of
the chart and must stay readable at any length (they are elided with "…" and
shown in full in the row's tooltip), and rows never overlap.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

DEFAULT_TOP = 20
ROW_H = 24
GAP = 4
VALUE_W = 56  # room for "100.0%"
BAR_COLOR = QColor("#3b75af")
BAR_TOP_COLOR = QColor("#e8772e")
TRACK_COLOR = QColor(127, 127, 127, 40)


class ProbabilityBars(QWidget):
    """Shows ``(name, probability)`` pairs sorted by probability, the top ``top`` of them.

    Whatever does not fit in ``top`` rows is summed into one "+N more" row, so the
    bars still account for all the probability mass.
    """

    def __init__(self, parent: QWidget | None = None, *, top: int = DEFAULT_TOP) -> None:
        super().__init__(parent)
        self._top = top
        self._items: list[tuple[str, float]] = []
        self._rest: tuple[int, float] = (0, 0.0)  # (how many labels are hidden, their total)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setToolTip(
            self.tr(
                "Probability of each label (the top one highlighted). Hover a row for its full name."
            )
        )

    # ---- data -------------------------------------------------------------------------

    def set_items(self, items: Iterable[tuple[str, float]]) -> None:
        ordered = sorted(((str(n), float(p)) for n, p in items), key=lambda kv: -kv[1])
        self._items = ordered[: self._top]
        hidden = ordered[self._top :]
        self._rest = (len(hidden), sum(p for _, p in hidden))
        self.updateGeometry()
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def clear(self) -> None:
        self.set_items([])

    def items(self) -> list[tuple[str, float]]:
        """The rows drawn, top first (without the "+N more" row)."""
        return list(self._items)

    def hidden(self) -> tuple[int, float]:
        return self._rest

    # ---- drawing ------------------------------------------------------------------------

    def _rows(self) -> int:
        return len(self._items) + (1 if self._rest[0] else 0)

    def sizeHint(self) -> QSize:
        return QSize(360, max(1, self._rows()) * (ROW_H + GAP) + GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(n) for n, _ in self._items), default=0)
        # Names get at most 40% of the width; longer ones are elided.
        return min(widest + 8, int(self.width() * 0.4))

    def _geometry(self) -> tuple[int, int, int]:
        """(label width, x where the bars start, bar width) at the current size."""
        label_w = self._label_width()
        bar_x = label_w + 8
        return label_w, bar_x, max(10, self.width() - bar_x - VALUE_W - 8)

    def _row_at(self, pos: QPoint) -> int | None:
        row = (pos.y() - GAP) // (ROW_H + GAP)
        return row if 0 <= row < self._rows() else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        label_w, bar_x, bar_w = self._geometry()
        bold = QFont(self.font())
        bold.setBold(True)
        if not self._items:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No prediction yet")
            )
            return
        for row, (name, prob) in enumerate(self._items):
            y = GAP + row * (ROW_H + GAP)
            painter.setFont(bold if row == 0 else self.font())
            painter.setPen(text_color)
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_w)
            painter.drawText(
                QRectF(0, y, label_w, ROW_H),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK_COLOR)
            painter.drawRoundedRect(QRectF(bar_x, y + 3, bar_w, ROW_H - 6), 3, 3)
            painter.setBrush(BAR_TOP_COLOR if row == 0 else BAR_COLOR)
            width = max(0.0, min(1.0, prob)) * bar_w
            if width > 0.5:
                painter.drawRoundedRect(QRectF(bar_x, y + 3, width, ROW_H - 6), 3, 3)
            painter.setPen(text_color)
            painter.drawText(
                QRectF(bar_x + bar_w + 6, y, VALUE_W, ROW_H),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{prob:.1%}",
            )
        if self._rest[0]:
            y = GAP + len(self._items) * (ROW_H + GAP)
            painter.setFont(self.font())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(0, y, self.width(), ROW_H),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("+{count} more labels, {share} in total").format(
                    count=self._rest[0], share=f"{self._rest[1]:.1%}"
                ),
            )

    def event(self, event: QEvent) -> bool:
        if event.type() == event.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self._row_at(event.pos())
            if row is not None and row < len(self._items):
                name, prob = self._items[row]
                QToolTip.showText(event.globalPos(), f"{name}: {prob:.4f}", self)
                return True
        return super().event(event)
