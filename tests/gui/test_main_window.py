"""The whole app driven like a person would: real engine, real threads, offscreen Qt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.conftest import shared
from workbench.engine.runs import RunFolder
from workbench.gui.main_window import TAB_NAMES, MainWindow
from workbench.gui.settings import Settings


@pytest.fixture
def sst2_csv(tmp_path: Path) -> Path:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:401]
    path = tmp_path / "my reviews.csv"
    rows = ['"{}",{}'.format(t.strip().replace('"', '""'), "pos" if y == "1" else "neg")
            for t, y in (line.rsplit("\t", 1) for line in lines)]
    path.write_text("sentence,sentiment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def choose(combo, data: str) -> None:
    """Pick an item as a user does (the 'activated' signal follows a user's choice)."""
    index = combo.findData(data)
    if index < 0:
        index = combo.findText(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def configure_tiny_run(w: MainWindow, steps: int, eval_every: int) -> None:
    m = w.model_panel
    choose(m.model_combo, "bert-tiny")
    m.vocab_spin.setValue(2000)
    m.steps_radio.click()
    m.steps_spin.setValue(steps)
    m.batch_spin.setValue(16)
    m.eval_spin.setValue(eval_every)


def load_dataset(qtbot, w: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(w.dataset_panel.dataset_loaded, timeout=30_000):
        w.dataset_panel.open_file(str(path))


def test_point_and_click_end_to_end(qtbot, window: MainWindow, sst2_csv: Path) -> None:
    w = window
    load_dataset(qtbot, w, sst2_csv)
    assert w.dataset_panel.problems() == []
    configure_tiny_run(w, steps=30, eval_every=10)
    qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=10_000)

    evals = []
    w.training_panel.run_event.connect(lambda e: evals.append(e) if type(e).__name__ == "EvalDone" else None)
    with qtbot.waitSignal(w.prediction_panel.model_loaded, timeout=120_000):
        qtbot.mouseClick(w.training_panel.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(evals) >= 2, timeout=60_000)
        assert w.training_panel.running
        assert "training step" in w.status_label.text().lower() or "preparing" in w.status_label.text().lower()
    # Every 10 steps and at the end of the epoch (360 training rows / 16 = 23 batches).
    assert [e.step for e in evals] == [10, 20, 23, 30]
    assert w.status_label.text() == "Finished"

    # The curves hold the run's points.
    run = w.training_panel.curves.current
    x, y = run.items["smooth"].getData()
    assert len(x) == 30 and np.all(np.isfinite(y))
    assert run.val_loss.n == 4 and run.metric.n == 4

    # The run folder is complete and the config is the one the panels showed.
    out = Path(w.training_panel.output_dir)
    summary = RunFolder(out).read_summary()
    assert summary["status"] == "finished" and summary["label_names"] == ["neg", "pos"]
    assert summary["data"] == str(sst2_csv)

    # Prediction: typing gives probabilities for the typed text.
    p = w.prediction_panel
    w.show_panel("Prediction")
    with qtbot.waitSignal(p.prediction_ready, timeout=30_000) as blocker:
        qtbot.keyClicks(p.text_edit, "a gorgeous and moving film")
    predictor, text, _result = blocker.args
    assert text == "a gorgeous and moving film"
    probs = p.last_result["probabilities"]
    assert set(probs) == {"neg", "pos"} and abs(sum(probs.values()) - 1) < 1e-5

    # Attention: a heatmap of the right shape for that text.
    a = w.attention_panel
    w.show_panel("Attention")
    qtbot.waitUntil(lambda: a.current_matrix is not None and bool(a.current_tokens), timeout=30_000)
    n_tokens = len(predictor.tokenizer(text)["input_ids"])
    assert a.current_matrix.shape == (n_tokens, n_tokens)
    assert np.allclose(a.current_matrix.sum(axis=1), 1, atol=1e-4)


def test_pause_resume_and_stop(qtbot, window: MainWindow, sst2_csv: Path) -> None:
    w = window
    t = w.training_panel
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=100_000, eval_every=100_000)
    steps = []
    t.run_event.connect(lambda e: steps.append(e.step) if type(e).__name__ == "StepLogged" else None)
    t.start()
    qtbot.waitUntil(lambda: len(steps) >= 3, timeout=60_000)

    t.pause()
    qtbot.waitUntil(lambda: t.status.startswith("paused"), timeout=30_000)
    assert t.pause_button.text() == "Resume"
    at_pause = len(steps)
    qtbot.wait(300)  # paused: no step may arrive in this window
    assert len(steps) == at_pause

    # Live prediction uses the weights being trained (a snapshot, served while paused too).
    p = w.prediction_panel
    with qtbot.waitSignal(p.prediction_ready, timeout=30_000) as blocker:
        p.set_text("a dull , lifeless film")
    live = blocker.args[0]
    assert live is t.control.latest_snapshot()  # the snapshot, not a model loaded from disk
    assert live.label_names == ["neg", "pos"]
    assert set(p.last_result["probabilities"]) == {"neg", "pos"}

    t.resume()
    qtbot.waitUntil(lambda: len(steps) >= at_pause + 3, timeout=30_000)
    with qtbot.waitSignal(t.run_finished, timeout=60_000) as blocker:
        qtbot.mouseClick(t.stop_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == "cancelled"
    assert t.status.startswith("cancelled")
    folder = RunFolder(blocker.args[1])
    assert folder.read_summary()["status"] == "cancelled"
    assert (folder.checkpoints_dir / "latest").is_file()
    assert t.start_button.isEnabled()


def test_declining_to_close_keeps_training(qtbot, window: MainWindow, sst2_csv: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    w = window
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=100_000, eval_every=100_000)
    w.training_panel.start()
    qtbot.waitUntil(lambda: w.training_panel.status.startswith("training"), timeout=60_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not w.close()
    assert w.training_panel.running
    w.training_panel.stop()
    qtbot.waitUntil(lambda: not w.training_panel.running, timeout=60_000)


def test_bad_file_shows_a_message_and_the_app_stays_usable(qtbot, window: MainWindow, sst2_csv: Path) -> None:
    w = window
    bad = Path(__file__).resolve().parents[1] / "data" / "bad" / "ragged_row_extra_field.csv"
    w.dataset_panel.open_file(str(bad))
    qtbot.waitUntil(lambda: not w.dataset_panel.error_banner.isHidden(), timeout=30_000)
    assert bad.name in w.dataset_panel.error_banner.message
    assert not w.training_panel.start_button.isEnabled()
    load_dataset(qtbot, w, sst2_csv)
    assert w.dataset_panel.error_banner.isHidden()
    configure_tiny_run(w, steps=5, eval_every=5)
    qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=10_000)


def test_worker_exception_returns_the_app_to_idle(qtbot, window: MainWindow, sst2_csv: Path) -> None:
    """The file vanishes between loading and training: a readable message, and Start works again."""
    w = window
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=5, eval_every=5)
    sst2_csv.rename(sst2_csv.with_suffix(".moved"))
    with qtbot.waitSignal(w.training_panel.run_finished, timeout=60_000) as blocker:
        w.training_panel.start()
    assert blocker.args[0] == "error"
    assert sst2_csv.name in w.training_panel.last_error
    assert "Traceback" not in w.training_panel.last_error
    assert w.status_label.text() == "Failed"
    assert w.training_panel.start_button.isEnabled()
    assert not w.training_panel.running


def test_state_is_remembered_between_launches(qtbot, tmp_path: Path, sst2_csv: Path) -> None:
    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    first = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(first)
    first.show()
    load_dataset(qtbot, first, sst2_csv)
    configure_tiny_run(first, steps=77, eval_every=7)
    first.show_panel("Model")
    first.close()

    second = MainWindow(demo=True, settings=Settings())
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: not second.dataset_panel.busy and not second.dataset_panel.problems(), timeout=30_000)
    config = second.current_config()
    assert config.data == str(sst2_csv) and config.model == "bert-tiny"
    assert config.max_steps == 77 and config.eval_every == 7
    assert second.tabs.currentIndex() == TAB_NAMES.index("Model")
    second.close()


