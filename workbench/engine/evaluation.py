"""Evaluate a model on encoded data: the metrics of its task, and per-example predictions.

``encode`` and ``evaluate`` take the task by name and ask it (each task encodes and
evaluates in its module, ``workbench/engine/tasks/``); the trainer calls them during
training. ``evaluate_model`` is the one evaluation of a loaded model on built
examples: ``workbench eval``, the app's evaluation panel and ``compare`` all call
it, so they encode alike (the predictor's ``max_length`` and QA ``doc_stride``) and
score alike (its label names, multi-label thresholds and QA null threshold).
Batches are sorted by length, so evaluation does no work on padding it can avoid.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import torch

from workbench.engine.errors import EvaluationStopped
from workbench.engine.eval_loop import EvalOptions, EvalResult
from workbench.engine.tasks.registry import find_task, get_task

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from workbench.engine.data import ColumnMapping, Examples
    from workbench.engine.data.table import Table
    from workbench.engine.encoding import Encoded
    from workbench.engine.inference import Predictor

__all__ = [
    "EvalResult", "EvaluationStopped", "encode", "evaluate", "evaluate_model", "examples_for_model",
    "generic_label_names", "listed_names",
]  # fmt: skip


def generic_label_names(names: Sequence[str]) -> bool:
    """True for transformers' placeholder names LABEL_0, LABEL_1, ... (a checkpoint saved without id2label)."""
    return bool(names) and list(names) == [f"LABEL_{i}" for i in range(len(names))]


def examples_for_model(
    table: Table,
    task: str,
    mapping: ColumnMapping | None,
    label_names: Sequence[str] | None,
    *,
    label_separator: str = "|",
) -> tuple[Examples, str | None]:
    """The table's examples with the model's label ids, and a note when they were matched by position.

    Evaluation reads the data's labels as the model's names. A plain Hugging Face
    classifier saved without label names calls its classes LABEL_0 ... LABEL_{n-1};
    when the data's labels are integers from 0 to n-1, LABEL_i and i are taken as
    the same class (the position is all either side says), and the note says so.
    Any other data labels with such a model are refused with a message that names
    both label lists, instead of "the label '0' does not occur in the training data".
    """
    from workbench.engine.errors import DatasetError
    from workbench.engine.task_data import build_examples

    names = list(label_names) if label_names else None
    labelled = (found := find_task(task)) is not None and found.labelled
    if not labelled or not names or not generic_label_names(names):
        return build_examples(table, task, mapping, label_names=names, label_separator=label_separator), None
    try:  # data written with the model's own names (LABEL_0, ...): nothing to match
        return build_examples(table, task, mapping, label_names=names, label_separator=label_separator), None
    except DatasetError as written_as_names:
        by_position = [str(i) for i in range(len(names))]
        try:
            examples = build_examples(table, task, mapping, label_names=by_position, label_separator=label_separator)
        except DatasetError:
            raise DatasetError(
                _label_mismatch(table, task, mapping, names, label_separator), path=table.path
            ) from written_as_names
    note = (
        f"the model's labels are {listed_names(names)} and the data's are {listed_names(by_position)}: "
        f"they are read as the same classes by position (LABEL_i is i)."
    )
    examples.label_names = list(names)  # reports name the model's classes
    return examples, note


def listed_names(names: Sequence[str], limit: int = 12) -> str:
    """``names`` joined for a message, the first ``limit`` of them ("a, b and 3 more")."""
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _label_mismatch(
    table: Table, task: str, mapping: ColumnMapping | None, names: list[str], label_separator: str
) -> str:
    """Why a LABEL_i model cannot read this data's labels, and what to do."""
    from workbench.engine.errors import DatasetError
    from workbench.engine.task_data import build_examples

    try:
        data_names = build_examples(table, task, mapping, label_separator=label_separator).label_names
    except DatasetError:  # e.g. a single class: the data's labels cannot be listed this way
        data_names = []
    data = f"the data's are {listed_names(data_names)}" if data_names else "the data's are different"
    integers = bool(data_names) and all(n.isdigit() for n in data_names)
    why = (
        f"the data has labels beyond {len(names) - 1}, so they cannot be the model's {len(names)} classes by position"
        if integers else "nothing says which of the data's labels is which of the model's classes"
    )
    return (
        f"the model's labels are {listed_names(names)} (a checkpoint saved without label names) "
        f"and {data}: {why}. Write the data's labels as 0 to {len(names) - 1} (or LABEL_0 to "
        f"LABEL_{len(names) - 1}) in the model's class order, or fine-tune the model on this data "
        "(workbench train --model MODEL --data FILE)."
    )


