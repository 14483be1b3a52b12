"""Help ▸ System check…: the ``workbench doctor`` report in a dialog, with a Copy button.

The checks (``workbench.engine.system_check``) import torch and wait up to a few
seconds for the hub and ``ldd``, so they run in a worker thread; the dialog shows
"Checking…" meanwhile and the window stays usable. The font check adds the
Chinese font families Qt itself sees (QFontDatabase, asked on this thread).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.system_check import PROBLEM, WARNING, SystemReport, run_checks
from workbench.gui.workers import TaskRunner

_WAIT_FOR_CHECK_MS = 30_000  # the checks end in seconds; this only bounds a hung probe


class SystemCheckDialog(QDialog):
    """Runs the system check when shown through ``start()`` and lists its findings."""

    report_ready = Signal(object)  # the SystemReport, once on show

    def __init__(self, parent: QWidget | None = None, workspace: str | Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("system check")
        self.setWindowTitle(self.tr("System check"))
        self.resize(860, 560)
        self.workspace = workspace
        self.report: SystemReport | None = None
        self._error: str | None = None
        self._runner = TaskRunner(self)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.setToolTip(self.tr("Copy the report, to paste it into a bug report"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.again_button = QPushButton(self.tr("Check &again"))
        self.again_button.clicked.connect(self.start)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        if parent is not None:
            # The window closing must not destroy a thread that still runs the check.
            parent.installEventFilter(self)
        self._update_status()

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def start(self) -> None:
        """Run the checks again in a worker thread; the result replaces what is shown."""
        self.report, self._error = None, None
        self.text.clear()
        self.copy_button.setEnabled(False)
        self.again_button.setEnabled(False)
        families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        self._runner.run(
            run_checks, self.workspace, qt_font_families=list(families),
            on_result=self._on_check_done, on_error=self._on_check_failed,
        )
        self._update_status()

    def _on_check_done(self, report: SystemReport) -> None:
        self.report = report
        self.text.setPlainText(report.to_text())
        self.copy_button.setEnabled(True)
        self.again_button.setEnabled(True)
        self._update_status()
        self.report_ready.emit(report)

    def _on_check_failed(self, message: str) -> None:
        self._error = message
        self.text.setPlainText(message)
        self.copy_button.setEnabled(True)
        self.again_button.setEnabled(True)
        self._update_status()

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status_label.setText(self.tr("The report is on the clipboard."))

    def _update_status(self) -> None:
        if self._error is not None:
            self.status_label.setText(self.tr("The system check failed:"))
        elif self.report is None:
            self.status_label.setText(self.tr("Checking this machine (a few seconds)…"))
        else:
            problems = sum(c.status == PROBLEM for c in self.report.checks)
            warnings = sum(c.status == WARNING for c in self.report.checks)
            if problems or warnings:
                self.status_label.setText(
                    self.tr("{problems} problem(s), {warnings} warning(s): each has its fix below.").format(
                        problems=problems, warnings=warnings)
                )
            else:
                self.status_label.setText(self.tr("Everything the workbench needs is here."))

    def retranslate(self) -> None:
        """View ▸ Language: the status line is formatted from state (the report stays English, like the CLI's)."""
        self._update_status()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.wait()
        return False

    def wait(self, timeout_ms: int = _WAIT_FOR_CHECK_MS) -> bool:
        """Block until a running check ends (its result still arrives); True if none runs now."""
        worker = self._runner.current
        return worker is None or worker.thread.wait(timeout_ms)

    def done(self, result: int) -> None:
        # Closing cancels: a later start() runs afresh. shutdown() waits for the thread.
        self._runner.shutdown(_WAIT_FOR_CHECK_MS)
        self.again_button.setEnabled(True)
        super().done(result)


def open_system_check(parent: QWidget, workspace: str | Path | None = None) -> SystemCheckDialog:
    """Show the parent's system-check dialog (made once, kept as its child) and run the checks."""
    dialog = parent.findChild(SystemCheckDialog)
    if dialog is None:
        dialog = SystemCheckDialog(parent, workspace)
    elif workspace is not None:
        dialog.workspace = workspace
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.start()
    return dialog


def main(argv: list[str] | None = None) -> int:
    """``python -m workbench.gui.dialogs.system_check_dialog``: the dialog on its own."""
    from PySide6.QtWidgets import QApplication

    app: Any = QApplication.instance() or QApplication([sys.argv[0], *(argv or [])])
    dialog = SystemCheckDialog()
    dialog.show()
    dialog.start()
    code = int(app.exec())
    dialog.wait()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
