"""The training panel: start, pause, resume, stop and save a run; live curves, progress and an event log.

The engine's trainer generator runs in a worker thread; each event arrives here
on the main thread through a queued signal. Handling an event only stores
numbers; the curves redraw on a capped timer (see ``widgets/curves.py``).

A stopped run (cancelled, failed, crashed) continues with "Resume run": in its own
folder, with its saved config.json (not the panels' settings), in this process or
a separate one. Its earlier curves are read from metrics.jsonl first, and the
steps after the checkpoint it resumes from are dropped when training begins, so
the step axis simply goes on.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.tasks.registry import headline_metric
from workbench.engine.training.pretraining import UNIGRAM_BASELINES
from workbench.gui.dialog_folders import remember_folder, start_folder
from workbench.gui.i18n import translate
from workbench.gui.widgets.curves import (
    RunCurves,
    RunHistory,
    TrainingCurves,
    metric_label,
    read_run_history,
    run_display_name,
)
from workbench.gui.widgets.resume_button import ResumeButton
from workbench.gui.workers import BACKGROUND_NICENESS, TaskRunner

# The event log keeps this many lines (older ones scroll away).
_LOG_LINES = 2000
# Text updates (progress label) are capped like the curves.
_LABEL_INTERVAL_S = 0.1
# Language-model figures logged beside the main metric: next-sentence accuracy and the
# unigram baselines (what word frequencies alone would score on the same targets).
_PRETRAINING_KEYS = ("eval_nsp_accuracy", *UNIGRAM_BASELINES.values())
# Where the "Overlay run…" dialog opens next time.
_OVERLAY_DIR_KEY = "training/overlay_dir"
OVERLAY_SHORTCUT = "Ctrl+Shift+R"
# Whether Start launches a separate process (a run that outlives the window).
_BACKGROUND_KEY = "training/background_process"
BACKGROUND_SHORTCUT = "Ctrl+Shift+B"
RESUME_SHORTCUT = "Ctrl+F5"


def format_eta(seconds: float) -> str:
    from workbench.engine.formatting import format_duration

    return format_duration(seconds)


@dataclass(frozen=True)
class IntactCheckpointFound:
    """The worker's news before a resume fails on a damaged checkpoint: the newest intact older one."""

    checkpoint: str  # its folder name, e.g. "checkpoint-40"


def _train(config: Any, control: Any, resume_from: str | None, checkpoint: str | None = None) -> Any:
    """Runs in the worker thread: import and drive the engine's trainer."""
    from workbench.engine.training.checkpoint_checks import CorruptCheckpoint
    from workbench.engine.training.trainer import Trainer
    from workbench.gui.workers import yield_cpu_to_the_gui

    yield_cpu_to_the_gui()  # the window stays smooth while training fills the cores

    try:
        yield from Trainer(config, resume_from=resume_from, checkpoint=checkpoint).run(control)
    except CorruptCheckpoint as exc:
        if exc.fallback is not None:
            yield IntactCheckpointFound(exc.fallback.name)  # the panel offers to resume from it
        raise


def _prepare_resume(folder: str) -> tuple[Any, RunHistory | None]:
    """Worker: the run's own saved config, and its curves so far (None when it logged no step yet)."""
    from workbench.engine.errors import WorkbenchError
    from workbench.engine.training.config import TrainConfig

    config = TrainConfig.load(Path(folder) / "config.json")
    config.output = folder  # the run continues in its own folder, wherever it was moved to
    try:
        history = read_run_history(folder)
    except WorkbenchError:
        history = None
    return config, history


def _resume_check(folder: str, status: str | None) -> tuple[str, str, bool]:
    """Worker: (folder, run status, whether an intact checkpoint exists); hashes the newest checkpoint."""
    from workbench.engine.run_index import run_status
    from workbench.engine.training.checkpoint_checks import previous_intact
    from workbench.gui.widgets.runs_model import RESUMABLE

    status = status or run_status(folder)
    intact = status in RESUMABLE and previous_intact(Path(folder) / "checkpoints") is not None
    return folder, status, intact


