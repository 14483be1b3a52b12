"""A data set for a task named by the user: the data layer (files -> tables) meets the tasks.

``workbench.engine.data`` reads files and knows no task; each task (``engine/tasks/``)
decides its columns, examples, split and statistics extras. The functions here take
a task by name, as configs, the CLI and the app hold it, and ask that task:

    bundle = load_dataset("train.csv", "classification")
    stats = compute_stats(bundle.train, bundle.validation)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.engine.data import ColumnMapping, Examples, Table, read_table
from workbench.engine.data import stats as data_stats
from workbench.engine.data.split import check_fraction
from workbench.engine.errors import DatasetError
from workbench.engine.tasks.registry import default_task, get_task

__all__ = [
    "DatasetBundle",
    "build_examples",
    "bundle_from_table",
    "complete_mapping",
    "compute_stats",
    "default_task",
    "detect_columns",
    "load_dataset",
    "stratified_split",
]


def detect_columns(table: Table, task: str) -> ColumnMapping:
    """Guess the mapping from header names, falling back to column contents."""
    return complete_mapping(table, task)


def complete_mapping(
    table: Table,
    task: str,
    *,
    text: str | None = None,
    text_pair: str | None = None,
    label: str | None = None,
) -> ColumnMapping:
    """A full mapping from the parts the user gave (each checked) plus detection for the rest."""
    return get_task(task).complete_mapping(table, text=text, text_pair=text_pair, label=label)


def build_examples(
    table: Table,
    task: str,
    mapping: ColumnMapping | None = None,
    label_names: Sequence[str] | None = None,
    *,
    label_separator: str = "|",
) -> Examples:
    """Turn table rows into Examples for ``task``.

    ``label_names`` (from the training set, when this is a validation set) fixes
    the label ids; a label outside it is a DatasetError. ``label_separator``
    splits a multi-label cell ("news|sport"); other tasks ignore it.
    """
    return get_task(task).build_examples(
        table, mapping, label_names, label_separator=label_separator
    )


def stratified_split(
    examples: Examples, fraction: float = 0.1, seed: int = 0
) -> tuple[Examples, Examples]:
    """Split into (train, validation) by the examples' task, deterministic for a given ``seed``.

    Classification stratifies by label, question answering holds out whole
    articles, other tasks shuffle (``Task.split``). Both parts keep the original
    order of the examples.
    """
    check_fraction(fraction)
    return get_task(examples.task).split(examples, fraction, seed)


def compute_stats(
    train: Examples,
    validation: Examples | None = None,
    *,
    token_lengths: Callable[[list[str]], list[int]] | None = None,
    max_length: int | None = None,
) -> dict[str, Any]:
    """Statistics of ``train`` (and ``validation``) plus warnings (``data.stats``), as its task counts them."""
    task = get_task(train.task)
    return data_stats.compute_stats(
        train,
        validation,
        token_lengths=token_lengths,
        max_length=max_length,
        label_lists=task.label_lists,
        warn_imbalance=task.warns_imbalance,
        extras=task.stats_extras(train),
    )


@dataclass
class DatasetBundle:
    """What training needs from the data: both splits and the shared label list."""

    train: Examples
    validation: Examples | None
    label_names: list[str]
    mapping: ColumnMapping | None
    format: str
    columns: list[str] = field(default_factory=list)  # of the training file, for display
    delimiter: str | None = None  # csv/tsv: the delimiter that was used


def bundle_from_table(
    table: Table,
    task: str = "classification",
    *,
    mapping: ColumnMapping | None = None,
    validation_path: str | Path | None = None,
    validation_fraction: float = 0.1,
    seed: int = 0,
    format: str | None = None,
    label_separator: str = "|",
) -> DatasetBundle:
    """``load_dataset`` for a table already read (the CLI reads it to show its columns)."""
    table = get_task(task).readable_table(table)  # e.g. a file of pairs without a header, read as such
    if mapping is None:
        mapping = detect_columns(table, task)
    train = build_examples(table, task, mapping, label_separator=label_separator)
    validation: Examples | None
    if validation_path is not None:
        vtable = get_task(task).readable_table(read_table(validation_path, format))
        vmapping = mapping
        if any(
            c and c not in vtable.columns for c in (mapping.text, mapping.text_pair, mapping.label)
        ):
            # Headers may differ between the files (e.g. "sentence" vs "text"); re-detect
            # only the parts that are missing, so an explicit choice still gets checked.
            try:
                vmapping = complete_mapping(
                    vtable,
                    task,
                    text=mapping.text if mapping.text in vtable.columns else None,
                    text_pair=mapping.text_pair if mapping.text_pair in vtable.columns else None,
                    label=mapping.label if mapping.label in vtable.columns else None,
                )
            except DatasetError:
                vmapping = mapping  # let build_examples name the missing column
        names = train.label_names if get_task(task).labelled else None
        validation = build_examples(
            vtable, task, vmapping, label_names=names, label_separator=label_separator
        )
    elif validation_fraction != 0:  # stratified_split rejects out-of-range values
        train, validation = stratified_split(train, validation_fraction, seed)
        if len(validation) == 0:
            validation = None  # too few examples to hold any out
    else:
        validation = None
    return DatasetBundle(
        train=train,
        validation=validation,
        label_names=list(train.label_names),
        mapping=mapping,
        format=table.format,
        columns=list(table.columns),
        delimiter=table.delimiter,
    )


def load_dataset(
    path: str | Path,
    task: str = "classification",
    *,
    mapping: ColumnMapping | None = None,
    validation_path: str | Path | None = None,
    validation_fraction: float = 0.1,
    seed: int = 0,
    format: str | None = None,
    label_separator: str = "|",
) -> DatasetBundle:
    """Read ``path`` (and ``validation_path``) into train/validation Examples for ``task``.

    Without ``validation_path`` the validation set is a seeded ``validation_fraction``
    of the training file, split as the task splits (0 -> no validation set).
    ``label_separator`` splits multi-label cells ("news|sport").
    """
    return bundle_from_table(
        read_table(path, format),
        task,
        mapping=mapping,
        validation_path=validation_path,
        validation_fraction=validation_fraction,
        seed=seed,
        format=format,
        label_separator=label_separator,
    )
