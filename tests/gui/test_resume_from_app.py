"""Resume a stopped run from the app, and the prediction panel that follows every run that stops.

One real run (a one-layer bert-tiny from scratch on a few dozen SST-2 rows, a
checkpoint every 4 steps), driven through the window: Stop after a checkpoint, predict
with the stopped run's checkpoint (panel and CLI), list its checkpoints in the chooser,
resume it from the Runs tab and see the curves go on without a duplicated step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.conftest import shared
from tests.gui.test_main_window import choose
from tests.reliability_kit import stopped_run
from workbench.engine.run_index import run_status
from workbench.engine.runs import RunFolder
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.gui.main_window import MainWindow
from workbench.gui.panels.training_panel import TrainingPanel

MAX_STEPS = 30
EVAL_EVERY = 4  # a checkpoint with every evaluation: 4, 8, 12 before the stop


@pytest.fixture
def sst2_csv(tmp_path: Path) -> Path:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:97]
    path = tmp_path / "reviews.csv"
    rows = ['"{}",{}'.format(t.strip().replace('"', '""'), "pos" if y == "1" else "neg")
            for t, y in (line.rsplit("\t", 1) for line in lines)]
    path.write_text("sentence,sentiment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _configure_tiny_run(w: MainWindow) -> None:
    m = w.model_panel
    choose(m.model_combo, "bert-tiny")
    m.layers_spin.setValue(1)
    m.heads_spin.setValue(2)
    m.hidden_spin.setValue(32)
    m.vocab_spin.setValue(500)
    m.max_length_spin.setValue(32)
    m.steps_radio.click()
    m.steps_spin.setValue(MAX_STEPS)
    m.batch_spin.setValue(8)
    m.eval_spin.setValue(EVAL_EVERY)
    m.keep_spin.setValue(20)  # keep every checkpoint, so the chooser has several to list
    m.threads_spin.setValue(1)


def test_stop_predict_with_the_checkpoint_then_resume_from_the_runs_tab(
    qtbot, window: MainWindow, sst2_csv: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w, t, p, runs = window, window.training_panel, window.prediction_panel, window.runs_panel
    with qtbot.waitSignal(w.dataset_panel.dataset_loaded, timeout=30_000):
        w.dataset_panel.open_file(str(sst2_csv))
    _configure_tiny_run(w)
    qtbot.waitUntil(lambda: t.start_button.isEnabled(), timeout=10_000)
    assert not t.resume_run_button.isEnabled()  # nothing stopped yet

    # ---- 1. start, and stop after the checkpoint of step 12 -----------------------------
    steps: list[int] = []

    def on_event(event: object) -> None:
        if isinstance(event, ev.StepLogged):
            steps.append(event.step)
        elif isinstance(event, ev.CheckpointSaved) and event.step >= 3 * EVAL_EVERY and not t.status.startswith("stop"):
            t.stop()

    t.run_event.connect(on_event)
    with qtbot.waitSignal(t.run_finished, timeout=120_000) as finished:
        qtbot.mouseClick(t.start_button, Qt.MouseButton.LeftButton)
    t.run_event.disconnect(on_event)
    status, output = finished.args
    run = Path(output)
    stop_step = steps[-1]
    assert status == "cancelled" and 3 * EVAL_EVERY <= stop_step < MAX_STEPS, (status, steps)
    latest = (run / "checkpoints" / "latest").read_text(encoding="utf-8").strip()
    assert latest == f"step-{stop_step:07d}"  # the stop saved a checkpoint at its step
    assert steps == list(range(1, stop_step + 1))

    # ---- 2. the prediction panel moved to the stopped run's checkpoint, and says so -----
    qtbot.waitUntil(lambda: p.predictor is not None and "checkpoint" in p.origin_label.text(), timeout=60_000)
    assert p.origin_label.text() == f"Model: {run.name} — checkpoint {latest} (run cancelled)"
    assert Path(p.predictor.source.spec).resolve() == (run / "checkpoints" / latest).resolve()
    assert w.evaluation_panel.model_edit.text() == p.predictor.source.spec

    w.show_panel("Prediction")
    with qtbot.waitSignal(p.prediction_ready, timeout=30_000) as predicted:
        qtbot.keyClicks(p.text_edit, "a gorgeous and moving film")
    assert predicted.args[1] == "a gorgeous and moving film"
    gui_probs = p.last_result["probabilities"]
    assert set(gui_probs) == {"neg", "pos"} and abs(sum(gui_probs.values()) - 1) < 1e-5

    # ---- 3. the same run from the command line gives the same prediction ----------------
    from workbench.cli import main as cli_main

    capsys.readouterr()
    assert cli_main(["predict", str(run), "a gorgeous and moving film", "--json"]) == 0
    cli_result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert cli_result["label"] == p.last_result["label"]
    assert all(abs(cli_result["probabilities"][k] - v) < 1e-4 for k, v in gui_probs.items())

    # ---- 4. Resume is offered in the training panel and in the Runs tab ------------------
    qtbot.waitUntil(lambda: t.resume_run_button.isEnabled(), timeout=30_000)
    assert t.resume_target == str(run) and "config.json" in t.resume_run_button.toolTip()
    with qtbot.waitSignal(runs.scanned, timeout=30_000):
        runs.refresh()
    runs.select_paths([str(run)])
    assert runs.resume_button.isEnabled()
    assert "config.json" in runs.resume_button.toolTip() and "Ctrl+Shift+C" in runs.resume_button.toolTip()

    # ---- 5. the chooser lists every checkpoint, a damaged one greyed out with the reason --
    checkpoints = sorted(p.name for p in (run / "checkpoints").glob("step-*"))
    assert len(checkpoints) >= 3 and checkpoints[-1] == latest
    damaged = checkpoints[0]
    weights = run / "checkpoints" / damaged / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])  # truncated, as by a full disk
    runs.resume_choose_action.trigger()
    dialog = runs.checkpoint_chooser
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == len(checkpoints), timeout=30_000)
    items = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    assert [item.text(0) for item in items] == checkpoints[::-1]  # newest first
    assert [item.text(1) for item in items] == [str(int(n.split("-")[1])) for n in checkpoints[::-1]]
    assert all(item.text(2) for item in items)  # when each was saved
    bad = items[-1]
    assert not bad.flags() & Qt.ItemFlag.ItemIsEnabled
    assert bad.text(3).startswith("damaged: model.safetensors: truncated")
    assert "model.safetensors" in bad.toolTip(0)
    assert dialog.chosen == latest  # the latest, intact, is preselected
    assert dialog.status_label.text() == f"{len(checkpoints)} checkpoints, 1 damaged."
    assert not dialog.select(damaged) and dialog.select(checkpoints[1]) and dialog.chosen == checkpoints[1]
    dialog.reject()
    qtbot.waitUntil(lambda: runs.checkpoint_chooser is None, timeout=5_000)

    # ---- 6. resume from the Runs tab: the run's own config, the curves go on ------------
    # The panels now describe another run; a resume must not pick that up.
    w.model_panel.steps_spin.setValue(500)
    w.model_panel.batch_spin.setValue(4)
    begins: list[ev.TrainBegin] = []
    status_while_training: list[str] = []
    resumed_steps: list[int] = []

    def on_resumed_event(event: object) -> None:
        if isinstance(event, ev.TrainBegin):
            begins.append(event)
            status_while_training.append(run_status(run))
        elif isinstance(event, ev.StepLogged):
            resumed_steps.append(event.step)

    t.run_event.connect(on_resumed_event)
    with qtbot.waitSignal(t.run_finished, timeout=120_000) as finished:
        runs.resume_button.click()
        assert w.tabs.currentWidget() is t
    assert finished.args == ["finished", str(run)]
    assert [b.start_step for b in begins] == [stop_step] and begins[0].total_steps == MAX_STEPS
    assert status_while_training == ["running"]  # not the "cancelled" of the first attempt
    assert resumed_steps == list(range(stop_step + 1, MAX_STEPS + 1))
    # The curves hold the whole run once: the earlier part read back, then the new steps.
    current = t.curves.current
    assert current.loss.x.tolist() == list(range(1, MAX_STEPS + 1))
    assert current.lr.x.tolist() == list(range(1, MAX_STEPS + 1))
    eval_steps = current.val_loss.x.tolist()
    assert eval_steps == sorted(set(eval_steps)) and eval_steps[-1] == MAX_STEPS
    assert not [o for o in t.curves.overlays if o.folder and Path(o.folder) == run]
    summary = RunFolder(run).read_summary()
    assert summary["status"] == "finished" and summary["steps"] == MAX_STEPS and run_status(run) == "finished"
    assert json.loads((run / "config.json").read_text(encoding="utf-8"))["batch_size"] == 8

    # ---- 7. prediction follows the finished run; Resume is no longer offered -------------
    qtbot.waitUntil(lambda: p.origin_label.text() == f"Model: {run.name} — final model (run finished)",
                    timeout=60_000)
    qtbot.waitUntil(lambda: p.predictor is not None and Path(p.predictor.source.spec).name != latest,
                    timeout=60_000)
    qtbot.waitUntil(lambda: "nothing is left to train" in t.resume_run_button.toolTip(), timeout=30_000)
    assert not t.resume_run_button.isEnabled()
    with qtbot.waitSignal(runs.scanned, timeout=30_000):
        runs.refresh()
    runs.select_paths([str(run)])
    assert not runs.resume_button.isEnabled() and "nothing is left to train" in runs.resume_button.toolTip()

    # ---- 8. a run that fails before any checkpoint: no stale model stays -----------------
    w.model_panel.steps_spin.setValue(MAX_STEPS)
    sst2_csv.rename(sst2_csv.with_suffix(".gone"))  # the data vanishes after it was loaded
    shown_boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown_boxes.append(box))
    with qtbot.waitSignal(t.run_finished, timeout=60_000) as finished:
        t.start()
    assert finished.args[0] == "error" and not Path(finished.args[1]).exists()
    assert shown_boxes  # the "Training failed" dialog
    assert p.predictor is None
    line = p.origin_label.text()
    assert line.startswith(f"No model: {Path(finished.args[1]).name} failed before saving any checkpoint")
    assert f"Model: {run.name} — final model (run finished)" in line  # names the model it unloaded


def test_resume_in_a_separate_process_continues_the_curves(qtbot, tmp_path: Path) -> None:
    """Open run, then Resume run › From a checkpoint… with Separate process ticked: the resumed
    process's steps follow the earlier ones read from the log, drawn once, solid."""
    from workbench.gui.dialogs.checkpoint_chooser import CheckpointChooser

    run = stopped_run(tmp_path, stop_at=6, max_steps=10)  # checkpoints 2, 4, 6
    panel = TrainingPanel(lambda: TrainConfig())  # the panels' config: never used by a resume
    qtbot.addWidget(panel)
    panel.background_check.setChecked(True)
    with qtbot.waitSignal(panel.overlay_added, timeout=30_000):
        panel.open_run(str(run))
    qtbot.waitUntil(lambda: panel.resume_run_button.isEnabled(), timeout=30_000)
    assert panel.resume_target == str(run) and len(panel.curves.overlays) == 1

    panel.resume_run_button.choose_action.trigger()
    dialog = panel.findChild(CheckpointChooser)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 3, timeout=30_000)
    assert dialog.chosen == "step-0000006" and dialog.select("step-0000004")
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as finished:
        dialog.ok_button.click()  # an older checkpoint: steps 5 and 6 are trained again
    assert finished.args == ["finished", str(run)], panel.log.toPlainText()
    assert panel.curves.current.loss.x.tolist() == list(range(1, 11))
    assert panel.curves.overlays == []  # the opened run continues solid, not drawn twice
    assert RunFolder(run).read_summary()["status"] == "finished"
    panel.shutdown()