def test_curve_redraws_are_capped(qtbot, window: MainWindow) -> None:
    """However fast points come, the plots redraw about 10 times a second."""
    curves = window.training_panel.curves
    curves.start_run("eval_accuracy")
    start = curves.redraws
    import time

    t0 = time.monotonic()
    step = 0
    while time.monotonic() - t0 < 1.0:
        for _ in range(2000):
            step += 1
            curves.add_step(step, 1.0 / step, 1e-4)
        qtbot.wait(5)
    elapsed = time.monotonic() - t0
    assert step > 20_000
    assert curves.redraws - start <= elapsed * 10 + 3
    curves.stop()
    assert len(curves.current.items["smooth"].getData()[0]) > 0


def test_reopening_a_finished_run_overlays_its_curves_and_loads_its_model(qtbot, window: MainWindow,
                                                                         sst2_csv: Path) -> None:
    w = window
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=6, eval_every=3)
    with qtbot.waitSignal(w.training_panel.run_finished, timeout=60_000) as blocker:
        w.training_panel.start()
    finished = blocker.args[1]
    w.training_panel.curves.clear()
    with qtbot.waitSignal(w.prediction_panel.model_loaded, timeout=60_000):
        w.open_run(finished)
    overlay = w.training_panel.curves.overlays[-1]
    assert overlay.loss.n == 6 and overlay.val_loss.n == 2
    assert overlay.items["smooth"].getData()[0] is not None


