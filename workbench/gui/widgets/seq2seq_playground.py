"""The sequence-to-sequence playground's controls: decoding settings, Stop, and the streamed output.

``Seq2SeqControls`` holds the decoding choice (greedy, beam search with its beams, length
penalty and no-repeat n-gram size, or sampling with temperature, top-k and top-p; remembered
between sessions) and a Stop button (Esc). ``start()`` runs the engine task's ``stream`` in a
worker (``TaskRunner``): the output so far reaches the main thread after every token and is
drawn in the given view at most every ``REPAINT_MS``. Beam search keeps several candidates
until the end, so its output shows when done (the mode's tooltip says so). The worker, Stop,
the redraw cap and the remembered settings are ``StreamingControls``'.

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

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QTextEdit, QWidget

from workbench.gui.i18n import translate
from workbench.gui.widgets.streaming_controls import (
    REPAINT_MS,
    SettingWidget,
    StreamingControls,
    live_predictor,
)

__all__ = ["BEAM", "GREEDY", "REPAINT_MS", "SAMPLING", "Seq2SeqControls", "stream_job"]

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

    predictor = live_predictor(predictor, live_source)
    for item in get_task(predictor.task).stream(predictor, text, stop.is_set, **options):
        yield predictor, item


class Seq2SeqControls(StreamingControls):
    """Decoding settings and Stop for an encoder-decoder; streams outputs into ``view``."""

    SETTINGS_PREFIX = "seq2seq/"

    def __init__(
        self, view: QTextEdit, *, max_new_spin: QSpinBox, shortcut_host: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self._latest: str | None = None  # the output so far, not drawn yet
        self._shown = ""
        self._history: list[str] = []
        super().__init__(view, max_new_spin=max_new_spin, shortcut_host=shortcut_host, parent=parent)

    # ---- public API -------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return str(self.mode_combo.currentData())

    def set_mode(self, mode: str) -> None:
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))

    def options(self) -> dict[str, Any]:
        """The engine's generation options (``GenerationOptions`` fields) the controls show."""
        assert self.max_new_spin is not None  # required by __init__
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
        self._history = list(history or [])
        self._start_stream(stream_job, predictor, live_source, text, {**self.options(), "history": self._history})

    # ---- UI ------------------------------------------------------------------------------

    def _build(self, row: QHBoxLayout) -> None:
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
        self.stop_button.setToolTip(self.tr("Stop generating now; the output so far is kept (Esc)."))
        self.info_label.setToolTip(self.tr("Tokens generated, time, and why the generation ended."))

        row.addWidget(self.mode_combo)
        self._mode_widgets: dict[str, list[QWidget]] = {GREEDY: [], BEAM: [], SAMPLING: []}
        for mode, text, spin in (
            (BEAM, self.tr("Beams"), self.beams_spin), (BEAM, self.tr("Length penalty"), self.length_spin),
            (BEAM, self.tr("No-repeat n-gram"), self.no_repeat_spin),
            (SAMPLING, self.tr("Temperature"), self.temperature_spin), (SAMPLING, self.tr("Top-k"), self.top_k_spin),
            (SAMPLING, self.tr("Top-p"), self.top_p_spin),
        ):
            self._mode_widgets[mode] += [self._add_labelled(row, text, spin), spin]

    def _remembered_settings(self) -> dict[str, SettingWidget]:
        return {"mode": self.mode_combo, "num_beams": self.beams_spin, "length_penalty": self.length_spin,
                "no_repeat_ngram_size": self.no_repeat_spin, "temperature": self.temperature_spin,
                "top_k": self.top_k_spin, "top_p": self.top_p_spin}

    def _update_settings_widgets(self) -> None:
        for mode, widgets in self._mode_widgets.items():
            for widget in widgets:
                widget.setVisible(mode == self.mode)

    # ---- streaming -------------------------------------------------------------------------

    def _on_stream_event(self, item: tuple[Any, dict[str, Any]]) -> None:
        self._predictor, result = item
        self._latest = result["output"]
        if "finish_reason" not in result:  # the output so far
            self._schedule_repaint()
        else:
            self._finish(result, time.perf_counter() - self._started)

    def _reset_view(self) -> None:
        self._latest, self._shown = None, ""
        self.view.clear()

    def _flush(self) -> bool:
        if self._latest is None or self._latest == self._shown:
            return False
        self._shown = self._latest
        self.view.setHtml(f"<p style='font-size:13pt; white-space:pre-wrap'>{html.escape(self._shown)}</p>")
        self.updates += 1
        return True

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
