"""Dataset charts: label distribution (bars) and example lengths (histogram with the cut line).

Both are pyqtgraph ``PlotWidget`` s whose plot items live as long as the widget;
new data only calls ``setOpts``/``setData`` on them (pyqtgraph's advice for
cheap redraws). Colours follow the widget palette, so they work on light and
dark themes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.gui.i18n import translate

# More bars than this are unreadable at panel size: the rest are summed into "other".
TOP_N = 30
# Longest tick label in pixels before it is elided with "…" (full name in the tooltip).
_MAX_LABEL_PX = 120.0
# Counts are printed above the bars when there are few enough to fit.
_MAX_COUNT_LABELS = 12

TRAIN_COLOR = "#1f77b4"
VALIDATION_COLOR = "#ff7f0e"
CUT_COLOR = "#d62728"
OTHER_COLOR = "#9e9e9e"
OTHER_LIGHT_COLOR = "#cfcfcf"
# The length units the dataset panel passes (identifiers), translated where they are shown.
_UNITS = (
    QT_TRANSLATE_NOOP("LengthHistogram", "words"),
    QT_TRANSLATE_NOOP("LengthHistogram", "tokens"),
)


def _style_plot(widget: pg.PlotWidget) -> None:
    """Background and axis colours from the Qt palette instead of pyqtgraph's black."""
    pal = widget.palette()
    widget.setBackground(pal.color(QPalette.ColorRole.Base))
    text = pal.color(QPalette.ColorRole.Text)
    item = widget.getPlotItem()
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    widget.setMenuEnabled(False)
    # Drops belong to the panel underneath (open a file by dropping it on the charts too).
    widget.setAcceptDrops(False)


def top_counts(
    counts: Mapping[str, int], validation: Mapping[str, int] | None = None, top: int = TOP_N
) -> tuple[list[str], list[int], list[int]]:
    """(names, train counts, validation counts), largest total first, capped at ``top`` + "other"."""
    names = list(counts)
    for name in validation or {}:
        if name not in counts:
            names.append(name)
    val = validation or {}
    totals = {n: counts.get(n, 0) + val.get(n, 0) for n in names}
    # Stable sort: equal counts keep the label order (negative before positive).
    order = sorted(names, key=lambda n: -totals[n])
    if len(order) > top + 1:  # "other" for a single label would hide nothing
        shown, rest = order[:top], order[top:]
        train = [counts.get(n, 0) for n in shown] + [sum(counts.get(n, 0) for n in rest)]
        vals = [val.get(n, 0) for n in shown] + [sum(val.get(n, 0) for n in rest)]
        other = translate("LabelBarChart", "other ({count} labels)").format(count=len(rest))
        return [*shown, other], train, vals
    return order, [counts.get(n, 0) for n in order], [val.get(n, 0) for n in order]


