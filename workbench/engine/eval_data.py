"""What a run is evaluated on when nobody names a file: the data it validated on.

Shared by ``workbench eval RUN`` (without ``--data``) and the evaluation panel, so
both pick the same examples and refuse the same changed files.

A run folder (or one of its checkpoints, ``RUN/checkpoints/step-N``) brings its
own data: its validation file, or, when the run held its validation examples out
of the training file (``validation_fraction``, ``seed``), exactly that held-out
part, rebuilt with the training code itself (``load_training_data``: the split is
seeded, so the same file gives the same split). The whole training file would
include the examples the model learned from and overstate its accuracy. The
rebuilt split is checked against the run (its number of validation examples in
``metrics.jsonl``, its label set, and the training data's checksum when a
checkpoint recorded one) and refused when the file changed.

Labels are read for the model with ``examples_for_model``, so a checkpoint saved
without label names (LABEL_0, LABEL_1) reads data labelled 0/1 by position and
says so, in every way examples are built here.

``run_eval_data`` only reads the run's ``config.json`` (cheap: the app calls it on
its GUI thread); ``EvalData.examples`` reads the data (in a worker, in the app).
This module imports no torch at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from workbench.engine.data import ColumnMapping
from workbench.engine.errors import CheckpointError, DatasetError, WorkbenchError
from workbench.engine.runs import (
    CONFIG_FILE,
    MODEL_DIR,
    load_run_config,
    read_json_lines,
    read_run_config,
)
from workbench.engine.tasks.registry import get_task

if TYPE_CHECKING:
    from workbench.engine.data import Examples, Table

# Where the examples come from: a file the user named, the run's validation file, the
# part of its training file the run held out, or (asked for) the whole training file.
Kind = Literal["file", "validation", "held-out", "training"]

_CHANGED_HINT = (
    "Its held-out split cannot be rebuilt as the run made it. Put back the file the run trained "
    "on, or evaluate on a labelled file the model did not train on (workbench eval RUN --data FILE; "
    "in the app: Browse…)."
)


@dataclass(frozen=True)
class HeldOut:
    """How a run held its validation examples out of its training file (seeded: reproducible)."""

    run: str  # the run folder: its config.json is the recipe, its metrics.jsonl the check
    fraction: float
    seed: int

    def describe(self, data: str) -> str:
        """A plain-text name for reports and exports (English, as the engine's texts)."""
        return f"{data} (held-out split: {self.fraction:.0%}, seed {self.seed})"


@dataclass(frozen=True)
class EvalData:
    """A labelled file to evaluate on, and, for a run's own data, which part of it."""

    path: str
    mapping: ColumnMapping | None = None  # None: the columns are detected
    format: str | None = None  # None: detected from the file
    kind: Kind = "file"
    held_out: HeldOut | None = None  # set for kind "held-out"
    label_separator: str | None = None  # multi-label: the run's (None: the caller's or "|")

    @property
    def description(self) -> str:
        """One line saying what is evaluated (the CLI prints it; English, as the engine's texts)."""
        if self.kind == "held-out" and self.held_out is not None:
            return (
                f"the run's held-out split of {self.path} ({self.held_out.fraction:.0%}, seed "
                f"{self.held_out.seed}): the examples it validated on, not those it trained on"
            )
        if self.kind == "validation":
            return f"the run's validation file {self.path}"
        if self.kind == "training":
            return f"all of the run's training file {self.path}, including the examples the model trained on"
        return self.path

    def whole_file(self) -> EvalData:
        """The whole file instead of the run's held-out split of it."""
        if self.kind != "held-out":
            return self
        return replace(self, kind="training", held_out=None)

    def examples(
        self, task: str, label_names: Sequence[str] | None, *, label_separator: str | None = None
    ) -> tuple[Examples, str | None]:
        """The examples, with the model's label ids, and ``examples_for_model``'s note (or None).

        ``label_names``: the model's (None for tasks without labels). Raises DatasetError for
        a file that cannot be read for this model, and for a training file that changed
        since the run split it.
        """
        from workbench.engine.data import read_table
        from workbench.engine.evaluation import examples_for_model

        separator = self.label_separator or label_separator or "|"
        names = list(label_names) if label_names and get_task(task).labelled else None
        if self.kind == "held-out" and self.held_out is not None:
            return held_out_examples(self.held_out, self.path, task, names)
        table = read_table(self.path, self.format)
        mapping = self.mapping
        if self.kind != "file" and mapping is not None:
            mapping = _mapping_for(table, task, mapping)
        return examples_for_model(table, task, mapping, names, label_separator=separator)


def _mapping_for(table: Table, task: str, mapping: ColumnMapping) -> ColumnMapping:
    """The run's columns for another file of the run: those it lacks are detected (as training does)."""
    from workbench.engine.task_data import complete_mapping

    def present(column: str | None) -> str | None:
        return column if column and column in table.columns else None

    try:
        return complete_mapping(
            table, task, text=present(mapping.text), text_pair=present(mapping.text_pair),
            label=present(mapping.label),
        )  # fmt: skip
    except DatasetError:
        return mapping  # build_examples then names the missing column


def _run_path(folder: Path, value: str) -> Path:
    """A path from a run's config: as written, else relative to the run folder when that exists."""
    path = Path(value).expanduser()
    if not path.is_absolute() and not path.exists() and (folder / path).exists():
        path = folder / path
    return path


def run_folder_of(spec: str | Path) -> Path | None:
    """The run folder ``spec`` is, or holds as one of its checkpoints; None for anything else."""
    folder = Path(spec).expanduser()
    if (folder / MODEL_DIR / CONFIG_FILE).is_file() and (folder / CONFIG_FILE).is_file():
        return folder  # (a model folder's config.json is the model's, not a training config)
    run = folder.parent.parent  # RUN/checkpoints/step-N: a run stopped before its final model
    if folder.parent.name == "checkpoints" and (run / CONFIG_FILE).is_file():
        return run
    return None


def run_of_weights(spec: str | Path) -> Path | None:
    """The run whose weights ``spec`` names: the run folder, its final ``model/`` or a checkpoint; else None.

    Unlike ``run_folder_of``, a run's ``model/`` folder counts: it holds that run's weights.
    """
    folder = Path(spec).expanduser()
    return run_folder_of(folder.parent) if folder.name == MODEL_DIR else run_folder_of(folder)


def run_eval_data(spec: str | Path) -> EvalData | None:
    """What a run folder (or one of its checkpoints) is evaluated on by default, if its config says.

    Its validation file, else the part of its training file it held out (a
    ``validation_fraction`` above 0); None for a model folder, a hub id, or a run
    that validated on nothing. Reads only the run's config.json: the checks happen
    when ``EvalData.examples`` reads the data.
    """
    folder = run_folder_of(spec)
    if folder is None:
        return None
    config = read_run_config(folder)
    if not config:  # missing or unreadable: nothing says what the run validated on
        return None
    mapping = None
    if config.get("text_column"):
        mapping = ColumnMapping(config["text_column"], config.get("text_pair_column"), config.get("label_column"))
    separator = config.get("label_separator") if isinstance(config.get("label_separator"), str) else None
    data_format = config.get("format") if isinstance(config.get("format"), str) else None
    validation = config.get("validation")
    if isinstance(validation, str) and validation:
        return EvalData(str(_run_path(folder, validation)), mapping, data_format, "validation",
                        label_separator=separator)
    data = config.get("data")
    fraction = config.get("validation_fraction", 0.1)  # TrainConfig's default when absent
    seed = config.get("seed", 0)
    usable = (
        isinstance(fraction, (int, float)) and not isinstance(fraction, bool) and 0 < fraction < 1
        and isinstance(seed, int) and not isinstance(seed, bool)
    )  # fmt: skip
    if not isinstance(data, str) or not data or not usable:
        return None  # no validation at all: nothing was held out
    held_out = HeldOut(str(folder), float(fraction), seed)
    return EvalData(str(_run_path(folder, data)), mapping, data_format, "held-out", held_out, separator)


def reported_validation_size(run: Path) -> int | None:
    """How many validation examples the run said it had (its last ``train_begin`` record)."""
    for record in reversed(read_json_lines(run / "metrics.jsonl").records):
        if (
            record.get("event") == "train_begin"
            and isinstance(record.get("num_validation_examples"), int)
        ):  # fmt: skip
            return int(record["num_validation_examples"])
    return None


def recorded_data_digest(run: Path) -> str | None:
    """The training data's checksum the run's newest checkpoint recorded, if any."""
    from workbench.engine.training import checkpoints as ckpt

    checkpoint = ckpt.latest_checkpoint(run / "checkpoints")
    if checkpoint is None:
        return None
    try:
        fingerprint = ckpt.load_trainer_state(checkpoint).get("data_fingerprint") or {}
    except WorkbenchError:
        return None
    digest = fingerprint.get("data_sha256") if isinstance(fingerprint, dict) else None
    return str(digest) if digest else None


def _same_classes(data_names: Sequence[str], model_names: Sequence[str]) -> bool:
    """The data's label set is the model's, by name, or by position for a LABEL_i model (0 is LABEL_0)."""
    from workbench.engine.evaluation import generic_label_names

    if list(data_names) == list(model_names):
        return True
    return generic_label_names(model_names) and list(data_names) == [str(i) for i in range(len(model_names))]


def _rows(table: Table, lines: Sequence[int]) -> Table:
    """The rows of ``table`` that start on ``lines`` (each row starts on its own line), in file order."""
    keep = set(lines)
    index = [i for i, line in enumerate(table.lines) if line in keep]
    return replace(
        table,
        rows=[table.rows[i] for i in index],
        lines=[table.lines[i] for i in index],
        token_lines=None if table.token_lines is None else [table.token_lines[i] for i in index],
    )


def held_out_examples(
    held_out: HeldOut, data: str, task: str, label_names: Sequence[str] | None
) -> tuple[Examples, str | None]:
    """The run's held-out validation examples, rebuilt exactly as its training did, and a label note.

    The split is ``load_training_data`` on the run's own config (seeded), so an
    unchanged file gives the same examples. A changed file would not: the number
    of examples, the label set and (when a checkpoint recorded it) the checksum of
    the training part are compared with the run, and a mismatch is refused (the
    number only for labelled tasks, where the run counted one item per example).
    Labelled examples are then read for the model (``examples_for_model``).
    """
    from workbench.engine.data import read_table
    from workbench.engine.evaluation import examples_for_model, listed_names
    from workbench.engine.training.checkpoint_checks import examples_digest
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.setup import load_training_data

    run = Path(held_out.run)
    try:
        config = load_run_config(run)
    except CheckpointError as exc:  # the split's recipe is gone: the data cannot be rebuilt
        raise DatasetError(f"cannot read the run's config ({exc}).", path=run / CONFIG_FILE) from exc
    keys = ("format", "text_column", "text_pair_column", "label_column", "task", "label_separator")
    recipe = TrainConfig(
        data=data, validation=None, validation_fraction=held_out.fraction, seed=held_out.seed,
        **{key: config[key] for key in keys if config.get(key) is not None},
    )  # fmt: skip
    bundle = load_training_data(recipe)
    validation = bundle.validation
    if validation is None:
        raise DatasetError("the run held no examples out of this file.", path=data, hint=_CHANGED_HINT)
    problems = []
    labelled = get_task(recipe.task).labelled
    # The run counted encoded items: one per example for labelled tasks, but text blocks
    # (language models) or context windows (question answering) otherwise, which only the
    # tokenizer could recount; for those tasks the checksum below is the check.
    reported = reported_validation_size(run) if labelled else None
    if reported is not None and reported != len(validation):
        problems.append(f"the run validated on {reported} examples, the split now has {len(validation)}")
    names = list(label_names) if label_names and labelled else []
    if names and not _same_classes(bundle.label_names, names):
        problems.append(f"its labels ({listed_names(bundle.label_names)}) differ from the model's ({listed_names(names)})")
    recorded = recorded_data_digest(run)
    train = bundle.train
    if recorded and recorded != examples_digest(train):
        problems.append("its training examples differ from the run's")
    if problems:
        raise DatasetError(
            f"the file changed since the run trained on it: {'; '.join(problems)}.", path=data, hint=_CHANGED_HINT
        )
    if not labelled or not names:
        return validation, None
    # The same rows, read for the model: its label ids, and LABEL_i matched by position.
    table = _rows(read_table(data, recipe.format), validation.lines)
    return examples_for_model(table, task, bundle.mapping, names, label_separator=recipe.label_separator)


def default_eval_data(spec: str | Path) -> EvalData:
    """``run_eval_data``, or a ConfigError that says to name a file (for ``workbench eval RUN``)."""
    from workbench.engine.errors import ConfigError

    found = run_eval_data(spec)
    if found is None:
        raise ConfigError(
            f"{spec} is not a run folder with validation data (a validation file, or a "
            "validation_fraction of its training file, in its config.json), so there is no "
            "default data to evaluate on: give a labelled file with --data FILE."
        )
    return found


__all__ = [
    "EvalData",
    "HeldOut",
    "default_eval_data",
    "held_out_examples",
    "recorded_data_digest",
    "reported_validation_size",
    "run_eval_data",
    "run_folder_of",
]