class TrainingPanel(QWidget):
    state_changed = Signal(str)  # one line for the status bar
    run_started = Signal(object)  # the TrainControl of the new run
    run_event = Signal(object)  # every engine event, after this panel handled it
    run_finished = Signal(str, str)  # (status: finished/cancelled/failed/error, run folder)
    overlay_added = Signal(str)  # the legend name of a run folder's curves, once drawn

    def __init__(self, config_provider: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._config_provider = config_provider
        self._runner = TaskRunner(self)
        # Reading a finished run's metrics.jsonl for an overlay: its own runner, so it
        # neither waits for nor cancels the training run.
        self._overlay_runner = TaskRunner(self)
        # A resume reads the run's config and curves first; then checks what Resume can offer.
        self._prepare_runner = TaskRunner(self)
        self._resume_check_runner = TaskRunner(self)
        # (run folder, status, has an intact checkpoint) of the run shown last: what Resume continues.
        self._resume_target: tuple[str, str, bool] | None = None
        self._curves_folder: str | None = None  # the run folder the current (solid) curves belong to
        self._control: Any = None
        self._output: str | None = None
        self._metric_name = "eval_accuracy"
        self._blocked: list[str] = []
        self._paused = False
        self._last_label = 0.0
        self._resume_from: str | None = None  # the run folder a resumed run continues
        self.resume_fallback: str | None = None  # an intact checkpoint to offer when the latest is damaged
        self._last_step: Any = None  # the latest StepLogged: the progress line of a run that ended
        self._handlers: dict[type, Callable[[Any], None]] | None = None  # per event type, see _on_worker_event
        self._status_text = ""  # the status as shown (translated)
        # (status, run folder) of the run in progress, set by its terminal event.
        self._final: tuple[str, str] = ("error", "")
        self.last_error: str | None = None
        self.status = "idle"
        self.baseline_item: Any = None  # dashed unigram-baseline line on the metric plot
        self._background: Any = None  # a BackgroundRun: following a run that trains in another process
        self._build()
        self._update_buttons()

    # ---- layout ---------------------------------------------------------------------
    def _build(self) -> None:
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setToolTip(self.tr("Start training with the dataset and model settings (F5)"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.setToolTip(self.tr("Pause at the next step boundary; press again to resume (F6)"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(
            self.tr("Stop at the next step boundary and save a checkpoint (Shift+F5)")
        )
        self.save_button = QPushButton(self.tr("Save checkpoint now"))
        self.save_button.setToolTip(
            self.tr("Write a resumable checkpoint at the next step boundary (Ctrl+S)")
        )
        self.resume_run_button = ResumeButton(self.tr("Resume run"))
        self.resume_run_button.latest_requested.connect(lambda: self.resume_run())
        self.resume_run_button.choose_requested.connect(self.choose_checkpoint)
        self.open_button = QPushButton(self.tr("Overlay run…"))
        self.open_button.setToolTip(
            self.tr(
                "Draw a finished run's loss and validation curves (dashed, named after its folder) beside "
                "the live ones, e.g. a BiLSTM baseline next to a transformer ({shortcut})"
            ).format(shortcut=OVERLAY_SHORTCUT)
        )
        self.remove_overlay_button = QToolButton()
        self.remove_overlay_button.setText(self.tr("Remove overlay"))
        self.remove_overlay_button.setToolTip(self.tr("Take one overlaid run (or all of them) off the plots"))
        self.remove_overlay_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.remove_overlay_button.setMenu(QMenu(self.remove_overlay_button))
        self.clear_button = QPushButton(self.tr("Clear curves"))
        self.clear_button.setToolTip(self.tr("Remove all curves, including earlier runs"))
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self._on_pause_clicked)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self.save_now)
        self.open_button.clicked.connect(self.open_run_dialog)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.pause_button, self.stop_button, self.save_button, self.resume_run_button):
            buttons.addWidget(b)
        self._build_background_controls(buttons)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_overlay_button)
        buttons.addWidget(self.clear_button)
        overlay_shortcut = QShortcut(QKeySequence(OVERLAY_SHORTCUT), self)
        overlay_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        overlay_shortcut.activated.connect(self.open_run_dialog)

        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v / %m steps"))
        self.progress.setTextVisible(True)
        self.progress_label = QLabel(self.tr("Idle. Load a dataset, choose a model, then press Start."))
        self.blocked_label = QLabel()
        self.blocked_label.setStyleSheet("color: #b00020;")
        self.blocked_label.setWordWrap(True)
        self.blocked_label.hide()
        self.overlay_error_label = QLabel()
        self.overlay_error_label.setStyleSheet("color: #b00020;")
        self.overlay_error_label.setWordWrap(True)
        self.overlay_error_label.setToolTip(self.tr("Why the last run folder could not be overlaid"))
        self.overlay_error_label.hide()

        self.curves = TrainingCurves()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(_LOG_LINES)
        self.log.setPlaceholderText(self.tr("Events of the run appear here."))
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
        layout.addWidget(self.overlay_error_label)
        layout.addWidget(splitter, 1)

    # ---- public ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """A run is followed: in this process, or in another one (see ``running_in_process``)."""
        return self._runner.busy or self._background is not None or self._prepare_runner.busy

    @property
    def running_in_process(self) -> bool:
        """A run trains in this process's worker thread (closing the window would end it)."""
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
        self.blocked_label.setText(
            self.tr("Cannot start: {reasons}").format(reasons="; ".join(reasons)) if reasons else ""
        )
        self.blocked_label.setVisible(bool(reasons) and not self.running)
        self._update_buttons()

    def start(self, resume_from: str | None = None, checkpoint: str | None = None) -> None:
        """``resume_from``: continue that run folder with its own saved config (not the panels');
        ``checkpoint``: from that checkpoint instead of the latest one."""
        if self.running or (self._blocked and not resume_from):
            return
        if resume_from:
            self._prepare_resume(str(resume_from), checkpoint)
            return
        self._launch(self._config_provider(), None, None, None)

    @property
    def can_resume(self) -> bool:
        """Resume run is offered: the run shown last stopped with an intact checkpoint, and nothing runs."""
        return not self.running and self._resume_target is not None and self._resume_target[2]

    @property
    def resume_target(self) -> str | None:
        """The run folder Resume run would continue (the run shown last), or None."""
        return self._resume_target[0] if self._resume_target else None

    def resume_run(self, folder: str | None = None, checkpoint: str | None = None) -> None:
        """Continue ``folder`` (default: the run shown last) from ``checkpoint`` or its latest one."""
        if folder is None:
            if not self.can_resume:
                return
            folder = self.resume_target
        self.start(resume_from=folder, checkpoint=checkpoint)

    def choose_checkpoint(self) -> None:
        """Resume the run shown last from a checkpoint picked in a small dialog."""
        if not self.can_resume:
            return
        from workbench.gui.dialogs.checkpoint_chooser import CheckpointChooser

        folder = self.resume_target
        dialog = CheckpointChooser(folder, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: dialog.chosen and self.resume_run(folder, dialog.chosen))
        dialog.open()  # window-modal, does not block the event loop

    def _prepare_resume(self, folder: str, checkpoint: str | None) -> None:
        """Read the run's config and curves in a worker, then launch (``_launch``)."""
        self._resume_from = folder
        self.resume_fallback = None
        self._output = folder
        self._final = ("error", folder)
        self.last_error = None
        self.blocked_label.hide()  # the panels' problems do not concern the run's own config
        self._log(self.tr("Resuming {folder} from {checkpoint}, with the settings it was started with.").format(
            folder=folder, checkpoint=checkpoint or self.tr("its latest checkpoint")))
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "preparing"))
        self._prepare_runner.run(
            _prepare_resume, folder,
            on_result=lambda value: self._launch(value[0], folder, checkpoint, value[1]),
            on_error=self._on_prepare_error,
        )
        self._update_buttons()

    def _on_prepare_error(self, message: str) -> None:
        self._on_worker_error(message)
        self._on_worker_finished()

    def _launch(self, config: Any, resume_from: str | None, checkpoint: str | None,
                history: RunHistory | None) -> None:
        """Start training ``config`` (a resume: continue ``resume_from``, whose curves so far are ``history``)."""
        from workbench.engine.training.control import TrainControl

        self._resume_from = str(resume_from) if resume_from else None
        self.resume_fallback = None  # set when a damaged checkpoint has an intact earlier one
        self._output = config.output
        self._control = TrainControl()
        self._paused = False
        self._metric_name = headline_metric(config.task, config.metric_for_best)
        # Resuming the run whose curves are shown: they are redrawn from its history, not kept twice.
        same = resume_from is not None and self._curves_folder is not None and _same_folder(
            self._curves_folder, resume_from)
        self.curves.start_run(self._metric_name, keep_previous=not same, folder=config.output)
        if resume_from is not None:
            for run in [r for r in self.curves.overlays if r.folder and _same_folder(r.folder, resume_from)]:
                self.curves.remove_overlay(run)  # an "Open run" overlay of this run: it continues solid
            if history is not None and self.curves.current is not None:
                self.curves.current.add_history(history, self._metric_name)
        self._curves_folder = config.output
        self._remove_baseline()  # the new run draws its own
        self._update_overlay_menu()  # the previous run is an overlay now
        self.progress.setRange(0, 0)  # busy until the first step tells the total
        self._final = ("error", self._output or "")
        self.last_error = None
        self._log(
            self.tr("Starting: {model} on {data} -> {output}").format(
                model=config.model, data=config.data, output=config.output
            )
        )
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "preparing"))
        if self.background_check.isChecked():  # a separate process: the run outlives the window
            self._control = None  # steered through the run folder instead (STOP file)
            if not self._launch_background(config, resume_from, checkpoint):
                return
        else:
            self._runner.run(
                _train,
                config,
                self._control,
                resume_from,
                checkpoint,
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
            self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "pausing…"))
            self._update_buttons()

    def resume(self) -> None:
        if self.running and self._control is not None and self._paused:
            self._control.resume()
            self._paused = False
            self._update_buttons()

    def stop(self) -> None:
        if self._prepare_runner.busy:  # a resume still reading the run's config: it never starts
            self._prepare_runner.cancel()
            self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "cancelled"))
            self._log(self.tr("Stopped before the resumed run began; nothing was changed."))
            self._final = ("cancelled", self._output or "")
            self._on_worker_finished()
            return
        if self._background is not None:
            self._stop_background()
            return
        if self.running and self._control is not None:
            self._control.request_stop()
            self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "stopping at the next step…"))
            self._log(
                self.tr("Stop requested: the run stops at the next step boundary and saves a checkpoint.")
            )
            self._update_buttons()

    def save_now(self) -> None:
        if self.running and self._control is not None:
            self._control.request_save()
            self._log(self.tr("Checkpoint requested."))

    def stop_and_wait(self, timeout_ms: int = 120_000) -> bool:
        """Stop at a step boundary (with a checkpoint) and block until the worker ends: for tests and
        scripts. The window's close does not block: it stops the run and closes when ``run_finished`` comes."""
        self.stop()
        worker = self._runner.current
        if worker is None:
            return True
        return worker.thread.wait(timeout_ms)

    def shutdown(self) -> None:
        if self._background is not None:
            self._background.detach()  # stop following only: the process trains on
        if self._control is not None:
            self._control.request_stop()
        self._runner.shutdown()
        self._overlay_runner.shutdown()
        self._prepare_runner.shutdown()
        self._resume_check_runner.shutdown()
        self.curves.stop()

    def open_run_dialog(self) -> None:
        settings = QSettings()
        start = start_folder(settings.value(_OVERLAY_DIR_KEY))
        folder = QFileDialog.getExistingDirectory(self, self.tr("Overlay a run folder's curves"), start)
        if folder:
            remember_folder(_OVERLAY_DIR_KEY, Path(folder).parent, settings)
            self.open_run(folder)

    def open_run(self, folder: str | Path) -> None:
        """Overlay the curves of a run folder (finished, stopped or still running elsewhere).

        The folder's metrics.jsonl is read in a worker; ``overlay_added`` is emitted
        once the curves are drawn, or the reason shown under the buttons.
        """
        self._log(self.tr("Reading the curves of {folder}…").format(folder=folder))
        self._overlay_runner.run(
            read_run_history, str(folder),
            on_result=self._on_overlay_result, on_error=self._on_overlay_error,
        )  # fmt: skip
        if not self.running:
            self.set_resume_target(str(folder))  # a stopped run opened here can be resumed here

    def set_resume_target(self, folder: str | None, status: str | None = None) -> None:
        """What Resume run continues: ``folder`` (its status read from disk unless given), checked in a worker."""
        self._resume_target = None
        self._update_buttons()
        if not folder:
            self._resume_check_runner.cancel()
            return
        self._resume_check_runner.run(_resume_check, str(folder), status, on_result=self._on_resume_check_result)

    def _on_resume_check_result(self, value: tuple[str, str, bool]) -> None:
        self._resume_target = value
        self._update_buttons()

    def overlay_names(self) -> list[str]:
        """Legend names of the overlaid runs, oldest first."""
        return [_overlay_label(run) for run in self.curves.overlays]

    def remove_overlay(self, name: str) -> bool:
        """Take the overlaid run called ``name`` (as in ``overlay_names``) off the plots."""
        for run in self.curves.overlays:
            if _overlay_label(run) == name:
                self._remove_overlay(run)
                return True
        return False

    # ---- runs in another process (they outlive the window) -----------------------------
    def _build_background_controls(self, buttons: QHBoxLayout) -> None:
        from workbench.engine.background import cuda_device_count

        self.background_check = QCheckBox(self.tr("Separate process"))
        self.background_check.setToolTip(self.tr(
            "Start the run as its own process (workbench train): it keeps training when this window "
            "closes, and File ▸ Open run… follows it again ({shortcut})"
        ).format(shortcut=BACKGROUND_SHORTCUT))
        self.background_check.setChecked(QSettings().value(_BACKGROUND_KEY, False, type=bool))
        self.background_check.toggled.connect(self._on_background_check_toggled)
        toggle = QShortcut(QKeySequence(BACKGROUND_SHORTCUT), self)
        toggle.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        toggle.activated.connect(lambda: self.background_check.isEnabled() and self.background_check.toggle())
        self.processes_spin = QSpinBox()
        self.processes_spin.setRange(1, max(cuda_device_count(), 1))
        self.processes_spin.setValue(self.processes_spin.maximum())
        self.processes_spin.setPrefix(self.tr("GPUs: "))
        self.processes_spin.setToolTip(self.tr(
            "Processes for a separate-process run: more than one trains on several local GPUs "
            "with torchrun (one process per GPU)"
        ))
        # Offered only where torchrun has GPUs to spread over.
        self.processes_spin.setVisible(self.processes_spin.maximum() > 1 and self.background_check.isChecked())
        buttons.addWidget(self.background_check)
        buttons.addWidget(self.processes_spin)

    @property
    def background_run(self) -> Any:
        """The ``BackgroundRun`` being followed, or None."""
        return self._background

    def attach(self, folder: str | Path) -> bool:
        """Follow a run that trains in another process: its curves so far, then live. False if busy."""
        from workbench.engine.runs import read_run_config

        if self.running:
            return False
        config = read_run_config(folder)
        self._output = str(folder)
        self._control = None
        self._paused = False
        self._metric_name = headline_metric(str(config.get("task") or ""), config.get("metric_for_best"))
        self.curves.start_run(self._metric_name, folder=str(folder))
        self._remove_baseline()
        self._update_overlay_menu()
        self.progress.setRange(0, 0)
        self._final = ("error", self._output)
        self.last_error = None
        self._curves_folder = str(folder)
        self._log(self.tr("Following the run in {folder} (it trains in another process).").format(folder=folder))
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "following a run in another process"))
        self._follow(folder)
        self._update_buttons()
        return True

    def _launch_background(self, config: Any, resume_from: str | None, checkpoint: str | None) -> bool:
        from workbench.engine import background
        from workbench.engine.errors import WorkbenchError

        offset = 0
        if resume_from:
            config.output = self._output = str(resume_from)
            try:  # follow only what the resumed process appends: the panel drew the rest from its history
                offset = (Path(resume_from) / "metrics.jsonl").stat().st_size
            except OSError:
                offset = 0
        nproc = self.processes_spin.value() if not self.processes_spin.isHidden() else 1
        try:
            info = background.launch_run(config, nproc=nproc, resume=bool(resume_from), checkpoint=checkpoint,
                                         niceness=BACKGROUND_NICENESS)
        except (WorkbenchError, OSError) as exc:
            self._on_worker_error(str(exc))
            self._on_worker_finished()
            return False
        self._log(self.tr("Started process {pid}: {command}").format(
            pid=info.pid, command=" ".join(info.command)))
        self._follow(config.output, offset)
        return True

    def _follow(self, folder: str | Path, offset: int = 0) -> None:
        from workbench.gui.background_run import BackgroundRun

        self._background = BackgroundRun(folder, self, start_offset=offset)
        self._background.event.connect(self._on_worker_event)
        self._background.ended.connect(self._on_background_ended)
        self._background.start()

    def _stop_background(self) -> None:
        # Resolves at once when the process is gone, and a second Stop ends a process that
        # ignored the first: either way the follow ends here and Start is enabled again.
        self._background.stop()
        if self._background is None:  # it ended (_on_background_ended said how)
            return
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "stopping at the next step…"))
        self._log(self.tr(
            "Stop requested ({file}): the process stops at the next step boundary and saves a checkpoint."
        ).format(file=str(Path(self._background.folder) / "STOP")))
        self._update_buttons()

    def _on_background_ended(self, status: str, message: str) -> None:
        run, self._background = self._background, None
        if run is not None:
            run.deleteLater()
        if self._final[0] == "error":  # no final event: the process died (its log says why)
            self._on_worker_error(message)
        self._on_worker_finished()

    def _on_background_check_toggled(self, checked: bool) -> None:
        QSettings().setValue(_BACKGROUND_KEY, checked)
        self.processes_spin.setVisible(checked and self.processes_spin.maximum() > 1)

    # ---- events from the worker -------------------------------------------------------
    def _on_worker_event(self, event: Any) -> None:
        """One engine event (or the worker's IntactCheckpointFound): to its handler, then to the window."""
        if isinstance(event, IntactCheckpointFound):
            self.resume_fallback = event.checkpoint
            return
        if self._handlers is None:
            self._handlers = self._event_handlers()
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)
        self.run_event.emit(event)

    def _event_handlers(self) -> dict[type, Callable[[Any], None]]:
        """Each engine event type's handler (built at the first event: the engine is imported late)."""
        from workbench.engine.training import events as ev

        return {
            ev.StepLogged: self._on_step_logged,
            ev.Status: self._on_status,
            ev.TrainBegin: self._on_train_begin,
            ev.EvalDone: self._on_eval_done,
            ev.CheckpointSaved: self._on_checkpoint_saved,
            ev.Paused: self._on_paused,
            ev.Resumed: self._on_resumed,
            ev.TrainFinished: self._on_train_finished,
            ev.TrainCancelled: self._on_train_cancelled,
            ev.TrainFailed: self._on_train_failed,
        }

    def _on_step_logged(self, event: Any) -> None:
        self._last_step = event
        self.curves.add_step(event.step, event.loss, event.learning_rate)
        now = time.monotonic()
        if now - self._last_label < _LABEL_INTERVAL_S and event.step != event.total_steps:
            return  # the labels change at a readable rate; the curves take every step
        self._last_label = now
        if self.progress.maximum() != event.total_steps:
            self.progress.setRange(0, event.total_steps)
        self.progress.setValue(event.step)
        self.progress_label.setText(
            self.tr(
                "Step {step} of {total} · epoch {epoch} · loss {loss} · "
                "{speed} samples/s · ETA {eta}"
            ).format(
                step=event.step, total=event.total_steps, epoch=f"{event.epoch:.2f}",
                loss=f"{event.loss:.4f}", speed=f"{event.samples_per_second:.0f}",
                eta=format_eta(event.eta_s),
            )
        )
        if not self._paused:
            self._set_status(
                QT_TRANSLATE_NOOP("TrainingPanel", "training step {step} of {total}, ETA {eta}"),
                step=event.step, total=event.total_steps, eta=format_eta(event.eta_s),
            )

    def _on_status(self, event: Any) -> None:
        self._log(event.message)  # the engine's words (English, as in the CLI)
        if self.status.startswith(("training", "paused", "stopping")):
            return  # a notice during training (e.g. a reporter that failed) is logged, not "preparing"
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "preparing: {message}"), message=event.message)

    def _on_train_begin(self, event: Any) -> None:
        self.progress.setRange(0, event.total_steps)
        self.progress.setValue(event.start_step)
        if event.start_step:  # a resume, perhaps from an older checkpoint than the last step drawn
            self.curves.resume_at(event.start_step)
        self._log(
            self.tr(
                "Training {parameters} parameters on {device}: {examples} examples "
                "({validation} for validation), {steps} steps."
            ).format(
                parameters=f"{event.num_parameters:,}", device=event.device,
                examples=f"{event.num_train_examples:,}",
                validation=f"{event.num_validation_examples:,}", steps=f"{event.total_steps:,}",
            )
        )

    def _on_eval_done(self, event: Any) -> None:
        metrics = event.metrics
        self.curves.add_eval(
            event.step, _num(metrics.get("eval_loss")), _num(metrics.get(self._metric_name)), event.reason
        )
        shown = ", ".join(
            f"{k.removeprefix('eval_')} {v:.4f}"  # the keys of metrics.jsonl, as the CLI logs them
            for k, v in metrics.items()
            if isinstance(v, float)
            and k in ("eval_loss", self._metric_name, "eval_f1_macro", "eval_entity_f1", *_PRETRAINING_KEYS)
        )
        if event.reason == "epoch_end":  # off the eval_every schedule: say why (a diamond on the curves)
            line = self.tr("Step {step} (end of an epoch): validation {metrics}")
        elif event.reason == "final":
            line = self.tr("Step {step} (end of the run): validation {metrics}")
        else:
            line = self.tr("Step {step}: validation {metrics}")
        self._log(line.format(step=event.step, metrics=shown))
        self._update_baseline(event.step, metrics)

    def _on_checkpoint_saved(self, event: Any) -> None:
        self._log(
            self.tr("Checkpoint saved at step {step} (best so far).").format(step=event.step)
            if event.is_best
            else self.tr("Checkpoint saved at step {step}.").format(step=event.step)
        )

    def _on_paused(self, event: Any) -> None:
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "paused at step {step}"), step=event.step)
        self._log(self.tr("Paused at step {step}.").format(step=event.step))

    def _on_resumed(self, event: Any) -> None:
        self._log(self.tr("Resumed at step {step}.").format(step=event.step))

    def _on_train_finished(self, event: Any) -> None:
        self.progress.setValue(self.progress.maximum())
        status = event.summary.get("status", "finished")
        if status == "finished":
            self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "finished"))
        else:  # e.g. early stopping: the engine's reason, as written in summary.json
            self._set_status(
                QT_TRANSLATE_NOOP("TrainingPanel", "finished ({reason})"), reason=status.replace("_", " ")
            )
        self._log(
            self.tr("Finished after {steps} steps. Model saved in {folder}.").format(
                steps=event.step, folder=f"{self._output}/model"
            )
        )
        self._final = ("finished", self._output or "")

    def _on_train_cancelled(self, event: Any) -> None:
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "cancelled at step {step}"), step=event.step)
        self._log(
            self.tr("Cancelled at step {step}; checkpoint {checkpoint}.").format(
                step=event.step, checkpoint=event.checkpoint
            )
        )
        self._final = ("cancelled", self._output or "")

    def _on_train_failed(self, event: Any) -> None:
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "failed at step {step}"), step=event.step)
        self._log(self.tr("FAILED at step {step}: {message}").format(step=event.step, message=event.message))
        self._final = ("failed", self._output or "")
        # The engine's words (a non-finite loss at step k, out of memory ...): shown in a dialog too.
        self.last_error = event.message

    def _on_overlay_result(self, history: RunHistory) -> None:
        name = run_display_name(history.folder, history.model)  # the folder's name (and model)
        if self.curves.current is None and not self.curves.overlays and history.task:
            # Nothing drawn yet: the metric plot follows the overlaid run's task.
            self._metric_name = headline_metric(history.task, None)
            self.curves.set_metric_name(self._metric_name)
        metric = self._metric_name
        if metric not in history.eval_metrics and history.task:
            # A run of another task: its own main metric, named in the legend.
            metric = headline_metric(history.task, None)
            name = f"{name} ({metric_label(metric)})"
        run = self.curves.add_history(history, metric, name)
        self.curves.flush()
        self.overlay_error_label.hide()
        self._update_overlay_menu()
        self._log(
            self.tr("Overlaid {name} from {folder}: {steps} steps, {evaluations} evaluations.").format(
                name=run.name, folder=history.folder, steps=len(history.steps),
                evaluations=len(history.eval_steps),
            )
        )
        self.overlay_added.emit(run.name)

    def _on_overlay_error(self, message: str) -> None:
        text = self.tr("Cannot overlay: {message}").format(message=message)
        self.overlay_error_label.setText(text)
        self.overlay_error_label.show()
        self._log(text)

    def _remove_overlay(self, run: RunCurves) -> None:
        self.curves.remove_overlay(run)
        self.curves.flush()
        self._update_overlay_menu()
        self._log(self.tr("Removed the overlay {name}.").format(name=_overlay_label(run)))

    def _remove_all_overlays(self) -> None:
        self.curves.remove_overlays(list(self.curves.overlays))  # in one go: one legend layout pass
        self.curves.flush()
        self._update_overlay_menu()

    def _update_overlay_menu(self) -> None:
        menu = self.remove_overlay_button.menu()
        menu.clear()
        for run in self.curves.overlays:
            label = _overlay_label(run)
            action = menu.addAction(label)
            action.setToolTip(run.folder or self.tr("an earlier run of this session"))
            action.triggered.connect(lambda _=False, r=run: self._remove_overlay(r))
        if len(self.curves.overlays) > 1:
            menu.addSeparator()
            menu.addAction(self.tr("All overlays")).triggered.connect(self._remove_all_overlays)
        self.remove_overlay_button.setEnabled(bool(self.curves.overlays))

    def _update_baseline(self, step: int, metrics: dict[str, Any]) -> None:
        """Draw the plotted metric's unigram baseline as a dashed line from step 0 to ``step``.

        A plot item, not an InfiniteLine, so the y range stretches to show it even when the
        model is far above (or below) what word frequencies alone score.
        """
        value = _num(metrics.get(UNIGRAM_BASELINES.get(self._metric_name, "")))
        if value is None or not math.isfinite(value):
            return
        if self.baseline_item is None:
            import pyqtgraph as pg

            pen = pg.mkPen("#666666", width=1.5, style=Qt.PenStyle.DashLine)
            self.baseline_item = self.curves.metric_plot.plot(pen=pen, name=self.tr("unigram baseline"))
            self.baseline_item.setToolTip(self.tr(
                "What a model that knows only word frequencies scores on the same validation "
                "targets (always the most frequent training token; add-one-smoothed unigram perplexity)"
            ))
        self.baseline_item.setData([0.0, float(step)], [value, value])

    def _remove_baseline(self) -> None:
        if self.baseline_item is not None:
            self.curves.metric_plot.removeItem(self.baseline_item)
            self.baseline_item = None

    def resume_from_fallback(self) -> None:
        """Resume the run that just failed from the intact checkpoint its error offered."""
        if self._resume_from and self.resume_fallback and not self.running:
            self.start(self._resume_from, checkpoint=self.resume_fallback)

    def _on_worker_error(self, message: str) -> None:
        self._log(self.tr("Error: {message}").format(message=message))
        self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "failed"))
        self._final = ("error", self._output or "")
        self.last_error = message

    def _on_worker_finished(self) -> None:
        self.curves.stop()
        status, output = self._final
        self._final = ("error", "")
        self._paused = False
        if status == "error" and self.status.startswith(("preparing", "training", "stopping")):
            self._set_status(QT_TRANSLATE_NOOP("TrainingPanel", "failed"))
        self._update_progress_ended()
        self._update_buttons()
        self.blocked_label.setVisible(bool(self._blocked))
        if output:  # Resume run offers to continue it (when it stopped with an intact checkpoint)
            self.set_resume_target(output, {"finished": "finished", "cancelled": "cancelled"}.get(status, "failed"))
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
            self._remove_baseline()
            self._update_overlay_menu()

    def _update_progress_ended(self) -> None:
        """The run ended (finished, cancelled, failed): its last figures and how it ended, no ETA."""
        event, self._last_step = self._last_step, None
        state = self._status_text[:1].upper() + self._status_text[1:]
        if event is None:  # it ended before its first step
            self.progress_label.setText(state)
            return
        self.progress_label.setText(
            self.tr("Step {step} of {total} · epoch {epoch} · loss {loss} · {speed} samples/s · {state}").format(
                step=event.step, total=event.total_steps, epoch=f"{event.epoch:.2f}",
                loss=f"{event.loss:.4f}", speed=f"{event.samples_per_second:.0f}", state=state,
            )
        )

    def _set_status(self, template: str, **fields: Any) -> None:
        """``status`` keeps the English words (a state other code matches on); the
        status bar gets them translated. ``template`` comes marked with QT_TRANSLATE_NOOP."""
        self.status = template.format(**fields)
        self._status_text = self.tr(template).format(**fields)
        self.state_changed.emit(self._status_text)

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the status, for the status bar and the end of the run."""
        from workbench.gui.retranslate import retranslated

        if self._status_text:
            self._status_text = retranslated(self._status_text, self)
            self.state_changed.emit(self._status_text)

    def _log(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setEnabled(not running and not self._blocked)
        # Pause and "save now" reach only a run in this process; another one is stopped through its folder.
        self.pause_button.setEnabled(self.running_in_process)
        self.pause_button.setText(self.tr("Resume") if self._paused else self.tr("Pause"))
        self.stop_button.setEnabled(running)
        # After a Stop that a separate process has not acted on yet, Stop again ends it now.
        forced_next = bool(self._background and self._background.stop_requested)
        self.stop_button.setText(self.tr("End now") if forced_next else self.tr("Stop"))
        self.stop_button.setToolTip(self.tr(
            "Stop at the next step boundary and save a checkpoint (Shift+F5)") if not forced_next else self.tr(
            "The process has not stopped yet. End it now, without saving a checkpoint: the run can be "
            "resumed from its last checkpoint."))
        self.save_button.setEnabled(self.running_in_process)
        self._update_resume_button()
        self.background_check.setEnabled(not running)
        self.clear_button.setEnabled(not running)
        self.remove_overlay_button.setEnabled(bool(self.curves.overlays))

    def _update_resume_button(self) -> None:
        """Enabled for a stopped run with an intact checkpoint; otherwise the tooltip says why not."""
        from workbench.gui.widgets.runs_model import resume_blocker

        key = QKeySequence(RESUME_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        running, target = self.running, self._resume_target

        def tip() -> str:  # drawn again after a language switch
            if running:
                text = self.tr("A run is in progress; a stopped run can be resumed once it ends.")
            elif target is None:
                text = self.tr("Stop a run, or open one (File ▸ Open run… or the Runs tab), to resume it here.")
            else:
                name = Path(target[0]).name
                text = resume_blocker(name, target[1], target[2]) or self.tr(
                    "Continue {run} from its latest intact checkpoint, in its own folder, with the settings it "
                    "was started with (its config.json, not the panels' current ones); in a separate process "
                    "when that box is ticked. The arrow chooses another checkpoint."
                ).format(run=name)
            return f"{text} ({key})"

        self.resume_run_button.set_state(self.can_resume, tip)


def _same_folder(a: str | Path, b: str | Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return str(a) == str(b)


def _overlay_label(run: RunCurves) -> str:
    return run.name or translate("TrainingPanel", "earlier run")


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
