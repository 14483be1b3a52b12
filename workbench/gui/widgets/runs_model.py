"""A sortable table of run folders (``engine.run_index.RunInfo``) for the runs panel.

``RunsTableModel`` formats each run's cells; ``SORT_ROLE`` carries the raw value
(seconds, timestamps, the metric as a float) so a ``QSortFilterProxyModel`` sorts
durations and dates as numbers, not as text.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from workbench.engine.run_index import RunInfo
from workbench.engine.runs import model_label
from workbench.engine.tasks.registry import headline_metric, summary_metric_names
from workbench.gui.i18n import translate
from workbench.gui.widgets.curves import metric_label

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    QT_TRANSLATE_NOOP("RunsTableModel", "Run"),
    QT_TRANSLATE_NOOP("RunsTableModel", "Status"),
    QT_TRANSLATE_NOOP("RunsTableModel", "Task"),
    QT_TRANSLATE_NOOP("RunsTableModel", "Model"),
    QT_TRANSLATE_NOOP("RunsTableModel", "Data"),
    QT_TRANSLATE_NOOP("RunsTableModel", "Final metric"),
    QT_TRANSLATE_NOOP("RunsTableModel", "Duration"),
    QT_TRANSLATE_NOOP("RunsTableModel", "Started"),
)
# Statuses are identifiers (engine/run_index.py); shown translated.
_STATUS_NAMES = {
    "running": QT_TRANSLATE_NOOP("RunsTableModel", "running"),
    "finished": QT_TRANSLATE_NOOP("RunsTableModel", "finished"),
    "early_stopped": QT_TRANSLATE_NOOP("RunsTableModel", "finished (early stopping)"),
    "time_limit": QT_TRANSLATE_NOOP("RunsTableModel", "finished (time limit)"),
    "cancelled": QT_TRANSLATE_NOOP("RunsTableModel", "cancelled"),
    "failed": QT_TRANSLATE_NOOP("RunsTableModel", "failed"),
    "crashed": QT_TRANSLATE_NOOP("RunsTableModel", "crashed"),
    "not started": QT_TRANSLATE_NOOP("RunsTableModel", "not started"),
}
_STATUS_COLORS = {"running": "#1f77b4", "failed": "#b00020", "crashed": "#b00020", "cancelled": "#8a6d00"}


# Statuses a run can be resumed from (with a checkpoint); a finished run has nothing left to train.
RESUMABLE = ("cancelled", "failed", "crashed")
_FINISHED = ("finished", "early_stopped", "time_limit")


def resume_blocker(name: str, status: str, has_checkpoint: bool) -> str | None:
    """Why run ``name`` cannot be resumed (shown as the Resume control's tooltip), or None when it can."""
    if status in _FINISHED:
        return translate("RunsTableModel", "{run} finished: nothing is left to train, so there is nothing to "
                         "resume. Start a new run (with more epochs or steps) instead.").format(run=name)
    if status == "running":
        return translate("RunsTableModel", "{run} is still training; stop it first.").format(run=name)
    if status not in RESUMABLE or not has_checkpoint:
        return translate("RunsTableModel", "{run} has no intact checkpoint to resume from.").format(run=name)
    return None


def status_text(status: str) -> str:
    """A run status (``engine.run_index``) as the interface shows it."""
    return translate("RunsTableModel", _STATUS_NAMES[status]) if status in _STATUS_NAMES else status


def main_metric(info: RunInfo) -> tuple[str, float] | None:
    """The figure the table shows for a run: its task's headline metric (the tooltip lists them all).

    A run whose task is unknown, or that lacks the figure, shows the first headline it has, else its loss.
    """
    for name in (headline_metric(info.task), *summary_metric_names(), "eval_loss"):
        if name in info.metrics:
            return name, info.metrics[name]
    return None


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return ""
    from workbench.engine.formatting import format_duration

    return format_duration(seconds)


class RunsTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._runs: list[RunInfo] = []

    @property
    def runs(self) -> list[RunInfo]:
        return list(self._runs)

    def set_runs(self, runs: list[RunInfo]) -> None:
        self.beginResetModel()
        self._runs = list(runs)
        self.endResetModel()

    def run_at(self, row: int) -> RunInfo:
        return self._runs[row]

    def row_of(self, path: str | Path) -> int:
        key = str(Path(path))
        return next((i for i, run in enumerate(self._runs) if str(Path(run.path)) == key), -1)

    # ---- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return translate("RunsTableModel", COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        run = self._runs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(run, column)
        if role == SORT_ROLE:
            return self._sort_key(run, column)
        if role == PATH_ROLE:
            return run.path
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(run, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and run.status in _STATUS_COLORS:
            return QColor(_STATUS_COLORS[run.status])
        return None

    def _display(self, run: RunInfo, column: int) -> str:
        if column == 0:
            return run.name
        if column == 1:  # a folder with damaged files says so where the eye looks first
            return status_text(run.status) + (" ⚠" if run.problem else "")
        if column == 2:
            return run.task
        if column == 3:
            return model_label(run.model)
        if column == 4:
            return Path(run.data).name
        if column == 5:
            found = main_metric(run)
            return f"{metric_label(found[0])} {found[1]:.4f}" if found else ""
        if column == 6:
            return format_seconds(run.duration_s)
        if column == 7:
            return time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started)) if run.started else ""
        return ""

    def _sort_key(self, run: RunInfo, column: int) -> Any:
        if column == 5:
            found = main_metric(run)
            return found[1] if found else float("-inf")
        if column == 6:
            return run.duration_s if run.duration_s is not None else -1.0
        if column == 7:
            return run.started or 0.0
        return self._display(run, column).lower()

    def _tooltip(self, run: RunInfo, column: int) -> str:
        if run.problem and column in (0, 1):
            return run.problem
        if column == 5 and run.metrics:
            return "\n".join(f"{metric_label(k)}: {v:.4f}" for k, v in sorted(run.metrics.items()))
        if column == 3:
            return run.model
        if column == 4:
            return run.data
        if column == 1 and run.pid is not None:
            return translate("RunsTableModel", "process {pid}").format(pid=run.pid)
        return run.problem or run.path
