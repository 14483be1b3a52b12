"""Choose the checkpoint a stopped run resumes from.

Lists a run's checkpoints (``checkpoint_checks.describe_checkpoints``) with their step
and save time. Each one is verified in a worker (hashing every file takes seconds for
a large model); damaged ones stay in the list, greyed out and not selectable, with the
reason beside them, so a missing step is never a mystery.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.workers import TaskRunner

NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def _describe(run_dir: str) -> list[Any]:
    """Worker: every checkpoint of the run, verified."""
    from workbench.engine.training.checkpoint_checks import describe_checkpoints

    return describe_checkpoints(run_dir)


def _short_problem(problem: str) -> str:
    """``/long/path/step-0000040/model.safetensors: truncated (...)`` as ``model.safetensors: truncated (...)``."""
    path, sep, what = problem.partition(": ")
    return f"{Path(path).name}{sep}{what}" if sep else problem


class CheckpointChooser(QDialog):
    """Pick an intact checkpoint of ``run_dir``; ``chosen`` names it after ``accepted``."""

    listed = Signal(int)  # how many checkpoints are listed, once they are verified

    def __init__(self, run_dir: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_dir = Path(run_dir)
        self.checkpoints: list[Any] = []  # engine CheckpointInfo, oldest first
        self.setWindowTitle(self.tr("Resume from a checkpoint"))
        self.intro = QLabel(self.tr(
            "Resume {run} from which checkpoint? The run continues in its own folder with the settings "
            "it was started with (its config.json), not the panels' current ones."
        ).format(run=self.run_dir.name))
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Checkpoint"), self.tr("Step"), self.tr("Saved"), self.tr("State")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setToolTip(self.tr("Damaged checkpoints are greyed out; hover over one to see what is wrong"))
        self.tree.itemSelectionChanged.connect(self._update_ok)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._accept_item(item))
        self.status_label = QLabel(self.tr("Checking the checkpoints…"))
        self.status_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Resume"))
        self.ok_button.setToolTip(self.tr("Continue the run from the selected checkpoint"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.resize(620, 320)
        self._update_ok()
        self._runner = TaskRunner(self)
        self._runner.run(_describe, str(self.run_dir), on_result=self._on_describe_result,
                         on_error=self._on_describe_error)

    # ---- public ----------------------------------------------------------------------
    @property
    def chosen(self) -> str | None:
        """The selected checkpoint's folder name (e.g. step-0000040), or None."""
        items = self.tree.selectedItems()
        return str(items[0].data(0, NAME_ROLE)) if items else None

    def select(self, name: str) -> bool:
        """Select checkpoint ``name`` if it is listed and intact."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, NAME_ROLE) == name and item.flags() & Qt.ItemFlag.ItemIsSelectable:
                self.tree.setCurrentItem(item)
                item.setSelected(True)
                return True
        return False

    def done(self, result: int) -> None:
        self._runner.shutdown()  # a verification still running must not outlive the dialog
        super().done(result)

    # ---- slots -----------------------------------------------------------------------
    def _on_describe_result(self, checkpoints: list[Any]) -> None:
        self.checkpoints = list(checkpoints)
        self.tree.clear()
        for info in reversed(self.checkpoints):  # newest first: the usual choice on top
            marks = [self.tr("latest")] if info.latest else []
            if info.best:
                marks.append(self.tr("best"))
            saved = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info.saved)) if info.saved else ""
            if info.intact:
                state = ", ".join([self.tr("intact"), *marks])
            else:
                state = self.tr("damaged: {problem}").format(problem=_short_problem(info.problems[0]))
            item = QTreeWidgetItem([info.name, str(info.step), saved, state])
            item.setData(0, NAME_ROLE, info.name)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if info.intact:
                item.setToolTip(0, str(info.path))
            else:
                # Shown but not choosable: the reason is in the row and, in full, in its tooltip.
                item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable))
                reason = self.tr("Cannot resume from this checkpoint:\n{problems}").format(
                    problems="\n".join(info.problems))
                for column in range(4):
                    item.setToolTip(column, reason)
            self.tree.addTopLevelItem(item)
        intact = [info for info in self.checkpoints if info.intact]
        if not self.checkpoints:
            self.status_label.setText(self.tr("{run} has no checkpoints.").format(run=self.run_dir.name))
        elif not intact:
            self.status_label.setText(self.tr("No checkpoint of {run} is intact, so it cannot be resumed. "
                                              "Start a new run instead.").format(run=self.run_dir.name))
        else:
            damaged = len(self.checkpoints) - len(intact)
            self.status_label.setText(
                (self.tr("{count} checkpoint, {damaged} damaged.") if len(self.checkpoints) == 1
                 else self.tr("{count} checkpoints, {damaged} damaged.")).format(count=len(self.checkpoints),
                                                                                 damaged=damaged)
            )
            preferred = next((info for info in intact if info.latest), intact[-1])
            self.select(preferred.name)
        self._update_ok()
        self.listed.emit(len(self.checkpoints))

    def _on_describe_error(self, message: str) -> None:
        self.status_label.setText(message)
        self.listed.emit(0)

    def _accept_item(self, item: QTreeWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsSelectable:
            self.accept()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.chosen is not None)
