"""The tasks the workbench trains and predicts for: one module per task, found by the registry.

What each task *is* (its columns, head, headline metric, prediction ...) lives on its
``Task`` object (``base.py``), one module per task in this package, decorated with
``@register``. ``registry.py`` imports every module here, so adding a task is adding its
module: ``registry.TASKS`` (the CLI's ``--task`` choices), ``all_tasks()`` and the GUI's
task lists pick it up, ordered by ``Task.order``, and the contract test
(tests/engine/test_task_contract.py) runs it end to end on its ``sample``.
Callers ask the registry: ``get_task(name).headline``, ``task_names(lambda t: t.labelled)``.
"""
