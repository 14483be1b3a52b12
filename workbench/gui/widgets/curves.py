"""Live training curves: loss (raw and smoothed) with validation loss, the main metric, the learning rate.

Points arrive far faster than a screen can show them, so ``append_*`` only
stores them in growing numpy buffers and marks the plot dirty; a timer redraws
at most ``MAX_REDRAWS_PER_S`` times a second with ``setData`` on plot items that
live for the whole run. Downsampling ("peak") and clip-to-view keep hundreds of
thousands of points smooth.

Finished runs can be overlaid for comparison (a BiLSTM baseline beside a
transformer, say): ``read_run_history`` turns a run folder's ``metrics.jsonl``
into arrays (in a worker: the file grows by a line per step), and
``TrainingCurves.add_history`` draws them dashed, labelled with the run's model.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from workbench.gui.i18n import translate

MAX_REDRAWS_PER_S = 10
# Smoothing of the raw training loss (exponential moving average weight).
SMOOTHING = 0.9
# Colours: current run saturated, overlaid earlier runs faded.
_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
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

    def append(self, x: float, y: float) -> None:
        if self.n == len(self._x):
            self._x = np.resize(self._x, 2 * self.n)
            self._y = np.resize(self._y, 2 * self.n)
        self._x[self.n] = x
        self._y[self.n] = y
        self.n += 1

    def extend(self, xs: np.ndarray, ys: np.ndarray) -> None:
        for x, y in zip(xs.tolist(), ys.tolist()):
            self.append(x, y)

    def drop_after(self, x: float) -> None:
        """Forget the points past ``x`` (the points arrive in order of x)."""
        self.n = int(np.searchsorted(self.x, x, side="right"))

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]


def _plot(title: str, y_label: str) -> pg.PlotItem:
    item = pg.PlotItem(title=title)
    item.setLabel("bottom", translate("TrainingCurves", "step"))
    item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.2)
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    item.addLegend(offset=(-10, 10), labelTextSize="8pt")
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

    def metric(self, name: str) -> np.ndarray:
        return self.eval_metrics.get(name, np.full(len(self.eval_steps), np.nan))


def read_run_history(folder: str | Path) -> RunHistory:
    """Read a run folder's curves (worker thread: parsing a long run's log takes a while)."""
    from workbench.engine.errors import CheckpointError
    from workbench.engine.runs import RunFolder

    run = RunFolder(folder)
    if not run.metrics_path.is_file():
        raise CheckpointError(
            f"{folder}: there is no metrics.jsonl here, so this is not a workbench run folder "
            "(choose the folder that holds config.json, metrics.jsonl and model/)."
        )
    try:
        config = json.loads(run.config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}  # curves alone still tell a story; the legend falls back to the folder name
    steps: list[float] = []
    loss: list[float] = []
    lr_steps: list[float] = []
    lr: list[float] = []
    eval_steps: list[float] = []
    evals: list[dict[str, Any]] = []
    for record in run.read_metrics():
        kind, step = record.get("event"), record.get("step")
        if kind == "train_begin" and isinstance(record.get("start_step"), int):
            # A resume (perhaps from an older checkpoint): the log is append-only, so the
            # steps after the resume point that an earlier attempt logged are history now.
            start = record["start_step"]
            for xs, ys in ((steps, loss), (lr_steps, lr), (eval_steps, evals)):
                keep = sum(1 for x in xs if x <= start)  # steps are logged in order
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
            eval_steps.append(step)
            evals.append(record["metrics"])
    if not steps and not eval_steps:
        raise CheckpointError(f"{run.metrics_path}: holds no training steps yet, so there is no curve to draw.")
    names = sorted({k for m in evals for k, v in m.items() if k.startswith("eval_") and _finite(v)})
    metrics = {
        name: np.array([m[name] if _finite(m.get(name)) else np.nan for m in evals], dtype=np.float64)
        for name in names
    }
    return RunHistory(
        str(folder), str(config.get("model") or ""), str(config.get("task") or ""),
        np.array(steps, dtype=np.float64), np.array(loss, dtype=np.float64),
        np.array(lr_steps, dtype=np.float64), np.array(lr, dtype=np.float64),
        np.array(eval_steps, dtype=np.float64), metrics,
    )


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class RunCurves:
    """The plot items of one run (the current one, or an overlaid earlier one)."""

    def __init__(
        self, curves: TrainingCurves, name: str, color: str, faded: bool, *, dashed: bool = False,
        folder: str | None = None,
    ) -> None:
        self.name = name
        self.folder = folder  # the run folder an overlay was read from (None: a run of this session)
        self.dashed = dashed
        self.loss = Series()
        self.smooth = Series()
        self.val_loss = Series()
        self.metric = Series()
        self.lr = Series()
        self._ema: float | None = None
        # Legend entries; an overlaid run is named after its model.
        train_name = (
            translate("TrainingCurves", "train loss ({run})").format(run=name)
            if name
            else translate("TrainingCurves", "train loss")
        )
        val_name = (
            translate("TrainingCurves", "validation loss ({run})").format(run=name)
            if name
            else translate("TrainingCurves", "validation loss")
        )
        self.items = {
            "loss": curves.loss_plot.plot(),
            "smooth": curves.loss_plot.plot(name=train_name),
            "val_loss": curves.loss_plot.plot(symbol="o", symbolSize=6, name=val_name),
            "metric": curves.metric_plot.plot(symbol="o", symbolSize=6, name=name or None),
            "lr": curves.lr_plot.plot(),
        }
        self.style(color, faded)

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

    def add_eval(self, step: int, loss: float | None, metric: float | None) -> None:
        if loss is not None and np.isfinite(loss):
            self.val_loss.append(step, loss)
        if metric is not None and np.isfinite(metric):
            self.metric.append(step, metric)

    def drop_after(self, step: int) -> None:
        """A resume from ``step``: what an earlier attempt logged after it is history now
        (as ``read_run_history`` reads a folder); the smoothing continues from ``step``."""
        for series in (self.loss, self.smooth, self.val_loss, self.metric, self.lr):
            series.drop_after(step)
        self._ema = float(self.smooth.y[-1]) if self.smooth.n else None

    def add_history(self, history: RunHistory, metric: str) -> None:
        """All of a finished run's points at once (smoothed as if they had arrived live)."""
        for step, loss in zip(history.steps.tolist(), history.loss.tolist()):
            self.add_step(step, loss, None)
        self.lr.extend(history.lr_steps, history.lr)
        losses, values = history.metric("eval_loss"), history.metric(metric)
        for step, loss, value in zip(history.eval_steps.tolist(), losses.tolist(), values.tolist()):
            self.add_eval(step, loss, value)

    def redraw(self) -> None:
        for key, series in (("loss", self.loss), ("smooth", self.smooth), ("val_loss", self.val_loss),
                            ("metric", self.metric), ("lr", self.lr)):
            self.items[key].setData(series.x, series.y)

    def remove(self, curves: TrainingCurves) -> None:
        for key, item in self.items.items():
            plot = curves.lr_plot if key == "lr" else curves.metric_plot if key == "metric" else curves.loss_plot
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
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // MAX_REDRAWS_PER_S)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.redraws = 0  # counted, so tests and the bench can check the cap

    # --- runs ---
    def start_run(self, metric_name: str, keep_previous: bool = True) -> None:
        """Begin a new current run; the previous one stays as a faded overlay."""
        if self.current is not None:
            if keep_previous:
                self.overlays.append(self.current)
                self.current.style(_PALETTE[len(self.overlays) % len(_PALETTE)], faded=True)
            else:
                self.current.remove(self)
        self.current = RunCurves(self, "", _PALETTE[0], faded=False)
        self.set_metric_name(metric_name)
        self._dirty = True
        self._timer.start()

    def add_overlay(self, name: str, *, dashed: bool = False, folder: str | None = None) -> RunCurves:
        color = _PALETTE[(len(self.overlays) + 1) % len(_PALETTE)]
        run = RunCurves(self, name, color, faded=True, dashed=dashed, folder=folder)
        self.overlays.append(run)
        self._dirty = True
        return run

    def add_history(self, history: RunHistory, metric: str, name: str) -> RunCurves:
        """Draw a finished run's curves dashed beside the others, labelled ``name`` (its model)."""
        if name in {run.name for run in self.overlays}:  # two runs of one model: tell them apart
            name = f"{name} · {Path(history.folder).name}"
        run = self.add_overlay(name, dashed=True, folder=history.folder)
        run.add_history(history, metric)
        return run

    def remove_overlay(self, run: RunCurves) -> None:
        """Take one overlaid run off the plots (and out of the legends)."""
        if run in self.overlays:
            self.overlays.remove(run)
            run.remove(self)
            self._dirty = True

    def clear(self) -> None:
        for run in [*self.overlays, *([self.current] if self.current else [])]:
            run.remove(self)
        self.overlays.clear()
        self.current = None
        self._dirty = True

    def set_metric_name(self, name: str) -> None:
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

    def add_eval(self, step: int, loss: float | None, metric: float | None) -> None:
        self._current().add_eval(step, loss, metric)
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
        for run in [*self.overlays, *([self.current] if self.current else [])]:
            run.redraw()

    def stop(self) -> None:
        """Draw what is pending and stop the redraw timer (no timer runs while idle)."""
        self.flush()
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        self.flush()
