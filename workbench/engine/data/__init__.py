"""The data layer: files -> :class:`Table` -> :class:`Examples` -> train/validation + stats.

Qt-free, torch-free and task-free: what a task makes of a table (its columns, its
examples, its split and statistics) is decided by the task (``engine/tasks/``);
``workbench.engine.task_data`` takes a task by name and loads a data set for it.
Every problem a user can cause raises :class:`~workbench.engine.errors.DatasetError`
naming the file, the physical line and what to do.

    table = read_table("train.csv")
"""

from __future__ import annotations

from workbench.engine.data.examples import ColumnMapping, ColumnRoles, Examples
from workbench.engine.data.readers import FORMATS, detect_format, read_table
from workbench.engine.data.table import Table

__all__ = [
    "FORMATS",
    "ColumnMapping",
    "ColumnRoles",
    "Examples",
    "Table",
    "detect_format",
    "read_table",
]
