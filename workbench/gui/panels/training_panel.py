"""The training panel: start, pause, resume, stop and save a run; live curves, progress and an event log.

The engine's trainer generator runs in a worker thread; each event arrives here
on the main thread through a queued signal. Handling an event only stores
numbers; the curves redraw on a capped timer (see ``widgets/curves.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.widgets.curves import TrainingCurves
from workbench.gui.workers import TaskRunner

# The event log keeps this many lines (older ones scroll away).
_LOG_LINES = 2000
# Text updates (progress label) are capped like the curves.
_LABEL_INTERVAL_S = 0.1


def format_eta(seconds: float) -> str:
    from workbench.cli.progress import format_duration

    return format_duration(seconds)


def _train(config: Any, control: Any, resume_from: str | None) -> Any:
    """Runs in the worker thread: import and drive the engine's trainer."""
    from workbench.engine.training.trainer import Trainer

    yield from Trainer(config, resume_from=resume_from).run(control)


def _main_metric_name(task: str, metric_for_best: str | None) -> str:
    if metric_for_best and not metric_for_best.endswith(("loss", "perplexity")):
        return metric_for_best if metric_for_best.startswith("eval_") else f"eval_{metric_for_best}"
    return {
        "classification": "eval_accuracy",
        "token-classification": "eval_accuracy",
        "masked-lm": "eval_masked_accuracy",
        "causal-lm": "eval_perplexity",
    }.get(task, "eval_accuracy")


