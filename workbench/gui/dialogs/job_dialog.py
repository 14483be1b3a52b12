"""What the export and publish dialogs share: one engine job in a worker, with a status line, a
progress bar, and a start and a Cancel button beside Close.

The job is a generator the engine runs (``TaskRunner``: each yielded event reaches ``on_event`` on
the main thread); it gets the job's stop flag as ``cancel``. Closing the dialog cancels the job
and waits for its thread, so no worker outlives the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QPushButton, QWidget

from workbench.gui.widgets.stoppable_task import StoppableTask


class JobDialog(QDialog):
    """Subclasses build their form, call ``_button_box`` and ``_start_job``, and define
    ``start``, ``cancel`` and ``_update_buttons``."""

    WAIT_MS = 30_000  # how long closing waits for the job's thread

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._task = StoppableTask(self)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()

    @property
    def busy(self) -> bool:
        return self._task.busy

    def start(self) -> None:
        raise NotImplementedError

    def cancel(self) -> None:
        raise NotImplementedError

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _button_box(self, start_button: QPushButton, cancel_button: QPushButton) -> QDialogButtonBox:
        """Close, with the start and Cancel buttons beside it."""
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        start_button.clicked.connect(self.start)
        cancel_button.clicked.connect(self.cancel)
        buttons.addButton(start_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        return buttons

    def _start_job(self, fn: Callable[..., Any], *args: Any, on_event: Callable[[Any], None],
                   on_error: Callable[[str], None], **kwargs: Any) -> None:
        """Run ``fn(*args, cancel=<the job's stop flag>, **kwargs)`` in the worker (a running job stops first)."""
        stop, _ = self._task.begin()
        self._task.run(fn, *args, cancel=stop, on_event=on_event, on_error=on_error,
                       on_finished=self._update_buttons, **kwargs)
        self._update_buttons()

    def _stopping(self) -> bool:
        """Whether Cancel (or closing) asked the running job to stop."""
        return self._task.stop_flag.is_set()

    def shutdown(self, timeout_ms: int | None = None) -> bool:
        """Stop the job and wait for its thread (a job finishes its stage first); True if it ended."""
        return self._task.shutdown(self.WAIT_MS if timeout_ms is None else timeout_ms)

    def done(self, result: int) -> None:
        self.cancel()  # closing cancels, and no thread is left running
        self.shutdown()
        self._update_buttons()
        super().done(result)
