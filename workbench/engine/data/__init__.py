"""The data layer: files -> :class:`Table` -> :class:`Examples` -> train/validation + stats.

Qt-free and torch-free. Every problem a user can cause raises
:class:`~workbench.engine.errors.DatasetError` naming the file, the physical line
and what to do.

    bundle = load_dataset("train.csv", "classification")
    stats = compute_stats(bundle.train, bundle.validation)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.engine.data.examples import (
    LM_TASKS,
    TASKS,
    ColumnMapping,
    Examples,
    build_examples,
    complete_mapping,
    default_task,
    detect_columns,
)
from workbench.engine.data.readers import FORMATS, Table, detect_format, read_table
from workbench.engine.data.split import stratified_split
from workbench.engine.data.stats import compute_stats
from workbench.engine.errors import DatasetError
from workbench.engine.tasks import LABELLED_TASKS

__all__ = [
    "FORMATS",
    "LM_TASKS",
    "TASKS",
    "ColumnMapping",
    "DatasetBundle",
    "Examples",
    "Table",
    "build_examples",
    "bundle_from_table",
    "complete_mapping",
    "compute_stats",
    "default_task",
    "detect_columns",
    "detect_format",
    "load_dataset",
    "read_table",
    "stratified_split",
]


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
    if mapping is None:
        mapping = detect_columns(table, task)
    train = build_examples(table, task, mapping, label_separator=label_separator)
    validation: Examples | None
    if validation_path is not None:
        vtable = read_table(validation_path, format)
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
        names = train.label_names if task in LABELLED_TASKS else None
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

    Without ``validation_path`` the validation set is a seeded, stratified
    ``validation_fraction`` of the training file (0 -> no validation set).
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
