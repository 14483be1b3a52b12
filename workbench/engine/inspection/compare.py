"""Compare two classifiers on one labelled file, and what changed in one attention head.

Typical use: the same run at an early checkpoint (A) and at the end (B), or two
fine-tunes of one base model. ``compare_models`` evaluates both with the same
function as ``workbench eval`` (``evaluate_model``: the accuracies are the ones ``eval`` prints) and
lists the examples where their predicted labels differ. ``attention_difference``
answers "what did fine-tuning change in this head": B's attention minus A's.
Attention needs no head, so ``compare_attention`` takes any two checkpoints with
the same tokenizer and shape, a plain pre-trained one (MiniLM) included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine.errors import ConfigError, DatasetError, ModelError
from workbench.engine.tasks.registry import find_task

if TYPE_CHECKING:
    from workbench.engine.data import ColumnMapping
    from workbench.engine.inference import Predictor

# Metric keys of evaluate_model() that a comparison reports, and their short names.
SUMMARY_KEYS = {"accuracy": "eval_accuracy", "f1_macro": "eval_f1_macro", "loss": "eval_loss"}


@dataclass(eq=False)  # eq=False: numpy arrays have no single truth value
class Comparison:
    spec_a: str
    spec_b: str
    metrics_a: dict[str, Any]  # evaluate() metrics of A (eval_accuracy, eval_f1_macro, eval_loss, ...)
    metrics_b: dict[str, Any]
    label_names: list[str]  # A's order; B has the same set
    texts: list[str]
    labels: list[str]  # true label names
    pred_a: list[str]  # predicted label names
    pred_b: list[str]
    conf_a: np.ndarray  # float32 (N,): A's probability of its own prediction
    conf_b: np.ndarray
    # Indices where pred_a != pred_b, most confident first (max(conf_a, conf_b), descending).
    disagreements: list[int]
    # The loaded models, kept so attention differences need no second load.
    predictor_a: Any = field(default=None, repr=False)
    predictor_b: Any = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.texts)

    def summary(self, which: str) -> dict[str, float]:
        """{"accuracy", "f1_macro", "loss"} of model ``which`` ("a" or "b")."""
        metrics = self.metrics_a if which == "a" else self.metrics_b
        return {short: float(metrics[key]) for short, key in SUMMARY_KEYS.items() if key in metrics}

    def disagreement_rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        """One dict per disagreement: index, text, label, a, b, conf_a, conf_b."""
        rows = []
        for i in self.disagreements[:limit]:
            rows.append({
                "index": i, "text": self.texts[i], "label": self.labels[i],
                "a": self.pred_a[i], "b": self.pred_b[i],
                "conf_a": float(self.conf_a[i]), "conf_b": float(self.conf_b[i]),
            })
        return rows


def _check_label_sets(a: Predictor, b: Predictor, spec_a: str, spec_b: str) -> None:
    if not all((task := find_task(p.task)) is not None and task.compares for p in (a, b)):
        raise ConfigError(
            f"compare is for classifiers; A ({spec_a}) is {a.task} and B ({spec_b}) is {b.task}."
        )
    if set(a.label_names) != set(b.label_names):
        raise ModelError(
            "the two models predict different label sets, so their predictions cannot be compared: "
            f"A ({spec_a}) has {sorted(a.label_names)}, B ({spec_b}) has {sorted(b.label_names)}. "
            "Compare two models trained on the same labels."
        )


def _load_classifier(spec: str | Path, device: str) -> Predictor:
    """``Predictor.load``; a checkpoint without a head is refused with what it can still be compared on."""
    from workbench.engine.inference import Predictor
    from workbench.engine.models.heads import headless_message, is_headless
    from workbench.engine.models.loading import resolve_spec

    source = resolve_spec(str(spec))
    if is_headless(source):
        raise ModelError(
            f"{headless_message(source)} Its attention can still be compared with another model's: "
            "workbench compare A B --attention TEXT."
        )
    return Predictor.load(spec, device=device)


def _evaluate_one(predictor: Predictor, table: Any, mapping: ColumnMapping | None, data_path: Path,
                  batch_size: int) -> tuple[Any, Any]:
    from workbench.engine.evaluation import evaluate_model, examples_for_model

    # Each model gets its own label ids (same names, possibly another order) and its own tokenizer;
    # a LABEL_0/LABEL_1 checkpoint reads data labelled 0/1 by position (see examples_for_model).
    examples, _note = examples_for_model(table, predictor.task, mapping, predictor.label_names)
    if examples.labels is None:
        raise DatasetError("no label column found; comparing needs labels (use --label-column).", path=data_path)
    return examples, evaluate_model(predictor, examples, batch_size=batch_size)


def compare_models(
    spec_a: str | Path,
    spec_b: str | Path,
    data_path: str | Path,
    *,
    mapping: ColumnMapping | None = None,
    batch_size: int = 64,
    format: str | None = None,
    device: str = "cpu",
) -> Comparison:
    """Evaluate A and B on ``data_path`` and find where their predictions differ."""
    from workbench.engine.data import read_table

    # 1. Load both models; refuse different label sets before any evaluation work.
    a, b = _load_classifier(spec_a, device), _load_classifier(spec_b, device)
    _check_label_sets(a, b, str(spec_a), str(spec_b))

    # 2. Evaluate each with the code `workbench eval` uses (same metrics, same numbers).
    table = read_table(data_path, format)
    examples_a, result_a = _evaluate_one(a, table, mapping, Path(data_path), batch_size)
    _examples_b, result_b = _evaluate_one(b, table, mapping, Path(data_path), batch_size)
    assert result_a.predictions is not None and result_b.predictions is not None
    assert result_a.probabilities is not None and result_b.probabilities is not None

    # 3. Ids -> names (each model's own order), confidences = probability of the prediction.
    n = len(examples_a)
    rows = np.arange(n)
    conf_a = result_a.probabilities[rows, result_a.predictions].astype(np.float32)  # (N,)
    conf_b = result_b.probabilities[rows, result_b.predictions].astype(np.float32)  # (N,)
    pred_a = [a.label_names[int(p)] for p in result_a.predictions]
    pred_b = [b.label_names[int(p)] for p in result_b.predictions]
    labels = [a.label_names[int(t)] for t in examples_a.labels]  # type: ignore[union-attr, arg-type]

    # 4. Disagreements, the most confident first: those are the surprising ones.
    differ = [i for i in range(n) if pred_a[i] != pred_b[i]]
    differ.sort(key=lambda i: (-max(float(conf_a[i]), float(conf_b[i])), i))
    return Comparison(
        str(spec_a), str(spec_b), result_a.metrics, result_b.metrics, list(a.label_names),
        list(examples_a.texts), labels, pred_a, pred_b, conf_a, conf_b, differ, a, b,
    )


def attention_difference(pred_a: Any, pred_b: Any, text: str, layer: int,
                         head: int) -> tuple[list[str], np.ndarray]:
    """Tokens and B's minus A's attention (T, T) of one layer and head for ``text``.

    Both models must split the text into the same tokens and have the same number
    of layers and heads, otherwise there is no cell-by-cell difference to take.
    ``pred_a`` and ``pred_b`` are Predictors or BareModels (checkpoints without a head).
    """
    tokens, diff = attention_change(pred_a, pred_b, text)
    if not (0 <= layer < diff.shape[0] and 0 <= head < diff.shape[1]):
        raise ConfigError(
            f"layer {layer}, head {head} does not exist: the models have layers 0–{diff.shape[0] - 1} "
            f"and heads 0–{diff.shape[1] - 1}."
        )
    return tokens, diff[layer, head]


def attention_change(pred_a: Any, pred_b: Any, text: str) -> tuple[list[str], np.ndarray]:
    """Tokens and B's minus A's attention of every layer and head, (L, H, T, T) float32.

    Works for any two checkpoints with attention, with or without a task head
    (load them with ``load_for_inspection``): e.g. MiniLM against a classifier
    fine-tuned from it shows what fine-tuning changed.
    """
    from workbench.engine.inspection.attention import compute_attention

    maps_a = compute_attention(pred_a.model, pred_a.tokenizer, text, max_length=pred_a.max_length)
    maps_b = compute_attention(pred_b.model, pred_b.tokenizer, text, max_length=pred_b.max_length)
    if maps_a.tokens != maps_b.tokens:
        def show(tokens: list[str]) -> str:
            return " ".join(tokens[:30]) + (" …" if len(tokens) > 30 else "")
        raise ModelError(
            "the two models split this text into different tokens, so their attention cannot be "
            f"subtracted cell by cell. A: {show(maps_a.tokens)} | B: {show(maps_b.tokens)}. "
            "Compare models that share a tokenizer (checkpoints of one run, or fine-tunes of one base model)."
        )
    if maps_a.attentions.shape[:2] != maps_b.attentions.shape[:2]:
        raise ModelError(
            f"the two models have different shapes: A has {maps_a.num_layers} layers × {maps_a.num_heads} "
            f"heads, B has {maps_b.num_layers} layers × {maps_b.num_heads} heads. "
            "Attention differences need models of the same architecture."
        )
    # (L, H, T, T) each; float32 difference, positive where B attends more than A.
    diff = maps_b.attentions - maps_a.attentions
    return list(maps_a.tokens), diff.astype(np.float32, copy=False)


def compare_attention(
    spec_a: str | Path, spec_b: str | Path, text: str, *, device: str = "cpu"
) -> tuple[list[str], np.ndarray]:
    """Load A and B (a head is not needed) and return ``attention_change`` for ``text``."""
    from workbench.engine.inspection.attention import load_for_inspection

    a = load_for_inspection(spec_a, device=device)
    b = load_for_inspection(spec_b, device=device)
    return attention_change(a, b, text)
