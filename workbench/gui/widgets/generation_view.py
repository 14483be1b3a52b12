"""The generation playground's controls: sampling settings, Stop, and the live stream.

``GenerationControls`` holds temperature, top-k, top-p and seed (remembered
between sessions), a Stop button (Esc), and a small status line. ``start()``
runs the engine's ``Predictor.stream`` in a worker thread (``TaskRunner``);
each text piece reaches the main thread as a queued signal and is appended to
the given text view. The main thread does nothing but append: pieces are
buffered and drawn at most every ``REPAINT_MS``, so a fast model's hundreds of
tokens a second cannot flood the event loop with layouts.

Stop sets a flag the engine reads before every token, so generation ends
within one token; the text shown so far stays, and ``finished`` reports it as
a result like any other (``finish_reason`` "stopped").

The widget imports no torch: the engine's ``generation`` module loads torch
only inside its functions.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
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
from workbench.engine.generation import RANDOM_SEED_LIMIT, GenerationSettings
from workbench.gui.i18n import translate
from workbench.gui.settings import APPLICATION, ORGANIZATION
from workbench.gui.workers import TaskRunner

REPAINT_MS = 40  # at most ~25 redraws a second: smooth to the eye, cheap for the main thread
# The panel's highlight for generated text (prompt plain, continuation on green).
GENERATED_BACKGROUND = "#d3f9d8"
GENERATED_FOREGROUND = "#1b4d2b"
_KEY = "generation/"
_DEFAULTS = GenerationSettings()
_MAX_NEW_DEFAULT = 40


@dataclass(frozen=True)
class Begun:
    predictor: Any  # the predictor actually used (a live source may hand over a newer one)


@dataclass(frozen=True)
class Piece:
    text: str
    tokens: int  # new tokens generated so far


@dataclass(frozen=True)
class Done:
    result: dict[str, Any]
    seconds: float


def stream_job(
    predictor: Any,
    live_source: Callable[[], Any] | None,
    prompt: str,
    settings: GenerationSettings,
    stop: threading.Event,
) -> Iterator[Begun | Piece | Done]:
    """Worker: stream a continuation of ``prompt``; ``stop`` is read before every token."""
    if live_source is not None:
        fresh = live_source()  # e.g. a snapshot of the model being trained
        if fresh is not None:
            predictor = fresh
    if predictor is None:
        # Written by the GUI, not the engine: translated (translate() is thread-safe).
        raise WorkbenchError(
            translate("GenerationControls", "No model loaded yet: load a run or model folder first.")
        )
    stream = predictor.stream(prompt, settings, should_stop=stop.is_set)
    yield Begun(predictor)
    for piece in stream:
        yield Piece(piece, len(stream.new_ids))
    yield Done(stream.result(), stream.seconds)


def _settings_store() -> QSettings:
    # The same store as gui.settings.Settings (honours the tests' isolated path).
    return QSettings(
        QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


class GenerationControls(QWidget):
    """Sampling controls and Stop for a causal LM; streams continuations into ``view``.

    ``max_new_spin`` (the host's max-new-tokens box) is remembered with the other
    settings; ``shortcut_host`` is the widget within which Esc stops (default: this one).
    """

    # (predictor, prompt, result dict, milliseconds): the shape of the prediction panel's results
    finished = Signal(object)
    failed = Signal(str)  # a readable message
    piece_arrived = Signal(str)  # each piece, on the main thread, before it is drawn
    streaming_changed = Signal(bool)

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
        self.pieces = 0  # pieces received in the current generation
        self.updates = 0  # redraws of the view in the current generation
        self._buffer: list[str] = []
        self._shown = ""  # the continuation drawn so far
        self._prompt = ""
        self._tokens = 0
        self._predictor: Any = None
        self._started = 0.0
        self._stop = threading.Event()
        self._runner = TaskRunner(self)
        self._repaint = QTimer(self)
        self._repaint.setObjectName("generation repaint")
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._on_repaint_timeout)
        self._format = QTextCharFormat()
        self._format.setBackground(QBrush(QColor(GENERATED_BACKGROUND)))
        self._format.setForeground(QBrush(QColor(GENERATED_FOREGROUND)))
        self._build(shortcut_host or self)
        self._restore()
        self._update_enabled()

    # ---- public API -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._runner.busy

    @property
    def continuation(self) -> str:
        """The generated text shown so far (buffered pieces included)."""
        return self._shown + "".join(self._buffer)

    def settings(self, max_new_tokens: int | None = None) -> GenerationSettings:
        """The settings the controls show; raises ConfigError for values the engine refuses."""
        if max_new_tokens is None:
            max_new_tokens = (
                self.max_new_spin.value() if self.max_new_spin is not None else _MAX_NEW_DEFAULT
            )
        seed = self.seed_spin.value()
        return GenerationSettings(
            temperature=round(self.temperature_spin.value(), 2),
            top_k=self.top_k_spin.value(),
            top_p=round(self.top_p_spin.value(), 2),
            max_new_tokens=max_new_tokens,
            seed=None if seed < 0 else seed,
        )

    @staticmethod
    def can_stream(predictor: Any, live_source: Callable[[], Any] | None = None) -> bool:
        """Whether ``start`` can work with this predictor (one without ``stream``, e.g. a stub, cannot)."""
        return live_source is not None or callable(getattr(predictor, "stream", None))

    def start(
        self,
        predictor: Any,
        live_source: Callable[[], Any] | None,
        prompt: str,
        max_new_tokens: int | None = None,
    ) -> bool:
        """Generate a continuation of ``prompt`` in a worker; a running generation is replaced."""
        try:
            settings = self.settings(max_new_tokens)
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return False
        self._end_current()
        self._prompt, self._predictor = prompt, predictor
        self._buffer, self._shown = [], ""
        self.pieces = self.updates = self._tokens = 0
        self._started = time.perf_counter()
        self._stop = stop = threading.Event()
        self._draw_prompt(prompt)
        self.info_label.setText(self.tr("generating…"))
        self._runner.run(
            stream_job,
            predictor,
            live_source,
            prompt,
            settings,
            stop,
            on_event=self._on_stream_event,
            on_error=self._on_stream_error,
            on_finished=self._update_enabled,
        )
        self._update_enabled()
        self.streaming_changed.emit(True)
        return True

    def stop(self) -> None:
        """End the generation now (within one token); the text so far stays and is reported."""
        if not self.busy:
            return
        self._end_current()
        self._flush()
        tokens = self._tokens
        result = {
            "text": self._prompt,
            "continuation": self._shown,
            "new_tokens": tokens,
            "finish_reason": "stopped",
            "seed": None,
            "notice": self.tr("Stopped on request after {tokens} new tokens.").format(tokens=tokens),
        }
        self.info_label.setText(self.tr("Stopped after {tokens} tokens.").format(tokens=tokens))
        self._report(result, time.perf_counter() - self._started)

    def cancel(self) -> None:
        """Drop the running generation without reporting it (the model changed)."""
        self._end_current()
        self._buffer = []
        self.info_label.clear()

    def shutdown(self) -> None:
        self._end_current()
        self._repaint.stop()
        self._runner.shutdown()

    # ---- UI ------------------------------------------------------------------------------

    def _build(self, shortcut_host: QWidget) -> None:
        self.temperature_spin = QDoubleSpinBox()
        self.temperature_spin.setRange(0.0, 2.0)
        self.temperature_spin.setSingleStep(0.1)
        self.temperature_spin.setDecimals(2)
        self.temperature_spin.setSpecialValueText(self.tr("0 (greedy)"))
        self.temperature_spin.setToolTip(self.tr(
            "How adventurous the choice of each next token is. 0 = greedy: always the most likely "
            "token, the same text every time. 0.7-1.0 gives varied text; towards 2 it turns to noise. (Alt+T)"
        ))
        self.top_k_spin = QSpinBox()
        self.top_k_spin.setRange(0, 1000)
        self.top_k_spin.setSpecialValueText(self.tr("off"))
        self.top_k_spin.setToolTip(self.tr(
            "Sample only among the k most likely next tokens; off = among all of them. "
            "No effect at temperature 0. (Alt+K)"
        ))
        self.top_p_spin = QDoubleSpinBox()
        self.top_p_spin.setRange(0.01, 1.0)
        self.top_p_spin.setSingleStep(0.05)
        self.top_p_spin.setDecimals(2)
        self.top_p_spin.setToolTip(self.tr(
            "Nucleus sampling: sample only among the most likely tokens whose probabilities add up to "
            "this much; 1.00 = off. No effect at temperature 0. (Alt+P)"
        ))
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(-1, RANDOM_SEED_LIMIT - 1)
        self.seed_spin.setSpecialValueText(self.tr("random"))
        self.seed_spin.setToolTip(self.tr(
            "The random seed for sampling: the same prompt, settings and seed give the same text. "
            "random = a new seed each time (shown below after a generation, to type back in). (Alt+E)"
        ))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop generating now; the text so far is kept (Esc)."))
        self.info_label = QLabel()
        self.info_label.setStyleSheet("color: #555;")
        self.info_label.setToolTip(self.tr("Tokens generated, speed, and why the generation ended."))
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.stop_button)
        for text, spin in (
            (self.tr("&Temperature"), self.temperature_spin),
            (self.tr("Top-&k"), self.top_k_spin),
            (self.tr("Top-&p"), self.top_p_spin),
            (self.tr("S&eed"), self.seed_spin),
        ):
            label = QLabel(text)
            label.setBuddy(spin)  # Alt+letter focuses the box
            row.addWidget(label)
            row.addWidget(spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.info_label)

        self.stop_button.clicked.connect(self.stop)
        self.temperature_spin.valueChanged.connect(self._on_settings_changed)
        self.top_k_spin.valueChanged.connect(self._on_settings_changed)
        self.top_p_spin.valueChanged.connect(self._on_settings_changed)
        self.seed_spin.valueChanged.connect(self._on_settings_changed)
        if self.max_new_spin is not None:
            self.max_new_spin.valueChanged.connect(self._on_settings_changed)
        self.stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), shortcut_host)
        self.stop_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.stop_shortcut.activated.connect(self.stop)

    def _restore(self) -> None:
        store = _settings_store()
        spins: list[tuple[str, Any, Any]] = [
            ("temperature", self.temperature_spin, _DEFAULTS.temperature),
            ("top_k", self.top_k_spin, _DEFAULTS.top_k),
            ("top_p", self.top_p_spin, _DEFAULTS.top_p),
            ("seed", self.seed_spin, -1),
        ]
        if self.max_new_spin is not None:
            spins.append(("max_new_tokens", self.max_new_spin, self.max_new_spin.value()))
        for name, spin, default in spins:
            spin.blockSignals(True)  # restoring is not a change worth saving
            try:
                spin.setValue(type(default)(store.value(_KEY + name, default)))
            except (TypeError, ValueError):
                spin.setValue(default)  # a damaged entry must not stop the panel from opening
            finally:
                spin.blockSignals(False)

    def _update_enabled(self) -> None:
        sampling = self.temperature_spin.value() > 0
        for spin in (self.top_k_spin, self.top_p_spin, self.seed_spin):
            spin.setEnabled(sampling)
        busy = self.busy
        self.stop_button.setEnabled(busy)
        self.stop_shortcut.setEnabled(busy)  # Esc belongs to others while nothing runs

    # ---- slots ----------------------------------------------------------------------------

    def _on_settings_changed(self, _value: float) -> None:
        store = _settings_store()
        store.setValue(_KEY + "temperature", self.temperature_spin.value())
        store.setValue(_KEY + "top_k", self.top_k_spin.value())
        store.setValue(_KEY + "top_p", self.top_p_spin.value())
        store.setValue(_KEY + "seed", self.seed_spin.value())
        if self.max_new_spin is not None:
            store.setValue(_KEY + "max_new_tokens", self.max_new_spin.value())
        self._update_enabled()

    def _on_stream_event(self, item: Begun | Piece | Done) -> None:
        if isinstance(item, Begun):
            self._predictor = item.predictor
        elif isinstance(item, Piece):
            self.pieces += 1
            self._tokens = item.tokens
            self._buffer.append(item.text)
            self.piece_arrived.emit(item.text)
            if not self._repaint.isActive():
                self._flush()  # the first piece after a pause shows at once ...
                self._repaint.start()  # ... later ones wait for the next frame
        elif isinstance(item, Done):
            self._flush()
            self._repaint.stop()
            result = item.result
            self._tokens = int(result.get("new_tokens", self._tokens))
            self.info_label.setText(self._summary(result, item.seconds))
            self._runner.cancel()  # finished: nothing more may land, and busy is over
            self._update_enabled()
            self.streaming_changed.emit(False)
            self._report(result, item.seconds)

    def _on_repaint_timeout(self) -> None:
        if self._buffer:
            self._flush()
            self._repaint.start()

    def _on_stream_error(self, message: str) -> None:
        self._flush()
        self._repaint.stop()
        self.info_label.setText(self.tr("Generation failed."))
        self._update_enabled()
        self.streaming_changed.emit(False)
        self.failed.emit(message)

    # ---- drawing ----------------------------------------------------------------------------

    def _draw_prompt(self, prompt: str) -> None:
        self.view.setHtml(
            f"<p style='font-size:12pt; white-space:pre-wrap'>{html.escape(prompt)}</p>"
        )

    def _flush(self) -> None:
        if not self._buffer:
            return
        text = "".join(self._buffer)
        self._buffer = []
        bar = self.view.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4  # at the end: keep following the text
        cursor = QTextCursor(self.view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text, self._format)
        self._shown += text
        self.updates += 1
        if follow:
            bar.setValue(bar.maximum())
        self.info_label.setText(self.tr("generating… {tokens} tokens").format(tokens=self._tokens))

    def _end_current(self) -> None:
        """Stop the worker (it notices before its next token) and drop its late results."""
        self._stop.set()
        was_busy = self.busy
        self._runner.cancel()
        self._repaint.stop()
        self._update_enabled()
        if was_busy:
            self.streaming_changed.emit(False)

    def _report(self, result: dict[str, Any], seconds: float) -> None:
        bar = self.view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        self.finished.emit((self._predictor, self._prompt, result, seconds * 1000.0))
        if at_end:  # the receiver may redraw the whole text: stay at its end
            self.view.moveCursor(QTextCursor.MoveOperation.End)
            self.view.ensureCursorVisible()

    @staticmethod
    def _summary(result: dict[str, Any], seconds: float) -> str:
        # A staticmethod has no self.tr: the context is spelled out.
        tokens = int(result.get("new_tokens") or 0)
        parts = [
            translate("GenerationControls", "{tokens} tokens in {seconds} s").format(
                tokens=tokens, seconds=f"{seconds:.1f}"
            )
        ]
        if seconds > 0 and tokens:
            parts.append(translate("GenerationControls", "{rate} tokens/s").format(rate=f"{tokens / seconds:.0f}"))
        if result.get("seed") is not None:
            parts.append(translate("GenerationControls", "seed {seed}").format(seed=result["seed"]))
        reason = result.get("finish_reason")
        if reason == "eos":
            parts.append(translate("GenerationControls", "ended at end-of-text"))
        elif result.get("notice"):
            parts.append(str(result["notice"]))
        return " · ".join(parts)
