"""The generation playground's controls: sampling settings, Stop, and the live stream.

``GenerationControls`` holds temperature, top-k, top-p and seed (remembered
between sessions), a Stop button (Esc), and a small status line. ``start()``
runs the engine's ``Predictor.stream`` in a worker thread (``TaskRunner``);
each text piece reaches the main thread as a queued signal and is appended to
the given text view. The main thread does nothing but append: pieces are
buffered and drawn at most every ``REPAINT_MS``, so a fast model's hundreds of
tokens a second cannot flood the event loop with layouts. The worker, Stop,
the redraw cap and the remembered settings are ``StreamingControls``'.

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

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QTextEdit

from workbench.engine.errors import WorkbenchError
from workbench.engine.generation import RANDOM_SEED_LIMIT, GenerationSettings
from workbench.gui.i18n import translate
from workbench.gui.widgets.streaming_controls import (
    REPAINT_MS,
    SettingWidget,
    StreamingControls,
    live_predictor,
)

__all__ = ["REPAINT_MS", "Begun", "Done", "GenerationControls", "Piece", "stream_job"]

# The panel's highlight for generated text (prompt plain, continuation on green).
GENERATED_BACKGROUND = "#d3f9d8"
GENERATED_FOREGROUND = "#1b4d2b"
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
    predictor = live_predictor(predictor, live_source)
    stream = predictor.stream(prompt, settings, should_stop=stop.is_set)
    yield Begun(predictor)
    for piece in stream:
        yield Piece(piece, len(stream.new_ids))
    yield Done(stream.result(), stream.seconds)


class GenerationControls(StreamingControls):
    """Sampling controls and Stop for a causal LM; streams continuations into ``view``.

    ``max_new_spin`` (the host's max-new-tokens box) is remembered with the other
    settings; ``shortcut_host`` is the widget within which Esc stops (default: this one).
    """

    piece_arrived = Signal(str)  # each piece, on the main thread, before it is drawn

    SETTINGS_PREFIX = "generation/"

    def __init__(self, view: QTextEdit, **options: Any) -> None:
        """``options``: StreamingControls' (max_new_spin, shortcut_host, parent)."""
        super().__init__(view, **options)
        self.pieces = 0  # pieces received in the current generation
        self._buffer: list[str] = []
        self._shown = ""  # the continuation drawn so far
        self._tokens = 0
        self._format = QTextCharFormat()
        self._format.setBackground(QBrush(QColor(GENERATED_BACKGROUND)))
        self._format.setForeground(QBrush(QColor(GENERATED_FOREGROUND)))

    # ---- public API -------------------------------------------------------------------

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
        self._start_stream(stream_job, predictor, live_source, prompt, settings)
        return True

    def stop(self) -> None:
        """End the generation now (within one token); the text so far stays and is reported."""
        if not self.busy:
            return
        self._end_current()
        self._flush()
        tokens = self._tokens
        result = {
            "text": self._input,
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
        super().cancel()
        self._buffer = []

    # ---- UI ------------------------------------------------------------------------------

    def _build(self, row: QHBoxLayout) -> None:
        self.temperature_spin = self._double(0.0, 2.0, _DEFAULTS.temperature, self.tr(
            "How adventurous the choice of each next token is. 0 = greedy: always the most likely "
            "token, the same text every time. 0.7-1.0 gives varied text; towards 2 it turns to noise. (Alt+T)"
        ), step=0.1)
        self.temperature_spin.setSpecialValueText(self.tr("0 (greedy)"))
        self.top_k_spin = self._spin(0, 1000, _DEFAULTS.top_k, self.tr(
            "Sample only among the k most likely next tokens; off = among all of them. "
            "No effect at temperature 0. (Alt+K)"
        ))
        self.top_k_spin.setSpecialValueText(self.tr("off"))
        self.top_p_spin = self._double(0.01, 1.0, _DEFAULTS.top_p, self.tr(
            "Nucleus sampling: sample only among the most likely tokens whose probabilities add up to "
            "this much; 1.00 = off. No effect at temperature 0. (Alt+P)"
        ))
        self.seed_spin = self._spin(-1, RANDOM_SEED_LIMIT - 1, -1, self.tr(
            "The random seed for sampling: the same prompt, settings and seed give the same text. "
            "random = a new seed each time (shown below after a generation, to type back in). (Alt+E)"
        ))
        self.seed_spin.setSpecialValueText(self.tr("random"))
        self.stop_button.setToolTip(self.tr("Stop generating now; the text so far is kept (Esc)."))
        self.info_label.setToolTip(self.tr("Tokens generated, speed, and why the generation ended."))
        for text, spin in (
            (self.tr("&Temperature"), self.temperature_spin),
            (self.tr("Top-&k"), self.top_k_spin),
            (self.tr("Top-&p"), self.top_p_spin),
            (self.tr("S&eed"), self.seed_spin),
        ):
            self._add_labelled(row, text, spin)

    def _remembered_settings(self) -> dict[str, SettingWidget]:
        return {"temperature": self.temperature_spin, "top_k": self.top_k_spin,
                "top_p": self.top_p_spin, "seed": self.seed_spin}

    def _update_settings_widgets(self) -> None:
        sampling = self.temperature_spin.value() > 0
        for spin in (self.top_k_spin, self.top_p_spin, self.seed_spin):
            spin.setEnabled(sampling)

    # ---- streaming ---------------------------------------------------------------------------

    def _on_stream_event(self, item: Begun | Piece | Done) -> None:
        if isinstance(item, Begun):
            self._predictor = item.predictor
        elif isinstance(item, Piece):
            self.pieces += 1
            self._tokens = item.tokens
            self._buffer.append(item.text)
            self.piece_arrived.emit(item.text)
            self._schedule_repaint()
        elif isinstance(item, Done):
            self._tokens = int(item.result.get("new_tokens", self._tokens))
            self._finish(item.result, item.seconds)

    # ---- drawing ----------------------------------------------------------------------------

    def _reset_view(self) -> None:
        self._buffer, self._shown = [], ""
        self.pieces = self._tokens = 0
        self.view.setHtml(
            f"<p style='font-size:12pt; white-space:pre-wrap'>{html.escape(self._input)}</p>"
        )

    def _flush(self) -> bool:
        if not self._buffer:
            return False
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
        return True

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
