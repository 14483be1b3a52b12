"""Help ▸ System check…: the doctor's report in a dialog, computed off the GUI thread, copyable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.conftest import assert_no_active_timers
from workbench.gui.dialogs.system_check_dialog import SystemCheckDialog
from workbench.gui.main_window import MainWindow
from workbench.gui.settings import Settings
from workbench.gui.workers import running_workers

TITLES = ("Installation", "Qt window libraries", "Display", "Chinese font", "PyTorch", "GPU", "CPU",
          "Free disk", "Memory", "Model hub", "Pre-trained checkpoints")


def help_action(window: MainWindow, text: str):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    return next(a for a in help_menu.actions() if a.text() == text)


def test_help_system_check_opens_the_dialog_and_fills_it_with_the_report(qtbot, tmp_path: Path) -> None:
    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    window = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(window)
    window.show()

    help_action(window, "&System check…").trigger()
    dialog = window.findChild(SystemCheckDialog)
    assert dialog is not None and dialog.isVisible()
    # The check runs in a worker: the window is free while the dialog says it is checking.
    assert dialog.report is None and dialog.busy and running_workers()
    assert "Checking" in dialog.status_label.text()
    assert not dialog.copy_button.isEnabled()

    with qtbot.waitSignal(dialog.report_ready, timeout=60_000):
        pass
    text = dialog.text.toPlainText()
    for title in TITLES:
        assert f"{title}: " in text, title
    assert text == dialog.report.to_text()
    assert "offline" in dialog.report.check("hub").detail  # tests/conftest.py: HF_HUB_OFFLINE=1
    # The disk measured is the workspace's (its nearest existing folder: tmp_path).
    assert str(tmp_path / "runs") in dialog.report.check("disk").detail

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text

    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not dialog.busy  # its worker is done (the window's own start-up import may still run)

    # Opened again, the same dialog checks afresh.
    help_action(window, "&System check…").trigger()
    assert window.findChildren(SystemCheckDialog) == [dialog] and dialog.isVisible() and dialog.report is None
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
    dialog.close()
    window.close()
    assert_no_active_timers(window)
