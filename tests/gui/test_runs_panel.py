"""The runs panel: a workspace's runs listed, overlaid on the same axes, configs diffed, archived, deleted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import assert_no_active_timers
from workbench.engine.training.config import TrainConfig
from workbench.gui.main_window import TAB_NAMES, MainWindow
from workbench.gui.panels.runs_panel import RunsPanel
from workbench.gui.settings import Settings
from workbench.gui.widgets.runs_model import SORT_ROLE


def _train(train: Path, dev: Path, out: Path, **overrides) -> Path:
    from workbench.engine.training.trainer import Trainer

    values = dict(data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32,
                  vocab_size=300, max_steps=8, batch_size=16, eval_every=4, num_threads=1, output=str(out))
    values.update(overrides)
    for _ in Trainer(TrainConfig(**values)).run():
        pass
    return out


@pytest.fixture(scope="module")
def finished_runs(sst2_small, tmp_path_factory) -> dict[str, Path]:
    """Two finished runs that differ in learning rate and length (trained once per module)."""
    train, dev = sst2_small
    root = tmp_path_factory.mktemp("runs")
    return {"a": _train(train, dev, root / "run-a"), "b": _train(train, dev, root / "run-b", lr=3e-3, max_steps=12)}


@pytest.fixture
def workspace(tmp_path: Path, finished_runs: dict[str, Path]) -> Path:
    root = tmp_path / "workspace"
    for run in finished_runs.values():
        shutil.copytree(run, root / run.name)
    return root


@pytest.fixture
def panel(qtbot, workspace: Path) -> RunsPanel:
    p = RunsPanel(Settings())
    qtbot.addWidget(p)
    p.show()  # scans the default workspace; choosing another supersedes that scan
    with qtbot.waitSignal(p.scanned, timeout=20_000):
        p.set_workspace(workspace)
    yield p
    p.shutdown()
    assert_no_active_timers(p)


def _steps(run: Path) -> list[int]:
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    return [r["step"] for r in records if r["event"] == "step"]


def test_runs_are_listed_sortable_and_overlaid_on_the_same_axes(qtbot, panel: RunsPanel, workspace: Path) -> None:
    assert Settings().workspace() == workspace  # remembered, and where new runs go
    assert panel.model.rowCount() == 2
    rows = {panel.model.index(r, 0).data(): r for r in range(2)}
    row_b = rows["run-b"]

    def cell(row: int, col: int) -> object:
        return panel.model.index(row, col).data()

    summary_b = json.loads((workspace / "run-b" / "summary.json").read_text())
    assert cell(row_b, 1) == "finished" and cell(row_b, 2) == "classification" and cell(row_b, 3) == "bert-tiny"
    assert cell(row_b, 4) == "train.tsv"
    assert cell(row_b, 5) == f"accuracy {summary_b['eval_accuracy']:.4f}"
    assert panel.model.index(row_b, 6).data(SORT_ROLE) == pytest.approx(summary_b["train_runtime_s"])
    # Sorting by the metric column orders by the number, not the text.
    panel.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    values = [panel.proxy.index(r, 5).data(SORT_ROLE) for r in range(2)]
    assert values == sorted(values)

    # Reopen one finished run, then add a second: both on the same axes.
    with qtbot.waitSignal(panel.curves_drawn, timeout=20_000) as drawn:
        panel.select_paths([str(workspace / "run-a")])
    assert drawn.args == [["run-a"]]
    with qtbot.waitSignal(panel.curves_drawn, timeout=20_000) as drawn:
        panel.select_paths([str(workspace / "run-a"), str(workspace / "run-b")])
    assert sorted(drawn.args[0]) == ["run-a", "run-b"]
    by_name = {run.name: run for run in panel.curves.overlays}
    assert set(by_name) == {"run-a", "run-b"}
    for name, run in by_name.items():
        np.testing.assert_array_equal(run.loss.x, _steps(workspace / name))
    assert by_name["run-b"].loss.n == 12 and by_name["run-a"].loss.n == 8
    assert by_name["run-a"].metric.n == 2 and by_name["run-b"].metric.n == 3  # evaluations every 4 steps
    assert all(run.items["smooth"].getViewBox() is panel.curves.loss_plot.vb for run in by_name.values())

    # Two selected: their configs differ in exactly the settings that were changed (a, b in table order).
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert panel.diff_button.isEnabled() and not panel.follow_button.isEnabled()
    with qtbot.waitSignal(panel.diff_ready, timeout=10_000) as diff:
        qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert diff.args == [[("lr", None, 3e-3), ("max_steps", 8, 12)]]
    assert panel.details.currentWidget() is panel.diff_table and panel.diff_table.rowCount() == 2
    assert panel.diff_table.item(1, 0).text() == "max_steps" and panel.diff_table.item(1, 2).text() == "12"


def test_archive_and_delete_ask_first(qtbot, panel: RunsPanel, workspace: Path, monkeypatch) -> None:
    answers: list[str] = []

    def answer(reply):
        def question(parent, title, text, *args):
            answers.append(title)
            return reply
        return question

    panel.select_paths([str(workspace / "run-a")])
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    panel.delete_selected()
    assert answers == ["Delete runs"] and (workspace / "run-a").is_dir()  # "No" keeps it

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(panel.scanned, timeout=20_000) as scanned:
        panel.archive_selected()
    assert scanned.args == [1] and panel.status_label.text() == f"1 run in {workspace}, 0 running."
    assert not (workspace / "run-a").exists() and (workspace / ".archive" / "run-a" / "metrics.jsonl").is_file()

    panel.select_paths([str(workspace / "run-b")])
    with qtbot.waitSignal(panel.scanned, timeout=20_000) as scanned:
        qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert scanned.args == [0] and not (workspace / "run-b").exists()
    assert answers[-2:] == ["Archive runs", "Delete runs"]


def test_the_runs_tab_opens_a_model_for_prediction_and_attention(qtbot, tmp_path: Path, workspace: Path) -> None:
    settings = Settings()
    settings.set_workspace(workspace)
    window = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    runs = window.runs_panel
    with qtbot.waitSignal(runs.scanned, timeout=20_000) as scanned:
        window.show_panel("Runs")
    assert scanned.args == [2] and TAB_NAMES[window.tabs.currentIndex()] == "Runs"
    runs.select_paths([str(workspace / "run-b")])
    assert runs.open_model_button.isEnabled()
    with qtbot.waitSignal(window.prediction_panel.model_loaded, timeout=30_000) as loaded:
        runs.open_model_button.click()
    assert TAB_NAMES[window.tabs.currentIndex()] == "Prediction"
    predictor = loaded.args[0]
    assert predictor.label_names == ["0", "1"]
    # Attention follows the prediction panel's model (computed when its tab is shown).
    with qtbot.waitSignal(window.prediction_panel.prediction_ready, timeout=30_000):
        window.prediction_panel.set_text("a gripping, beautifully made film")
    with qtbot.waitSignal(window.attention_panel.attention_ready, timeout=30_000):
        window.show_panel("Attention")
    assert window.attention_panel.current_matrix.shape[0] == len(window.attention_panel.current_tokens)

    # Reopening finished runs (File ▸ Open run…) overlays them in the training panel, one after the other.
    t = window.training_panel
    with qtbot.waitSignal(t.overlay_added, timeout=20_000):
        window.open_run(str(workspace / "run-a"))
    assert window.statusBar().currentMessage() == "run-a: finished" and t.background_run is None
    with qtbot.waitSignal(t.overlay_added, timeout=20_000):
        window.open_run(str(workspace / "run-b"))
    assert len(t.overlay_names()) == 2 and [run.loss.n for run in t.curves.overlays] == [8, 12]
    window.close()
    assert_no_active_timers(window)
