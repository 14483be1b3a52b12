"""The tasks the workbench trains and predicts for: one list, used everywhere.

Every CLI ``--task`` choice, config check and GUI task list reads ``TASKS``. What
each task *is* (its head, headline metric, prediction ...) lives on its ``Task`` object:
one module per task in this package, registered in ``registry.py`` (``get_task(name)``).
Adding a task: its module, one import in ``registry.py`` and its name here (the
contract test, tests/engine/test_task_contract.py, checks that they agree and runs it).
Which tasks have a fact is asked of the tasks: ``registry.task_names(lambda t: t.labelled)``.
"""

from __future__ import annotations

TASKS: tuple[str, ...] = (
    "classification", "multi-label", "token-classification", "masked-lm", "causal-lm",
    "question-answering",
)  # fmt: skip


def task_list() -> str:
    """The tasks as a readable list for error messages."""
    return ", ".join(TASKS)
