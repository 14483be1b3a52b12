"""Overlay a finished run's curves beside the live ones: dashed, named after its folder, removable."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.engine.test_compare import compare_runs
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.training_panel import OVERLAY_SHORTCUT, TrainingPanel


def train_tiny_run(data: Path, validation: Path, out: Path, model: str, steps: int = 8, **shape: int) -> Path:
    """A finished run trained in this process (a few seconds): the curves to overlay."""
    from workbench.engine.training.trainer import Trainer

    if not (out / "summary.json").is_file():
        config = TrainConfig(data=str(data), validation=str(validation), model=model, max_steps=steps,
                             batch_size=16, eval_every=4, vocab_size=500, num_threads=1, output=str(out), **shape)
        for _ in Trainer(config).run():
            pass
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = dict(compare_runs(tmp_path_factory))  # SST-2 slices (and bert-tiny runs) shared by the session
    root = tmp_path_factory.getbasetemp() / "overlay_runs"  # trained once per session (train_tiny_run skips)
    paths["bilstm"] = train_tiny_run(paths["train"], paths["dev"], root / "bilstm-run", "bilstm", hidden=32)
    paths["bilstm2"] = train_tiny_run(paths["train"], paths["dev"], root / "bilstm-again", "bilstm", steps=4,
                                      hidden=32)
    return paths


def _steps_and_losses(run: Path) -> tuple[list[int], list[float]]:
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    steps = [r for r in records if r["event"] == "step"]
    return [r["step"] for r in steps], [r["loss"] for r in steps]


def _legend_names(plot) -> list[str]:
    return [label.text for _sample, label in plot.legend.items]


@pytest.fixture
def panel(qtbot, tmp_path: Path, runs: dict[str, Path]) -> TrainingPanel:
    def live_config() -> TrainConfig:
        # The live run: a transformer (a 1-layer, 32-wide BERT), beside the overlaid BiLSTM.
        return TrainConfig(data=str(runs["train"]), validation=str(runs["dev"]), model="bert-tiny", layers=1,
                           heads=2, hidden=32, vocab_size=500, max_steps=6, batch_size=16, eval_every=3,
                           num_threads=1, output=str(tmp_path / "live"))

    p = TrainingPanel(live_config)
    qtbot.addWidget(p)
    p.show()
    yield p
    p.shutdown()


def test_a_finished_run_is_drawn_dashed_beside_the_live_run_and_can_be_removed(
    qtbot, panel: TrainingPanel, runs: dict[str, Path]
) -> None:
    assert not panel.remove_overlay_button.isEnabled()
    with qtbot.waitSignal(panel.overlay_added, timeout=30_000) as blocker:
        panel.open_run(runs["bilstm"])
    assert blocker.args == ["bilstm-run"]  # named after the run's folder (its name says the model)
    overlay = panel.curves.overlays[-1]
    steps, losses = _steps_and_losses(runs["bilstm"])
    np.testing.assert_array_equal(overlay.loss.x, steps)
    np.testing.assert_allclose(overlay.loss.y, losses)
    assert overlay.val_loss.n == 2 and overlay.metric.n == 2  # evaluations at steps 4 and 8
    assert overlay.items["smooth"].opts["pen"].style() == Qt.PenStyle.DashLine
    assert "train loss (bilstm-run)" in _legend_names(panel.curves.loss_plot)
    assert panel.overlay_names() == ["bilstm-run"] and panel.remove_overlay_button.isEnabled()

    # The live transformer run draws its own (solid) curves; the overlay stays.
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as finished:
        panel.start()
    assert finished.args[0] == "finished"
    live = panel.curves.current
    assert live is not None and live.loss.n == 6 and live.metric.n == 2
    assert live.items["smooth"].opts["pen"].style() == Qt.PenStyle.SolidLine
    assert panel.overlay_names() == ["bilstm-run"]

    # A second run of the same model is told apart by its folder.
    with qtbot.waitSignal(panel.overlay_added, timeout=30_000) as blocker:
        panel.open_run(runs["bilstm2"])
    assert blocker.args == ["bilstm-again"]
    assert panel.curves.overlays[-1].loss.n == 4

    # Removing one takes its curves and legend entries off; the menu lists what is left.
    menu = panel.remove_overlay_button.menu()
    assert [a.text() for a in menu.actions() if a.text()] == ["bilstm-run", "bilstm-again", "All overlays"]
    next(a for a in menu.actions() if a.text() == "bilstm-run").trigger()
    assert panel.overlay_names() == ["bilstm-again"]
    assert "train loss (bilstm-run)" not in _legend_names(panel.curves.loss_plot)
    assert overlay.items["smooth"].scene() is None
    assert panel.remove_overlay("bilstm-again")
    assert panel.overlay_names() == [] and not panel.remove_overlay_button.isEnabled()
    assert live.items["smooth"].scene() is not None  # the live run's curves are untouched


def test_overlay_button_and_shortcut_use_the_chosen_folder(
    qtbot, panel: TrainingPanel, runs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(runs["b"]))
    assert panel.open_button.text() == "Overlay run…" and OVERLAY_SHORTCUT in panel.open_button.toolTip()
    with qtbot.waitSignal(panel.overlay_added, timeout=30_000) as blocker:
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [f"{runs['b'].name} · bert-tiny"]  # a folder name without the model gets it
    # Nothing was drawn before it: the metric plot follows the overlaid run's task.
    assert panel.curves.metric_plot.titleLabel.text == "Validation accuracy"
    panel.curves.loss_plot.getViewBox().setFocus()
    with qtbot.waitSignal(panel.overlay_added, timeout=30_000):
        qtbot.keyClick(panel.curves, Qt.Key.Key_R,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(panel.overlay_names()) == 2


def test_a_folder_without_metrics_is_refused_in_the_panel(qtbot, panel: TrainingPanel, tmp_path: Path) -> None:
    with qtbot.waitSignal(panel._overlay_runner.busy_changed, timeout=30_000,
                          check_params_cb=lambda busy: not busy):
        panel.open_run(tmp_path)
    assert panel.overlay_error_label.isVisible()
    assert "no metrics.jsonl" in panel.overlay_error_label.text()
    assert panel.overlay_names() == []


def test_a_run_of_another_task_shows_its_own_metric_named_in_the_legend(
    qtbot, panel: TrainingPanel, tmp_path: Path
) -> None:
    """A language-model run beside a classifier: perplexity, said so; a torn last line is skipped."""
    run = tmp_path / "lm-run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"model": "gpt-tiny", "task": "causal-lm"}))
    records = [{"event": "train_begin", "total_steps": 3}]
    records += [{"event": "step", "step": s, "loss": 5.0 - s, "learning_rate": 1e-3} for s in (1, 2, 3)]
    records += [{"event": "eval", "step": 3, "metrics": {"eval_loss": 1.5, "eval_perplexity": 4.48}}]
    text = "\n".join(json.dumps(r) for r in records) + '\n{"event": "step", "st'  # a line still being written
    (run / "metrics.jsonl").write_text(text)
    panel.curves.start_run("eval_accuracy")  # a classifier's curves are up
    with qtbot.waitSignal(panel.overlay_added, timeout=30_000) as blocker:
        panel.open_run(run)
    assert blocker.args == ["lm-run · gpt-tiny (perplexity)"]
    overlay = panel.curves.overlays[-1]
    np.testing.assert_array_equal(overlay.loss.y, [4.0, 3.0, 2.0])
    np.testing.assert_array_equal(overlay.metric.y, [4.48])
    np.testing.assert_array_equal(overlay.lr.x, [1, 2, 3])
    panel.curves.stop()


def test_a_resume_from_an_older_checkpoint_replaces_the_abandoned_steps(tmp_path) -> None:
    """metrics.jsonl is append-only: after a resume at step 4 the first attempt's steps 5-6 are dropped."""
    from workbench.gui.widgets.curves import read_run_history

    records = [{"event": "train_begin", "start_step": 0}]
    records += [{"event": "step", "step": s, "loss": 10.0 - s, "learning_rate": 0.1} for s in range(1, 7)]
    records += [{"event": "eval", "step": 4, "metrics": {"eval_loss": 5.0}},
                {"event": "eval", "step": 6, "metrics": {"eval_loss": 4.0}}]
    records += [{"event": "train_begin", "start_step": 4}]
    records += [{"event": "step", "step": s, "loss": 20.0 - s, "learning_rate": 0.2} for s in range(5, 9)]
    records += [{"event": "eval", "step": 8, "metrics": {"eval_loss": 3.0}}]
    (tmp_path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    history = read_run_history(tmp_path)
    assert list(history.steps) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert list(history.loss) == [9, 8, 7, 6, 15, 14, 13, 12]
    assert list(history.eval_steps) == [4, 8] and list(history.metric("eval_loss")) == [5.0, 3.0]
