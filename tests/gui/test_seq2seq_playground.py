"""The prediction panel with a real encoder-decoder: type a source, see the generated output (issue 16).

The output streams in token by token (greedy, sampling), beam search shows its result when done,
Stop ends a generation early, and a dialogue model's playground is a conversation whose context
is composed as training composed it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox, QTextEdit

from workbench.engine.inference import Predictor
from workbench.engine.models.loading import ModelSource
from workbench.engine.models.presets import PRESETS, preset_config, train_tokenizer
from workbench.engine.tasks.seq2seq import SourceFormat
from workbench.gui.panels.prediction_panel import PredictionPanel
from workbench.gui.widgets.generation_view import GenerationControls
from workbench.gui.widgets.seq2seq_playground import BEAM, GREEDY, SAMPLING, Seq2SeqControls
from workbench.gui.widgets.streaming_controls import settings_store

WAIT_MS = 20_000


@pytest.fixture
def predictor() -> Predictor:
    """A random one-layer t5-tiny with the presets' own tokenizer (what a fresh run would save)."""
    from transformers import AutoModelForSeq2SeqLM

    tokenizer = train_tokenizer("t5", ["I have to go to work.", "我得去工作了。", "Good night.", "晚安。"] * 5, 300)
    config = preset_config(PRESETS["t5-tiny"].with_overrides(layers=1, hidden=32, heads=2), tokenizer)
    torch.manual_seed(0)
    model = AutoModelForSeq2SeqLM.from_config(config).eval()
    # Random weights may choose only special tokens (nothing to show): generation leaves them out.
    model.generation_config.suppress_tokens = list(tokenizer.all_special_ids)
    return Predictor(model, tokenizer, "translation", [], 32, ModelSource("folder", "t5-tiny run"))


@pytest.fixture
def panel(qtbot) -> Iterator[PredictionPanel]:
    widget = PredictionPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    widget.shutdown()


def test_typing_a_source_shows_the_generated_output(qtbot, panel, predictor) -> None:
    panel.set_predictor(predictor)
    assert panel.max_new_spin.isVisibleTo(panel) and not panel.generate_button.isVisibleTo(panel)
    panel.max_new_spin.setValue(5)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.set_text("I have to go to work.")  # live: the prediction follows the typing
    assert panel.results.currentWidget() is panel.output_view
    expected = predictor.predict(["I have to go to work."], max_new_tokens=5)[0]["output"]
    assert expected and panel.output_view.toPlainText() == expected
    assert panel.last_result is not None and panel.last_result["output"] == expected


def _slowed(predictor: Predictor, seconds: float) -> Predictor:
    """The same model, each decoder step ``seconds`` slower: a stream long enough to watch."""
    predictor.model.decoder.register_forward_pre_hook(lambda *_: time.sleep(seconds))
    return predictor


def _outputs(panel: PredictionPanel) -> list[str]:
    """Every text the output box showed, in order (collected from its changes)."""
    seen: list[str] = []
    panel.output_view.textChanged.connect(lambda: seen.append(panel.output_view.toPlainText()))
    return seen


def test_the_output_streams_in_and_ends_as_greedy_prediction(qtbot, panel, predictor) -> None:
    panel.set_predictor(_slowed(predictor, 0.03))
    panel.max_new_spin.setValue(12)
    seen = _outputs(panel)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.set_text("I have to go to work.")
    expected = predictor.predict(["I have to go to work."], max_new_tokens=12)[0]["output"]
    shown = [text for text in seen if text]
    assert panel.seq2seq.updates >= 2 and len(set(shown)) >= 2  # partial outputs before the end
    assert all(expected.startswith(text) for text in shown)
    assert panel.output_view.toPlainText() == expected == panel.last_result["output"]


def test_stop_ends_the_generation_early(qtbot, panel, predictor) -> None:
    panel.set_predictor(_slowed(predictor, 0.05))
    panel.max_new_spin.setValue(200)
    seen = _outputs(panel)
    streaming: list[bool] = []
    panel.seq2seq.streaming_changed.connect(streaming.append)
    panel.set_text("I have to go to work.")
    qtbot.waitUntil(lambda: any(seen), timeout=WAIT_MS)
    assert panel.seq2seq.stop_button.isEnabled() and panel.seq2seq.stop_shortcut.isEnabled()
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.mouseClick(panel.seq2seq.stop_button, Qt.MouseButton.LeftButton)
    result = panel.last_result
    assert result["finish_reason"] == "stopped" and 0 < len(result["tokens"]) < 200
    assert panel.output_view.toPlainText() == result["output"]
    assert not panel.seq2seq.stop_button.isEnabled() and not panel.seq2seq.stop_shortcut.isEnabled()
    assert streaming[0] is True and streaming[-1] is False and not panel.seq2seq.busy


