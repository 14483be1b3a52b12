"""File ▸ Export model…: a run's model as ONNX (``workbench export``), in a worker with progress.

The export (``workbench.engine.export.onnx_export.export_onnx``) yields a step before
each stage: the progress bar counts them and the status line names the stage. Cancel
stops it at the next stage (an evaluation of the int8 graph stops at its next batch);
the files written so far stay. The report shown is the engine's (English, as the
CLI prints it); errors are the engine's readable messages.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.dialog_folders import start_folder
from workbench.gui.dialogs.job_dialog import JobDialog

OUT_FOLDER = "onnx"  # the default output: a folder of that name inside the run


def _export_job(spec: str, out: str, quantize: str | None, *, cancel: threading.Event) -> Any:
    """Worker: the engine's generator (imported here: torch stays off the GUI's start-up path)."""
    from workbench.engine.export.onnx_export import export_onnx

    return export_onnx(spec, out, quantize=quantize, should_stop=cancel.is_set)


class ExportDialog(JobDialog):
    """Pick a run (or model folder) and an output folder, export, and read the check's figures."""

    exported = Signal(object)  # the OnnxExport report
    failed = Signal(str)  # the readable message
    WAIT_MS = 120_000  # an export ends in seconds to a minute; this only bounds a hung one

    def __init__(self, parent: QWidget | None = None, model: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("export model")
        self.setWindowTitle(self.tr("Export model"))
        self.resize(760, 520)
        self.report: Any = None
        self._out_edited = False
        self._build()
        self.set_model(model)
        if parent is not None:
            parent.installEventFilter(self)  # the window closing waits for a running export
        self._update_buttons()

    def _build(self) -> None:
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText(self.tr("A run folder or a model folder"))
        self.model_edit.textEdited.connect(self._on_model_edited)
        model_button = QPushButton(self.tr("Browse…"))
        model_button.clicked.connect(self._on_browse_model_clicked)
        self.out_edit = QLineEdit()
        self.out_edit.textEdited.connect(self._on_out_edited)
        out_button = QPushButton(self.tr("Browse…"))
        out_button.clicked.connect(self._on_browse_out_clicked)
        self.format_label = QLabel(self.tr("ONNX (dynamic batch and sequence axes), with the tokenizer"))
        self.int8_check = QCheckBox(self.tr("Also write an int8 model (dynamic quantisation) and measure its "
                                            "accuracy change and speed-up"))
        form = QFormLayout()
        form.addRow(self.tr("Model:"), _row(self.model_edit, model_button))
        form.addRow(self.tr("Output folder:"), _row(self.out_edit, out_button))
        form.addRow(self.tr("Format:"), self.format_label)
        form.addRow("", self.int8_check)
        self.report_text = QPlainTextEdit()
        self.report_text.setReadOnly(True)
        self.report_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.export_button = QPushButton(self.tr("&Export"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the export at its next stage"))
        buttons = self._button_box(self.export_button, self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.report_text, 1)
        layout.addWidget(buttons)

    # ---- public API -------------------------------------------------------------------

    def set_model(self, model: str) -> None:
        """The model to export; the output folder follows it (RUN/onnx) until the user picks one."""
        self.model_edit.setText(model)
        self._on_model_edited(model)

    def start(self) -> None:
        """Export in a worker thread; progress per stage, the report (or the error) when it ends."""
        spec, out = self.model_edit.text().strip(), self.out_edit.text().strip()
        if not spec or not out:
            self.status_label.setText(self.tr("Choose the model to export and the folder to write it into."))
            return
        self.report = None
        self.report_text.clear()
        self.progress_bar.setRange(0, 0)  # busy until the first step says how many there are
        self.progress_bar.show()
        self.status_label.setText(self.tr("Loading {spec}…").format(spec=spec))
        quantize = "int8" if self.int8_check.isChecked() else None
        self._start_job(_export_job, spec, out, quantize, on_event=self._on_export_event,
                        on_error=self._on_export_failed)

    def cancel(self) -> None:
        # An evaluation stops at its next batch, the generator at its next stage.
        if not self._task.cancel():
            return
        self.progress_bar.hide()
        self.status_label.setText(self.tr("Export cancelled; the files written so far stay."))
        self._update_buttons()

    # ---- slots ------------------------------------------------------------------------

    def _on_export_event(self, event: Any) -> None:
        report = getattr(event, "report", None)
        if report is None:  # an ExportStep
            self.progress_bar.setRange(0, event.steps)
            self.progress_bar.setValue(event.step - 1)
            self.status_label.setText(self._stage_text(event.stage, event.step, event.steps))
            return
        from workbench.engine.export.onnx_export import report_lines

        self.report = report
        self.progress_bar.hide()
        self.report_text.setPlainText("\n".join(report_lines(report)))
        if report.check.passed:
            self.status_label.setText(self.tr("Exported to {out}; ONNX Runtime matches PyTorch.").format(out=report.out))
        else:
            self.status_label.setText(self.tr(
                "Exported to {out}, but ONNX Runtime differs from PyTorch by {diff:.1e}: look before deploying it."
            ).format(out=report.out, diff=report.check.max_abs_diff))
        self.exported.emit(report)

    def _on_export_failed(self, message: str) -> None:
        self.progress_bar.hide()
        self.status_label.setText(self.tr("The export failed:"))
        self.report_text.setPlainText(message)
        self.failed.emit(message)

    def _on_model_edited(self, text: str) -> None:
        if not self._out_edited:
            folder = Path(text.strip()) if text.strip() else None
            self.out_edit.setText(str(folder / OUT_FOLDER) if folder is not None and folder.is_dir() else "")
        self._update_buttons()

    def _on_out_edited(self, _text: str) -> None:
        self._out_edited = True
        self._update_buttons()

    def _on_browse_model_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a run folder or a model folder"),
                                                  start_folder(self.model_edit.text()))
        if folder:
            self.set_model(folder)

    def _on_browse_out_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder to write the model into"),
                                                  start_folder(self.out_edit.text()))
        if folder:
            self.out_edit.setText(folder)
            self._on_out_edited(folder)

    def _stage_text(self, stage: str, step: int, steps: int) -> str:
        texts = {
            "load": self.tr("Loading the model…"),
            "export": self.tr("Exporting the graph (up to a minute for a large model)…"),
            "check": self.tr("Comparing ONNX Runtime with PyTorch on sample inputs…"),
            "quantize": self.tr("Quantising to int8…"),
            "evaluate": self.tr("Evaluating the fp32 and int8 graphs on the held-out data…"),
            "time": self.tr("Timing the fp32 and int8 graphs…"),
        }
        return self.tr("Step {step} of {steps}: {stage}").format(step=step, steps=steps,
                                                                 stage=texts.get(stage, stage))

    def _update_buttons(self) -> None:
        busy = self.busy
        ready = bool(self.model_edit.text().strip() and self.out_edit.text().strip())
        self.export_button.setEnabled(ready and not busy)
        self.cancel_button.setEnabled(busy)

    # ---- life cycle ---------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.cancel()
            self.shutdown()  # no export thread outlives the window
        return False


def _row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


def open_export_dialog(parent: QWidget, model: str = "") -> ExportDialog:
    """Show the parent's export dialog (made once, kept as its child), for ``model`` when given."""
    dialog = parent.findChild(ExportDialog)
    if dialog is None:
        dialog = ExportDialog(parent, model)
    elif model and not dialog.busy:
        dialog.set_model(model)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def main(argv: list[str] | None = None) -> int:
    """``python -m workbench.gui.dialogs.export_dialog [RUN]``: the dialog on its own."""
    from PySide6.QtWidgets import QApplication

    args = list(argv or [])
    app: Any = QApplication.instance() or QApplication([sys.argv[0]])
    dialog = ExportDialog(None, args[0] if args else "")
    dialog.show()
    code = int(app.exec())
    dialog.shutdown()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
