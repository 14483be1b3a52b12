"""Closing the window mid-run does not freeze it while the checkpoint is saved (issue 20): the close
waits with a busy indicator, the event loop keeps turning, and the window closes once the run ended."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import assert_no_active_timers
from tests.gui.test_main_window import configure_tiny_run, load_dataset, sst2_csv  # noqa: F401 - a fixture
from workbench.engine.runs import RunFolder
from workbench.gui.main_window import MainWindow
from workbench.gui.workers import running_workers


def test_closing_mid_run_stays_responsive_saves_a_checkpoint_then_closes(
    qtbot, window: MainWindow, sst2_csv: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    w = window
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=100_000, eval_every=100_000)
    steps: list[int] = []
    w.training_panel.run_event.connect(lambda e: steps.append(e.step) if type(e).__name__ == "StepLogged" else None)
    w.training_panel.start()
    qtbot.waitUntil(lambda: len(steps) >= 2, timeout=60_000)
    output = w.training_panel.output_dir

    asked: list[tuple] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    # A main-thread timer: it only ticks while the event loop turns.
    ticks_while_stopping: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(
        lambda: ticks_while_stopping.append(1) if w.training_panel.running_in_process else None)
    timer.start()
    try:
        assert not w.close()  # was: blocked here until the worker had saved the checkpoint, then closed
        assert asked, "closing during training must ask first"
        assert w.isVisible() and w.close_progress.isVisible() and w.close_label.isVisible()
        assert not w.centralWidget().isEnabled()  # no new work starts while the window waits to close
        qtbot.waitUntil(lambda: not w.isVisible(), timeout=120_000)
    finally:
        timer.stop()
    assert ticks_while_stopping, "the main thread must keep turning while the run stops"
    assert len(asked) == 1  # closed for real without asking again
    assert not running_workers()
    assert_no_active_timers(w)
    folder = RunFolder(output)
    assert folder.read_summary()["status"] == "cancelled"
    assert (folder.checkpoints_dir / "latest").is_file()
