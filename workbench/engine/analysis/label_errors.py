"""Label errors: which training rows are most likely mislabeled, and what they should say.

1. Out-of-sample probabilities for every row: k-fold fine-tuning (stratified, seeded) with the
   engine's own trainer on each fold's other rows (written to a temporary file in the data's
   format), then the held-out fold predicted with the trained weights. A run keeps one held-out
   split, not k folds, so a run's own predictions cannot stand in for these. ``repeats`` > 1
   repeats the k folds with other splits and seeds and averages the probabilities: one seed's
   ranking is a draw (precision at the number planted 0.61, 0.56 and 0.55 for three seeds in
   bench/label_errors.py), the average of three ranks better than any one of them (0.62).
   A row's ``confidence`` is the lowest probability any repeat gave its suggestion: a flag every
   repeat is sure of is more often a planted flip than one whose mean is high (see ``CONFIDENT``).
2. Confident learning on them (``confident_learning.py``: our ~60 lines of numpy instead of
   cleanlab, which brings a large dependency tree for that one function; same algorithm).
3. Texts duplicated with different labels, and texts shared with a validation file
   (``duplicates.py``).

``write_cleaned`` (``cleaned_file.py``) then writes the reviewed file beside the original.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from workbench.engine.analysis.cleaned_file import (
    TEXT_FORMATS,
    Decision,
    cleaned_path,
    write_cleaned,
    write_rows,
)
from workbench.engine.analysis.confident_learning import ConfidentLearning, find_label_issues
from workbench.engine.analysis.duplicates import (
    DuplicateGroup,
    LeakGroup,
    conflicting_duplicates,
    leakage,
)
from workbench.engine.data import ColumnMapping, Examples, Table
from workbench.engine.data.sources import data_fingerprint, source_exists
from workbench.engine.errors import CheckpointError, ConfigError, WorkbenchError
from workbench.engine.eval_data import run_of_weights
from workbench.engine.runs import RunFolder, read_run_config
from workbench.engine.training.config import TrainConfig

__all__ = [
    "Decision", "FoldProgress", "LabelErrorReport", "LabelErrorsStopped", "LabelIssue", "OutOfFold",
    "cleaned_path", "find_label_errors", "find_label_issues", "out_of_fold_probabilities",
    "refuse_a_model_that_saw_the_rows", "stratified_folds", "write_cleaned",
]  # fmt: skip

# Two passes per fold: what bench/label_errors.py measures (MiniLM, 4,000 SST-2 rows with 5 % planted
# flips: precision = recall 0.55 to 0.62 at the number planted for one k-fold run, 0.62 for the mean
# of three). Still short: no early stopping and no validation split, so the held-out fold is all the
# fold's model never saw.
SHORT_EPOCHS = 2.0
# Fewer steps than this per fold (an epochs schedule on a small file: 120 rows make 6 steps in 2
# epochs) barely move a checkpoint from its pre-trained weights: every probability stays near 0.5
# and no flag passes the confidence cut. At 50 steps MiniLM found exactly the three wrong labels
# of a 120-row file, each at 0.98. A file of 1,000 rows or more reaches it in 2 epochs anyway.
MIN_FOLD_STEPS = 50

# The search's default (workbench label-errors, the Analysis tab): one k-fold run's confident flags
# are a draw. On the planted SST-2 set (bench/label_errors.py) dropping one run's flags of 0.9 or
# more won back 0.13, 0.10 and -0.11 of what the noise cost for three fold seeds; dropping those
# all three runs were that sure of, 0.33 (0.36 on a second planted set). Three times the time, for
# a search made once per data set.
REPEATS = 3


class LabelErrorsStopped(WorkbenchError):
    """The search was cancelled (between two training steps or two prediction batches)."""


@dataclass(frozen=True)
class FoldProgress:
    fold: int  # 1-based, counted over every repeat (repeat 2's first fold of 5 is fold 6)
    folds: int  # folds times repeats
    phase: str  # "train" or "predict"
    done: int  # steps or examples done in this phase
    total: int


@dataclass(frozen=True)
class LabelIssue:
    rank: int  # 1 = most likely mislabeled
    row: int  # index among the file's examples (0-based)
    line: int  # the physical file line the row starts on
    text: str
    given: str
    suggested: str
    score: float  # label quality in [0, 1]: lower = more likely mislabeled
    # The lowest out-of-fold probability any repeat gave the suggested label (one repeat: that probability).
    confidence: float


@dataclass
class OutOfFold:
    """Out-of-sample class probabilities for every example of a file."""

    probabilities: np.ndarray  # (N, K), columns in label_names order; the mean over repeats
    lowest: np.ndarray  # (N, K): the lowest probability any repeat gave each class
    labels: np.ndarray  # (N,) given label ids
    label_names: list[str]
    examples: Examples
    folds: np.ndarray  # (repeats, N): the fold that held each row out, per repeat
    mapping: ColumnMapping | None
    table: Table


@dataclass
class LabelErrorReport:
    issues: list[LabelIssue]
    learning: ConfidentLearning
    out_of_fold: OutOfFold
    duplicates: list[DuplicateGroup]  # rows of the training file
    leakage: list[LeakGroup] = field(default_factory=list)  # with the validation file, if one was given
    validation_texts: list[str] = field(default_factory=list)
    validation_lines: list[int] = field(default_factory=list)

    @property
    def label_column(self) -> str | None:
        mapping = self.out_of_fold.mapping
        return mapping.label if mapping else None

    def decisions_from_suggestions(self, action: str = "relabel", min_confidence: float = 0.0) -> list[Decision]:
        """Every flagged row whose suggestion has at least ``min_confidence`` relabeled to it (or dropped,
        ``action="drop"``)."""
        return [Decision(i.line, action, i.suggested if action == "relabel" else None)
                for i in self.issues if i.confidence >= min_confidence]


def stratified_folds(labels: Sequence[int], folds: int, seed: int = 0) -> np.ndarray:
    """A fold number per row: each class shuffled (seeded) and dealt round the folds in turn."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    out = np.zeros(len(labels), dtype=np.int64)
    offset = 0  # classes continue where the previous one stopped, so fold sizes stay even
    for cls in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == cls))
        out[rows] = (np.arange(len(rows)) + offset) % folds
        offset += len(rows)
    return out