class CategoryAxis(pg.AxisItem):
    """A bottom axis that writes category names under bars, elided and rotated when crowded.

    pyqtgraph's own tick text cannot rotate and silently drops labels that overlap,
    so the names are drawn here; ticks still come from ``setTicks``.
    """

    def __init__(self) -> None:
        # Set before AxisItem.__init__, which already triggers resizeEvent.
        self._names: list[str] = []
        self._elided: list[str] = []
        self._height: int | None = None
        self.angle = 0  # 0, 45 or 90 degrees, chosen from the space per bar
        super().__init__("bottom")
        self.setStyle(showValues=False, tickLength=4)

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def set_names(self, names: Sequence[str]) -> None:
        self._names = list(names)
        self.setTicks([[(i, name) for i, name in enumerate(self._names)], []])
        self._relayout()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self._relayout()

    def _metrics(self) -> QFontMetricsF:
        font = self.style.get("tickFont") or self.font()
        return QFontMetricsF(font)

    def _relayout(self) -> None:
        """Pick the angle that fits the names and the axis height that fits the angle."""
        fm = self._metrics()
        self._elided = [
            fm.elidedText(n, Qt.TextElideMode.ElideRight, _MAX_LABEL_PX) for n in self._names
        ]
        n = max(1, len(self._names))
        spacing = max(1.0, self.width()) / n
        widest = max((fm.horizontalAdvance(t) for t in self._elided), default=0.0)
        line = fm.height()
        if widest + 8 <= spacing:
            angle, height = 0, line
        elif spacing >= line * 1.6:  # 45 degree labels need ~1.4 lines between bars
            angle, height = 45, (widest + line) * math.sqrt(0.5)
        else:
            angle, height = 90, widest
        self.angle = angle
        new_height = int(height + line * 0.5 + 12)
        if new_height != self._height:  # setHeight re-lays out the plot: only on change
            self._height = new_height
            self.setHeight(new_height)
        self.picture = None  # the cached drawing uses the old layout
        self.update()

    def drawPicture(self, p: QPainter, axisSpec, tickSpecs, textSpecs) -> None:
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)
        view = self.linkedView()
        if view is None or not self._names:
            return
        fm = self._metrics()
        p.setFont(self.style.get("tickFont") or self.font())
        p.setPen(self.textPen())
        p.setClipping(False)
        line = fm.height()
        top = 4.0 + 4.0  # tick length + gap
        n = len(self._names)
        spacing = max(1.0, self.width()) / n
        for i, text in enumerate(self._elided):
            x = self.mapFromScene(view.mapViewToScene(QPointF(i, 0))).x()
            if x < -1 or x > self.width() + 1:
                continue
            if self.angle == 0:
                p.drawText(
                    QRectF(x - spacing / 2, top, spacing, line),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    text,
                )
                continue
            width = fm.horizontalAdvance(text) + 2
            p.save()
            # Text ends at the tick and runs down-left (45) or straight down (90).
            p.translate(x, top + (line * 0.35 if self.angle == 45 else 0))
            p.rotate(-self.angle)
            p.drawText(
                QRectF(-width, -line / 2, width, line),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            p.restore()


class _TitledPlot(QWidget):
    """A ``PlotWidget`` under a word-wrapped QLabel title.

    pyqtgraph's own title is a fixed-height item whose minimum width is the whole
    text, so a long title widens the plot past the widget and gets clipped.
    """

    def __init__(self, parent: QWidget | None, **plot_kwargs: object) -> None:
        super().__init__(parent)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        self.plot = pg.PlotWidget(**plot_kwargs)
        _style_plot(self.plot)
        self._text_color = self.plot.palette().color(QPalette.ColorRole.Text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.plot, 1)
        self.setAcceptDrops(False)
        # Shown instead of empty axes (0..1 ticks mean nothing) while there is no data.
        self._placeholder = pg.TextItem("", color=self._text_color, anchor=(0.5, 0.5))
        self.plot.addItem(self._placeholder, ignoreBounds=True)
        self._placeholder.setPos(0.5, 0.5)

    def _set_empty(self, message: str | None) -> None:
        """Hide the axes and show ``message`` in the middle, or restore the axes (None)."""
        item = self.plot.getPlotItem()
        empty = message is not None
        for name in ("left", "bottom"):
            item.showAxis(name, not empty)
        item.showGrid(y=not empty, alpha=0.2)
        self._placeholder.setText(message or "")
        self._placeholder.setVisible(empty)
        if empty:
            self.plot.setXRange(0, 1, padding=0)
            self.plot.setYRange(0, 1, padding=0)

    @property
    def title_text(self) -> str:
        return self.title_label.text()

    def setToolTip(self, text: str) -> None:
        super().setToolTip(text)
        self.plot.setToolTip(text)


class LabelBarChart(_TitledPlot):
    """How many examples each label has: training bars with validation stacked on top."""

    _TOOLTIP = QT_TRANSLATE_NOOP(
        "LabelBarChart",
        "Examples per label: training split, with the validation examples stacked on top",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        self.category_axis = CategoryAxis()
        super().__init__(parent, axisItems={"bottom": self.category_axis})
        text = self._text_color
        self.category_axis.setPen(pg.mkPen(text))
        self.category_axis.setTextPen(pg.mkPen(text))
        item = self.plot.getPlotItem()
        item.setLabel("left", self.tr("examples"))
        item.showGrid(y=True, alpha=0.2)
        self.plot.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self._train_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=TRAIN_COLOR, pen=None)
        self._val_bars = pg.BarGraphItem(
            x=[], height=[], width=0.7, brush=VALIDATION_COLOR, pen=None
        )
        self.plot.addItem(self._train_bars)
        self.plot.addItem(self._val_bars)
        # The legend lives in the title: a LegendItem inside the plot covers the bars.
        self._count_labels: list[pg.TextItem] = []
        self._names: list[str] = []
        self._train: list[int] = []
        self._val: list[int] = []
        self._other = False
        self.plot.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.setToolTip(self.tr(self._TOOLTIP))
        self.set_counts({})

    # ------------------------------------------------------------------ data
    def names(self) -> list[str]:
        """Names of the bars shown, left to right (may end with "other (k labels)")."""
        return list(self._names)

    def totals(self) -> list[int]:
        """Train + validation count of each bar shown."""
        return [t + v for t, v in zip(self._train, self._val)]

    def set_counts(
        self,
        counts: Mapping[str, int],
        validation: Mapping[str, int] | None = None,
        *,
        title: str | None = None,
    ) -> None:
        if title is None:
            title = self.tr("Label distribution")
        names, train, val = top_counts(counts, validation)
        n_labels = len(set(counts) | set(validation or {}))
        self._other = len(names) < n_labels  # the last bar sums the labels not shown
        self._names, self._train, self._val = names, train, val
        x = np.arange(len(names), dtype=float)
        train_brushes = [TRAIN_COLOR] * len(names)
        val_brushes = [VALIDATION_COLOR] * len(names)
        if self._other:
            train_brushes[-1], val_brushes[-1] = OTHER_COLOR, OTHER_LIGHT_COLOR
        self._train_bars.setOpts(
            x=x, height=np.asarray(train, dtype=float), width=0.7, brushes=train_brushes
        )
        self._val_bars.setOpts(
            x=x,
            y0=np.asarray(train, dtype=float),
            height=np.asarray(val, dtype=float),
            width=0.7,
            brushes=val_brushes,
        )
        title = f"<b>{title}</b>"
        if any(val):
            train_word, validation_word = self.tr("train"), self.tr("validation")
            title += (
                f"&nbsp;&nbsp;<span style='color:{TRAIN_COLOR}'>■</span> {train_word}"
                f"&nbsp;&nbsp;<span style='color:{VALIDATION_COLOR}'>■</span> {validation_word}"
            )
        self.title_label.setText(title)
        self.category_axis.set_names(names)
        self._set_empty(None if names else self.tr("No labels to show"))
        for label in self._count_labels:
            self.plot.removeItem(label)
        self._count_labels = []
        totals = [t + v for t, v in zip(train, val)]
        shown = totals[:-1] if self._other else totals
        # Scale to the real labels: "other" sums dozens of them and would flatten every bar.
        top = max(shown, default=0) or max(totals, default=0) or 1
        y_max = top * 1.15
        if not names:
            return
        if 0 < len(names) <= _MAX_COUNT_LABELS:
            for i, total in enumerate(totals):
                self._add_count_label(f"{total:,}", i, total, anchor=(0.5, 1.0))
        if self._other and totals[-1] > y_max:
            # Clipped at the top of the plot: say how tall it really is.
            self._add_count_label(f"{totals[-1]:,} ↑", len(names) - 1, y_max, anchor=(1.0, 0.0))
        self.plot.setXRange(-0.6, max(len(names), 1) - 0.4, padding=0)
        self.plot.setYRange(0, y_max, padding=0)

    def _add_count_label(self, text: str, x: float, y: float, anchor: tuple[float, float]) -> None:
        label = pg.TextItem(text, color=self._text_color, anchor=anchor)
        label.setPos(x, y)
        self.plot.addItem(label)
        self._count_labels.append(label)

    # ------------------------------------------------------------------ hover
    def _on_scene_mouse_moved(self, pos: QPointF) -> None:
        if not self._names:
            return
        x = self.plot.getPlotItem().vb.mapSceneToView(pos).x()
        i = round(x)
        if 0 <= i < len(self._names) and abs(x - i) <= 0.45:
            t, v = self._train[i], self._val[i]
            tip = self.tr("{label}: {count} examples").format(
                label=self._names[i], count=f"{t + v:,}"
            )
            if v:
                tip += " " + self.tr("({train} train, {validation} validation)").format(
                    train=f"{t:,}", validation=f"{v:,}"
                )
            if self._other and i == len(self._names) - 1:
                tip += "\n" + self.tr(
                    "The {top} largest labels have bars of their own; this one sums the rest."
                ).format(top=TOP_N)
            self.plot.setToolTip(tip)
        else:
            self.plot.setToolTip(self.tr(self._TOOLTIP))


class LengthHistogram(_TitledPlot):
    """Lengths of the training examples with a vertical cut line at ``max_length``.

    Bars beyond the line (examples that will be truncated) are drawn in red and
    stacked separately, so the red area is exactly the truncated examples.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = self.plot.getPlotItem()
        item.setLabel("left", self.tr("examples"))
        item.setLabel("bottom", self.tr("length"))
        item.showGrid(y=True, alpha=0.2)
        item.hideButtons()
        self.plot.setMouseEnabled(x=True, y=False)
        self._kept = pg.BarGraphItem(x=[], height=[], width=1, brush=TRAIN_COLOR, pen=None)
        self._cut = pg.BarGraphItem(x=[], height=[], width=1, brush=CUT_COLOR, pen=None)
        self.plot.addItem(self._kept)
        self.plot.addItem(self._cut)
        self._line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(CUT_COLOR, width=2, style=Qt.PenStyle.DashLine),
        )
        self.plot.addItem(self._line, ignoreBounds=True)
        self._line.setVisible(False)
        # A plain TextItem, not InfiniteLine's label: that one measures its text before it
        # is first shown and ends up straddling the line.
        self._line_label = pg.TextItem(color=QColor(CUT_COLOR), anchor=(1.0, 0.0))
        self.plot.addItem(self._line_label, ignoreBounds=True)
        self._line_label.setVisible(False)
        self._lengths = np.zeros(0, dtype=np.int64)
        self._unit = "words"
        self.max_length: int | None = None
        self.truncated: int | None = None
        self.truncated_share: float | None = None
        self.setToolTip(
            self.tr(
                "How long the training examples are. The dashed line is max_length: "
                "red bars are examples that will be cut to it."
            )
        )
        self._update_plot()

    @property
    def lengths(self) -> np.ndarray:
        return self._lengths

    @property
    def axis_label(self) -> str:
        return self.plot.getPlotItem().getAxis("bottom").labelText

    def set_lengths(
        self,
        lengths: Sequence[int] | np.ndarray,
        *,
        unit: str = "words",
        axis_label: str | None = None,
        max_length: int | None = None,
    ) -> None:
        self._lengths = np.asarray(lengths, dtype=np.int64)
        self._unit = unit
        if max_length is not None:
            self.max_length = max_length
        self.plot.getPlotItem().setLabel(
            "bottom", axis_label or self.tr("length in {unit}").format(unit=self.tr(unit))
        )
        self._update_plot(rescale=True)

    def set_max_length(self, n: int | None) -> None:
        self.max_length = n
        self._update_plot(rescale=True)

    def clear_lengths(self, message: str | None = None) -> None:
        self._lengths = np.zeros(0, dtype=np.int64)
        self._update_plot(rescale=True, empty_title=message)

    # ------------------------------------------------------------------ drawing
    def _bin_width(self, upper: float) -> int:
        return max(1, math.ceil(upper / 60))  # about 60 bars at most: readable at any width

    def _update_plot(self, rescale: bool = True, empty_title: str | None = None) -> None:
        lengths = self._lengths
        ml = self.max_length
        if lengths.size == 0:
            self._kept.setOpts(x=[], height=[])
            self._cut.setOpts(x=[], y0=[], height=[])  # y0 too: its old length would not match
            self._line.setVisible(False)
            self.truncated = self.truncated_share = None
            self._line_label.setVisible(False)
            empty_title = empty_title or self.tr("Example lengths")
            self.title_label.setText(f"<b>{empty_title}</b>")
            self._set_empty(self.tr("No examples to measure"))
            return
        self._set_empty(None)
        longest = int(lengths.max())
        # Long tails would squash the bulk into one bar: then the view (and bin size) stop a
        # little past the 99.5th percentile; otherwise every bar is shown. The cut line is
        # included when it is near the data; far beyond it (nothing truncated) it would
        # squash the bars instead.
        bulk = max(float(np.percentile(lengths, 99.5)) * 1.15, 8.0)
        view_upper = longest + 1.0 if longest + 1 <= 2 * bulk else bulk
        if ml is not None and ml <= max(longest, view_upper) * 1.5:
            view_upper = max(view_upper, ml * 1.08)
        width = self._bin_width(view_upper)
        if view_upper >= longest:  # the whole last bar, not half of it
            view_upper = max(view_upper, (longest // width + 1) * width)
        bins = np.arange(0, longest // width + 2) * width
        if ml is not None:
            over = lengths > ml
            kept_counts = np.bincount(lengths[~over] // width, minlength=len(bins))[: len(bins)]
            cut_counts = np.bincount(lengths[over] // width, minlength=len(bins))[: len(bins)]
            self.truncated = int(over.sum())
            self.truncated_share = self.truncated / lengths.size
        else:
            kept_counts = np.bincount(lengths // width, minlength=len(bins))[: len(bins)]
            cut_counts = np.zeros_like(kept_counts)
            self.truncated = self.truncated_share = None
        centers = bins + width / 2
        bar = width * 0.9
        self._kept.setOpts(x=centers, height=kept_counts.astype(float), width=bar)
        self._cut.setOpts(
            x=centers, y0=kept_counts.astype(float), height=cut_counts.astype(float), width=bar
        )
        self.title_label.setText(self._title())
        if rescale:
            self.plot.setXRange(0, view_upper, padding=0.02)
        top = float((kept_counts + cut_counts).max()) if kept_counts.size else 1.0
        y_max = top * 1.1 or 1.0
        self.plot.setYRange(0, y_max, padding=0)
        self._line.setVisible(ml is not None)
        self._line_label.setVisible(ml is not None)
        if ml is not None:
            self._line.setValue(ml)
            x_min, x_max = self.plot.getPlotItem().vb.viewRange()[0]
            # Left of the line, unless that would run off the left edge of the view.
            left = ml - x_min > 0.3 * (x_max - x_min)
            self._line_label.setAnchor((1.0, 0.0) if left else (0.0, 0.0))
            self._line_label.setText(f"max_length {ml}")
            self._line_label.setPos(ml, y_max)

    def _title(self) -> str:
        n = self._lengths.size
        p50 = float(np.median(self._lengths))
        head = self.tr("{count} training examples, median {median} {unit}").format(
            count=f"<b>{n:,}</b>", median=f"{p50:g}", unit=self.tr(self._unit)
        )
        if self.max_length is None or self.truncated_share is None:
            return head
        share = self.truncated_share
        if not self.truncated:
            return f"{head} · " + self.tr("none longer than max_length {max_length}").format(
                max_length=self.max_length
            )
        color = CUT_COLOR if share >= 0.05 else self._text_color.name()
        truncated = self.tr("{share} ({count}) truncated at max_length {max_length}").format(
            share=f"<b>{share:.1%}</b>", count=f"{self.truncated:,}", max_length=self.max_length
        )
        return f"{head} · <span style='color:{color}'>{truncated}</span>"
