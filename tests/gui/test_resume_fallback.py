"""A resume whose latest checkpoint is damaged: the dialog names it and offers the intact one before it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import assert_no_active_timers
from tests.reliability_kit import CORRUPTIONS, stopped_run
from workbench.engine.runs import RunFolder
from workbench.engine.training.config import TrainConfig
from workbench.gui.main_window import MainWindow
from workbench.gui.settings import Settings
from workbench.gui.workers import running_workers


@pytest.fixture
def damaged_run(tmp_path: Path) -> Path:
    """A run stopped at step 6 (checkpoints 2, 4, 6) whose step-6 weights lost a byte."""
    out = stopped_run(tmp_path)
    CORRUPTIONS["flipped_byte_weights"](out / "checkpoints" / "step-0000006")
    return out


def test_damaged_latest_offers_the_previous_checkpoint(qtbot, tmp_path: Path, damaged_run: Path) -> None:
    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    w = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(w)
    w.show()
    panel = w.training_panel
    panel._config_provider = lambda: TrainConfig.load(damaged_run / "config.json")  # the run's own settings

    with qtbot.waitSignal(panel.run_finished, timeout=60_000) as blocker:
        panel.start(resume_from=str(damaged_run))
    assert blocker.args[0] == "error"
    assert "step-0000006" in panel.last_error and "checksum" in panel.last_error
    assert panel.resume_fallback == "step-0000004"
    assert not panel.running and panel.status == "failed"  # idle again, nothing left running

    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    offer = [b for b in boxes[0].buttons() if b.text() == "Resume from step-0000004"]
    assert offer and offer[0].toolTip()
    with qtbot.waitSignal(panel.run_finished, timeout=60_000) as blocker:
        offer[0].click()
    assert blocker.args[0] == "finished"
    summary = RunFolder(damaged_run).read_summary()
    assert summary["status"] == "finished" and summary["steps"] == 10
    w.close()
    assert not running_workers()
    assert_no_active_timers(w)
