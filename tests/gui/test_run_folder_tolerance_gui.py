"""Malformed run folders in the app (issue 20, item 3): the runs panel lists them with their
problem, the curves of a selection draw every readable run, an overlay of a damaged log
draws, and file dialogs never open in nor remember a folder like /proc."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from tests.broken_runs import BROKEN, GOOD, build_workspace
from workbench.engine.training.config import TrainConfig
from workbench.gui.dialog_folders import remember_folder, start_folder, usable_folder
from workbench.gui.panels.runs_panel import RunsPanel
from workbench.gui.panels.training_panel import TrainingPanel
from workbench.gui.settings import Settings
from workbench.gui.widgets.runs_model import status_text


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    root = build_workspace(tmp_path / "ws")
    old = time.time() - 3600  # quiet for an hour: nothing passes for a run still writing
    for file in root.rglob("*"):
        os.utime(file, (old, old))
    return root


def test_the_runs_panel_lists_good_and_bad_runs_and_draws_the_readable_curves(qtbot, workspace: Path) -> None:
    panel = RunsPanel(Settings())
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.scanned, timeout=30_000) as scanned:
        assert panel.set_workspace(workspace)
    assert scanned.args == [len(GOOD) + len(BROKEN)]  # one bad folder hid every run before
    assert "Unexpected error" not in panel.status_label.text()
    rows = {panel.model.index(r, 0).data(): r for r in range(panel.model.rowCount())}
    assert set(rows) == {*GOOD, *BROKEN}
    for name in GOOD:
        assert panel.model.index(rows[name], 1).data() == status_text("finished")
        assert panel.model.index(rows[name], 5).data().endswith(("0.7500", "0.5000"))
    bad = rows["summary-not-utf8"]
    assert panel.model.index(bad, 1).data().endswith("⚠")
    from PySide6.QtCore import Qt

    assert "summary.json: not UTF-8" in panel.model.index(bad, 1).data(Qt.ItemDataRole.ToolTipRole)

    # The curves of a selection with bad runs: each readable one drawn, the others explained.
    chosen = [str(workspace / n) for n in ("good-a", "metrics-binary", "metrics-not-utf8", "metrics-wrong-types",
                                           "good-b")]
    with qtbot.waitSignal(panel.curves_drawn, timeout=30_000) as drawn:
        panel.select_paths(chosen)
    assert sorted(drawn.args[0]) == ["good-a", "good-b", "metrics-not-utf8", "metrics-wrong-types"]
    loss = {run.name: run.loss.n for run in panel.curves.overlays}
    assert loss["good-a"] == loss["good-b"] == 4 and loss["metrics-not-utf8"] == 5
    status = panel.status_label.text()
    assert "Unexpected error" not in status and "metrics-binary" in status
    assert "metrics-not-utf8/metrics.jsonl: bytes that are not UTF-8 were replaced" in status
    panel.shutdown()


def test_an_overlay_of_a_log_with_bytes_that_are_not_utf8_is_drawn(qtbot, workspace: Path, tmp_path: Path) -> None:
    panel = TrainingPanel(lambda: TrainConfig(data="train.tsv", model="bert-tiny", output=str(tmp_path / "live")))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.overlay_added, timeout=30_000) as added:  # was "Unexpected error: UnicodeDecodeError"
        panel.open_run(workspace / "metrics-not-utf8")
    assert added.args[0].startswith("metrics-not-utf8")
    assert not panel.overlay_error_label.isVisible()
    panel.shutdown()


def test_dialogs_neither_start_in_nor_remember_kernel_folders(tmp_path: Path) -> None:
    for folder in ("/proc", "/proc/self", "/sys", "/dev", "relative/folder", str(tmp_path / "missing"), "", None, 3,
                   "/x" * 3000, "/tmp/a\0b"):
        assert not usable_folder(folder), folder
    (tmp_path / "file.txt").write_text("x")
    assert not usable_folder(tmp_path / "file.txt") and usable_folder(tmp_path)
    assert start_folder("/proc/self/status", None, tmp_path / "file.txt") == str(tmp_path)
    assert start_folder("/proc") == start_folder("/x" * 3000) == str(Path.home())
    settings = QSettings()
    settings.setValue("test/last_dir", str(tmp_path))
    assert not remember_folder("test/last_dir", "/proc/self")
    assert not remember_folder("test/last_dir", Path("/proc/cpuinfo").parent)
    assert settings.value("test/last_dir") == str(tmp_path)
    assert remember_folder("test/last_dir", tmp_path / "file.txt")  # a chosen file: its folder
    assert settings.value("test/last_dir") == str(tmp_path.resolve())


def test_a_typed_path_is_not_remembered_for_the_data_dialog(qtbot, tmp_path: Path) -> None:
    from workbench.gui.panels.dataset_panel import _SETTINGS_DIR_KEY, DatasetPanel

    QSettings().setValue(_SETTINGS_DIR_KEY, str(tmp_path))
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.open_file("/proc/cpuinfo")  # typed: read (and refused or not), never the dialog's folder
    qtbot.waitUntil(lambda: not panel.busy, timeout=30_000)
    assert QSettings().value(_SETTINGS_DIR_KEY) == str(tmp_path)  # was: /proc
    assert panel._start_dir() == str(tmp_path)  # the loaded file's folder is /proc: skipped
    panel.shutdown()