def encode(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, task: str, max_length: int,
    *, doc_stride: int = 128, **options: Any,
) -> Encoded:
    """``examples`` as the ``task`` encodes them; ``doc_stride``: the windowed tasks' overlap (question answering);
    ``options``: the task's own (``Task.encode_options``)."""
    return get_task(task).encode(examples, tokenizer, max_length, doc_stride=doc_stride, **options)


@torch.inference_mode()
def evaluate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    task: str,
    encoded: Encoded,
    *,
    label_names: list[str] | None = None,
    batch_size: int = 64,
    device: torch.device | None = None,
    precision: str = "fp32",
    unigram: Any = None,
    thresholds: list[float] | None = None,
    null_threshold: float = 0.0,
    sample_limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalResult:
    """The ``task``'s evaluation of ``model`` in eval mode (its training mode is given back).

    ``unigram``: training-token counts (language models then also report the unigram
    baseline); ``thresholds``: multi-label's cut per label (None: 0.5 for all);
    ``null_threshold``: how much "no answer" must win by (question answering);
    ``sample_limit``: the most examples a costly part looks at (seq2seq's generation; None: all);
    ``progress``: called per unit of work by a task that counts its own (``Task.reports_eval_progress``).
    """
    options = EvalOptions(
        label_names=list(label_names or []), batch_size=batch_size,
        device=device or next(model.parameters()).device, precision=precision, unigram=unigram,
        thresholds=thresholds, null_threshold=null_threshold, sample_limit=sample_limit,
        progress=progress,
    )
    was_training = model.training
    model.eval()
    try:
        return get_task(task).evaluate(model, tokenizer, encoded, options)
    finally:
        model.train(was_training)


def evaluate_model(
    predictor: Predictor,
    examples: Examples,
    *,
    batch_size: int = 64,
    null_threshold: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> EvalResult:
    """Encode ``examples`` for ``predictor`` and evaluate it: the metrics and per-example predictions.

    Everything task-specific comes from the predictor (``doc_stride``, ``thresholds``,
    ``null_threshold``); ``null_threshold`` overrides the predictor's (eval --null-threshold).
    ``progress(done, total)`` is called before each batch with the encoded examples (QA:
    windows; seq2seq: examples scored, then examples generated for, ``reports_eval_progress``)
    done so far, and once more with ``(total, total)``; ``should_stop()`` is
    asked before each batch and stops the evaluation there with ``EvaluationStopped``.
    Both act only in the calling thread: another thread may run the same model meanwhile
    (the app's prediction panel), and its forward passes are not this evaluation's.
    """
    task = predictor.task
    # Duck-typed on the optional fields: a stand-in predictor need only have the ones its task uses.
    encoded = encode(examples, predictor.tokenizer, task, predictor.max_length,
                     doc_stride=int(getattr(predictor, "doc_stride", 128)),
                     **get_task(task).encode_options(getattr(predictor, "meta", {})))
    threshold = float(getattr(predictor, "null_threshold", 0.0)) if null_threshold is None else float(null_threshold)
    total, done, me = len(encoded), 0, threading.get_ident()

    def step(units_done: int, units: int) -> None:
        nonlocal total
        total = units
        if should_stop is not None and should_stop():
            raise EvaluationStopped("evaluation stopped")
        if progress is not None:
            progress(units_done, units)

    # Most tasks' loops take no callback: a forward pre-hook sees every batch.
    def on_forward(_module: Any, _args: Any, kwargs: dict[str, Any]) -> None:
        nonlocal done
        if threading.get_ident() != me:
            return
        step(done, len(encoded))
        ids = kwargs.get("input_ids")
        done += int(ids.shape[0]) if ids is not None else 0

    watched = progress is not None or should_stop is not None
    counts_itself = get_task(task).reports_eval_progress
    hooked = watched and not counts_itself
    handle = predictor.model.register_forward_pre_hook(on_forward, with_kwargs=True) if hooked else None
    try:
        result = evaluate(predictor.model, predictor.tokenizer, task, encoded,
                          label_names=predictor.label_names, batch_size=batch_size,
                          thresholds=getattr(predictor, "thresholds", None), null_threshold=threshold,
                          precision=str(getattr(predictor, "precision", "fp32")),
                          progress=step if watched and counts_itself else None)
    finally:
        if handle is not None:
            handle.remove()  # the model outlives this evaluation (the app shares it)
    if should_stop is not None and should_stop():
        raise EvaluationStopped("evaluation stopped")
    if progress is not None:
        progress(total, total)
    return result