def test_from_a_confusion_cell_to_a_mistake_explained(qtbot, window: MainWindow, sst2_csv: Path) -> None:
    """Evaluate, click a confusion-matrix cell, open a misclassified example: saliency and attention drawn."""
    w = window
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=40, eval_every=40)
    with qtbot.waitSignal(w.training_panel.run_finished, timeout=120_000):
        w.training_panel.start()
    e = w.evaluation_panel
    w.show_panel("Evaluation")
    e.set_data(str(sst2_csv))
    with qtbot.waitSignal(e.evaluated, timeout=60_000):
        e.evaluate()
    confusion = e.confusion
    assert confusion.sum() == 400
    # the off-diagonal cell with most mistakes
    off = confusion.copy()
    np.fill_diagonal(off, -1)
    true, pred = np.unravel_index(int(off.argmax()), off.shape)
    assert off[true, pred] > 0
    e.click_cell(int(true), int(pred))
    assert len(e.visible_examples()) == off[true, pred]

    w.prediction_panel.saliency.enabled_check.setChecked(True)
    view = e.predictions_view
    view.setCurrentIndex(view.model().index(0, 0))  # the most confident mistake of that cell
    with qtbot.waitSignal(w.prediction_panel.saliency_ready, timeout=60_000) as blocker:
        qtbot.mouseClick(e.open_button, Qt.MouseButton.LeftButton)
    attribution = blocker.args[0]
    assert w.tabs.currentIndex() == TAB_NAMES.index("Prediction")
    # It is a mistake: the model predicts the wrong label for it, and saliency explains that prediction.
    labels = w.prediction_panel.predictor.label_names
    assert w.prediction_panel.last_result["label"] == labels[pred] == attribution.target
    assert len(attribution.tokens) == len(attribution.attributions)
    w.show_panel("Attention")
    a = w.attention_panel
    qtbot.waitUntil(lambda: a.current_matrix is not None, timeout=30_000)
    assert a.current_matrix.shape[0] == len(attribution.tokens)
    a.views.setCurrentIndex(1)
    assert a.head_view.visible_links() > 0


def test_what_if_from_the_prediction_panel(qtbot, window: MainWindow, sst2_csv: Path) -> None:
    w = window
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=5, eval_every=5)
    with qtbot.waitSignal(w.prediction_panel.model_loaded, timeout=120_000):
        w.training_panel.start()
    with qtbot.waitSignal(w.prediction_panel.prediction_ready, timeout=30_000):
        w.prediction_panel.set_text("a wonderful film")
    with qtbot.waitSignal(w.whatif_panel.computed, timeout=60_000) as blocker:
        w._on_what_if()
    assert blocker.args[0].original.text == "a wonderful film"
    assert w.tabs.currentIndex() == TAB_NAMES.index("What-if")
