"""Every task, by name: ``get_task("multi-label").headline`` instead of ``if task == ...``.

The registry finds the tasks itself: importing it imports every module of this package
(``base``, ``registry`` and ``_private`` ones aside), and each ``Task`` subclass decorated
with ``@register`` registers by being defined. A new task is therefore one module here,
nothing else: ``TASKS`` (the CLI's ``--task`` choices), ``all_tasks()`` and every task
list follow ``Task.order``, and tests/engine/test_task_contract.py runs the new task end
to end on its ``sample``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.engine.errors import ConfigError, WorkbenchError
from workbench.engine.tasks.base import Metric, Task, registered

if TYPE_CHECKING:
    from workbench.engine.data.table import Table

__all__ = [
    "TASKS", "Metric", "Task", "all_tasks", "best_metric", "default_task", "find_task", "get_task",
    "headline_metric", "summary_metric_names", "task_for_architectures", "task_list", "task_names",
]  # fmt: skip

# Modules of this package that define no task (language_model.py, a shared base, registers nothing: harmless).
_NOT_TASK_MODULES = frozenset({"base", "registry"})


def _import_task_modules() -> None:
    """Import every task module for its ``@register`` side effect, so a task registers by existing."""
    package = __name__.rpartition(".")[0]
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name not in _NOT_TASK_MODULES and not module.name.startswith("_"):
            importlib.import_module(f"{package}.{module.name}")


_import_task_modules()

# What a run is summarised by when its task is unknown (an old or foreign run folder).
_FALLBACK = Metric("eval_accuracy")


def all_tasks() -> tuple[Task, ...]:
    """The registered tasks, by ``Task.order`` (then by name)."""
    return tuple(sorted(registered().values(), key=lambda task: (task.order, task.name)))


def task_names(where: Callable[[Task], bool] = lambda task: True) -> tuple[str, ...]:
    """The names of the tasks a flag picks, in ``all_tasks`` order: ``task_names(lambda t: t.labelled)``."""
    return tuple(task.name for task in all_tasks() if where(task))


# Every task's name: the CLI's --task choices, config checks and task combos.
TASKS: tuple[str, ...] = task_names()


def task_list() -> str:
    """The tasks as a readable list for messages: "classification, multi-label, ..."."""
    return ", ".join(task_names())


def default_task(table: Table) -> str:
    """The task a newly opened file most likely serves: the first task that claims it, else classification."""
    for task in all_tasks():
        if task.claims_table(table):
            return task.name
    return "classification"


def find_task(name: str | None) -> Task | None:
    return registered().get(name) if name else None


def get_task(name: str, *, error: type[WorkbenchError] = ConfigError) -> Task:
    """The task called ``name``; otherwise ``error`` (a ConfigError by default; a model's
    loader raises ModelError) saying so and listing the tasks."""
    task = find_task(name)
    if task is None:
        raise error(f"unknown task {name!r}; choose one of: {task_list()}.")
    return task


def _eval_name(name: str) -> str:
    return name if name.startswith("eval_") else f"eval_{name}"


def _lower_is_better(name: str) -> bool:
    return name.endswith(("loss", "perplexity"))


def best_metric(task: str | None, metric_for_best: str | None = None) -> tuple[str, bool]:
    """(metric name, greater is better) that picks the best checkpoint: the config's choice, else the task's."""
    if metric_for_best:
        name = _eval_name(metric_for_best)
        return name, not _lower_is_better(name)
    found = find_task(task)
    metric = found.best if found is not None else _FALLBACK
    return metric.name, metric.greater_is_better


def headline_metric(task: str | None, metric_for_best: str | None = None) -> str:
    """The figure a run is shown by (curves, runs table): a chosen metric_for_best that is a score, else the task's headline.

    A chosen loss is not shown instead: the curves plot the loss already.
    """
    if metric_for_best and not _lower_is_better(metric_for_best):
        return _eval_name(metric_for_best)
    found = find_task(task)
    return (found.headline if found is not None else _FALLBACK).name


def summary_metric_names() -> tuple[str, ...]:
    """Every task's progress-line figures, once each, headline figures first (for lines that do not know the task)."""
    names: dict[str, None] = {}
    for task in all_tasks():
        names.setdefault(task.headline.name)
    for task in all_tasks():
        for name in task.summary_metrics:
            names.setdefault(name)
    return tuple(names)


def task_for_architectures(architectures: Iterable[str], config: Mapping[str, Any]) -> str | None:
    """The task a foreign model folder's config.json ``architectures`` mean, or None."""
    specific_first = sorted(all_tasks(), key=lambda task: -len(task.head_config))
    for architecture in architectures:
        for task in specific_first:
            if task.claims_architecture(architecture, config):
                return task.name
    return None
