"""Evaluate a model on encoded data: the metrics of its task, and per-example predictions.

``evaluate`` works on encoded data and a bare model (the trainer calls it during
training). ``evaluate_model`` is the one evaluation of a loaded model on built
examples: ``workbench eval``, the app's evaluation panel and ``compare`` all call
it, so they encode alike (the predictor's ``max_length`` and QA ``doc_stride``) and
score alike (its label names, multi-label thresholds and QA null threshold).
Batches are sorted by length, so evaluation does no work on padding it can avoid.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from workbench.engine import metrics as M
from workbench.engine.errors import WorkbenchError
from workbench.engine.tasks import LABELLED_TASKS
from workbench.engine.training.batching import epoch_batches, mask_tokens, pad_batch, pads_left
from workbench.engine.training.pretraining import LmTally, UnigramCounts, lm_logits

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from workbench.engine.data import ColumnMapping, Examples
    from workbench.engine.data.readers import Table
    from workbench.engine.encoding import Encoded
    from workbench.engine.inference import Predictor

# The masks used for masked-LM evaluation are drawn from this seed, so every
# evaluation of a run scores the same masked positions.
EVAL_MASK_SEED = 1234


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
    from workbench.engine.data import build_examples
    from workbench.engine.errors import DatasetError

    names = list(label_names) if label_names else None
    if task not in LABELLED_TASKS or not names or not generic_label_names(names):
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
    from workbench.engine.data import build_examples
    from workbench.engine.errors import DatasetError

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


@dataclass
class EvalResult:
    metrics: dict[str, Any]
    # Classification: predicted id, probabilities and loss per example, in the
    # order of the encoded examples (None for other tasks). Multi-label: (N, L)
    # 0/1 decisions, (N, L) sigmoid probabilities, mean BCE per example.
    predictions: np.ndarray | None = None
    probabilities: np.ndarray | None = None
    losses: np.ndarray | None = None
    # Token classification: predicted tag ids per word.
    tag_predictions: list[list[int]] = field(default_factory=list)
    # Question answering: one dict per question (id, answer, span, scores, exact, f1).
    qa_predictions: list[dict[str, Any]] = field(default_factory=list)


def special_tokens_mask(input_ids: torch.Tensor, tokenizer: PreTrainedTokenizerBase) -> torch.Tensor:
    ids = torch.tensor(sorted(set(tokenizer.all_special_ids)), dtype=input_ids.dtype)
    return torch.isin(input_ids, ids)


def autocast_context(device: torch.device, precision: str) -> Any:
    if precision == "bf16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    if precision == "fp16":
        return torch.autocast(device_type=device.type, dtype=torch.float16)
    return nullcontext()


def move(batch: dict[str, torch.Tensor], device: torch.device) -> dict[str, torch.Tensor]:
    if device.type == "cpu":
        return batch
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}


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
    unigram: UnigramCounts | None = None,
    thresholds: list[float] | None = None,
    null_threshold: float = 0.0,
) -> EvalResult:
    """``unigram``: training-token counts; language models then also report the unigram baseline."""
    device = device or next(model.parameters()).device
    was_training = model.training
    model.eval()
    try:
        if task == "question-answering":  # ``null_threshold``: how much "no answer" must win by
            from workbench.engine.tasks.question_answering import evaluate_qa

            return evaluate_qa(model, tokenizer, encoded, batch_size=batch_size, device=device,  # type: ignore[arg-type]
                               precision=precision, null_threshold=null_threshold)
        if task == "classification":
            return _eval_classification(model, tokenizer, encoded, label_names or [], batch_size, device, precision)
        if task == "token-classification":
            return _eval_tagging(model, tokenizer, encoded, label_names or [], batch_size, device, precision)
        if task == "multi-label":  # ``thresholds``: the cut per label (None: 0.5 for all)
            from workbench.engine.tasks.multilabel import evaluate_multilabel

            return evaluate_multilabel(model, tokenizer, encoded, label_names or [], batch_size,
                                       device, precision, thresholds)
        return _eval_lm(model, tokenizer, task, encoded, batch_size, device, precision, unigram)
    finally:
        model.train(was_training)


class EvaluationStopped(WorkbenchError):
    """``evaluate_model``'s ``should_stop`` said stop: raised at the next batch (there is no result)."""


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
    windows) done so far, and once more with ``(total, total)``; ``should_stop()`` is
    asked before each batch and stops the evaluation there with ``EvaluationStopped``.
    Both act only in the calling thread: another thread may run the same model meanwhile
    (the app's prediction panel), and its forward passes are not this evaluation's.
    """
    from workbench.engine.encoding import encode

    task = predictor.task
    # Duck-typed on the optional fields: a stand-in predictor need only have the ones its task uses.
    encoded = encode(examples, predictor.tokenizer, task, predictor.max_length,
                     doc_stride=int(getattr(predictor, "doc_stride", 128)))
    threshold = float(getattr(predictor, "null_threshold", 0.0)) if null_threshold is None else float(null_threshold)
    total, done, me = len(encoded), 0, threading.get_ident()

    # The engine's per-task loops take no callback: a forward pre-hook sees every batch.
    def on_forward(_module: Any, _args: Any, kwargs: dict[str, Any]) -> None:
        nonlocal done
        if threading.get_ident() != me:
            return
        if should_stop is not None and should_stop():
            raise EvaluationStopped("evaluation stopped")
        if progress is not None:
            progress(done, total)
        ids = kwargs.get("input_ids")
        done += int(ids.shape[0]) if ids is not None else 0

    watched = progress is not None or should_stop is not None
    handle = predictor.model.register_forward_pre_hook(on_forward, with_kwargs=True) if watched else None
    try:
        result = evaluate(predictor.model, predictor.tokenizer, task, encoded,
                          label_names=predictor.label_names, batch_size=batch_size,
                          thresholds=getattr(predictor, "thresholds", None), null_threshold=threshold)
    finally:
        if handle is not None:
            handle.remove()  # the model outlives this evaluation (the app shares it)
    if should_stop is not None and should_stop():
        raise EvaluationStopped("evaluation stopped")
    if progress is not None:
        progress(total, total)
    return result


def eval_batches(encoded: Encoded, batch_size: int) -> list[list[int]]:
    """Indices of each evaluation batch: in order, no shuffling (tasks' own evaluations use it too)."""
    return epoch_batches(encoded.lengths, batch_size, seed=0, epoch=0, shuffle=False)


def pad_eval_batch(encoded: Encoded, indices: list[int], tokenizer: Any) -> dict[str, torch.Tensor]:
    """The features at ``indices``, padded on the side the tokenizer pads, as tensors."""
    return pad_batch([encoded.features[i] for i in indices], tokenizer.pad_token_id, left=pads_left(tokenizer))


def _eval_classification(
    model: Any, tokenizer: Any, encoded: Encoded, label_names: list[str], batch_size: int,
    device: torch.device, precision: str,
) -> EvalResult:
    n = len(encoded)
    num_labels = model.config.num_labels
    probs = np.zeros((n, num_labels), dtype=np.float32)
    losses = np.zeros(n, dtype=np.float32)
    has_labels = n > 0 and "labels" in encoded.features[0]
    for indices in eval_batches(encoded, batch_size):
        batch = pad_eval_batch(encoded, indices, tokenizer)
        labels = batch.pop("labels", None)
        with autocast_context(device, precision):
            logits = model(**move(batch, device)).logits.float()  # (B, num_labels)
        log_p = torch.log_softmax(logits, dim=-1).cpu()
        probs[indices] = log_p.exp().numpy()
        if labels is not None:
            losses[indices] = (-log_p.gather(1, labels[:, None]).squeeze(1)).numpy()
    preds = probs.argmax(axis=1)
    metrics: dict[str, Any] = {}
    if has_labels:
        y_true = [f["labels"] for f in encoded.features]
        report = M.classification_metrics(y_true, preds.tolist(), label_names or [str(i) for i in range(num_labels)])
        metrics = {"eval_loss": float(losses.mean())}
        for key in ("accuracy", "f1_macro", "precision_macro", "recall_macro",
                    "f1_weighted", "precision_weighted", "recall_weighted"):
            metrics[f"eval_{key}"] = report[key]
        metrics["eval_per_class"] = report["per_class"]
        metrics["eval_confusion_matrix"] = report["confusion_matrix"]
        metrics["label_names"] = report["label_names"]
    metrics["eval_examples"] = n
    return EvalResult(metrics, preds, probs, losses if has_labels else None)


def _eval_tagging(
    model: Any, tokenizer: Any, encoded: Encoded, label_names: list[str], batch_size: int,
    device: torch.device, precision: str,
) -> EvalResult:
    n = len(encoded)
    word_preds: list[list[int]] = [[] for _ in range(n)]
    word_true: list[list[int]] = [[] for _ in range(n)]
    total_loss, total_tokens = 0.0, 0
    for indices in eval_batches(encoded, batch_size):
        batch = pad_eval_batch(encoded, indices, tokenizer)
        labels = batch.pop("labels")
        with autocast_context(device, precision):
            logits = model(**move(batch, device)).logits.float().cpu()  # (B, T, num_labels)
        keep = labels != -100
        token_losses = torch.nn.functional.cross_entropy(
            logits[keep], labels[keep], reduction="sum"
        )
        total_loss += float(token_losses)
        total_tokens += int(keep.sum())
        pred = logits.argmax(-1)
        for row, i in enumerate(indices):
            word_preds[i] = pred[row][keep[row]].tolist()
            word_true[i] = labels[row][keep[row]].tolist()
    names = label_names or [str(i) for i in range(model.config.num_labels)]
    true_tags = [[names[t] for t in seq] for seq in word_true]
    pred_tags = [[names[t] for t in seq] for seq in word_preds]
    report = M.token_classification_metrics(true_tags, pred_tags, label_names=names)
    metrics: dict[str, Any] = {"eval_loss": total_loss / max(total_tokens, 1)}
    for key, value in report.items():
        metrics[f"eval_{key}"] = value
    metrics["eval_examples"] = n
    return EvalResult(metrics, tag_predictions=word_preds)


def _eval_lm(
    model: Any, tokenizer: Any, task: str, encoded: Encoded, batch_size: int,
    device: torch.device, precision: str, unigram: UnigramCounts | None = None,
) -> EvalResult:
    generator = torch.Generator().manual_seed(EVAL_MASK_SEED)
    total_loss, total_targets, correct = 0.0, 0, 0
    tally = LmTally(unigram)  # unigram baseline and next-sentence figures
    for indices in eval_batches(encoded, batch_size):
        batch = pad_eval_batch(encoded, indices, tokenizer)
        nsp_labels = batch.pop("next_sentence_label", None)  # (B,) when training with NSP
        if task == "masked-lm":
            ids, labels = mask_tokens(
                batch["input_ids"], batch["attention_mask"],
                special_tokens_mask(batch["input_ids"], tokenizer),
                tokenizer.mask_token_id, len(tokenizer), generator, all_masked=True,
            )
            batch["input_ids"] = ids
        else:
            # The model shifts labels by one inside; padding is ignored.
            labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
        with autocast_context(device, precision):
            output = model(**move(batch, device))
            logits = lm_logits(output).float().cpu()  # (B, T, V)
        if nsp_labels is not None:
            tally.add_nsp(output.seq_relationship_logits.float().cpu(), nsp_labels)  # (B, 2)
        if task == "causal-lm":
            logits, labels = logits[:, :-1], labels[:, 1:]
        keep = labels != -100
        if not keep.any():
            continue
        total_loss += float(torch.nn.functional.cross_entropy(logits[keep], labels[keep], reduction="sum"))
        total_targets += int(keep.sum())
        correct += int((logits[keep].argmax(-1) == labels[keep]).sum())
        tally.add_targets(labels[keep])
    loss = total_loss / max(total_targets, 1)
    metrics: dict[str, Any] = {
        "eval_loss": loss if total_targets else math.nan,
        "eval_perplexity": M.perplexity(loss) if total_targets else math.nan,
        "eval_examples": len(encoded),
        "eval_tokens": total_targets,
    }
    key = "eval_masked_accuracy" if task == "masked-lm" else "eval_next_token_accuracy"
    metrics[key] = correct / max(total_targets, 1)
    tally.finish(metrics, task)
    return EvalResult(metrics)
