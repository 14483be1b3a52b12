"""Text classification: one label per text (or text pair), softmax over the labels.

The data, encoding, evaluation and loss still live in ``data/examples.py``,
``encoding.py`` and ``evaluation.py`` (issue 15 moves them here step by step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.engine.tasks.base import Metric, Predictor, Task, TaskSample, register

if TYPE_CHECKING:
    import torch


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


_ROWS = [("a wonderful and moving film", "pos"), ("dull and far too long", "neg"), ("a joy to watch", "pos"),
         ("the plot makes no sense", "neg"), ("brilliant acting throughout", "pos"), ("i want my money back", "neg")]


@register
class Classification(Task):
    name = "classification"
    display_name = "text classification"
    auto_class_name = "AutoModelForSequenceClassification"
    labelled = True
    headline = Metric("eval_accuracy")
    best = Metric("eval_accuracy")
    summary_metrics = ("eval_accuracy", "eval_f1_macro")
    architecture_suffixes = ("ForSequenceClassification",)
    sample = TaskSample(
        "train.csv", "text,label\n" + "".join(f"{t},{lab}\n" for t, lab in _ROWS * 4),
        predict_texts=("a joy", "dull"),
    )

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        return classification_results(texts, predictor.model(**predictor.inputs(texts)).logits, predictor.label_names)