def _read(config: TrainConfig) -> tuple[Table, Examples, ColumnMapping | None]:
    """The file's table (as its task reads it) and every row as an example."""
    from workbench.engine.data import read_table
    from workbench.engine.task_data import bundle_from_table, complete_mapping
    from workbench.engine.tasks.registry import get_task

    task = get_task(config.task)
    if not task.finds_label_errors:
        raise ConfigError(f"label errors are found for single-label classification; not for {task.display_name}.")
    table = task.readable_table(read_table(config.data, config.format))
    mapping = None
    if config.text_column or config.text_pair_column or config.label_column:
        mapping = complete_mapping(table, config.task, text=config.text_column,
                                   text_pair=config.text_pair_column, label=config.label_column)
    bundle = bundle_from_table(table, config.task, mapping=mapping, validation_fraction=0.0, seed=config.seed,
                               format=config.format)
    return table, bundle.train, bundle.mapping


def _train_fold(config: TrainConfig, fold: int, folds: int, progress: Callable[[FoldProgress], None] | None,
                should_stop: Callable[[], bool] | None) -> object:
    """Train on ``config.data`` (a fold's rows) and return a Predictor over the result."""
    from workbench.engine.training.control import TrainControl
    from workbench.engine.training.events import StepLogged, TrainBegin, TrainCancelled, TrainFailed
    from workbench.engine.training.trainer import Trainer

    trainer = Trainer(config)
    control = TrainControl()
    for event in trainer.run(control):
        if should_stop is not None and should_stop():
            control.request_stop()  # lands at the next step boundary
        if isinstance(event, TrainBegin) and progress:
            progress(FoldProgress(fold, folds, "train", 0, event.total_steps))
        elif isinstance(event, StepLogged) and progress:
            progress(FoldProgress(fold, folds, "train", event.step, event.total_steps))
        elif isinstance(event, TrainCancelled):
            raise LabelErrorsStopped("label-error search stopped")
        elif isinstance(event, TrainFailed):
            raise WorkbenchError(f"training fold {fold} of {folds} failed: {event.message}")
    predictor = trainer.snapshot()  # a copy on the CPU: predict where the fold trained (a GPU, say)
    predictor.model.to(trainer.device)
    return predictor


