"""The generation playground in the prediction panel: streamed tokens, sampling controls, Stop and Esc."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from tests.cli.test_cli_generate import train_gpt_tiny
from workbench.engine.inference import Predictor
from workbench.gui.panels.prediction_panel import PredictionPanel
from workbench.gui.workers import running_workers

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def gpt_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("gpt_gui")
    return train_gpt_tiny(tmp / "run", tmp)


@pytest.fixture
def panel(qtbot, gpt_run):
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.model_loaded, timeout=WAIT_MS):
        panel.set_model(str(gpt_run))
    yield panel
    panel.shutdown()


def test_generate_streams_the_greedy_continuation(qtbot, panel, gpt_run) -> None:
    expected = Predictor.load(gpt_run).predict(["To be"], max_new_tokens=20)[0]["continuation"]
    gen = panel.generation
    assert gen.isVisibleTo(panel) and panel.generate_button.isVisibleTo(panel)
    for control in (
        gen.temperature_spin,
        gen.top_k_spin,
        gen.top_p_spin,
        gen.seed_spin,
        gen.stop_button,
        panel.max_new_spin,
    ):
        assert control.toolTip()
    gen.temperature_spin.setValue(0.0)
    assert (
        not gen.top_k_spin.isEnabled() and not gen.stop_button.isEnabled()
    )  # no sampling at 0, nothing to stop
    panel.max_new_spin.setValue(20)
    panel.set_text("To be")
    pieces: list[str] = []
    gen.piece_arrived.connect(pieces.append)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
        assert gen.stop_button.isEnabled()
    assert len(pieces) > 1 and "".join(pieces) == expected
    assert (
        1 <= gen.updates <= gen.pieces == len(pieces)
    )  # redraws are capped, never more than pieces
    assert panel.continuation_view.toPlainText() == "To be" + expected
    assert (
        panel.last_result["continuation"] == expected
        and panel.last_result["finish_reason"] != "stopped"
    )
    assert "tokens in" in gen.info_label.text() and not gen.stop_button.isEnabled()

    # Ctrl+Enter in the prompt generates again: greedy gives the same text.
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.keyClick(panel.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.continuation_view.toPlainText() == "To be" + expected


def _start_long_generation(qtbot, panel, pieces: list[str]) -> None:
    gen = panel.generation
    gen.temperature_spin.setValue(1.0)
    gen.seed_spin.setValue(3)
    panel.max_new_spin.setValue(500)
    panel.set_text("ROMEO:")
    qtbot.mouseClick(panel.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(pieces) >= 3, timeout=WAIT_MS)


def _assert_stopped_early(qtbot, panel, pieces: list[str]) -> None:
    result = panel.last_result
    assert result["finish_reason"] == "stopped" and 0 < result["new_tokens"] < 500
    shown = panel.continuation_view.toPlainText()
    # A text box shows a generated carriage return as a line break (an untrained model emits any byte).
    expected = ("ROMEO:" + result["continuation"]).replace("\r\n", "\n").replace("\r", "\n")
    assert shown == expected and result["continuation"]
    qtbot.waitUntil(
        lambda: not running_workers(), timeout=WAIT_MS
    )  # the worker noticed within a token
    assert panel.continuation_view.toPlainText() == shown  # nothing landed after Stop
    assert "Stopped after" in panel.generation.info_label.text()
    assert not panel.generation.busy and not panel.generation.stop_button.isEnabled()


def test_stop_button_ends_generation_and_keeps_the_text(qtbot, panel) -> None:
    pieces: list[str] = []
    panel.generation.piece_arrived.connect(pieces.append)
    _start_long_generation(qtbot, panel, pieces)
    panel.text_edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.text_edit, " more")  # the prompt stays editable while tokens stream
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.mouseClick(panel.generation.stop_button, Qt.MouseButton.LeftButton)
    _assert_stopped_early(qtbot, panel, pieces)
    assert panel.text() == "ROMEO: more"


def test_escape_stops_generation(qtbot, panel) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.text_edit.setFocus()
    pieces: list[str] = []
    panel.generation.piece_arrived.connect(pieces.append)
    _start_long_generation(qtbot, panel, pieces)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        qtbot.keyClick(panel.text_edit, Qt.Key.Key_Escape)
    _assert_stopped_early(qtbot, panel, pieces)


def test_sampling_settings_are_remembered(qtbot, panel) -> None:
    gen = panel.generation
    gen.temperature_spin.setValue(0.7)
    gen.top_k_spin.setValue(40)
    gen.top_p_spin.setValue(0.9)
    gen.seed_spin.setValue(42)
    panel.max_new_spin.setValue(64)
    settings = gen.settings()
    assert (
        settings.temperature,
        settings.top_k,
        settings.top_p,
        settings.seed,
        settings.max_new_tokens,
    ) == (0.7, 40, 0.9, 42, 64)
    again = PredictionPanel()
    qtbot.addWidget(again)
    try:
        assert again.generation.settings() == settings
    finally:
        again.shutdown()


def test_seeded_sampling_in_the_panel_matches_the_engine(qtbot, panel, gpt_run) -> None:
    expected = Predictor.load(gpt_run).predict(
        ["Good"], max_new_tokens=12, temperature=0.9, top_k=30, seed=9
    )[0]
    gen = panel.generation
    gen.temperature_spin.setValue(0.9)
    gen.top_k_spin.setValue(30)
    gen.seed_spin.setValue(9)
    panel.max_new_spin.setValue(12)
    panel.set_text("Good")
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.predict_now()
    assert panel.last_result["continuation"] == expected["continuation"]
    assert "seed 9" in gen.info_label.text()
