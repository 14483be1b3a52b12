"""What a task is: one ``Task`` object per task, registered once, asked by everyone.

A module per task (``classification.py``, ``multilabel.py``, ...) subclasses ``Task``
and decorates the subclass with ``@register``; ``registry.py`` imports every module of
this package and answers ``get_task(name)``. Code outside ``workbench/engine/tasks/`` asks
the task (``task.labelled``, ``task.headline``, ``task.predict(...)``) instead of comparing
its name: a new task is one module here and nothing else (its ``order`` places it in
the task lists), plus its view in ``workbench/gui/tasks/registry.py`` for the app.

This module imports nothing heavy (no torch, no transformers): the GUI reads the
task facts (names, metrics) on its start-up path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from workbench.engine.data.examples import (
    ColumnMapping,
    ColumnRoles,
    Examples,
    check_mapping,
    complete_mapping,
    read_texts,
)
from workbench.engine.data.split import random_split
from workbench.engine.errors import DatasetError

if TYPE_CHECKING:
    import numpy as np
    import torch

    from workbench.engine.data.table import Table
    from workbench.engine.encoding import Encoded
    from workbench.engine.eval_loop import EvalOptions, EvalResult


class Predictor(Protocol):
    """What a task's prediction uses of ``inference.Predictor`` (a Protocol, so the tasks do not import it)."""

    model: Any
    tokenizer: Any
    task: str
    label_names: list[str]
    max_length: int
    thresholds: list[float] | None
    label_separator: str
    doc_stride: int
    null_threshold: float
    meta: Mapping[str, Any]  # the model's workbench_model.json ({} for a folder the workbench did not save)
    task_cache: dict[str, Any]  # what a task computes once per model (e.g. masked LM's "##" piece ids)

    @property
    def device(self) -> Any: ...

    def inputs(self, texts: list[str], pairs: list[str] | None = None) -> dict[str, Any]: ...

    def stream(self, text: str, settings: Any = None) -> Any: ...


@dataclass(frozen=True)
class Metric:
    """An evaluation figure by its logged name (``eval_accuracy``) and its direction."""

    name: str
    greater_is_better: bool = True


@dataclass(frozen=True)
class TaskSample:
    """A few rows of data in a format the readers accept, and inputs to predict on.

    The contract test (tests/engine/test_task_contract.py) trains on it, so every
    registered task is built, trained, evaluated, saved, loaded and asked to predict.
    """

    filename: str  # its extension tells the reader the format
    text: str
    predict_texts: tuple[str, ...]
    predict_options: Mapping[str, Any] = field(default_factory=dict)
    config: Mapping[str, Any] = field(default_factory=dict)  # TrainConfig overrides (max_length ...)


