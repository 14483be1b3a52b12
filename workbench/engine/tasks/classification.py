"""Text classification: one label per text (or text pair), softmax over the labels.

Encoding, evaluation, prediction rows and prediction live here; the loss is the
model's own (cross-entropy). The data: a text (and an optional second text) and one label
per row, split stratified by label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine import metrics as M
from workbench.engine.data.examples import (
    LABEL_COLUMN_NAMES,
    ColumnMapping,
    ColumnRoles,
    Examples,
    read_labels,
    read_texts,
)
from workbench.engine.data.split import label_split
from workbench.engine.encoding import Encoded, tokenize_texts, tokenized_features
from workbench.engine.eval_loop import (
    EvalOptions,
    EvalResult,
    autocast_context,
    eval_batches,
    move,
    pad_eval_batch,
)
from workbench.engine.result_rows import example_fields
from workbench.engine.tasks.base import Metric, Predictor, Task, TaskSample, register

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

    from workbench.engine.data.table import Table


def classification_results(texts: list[str], logits: torch.Tensor, label_names: list[str]) -> list[dict[str, Any]]:
    """One {text, label, score, probabilities} per text from (B, num_labels) logits."""
    import torch

    probs = torch.softmax(logits.float(), dim=-1).cpu().tolist()
    out = []
    for text, row in zip(texts, probs):
        best = max(range(len(row)), key=row.__getitem__)
        out.append({
            "text": text,
            "label": label_names[best],
            "score": row[best],
            "probabilities": dict(zip(label_names, row)),
        })
    return out


def encode_classification(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int
) -> Encoded:
    """One feature per text (and pair), cut at ``max_length``, with its class id when labelled."""
    enc = tokenize_texts(tokenizer, examples.texts, examples.text_pairs, max_length)
    labels = examples.labels
    return tokenized_features(enc, max_length, labels.__getitem__ if labels else None)


def evaluate_classification(model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
    """Softmax probabilities, the argmax class and the cross-entropy of each example, and the metrics."""
    import torch

    label_names = list(options.label_names)
    n = len(encoded)
    num_labels = model.config.num_labels
    probs = np.zeros((n, num_labels), dtype=np.float32)
    losses = np.zeros(n, dtype=np.float32)
    has_labels = n > 0 and "labels" in encoded.features[0]
    for indices in eval_batches(encoded, options.batch_size):
        batch = pad_eval_batch(encoded, indices, tokenizer)
        labels = batch.pop("labels", None)
        with autocast_context(options.device, options.precision):
            logits = model(**move(batch, options.device)).logits.float()  # (B, num_labels)
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


def prediction_rows(result: EvalResult, examples: Examples, label_names: Sequence[str]) -> list[dict[str, Any]]:
    """``example, line, text, [text_pair], label, predicted, confidence, loss, correct`` per example
    (confidence: the predicted class's probability)."""
    names = [str(n) for n in label_names]
    if result.predictions is None:
        return []
    labels = examples.labels or []
    preds = np.asarray(result.predictions)
    probs = result.probabilities
    losses = result.losses
    rows = []
    for i, pred in enumerate(preds.tolist()):
        label = labels[i] if i < len(labels) else None
        row = example_fields(examples, i)
        row["label"] = names[label] if isinstance(label, int) and label < len(names) else ""
        row["predicted"] = names[pred] if pred < len(names) else str(pred)
        row["confidence"] = float(probs[i, pred]) if probs is not None else math.nan
        row["loss"] = float(losses[i]) if losses is not None else math.nan
        row["correct"] = label == pred if isinstance(label, int) else None
        rows.append(row)
    return rows


def subset_metrics(
    result: EvalResult, examples: Examples, indices: Sequence[int], label_names: Sequence[str]
) -> dict[str, float]:
    """Accuracy, macro precision/recall/F1 (``metrics.classification_metrics``) and the mean loss of
    the examples at ``indices``; {} without labels or predictions."""
    if result.predictions is None or not examples.labels:
        return {}
    idx = np.asarray(indices, dtype=np.int64)
    y_true = np.asarray(examples.labels, dtype=np.int64)[idx]
    y_pred = np.asarray(result.predictions, dtype=np.int64)[idx]
    names = [str(n) for n in (label_names or examples.label_names)]
    report = M.classification_metrics(y_true, y_pred, names)
    out = {f"eval_{key}": float(report[key]) for key in ("accuracy", "precision_macro", "recall_macro", "f1_macro")}
    if result.losses is not None and idx.size:
        out["eval_loss"] = float(np.asarray(result.losses)[idx].mean())
    return out


_ROWS = [("a wonderful and moving film", "pos"), ("dull and far too long", "neg"), ("a joy to watch", "pos"),
         ("the plot makes no sense", "neg"), ("brilliant acting throughout", "pos"), ("i want my money back", "neg")]


@register
class Classification(Task):
    name = "classification"
    display_name = "text classification"
    hub_pipeline_tag = "text-classification"
    card_use_and_limits = (
        "Assigns one of the labels above to a text, as learnt from the training file. It is only as "
        "good as that data: expect lower accuracy on text from other domains, styles or periods, and "
        "on labels that were rare in training. Its confidence is not a calibrated probability. Check "
        "it on your own labelled data before relying on it, and do not let it alone decide anything "
        "about a person."
    )
    order = 10
    auto_class_name = "AutoModelForSequenceClassification"
    labelled = True
    explains = True
    compares = True
    finds_label_errors = True
    probes_terms = True
    onnx_outputs = ("logits",)
    onnx_probabilities = "softmax"
    predicts_in_one_pass = True
    writes_predictions = True
    bilstm_head = True
    headline = Metric("eval_accuracy")
    best = Metric("eval_accuracy")
    summary_metrics = ("eval_accuracy", "eval_f1_macro")
    architecture_suffixes = ("ForSequenceClassification",)
    sample = TaskSample(
        "train.csv", "text,label\n" + "".join(f"{t},{lab}\n" for t, lab in _ROWS * 4),
        predict_texts=("a joy", "dull"),
    )
    roles = ColumnRoles(label_names=LABEL_COLUMN_NAMES, pair=True, conll=False)
    warns_imbalance = True

    def read_examples(
        self, table: Table, mapping: ColumnMapping, label_names: Sequence[str] | None, *, label_separator: str
    ) -> Examples:
        read = read_texts(table, mapping.text, mapping.text_pair)
        assert mapping.label is not None  # complete_mapping / check_mapping fill it in
        labels, known = read_labels(table, mapping.label, read.rows, read.lines, label_names)
        return Examples(self.name, read.texts, read.pairs, None, labels, known, table.path, read.lines)

    def split(self, examples: Examples, fraction: float, seed: int) -> tuple[Examples, Examples]:
        return label_split(examples, fraction, seed)

    def encode(self, examples: Examples, tokenizer: Any, max_length: int, *, doc_stride: int = 128) -> Encoded:
        return encode_classification(examples, tokenizer, max_length)

    def evaluate(self, model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
        return evaluate_classification(model, tokenizer, encoded, options)

    def prediction_rows(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str], *, label_separator: str = "|"
    ) -> list[dict[str, Any]]:
        return prediction_rows(result, examples, label_names)

    def subset_metrics(
        self, result: EvalResult, examples: Examples, indices: Sequence[int], label_names: Sequence[str]
    ) -> dict[str, float]:
        return subset_metrics(result, examples, indices, label_names)

    def resampled_headline(
        self, result: EvalResult, examples: Examples, indices: np.ndarray, draws: np.ndarray,
        label_names: Sequence[str],
    ) -> np.ndarray:
        """Accuracy of every resample at once: the mean of its rows' right-or-wrong."""
        if result.predictions is None or not examples.labels:
            return np.full(len(draws), math.nan)
        correct = np.asarray(examples.labels, dtype=np.int64)[indices] == np.asarray(result.predictions)[indices]
        return correct[draws].mean(axis=1)

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        return classification_results(texts, predictor.model(**predictor.inputs(texts)).logits, predictor.label_names)

    def result_line(self, result: Mapping[str, Any]) -> str:
        """The label, each label's probability, then the text (tab-separated)."""
        probs = "  ".join(f"{k}={v:.3f}" for k, v in result["probabilities"].items())
        return f"{result['label']}\t({probs})\t{result['text']}"

    def results_from_logits(self, texts: list[str], logits: Any, label_names: list[str]) -> list[dict[str, Any]]:
        return classification_results(texts, logits, label_names)