def _predict_fold(predictor: object, held_out: Examples, names: list[str], fold: int, folds: int,
                  progress: Callable[[FoldProgress], None] | None,
                  should_stop: Callable[[], bool] | None) -> np.ndarray:
    """(M, K) probabilities of the held-out rows, columns in ``names`` order (a class the fold never saw: 0)."""
    from workbench.engine.evaluation import EvaluationStopped, evaluate_model

    def report(done: int, total: int) -> None:
        if progress:
            progress(FoldProgress(fold, folds, "predict", done, total))

    unlabelled = replace(held_out, labels=None)  # the fold's model may lack a class: predict only
    try:
        result = evaluate_model(predictor, unlabelled, progress=report, should_stop=should_stop)  # type: ignore[arg-type]
    except EvaluationStopped as exc:
        raise LabelErrorsStopped("label-error search stopped") from exc
    out = np.zeros((len(held_out), len(names)), dtype=np.float64)
    column = {name: c for c, name in enumerate(names)}
    for c, name in enumerate(predictor.label_names):  # type: ignore[attr-defined]
        out[:, column[name]] = result.probabilities[:, c]
    return out


def refuse_a_model_that_saw_the_rows(config: TrainConfig) -> None:
    """A ConfigError when ``config.model`` is a run (its final model or a checkpoint) trained on ``config.data``.

    Its weights have seen every row the folds hold out and learned their labels, wrong ones too:
    the folds' predictions would not be out-of-sample, agree with the labels they learned, and flag
    almost nothing. The search must start from what that run started from.
    """
    run = run_of_weights(str(config.model))
    if run is None:
        return
    try:
        summary = RunFolder(run).read_summary()
    except CheckpointError:
        summary = {}
    recorded = read_run_config(run)
    trained_on = summary.get("data") or recorded.get("data")
    if not trained_on:
        return
    fingerprint = summary.get("data_file_sha256")
    if fingerprint and source_exists(config.data):
        same = fingerprint == data_fingerprint(config.data)
    else:  # a run still training (no summary yet): the path it names
        same = Path(str(trained_on)).expanduser().resolve() == Path(str(config.data)).expanduser().resolve()
    if same:
        base = summary.get("model") or recorded.get("model")
        start = f" Use the checkpoint it started from instead: {base}." if base else ""
        raise ConfigError(
            f"{config.model} was fine-tuned on {config.data}: its weights have seen every row the folds would "
            f"hold out, and learned their labels, wrong ones too, so it would flag almost nothing.{start}")


