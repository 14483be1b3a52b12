"""Masked-LM pre-training options in the model panel, and NSP / baseline figures in the training panel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import shared
from tests.gui.conftest import assert_no_active_timers
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.model_panel import ModelPanel
from workbench.gui.panels.training_panel import TrainingPanel


@pytest.fixture
def panel(qtbot):
    p = ModelPanel()
    qtbot.addWidget(p)
    yield p
    p.shutdown()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    text = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:400]
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def _config(panel: ModelPanel) -> TrainConfig:
    config = TrainConfig(data="corpus.txt")
    panel.apply_to(config)
    return config


def test_options_appear_only_for_masked_lm(panel) -> None:
    assert panel.mlm_options.isHidden()  # classification by default
    panel.set_task("masked-lm")
    assert not panel.mlm_options.isHidden()
    for check, words in ((panel.whole_word_check, "WordPiece"), (panel.nsp_check, "next-sentence head")):
        assert words in check.toolTip()
    panel.whole_word_check.setChecked(True)
    panel.nsp_check.setChecked(True)
    config = _config(panel)
    assert config.whole_word_masking and config.next_sentence_prediction and not config.problems()
    assert "--next-sentence-prediction" in panel.command_text()

    # Another task: hidden, and never written into that task's config (NSP would make it invalid).
    panel.set_task("causal-lm")
    assert panel.mlm_options.isHidden()
    config = _config(panel)
    assert not config.whole_word_masking and not config.next_sentence_prediction
    assert not any(p.startswith("next_sentence_prediction") for p in panel.problems())
    panel.set_task("masked-lm")  # the choice is kept for when masked-lm comes back
    assert _config(panel).next_sentence_prediction


def test_options_restored_from_a_loaded_config(panel) -> None:
    panel.load_from(TrainConfig(task="masked-lm", whole_word_masking=False, next_sentence_prediction=True))
    assert not panel.mlm_options.isHidden()
    assert panel.nsp_check.isChecked() and not panel.whole_word_check.isChecked()
    assert _config(panel).next_sentence_prediction
    panel.load_from(TrainConfig(task="classification"))
    assert panel.mlm_options.isHidden() and not panel.nsp_check.isChecked()


def test_a_model_without_an_nsp_head_is_flagged(panel, tmp_path) -> None:
    folder = tmp_path / "roberta"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "roberta"}), encoding="utf-8")
    panel.set_task("masked-lm")
    panel.set_model(str(folder))
    assert not any(p.startswith("next_sentence_prediction") for p in panel.problems())
    panel.nsp_check.setChecked(True)
    problems = [p for p in panel.problems() if p.startswith("next_sentence_prediction")]
    assert problems and "roberta" in problems[0]
    assert "next-sentence head" in panel.nsp_check.toolTip()  # the reason is shown beside the field
    panel.set_model("bert-tiny")
    assert not any(p.startswith("next_sentence_prediction") for p in panel.problems())


def test_keyboard_mnemonics_toggle_the_options(qtbot, panel) -> None:
    panel.set_task("masked-lm")
    with qtbot.waitActive(panel):  # mnemonics work in the active window only
        panel.show()
        panel.activateWindow()
    # A mnemonic "animates" the click: the box toggles a moment after the key.
    QTest.keyClick(panel, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(panel.nsp_check.isChecked, timeout=2000)
    QTest.keyClick(panel, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(panel.whole_word_check.isChecked, timeout=2000)
    assert _config(panel).next_sentence_prediction and _config(panel).whole_word_masking


def test_options_remembered_between_launches(qtbot, tmp_path, corpus) -> None:
    from workbench.gui.main_window import MainWindow
    from workbench.gui.settings import Settings

    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    settings.set_last_config(TrainConfig(data=str(corpus), task="masked-lm", next_sentence_prediction=True,
                                         whole_word_masking=True).to_dict())
    window = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.dataset_panel.busy, timeout=30_000)
    panel = window.model_panel
    assert panel.nsp_check.isChecked() and panel.whole_word_check.isChecked()
    assert not panel.mlm_options.isHidden()
    config = window.current_config()
    assert config.next_sentence_prediction and config.whole_word_masking
    window.close()
    assert_no_active_timers(window)


def test_training_panel_shows_nsp_accuracy_and_the_unigram_baseline(qtbot, tmp_path, corpus) -> None:
    """A real NSP run: the log lists NSP accuracy and the baselines; the metric plot gets a dashed baseline."""
    out = tmp_path / "run"

    def provider() -> TrainConfig:
        return TrainConfig(data=str(corpus), task="masked-lm", model="bert-tiny", next_sentence_prediction=True,
                           max_steps=4, eval_every=2, batch_size=8, max_length=48, vocab_size=600, layers=1,
                           hidden=64, num_threads=1, output=str(out))

    panel = TrainingPanel(provider)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as finished:
        panel.start()
    assert finished.args[0] == "finished"
    summary = json.loads((out / "summary.json").read_text())
    log = panel.log.toPlainText()
    assert f"nsp_accuracy {summary['eval_nsp_accuracy']:.4f}" in log
    assert f"unigram_masked_accuracy {summary['eval_unigram_masked_accuracy']:.4f}" in log
    assert "unigram_perplexity" in log
    x, y = panel.baseline_item.getData()
    assert list(y) == [summary["eval_unigram_masked_accuracy"]] * 2 and list(x) == [0.0, 4.0]
    assert panel.baseline_item in panel.curves.metric_plot.listDataItems()
    panel.clear_button.click()
    assert panel.baseline_item is None
    panel.shutdown()


def test_parameter_count_includes_the_next_sentence_head() -> None:
    """The model panel's exact count: NSP adds BERT's pooler (h*h + h) and the 2-way head (2h + 2)."""
    from workbench.gui.panels.model_panel import _SizeRequest, model_size_job

    shape = dict(layers=1, heads=2, hidden=64, vocab_size=500)
    plain = model_size_job(_SizeRequest("bert-tiny", "preset", "masked-lm", **shape)).params
    nsp = model_size_job(_SizeRequest("bert-tiny", "preset", "masked-lm", next_sentence_prediction=True, **shape)).params
    assert nsp - plain == 64 * 64 + 64 + 2 * 64 + 2
