"""What the playgrounds' streaming controls share: the worker, Stop (Esc), the capped redraws, remembered settings.

``StreamingControls`` runs a subclass's stream job in a worker thread (``TaskRunner``); the job
yields events that reach the main thread as queued signals. The subclass draws them into its
text view, but only through ``_schedule_repaint``: the first event after a pause shows at once,
later ones wait for the next frame (at most every ``REPAINT_MS``), so a fast model cannot flood
the event loop with layouts. Stop is a button and Esc (within ``shortcut_host``), both enabled
only while a generation runs. The settings widgets a subclass names in ``_remembered_settings``
are restored when the controls open and saved on every change, under ``SETTINGS_PREFIX``.

Subclasses: ``GenerationControls`` (causal LM, generation_view.py) and ``Seq2SeqControls``
(encoder-decoders, seq2seq_playground.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.errors import WorkbenchError
from workbench.gui.i18n import translate
from workbench.gui.settings import APPLICATION, ORGANIZATION
from workbench.gui.workers import TaskRunner

REPAINT_MS = 40  # at most ~25 redraws a second: smooth to the eye, cheap for the main thread

SettingWidget = QSpinBox | QDoubleSpinBox | QComboBox


def settings_store() -> QSettings:
    # The same store as gui.settings.Settings (honours the tests' isolated path).
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def live_predictor(predictor: Any, live_source: Callable[[], Any] | None) -> Any:
    """Worker side: the predictor a stream uses (the live source's newer one, if it has one)."""
    if live_source is not None:
        fresh = live_source()  # e.g. a snapshot of the model being trained
        if fresh is not None:
            predictor = fresh
    if predictor is None:
        # Written by the GUI, not the engine: translated (translate() is thread-safe).
        raise WorkbenchError(
            translate("StreamingControls", "No model loaded yet: load a run or model folder first.")
        )
    return predictor


def _stored_value(widget: SettingWidget) -> Any:
    return widget.currentData() if isinstance(widget, QComboBox) else widget.value()


def _restore_value(widget: SettingWidget, stored: Any) -> None:
    if stored is None:
        return  # never saved: the widget keeps its default
    try:
        if isinstance(widget, QComboBox):
            index = widget.findData(stored)
            if index >= 0:
                widget.setCurrentIndex(index)
        else:
            widget.setValue(type(widget.value())(stored))
    except (TypeError, ValueError):
        pass  # a damaged entry must not stop the panel from opening: the default stays


class StreamingControls(QWidget):
    """Stop, status line and the streaming worker of a playground; subclasses add settings and drawing.

    ``max_new_spin`` (the host's max-new-tokens box) is remembered with the other settings;
    ``shortcut_host`` is the widget within which Esc stops (default: this one).
    """

    # (predictor, input text, result dict, milliseconds): the shape of the prediction panel's results
    finished = Signal(object)
    failed = Signal(str)  # a readable message
    streaming_changed = Signal(bool)

    SETTINGS_PREFIX = ""  # QSettings key prefix of the remembered settings, e.g. "generation/"

    def __init__(
        self,
        view: QTextEdit,
        *,
        max_new_spin: QSpinBox | None = None,
        shortcut_host: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.max_new_spin = max_new_spin
        self.updates = 0  # redraws of the view in the current generation (tests: it streamed)
        self._input = ""  # the prompt or source text being generated from
        self._predictor: Any = None
        self._started = 0.0
        self._stop = threading.Event()
        self._runner = TaskRunner(self)
        self._repaint = QTimer(self)
        self._repaint.setObjectName(f"{type(self).__name__} repaint")
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._on_repaint_timeout)

        self.stop_button = QPushButton(self.tr("Stop"))
        self.info_label = QLabel()
        self.info_label.setStyleSheet("color: #555;")
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stop_button)
        self._build(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.info_label)

        self._restore()
        for widget in self._remembered().values():
            changed = widget.currentIndexChanged if isinstance(widget, QComboBox) else widget.valueChanged
            changed.connect(self._on_settings_changed)
        self.stop_button.clicked.connect(self.stop)
        self.stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), shortcut_host or self)
        self.stop_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stop_shortcut.activated.connect(self.stop)
        self._update_enabled()

    # ---- public API -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def stop(self) -> None:
        """End the generation after the current token; the worker reports the output so far."""
        self._stop.set()

    def cancel(self) -> None:
        """Drop the running generation without reporting it (the model changed)."""
        self._end_current()
        self.info_label.clear()

    def shutdown(self) -> None:
        self._end_current()
        self._repaint.stop()
        self._runner.shutdown()

    # ---- for subclasses ------------------------------------------------------------------

    def _build(self, row: QHBoxLayout) -> None:
        """Create the settings widgets and add them to ``row`` (after Stop); set the tooltips."""
        raise NotImplementedError

    def _remembered_settings(self) -> dict[str, SettingWidget]:
        """The settings widgets saved between sessions, by their key under SETTINGS_PREFIX."""
        raise NotImplementedError

    def _update_settings_widgets(self) -> None:
        """Enable or show the settings widgets that apply to the current choices."""

    def _reset_view(self) -> None:
        """Clear what the previous generation drew (``start`` calls it before the worker runs)."""
        raise NotImplementedError

    def _flush(self) -> bool:
        """Draw what arrived since the last redraw; False when there was nothing new."""
        raise NotImplementedError

    @staticmethod
    def _summary(result: dict[str, Any], seconds: float) -> str:
        """The status line after a finished generation."""
        raise NotImplementedError

    @staticmethod
    def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    @staticmethod
    def _double(low: float, high: float, value: float, tip: str, step: float = 0.05) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setDecimals(2)
        spin.setSingleStep(step)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    @staticmethod
    def _add_labelled(row: QHBoxLayout, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)  # Alt+letter (where the text has one) focuses the box
        row.addWidget(label)
        row.addWidget(widget)
        return label

    def _start_stream(
        self, job: Callable[..., Any], predictor: Any, live_source: Callable[[], Any] | None, text: str, options: Any,
    ) -> None:
        """Run ``job(predictor, live_source, text, options, stop)`` in the worker; a running one is replaced."""
        self._end_current()
        self._input, self._predictor = text, predictor
        self.updates = 0
        self._started = time.perf_counter()
        self._stop = stop = threading.Event()
        self._reset_view()
        self.info_label.setText(self.tr("generating…"))
        self._runner.run(job, predictor, live_source, text, options, stop,
                         on_event=self._on_stream_event, on_error=self._on_stream_error,
                         on_finished=self._update_enabled)
        self._update_enabled()
        self.streaming_changed.emit(True)

    def _on_stream_event(self, item: Any) -> None:
        raise NotImplementedError

    def _schedule_repaint(self) -> None:
        """Something new arrived: the first after a pause shows at once, later ones wait for the next frame."""
        if not self._repaint.isActive():
            self._flush()
            self._repaint.start()

    def _finish(self, result: dict[str, Any], seconds: float) -> None:
        """The worker's last event: draw the rest, say how it went, report it."""
        self._repaint.stop()
        self._flush()
        self.info_label.setText(self._summary(result, seconds))
        self._runner.cancel()  # finished: nothing more may land, and busy is over
        self._update_enabled()
        self.streaming_changed.emit(False)
        self._report(result, seconds)

    def _report(self, result: dict[str, Any], seconds: float) -> None:
        bar = self.view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        self.finished.emit((self._predictor, self._input, result, seconds * 1000.0))
        if at_end:  # the receiver may redraw the whole text: stay at its end
            self.view.moveCursor(QTextCursor.MoveOperation.End)
            self.view.ensureCursorVisible()

    def _end_current(self) -> None:
        """Stop the worker (it notices at its next token) and drop its late results."""
        self._stop.set()
        was_busy = self.busy
        self._runner.cancel()
        self._repaint.stop()
        self._update_enabled()
        if was_busy:
            self.streaming_changed.emit(False)

    # ---- internals -----------------------------------------------------------------------

    def _remembered(self) -> dict[str, SettingWidget]:
        widgets = self._remembered_settings()
        if self.max_new_spin is not None:
            widgets["max_new_tokens"] = self.max_new_spin
        return widgets

    def _restore(self) -> None:
        store = settings_store()
        for name, widget in self._remembered().items():
            widget.blockSignals(True)  # restoring is not a change worth saving
            try:
                _restore_value(widget, store.value(self.SETTINGS_PREFIX + name))
            finally:
                widget.blockSignals(False)

    def _update_enabled(self) -> None:
        self._update_settings_widgets()
        busy = self.busy
        self.stop_button.setEnabled(busy)
        self.stop_shortcut.setEnabled(busy)  # Esc belongs to others while nothing runs

    def _on_settings_changed(self, _value: object = None) -> None:
        store = settings_store()
        for name, widget in self._remembered().items():
            store.setValue(self.SETTINGS_PREFIX + name, _stored_value(widget))
        self._update_enabled()

    def _on_repaint_timeout(self) -> None:
        if self._flush():  # pieces came during the frame: draw them and wait for the next one
            self._repaint.start()

    def _on_stream_error(self, message: str) -> None:
        self._flush()
        self._repaint.stop()
        self.info_label.setText(self.tr("Generation failed."))
        self._update_enabled()
        self.streaming_changed.emit(False)
        self.failed.emit(message)
