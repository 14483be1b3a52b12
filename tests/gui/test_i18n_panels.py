"""Translated panels keep working: what the user reads is translated, what code matches on is not.

A marker translator ("<source>") stands in for a language, so the tests see exactly which
strings went through Qt's translation and which stayed as identifiers, without depending
on the compiled catalogue (tests/gui/test_language.py checks the real one).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication

from tests.gui.conftest import install_marker_translator
from workbench.engine.inspection.attention import CAUSAL_NOTE, XLNET_NOTE
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.attention_panel import ENGINE_NOTES
from workbench.gui.panels.model_panel import ModelPanel
from workbench.gui.panels.training_panel import TrainingPanel

_CONTEXTS = {"TrainingPanel", "TrainingCurves", "ModelPanel"}


@pytest.fixture
def marked(qapp) -> Iterator[None]:
    translator = install_marker_translator(qapp, _CONTEXTS)
    yield
    qapp.removeTranslator(translator)


def test_engine_notes_are_kept_word_for_word() -> None:
    # The GUI repeats the engine's notes as literals for lupdate; a reworded note would
    # otherwise show a stale translation.
    assert set(ENGINE_NOTES) == {CAUSAL_NOTE, XLNET_NOTE}
    assert all(source == note for note, source in ENGINE_NOTES.items())


def test_training_status_stays_english_while_the_status_bar_is_translated(qtbot, marked) -> None:
    panel = TrainingPanel(lambda: TrainConfig())
    qtbot.addWidget(panel)
    shown: list[str] = []
    panel.state_changed.connect(shown.append)

    panel._on_worker_event(ev.Paused(step=3))
    assert panel.status == "paused at step 3"  # other code (tests, the tour) matches on this
    assert shown == ["<paused at step {step}>".format(step=3)]
    panel._on_worker_event(ev.TrainCancelled(step=4, checkpoint="run/checkpoints/step-4"))
    assert panel.status.startswith("cancelled")
    assert shown[-1] == "<cancelled at step 4>"
    log = panel.log.toPlainText()
    assert "<Paused at step 3.>" in log and "<Cancelled at step 4; checkpoint run/checkpoints/step-4.>" in log

    assert panel.start_button.text() == "<Start>"
    assert panel.curves.loss_plot.titleLabel.text == "<Loss>"
    assert QCoreApplication.translate("Other", "Start") == "Start"  # the marker is scoped
    panel.shutdown()


def test_model_problems_keep_their_field_name_so_the_field_is_flagged(qtbot, marked) -> None:
    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.set_model("bert-tiny")
    panel.hidden_spin.setValue(128)
    panel.heads_spin.setValue(3)

    heads = [p for p in panel.problems() if p.startswith("heads: ")]
    assert heads == ["heads: <the hidden size {hidden} is not divisible by {heads} heads "
                     "(each head gets hidden / heads dimensions)>".format(hidden=128, heads=3)]
    assert panel.is_flagged(panel.heads_spin) and panel.is_flagged(panel.hidden_spin)
    assert panel.problems_label.text().startswith("⚠ heads: <the hidden size 128")
    qtbot.waitUntil(lambda: not panel.busy, timeout=30_000)
    panel.shutdown()
