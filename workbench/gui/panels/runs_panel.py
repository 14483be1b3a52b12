"""The runs panel: every run folder under a workspace, compared side by side.

- Choose a workspace (remembered; new runs are written there too) and the panel
  lists each run folder in it with status, task, model, data, final metric,
  duration and start time. Scanning reads a few files per run, in a worker.
- Select several runs: their curves are drawn on the same axes (read in a worker,
  drawn with ``TrainingCurves.add_history``, the training panel's overlay).
- Select two: "Compare configs" lists the settings they differ in.
- "Open model" sends a run's model to the prediction and attention panels;
  "Follow" opens a run in the training panel (live while it still trains).
- "Resume" continues a stopped (cancelled, failed, crashed) run in the training
  panel from its latest checkpoint, or from one chosen in a small dialog, with the
  run's own saved config.
- Archive (to ``WORKSPACE/.archive``) or delete a run, after a confirmation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.tasks.registry import headline_metric
from workbench.gui.settings import Settings
from workbench.gui.widgets.curves import RunHistory, TrainingCurves, metric_label, read_run_history
from workbench.gui.widgets.resume_button import ResumeButton
from workbench.gui.widgets.runs_model import PATH_ROLE, SORT_ROLE, RunsTableModel, resume_blocker
from workbench.gui.workers import TaskRunner

# While a listed run trains, the list is scanned again this often (only while the panel shows).
_REFRESH_MS = 5000

SHORTCUTS = {
    "workspace": "Ctrl+Shift+W",
    "refresh": "Ctrl+R",
    "follow": "Ctrl+Shift+F",
    "diff": "Ctrl+D",
    "open_model": "Ctrl+Return",
    "resume": "Ctrl+Shift+C",  # C for "continue"
    "archive": "Ctrl+Shift+A",
    "delete": "Delete",
}


def _scan(root: str) -> list[Any]:
    from workbench.engine.run_index import scan_workspace

    return scan_workspace(root)


def _read_histories(folders: list[str]) -> tuple[list[RunHistory], list[str]]:
    """Worker: the curves of each folder; the reasons for those that have none yet."""
    from workbench.engine.errors import WorkbenchError

    histories, problems = [], []
    for folder in folders:
        try:
            histories.append(read_run_history(folder))
        except WorkbenchError as exc:
            problems.append(str(exc))
    return histories, problems


def _diff(a: str, b: str) -> list[tuple[str, Any, Any]]:
    from workbench.engine.run_index import diff_configs, read_config

    return diff_configs(read_config(a), read_config(b))


def _move(action: str, folders: list[str], workspace: str) -> list[str]:
    """Worker: archive or delete each folder (a run's checkpoints can be gigabytes)."""
    from workbench.engine.run_index import archive_run, delete_run

    done = []
    for folder in folders:
        if action == "archive":
            archive_run(folder, workspace)
        else:
            delete_run(folder, workspace)
        done.append(folder)
    return done


class RunsPanel(QWidget):
    open_model_requested = Signal(str)  # a model spec (run folder or checkpoint) for prediction/attention
    open_run_requested = Signal(str)  # a run folder for the training panel (follows it while it runs)
    resume_requested = Signal(str, str)  # (run folder, checkpoint name; "" for the latest)
    scanned = Signal(int)  # number of runs listed, after each scan
    curves_drawn = Signal(list)  # run folder names whose curves are on the axes
    diff_ready = Signal(list)  # [(key, value a, value b)]
    runs_removed = Signal(list)  # folders archived or deleted

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self._scan_runner = TaskRunner(self)
        self._curves_runner = TaskRunner(self)
        self._diff_runner = TaskRunner(self)
        self._file_runner = TaskRunner(self)
        self._restore_selection: list[str] = []
        self.checkpoint_chooser: Any = None  # the open "Resume from a checkpoint" dialog, if any
        self._build()
        self.workspace_edit.setText(str(self._usable_remembered_workspace()))
        self._update_buttons()

    def _usable_remembered_workspace(self) -> Path:
        """The remembered workspace, unless it has become a run folder (an older version allowed
        that; new runs would land inside a run) or cannot be written: then the default, said once."""
        from workbench.engine.run_index import workspace_problem
        from workbench.gui.settings import default_workspace

        remembered = self.settings.workspace()
        problem = workspace_problem(remembered)
        if problem is None:
            return remembered
        fallback = default_workspace()
        self.settings.set_workspace(fallback)
        self.status_label.setText(self.tr("The workspace was changed to {folder}: {problem}").format(
            folder=fallback, problem=problem))
        return fallback

    # ---- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        self.workspace_edit = QLineEdit()
        self.workspace_edit.setReadOnly(True)
        self.workspace_edit.setToolTip(self.tr("The folder whose run folders are listed; new runs are written here"))
        self.choose_button = self._button(self.tr("Workspace…"), self.choose_workspace, "workspace",
                                          self.tr("Choose the workspace folder"))
        self.refresh_button = self._button(self.tr("Refresh"), self.refresh, "refresh",
                                           self.tr("Scan the workspace again"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Workspace:")))
        top.addWidget(self.workspace_edit, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.refresh_button)

        self.model = RunsTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # resizeColumnsToContents after each scan measures this many rows, not a big workspace's all.
        self.table.horizontalHeader().setResizeContentsPrecision(50)
        self.table.setToolTip(self.tr("Select several runs to draw their curves together; two to compare configs"))
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.follow_selected())

        self.follow_button = self._button(self.tr("Open in Training"), self.follow_selected, "follow",
                                          self.tr("Show the run in the training panel; a run still training "
                                                  "is followed live and can be stopped there"))
        self.open_model_button = self._button(self.tr("Open model"), self.open_selected_model, "open_model",
                                              self.tr("Use the run's model (or its latest checkpoint) in the "
                                                      "prediction and attention panels"))
        self._build_resume_button()
        self.diff_button = self._button(self.tr("Compare configs"), self.diff_selected, "diff",
                                        self.tr("List the settings two selected runs differ in"))
        self.archive_button = self._button(self.tr("Archive…"), self.archive_selected, "archive",
                                           self.tr("Move the selected runs to the workspace's .archive folder"))
        self.delete_button = self._button(self.tr("Delete…"), self.delete_selected, "delete",
                                          self.tr("Delete the selected run folders, checkpoints and models"))
        actions = QHBoxLayout()
        for button in (self.follow_button, self.open_model_button, self.resume_button, self.diff_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.archive_button)
        actions.addWidget(self.delete_button)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.curves = TrainingCurves()
        self.diff_table = QTableWidget(0, 3)
        self.diff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.diff_table.verticalHeader().hide()
        self.diff_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.diff_table.setToolTip(self.tr("Settings that differ between the two selected runs"))
        self.details = QTabWidget()
        self.details.addTab(self.curves, self.tr("Curves"))
        self.details.addTab(self.diff_table, self.tr("Config diff"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setObjectName("runs_refresh")
        self._refresh_timer.setInterval(_REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)

    def _build_resume_button(self) -> None:
        """Resume: the button continues from the latest checkpoint; its arrow offers the chooser."""
        self.resume_button = ResumeButton(self.tr("Resume"))
        self.resume_choose_action = self.resume_button.choose_action
        self.resume_button.latest_requested.connect(self.resume_selected)
        self.resume_button.choose_requested.connect(self.choose_checkpoint)
        shortcut = QShortcut(QKeySequence(SHORTCUTS["resume"]), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.resume_selected)

    def _button(self, text: str, slot: Any, key: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        shortcut = QKeySequence(SHORTCUTS[key])
        button.setToolTip(f"{tip} ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})")
        button.clicked.connect(slot)
        action = QShortcut(shortcut, self)
        action.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.activated.connect(slot)
        return button

    # ---- public ------------------------------------------------------------------------
    @property
    def workspace(self) -> Path:
        return Path(self.workspace_edit.text())

    def set_workspace(self, folder: str | Path) -> bool:
        """List the runs under ``folder`` from now on (remembered; new runs go there too).

        Refused (False, with the reason shown) for a run folder, a folder inside one, or a
        folder nobody can write to: runs written inside a run are deleted with it.
        """
        from workbench.engine.run_index import workspace_problem

        problem = workspace_problem(folder)
        if problem is not None:
            self.status_label.setText(problem)
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not a workspace"), problem,
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # window-modal, does not block the event loop
            return False
        self.workspace_edit.setText(str(folder))
        self.settings.set_workspace(Path(folder))
        self.refresh()
        return True

    def choose_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the workspace folder"),
                                                  str(self.workspace))
        if folder:
            self.set_workspace(folder)

    def refresh(self) -> None:
        """Scan the workspace in a worker; the selection survives the new list."""
        if not self.workspace.is_dir():
            self.model.set_runs([])
            self.status_label.setText(self.tr("The workspace {folder} does not exist yet: runs started from "
                                              "the training panel are written there.").format(folder=self.workspace))
            self.scanned.emit(0)
            return
        if not self._scan_runner.busy:
            self._restore_selection = self.selected_paths()
        self.status_label.setText(self.tr("Scanning {folder}…").format(folder=self.workspace))
        self._scan_runner.run(_scan, str(self.workspace), on_result=self._on_scan_result,
                              on_error=self._on_task_error)

    def selected_paths(self) -> list[str]:
        rows = sorted(self.table.selectionModel().selectedRows(), key=lambda index: index.row())
        return [str(index.data(PATH_ROLE)) for index in rows]

    def select_paths(self, paths: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for path in paths:
            row = self.model.row_of(path)
            if row >= 0:
                selection.select(self.proxy.mapFromSource(self.model.index(row, 0)), flags)

    def follow_selected(self) -> None:
        paths = self.selected_paths()
        if len(paths) == 1:
            self.open_run_requested.emit(paths[0])

    def open_selected_model(self) -> None:
        from workbench.engine.run_index import model_spec

        paths = self.selected_paths()
        if len(paths) != 1:
            return
        spec = model_spec(paths[0])
        if spec is None:
            self.status_label.setText(self.tr("{run} has no model or checkpoint yet.").format(run=Path(paths[0]).name))
            return
        self.open_model_requested.emit(spec)

    def resumable_selection(self) -> tuple[str | None, str | None]:
        """(the selected run folder, why it cannot be resumed: None when it can)."""
        paths = self.selected_paths()
        if len(paths) != 1:
            return None, self.tr("Select one stopped run to resume it.")
        row = self.model.row_of(paths[0])
        if row < 0:
            return None, self.tr("Select one stopped run to resume it.")
        info = self.model.run_at(row)
        return paths[0], resume_blocker(info.name, info.status, info.has_checkpoint)

    def resume_selected(self) -> None:
        """Continue the selected run from its latest checkpoint (in the training panel)."""
        path, blocker = self.resumable_selection()
        if path is None or blocker:
            self.status_label.setText(blocker or "")
            return
        self.resume_requested.emit(path, "")

    def choose_checkpoint(self) -> None:
        """Open the chooser for the selected run; resuming from the checkpoint picked there."""
        path, blocker = self.resumable_selection()
        if path is None or blocker:
            self.status_label.setText(blocker or "")
            return
        from workbench.gui.dialogs.checkpoint_chooser import CheckpointChooser

        if self.checkpoint_chooser is not None:
            self.checkpoint_chooser.reject()
        dialog = CheckpointChooser(path, self)
        dialog.accepted.connect(lambda: dialog.chosen and self.resume_requested.emit(path, dialog.chosen))
        dialog.finished.connect(lambda _result: self._on_chooser_finished(dialog))
        self.checkpoint_chooser = dialog
        dialog.open()  # window-modal, does not block the event loop

    def diff_selected(self) -> None:
        paths = self.selected_paths()
        if len(paths) != 2:
            self.status_label.setText(self.tr("Select exactly two runs to compare their configs."))
            return
        self._diff_pair = (Path(paths[0]).name, Path(paths[1]).name)
        self._diff_runner.run(_diff, paths[0], paths[1], on_result=self._on_diff_result,
                              on_error=self._on_task_error)

    def archive_selected(self) -> None:
        self._remove("archive")

    def delete_selected(self) -> None:
        self._remove("delete")

    def shutdown(self) -> None:
        self._refresh_timer.stop()
        if self.checkpoint_chooser is not None:
            self.checkpoint_chooser.reject()  # waits for its verification worker
        for runner in (self._scan_runner, self._curves_runner, self._diff_runner, self._file_runner):
            runner.shutdown()
        self.curves.stop()

    # ---- Qt events ---------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event: Any) -> None:
        super().hideEvent(event)
        self._refresh_timer.stop()

    # ---- slots -------------------------------------------------------------------------
    def _on_scan_result(self, runs: list[Any]) -> None:
        keep = self._restore_selection
        self.model.set_runs(runs)
        self.table.resizeColumnsToContents()
        self.select_paths(keep)
        running = sum(run.status == "running" for run in runs)
        self.status_label.setText(
            (self.tr("{count} run in {folder}, {running} running.") if len(runs) == 1
             else self.tr("{count} runs in {folder}, {running} running.")).format(
                count=len(runs), folder=self.workspace, running=running)
        )
        if running and self.isVisible():
            self._refresh_timer.start()
        else:
            self._refresh_timer.stop()
        self._update_buttons()
        self.scanned.emit(len(runs))

    def _on_table_selection_changed(self, *_args: Any) -> None:
        self._update_buttons()
        paths = self.selected_paths()
        if paths == getattr(self, "_drawn", None):
            return  # a rescan re-selected the same runs: the curves stand
        self._drawn = paths
        if not paths:
            self._curves_runner.cancel()
            self.curves.clear()
            self.curves.flush()
            return
        self._curves_runner.run(_read_histories, paths, on_result=self._on_histories_result,
                                on_error=self._on_task_error)

    def _on_histories_result(self, value: tuple[list[RunHistory], list[str]]) -> None:
        histories, problems = value
        self.curves.clear()
        tasks = {h.task for h in histories if h.task}
        shared_metric = headline_metric(tasks.pop(), None) if len(tasks) == 1 else None
        self.curves.set_metric_name(shared_metric or "eval_loss")
        names = []
        for history in histories:
            name = Path(history.folder).name
            metric = shared_metric or headline_metric(history.task, None)
            if shared_metric is None:  # runs of different tasks: each its own metric, named
                name = f"{name} ({metric_label(metric)})"
            names.append(self.curves.add_history(history, metric, name).name)
        self.curves.flush()
        self.details.setCurrentWidget(self.curves)
        # What the scan found wrong with a selected run's files, beside why a run has no curve.
        listed = [self.model.run_at(row).problem for row in map(self.model.row_of, self._drawn or []) if row >= 0]
        self.status_label.setText("\n".join([*problems, *(p for p in listed if p)]))
        self.curves_drawn.emit(names)

    def _on_diff_result(self, rows: list[tuple[str, Any, Any]]) -> None:
        a, b = self._diff_pair
        self.diff_table.setHorizontalHeaderLabels([self.tr("Setting"), a, b])
        self.diff_table.setRowCount(len(rows))
        for i, (key, va, vb) in enumerate(rows):
            for j, value in enumerate((key, va, vb)):
                # None: a setting left automatic (or missing from an older config)
                text = key if j == 0 else (self.tr("automatic") if value is None else str(value))
                self.diff_table.setItem(i, j, QTableWidgetItem(text))
        self.details.setCurrentWidget(self.diff_table)
        self.status_label.setText(
            self.tr("Settings that differ: {count}").format(count=len(rows)) if rows
            else self.tr("The two configs are the same (apart from the output folder).")
        )
        self.diff_ready.emit(rows)

    def _on_task_error(self, message: str) -> None:
        self.status_label.setText(message)

    def _on_chooser_finished(self, dialog: Any) -> None:
        if self.checkpoint_chooser is dialog:
            self.checkpoint_chooser = None
        dialog.deleteLater()

    def _on_move_result(self, done: list[str]) -> None:
        self.runs_removed.emit(done)
        self.refresh()

    # ---- helpers -----------------------------------------------------------------------
    def _remove(self, action: str) -> None:
        paths = self.selected_paths()
        if not paths or self._file_runner.busy:
            return
        rows = [self.model.row_of(p) for p in paths]
        running = [Path(p).name for p, row in zip(paths, rows)
                   if row >= 0 and self.model.run_at(row).status == "running"]
        if running:
            self.status_label.setText(self.tr("Stop {runs} first: a run that trains cannot be moved.").format(
                runs=", ".join(running)))
            return
        refused = self._removal_problems(paths)
        if refused:
            box = QMessageBox(QMessageBox.Icon.Warning,
                              self.tr("Archive runs") if action == "archive" else self.tr("Delete runs"),
                              self.tr("Nothing was changed.") + "\n\n" + "\n\n".join(refused),
                              QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return
        names = "\n".join(str(Path(p).relative_to(self.workspace)) if Path(p).is_relative_to(self.workspace)
                          else str(p) for p in paths)
        if action == "archive":
            title = self.tr("Archive runs")
            text = self.tr("Move these runs to {folder}?\n\n{runs}").format(
                folder=self.workspace / ".archive", runs=names)
        else:
            title = self.tr("Delete runs")
            text = self.tr("Delete these run folders with their checkpoints and models? "
                           "This cannot be undone.\n\n{runs}").format(runs=names)
        if not self._confirm(title, text):
            return
        self.status_label.setText(self.tr("Archiving…") if action == "archive" else self.tr("Deleting…"))
        self._file_runner.run(_move, action, paths, str(self.workspace), on_result=self._on_move_result,
                              on_error=self._on_task_error)

    def _removal_problems(self, paths: list[str]) -> list[str]:
        """Why some selected folders cannot be archived or deleted alone: the workspace itself,
        or a run folder that holds other runs (written there by older versions)."""
        from workbench.engine.run_index import runs_inside

        problems = []
        workspace = self.workspace.resolve()
        for path in map(Path, paths):
            if path.resolve() == workspace:
                problems.append(self.tr("{folder} is the workspace itself.").format(folder=path))
                continue
            nested = runs_inside(path)
            if nested:
                problems.append(self.tr(
                    "{folder} holds other runs, which would go with it:\n{runs}\n"
                    "Archive or delete those first."
                ).format(folder=path.name, runs="\n".join(f"  {n.relative_to(path)}" for n in nested)))
        return problems

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _update_buttons(self) -> None:
        paths = self.selected_paths()
        one = len(paths) == 1
        info = self.model.run_at(self.model.row_of(paths[0])) if one and self.model.row_of(paths[0]) >= 0 else None
        self.follow_button.setEnabled(one)
        self.open_model_button.setEnabled(bool(info and (info.has_model or info.has_checkpoint)))
        self.diff_button.setEnabled(len(paths) == 2)
        self._update_resume_button()
        self.archive_button.setEnabled(bool(paths))
        self.delete_button.setEnabled(bool(paths))

    def _update_resume_button(self) -> None:
        path, blocker = self.resumable_selection()
        key = QKeySequence(SHORTCUTS["resume"]).toString(QKeySequence.SequenceFormat.NativeText)

        def tip() -> str:  # drawn again after a language switch
            _path, why = self.resumable_selection()
            if why:
                return f"{why} ({key})"
            return self.tr(
                "Continue {run} from its latest checkpoint, in its own folder, with the settings it was started "
                "with (its config.json, not the panels' current ones); the arrow chooses another checkpoint "
                "({shortcut})"
            ).format(run=Path(str(_path)).name, shortcut=key)

        self.resume_button.set_state(path is not None and blocker is None, tip)
