"""What a task is: one ``Task`` object per task, registered once, asked by everyone.

A module per task (``classification.py``, ``multilabel.py``, ...) subclasses ``Task``
and decorates the subclass with ``@register``; ``registry.py`` imports them all and
answers ``get_task(name)``. Code outside ``workbench/engine/tasks/`` asks the task
(``task.labelled``, ``task.headline``, ``task.predict(...)``) instead of comparing
its name: a new task is one module here plus one line in ``registry.py``.

This module imports nothing heavy (no torch, no transformers): the GUI reads the
task facts (names, metrics) on its start-up path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar


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
    # Inputs are words (split on spaces), so byte-level BPE tokenizers need add_prefix_space.
    words_input: ClassVar[bool] = False
    # Answers a question about a context (Predictor.predict_answer).
    answers_questions: ClassVar[bool] = False
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

    # ---- model ----------------------------------------------------------------------

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

    # ---- prediction -----------------------------------------------------------------

    def configure_predictor(self, predictor: Predictor, meta: Mapping[str, Any]) -> None:
        """Read back what training saved for prediction (``workbench_model.json``); nothing by default."""

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        """One result dict per text; options a task does not use are ignored."""
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
    """The tasks registered so far (``registry.all_tasks`` imports them all first)."""
    return dict(_REGISTRY)

