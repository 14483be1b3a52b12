"""The tasks the workbench trains and predicts for: one list, used everywhere.

Every CLI ``--task`` choice, config check and GUI task list reads these tuples. What
each task *is* (its head, headline metric, prediction ...) lives on its ``Task`` object:
one module per task in this package, registered in ``registry.py`` (``get_task(name)``).
Adding a task: its module, one import in ``registry.py`` and its name here (the
contract test, tests/engine/test_task_contract.py, checks that they agree and runs it).
The tuples below stay import-free on purpose (``engine.data`` reads them); the
contract test keeps them equal to the tasks' flags.
"""

from __future__ import annotations

TASKS: tuple[str, ...] = (
    "classification", "multi-label", "token-classification", "masked-lm", "causal-lm",
    "question-answering",
)  # fmt: skip
# Tasks whose examples carry labels the model learns to predict.
LABELLED_TASKS: tuple[str, ...] = ("classification", "multi-label", "token-classification")
# Self-supervised pre-training on plain text.
LM_TASKS: tuple[str, ...] = ("masked-lm", "causal-lm")
# Prediction cuts each input at the run's max_length (question answering windows it instead).
TRUNCATING_TASKS: tuple[str, ...] = ("classification", "multi-label", "token-classification", "masked-lm")
# Prediction continues a prompt, which may be empty, reading all of it up to the model's positions.
GENERATIVE_TASKS: tuple[str, ...] = ("causal-lm",)


def task_list() -> str:
    """The tasks as a readable list for error messages."""
    return ", ".join(TASKS)
