"""The sequence-to-sequence playground's controls: decoding settings, Stop, and the streamed output.

``Seq2SeqControls`` holds the decoding choice (greedy, beam search with its beams, length
penalty and no-repeat n-gram size, or sampling with temperature, top-k and top-p; remembered
between sessions) and a Stop button (Esc). ``start()`` runs the engine task's ``stream`` in a
worker (``TaskRunner``): the output so far reaches the main thread after every token and is
drawn in the given view at most every ``REPAINT_MS``. Beam search keeps several candidates
until the end, so its output shows when done (the mode's tooltip says so).

Stop sets a flag the engine's stopping criterion reads after every token: generation ends
there, and the output so far is reported like any other result (``finish_reason`` "stopped").

The widget imports no torch: the engine task is asked inside the worker function.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
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

REPAINT_MS = 40  # at most ~25 redraws a second
_KEY = "seq2seq/"
GREEDY, BEAM, SAMPLING = "greedy", "beam", "sampling"


def stream_job(
    predictor: Any,
    live_source: Callable[[], Any] | None,
    text: str,
    options: dict[str, Any],
    stop: threading.Event,
) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Worker: (predictor used, the output so far) per token, the last one the final result."""
    from workbench.engine.tasks.registry import get_task

    if live_source is not None:
        fresh = live_source()  # e.g. a snapshot of the model being trained
        if fresh is not None:
            predictor = fresh
    if predictor is None:
        raise WorkbenchError(
            translate("Seq2SeqControls", "No model loaded yet: load a run or model folder first.")
        )
    for item in get_task(predictor.task).stream(predictor, text, stop.is_set, **options):
        yield predictor, item


def _settings_store() -> QSettings:
    # The same store as gui.settings.Settings (honours the tests' isolated path).
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


