"""GUI task views: what the panels show for each engine task, asked by task name.

``view_for("multi-label").playground`` instead of ``if task == "multi-label"`` in a panel.
A new task: its engine module (``workbench/engine/tasks/``) and one ``TaskView`` in
``registry.py``; tests/gui/test_task_views.py checks that every engine task has a view.
"""

from __future__ import annotations

from workbench.gui.tasks.registry import (
    ATTENTION_ONLY_PLACEHOLDER,
    NO_MODEL_PLACEHOLDER,
    EvaluationView,
    Playground,
    TaskView,
    all_views,
    labelled,
    view_for,
)

__all__ = [
    "ATTENTION_ONLY_PLACEHOLDER", "NO_MODEL_PLACEHOLDER", "EvaluationView", "Playground", "TaskView",
    "all_views", "labelled", "view_for",
]  # fmt: skip
