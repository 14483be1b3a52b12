"""A multi-label prediction: one bar per label, its threshold marked, the chosen labels highlighted.

Unlike a classifier's probabilities, a multi-label model's sigmoid outputs do
not add up to one: each label is its own yes/no decision against its own
threshold. So every label gets a row (none is summed away into "+N more"), the
threshold is drawn as a tick on the bar, and a label is highlighted exactly
when its probability reaches its tick. Rows are sorted by probability (a chosen
label with a low threshold can sit below one that missed a high threshold).

Built on ``prob_bars.ProbabilityBars`` (its sorting, row geometry, colours and
sizing), so long label names stay readable: elided, in full in the row's tooltip.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.widgets.prob_bars import (
    BAR_COLOR,
    BAR_TOP_COLOR,
    GAP,
    ROW_H,
    TRACK_COLOR,
    VALUE_W,
    ProbabilityBars,
)

_MARK = QColor("#222222")
_CHIP = "#ffd8a8"  # the chosen labels' background: the highlighted bars' orange, lighter


class MultiLabelBars(ProbabilityBars):
    """Rows of (label, probability, threshold); a row is highlighted when probability >= threshold.

    A ``ProbabilityBars`` (its sorting, row geometry and sizing) with a row for every
    label: sigmoid outputs are not shares of one whole, so none is summed into "+N more".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, top=sys.maxsize)
        self._thresholds: list[float] = []  # per row of self._items
        self.setToolTip(
            self.tr(
                "The probability of each label on its own (they need not add up to 100%). The "
                "black tick is the label's threshold; a label reaching its tick is chosen (orange)."
            )
        )

    # ---- data -------------------------------------------------------------------------

    def set_values(
        self, probabilities: Mapping[str, float], thresholds: Mapping[str, float]
    ) -> None:
        self.set_items(probabilities.items())  # sorted, most probable first
        self._thresholds = [float(thresholds.get(name, 0.5)) for name, _ in self._items]

    def clear(self) -> None:
        self.set_values({}, {})

    def rows(self) -> list[tuple[str, float, float]]:
        """(name, probability, threshold) per row, top row first."""
        return [(n, p, t) for (n, p), t in zip(self._items, self._thresholds)]

    def chosen(self) -> list[str]:
        """The highlighted labels, most probable first."""
        return [name for name, p, t in self.rows() if p >= t]

    # ---- drawing ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._items:
            super().paintEvent(event)  # the "no prediction yet" text
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        text_color = self.palette().color(QPalette.ColorRole.WindowText)
        label_w, bar_x, bar_w = self._geometry()
        bold = QFont(self.font())
        bold.setBold(True)
        mark = QPen(_MARK, 2)
        for row, (name, prob, threshold) in enumerate(self.rows()):
            y = GAP + row * (ROW_H + GAP)
            chosen = prob >= threshold
            painter.setFont(bold if chosen else self.font())
            painter.setPen(text_color)
            painter.drawText(
                QRectF(0, y, label_w, ROW_H),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_w),
            )
            # 1. the track, 2. the probability, 3. the threshold tick on top
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK_COLOR)
            painter.drawRoundedRect(QRectF(bar_x, y + 3, bar_w, ROW_H - 6), 3, 3)
            painter.setBrush(BAR_TOP_COLOR if chosen else BAR_COLOR)
            width = max(0.0, min(1.0, prob)) * bar_w
            if width > 0.5:
                painter.drawRoundedRect(QRectF(bar_x, y + 3, width, ROW_H - 6), 3, 3)
            tick = bar_x + max(0.0, min(1.0, threshold)) * bar_w
            painter.setPen(mark)
            painter.drawLine(QPointF(tick, y + 1), QPointF(tick, y + ROW_H - 1))
            painter.setPen(text_color)
            painter.drawText(
                QRectF(bar_x + bar_w + 6, y, VALUE_W, ROW_H),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{prob:.1%}",
            )

    def tooltip_at(self, pos: QPoint) -> str | None:
        """The text shown when hovering ``pos`` (None outside the rows)."""
        row = self._row_at(pos)
        if row is None or row >= len(self._thresholds):
            return None
        name, prob, threshold = self.rows()[row]
        verdict = self.tr("chosen") if prob >= threshold else self.tr("not chosen")
        return self.tr("{name}: probability {p:.4f}, threshold {t:.4f} ({verdict})").format(
            name=name, p=prob, t=threshold, verdict=verdict
        )

    def event(self, event: QEvent) -> bool:
        if event.type() == event.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text is not None:
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().event(event)


class MultiLabelView(QWidget):
    """The chosen labels as a line of chips, above one bar per label (scrolls for many labels)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setToolTip(
            self.tr(
                "The labels whose probability reaches their threshold: the model's answer. "
                "Thresholds were tuned per label on the validation set after training "
                "(0.5 if not)."
            )
        )
        self.bars = MultiLabelBars()
        scroll = QScrollArea()
        scroll.setWidget(self.bars)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.clear()

    def set_result(self, result: Mapping[str, Any]) -> None:
        """Show one ``Predictor.predict`` result of a multi-label model."""
        self.bars.set_values(result["probabilities"], result["thresholds"])
        chosen = [str(n) for n in result.get("labels", [])]
        if chosen:
            chips = " ".join(
                f"<span style='background-color:{_CHIP}; color:#111'>&nbsp;{html.escape(n)}&nbsp;</span>"
                for n in chosen
            )
            count = self.tr("{chosen} of {total} labels").format(
                chosen=len(chosen), total=len(result["probabilities"])
            )
            self.summary.setText(
                f"<p style='font-size:14pt'>{chips}</p><p style='color:#666'>{count}</p>"
            )
        else:
            none, why = self.tr("no label"), self.tr("No label reaches its threshold.")
            self.summary.setText(
                f"<p style='font-size:14pt; color:#666'><i>{none}</i></p>"
                f"<p style='color:#666'>{why}</p>"
            )

    def clear(self) -> None:
        self.bars.clear()
        self.summary.clear()

    def chosen(self) -> list[str]:
        return self.bars.chosen()