class Seq2SeqControls(QWidget):
    """Decoding settings and Stop for an encoder-decoder; streams outputs into ``view``."""

    # (predictor, source text, result dict, milliseconds): the shape of the prediction panel's results
    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self, view: QTextEdit, *, max_new_spin: QSpinBox, shortcut_host: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.max_new_spin = max_new_spin
        self.updates = 0  # redraws of the view in the current generation (tests: it streamed)
        self._latest: str | None = None  # the output so far, not drawn yet
        self._shown = ""
        self._text = ""
        self._history: list[str] = []
        self._predictor: Any = None
        self._started = 0.0
        self._stop = threading.Event()
        self._runner = TaskRunner(self)
        self._repaint = QTimer(self)
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._flush)
        self._build(shortcut_host or self)
        self._restore()
        self._update_enabled()

    # ---- public API -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._runner.busy

    @property
    def mode(self) -> str:
        return str(self.mode_combo.currentData())

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))

    def options(self) -> dict[str, Any]:
        """The engine's generation options (``GenerationOptions`` fields) the controls show."""
        options: dict[str, Any] = {"max_new_tokens": self.max_new_spin.value()}
        if self.mode == BEAM:
            options.update(num_beams=self.beams_spin.value(), length_penalty=round(self.length_spin.value(), 2),
                           no_repeat_ngram_size=self.no_repeat_spin.value())
        elif self.mode == SAMPLING:
            options.update(temperature=round(self.temperature_spin.value(), 2), top_k=self.top_k_spin.value(),
                           top_p=round(self.top_p_spin.value(), 2))
        return options

    def start(
        self, predictor: Any, live_source: Callable[[], Any] | None, text: str, history: list[str] | None = None,
    ) -> None:
        """Generate the output for ``text`` (a dialogue: after ``history``) in a worker; a running one is replaced."""
        self._end_current()
        self._text, self._predictor, self._history = text, predictor, list(history or [])
        self._latest, self._shown, self.updates = None, "", 0
        self._started = time.perf_counter()
        self._stop = stop = threading.Event()
        self.view.clear()
        options = {**self.options(), "history": self._history}
        self.info_label.setText(self.tr("generating…"))
        self._runner.run(stream_job, predictor, live_source, text, options, stop,
                         on_event=self._on_stream_event, on_error=self._on_stream_error,
                         on_finished=self._update_enabled)
        self._update_enabled()

    def stop(self) -> None:
        """End the generation after the current token; the worker reports the output so far."""
        self._stop.set()

    def cancel(self) -> None:
        """Drop the running generation without reporting it (the model changed)."""
        self._end_current()
        self.info_label.clear()

    def shutdown(self) -> None:
        self._end_current()
        self._runner.shutdown()

    # ---- UI ------------------------------------------------------------------------------

    def _build(self, shortcut_host: QWidget) -> None:
        self.mode_combo = QComboBox()
        for text, mode in ((self.tr("Greedy"), GREEDY), (self.tr("Beam search"), BEAM),
                           (self.tr("Sampling"), SAMPLING)):
            self.mode_combo.addItem(text, mode)
        self.mode_combo.setToolTip(self.tr(
            "How each output token is chosen. Greedy: the most likely one, streamed as it comes. Beam search: "
            "the best of several candidate outputs; it cannot stream, the output shows when done. Sampling: "
            "drawn at random (temperature, top-k, top-p), streamed."
        ))
        self.beams_spin = self._spin(2, 16, 4, self.tr("Beam search: how many candidate outputs are kept."))
        self.length_spin = self._double(-2.0, 3.0, 1.0, self.tr(
            "Beam search: above 1 favours longer outputs, below 1 shorter ones."))
        self.no_repeat_spin = self._spin(0, 10, 0, self.tr(
            "Beam search: no n-gram of this size appears twice in the output; 0 = off."))
        self.no_repeat_spin.setSpecialValueText(self.tr("off"))
        self.temperature_spin = self._double(0.05, 2.0, 0.7, self.tr(
            "Sampling: how adventurous each choice is; 0.7-1.0 gives varied text, towards 2 noise."))
        self.top_k_spin = self._spin(0, 1000, 0, self.tr("Sampling: only among the k most likely tokens; 0 = off."))
        self.top_k_spin.setSpecialValueText(self.tr("off"))
        self.top_p_spin = self._double(0.01, 1.0, 1.0, self.tr(
            "Sampling: only among the most likely tokens whose probabilities add up to this; 1.00 = off."))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop generating now; the output so far is kept (Esc)."))
        self.info_label = QLabel()
        self.info_label.setStyleSheet("color: #555;")
        self.info_label.setToolTip(self.tr("Tokens generated, time, and why the generation ended."))
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stop_button)
        row.addWidget(self.mode_combo)
        self._mode_widgets: dict[str, list[QWidget]] = {GREEDY: [], BEAM: [], SAMPLING: []}
        for mode, text, spin in (
            (BEAM, self.tr("Beams"), self.beams_spin), (BEAM, self.tr("Length penalty"), self.length_spin),
            (BEAM, self.tr("No-repeat n-gram"), self.no_repeat_spin),
            (SAMPLING, self.tr("Temperature"), self.temperature_spin), (SAMPLING, self.tr("Top-k"), self.top_k_spin),
            (SAMPLING, self.tr("Top-p"), self.top_p_spin),
        ):
            label = QLabel(text)
            label.setBuddy(spin)
            row.addWidget(label)
            row.addWidget(spin)
            self._mode_widgets[mode] += [label, spin]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.info_label)

        self.stop_button.clicked.connect(self.stop)
        self.mode_combo.currentIndexChanged.connect(self._on_settings_changed)
        for spin in self._spin_names().values():
            spin.valueChanged.connect(self._on_settings_changed)
        self.stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), shortcut_host)
        self.stop_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stop_shortcut.activated.connect(self.stop)

    @staticmethod
    def _spin(low: int, high: int, value: int, tip: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    @staticmethod
    def _double(low: float, high: float, value: float, tip: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setDecimals(2)
        spin.setSingleStep(0.05)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    def _spin_names(self) -> dict[str, QSpinBox | QDoubleSpinBox]:
        return {"num_beams": self.beams_spin, "length_penalty": self.length_spin,
                "no_repeat_ngram_size": self.no_repeat_spin, "temperature": self.temperature_spin,
                "top_k": self.top_k_spin, "top_p": self.top_p_spin, "max_new_tokens": self.max_new_spin}

    def _restore(self) -> None:
        store = _settings_store()
        widgets: list[Any] = [self.mode_combo, *self._spin_names().values()]
        for widget in widgets:
            widget.blockSignals(True)  # restoring is not a change worth saving
        try:
            index = self.mode_combo.findData(store.value(_KEY + "mode", GREEDY))
            self.mode_combo.setCurrentIndex(max(index, 0))
            for name, spin in self._spin_names().items():
                default = spin.value()
                try:
                    spin.setValue(type(default)(store.value(_KEY + name, default)))
                except (TypeError, ValueError):
                    spin.setValue(default)  # a damaged entry must not stop the panel from opening
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _update_enabled(self) -> None:
        for mode, widgets in self._mode_widgets.items():
            for widget in widgets:
                widget.setVisible(mode == self.mode)
        busy = self.busy
        self.stop_button.setEnabled(busy)
        self.stop_shortcut.setEnabled(busy)  # Esc belongs to others while nothing runs

    # ---- slots ----------------------------------------------------------------------------

    def _on_settings_changed(self, _value: object = None) -> None:
        store = _settings_store()
        store.setValue(_KEY + "mode", self.mode)
        for name, spin in self._spin_names().items():
            store.setValue(_KEY + name, spin.value())
        self._update_enabled()

    def _on_stream_event(self, item: tuple[Any, dict[str, Any]]) -> None:
        predictor, result = item
        self._predictor = predictor
        self._latest = result["output"]
        if "finish_reason" not in result:  # the output so far
            if not self._repaint.isActive():
                self._flush()  # the first token after a pause shows at once, later ones per frame
                self._repaint.start()
            return
        self._repaint.stop()
        self._flush()
        seconds = time.perf_counter() - self._started
        self.info_label.setText(self._summary(result, seconds))
        self._runner.cancel()  # finished: nothing more may land, and busy is over
        self._update_enabled()
        self.finished.emit((predictor, self._text, result, seconds * 1000.0))

    def _on_stream_error(self, message: str) -> None:
        self._repaint.stop()
        self.info_label.setText(self.tr("Generation failed."))
        self._update_enabled()
        self.failed.emit(message)

    def _flush(self) -> None:
        if self._latest is None or self._latest == self._shown:
            return
        self._shown = self._latest
        self.view.setHtml(f"<p style='font-size:13pt; white-space:pre-wrap'>{html.escape(self._shown)}</p>")
        self.updates += 1

    def _end_current(self) -> None:
        """Stop the worker (it notices after its next token) and drop its late results."""
        self._stop.set()
        self._runner.cancel()
        self._repaint.stop()
        self._update_enabled()

    @staticmethod
    def _summary(result: dict[str, Any], seconds: float) -> str:
        # A staticmethod has no self.tr: the context is spelled out.
        tokens = len(result.get("tokens") or [])
        parts = [translate("Seq2SeqControls", "{tokens} tokens in {seconds} s").format(
            tokens=tokens, seconds=f"{seconds:.1f}")]
        if result.get("seed") is not None:
            parts.append(translate("Seq2SeqControls", "seed {seed}").format(seed=result["seed"]))
        if result.get("finish_reason") == "stopped":
            parts.append(translate("Seq2SeqControls", "stopped on request"))
        return " · ".join(parts)