def out_of_fold_probabilities(
    config: TrainConfig, folds: int = 5, *, repeats: int = 1, progress: Callable[[FoldProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> OutOfFold:
    """Train ``folds`` times on all rows but one fold (``config``'s model and schedule) and predict that fold;
    ``repeats`` times over, each with its own split and seed (``config.seed + repeat``), probabilities averaged."""
    if folds < 2:
        raise ConfigError(f"folds: at least 2 are needed (got {folds}).")
    if repeats < 1:
        raise ConfigError(f"repeats: at least 1 is needed (got {repeats}).")
    refuse_a_model_that_saw_the_rows(config)
    table, examples, mapping = _read(config)
    labels = np.asarray(examples.labels, dtype=np.int64)
    if len(labels) < folds:
        raise ConfigError(f"{config.data}: {len(labels)} rows cannot be split into {folds} folds.")
    fold_of = np.stack([stratified_folds(labels, folds, config.seed + repeat) for repeat in range(repeats)])
    probs = np.zeros((len(labels), len(examples.label_names)))
    lowest = np.ones_like(probs)
    columns = {"text_column": mapping.text, "text_pair_column": mapping.text_pair,
               "label_column": mapping.label} if mapping else {}
    # A fold's rows go to a file the trainer reads: the source's own text format, else JSON Lines
    # (a Parquet file, workbook, datasets folder or hub set needs no copy in its own format).
    fold_format = table.format if table.format in TEXT_FORMATS else "jsonl"
    with tempfile.TemporaryDirectory(prefix="workbench-folds-") as tmp:
        for repeat, split in enumerate(fold_of):
            for fold in range(folds):
                number = repeat * folds + fold + 1  # what progress counts
                held = np.flatnonzero(split == fold)
                keep = [examples.lines[i] for i in np.flatnonzero(split != fold)]
                path = Path(tmp) / f"fold-{number}.{fold_format}"
                write_rows(table, path, keep_lines=keep, format=fold_format)
                fold_config = replace(config, data=str(path), format=fold_format, validation=None,
                                      validation_fraction=0.0, output=None, seed=config.seed + repeat, **columns,
                                      max_steps=config.max_steps or _fold_steps(config, len(keep)))
                predictor = _train_fold(fold_config, number, folds * repeats, progress, should_stop)
                predicted = _predict_fold(predictor, examples.subset(held.tolist()), list(examples.label_names),
                                          number, folds * repeats, progress, should_stop)
                probs[held] += predicted
                lowest[held] = np.minimum(lowest[held], predicted)
    probs /= repeats
    return OutOfFold(probs, lowest, labels, list(examples.label_names), examples, fold_of, mapping, table)


def _fold_steps(config: TrainConfig, rows: int) -> int | None:
    """``MIN_FOLD_STEPS`` where ``config``'s epochs would train a fold of ``rows`` for fewer steps, else None."""
    return MIN_FOLD_STEPS if config.total_steps(rows) < MIN_FOLD_STEPS else None


def _display(examples: Examples, i: int) -> str:
    pairs = examples.text_pairs
    return f"{examples.texts[i]} ⟂ {pairs[i]}" if pairs else examples.texts[i]


def issue_rows(oof: OutOfFold, learning: ConfidentLearning) -> list[LabelIssue]:
    """The flagged rows as table rows, most likely mislabeled first."""
    names, ex = oof.label_names, oof.examples
    return [
        LabelIssue(rank + 1, int(i), ex.lines[i], _display(ex, i), names[oof.labels[i]],
                   names[learning.suggested[i]], float(learning.scores[i]),
                   float(oof.lowest[i, learning.suggested[i]]))
        for rank, i in enumerate(learning.ranked_issues())
    ]


def _validation_texts(config: TrainConfig, validation: str | None) -> tuple[list[str], list[int]]:
    if not validation:
        return [], []
    from workbench.engine.task_data import load_dataset

    bundle = load_dataset(validation, config.task, validation_fraction=0.0, format=config.format)
    ex = bundle.train
    return [_display(ex, i) for i in range(len(ex))], list(ex.lines)


def find_label_errors(
    config: TrainConfig, folds: int = 5, *, repeats: int = REPEATS, validation: str | None = None,
    ranking: str = "normalized_margin", progress: Callable[[FoldProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> LabelErrorReport:
    """Out-of-fold probabilities, confident learning, conflicting duplicates and (``validation``) leakage."""
    oof = out_of_fold_probabilities(config, folds, repeats=repeats, progress=progress, should_stop=should_stop)
    learning = find_label_issues(oof.labels, oof.probabilities, ranking=ranking)
    texts = [_display(oof.examples, i) for i in range(len(oof.examples))]
    val_texts, val_lines = _validation_texts(config, validation)
    return LabelErrorReport(
        issues=issue_rows(oof, learning), learning=learning, out_of_fold=oof,
        duplicates=conflicting_duplicates(texts, oof.labels.tolist()),
        leakage=leakage(texts, val_texts) if val_texts else [],
        validation_texts=val_texts, validation_lines=val_lines,
    )
