"""Live training curves: loss (raw and smoothed) with validation loss, the main metric, the learning rate.

Points arrive far faster than a screen can show them, so ``append_*`` only
stores them in growing numpy buffers and marks the plot dirty; a timer redraws
at most ``MAX_REDRAWS_PER_S`` times a second with ``setData`` on plot items that
live for the whole run. Downsampling ("peak") and clip-to-view keep hundreds of
thousands of points smooth.

Finished runs can be overlaid for comparison (a BiLSTM baseline beside a
transformer, say): ``read_run_history`` turns a run folder's ``metrics.jsonl``
into arrays (in a worker: the file grows by a line per step), and
``TrainingCurves.add_history`` draws them dashed, labelled with the run's folder
name. A new run turns the previous one into a faded overlay named the same way.

The legends sit in a row under each plot, never over the curves. Evaluations
outside the eval_every schedule (an epoch's end, the run's end) get a hollow
diamond instead of a dot, explained by one legend entry.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.engine.generation_metrics import PERCENT_METRICS
from workbench.engine.runs import model_label
from workbench.gui.i18n import translate

MAX_REDRAWS_PER_S = 10
# A dense curve (loss, smoothed loss, learning rate) is drawn from at most this many min-max
# buckets per pixel column of its plot... one bucket per pixel: two points per pixel at most.
MIN_BUCKETS = 256  # a plot not laid out yet (width 0) still gets a fair picture
# Smoothing of the raw training loss (exponential moving average weight).
SMOOTHING = 0.9
# Colours: current run saturated, overlaid earlier runs faded.
_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
# Room around a legend entry (its line sample, gaps) besides its text, in pixels.
_LEGEND_ENTRY_MARGIN = 40
# The most of a plot's height its legend may take (a small window shows "+N more").
_LEGEND_MAX_SHARE = 0.35
# EvalDone.reason of the evaluations eval_every asked for; any other reason is an extra point.
SCHEDULED = "scheduled"
# Metrics that live in [0, 1] (fractions): one point shows on [0, 1], not on a range made up around it.
_UNBOUNDED_METRICS = ("loss", "perplexity")
# Readable names of the engine's metric keys (without "eval_"), translated where shown;
# a key not listed here is shown as it is, underscores as spaces.
_METRIC_LABELS = {
    "loss": QT_TRANSLATE_NOOP("TrainingCurves", "loss"),
    "accuracy": QT_TRANSLATE_NOOP("TrainingCurves", "accuracy"),
    "precision": QT_TRANSLATE_NOOP("TrainingCurves", "precision"),
    "recall": QT_TRANSLATE_NOOP("TrainingCurves", "recall"),
    "f1": QT_TRANSLATE_NOOP("TrainingCurves", "f1"),
    "f1_micro": QT_TRANSLATE_NOOP("TrainingCurves", "f1 micro"),
    "f1_macro": QT_TRANSLATE_NOOP("TrainingCurves", "f1 macro"),
    "entity_f1": QT_TRANSLATE_NOOP("TrainingCurves", "entity f1"),
    "f1_weighted": QT_TRANSLATE_NOOP("TrainingCurves", "f1 weighted"),
    "subset_accuracy": QT_TRANSLATE_NOOP("TrainingCurves", "subset accuracy"),
    "exact": QT_TRANSLATE_NOOP("TrainingCurves", "exact match"),
    "perplexity": QT_TRANSLATE_NOOP("TrainingCurves", "perplexity"),
    "masked_accuracy": QT_TRANSLATE_NOOP("TrainingCurves", "masked accuracy"),
    "next_token_accuracy": QT_TRANSLATE_NOOP("TrainingCurves", "next token accuracy"),
    "nsp_accuracy": QT_TRANSLATE_NOOP("TrainingCurves", "nsp accuracy"),
    "unigram_masked_accuracy": QT_TRANSLATE_NOOP("TrainingCurves", "unigram masked accuracy"),
    "unigram_next_token_accuracy": QT_TRANSLATE_NOOP("TrainingCurves", "unigram next token accuracy"),
    "unigram_perplexity": QT_TRANSLATE_NOOP("TrainingCurves", "unigram perplexity"),
}


def metric_label(name: str) -> str:
    """How a metric key ("eval_f1_micro") is named on screen: "f1 micro", in the interface language."""
    key = name.removeprefix("eval_")
    if key in _METRIC_LABELS:
        return translate("TrainingCurves", _METRIC_LABELS[key])
    return key.replace("_", " ")


class Series:
    """An append-only (x, y) buffer that doubles its capacity as it grows."""

    def __init__(self, capacity: int = 1024) -> None:
        self._x = np.empty(capacity, dtype=np.float64)
        self._y = np.empty(capacity, dtype=np.float64)
        self.n = 0
        self.version = 0  # counts changes: a redraw skips a series that has not changed

    def append(self, x: float, y: float) -> None:
        if self.n == len(self._x):
            self._x = np.resize(self._x, 2 * self.n)
            self._y = np.resize(self._y, 2 * self.n)
        self._x[self.n] = x
        self._y[self.n] = y
        self.n += 1
        self.version += 1

    def extend(self, xs: np.ndarray, ys: np.ndarray) -> None:
        """Append many points at once (numpy copies, no Python loop per point)."""
        count = len(xs)
        if self.n + count > len(self._x):
            capacity = max(2 * len(self._x), self.n + count)
            self._x = np.resize(self._x, capacity)
            self._y = np.resize(self._y, capacity)
        self._x[self.n: self.n + count] = xs
        self._y[self.n: self.n + count] = ys
        self.n += count
        self.version += 1

    def drop_after(self, x: float) -> None:
        """Forget the points past ``x`` (the points arrive in order of x)."""
        self.n = int(np.searchsorted(self.x, x, side="right"))
        self.version += 1

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]


_BLOCK = 64  # values per block of smoothed(): a 64 x 64 matrix product


def smoothed(values: np.ndarray, weight: float = SMOOTHING, start: float | None = None) -> np.ndarray:
    """The exponential moving average ``e = weight * e + (1 - weight) * v`` over ``values``, vectorised.

    ``start`` is the average before the first value (None: it starts at the first value, as
    ``RunCurves.add_step`` does). The recursion runs within blocks of ``_BLOCK`` values as one
    matrix product; the blocks' carries decay by ``weight ** _BLOCK`` per block, a short
    convolution. Equal to the step-by-step loop to rounding (tests/gui/test_big_data_bounded.py).
    """
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    if n == 0:
        return values.copy()
    carry0 = float(values[0]) if start is None else float(start)
    b = _BLOCK
    m = -(-n // b)
    blocks = np.zeros(m * b)
    blocks[:n] = values
    blocks = blocks.reshape(m, b)
    k = np.arange(b)
    lags = k[:, None] - k[None, :]
    powers = np.where(lags >= 0, weight ** np.clip(lags, 0, None), 0.0)  # (b, b) lower triangular
    local = blocks @ ((1.0 - weight) * powers).T  # each block from a zero start
    # The average entering block j: c_j = local[j-1, -1] + r c_{j-1}, with r = weight ** b.
    r = weight ** b
    taps = max(1, int(np.ceil(np.log(1e-20) / np.log(r)))) if 0.0 < r < 1.0 else m
    kernel = r ** np.arange(min(taps, m))
    entering = np.empty(m)
    entering[0] = carry0
    if m > 1:
        entering[1:] = np.convolve(local[:-1, -1], kernel)[: m - 1] + carry0 * r ** np.arange(1, m)
    out = local + entering[:, None] * weight ** (k + 1)[None, :]
    return out.reshape(-1)[:n]



def decimate(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``2 * buckets + 2`` of the points, chosen so the drawn line looks the same: the
    first and last point, and each bucket's lowest and highest point at their own x (min-max
    decimation). Every point returned is one of the data's; ``x`` is in increasing order."""
    n = len(x)
    if n <= 2 * buckets + 2:
        return x, y
    size = -(-n // buckets)
    full = n // size
    chunks = y[: full * size].reshape(full, size)
    base = np.arange(full) * size
    picks = [np.array([0, n - 1]), base + np.argmin(chunks, axis=1), base + np.argmax(chunks, axis=1)]
    if full * size < n:  # the last, shorter bucket
        tail = y[full * size:]
        picks.append(np.array([full * size + int(np.argmin(tail)), full * size + int(np.argmax(tail))]))
    index = np.unique(np.concatenate(picks))
    return x[index], y[index]


class _LegendRow(pg.LegendItem):
    """A legend laid out under the plot's x axis, in as many columns as fit, so it never hides a curve.

    pyqtgraph's own legend floats over the view box; this one is a cell of the
    PlotItem's grid layout and asks the layout for its size instead of placing itself.
    In a small window it shows the first entries and "+N more" rather than squeeze the curves.
    """

    def __init__(self) -> None:
        super().__init__(offset=None, colCount=1, labelTextSize="8pt", verSpacing=-6)
        # Laid out by the plot, drawn at the plot's scale (pyqtgraph's floats ignore it).
        self.setFlag(self.GraphicsItemFlag.ItemIgnoresTransformations, False)
        self.frame = False
        self._width = 0.0  # the view box's width: what the entries may span
        self._height = 0.0  # the whole plot's height: the legend takes at most a share of it
        self.shown = 0  # entries laid out; the rest are summed up in the "+N more" label
        self._deferred = 0  # depth of deferred(): no layout pass per entry while > 0
        self.fits = 0  # layout passes, counted so tests can check a rebuild costs one
        self.more = pg.LabelItem("", size="8pt", justify="left", color="#666666")  # "+N more"
        self.more.setParentItem(self)
        self.more.hide()

    def updateSize(self) -> None:  # pyqtgraph's name: called after every added or removed entry
        if not self._deferred:  # inside deferred(): one layout pass at its end, not one per entry
            self.fit()

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Add and remove entries without a layout pass each (a pass costs one per entry): one at the end."""
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1
            if not self._deferred:
                self.fit()

    def set_entries(self, entries: list[tuple[Any, str]]) -> None:
        """Show exactly ``entries`` (plot item, text), in this order, with one layout pass.

        An entry already shown keeps its sample and label (a new label lays its text out,
        and a hidden curve stays hidden); only the new ones are made, the others dropped.
        """
        wanted = [(id(item), text) for item, text in entries]
        if wanted == [(id(sample.item), label.text) for sample, label in self.items]:
            return
        shown: dict[tuple[int, str], list[tuple[Any, Any]]] = {}
        for sample, label in self.items:
            shown.setdefault((id(sample.item), label.text), []).append((sample, label))
        kept: list[tuple[Any, Any]] = []
        with self.deferred():
            for (item, text), key in zip(entries, wanted):
                if shown.get(key):
                    kept.append(shown[key].pop(0))
                else:
                    super().addItem(item, text)  # pyqtgraph's: appends the new pair to self.items
                    kept.append(self.items.pop())
            for pairs in shown.values():
                for sample, label in pairs:
                    self._removeItemFromLayout(sample, label)
            self.items = kept

    def _removeItemFromLayout(self, *items: Any) -> None:  # pyqtgraph's, for an entry taken out
        # As pyqtgraph's, but an entry beyond "+N more" is in no layout cell (Qt warns on removing it).
        for item in items:
            for k in range(self.layout.count()):
                if self.layout.itemAt(k) is item:
                    self.layout.removeAt(k)
                    break
            item.close()
            scene = item.scene()
            if scene:  # PySide does not take a closed item out of its scene (pyqtgraph's note: a leak)
                scene.removeItem(item)

    def sizeHint(self, which: Any, constraint: Any = None) -> Any:  # Qt's name
        hint = super().sizeHint(which, constraint) if constraint is not None else super().sizeHint(which)
        if which == pg.QtCore.Qt.SizeHint.MinimumSize:
            hint.setWidth(0)  # entries wrap into more rows (fit): the legend never widens the plot
        return hint

    def fit(self, width: float | None = None, height: float | None = None) -> None:
        """Lay the entries out in as many columns as fit in ``width`` pixels, in rows taking at
        most a share of the plot's ``height``."""
        if width is not None:
            self._width = width
        if height is not None:
            self._height = height
        self.fits += 1
        layout = self.layout
        for k in reversed(range(layout.count())):
            layout.removeAt(k)
        self.more.hide()
        n = len(self.items)
        if n:
            widths = [label.item.boundingRect().width() + _LEGEND_ENTRY_MARGIN for _sample, label in self.items]
            columns = 1
            for c in range(n, 1, -1):  # each column as wide as its widest entry
                if sum(max(widths[k::c]) for k in range(c)) <= self._width:
                    columns = c
                    break
            self.columnCount = columns
            row = max(label.item.boundingRect().height() for _sample, label in self.items) or 1.0
            rows = max(1, int(_LEGEND_MAX_SHARE * self._height // row)) if self._height > 0 else n
            self.shown = n if math.ceil(n / columns) <= rows else max(rows * columns - 1, 0)
            for k, (sample, label) in enumerate(self.items):
                sample.setVisible(k < self.shown)
                label.setVisible(k < self.shown)
                if k < self.shown:
                    r, c = divmod(k, columns)
                    layout.addItem(sample, r, 2 * c, alignment=pg.QtCore.Qt.AlignmentFlag.AlignVCenter)
                    layout.addItem(label, r, 2 * c + 1)
            if self.shown < n:  # the names are in the overlay menu and the run's folder
                self.more.setText(translate("TrainingCurves", "+{count} more").format(count=n - self.shown))
                self.more.show()
                r, c = divmod(self.shown, columns)
                layout.addItem(self.more, r, 2 * c, 1, 2)
        layout.invalidate()
        self.updateGeometry()
        layout.activate()  # place the entries now, not at (0, 0) until the next layout pass


def _plot(title: str, y_label: str) -> pg.PlotItem:
    item = pg.PlotItem(title=title)
    item.setLabel("bottom", translate("TrainingCurves", "step"))
    item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.2)
    # No pyqtgraph downsampling: its "peak" mode drops the last points and merges evaluation
    # markers; the dense curves are decimated by RunCurves.redraw instead (every point kept
    # in the series, at most two per pixel drawn, the visible range again after a zoom).
    item.setDownsampling(auto=False)
    item.setClipToView(False)
    # The legend is a row under the x axis (row 4 of PlotItem's grid: title, top axis,
    # view box, bottom axis); plot(name=...) still adds its entries, as to a floating one.
    legend = _LegendRow()
    item.layout.addItem(legend, 4, 1)
    item.layout.setRowStretchFactor(4, 0)
    item.legend = legend
    legend.setToolTip(translate(
        "TrainingCurves",
        "Click an entry to hide or show its curve. Solid: the run in progress (or the last one); faded: "
        "earlier runs of this session; dashed: runs opened from a folder, named after it. A hollow "
        "diamond is an evaluation off the eval_every schedule: at the end of an epoch or of the run.",
    ))
    item.getViewBox().sigResized.connect(lambda vb: legend.fit(width=vb.width()))
    item.geometryChanged.connect(lambda: legend.fit(height=item.geometry().height()))
    # Show losses as 0.69, not "690 (x0.001)".
    item.getAxis("left").enableAutoSIPrefix(False)
    return item


@dataclass(eq=False)  # eq=False: numpy arrays have no single truth value
class RunHistory:
    """The curves of a finished (or stopped) run, read from its ``metrics.jsonl``."""

    folder: str
    model: str  # the model spec from the run's config.json ("bilstm", a folder, a hub id); "" if unknown
    task: str
    steps: np.ndarray  # (N,) optimizer steps with a logged training loss
    loss: np.ndarray  # (N,) training loss
    lr_steps: np.ndarray  # (M,)
    lr: np.ndarray  # (M,)
    eval_steps: np.ndarray  # (K,)
    # Every numeric eval_* metric over the K evaluations (NaN where one evaluation lacks it).
    eval_metrics: dict[str, np.ndarray] = field(default_factory=dict)
    # (K,) why each evaluation happened (EvalDone.reason); "scheduled" in logs older than the field.
    eval_reasons: list[str] = field(default_factory=list)

    def metric(self, name: str) -> np.ndarray:
        return self.eval_metrics.get(name, np.full(len(self.eval_steps), np.nan))

    def reason(self, k: int) -> str:
        return self.eval_reasons[k] if k < len(self.eval_reasons) else SCHEDULED


def run_display_name(folder: str | Path, model: str = "") -> str:
    """How a run is named in legends: its folder's name, plus its model when the name does not say it.

    New runs' folders are named after their model ("bert-tiny-20250101-120000"), so
    mostly the folder name alone; "baseline · bilstm" for a folder named by hand.
    """
    name = Path(folder).name or str(folder)
    label = model_label(model) if model else ""
    if label and label.lower() not in name.lower():
        return f"{name} · {label}"
    return name


def read_run_history(folder: str | Path) -> RunHistory:
    """Read a run folder's curves (worker thread: parsing a long run's log takes a while)."""
    from workbench.engine.errors import CheckpointError
    from workbench.engine.runs import JsonLines, RunFolder, iter_json_lines, read_run_config

    run = RunFolder(folder)
    if not run.metrics_path.is_file():
        raise CheckpointError(
            f"{folder}: there is no metrics.jsonl here, so this is not a workbench run folder "
            "(choose the folder that holds config.json, metrics.jsonl and model/)."
        )
    config = read_run_config(folder)  # {} if unreadable: curves alone still tell a story (legend: the folder name)
    # Straight into flat float arrays, a record at a time: no list of 300,000 records, and no
    # list of Python floats to convert at the end (each a long hold of the GIL, which the
    # window's thread needs to draw).
    steps, loss, lr_steps, lr, eval_steps = (array("d") for _ in range(5))
    evals: list[tuple[dict[str, Any], str]] = []  # (metrics, reason)
    for record in iter_json_lines(run.metrics_path, JsonLines([])):
        kind, step = record.get("event"), record.get("step")
        if kind == "train_begin" and isinstance(record.get("start_step"), int):
            # A resume (perhaps from an older checkpoint): the log is append-only, so the
            # steps after the resume point that an earlier attempt logged are history now.
            start = record["start_step"]
            for xs, ys in ((steps, loss), (lr_steps, lr), (eval_steps, evals)):
                keep = bisect_right(xs, start)  # steps are logged in order
                del xs[keep:], ys[keep:]
            continue
        if not isinstance(step, (int, float)):
            continue
        if kind == "step":
            if _finite(record.get("loss")):
                steps.append(step)
                loss.append(record["loss"])
            if _finite(record.get("learning_rate")):
                lr_steps.append(step)
                lr.append(record["learning_rate"])
        elif kind == "eval" and isinstance(record.get("metrics"), dict):
            reason = record.get("reason")
            entry = (record["metrics"], reason if isinstance(reason, str) else SCHEDULED)
            if eval_steps and eval_steps[-1] == step:
                evals[-1] = entry  # the same step evaluated again (a resume at the run's end): one point
                continue
            eval_steps.append(step)
            evals.append(entry)
    if not steps and not eval_steps:
        raise CheckpointError(f"{run.metrics_path}: holds no training steps yet, so there is no curve to draw.")
    names = sorted({k for m, _ in evals for k, v in m.items() if k.startswith("eval_") and _finite(v)})
    metrics = {
        name: np.array([m[name] if _finite(m.get(name)) else np.nan for m, _ in evals], dtype=np.float64)
        for name in names
    }
    return RunHistory(
        str(folder), str(config.get("model") or ""), str(config.get("task") or ""),
        *(np.frombuffer(xs, dtype=np.float64).copy() for xs in (steps, loss, lr_steps, lr, eval_steps)),
        metrics, [reason for _, reason in evals],
    )


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _extra_marker(pen: Any) -> dict[str, Any]:
    """The marker of an evaluation outside the schedule: a hollow diamond, larger than the dots it covers."""
    return {"pen": None, "symbol": "d", "symbolSize": 10, "symbolPen": pen, "symbolBrush": pg.mkBrush("w")}


class RunCurves:
    """The plot items of one run (the current one, or an overlaid earlier one)."""

    def __init__(
        self, curves: TrainingCurves, name: str, color: str, faded: bool, *, dashed: bool = False,
        folder: str | None = None,
    ) -> None:
        self.name = name
        self.folder = folder  # the run folder (an overlay's, or the live run's output); None if unknown
        self.dashed = dashed
        self.loss = Series()
        self.smooth = Series()
        self.val_loss = Series()
        self.metric = Series()
        self.lr = Series()
        # The evaluations outside the eval_every schedule, drawn again on top with another marker.
        self.val_loss_extra = Series(16)
        self.metric_extra = Series(16)
        self._ema: float | None = None
        self._drawn: dict[str, Any] = {}  # what each item was last given (skip unchanged overlays)
        self.items = {
            "loss": curves.loss_plot.plot(),
            "smooth": curves.loss_plot.plot(),
            "val_loss": curves.loss_plot.plot(symbol="o", symbolSize=6),
            "metric": curves.metric_plot.plot(symbol="o", symbolSize=6),
            "lr": curves.lr_plot.plot(),
            # No legend entries: one shared entry per plot explains the marker.
            "val_loss_extra": curves.loss_plot.plot(**_extra_marker(None)),
            "metric_extra": curves.metric_plot.plot(**_extra_marker(None)),
        }
        self.style(color, faded)

    def legend_names(self) -> dict[str, str]:
        """The legend entry of each named item; the live run (no name) is "train loss" and "this run"."""
        name = self.name
        if name:
            return {
                "smooth": translate("TrainingCurves", "train loss ({run})").format(run=name),
                "val_loss": translate("TrainingCurves", "validation loss ({run})").format(run=name),
                "metric": name,
            }
        return {
            "smooth": translate("TrainingCurves", "train loss"),
            "val_loss": translate("TrainingCurves", "validation loss"),
            "metric": translate("TrainingCurves", "this run"),
        }

    def style(self, color: str, faded: bool) -> None:
        """Saturated for the current run; faded for an earlier one shown for comparison."""
        base = pg.mkColor(color)
        base.setAlpha(120 if faded else 255)
        raw = pg.mkColor(color)
        raw.setAlpha(40 if faded else 70)
        self.items["loss"].setPen(pg.mkPen(raw, width=1))
        self.items["smooth"].setPen(pg.mkPen(base, width=2))
        self.items["val_loss"].setPen(pg.mkPen(base, width=2, style=pg.QtCore.Qt.PenStyle.DashLine))
        self.items["val_loss"].setSymbolBrush(base)
        self.items["metric"].setPen(pg.mkPen(base, width=2))
        self.items["metric"].setSymbolBrush(base)
        self.items["lr"].setPen(pg.mkPen(base, width=2))
        for key in ("val_loss_extra", "metric_extra"):
            self.items[key].setSymbolPen(pg.mkPen(base, width=2))
        if self.dashed:
            # A run read from a folder: dashed lines, so it never passes for the live one.
            dash = pg.QtCore.Qt.PenStyle.DashLine
            for key in ("smooth", "metric", "lr"):
                self.items[key].setPen(pg.mkPen(base, width=2, style=dash))
            self.items["val_loss"].setPen(pg.mkPen(base, width=2, style=pg.QtCore.Qt.PenStyle.DotLine))

    def add_step(self, step: int, loss: float | None, lr: float | None) -> None:
        if loss is not None and np.isfinite(loss):
            self.loss.append(step, loss)
            self._ema = loss if self._ema is None else SMOOTHING * self._ema + (1 - SMOOTHING) * loss
            self.smooth.append(step, self._ema)
        if lr is not None:
            self.lr.append(step, lr)

    def add_eval(self, step: int, loss: float | None, metric: float | None, reason: str = SCHEDULED) -> None:
        """One evaluation; ``reason`` (EvalDone.reason) other than "scheduled" marks it as an extra point."""
        for series, extra, value in ((self.val_loss, self.val_loss_extra, loss),
                                     (self.metric, self.metric_extra, metric)):
            # A step evaluated again (a resume at the run's end) replaces its point: one per step.
            series.drop_after(step - 0.5)
            extra.drop_after(step - 0.5)
            if value is not None and np.isfinite(value):
                series.append(step, value)
                if reason != SCHEDULED:
                    extra.append(step, value)

    def drop_after(self, step: int) -> None:
        """A resume from ``step``: what an earlier attempt logged after it is history now
        (as ``read_run_history`` reads a folder); the smoothing continues from ``step``."""
        for series in (self.loss, self.smooth, self.val_loss, self.metric, self.lr,
                       self.val_loss_extra, self.metric_extra):
            series.drop_after(step)
        self._ema = float(self.smooth.y[-1]) if self.smooth.n else None

    def add_history(self, history: RunHistory, metric: str) -> None:
        """All of a finished run's points at once (smoothed as if they had arrived live).

        Vectorised: a 300,000-step run is a few numpy calls on the main thread, not a
        Python loop per point (that froze the window for seconds).
        """
        steps, loss = np.asarray(history.steps, dtype=np.float64), np.asarray(history.loss, dtype=np.float64)
        keep = np.isfinite(loss)
        steps, loss = steps[keep], loss[keep]
        if len(loss):
            ema = smoothed(loss, SMOOTHING, self._ema)
            self.loss.extend(steps, loss)
            self.smooth.extend(steps, ema)
            self._ema = float(ema[-1])
        self.lr.extend(np.asarray(history.lr_steps, dtype=np.float64), np.asarray(history.lr, dtype=np.float64))
        eval_steps = np.asarray(history.eval_steps, dtype=np.float64)
        if not len(eval_steps):
            return
        # One point per step (the last evaluation of a step wins, as add_eval replaces it).
        last = np.append(eval_steps[1:] != eval_steps[:-1], True)
        reasons = np.array([history.reason(k) for k in range(len(eval_steps))], dtype=object)
        extra = (reasons != SCHEDULED)[last]
        eval_steps = eval_steps[last]
        for series, extra_series, values in ((self.val_loss, self.val_loss_extra, history.metric("eval_loss")),
                                             (self.metric, self.metric_extra, history.metric(metric))):
            series.drop_after(eval_steps[0] - 0.5)
            extra_series.drop_after(eval_steps[0] - 0.5)
            values = np.asarray(values, dtype=np.float64)[last]
            finite = np.isfinite(values)
            series.extend(eval_steps[finite], values[finite])
            extra_series.extend(eval_steps[finite & extra], values[finite & extra])

    @property
    def empty(self) -> bool:
        return not (self.loss.n or self.val_loss.n or self.metric.n or self.lr.n)

    @property
    def has_extra(self) -> bool:
        return bool(self.val_loss_extra.n or self.metric_extra.n)

    def redraw(self, views: dict[str, tuple[tuple[float, float] | None, int]] | None = None) -> None:
        """Hand the series to their plot items. ``views``: per plot ("loss", "lr"), the x range
        shown (None while it follows the data) and its width in pixels; the dense curves are
        decimated to at most two points per pixel of that range, the evaluations drawn exactly."""
        views = views or {}
        for key, series in (("loss", self.loss), ("smooth", self.smooth), ("lr", self.lr)):
            x_range, pixels = views.get("lr" if key == "lr" else "loss", (None, 0))
            state = (series.version, x_range, pixels)
            if self._drawn.get(key) == state:
                continue  # an overlay that did not change: its curve stands
            self._drawn[key] = state
            x, y = series.x, series.y
            if x_range is not None and len(x):
                # The points in view, and one beyond each side so the line reaches the edges.
                lo = max(int(np.searchsorted(x, x_range[0], side="left")) - 1, 0)
                hi = min(int(np.searchsorted(x, x_range[1], side="right")) + 1, len(x))
                x, y = x[lo:hi], y[lo:hi]
            self.items[key].setData(*decimate(x, y, max(pixels, MIN_BUCKETS)))
        for key, series in (("val_loss", self.val_loss), ("metric", self.metric),
                            ("val_loss_extra", self.val_loss_extra), ("metric_extra", self.metric_extra)):
            if self._drawn.get(key) != series.version:
                self._drawn[key] = series.version
                self.items[key].setData(series.x, series.y)

    def remove(self, curves: TrainingCurves) -> None:
        for key, item in self.items.items():
            plot = (curves.lr_plot if key == "lr" else curves.metric_plot if key.startswith("metric")
                    else curves.loss_plot)
            plot.removeItem(item)


class TrainingCurves(QWidget):
    """Loss on top; the validation metric and the learning rate below; the current run plus earlier ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.loss_plot = _plot(self.tr("Loss"), self.tr("loss"))
        self.metric_plot = _plot(self.tr("Validation metric"), self.tr("metric"))
        self.lr_plot = _plot(self.tr("Learning rate"), self.tr("lr"))
        self.view.addItem(self.loss_plot, row=0, col=0, colspan=2)
        self.view.addItem(self.metric_plot, row=1, col=0)
        self.view.addItem(self.lr_plot, row=1, col=1)
        self.view.ci.layout.setRowStretchFactor(0, 3)
        self.view.ci.layout.setRowStretchFactor(1, 2)
        # No x-link: pyqtgraph links by pixel scale, so the half-width plots
        # would show only half the steps. Each plot auto-ranges to the run instead.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.current: RunCurves | None = None
        self.overlays: list[RunCurves] = []
        self._metric_name = "eval_accuracy"
        # Legend key of the extra-evaluation marker (shown while any run has such a point).
        self._extra_key = pg.PlotDataItem([0.0], [0.0], **_extra_marker(pg.mkPen("#555555", width=2)))
        self._extra_shown = False
        self._ranged: set[str] = set()  # axes of the metric plot ranged for a single value ("x", "y")
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // MAX_REDRAWS_PER_S)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.redraws = 0  # counted, so tests and the bench can check the cap
        # A zoom, pan or resize: the dense curves are decimated again for what is shown.
        self._view_timer = QTimer(self)
        self._view_timer.setSingleShot(True)
        self._view_timer.setInterval(30)
        self._view_timer.timeout.connect(self._on_view_timer_timeout)
        for plot in (self.loss_plot, self.lr_plot):
            plot.getViewBox().sigXRangeChanged.connect(self._on_view_changed)
            plot.getViewBox().sigResized.connect(self._on_view_changed)

    # --- runs ---
    def start_run(self, metric_name: str, keep_previous: bool = True, *, folder: str | None = None) -> None:
        """Begin a new current run (writing to ``folder``); the previous one stays as a faded overlay
        named after its folder."""
        if self.current is not None:
            # A run that drew nothing (it failed while preparing) leaves no empty legend entries.
            if keep_previous and not self.current.empty:
                previous = self.current
                self.overlays.append(previous)
                previous.style(_PALETTE[len(self.overlays) % len(_PALETTE)], faded=True)
                name = run_display_name(previous.folder) if previous.folder else self.tr("earlier run")
                previous.name = self._unique_name(name, previous.folder)
            else:
                self.current.remove(self)
        self.current = RunCurves(self, "", _PALETTE[0], faded=False, folder=folder)
        self.set_metric_name(metric_name)
        self._update_legends()
        self._dirty = True
        self._timer.start()

    def add_overlay(self, name: str, *, dashed: bool = False, folder: str | None = None) -> RunCurves:
        color = _PALETTE[(len(self.overlays) + 1) % len(_PALETTE)]
        run = RunCurves(self, name, color, faded=True, dashed=dashed, folder=folder)
        self.overlays.append(run)
        self._update_legends()
        self._dirty = True
        return run

    def add_history(self, history: RunHistory, metric: str, name: str) -> RunCurves:
        """Draw a finished run's curves dashed beside the others, labelled ``name`` (see run_display_name)."""
        run = self.add_overlay(self._unique_name(name, history.folder), dashed=True, folder=history.folder)
        run.add_history(history, metric)
        return run

    def _unique_name(self, name: str, folder: str | None) -> str:
        """``name``, told apart from the overlays' names (a folder of the same name elsewhere, the same run twice)."""
        taken = {run.name for run in self.overlays}
        if name not in taken:
            return name
        if folder and Path(folder).parent.name:
            name = f"{Path(folder).parent.name}/{name}"
        candidate, n = name, 2
        while candidate in taken:
            candidate, n = f"{name} ({n})", n + 1
        return candidate

    def remove_overlay(self, run: RunCurves) -> None:
        """Take one overlaid run off the plots (and out of the legends)."""
        self.remove_overlays([run])

    def remove_overlays(self, runs: list[RunCurves]) -> None:
        """Take overlaid runs off the plots in one go: one legend layout pass per plot, whatever their number."""
        runs = [run for run in runs if run in self.overlays]
        if runs:
            with self._legends_deferred():
                for run in runs:
                    run.remove(self)  # each item leaves its legend too (pyqtgraph): no layout pass per item
                self.overlays[:] = [run for run in self.overlays if run not in runs]
                self._update_legends()
            self._dirty = True

    @contextmanager
    def _legends_deferred(self) -> Iterator[None]:
        """Entries added and removed meanwhile: one layout pass per legend at the end."""
        with self.loss_plot.legend.deferred(), self.metric_plot.legend.deferred(), self.lr_plot.legend.deferred():
            yield

    def clear(self) -> None:
        with self._legends_deferred():
            for run in [*self.overlays, *([self.current] if self.current else [])]:
                run.remove(self)
            self.overlays.clear()
            self.current = None
            self._update_legends()
        self._dirty = True

    def _update_legends(self) -> None:
        """Rebuild the legends: the live run first, then the overlays, then the marker key.

        Entries another owner added (the panel's unigram baseline) stay, after ours.
        """
        runs = [*([self.current] if self.current else []), *self.overlays]
        ours = {id(item) for run in runs for item in run.items.values()} | {id(self._extra_key)}
        for plot, keys in ((self.loss_plot, ("smooth", "val_loss")), (self.metric_plot, ("metric",))):
            legend = plot.legend
            foreign = [(sample.item, label.text) for sample, label in legend.items
                       if id(sample.item) not in ours and sample.item.scene() is not None]
            entries: list[tuple[Any, str]] = []
            for run in runs:
                if plot is self.metric_plot and len(runs) == 1 and run is self.current:
                    continue  # one run: its dots need no name
                names = run.legend_names()
                entries += [(run.items[key], names[key]) for key in keys]
            if self._extra_shown:
                entries.append((self._extra_key, self.tr("off-schedule evaluation (epoch or run end)")))
            # Entries kept as they are, one layout pass: 15 overlays rebuilt per removal froze for seconds.
            legend.set_entries(entries + foreign)

    def set_metric_name(self, name: str) -> None:
        self._metric_name = name
        label = metric_label(name)
        self.metric_plot.setTitle(self.tr("Validation {metric}").format(metric=label))
        self.metric_plot.setLabel("left", label)

    # --- points ---
    def _current(self) -> RunCurves:
        if self.current is None:
            self.start_run("eval_accuracy")
        assert self.current is not None
        return self.current

    def add_step(self, step: int, loss: float | None, lr: float | None) -> None:
        self._current().add_step(step, loss, lr)
        self._dirty = True

    def add_eval(self, step: int, loss: float | None, metric: float | None, reason: str = SCHEDULED) -> None:
        """An evaluation of the current run; ``reason`` is EvalDone.reason (see events.py)."""
        self._current().add_eval(step, loss, metric, reason)
        self._dirty = True

    def resume_at(self, step: int) -> None:
        """The current run continues from ``step``: drop its points past it."""
        self._current().drop_after(step)
        self._dirty = True

    def flush(self) -> None:
        """Redraw now if anything changed (the timer calls this at the capped rate)."""
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        runs = [*self.overlays, *([self.current] if self.current else [])]
        views = {key: self._view(plot) for key, plot in (("loss", self.loss_plot), ("lr", self.lr_plot))}
        for run in runs:
            run.redraw(views)
        extra = any(run.has_extra for run in runs)
        if extra != self._extra_shown:  # the hollow diamond's legend entry comes and goes with it
            self._extra_shown = extra
            self._update_legends()
        self._update_metric_range()

    @staticmethod
    def _view(plot: pg.PlotItem) -> tuple[tuple[float, float] | None, int]:
        """The x range a plot shows (None while it follows the data) and its width in pixels."""
        box = plot.getViewBox()
        x_range = None if box.autoRangeEnabled()[0] else tuple(float(v) for v in box.viewRange()[0])
        return x_range, int(box.width())  # type: ignore[return-value]

    def _on_view_changed(self, *_args: Any) -> None:
        if self.isVisible():  # hidden: showEvent redraws for the view shown then
            self._view_timer.start()

    def _on_view_timer_timeout(self) -> None:
        self._dirty = True
        self.flush()

    def showEvent(self, event: Any) -> None:  # Qt's name
        super().showEvent(event)
        self._view_timer.start()  # a zoom or resize while hidden: decimate for what is shown now

    def hideEvent(self, event: Any) -> None:  # Qt's name
        self._view_timer.stop()  # hidden (or closed): nothing to draw, no timer left running
        super().hideEvent(event)

    def _update_metric_range(self) -> None:
        """One value on the metric plot (a first evaluation): show it in a sensible range.

        pyqtgraph widens a zero-width range to value ± 0.5, so a first accuracy of 0.8
        sat in [0.3, 1.3] at steps 9.5 to 10.5. A fraction is shown on [0, 1], another
        value ± 10 %, and the step from 0. From the second distinct value on, the plot
        auto-ranges again (unless the user zoomed or panned meanwhile).
        """
        # Every curve on the plot counts (runs, overlays, a baseline line the panel drew).
        items = self.metric_plot.listDataItems()
        box = self.metric_plot.getViewBox()
        for axis, data in (("x", [i.xData for i in items]), ("y", [i.yData for i in items])):
            arrays = [np.asarray(d, dtype=np.float64) for d in data if d is not None and len(d)]
            values = np.concatenate(arrays) if arrays else np.empty(0)
            values = values[np.isfinite(values)]
            single = values.size > 0 and float(values.max() - values.min()) <= 1e-12 * max(1.0, abs(values.max()))
            if single and (axis in self._ranged or box.autoRangeEnabled()[axis == "y"]):
                low, high = self._single_value_range(axis, float(values[0]))
                # Sets the range and turns this axis's auto-range off while one value is shown.
                (box.setXRange if axis == "x" else box.setYRange)(low, high, padding=0.05)
                self._ranged.add(axis)
            elif not single and axis in self._ranged:
                self._ranged.discard(axis)
                box.enableAutoRange(axis=axis)

    def _single_value_range(self, axis: str, value: float) -> tuple[float, float]:
        if axis == "x":
            return (0.0, value) if value > 0 else (value - 1.0, value + 1.0)
        key = self._metric_name.removeprefix("eval_")
        if key in PERCENT_METRICS and 0.0 <= value <= 100.0:
            return 0.0, 100.0  # BLEU, chrF, ROUGE: sacreBLEU's scale
        if 0.0 <= value <= 1.0 and not key.endswith(_UNBOUNDED_METRICS):
            return 0.0, 1.0  # a fraction (accuracy, F1 ...)
        half = 0.1 * abs(value) or 1.0
        return value - half, value + half

    def stop(self) -> None:
        """Draw what is pending and stop the redraw timers (no timer runs while idle)."""
        self.flush()
        self._timer.stop()
        self._view_timer.stop()

    def _on_timer_timeout(self) -> None:
        self.flush()
