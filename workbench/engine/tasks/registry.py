"""Every task, by name: ``get_task("multi-label").headline`` instead of ``if task == ...``.

A new task: a module in this package whose ``Task`` subclass is decorated with
``@register``, and one import below. ``tasks.TASKS`` (the CLI's choices) must list it
too; tests/engine/test_task_contract.py checks that they agree and runs the new task
end to end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

# The task modules are imported for their @register side effect (all_tasks orders them as TASKS does).
from workbench.engine.tasks import (  # noqa: F401
    TASKS,
    causal_lm,
    classification,
    masked_lm,
    multilabel,
    question_answering,
    task_list,
    token_classification,
)
from workbench.engine.tasks.base import Metric, Task, registered

if TYPE_CHECKING:
    from workbench.engine.data.table import Table

__all__ = [
    "Metric", "Task", "all_tasks", "best_metric", "default_task", "find_task", "get_task", "headline_metric",
    "summary_metric_names", "task_for_architectures", "task_names",
]  # fmt: skip

# What a run is summarised by when its task is unknown (an old or foreign run folder).
_FALLBACK = Metric("eval_accuracy")


def all_tasks() -> tuple[Task, ...]:
    """The registered tasks, in ``TASKS`` order (then any registered but not listed)."""
    found = registered()
    listed = [found[name] for name in TASKS if name in found]
    return (*listed, *(task for name, task in found.items() if name not in TASKS))


def task_names(where: Callable[[Task], bool] = lambda task: True) -> tuple[str, ...]:
    """The names of the tasks a flag picks, in ``TASKS`` order: ``task_names(lambda t: t.labelled)``."""
    return tuple(task.name for task in all_tasks() if where(task))


def default_task(table: Table) -> str:
    """The task a newly opened file most likely serves: the first task that claims it, else classification."""
    for task in all_tasks():
        if task.claims_table(table):
            return task.name
    return "classification"


def find_task(name: str | None) -> Task | None:
    return registered().get(name) if name else None


def get_task(name: str) -> Task:
    """The task called ``name``; a ConfigError that lists the tasks otherwise."""
    from workbench.engine.errors import ConfigError

    task = find_task(name)
    if task is None:
        raise ConfigError(f"Unknown task {name!r}; choose one of {task_list()}.")
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
