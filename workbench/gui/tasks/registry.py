"""One ``TaskView`` per engine task: its display name, its placeholder text, its playground and evaluation view.

The texts are English source strings marked with ``QT_TRANSLATE_NOOP`` in the
context of the panel that shows them ("PredictionPanel", "DatasetPanel": where the zh_CN
catalogue holds them since they lived in those panels), translated where shown
(``TaskView.title()``, ``TaskView.dataset_text()``), so a language switch needs no re-import.

This module imports no torch: the engine's task registry it reads imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from workbench.engine.tasks.question_answering import answerable_counts
from workbench.engine.tasks.registry import all_tasks, find_task, get_task
from workbench.gui.i18n import translate

_CONTEXT = "PredictionPanel"  # the catalogue context of these texts (kept: the translations apply)
_DATASET_CONTEXT = "DatasetPanel"  # the context of the dataset panel's texts
# The column boxes' labels of a task that writes a target text from a source text.
_SOURCE_TARGET = (QT_TRANSLATE_NOOP("DatasetPanel", "Source"), QT_TRANSLATE_NOOP("DatasetPanel", "Target"))

NO_MODEL_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "PredictionPanel", "Load a model first (a run folder, a model folder or a hub id), then type here."
)
# A checkpoint without a task head (MiniLM): typed text goes to the attention view only.
ATTENTION_ONLY_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "PredictionPanel", "Type a sentence to see its attention in the Attention tab."
)


class Playground(Enum):
    """Which result page of the prediction panel shows a task's prediction."""

    LABEL_BARS = "label-bars"  # the label in large type, a probability bar per label, saliency
    LABEL_SET = "label-set"  # a bar per label with its threshold (widgets/multilabel_view.py)
    TAG_CHIPS = "tag-chips"  # each word as a chip coloured by entity type
    FILLERS = "fillers"  # one group of bars per [MASK]
    GENERATION = "generation"  # the prompt and its streamed continuation
    QUESTION_ANSWERING = "question-answering"  # a context box and a question (widgets/qa_playground.py)
    OUTPUT = "output"  # the text generated from the input (sequence to sequence: a translation, a summary, a reply)


class EvaluationView(Enum):
    """What the evaluation panel shows for a task's evaluation."""

    CONFUSION_MATRIX = "confusion-matrix"  # one label per example: a label × label matrix
    PER_LABEL = "per-label"  # a yes/no decision per label: per-label scores, label sets
    ENTITIES = "entities"  # a tag per word: per-entity-type scores, sentences
    GENERATION = "generation"  # generated text: corpus scores with intervals, outputs worst first


@dataclass(frozen=True)
class TaskView:
    name: str  # the engine task's name
    display_name: str  # English source text (QT_TRANSLATE_NOOP): "text classification"
    placeholder: str  # English source text of the input box's placeholder
    playground: Playground
    live: bool = True  # predicts as you type (False: on request only, e.g. generation)
    top_k: bool = False  # the "Top k" option (candidates per [MASK]) applies
    chat: bool = False  # the playground is a conversation: each reply follows the turns before it
    evaluation: EvaluationView | None = None  # None: the evaluation panel does not evaluate the task
    # The dataset panel: what the mapped columns are called in the preview's headers (TableModel's
    # words), how the label count and the label chart's title read (DatasetPanel texts) ...
    column_roles: tuple[str, str] = ("text", "label")
    # ... what the column boxes above the preview are labelled (DatasetPanel texts) ...
    mapping_labels: tuple[str, str] = (
        QT_TRANSLATE_NOOP("DatasetPanel", "Text"), QT_TRANSLATE_NOOP("DatasetPanel", "Label")
    )
    label_count: str = QT_TRANSLATE_NOOP("DatasetPanel", "{count} labels")
    label_chart: str = QT_TRANSLATE_NOOP("DatasetPanel", "{count} labels, {total} examples")
    # ... or, for a task without label counts, what its chart counts per example instead
    # (e.g. answerable or not), titled ``example_chart`` with the number of examples.
    example_counts: Callable[[Any], dict[str, int]] | None = None
    example_chart: str = ""

    @property
    def explains(self) -> bool:
        """Saliency (integrated gradients towards a label) applies: the engine task's flag."""
        return get_task(self.name).explains

    def title(self) -> str:
        """The display name in the current language."""
        return translate(_CONTEXT, self.display_name)

    def hint(self) -> str:
        """The placeholder in the current language."""
        return translate(_CONTEXT, self.placeholder)

    @staticmethod
    def dataset_text(text: str) -> str:
        """One of the dataset panel's texts above (``label_count`` ...) in the current language."""
        return translate(_DATASET_CONTEXT, text)


