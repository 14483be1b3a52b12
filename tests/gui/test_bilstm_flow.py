"""The BiLSTM baseline clicked through the app: choose it, train, predict, explain; attention says it does not apply."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from tests.gui.test_main_window import choose, load_dataset, sst2_csv  # noqa: F401 - fixtures (window: conftest)
from tests.gui.test_run_overlay import runs  # noqa: F401 - fixture: a BiLSTM and two bert-tiny runs
from workbench.gui.main_window import MainWindow
from workbench.gui.panels.attention_panel import NO_ATTENTION_MESSAGE, AttentionPanel
from workbench.gui.panels.compare_panel import ComparePanel


def test_choose_train_predict_explain_and_no_attention(qtbot, window: MainWindow, sst2_csv: Path) -> None:  # noqa: F811
    w = window
    m = w.model_panel
    load_dataset(qtbot, w, sst2_csv)
    choose(m.model_combo, "bilstm")
    assert m.model_spec == "bilstm" and "BiLSTM" in m.model_info.text()
    assert not m.heads_spin.isEnabled() and m.layers_spin.isEnabled() and m.hidden_spin.isEnabled()
    qtbot.waitUntil(lambda: m.model_size is not None and m.model_size.params is not None, timeout=30_000)

    # A language-model task is refused where the task is chosen, and Start stays off.
    m.set_task("masked-lm")
    assert any("bilstm" in p and "cannot learn masked-lm" in p for p in m.problems())
    assert m.is_flagged(m.task_combo) and not w.training_panel.start_button.isEnabled()
    m.set_task("classification")
    assert m.problems() == [] and not m.is_flagged(m.task_combo)

    m.hidden_spin.setValue(64)
    m.vocab_spin.setValue(2000)
    m.steps_radio.click()
    m.steps_spin.setValue(40)
    m.batch_spin.setValue(16)
    m.eval_spin.setValue(20)
    m.threads_spin.setValue(1)  # two shared cores: one thread is faster than two that wait for each other
    qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=10_000)
    config = w.current_config()
    assert config.model == "bilstm" and config.hidden == 64 and config.heads is None

    with qtbot.waitSignal(w.prediction_panel.model_loaded, timeout=120_000) as loaded:
        qtbot.mouseClick(w.training_panel.start_button, Qt.MouseButton.LeftButton)
    predictor = loaded.args[0]
    assert type(predictor.model).__name__ == "BiLSTMForSequenceClassification"
    # Evaluations at step 20, at the epoch's end (360 rows / 16 = 23 batches) and at step 40.
    assert w.training_panel.curves.current.metric.n == 3

    # Predict and explain as a user does: saliency works on a BiLSTM.
    p = w.prediction_panel
    w.show_panel("Prediction")
    p.saliency.enabled_check.setChecked(True)
    with qtbot.waitSignal(p.saliency_ready, timeout=60_000) as explained:
        qtbot.keyClicks(p.text_edit, "a gorgeous and moving film")
    attribution = explained.args[0]
    assert set(p.last_result["probabilities"]) == {"neg", "pos"}
    assert abs(sum(p.last_result["probabilities"].values()) - 1) < 1e-5
    assert attribution.tokens[0] == "[CLS]" and np.all(np.isfinite(attribution.attributions))
    assert abs(attribution.delta) <= 0.05 * abs(attribution.attributions.sum()) + 1e-6

    # The attention tab says why there is nothing to show (no worker, no error dialog).
    a = w.attention_panel
    w.show_panel("Attention")
    qtbot.waitUntil(lambda: a.not_applicable, timeout=10_000)
    assert a._status.text() == NO_ATTENTION_MESSAGE and a._note.isVisible()
    assert not a.views.isVisible() and a.computations == 0 and a.maps is None


def test_attention_panel_switches_back_for_a_transformer(qtbot, runs: dict[str, Path]) -> None:  # noqa: F811
    from workbench.engine.inference import Predictor

    panel = AttentionPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_input(Predictor.load(runs["bilstm"]), "a witty movie")
    assert panel.not_applicable and not panel.views.isVisible()
    with qtbot.waitSignal(panel.attention_ready, timeout=60_000):
        panel.set_input(Predictor.load(runs["b"]), "a witty movie")  # bert-tiny
    assert panel.views.isVisible() and panel.current_matrix is not None
    panel.shutdown()


def test_compare_panel_with_a_bilstm_side(qtbot, runs: dict[str, Path]) -> None:  # noqa: F811
    panel = ComparePanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_models(str(runs["bilstm"]), str(runs["b"]))
    panel.set_data(str(runs["dev"]))
    with qtbot.waitSignal(panel.compared, timeout=120_000) as blocker:
        panel.compare()
    comparison = blocker.args[0]
    assert len(comparison) == 100 and "Accuracy A" in panel.summary_label.text()
    assert panel.placeholder_label.text() == NO_ATTENTION_MESSAGE and panel.placeholder_label.isVisible()
    assert not panel.layer_spin.isEnabled() and not panel.head_spin.isEnabled()
    if comparison.disagreements:
        panel.table.selectRow(0)  # no attention difference is attempted, so no error either
        assert not panel._attention_runner.busy and not panel.error_label.isVisible()
    panel.shutdown()


def test_hidden_attention_panel_says_it_at_once_for_a_bilstm(qtbot, runs: dict[str, Path]) -> None:  # noqa: F811
    from workbench.engine.inference import Predictor

    panel = AttentionPanel()
    qtbot.addWidget(panel)  # hidden: set_input still says at once that there is nothing to compute
    panel.set_input(Predictor.load(runs["bilstm"]), "dull")
    assert panel._status.text() == NO_ATTENTION_MESSAGE and panel.computations == 0
    panel.shutdown()
