"""One ``TaskView`` per engine task: its display name, its placeholder text, its playground and evaluation view.

The texts are English source strings marked with ``QT_TRANSLATE_NOOP`` in the
"PredictionPanel" context (where the zh_CN catalogue holds them since they lived in
prediction_panel.py), translated where shown (``TaskView.title()``), so a language
switch needs no re-import.

This module imports no torch: the engine's task registry it reads imports nothing heavy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QT_TRANSLATE_NOOP

from workbench.engine.tasks.registry import all_tasks, find_task
from workbench.gui.i18n import translate

_CONTEXT = "PredictionPanel"  # the catalogue context of these texts (kept: the translations apply)

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


class EvaluationView(Enum):
    """What the evaluation panel shows for a task's evaluation."""

    CONFUSION_MATRIX = "confusion-matrix"  # one label per example: a label × label matrix
    PER_LABEL = "per-label"  # a yes/no decision per label: per-label scores, label sets
    ENTITIES = "entities"  # a tag per word: per-entity-type scores, sentences


@dataclass(frozen=True)
class TaskView:
    name: str  # the engine task's name
    display_name: str  # English source text (QT_TRANSLATE_NOOP): "text classification"
    placeholder: str  # English source text of the input box's placeholder
    playground: Playground
    live: bool = True  # predicts as you type (False: on request only, e.g. generation)
    top_k: bool = False  # the "Top k" option (candidates per [MASK]) applies
    explains: bool = False  # saliency (integrated gradients towards a label) applies
    evaluation: EvaluationView | None = None  # None: the evaluation panel does not evaluate the task

    def title(self) -> str:
        """The display name in the current language."""
        return translate(_CONTEXT, self.display_name)

    def hint(self) -> str:
        """The placeholder in the current language."""
        return translate(_CONTEXT, self.placeholder)


_VIEWS = (
    TaskView(
        "classification",
        QT_TRANSLATE_NOOP("PredictionPanel", "text classification"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Type a sentence… the prediction updates as you type."),
        Playground.LABEL_BARS,
        explains=True,
        evaluation=EvaluationView.CONFUSION_MATRIX,
    ),
    TaskView(
        "multi-label",
        QT_TRANSLATE_NOOP("PredictionPanel", "multi-label classification"),
        QT_TRANSLATE_NOOP("PredictionPanel", "Type a sentence… every label it has is chosen as you type."),
        Playground.LABEL_SET,
        evaluation=EvaluationView.PER_LABEL,
    ),
    TaskView(
        "token-classification",
        QT_TRANSLATE_NOOP("PredictionPanel", "token classification"),
        QT_TRANSLATE_NOOP(
            "PredictionPanel", "Type a sentence, e.g. “Alice flew to Paris to meet the Google team”…"
        ),
        Playground.TAG_CHIPS,
        evaluation=EvaluationView.ENTITIES,
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