_VIEWS = (
    TaskView(
        "classification",
        QT_TRANSLATE_NOOP("PredictionPanel", "text classification"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Type a sentence… the prediction updates as you type."),
        Playground.LABEL_BARS,
        evaluation=EvaluationView.CONFUSION_MATRIX,
    ),
    TaskView(
        "multi-label",
        QT_TRANSLATE_NOOP("PredictionPanel", "multi-label classification"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Type a sentence… every label it has is chosen as you type."),
        Playground.LABEL_SET,
        evaluation=EvaluationView.PER_LABEL,
        label_chart=QT_TRANSLATE_NOOP("DatasetPanel", "{count} labels, {total} label uses"),  # once per label it has
    ),
    TaskView(
        "token-classification",
        QT_TRANSLATE_NOOP("PredictionPanel", "token classification"),
        QT_TRANSLATE_NOOP(
            "PredictionPanel", "Type a sentence, e.g. “Alice flew to Paris to meet the Google team”…"
        ),
        Playground.TAG_CHIPS,
        evaluation=EvaluationView.ENTITIES,
        column_roles=("words", "tags"),
        label_count=QT_TRANSLATE_NOOP("DatasetPanel", "{count} tags"),
        label_chart=QT_TRANSLATE_NOOP("DatasetPanel", "{count} tags, {total} tokens"),
    ),
    TaskView(
        "masked-lm",
        QT_TRANSLATE_NOOP("PredictionPanel", "masked language model"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Write [MASK] where a word is missing, e.g. “I love [MASK] cats”."),
        Playground.FILLERS,
        top_k=True,
    ),
    TaskView(
        "causal-lm",
        QT_TRANSLATE_NOOP("PredictionPanel", "causal language model"),
        QT_TRANSLATE_NOOP(
            "PredictionPanel", "Write the start of a text (a prompt), then press Generate or Ctrl+Enter."
        ),
        Playground.GENERATION,
        live=False,  # generation takes long enough that regenerating per keystroke would queue work
    ),
    TaskView(
        "question-answering",
        QT_TRANSLATE_NOOP("PredictionPanel", "extractive question answering"),
        # The QA playground has its own boxes; this shows only if its text box ever does.
        QT_TRANSLATE_NOOP("PredictionPanel", "Type a sentence… the prediction updates as you type."),
        Playground.QUESTION_ANSWERING,
        live=False,  # the QA playground asks on its own (question and context)
        example_counts=answerable_counts,
        example_chart=QT_TRANSLATE_NOOP("DatasetPanel", "{count} questions: answerable or not"),
    ),
    TaskView(
        "translation",
        QT_TRANSLATE_NOOP("PredictionPanel", "translation"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Type a sentence in the source language… its translation appears below."),
        Playground.OUTPUT,
        evaluation=EvaluationView.GENERATION,
        column_roles=("source", "target"),
        mapping_labels=_SOURCE_TARGET,
    ),
    TaskView(
        "summarization",
        QT_TRANSLATE_NOOP("PredictionPanel", "summarisation"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Paste a text (an abstract, an article)… its summary appears below."),
        Playground.OUTPUT,
        evaluation=EvaluationView.GENERATION,
        column_roles=("source", "target"),
        mapping_labels=_SOURCE_TARGET,
    ),
    TaskView(
        "dialogue",
        QT_TRANSLATE_NOOP("PredictionPanel", "dialogue"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Say something… the model's reply appears below."),
        Playground.OUTPUT,
        evaluation=EvaluationView.GENERATION,
        live=False,  # a turn is said on request (Ctrl+Enter), not per keystroke: it joins the history
        chat=True,
        column_roles=("source", "target"),
        mapping_labels=_SOURCE_TARGET,
    ),
)
_BY_NAME = {view.name: view for view in _VIEWS}


def view_for(task_name: str | None) -> TaskView | None:
    """The view of the task called ``task_name``; None for no task (a checkpoint without a head) or an unknown one."""
    return _BY_NAME.get(task_name) if task_name else None


def all_views() -> tuple[TaskView, ...]:
    """The views of the registered engine tasks, in the engine's order (a task without a view is left out)."""
    return tuple(_BY_NAME[task.name] for task in all_tasks() if task.name in _BY_NAME)


def labelled(task_name: str | None) -> bool:
    """Whether the task's predictions carry label names (the engine task's flag)."""
    task = find_task(task_name)
    return bool(task is not None and task.labelled)
