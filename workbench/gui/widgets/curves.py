"""Live training curves: loss (raw and smoothed) with validation loss, the main metric, the learning rate.

Points arrive far faster than a screen can show them, so ``append_*`` only
stores them in growing numpy buffers and marks the plot dirty; a timer redraws
at most ``MAX_REDRAWS_PER_S`` times a second with ``setData`` on plot items that
live for the whole run. Downsampling ("peak") and clip-to-view keep hundreds of
thousands of points smooth.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

MAX_REDRAWS_PER_S = 10
# Smoothing of the raw training loss (exponential moving average weight).
SMOOTHING = 0.9
# Colours: current run saturated, overlaid earlier runs faded.
_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


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

    @property
    def x(self) -> np.ndarray:
        return self._x[: self.n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self.n]


def _plot(title: str, y_label: str) -> pg.PlotItem:
    item = pg.PlotItem(title=title)
    item.setLabel("bottom", "step")
    item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.2)
    item.setDownsampling(auto=True, mode="peak")
    item.setClipToView(True)
    item.addLegend(offset=(-10, 10), labelTextSize="8pt")
    # Show losses as 0.69, not "690 (x0.001)".
    item.getAxis("left").enableAutoSIPrefix(False)
    return item


class RunCurves:
    """The plot items of one run (the current one, or an overlaid earlier one)."""

    def __init__(self, curves: TrainingCurves, name: str, color: str, faded: bool) -> None:
        self.name = name
        self.loss = Series()
        self.smooth = Series()
        self.val_loss = Series()
        self.metric = Series()
        self.lr = Series()
        self._ema: float | None = None
        suffix = f" ({name})" if name else ""
        self.items = {
            "loss": curves.loss_plot.plot(),
            "smooth": curves.loss_plot.plot(name=f"train loss{suffix}"),
            "val_loss": curves.loss_plot.plot(symbol="o", symbolSize=6, name=f"validation loss{suffix}"),
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
        self.loss_plot = _plot("Loss", "loss")
        self.metric_plot = _plot("Validation metric", "metric")
        self.lr_plot = _plot("Learning rate", "lr")
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

    def add_overlay(self, name: str) -> RunCurves:
        color = _PALETTE[(len(self.overlays) + 1) % len(_PALETTE)]
        run = RunCurves(self, name, color, faded=True)
        self.overlays.append(run)
        self._dirty = True
        return run

    def clear(self) -> None:
        for run in [*self.overlays, *([self.current] if self.current else [])]:
            run.remove(self)
        self.overlays.clear()
        self.current = None
        self._dirty = True

    def set_metric_name(self, name: str) -> None:
        label = name.removeprefix("eval_").replace("_", " ")
        self.metric_plot.setTitle(f"Validation {label}")
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
