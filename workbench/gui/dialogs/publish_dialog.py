"""File › Publish to the hub…: upload a run's model, tokenizer and model card to the Hugging Face hub.

The work is ``engine.models.hub_upload.push_events`` in a worker (``TaskRunner``): the hub is probed
first, so offline or not logged in is said at once. Progress shows the step (token, repo, upload)
and the time spent; Cancel stops before the upload, or aborts its large-file transfers (the library
allows no more: a commit already sent completes, and the dialog then says published).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.models.hub_upload import (
    PushCancelled,
    PushFinished,
    PushProgress,
    PushStarted,
    push_events,
)
from workbench.gui.dialog_folders import start_folder
from workbench.gui.dialogs.job_dialog import JobDialog

_STAGES = ("login", "create", "upload")  # the bar's steps, in order


class PublishDialog(JobDialog):
    """Choose a run and a repo name, then publish; stays open to show the outcome."""

    def __init__(self, parent: QWidget | None = None, run_dir: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Publish to the hub"))
        self.url: str | None = None  # the published model's page, once finished

        self.run_edit = QLineEdit(run_dir or "")
        self.run_edit.setPlaceholderText(self.tr("a run folder with a final model"))
        self.run_edit.textChanged.connect(self._on_run_changed)
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self._on_browse)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_edit, 1)
        run_row.addWidget(browse)
        self.repo_edit = QLineEdit(Path(run_dir).name if run_dir else "")
        self.repo_edit.setPlaceholderText(self.tr("name or your-name/name"))
        self.private_box = QCheckBox(self.tr("&Private repo"))
        self.env_token_box = QCheckBox(self.tr("Use the token in $HF_TOKEN (otherwise the saved login)"))
        form = QFormLayout()
        form.addRow(self.tr("Run:"), run_row)
        form.addRow(self.tr("Hub repo:"), self.repo_edit)
        form.addRow("", self.private_box)
        form.addRow("", self.env_token_box)

        self.status_label.setText(self.tr("Uploads model/ with its tokenizer and model card (README.md)."))
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.status_label.setOpenExternalLinks(True)
        self.progress_bar.setRange(0, len(_STAGES) + 1)

        self.publish_button = QPushButton(self.tr("&Publish"))
        self.cancel_button = QPushButton(self.tr("&Cancel upload"))
        self.cancel_button.setEnabled(False)
        buttons = self._button_box(self.publish_button, self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    # ---- actions -----------------------------------------------------------------------
    def start(self) -> None:
        run_dir, repo_id = self.run_edit.text().strip(), self.repo_edit.text().strip()
        if not run_dir or not repo_id:
            self._show_error(self.tr("Choose a run folder and a repo name first."))
            return
        self.url = None
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self._set_status(self.tr("Checking the hub…"))
        self._start_job(push_events, run_dir, repo_id, private=self.private_box.isChecked(),
                        token_from_env=self.env_token_box.isChecked(), on_event=self._on_event,
                        on_error=self._show_error)

    def cancel(self) -> None:
        # Only the flag: the engine says what it stopped (PushCancelled), or that the commit went through.
        if self.busy:
            self._task.stop_flag.set()
            self._set_status(self.tr("Cancelling…"))

    # ---- events ------------------------------------------------------------------------
    def _on_event(self, event: Any) -> None:
        cancelling = self._stopping()
        if isinstance(event, PushStarted):
            text = self.tr("Publishing {files} files ({size} MB) to {repo}").format(
                files=len(event.files), size=f"{event.total_bytes / 1e6:.1f}", repo=event.repo_id)
            if event.card_written:
                text += self.tr(" (model card written first)")
            self._set_status(text)
        elif isinstance(event, PushProgress) and not cancelling:
            self.progress_bar.setValue(_STAGES.index(event.stage) + 1 if event.stage in _STAGES else 0)
            if event.stage == "upload":
                self._set_status(self.tr("Uploading to {repo}… {seconds} s").format(
                    repo=event.repo_id, seconds=f"{event.elapsed_s:.0f}"))
            elif event.stage == "create":
                self._set_status(self.tr("Creating the repo {repo}…").format(repo=event.repo_id))
        elif isinstance(event, PushFinished):
            self.url = event.url
            self.progress_bar.setValue(self.progress_bar.maximum())
            self._set_status(self.tr('Published: <a href="{url}">{url}</a>').format(url=event.url))
        elif isinstance(event, PushCancelled):
            self.progress_bar.hide()
            self._set_status(event.message)

    def _show_error(self, message: str) -> None:
        self.progress_bar.hide()
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(message)

    def _set_status(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def _update_buttons(self) -> None:
        self.publish_button.setEnabled(not self.busy)
        self.cancel_button.setEnabled(self.busy)

    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a run folder"),
                                                  start_folder(self.run_edit.text()))
        if folder:
            self.run_edit.setText(folder)

    def _on_run_changed(self, text: str) -> None:
        if not self.repo_edit.isModified() and text.strip():
            self.repo_edit.setText(Path(text.strip()).name)  # a default the user has not typed over


def open_publish_dialog(parent: QWidget, recent_runs: list[str]) -> PublishDialog:
    """The dialog, on the most recent run that has a final model (the user may choose another)."""
    run = next((r for r in recent_runs if (Path(r) / "model" / "config.json").is_file()), None)
    dialog = PublishDialog(parent, run)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