def test_beam_search_shows_the_predictors_beam_result(qtbot, panel, predictor) -> None:
    panel.set_predictor(predictor)
    panel.seq2seq.set_mode(BEAM)
    panel.seq2seq.beams_spin.setValue(4)
    panel.max_new_spin.setValue(8)
    assert panel.seq2seq.beams_spin.isVisibleTo(panel) and not panel.seq2seq.top_p_spin.isVisibleTo(panel)
    seen = _outputs(panel)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.set_text("Good night.")
    expected = predictor.predict(["Good night."], num_beams=4, max_new_tokens=8)[0]["output"]
    assert panel.output_view.toPlainText() == expected and {text for text in seen if text} == {expected}  # no partial output


def test_decoding_settings_are_remembered(qtbot, panel) -> None:
    panel.seq2seq.set_mode(SAMPLING)
    panel.seq2seq.temperature_spin.setValue(0.9)
    panel.max_new_spin.setValue(17)
    again = Seq2SeqControls(panel.output_view, max_new_spin=panel.max_new_spin)
    qtbot.addWidget(again)
    assert again.mode == SAMPLING and again.temperature_spin.value() == pytest.approx(0.9)
    assert again.options() == {"max_new_tokens": 17, "temperature": 0.9, "top_k": 0, "top_p": 1.0}


def test_damaged_remembered_settings_keep_the_defaults(qtbot) -> None:
    store = settings_store()
    for key, value in (("seq2seq/mode", "no such mode"), ("seq2seq/num_beams", "many"), ("seq2seq/top_k", 12),
                       ("generation/temperature", "warm"), ("generation/seed", 5)):
        store.setValue(key, value)
    spin = QSpinBox()
    spin.setRange(1, 512)
    controls = Seq2SeqControls(QTextEdit(), max_new_spin=spin)
    generation = GenerationControls(QTextEdit())
    qtbot.addWidget(controls)
    qtbot.addWidget(generation)
    assert controls.mode == GREEDY and controls.beams_spin.value() == 4 and controls.top_k_spin.value() == 12
    assert generation.temperature_spin.value() == 0.0 and generation.settings().seed == 5
    controls.set_mode(BEAM)  # a change saves every setting under its key
    assert settings_store().value("seq2seq/mode") == BEAM and int(settings_store().value("seq2seq/num_beams")) == 4


def test_dialogue_chat_keeps_the_history_and_composes_the_context_as_training(qtbot, panel, predictor) -> None:
    meta = {"context_turns": 3, "turn_separator": " || "}  # what a dialogue run saves
    chat_predictor = dataclasses.replace(predictor, task="dialogue", meta=meta)
    panel.set_predictor(chat_predictor)
    panel.max_new_spin.setValue(5)
    assert panel.chat_view.isVisibleTo(panel) and panel.generate_button.isVisibleTo(panel)
    turns = ("hello", "how are you", "good night")
    history: list[str] = []
    for turn in turns:
        panel.set_text(turn)  # not live: a turn is said on request
        with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
            qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
        expected = chat_predictor.predict([turn], history=history, max_new_tokens=5)[0]["output"]
        assert panel.last_result["output"] == expected and panel.text() == ""  # the box is free again
        history += [turn, expected]
        assert panel.chat_view.history == history
    # The model read the last two turns before the new one, joined by the run's separator.
    context = SourceFormat.from_settings(meta).compose("next", history)
    assert panel.chat_view.context("next", meta) == context == " || ".join([*history[-2:], "next"])
    assert history[-2] in panel.chat_view.context_label.text()
    qtbot.mouseClick(panel.chat_view.new_button, Qt.MouseButton.LeftButton)
    assert panel.chat_view.history == [] and panel.results.currentWidget() is not panel.output_view