class TrainingPanel(QWidget):
    state_changed = Signal(str)  # one line for the status bar
    run_started = Signal(object)  # the TrainControl of the new run
    run_event = Signal(object)  # every engine event, after this panel handled it
    run_finished = Signal(str, str)  # (status: finished/cancelled/failed/error, run folder)

    def __init__(self, config_provider: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._config_provider = config_provider
        self._runner = TaskRunner(self)
        self._control: Any = None
        self._output: str | None = None
        self._metric_name = "eval_accuracy"
        self._blocked: list[str] = []
        self._paused = False
        self._last_label = 0.0
        self._total_steps = 0
        # (status, run folder) of the run in progress, set by its terminal event.
        self._final: tuple[str, str] = ("error", "")
        self.last_error: str | None = None
        self.status = "idle"
        self._build()
        self._update_buttons()

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Start training with the dataset and model settings (F5)")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Pause at the next step boundary; press again to resume (F6)")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip(
            "Stop at the next step boundary and save a checkpoint (Shift+F5)"
        )
        self.save_button = QPushButton("Save checkpoint now")
        self.save_button.setToolTip(
            "Write a resumable checkpoint at the next step boundary (Ctrl+S)"
        )
        self.open_button = QPushButton("Open run…")
        self.open_button.setToolTip("Show the curves of a run folder next to the current ones")
        self.clear_button = QPushButton("Clear curves")
        self.clear_button.setToolTip("Remove all curves, including earlier runs")
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self.save_now)
        self.open_button.clicked.connect(self.open_run_dialog)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.stop_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.clear_button)

        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m steps")
        self.progress.setTextVisible(True)
        self.progress_label = QLabel("Idle. Load a dataset, choose a model, then press Start.")
        self.blocked_label = QLabel()
        self.blocked_label.setStyleSheet("color: #b00020;")
        self.blocked_label.setWordWrap(True)
        self.blocked_label.hide()

        self.curves = TrainingCurves()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(_LOG_LINES)
        self.log.setPlaceholderText("Events of the run appear here.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.curves)
        splitter.addWidget(self.log)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.blocked_label)
        layout.addWidget(splitter, 1)

    # ---- public ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._runner.busy

    @property
    def control(self) -> Any:
        return self._control

    @property
    def output_dir(self) -> str | None:
        return self._output

    def set_blocked(self, reasons: list[str]) -> None:
        """Problems that keep Start disabled (shown under the progress bar)."""
        self._blocked = list(reasons)
        self.blocked_label.setText("Cannot start: " + "; ".join(reasons) if reasons else "")
        self.blocked_label.setVisible(bool(reasons) and not self.running)
        self._update_buttons()

    def start(self, resume_from: str | None = None) -> None:
        if self.running or (self._blocked and not resume_from):
            return
        from workbench.engine.training.control import TrainControl

        config = self._config_provider()
        self._output = config.output
        self._control = TrainControl()
        self._paused = False
        self._metric_name = _main_metric_name(config.task, config.metric_for_best)
        self.curves.start_run(self._metric_name)
        self.progress.setRange(0, 0)  # busy until the first step tells the total
        self._final = ("error", self._output or "")
        self.last_error = None
        self._log(f"Starting: {config.model} on {config.data} -> {config.output}")
        self._set_status("preparing")
        self._runner.run(
            _train,
            config,
            self._control,
            resume_from,
            on_event=self._on_worker_event,
            on_error=self._on_worker_error,
            on_finished=self._on_worker_finished,
        )
        self.run_started.emit(self._control)
        self._update_buttons()

    def pause(self) -> None:
        if self.running and self._control is not None and not self._paused:
            self._control.pause()
            self._paused = True
            self._set_status("pausing…")
            self._update_buttons()

    def resume(self) -> None:
        if self.running and self._control is not None and self._paused:
            self._control.resume()
            self._paused = False
            self._update_buttons()

    def stop(self) -> None:
        if self.running and self._control is not None:
            self._control.request_stop()
            self._set_status("stopping at the next step…")
            self._log(
                "Stop requested: the run stops at the next step boundary and saves a checkpoint."
            )
            self._update_buttons()

    def save_now(self) -> None:
        if self.running and self._control is not None:
            self._control.request_save()
            self._log("Checkpoint requested.")

    def stop_and_wait(self, timeout_ms: int = 120_000) -> bool:
        """Stop at a step boundary (with a checkpoint) and wait for the worker: used on close."""
        self.stop()
        worker = self._runner.current
        if worker is None:
            return True
        return worker.thread.wait(timeout_ms)

    def shutdown(self) -> None:
        if self._control is not None:
            self._control.request_stop()
        self._runner.shutdown()
        self.curves.stop()

    def open_run_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a run folder")
        if folder:
            self.open_run(folder)

    def open_run(self, folder: str | Path) -> bool:
        """Overlay the curves of a run folder (finished, stopped or still running elsewhere)."""
        from workbench.engine.runs import RunFolder

        run = RunFolder(folder)
        records = run.read_metrics()
        if not records:
            self._log(f"{folder}: no metrics.jsonl found; is this a run folder?")
            return False
        overlay = self.curves.add_overlay(Path(folder).name)
        metric = self._metric_name
        for record in records:
            if record.get("event") == "step":
                overlay.add_step(
                    record["step"], _num(record.get("loss")), _num(record.get("learning_rate"))
                )
            elif record.get("event") == "eval":
                metrics = record.get("metrics", {})
                overlay.add_eval(record["step"], metrics.get("eval_loss"), metrics.get(metric))
        self.curves.flush()
        self._log(f"Opened run {folder}: {len(records)} events.")
        return True

    # ---- events from the worker -------------------------------------------------------
    def _on_worker_event(self, event: Any) -> None:
        from workbench.engine.training import events as ev

        if isinstance(event, ev.StepLogged):
            self._total_steps = event.total_steps
            self.curves.add_step(event.step, event.loss, event.learning_rate)
            now = time.monotonic()
            if now - self._last_label >= _LABEL_INTERVAL_S or event.step == event.total_steps:
                self._last_label = now
                if self.progress.maximum() != event.total_steps:
                    self.progress.setRange(0, event.total_steps)
                self.progress.setValue(event.step)
                self.progress_label.setText(
                    f"Step {event.step} of {event.total_steps} · epoch {event.epoch:.2f} · loss {event.loss:.4f} · "
                    f"{event.samples_per_second:.0f} samples/s · ETA {format_eta(event.eta_s)}"
                )
                if not self._paused:
                    self._set_status(
                        f"training step {event.step} of {event.total_steps}, ETA {format_eta(event.eta_s)}"
                    )
        elif isinstance(event, ev.Status):
            self._log(event.message)
            self._set_status(f"preparing: {event.message}")
        elif isinstance(event, ev.TrainBegin):
            self.progress.setRange(0, event.total_steps)
            self.progress.setValue(event.start_step)
            self._log(
                f"Training {event.num_parameters:,} parameters on {event.device}: {event.num_train_examples:,} "
                f"examples ({event.num_validation_examples:,} for validation), {event.total_steps:,} steps."
            )
        elif isinstance(event, ev.EvalDone):
            metrics = event.metrics
            self.curves.add_eval(
                event.step, _num(metrics.get("eval_loss")), _num(metrics.get(self._metric_name))
            )
            shown = ", ".join(
                f"{k.removeprefix('eval_')} {v:.4f}"
                for k, v in metrics.items()
                if isinstance(v, float)
                and k in ("eval_loss", self._metric_name, "eval_f1_macro", "eval_entity_f1")
            )
            self._log(f"Step {event.step}: validation {shown}")
        elif isinstance(event, ev.CheckpointSaved):
            self._log(
                f"Checkpoint saved at step {event.step}{' (best so far)' if event.is_best else ''}."
            )
        elif isinstance(event, ev.Paused):
            self._set_status(f"paused at step {event.step}")
            self._log(f"Paused at step {event.step}.")
        elif isinstance(event, ev.Resumed):
            self._log(f"Resumed at step {event.step}.")
        elif isinstance(event, ev.TrainFinished):
            self.progress.setValue(self.progress.maximum())
            status = event.summary.get("status", "finished")
            self._set_status(
                "finished" if status == "finished" else f"finished ({status.replace('_', ' ')})"
            )
            self._log(f"Finished after {event.step} steps. Model saved in {self._output}/model.")
            self._final = ("finished", self._output or "")
        elif isinstance(event, ev.TrainCancelled):
            self._set_status(f"cancelled at step {event.step}")
            self._log(f"Cancelled at step {event.step}; checkpoint {event.checkpoint}.")
            self._final = ("cancelled", self._output or "")
        elif isinstance(event, ev.TrainFailed):
            self._set_status(f"failed at step {event.step}")
            self._log(f"FAILED at step {event.step}: {event.message}")
            self._final = ("failed", self._output or "")
        self.run_event.emit(event)

    def _on_worker_error(self, message: str) -> None:
        self._log(f"Error: {message}")
        self._set_status("failed")
        self._final = ("error", self._output or "")
        self.last_error = message

    def _on_worker_finished(self) -> None:
        self.curves.stop()
        status, output = self._final
        self._final = ("error", "")
        self._paused = False
        if status == "error" and self.status.startswith(("preparing", "training", "stopping")):
            self._set_status("failed")
        self._update_buttons()
        self.blocked_label.setVisible(bool(self._blocked))
        self.run_finished.emit(status, output)

    # ---- helpers ---------------------------------------------------------------------
    def _on_pause_clicked(self) -> None:
        if self._paused:
            self.resume()
        else:
            self.pause()

    def _on_clear_clicked(self) -> None:
        if not self.running:
            self.curves.clear()

    def _set_status(self, text: str) -> None:
        self.status = text
        self.state_changed.emit(text)

    def _log(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setEnabled(not running and not self._blocked)
        self.pause_button.setEnabled(running)
        self.pause_button.setText("Resume" if self._paused else "Pause")
        self.stop_button.setEnabled(running)
        self.save_button.setEnabled(running)
        self.clear_button.setEnabled(not running)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def shortcuts() -> dict[str, QKeySequence]:
    """The run shortcuts, shared by the panel's tooltips and the main window's Run menu."""
    return {
        "start": QKeySequence("F5"),
        "pause": QKeySequence("F6"),
        "stop": QKeySequence("Shift+F5"),
        "save": QKeySequence("Ctrl+S"),
    }
