"""The runs panel never deletes or archives more than the runs the user sees."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.conftest import assert_no_active_timers
from workbench.engine.runs import RunFolder
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.runs_panel import RunsPanel
from workbench.gui.settings import Settings, default_workspace


def _run(path: Path) -> Path:
    run = RunFolder(path)
    run.create()
    TrainConfig(data="train.tsv", model="bert-tiny", output=str(path)).save(run.config_path)
    run.append_metric(ev.StepLogged(1, 1, 0.1, 0.7, 1e-3, 1.0, 10.0, 0.1, 1.0).to_record())
    run.append_metric(ev.TrainFinished(1, {}).to_record())
    run.write_summary({"status": "finished", "steps": 1})
    return path


def _open_warning() -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    return boxes[-1] if boxes else None


def _panel(qtbot, settings: Settings) -> RunsPanel:
    panel = RunsPanel(settings)
    qtbot.addWidget(panel)
    return panel


def test_a_run_folder_is_refused_as_the_workspace(qtbot, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run = _run(ws / "finished")
    panel = _panel(qtbot, Settings())
    panel.show()
    with qtbot.waitSignal(panel.scanned, timeout=30_000):
        assert panel.set_workspace(ws)
    assert not panel.set_workspace(run)  # was accepted: new runs then went inside it
    assert panel.workspace == ws and Settings().workspace() == ws
    box = _open_warning()
    assert box is not None and "is a run folder" in box.text()
    box.close()
    panel.shutdown()
    assert_no_active_timers(panel)


def test_a_remembered_workspace_that_is_a_run_folder_is_not_used(qtbot, tmp_path: Path) -> None:
    run = _run(tmp_path / "ws" / "finished")
    settings = Settings()
    settings.set_workspace(run)  # what an older version let the user choose
    panel = _panel(qtbot, settings)
    assert panel.workspace == default_workspace() and settings.workspace() == default_workspace()
    assert "is a run folder" in panel.status_label.text()
    panel.shutdown()


def test_delete_of_a_run_holding_other_runs_is_refused_and_lists_them(qtbot, tmp_path: Path, monkeypatch) -> None:
    ws = tmp_path / "ws"
    outer = _run(ws / "outer")
    inner = _run(outer / "inner")  # written there while an older version had "outer" as the workspace
    panel = _panel(qtbot, Settings())
    panel.show()
    with qtbot.waitSignal(panel.scanned, timeout=30_000):
        panel.set_workspace(ws)
    assert sorted(panel.model.run_at(r).name for r in range(panel.model.rowCount())) == ["inner", "outer"]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)

    panel.select_paths([str(outer)])
    panel.delete_selected()
    box = _open_warning()
    assert box is not None and "inner" in box.text() and "Nothing was changed" in box.text()
    box.close()
    assert not asked and not panel._file_runner.busy  # refused before any question or deletion
    assert (outer / "metrics.jsonl").is_file() and (inner / "metrics.jsonl").is_file()

    panel.select_paths([str(inner)])  # the inner run alone: asked, then deleted
    with qtbot.waitSignal(panel.runs_removed, timeout=30_000):
        panel.delete_selected()
    assert asked and "outer/inner" in asked[0] and not inner.exists() and outer.exists()
    panel.shutdown()
    assert_no_active_timers(panel)