class Task:
    """The facts and the behaviour of one task; subclasses set the class attributes."""

    name: ClassVar[str]  # the identifier in configs, CLI flags and saved models
    display_name: ClassVar[str]  # English, lower case: "text classification"
    # The hub's ``pipeline_tag`` for a model of this task (model card front matter; None: none fits).
    hub_pipeline_tag: ClassVar[str | None] = None
    # The "Intended use and limits" paragraph of a model card (engine/model_card.py): short and honest.
    card_use_and_limits: ClassVar[str] = (
        "Trained on the data file named above and only as good as that data: test it on your own data "
        "before relying on it, and expect weaker results on text unlike its training data."
    )
    # Where the task comes in every task list (CLI --task choices, GUI combos, ``all_tasks()``),
    # ascending; ties go by name. A task that leaves it out comes after the built-in ones.
    order: ClassVar[int] = 1000
    # transformers' Auto class for the head, by name (transformers is imported only when a model is made).
    auto_class_name: ClassVar[str]
    # The Auto class when next-sentence prediction is on too (None: the task has no such option).
    pretraining_auto_class_name: ClassVar[str | None] = None
    # Extra model-config arguments of the head (e.g. problem_type for multi-label).
    head_config: ClassVar[Mapping[str, Any]] = {}
    # Examples carry label names the model learns (num_labels, id2label, label2id on the config).
    labelled: ClassVar[bool] = False
    # Self-supervised pre-training on plain text.
    language_model: ClassVar[bool] = False
    # Prediction cuts each input at the run's max_length (question answering windows it instead).
    truncates: ClassVar[bool] = True
    # Prediction continues a prompt, which may be empty.
    generative: ClassVar[bool] = False
    # An encoder-decoder writes a target text from a source text (translation, summarisation,
    # dialogue): it needs an encoder-decoder model, and an encoder-decoder preset learns nothing else.
    sequence_to_sequence: ClassVar[bool] = False
    # Inputs are words (split on spaces), so byte-level BPE tokenizers need add_prefix_space.
    words_input: ClassVar[bool] = False
    # Answers a question about a context (Predictor.predict_answer).
    answers_questions: ClassVar[bool] = False
    # One label per text from the head's logits: saliency explains it (gradients towards the label).
    explains: ClassVar[bool] = False
    # Two models' predictions compare example by example (one label each: agreement, confusion).
    compares: ClassVar[bool] = False
    # One label per text with a probability per class: bias probes re-predict texts with swapped terms
    # and compare the label and its probability (engine/analysis/probes.py).
    probes_terms: ClassVar[bool] = False
    # Prediction is one forward pass over the text, so the attention view's pass yields it too
    # (``results_from_logits``).
    predicts_in_one_pass: ClassVar[bool] = False
    # The max_length a new run of this task starts with (None: TrainConfig's default).
    default_max_length: ClassVar[int | None] = None
    # A row's labels share one cell, split by TrainConfig.label_separator.
    label_separator_option: ClassVar[bool] = False
    # Its source is built from a conversation's previous turns (TrainConfig.context_turns joined by
    # turn_separator): those options apply.
    context_turns_option: ClassVar[bool] = False
    # Learns to fill in masked words from both sides: the tokenizer needs a mask token, and a
    # left-to-right (GPT) model cannot learn it.
    fills_masks: ClassVar[bool] = False
    # ``workbench eval --predictions`` writes one row per example, word or question.
    writes_predictions: ClassVar[bool] = False
    # The BiLSTM preset has a head for it (models/bilstm.py: a sequence classifier and a tagger).
    bilstm_head: ClassVar[bool] = False
    # Training reads long inputs in overlapping windows (doc_stride) instead of cutting them.
    windows_inputs: ClassVar[bool] = False
    # Its file format fixes the columns (SQuAD's question and context): a chosen column does not apply.
    fixed_columns: ClassVar[bool] = False
    # Distributed evaluation shares the batches out and gathers the outputs on rank 0 (a language
    # model's (B, T, V) logits are too large to gather: rank 0 evaluates alone).
    gathers_eval_outputs: ClassVar[bool] = True
    # The evaluation forward keeps the labels (the model computes the loss) and pads on the right;
    # other tasks drop the labels and pad on the tokenizer's side.
    eval_forward_with_labels: ClassVar[bool] = False
    # Predictions are one tag per word: reports show per-word rows and entity scores.
    tags_words: ClassVar[bool] = False
    # One label per row from a softmax over classes: confident learning finds mislabeled rows
    # (``engine/analysis/label_errors.py``).
    finds_label_errors: ClassVar[bool] = False
    # ONNX export (``engine/export/``): the head's outputs the exported graph returns, by their names on
    # the model's output (e.g. ("logits",)); empty: the task cannot be exported, and export says so.
    onnx_outputs: ClassVar[tuple[str, ...]] = ()
    # The export adds a "probabilities" output made from "logits" by this ("softmax" or "sigmoid"); the
    # ONNX Runtime check then compares the probabilities. None: the logits are the task's outputs.
    onnx_probabilities: ClassVar[str | None] = None
    # Its ``evaluate`` reports progress itself (``EvalOptions.progress``): its forward passes are not
    # one per batch of examples (seq2seq: one per generated token), so counting them would overshoot.
    reports_eval_progress: ClassVar[bool] = False
    # The sentence-level score of each prediction row (a key of the rows; generated text: "chrf" ...).
    sentence_metric: ClassVar[str | None] = None
    # The figure a run is summarised by (runs table, curves, headline of a report).
    headline: ClassVar[Metric]
    # The default metric_for_best: what picks the best checkpoint and drives early stopping.
    best: ClassVar[Metric]
    # The figures a progress line shows (loss aside), headline first.
    summary_metrics: ClassVar[tuple[str, ...]] = ()
    # Architecture name suffixes (config.json "architectures") that mean this task.
    architecture_suffixes: ClassVar[tuple[str, ...]] = ()
    # Tiny training data for the contract test (None: the task opts out, which it should not).
    sample: ClassVar[TaskSample | None] = None

    # ---- data -----------------------------------------------------------------------

    # The columns the task reads (default: one text, no label).
    roles: ClassVar[ColumnRoles] = ColumnRoles()
    # What one label is called in messages and summaries ("tag" when there is one per word).
    label_noun: ClassVar[str] = "label"
    # Each example carries a list of label ids (a tag per word, a set of labels), not one id.
    label_lists: ClassVar[bool] = False
    # The data statistics warn when the largest class far outnumbers the smallest.
    warns_imbalance: ClassVar[bool] = False

    def claims_table(self, table: Table) -> bool:
        """Whether a newly opened file most likely serves this task (a suggestion the user may change).

        ``registry.default_task`` asks the tasks in turn, so claims must not overlap; the
        default claims nothing.
        """
        return False

    def readable_table(self, table: Table) -> Table:
        """The table as this task reads it (e.g. a file without a header row read as such); itself by default.

        ``complete_mapping`` and ``build_examples`` read this one; a preview of the columns should show it too.
        """
        return table

    def check_format(self, table: Table) -> None:
        """A DatasetError when the file's format cannot serve this task: a SQuAD file's fixed
        columns serve question answering only."""
        if table.format == "squad":
            raise DatasetError(
                f"this is a SQuAD question-answering file; it cannot train {self.name}.",
                path=table.path, line=table.lines[0] if table.lines else 1,
                hint="Use the question-answering task.",
            )

    def complete_mapping(
        self, table: Table, *, text: str | None = None, text_pair: str | None = None,
        label: str | None = None,
    ) -> ColumnMapping:
        """The task's columns in ``table``: the parts the user gave (each checked) plus detection for the rest."""
        self.check_format(table)
        return complete_mapping(table, self.roles, text=text, text_pair=text_pair, label=label)

    def build_examples(
        self, table: Table, mapping: ColumnMapping | None = None,
        label_names: Sequence[str] | None = None, *, label_separator: str = "|",
    ) -> Examples:
        """Table rows -> Examples; ``label_names`` (the training set's) fixes a validation set's label ids."""
        self.check_format(table)
        mapping = self.complete_mapping(table) if mapping is None else check_mapping(table, self.roles, mapping)
        return self.read_examples(table, mapping, label_names, label_separator=label_separator)

    def read_examples(
        self, table: Table, mapping: ColumnMapping, label_names: Sequence[str] | None, *,
        label_separator: str,
    ) -> Examples:
        """Examples from a table whose columns are settled (``label_separator``: multi-label's).

        Default: the texts alone; blank ones are left out (without a label an empty line
        teaches nothing).
        """
        read = read_texts(table, mapping.text, skip_empty=True)
        return Examples(self.name, read.texts, None, None, None, [], table.path, read.lines)

    def split(self, examples: Examples, fraction: float, seed: int) -> tuple[Examples, Examples]:
        """(train, validation) holding out about ``fraction`` (checked by the caller); default: a seeded shuffle."""
        return random_split(examples, fraction, seed)

    def stats_extras(self, train: Examples) -> dict[str, Any]:
        """The task's own keys in the data statistics; a ``"warnings"`` list joins the others."""
        return {}

    # ---- model ----------------------------------------------------------------------

    @property
    def next_sentence_option(self) -> bool:
        """Whether next-sentence prediction can be trained beside it (BERT's pre-training heads)."""
        return self.pretraining_auto_class_name is not None

    def model_class_name(self, *, next_sentence_prediction: bool = False) -> str:
        if next_sentence_prediction and self.pretraining_auto_class_name:
            return self.pretraining_auto_class_name
        return self.auto_class_name

    def config_kwargs(self, label_names: Sequence[str] | None) -> dict[str, Any]:
        """The head's model-config arguments: ``head_config``, and the label maps of a labelled task."""
        out: dict[str, Any] = dict(self.head_config)
        if self.labelled and label_names:
            out.update(
                num_labels=len(label_names),
                id2label=dict(enumerate(label_names)),
                label2id={name: i for i, name in enumerate(label_names)},
            )
        return out

    def claims_architecture(self, architecture: str, config: Mapping[str, Any]) -> bool:
        """Whether a folder's architecture (and config) means this task, for folders not saved by the workbench.

        The config must carry the task's ``head_config`` too: a sequence classifier with
        problem_type multi_label_classification is multi-label (``registry`` asks the
        tasks with a head_config first, so the more specific claim wins).
        """
        return architecture.endswith(self.architecture_suffixes) and all(
            config.get(key) == value for key, value in self.head_config.items()
        )

    # ---- encoding, training, evaluation ---------------------------------------------

    def encode(self, examples: Examples, tokenizer: Any, max_length: int, *, doc_stride: int = 128) -> Encoded:
        """The examples as token ids, once, before training or evaluation (``doc_stride``: windowed tasks)."""
        raise NotImplementedError

    def encode_options(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``encode``'s own keyword arguments, read from the settings a model was trained with:
        its ``workbench_model.json`` (``saved_meta``; the trainer passes the same dict); none by default."""
        return {}

    def tokenizer_texts(self, examples: Examples) -> list[str]:
        """The texts a from-scratch tokenizer is trained on."""
        return examples.texts

    def prepare_batch(
        self, batch: dict[str, Any], tokenizer: Any, generator: Any, *, whole_word_masking: bool = False,
        cache: dict[str, Any] | None = None,
    ) -> None:
        """Finish a padded training batch in place (e.g. masking, labels); nothing by default.

        ``generator``: the run's torch.Generator for random choices (saved for exact resume);
        ``cache``: what the task computes once per run and tokenizer.
        """

    def loss(self, model: Any, batch: dict[str, Any]) -> torch.Tensor:
        """The training loss of a (moved, prepared) batch, the same in one process and under DDP."""
        return model(**batch).loss

    def loss_units(self, batch: Mapping[str, Any]) -> torch.Tensor:
        """(B,) how many items each row adds to the mean the loss is (DDP weights ranks by them): one sample each."""
        import torch

        return torch.ones(batch["input_ids"].shape[0], dtype=torch.long)

    def evaluate(self, model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
        """The task's metrics and per-example predictions (``evaluation.evaluate`` sets eval mode and the device)."""
        raise NotImplementedError

    def finish_training(
        self, result: EvalResult, validation: Encoded, label_names: Sequence[str]
    ) -> tuple[Any, dict[str, Any]]:
        """After the last evaluation: what training settles on validation (the task's state for
        ``saved_meta``) and the metrics that adds to the summary; nothing by default."""
        return None, {}

    def saved_meta(
        self, config: Any, label_names: Sequence[str], result: EvalResult | None, state: Any
    ) -> dict[str, Any]:
        """The task's part of ``workbench_model.json`` (``configure_predictor`` reads it back).

        ``config``: the run's TrainConfig; ``result``: the latest evaluation (None before one);
        ``state``: what ``finish_training`` returned (None before the end).
        """
        return {}

    # ---- prediction files ---------------------------------------------------------

    def prediction_rows(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str], *, label_separator: str = "|"
    ) -> list[dict[str, Any]]:
        """One dict per evaluated example (reports' mistakes and the CSV); none by default."""
        return []

    def worst_first(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The ``prediction_rows`` a report lists as mistakes, worst first: the wrong ones, the most
        confident first (per-word tags: the most wrong tags first)."""
        wrong = [r for r in rows if r.get("correct") is False]
        if self.tags_words:
            return sorted(wrong, key=lambda r: (r["tags_correct"] - r["tags_total"], r["example"]))
        return sorted(wrong, key=lambda r: (-r["confidence"], r["example"]))

    def metric_intervals(self, result: EvalResult, examples: Examples) -> dict[str, tuple[float, float]]:
        """Bootstrap confidence intervals of corpus metrics, ``{eval_<name>: (low, high)}``; none by default."""
        return {}

    # ---- per-example facts (analysis: slices, embedding map) --------------------------

    def example_columns(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str]
    ) -> dict[str, np.ndarray]:
        """Per-example facts of an evaluation, row i = example i: among ``gold`` and ``predicted``
        (label names as str; a label set or tag sequence joined), ``correct`` (bool), ``confidence``
        and ``loss`` (float), ``score`` (the ``sentence_metric``).

        Default: read from ``prediction_rows`` (its keys label, predicted, correct, confidence,
        loss and the sentence metric); {} for a task without one row per example.
        """
        import numpy as np

        rows = self.prediction_rows(result, examples, label_names)
        if not rows or len(rows) != len(examples):
            return {}
        keys = {"label": "gold", "predicted": "predicted", "correct": "correct", "confidence": "confidence",
                "loss": "loss"}
        if self.sentence_metric:
            keys[self.sentence_metric] = "score"
        out: dict[str, np.ndarray] = {}
        for key, column in keys.items():
            values = [row.get(key) for row in rows]
            if any(v is None for v in values):  # unlabelled data: no gold, no correct
                continue
            if column in ("gold", "predicted"):
                if column == "gold" and not any(values):  # an unlabelled file's empty labels
                    continue
                out[column] = np.array([str(v) for v in values], dtype=object)
            elif column == "correct":
                out[column] = np.array(values, dtype=bool)
            elif not all(v != v for v in values):  # all NaN: the result has no such figure
                out[column] = np.array(values, dtype=np.float64)
        return out

    def subset_metrics(
        self, result: EvalResult, examples: Examples, indices: Sequence[int], label_names: Sequence[str]
    ) -> dict[str, float]:
        """The task's own metrics (``eval_<name>``, the headline among them) on the examples at
        ``indices`` (repeats allowed: a bootstrap resample); {} when the task cannot tell."""
        return {}

    def resampled_headline(
        self, result: EvalResult, examples: Examples, indices: np.ndarray, draws: np.ndarray,
        label_names: Sequence[str],
    ) -> np.ndarray:
        """The headline metric on each bootstrap resample ``indices[draws[k]]`` (``draws``: one row
        of positions into ``indices`` per resample), NaN where the task cannot tell. One
        ``subset_metrics`` call per resample; tasks whose headline is a mean override it with one
        array operation (1,000 resamples in a Python loop hold the interpreter lock for seconds,
        which the app's main thread waits on)."""
        import numpy as np

        name = self.headline.name
        return np.array([self.subset_metrics(result, examples, indices[d], label_names).get(name, float("nan"))
                         for d in draws], dtype=np.float64)

    def prediction_table(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str], *, tokenizer: Any = None,
        max_length: int | None = None, label_separator: str = "|",
    ) -> list[list[Any]]:
        """The prediction file's rows, a header first: one row per example (``prediction_rows``)
        and a ``p_<label>`` column per class when the result has probabilities."""
        from workbench.engine.result_rows import example_table

        names = [str(n) for n in label_names]
        rows = self.prediction_rows(result, examples, names, label_separator=label_separator)
        return example_table(rows, examples, result.probabilities, names)

    # ---- prediction -----------------------------------------------------------------

    def configure_predictor(self, predictor: Predictor, meta: Mapping[str, Any]) -> None:
        """Read back what training saved for prediction (``workbench_model.json``); nothing by default."""

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        """One result dict per text; options a task does not use are ignored."""
        raise NotImplementedError

    def result_line(self, result: Mapping[str, Any]) -> str:
        """One ``predict`` result as ``workbench predict`` prints it for a person (``--json`` prints the dict)."""
        raise NotImplementedError

    def results_from_logits(self, texts: list[str], logits: Any, label_names: list[str]) -> list[dict[str, Any]]:
        """``predict``'s results from head logits a pass already made (tasks that ``predicts_in_one_pass``)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Task {self.name}>"


_REGISTRY: dict[str, Task] = {}
T = TypeVar("T", bound=type[Task])


def register(cls: T) -> T:
    """Class decorator: one instance of the task goes into the registry under its name."""
    if cls.name in _REGISTRY and type(_REGISTRY[cls.name]) is not cls:
        raise ValueError(f"two tasks are registered as {cls.name!r}")
    _REGISTRY[cls.name] = cls()
    return cls


def registered() -> dict[str, Task]:
    """The tasks registered so far (importing ``registry`` imports every task module first)."""
    return dict(_REGISTRY)

