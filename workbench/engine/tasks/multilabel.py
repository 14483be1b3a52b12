"""Multi-label classification: any number of labels per text, each one a yes/no decision.

The task itself is ``MultiLabel`` (bottom of this module, registered in
``tasks/registry.py``); the rest of the workbench asks it. Its pieces:

1. data       ``MultiLabel.read_examples`` -> ``label_sets``: each label cell is split on the
              separator ("news|sport"), stripped, empties dropped; the vocabulary is the
              sorted union. ``looks_multilabel`` suggests the task for a new file.
2. stats      ``multilabel_stats`` (``MultiLabel.stats_extras``): labels per row, and a
              warning when no row has two.
3. encoding   ``encode_multilabel``: features carry ``label_set`` (the positive ids) and
              ``num_labels`` instead of ``labels``; ``batching.pad_batch`` turns them into
              a float multi-hot (B, L) tensor, so they are never taken for per-token labels.
4. model      ``MultiLabel.auto_class_name`` and ``head_config``: AutoModelForSequenceClassification
              with ``problem_type="multi_label_classification"``: BCE with logits.
5. evaluation ``evaluate_multilabel``: sigmoid probabilities, a cut per label, and
              ``metrics.multilabel_metrics`` (micro/macro F1, subset accuracy, Hamming loss).
6. thresholds ``tune_thresholds``: after training (``MultiLabel.finish_training``), one cut
              per label that maximises that label's F1 on the validation set (0.5 when it
              has no positives there), stored in ``workbench_model.json`` as
              ``{"thresholds": {label: value}}`` (``MultiLabel.saved_meta``).
7. inference  ``MultiLabel.predict`` -> ``prediction_results``: per-label probabilities, the
              thresholds and the chosen label set.

Torch is imported only inside the functions that run a model: reading data and
computing statistics stay torch-free (the GUI does both on worker threads).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine import metrics as M
from workbench.engine.data.examples import (
    LABEL_COLUMN_NAMES,
    MISSING,
    SAMPLE_ROWS,
    ColumnMapping,
    ColumnRoles,
    Examples,
    Labeler,
    column_by_name,
    label_ids,
    read_texts,
    sorted_label_names,
)
from workbench.engine.encoding import Encoded
from workbench.engine.errors import ConfigError, DatasetError, ModelError
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
from workbench.engine.tasks.classification import encode_classification

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from workbench.engine.data.table import Table

TASK = "multi-label"
PROBLEM_TYPE = "multi_label_classification"  # transformers' name: BCE-with-logits loss
DEFAULT_SEPARATOR = "|"
# A sigmoid output above one half is "more likely yes than no": the natural cut
# for a label that validation could not tune.
DEFAULT_THRESHOLD = 0.5
# Feature keys read by batching.pad_batch (kept apart from "labels", which it reads
# as one class id, or as per-token ids when it is a list).
LABEL_SET_KEY = "label_set"
NUM_LABELS_KEY = "num_labels"
# Characters people separate labels with; used only to suggest a separator.
_LIKELY_SEPARATORS = ("|", ",", ";", "/", "+")
# The headline metrics of an evaluation, in the order they are reported.
HEADLINE_METRICS = (
    "f1_micro", "f1_macro", "precision_micro", "recall_micro", "precision_macro",
    "recall_macro", "subset_accuracy", "hamming_loss",
)  # fmt: skip


# --------------------------------------------------------------------------- data


def check_separator(separator: str) -> str:
    if not isinstance(separator, str) or not separator:
        raise ConfigError(
            f"label separator {separator!r} is empty; give the character(s) that separate a "
            "row's labels, e.g. '|' for \"news|sport\"."
        )
    return separator


def looks_multilabel(table: Table, separator: str = DEFAULT_SEPARATOR) -> bool:
    """Whether a file's label column (found by its name) holds label sets.

    True when at least 5% of the sampled rows (and two or more) hold two labels
    joined by ``separator``. Used only to suggest the task for a newly opened
    file; the user can always choose another. (JSON list labels are not guessed:
    reading them as classification names the multi-label task in its error.)
    """
    column = column_by_name(table.columns, LABEL_COLUMN_NAMES, set())
    if column is None:
        return False
    sample = [row.get(column) for row in table.rows[:SAMPLE_ROWS]]
    joined = sum(1 for v in sample if isinstance(v, str) and len(split_labels(v, separator)) >= 2)
    return joined >= max(2, 0.05 * len(sample))


def split_labels(value: object, separator: str) -> list[object]:
    """The raw labels of one cell: a string split on ``separator`` (stripped, empties
    dropped), a JSON list as it is, null as no label, a number as one label."""
    if isinstance(value, str):
        pieces: list[object] = [p.strip() for p in value.split(separator)]
        return [p for p in pieces if p]
    if isinstance(value, list):
        items = [v.strip() if isinstance(v, str) else v for v in value]
        return [v for v in items if v != "" and v is not None]
    if value is None:
        return []
    return [value]


def label_sets(
    table: Table,
    column: str,
    rows: Sequence[int],
    lines: Sequence[int],
    label_names: Sequence[str] | None,
    separator: str = DEFAULT_SEPARATOR,
) -> tuple[list[list[int]], list[str]]:
    """The sorted label ids of each row in ``rows``, and the label vocabulary.

    Without ``label_names`` (a training set) the vocabulary is the sorted union of
    the labels seen. With it (a validation set) a label outside it is a
    DatasetError naming the label and its line. A row without labels is allowed:
    all its labels are negative.
    """
    check_separator(separator)
    labeler = Labeler(table, column)
    per_row: list[list[str]] = []
    flat: list[str] = []
    flat_lines: list[int] = []
    for i, line in zip(rows, lines):
        value = table.rows[i].get(column, MISSING)
        if value is MISSING:
            raise labeler.error(
                "the row has no field for the label column.",
                line,
                "Give every row the label field (an empty string or [] means no labels).",
            )
        names: list[str] = []
        for piece in split_labels(value, separator):
            if isinstance(piece, (list, dict)):
                raise labeler.error(
                    f"a label is a JSON {'array' if isinstance(piece, list) else 'object'}.",
                    line,
                    'Write the labels as a list of strings, e.g. ["news", "sport"], or as one '
                    f'string separated by {separator!r}, e.g. "news{separator}sport".',
                )
            name = labeler(piece, line)  # "01" and 1 are the label "1", as for classification
            if name not in names:  # "a|a" is the set {a}
                names.append(name)
        per_row.append(names)
        flat.extend(names)
        flat_lines.extend([line] * len(names))
    if label_names is None:
        if not flat:
            raise DatasetError(
                f"no row has a label in column {column!r}.",
                path=table.path,
                line=lines[0] if lines else 1,
                column=column,
                hint=f"Put each row's labels in the column, separated by {separator!r}, or "
                "choose the column that holds them.",
            )
        known = sorted_label_names(set(flat))
        ids = {name: i for i, name in enumerate(known)}
    else:
        known, ids = label_ids(table, column, flat, flat_lines, label_names, "label")
    return [sorted(ids[n] for n in names) for names in per_row], known


def multi_hot(sets: Sequence[Sequence[int]], num_labels: int) -> np.ndarray:
    """(N, L) int8 indicator matrix from the positive label ids of each row."""
    out = np.zeros((len(sets), num_labels), dtype=np.int8)
    rows = [r for r, ids in enumerate(sets) for _ in ids]
    cols = [i for ids in sets for i in ids]
    out[rows, cols] = 1
    return out


def multilabel_stats(examples: Examples) -> dict[str, Any]:
    """Labels per row and warnings for a multi-label training set (merged into compute_stats)."""
    sets = examples.labels or []
    per_row = [len(ids) for ids in sets]  # type: ignore[arg-type]
    counts = Counter(per_row)
    warnings = []
    if per_row and max(per_row) < 2:
        warnings.append(
            "no row has more than one label, so this is single-label data; did you mean "
            "classification?" + _separator_hint(examples.label_names)
        )
    return {
        "labels_per_row": {
            "min": min(per_row, default=0),
            "mean": round(sum(per_row) / max(len(per_row), 1), 3),
            "max": max(per_row, default=0),
        },
        # JSON object keys are strings: "2" -> rows with two labels.
        "labels_per_row_counts": {str(k): counts[k] for k in sorted(counts)},
        "rows_without_labels": counts.get(0, 0),
        "warnings": warnings,
    }


def _separator_hint(label_names: Sequence[str]) -> str:
    """' Labels such as "a,b" contain ","...' when another separator looks likely."""
    for sep in _LIKELY_SEPARATORS:
        example = next((n for n in label_names if sep in n), None)
        if example is not None:
            return f" Labels such as {example!r} contain {sep!r}: is that the label separator?"
    return ""


# --------------------------------------------------------------------------- encoding


def encode_multilabel(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int
) -> Encoded:
    """Tokenise as for classification; each feature carries its positive label ids.

    The ids stay sparse (a list per example) and become a float multi-hot row
    only per batch: with hundreds of labels, dense rows for a whole data set
    would cost far more memory than the token ids.
    """
    encoded = encode_classification(replace(examples, labels=None), tokenizer, max_length)
    if examples.labels is not None:
        width = len(examples.label_names)
        for feature, ids in zip(encoded.features, examples.labels):
            feature[LABEL_SET_KEY] = list(ids)  # type: ignore[arg-type]
            feature[NUM_LABELS_KEY] = width
    return encoded


# --------------------------------------------------------------------------- thresholds


def threshold_array(thresholds: Sequence[float] | None, num_labels: int) -> np.ndarray:
    """(L,) cut per label; ``None`` means the default everywhere."""
    if thresholds is None:
        return np.full(num_labels, DEFAULT_THRESHOLD)
    cut = np.asarray(thresholds, dtype=np.float64)
    if cut.shape != (num_labels,):
        raise ValueError(f"{cut.size} thresholds for {num_labels} labels")
    return cut


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The cut (predict yes when score >= cut) that maximises one label's F1.

    Candidate cuts lie between consecutive distinct scores: equal scores always
    fall on the same side. The cut is the midpoint of the gap, so a new score
    close to either neighbour is not decided by a hair. ``DEFAULT_THRESHOLD``
    when the label has no positives (no cut can be judged).
    """
    positives = int(truth.sum())
    if positives == 0 or scores.size == 0:
        return DEFAULT_THRESHOLD
    # 1. rank by score, highest first; predicting the top k yes gives tp[k-1], fp[k-1]
    order = np.argsort(-scores, kind="stable")
    ranked = scores[order].astype(np.float64)  # (N,)
    hits = truth[order].astype(np.int64)  # (N,)
    tp = np.cumsum(hits)
    fp = np.cumsum(1 - hits)
    # 2. only cut after the last of a run of equal scores
    ends = np.flatnonzero(np.r_[ranked[1:] != ranked[:-1], True])
    f1 = 2 * tp[ends] / (2 * tp[ends] + fp[ends] + (positives - tp[ends]))
    # 3. the best cut (the highest one among equals: fewer yes answers)
    k = int(ends[int(np.argmax(f1))])
    if k + 1 < ranked.size:
        return float((ranked[k] + ranked[k + 1]) / 2)
    return float(ranked[k])  # everything is "yes" at its best: cut at the lowest score


def tune_thresholds(probabilities: np.ndarray, y_true: np.ndarray) -> np.ndarray:
    """(L,) cut per label from (N, L) probabilities and (N, L) 0/1 truth."""
    return np.array(
        [best_threshold(probabilities[:, j], y_true[:, j]) for j in range(y_true.shape[1])],
        dtype=np.float64,
    )


def thresholds_to_meta(thresholds: Sequence[float], label_names: Sequence[str]) -> dict[str, float]:
    return {str(name): float(t) for name, t in zip(label_names, thresholds)}


def thresholds_from_meta(meta: Mapping[str, Any], label_names: Sequence[str]) -> list[float]:
    """The cuts stored in ``workbench_model.json`` (the default for labels without one)."""
    stored = meta.get("thresholds")
    if stored is None:
        return [DEFAULT_THRESHOLD] * len(label_names)
    if not isinstance(stored, dict):
        raise ModelError(
            "workbench_model.json: 'thresholds' must be an object {label: number}; "
            "remove it to use 0.5 for every label."
        )
    out = []
    for name in label_names:
        value = stored.get(name, DEFAULT_THRESHOLD)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ModelError(
                f"workbench_model.json: the threshold of {name!r} is {value!r}; thresholds are "
                "probabilities between 0 and 1."
            )
        out.append(float(value))
    return out


def tuned_on_validation(
    result: EvalResult, encoded: Encoded, label_names: Sequence[str]
) -> tuple[list[float], dict[str, Any]]:
    """Per-label cuts tuned on a validation evaluation, and its scores with them.

    The scores are optimistic (tuned and measured on the same examples); they are
    reported beside the 0.5 scores, not instead of them.
    """
    assert result.probabilities is not None
    y_true = multi_hot([f.get(LABEL_SET_KEY, []) for f in encoded.features], len(label_names))
    cut = tune_thresholds(result.probabilities, y_true)
    report = M.multilabel_metrics(y_true, result.probabilities >= cut, label_names)
    return cut.tolist(), {
        "thresholds": thresholds_to_meta(cut, label_names),
        "eval_f1_micro_tuned": report["f1_micro"],
        "eval_f1_macro_tuned": report["f1_macro"],
    }


# --------------------------------------------------------------------------- evaluation


def evaluate_multilabel(model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
    """Sigmoid probabilities per label, decisions at ``options.thresholds``, and the metrics.

    ``predictions`` is the (N, L) 0/1 decision matrix, ``probabilities`` (N, L)
    and ``losses`` the mean binary cross-entropy of each example over its labels
    (so their mean is the training loss).
    """
    import torch

    n = len(encoded)
    width = int(model.config.num_labels)
    names = list(options.label_names) or [str(i) for i in range(width)]
    probs = np.zeros((n, width), dtype=np.float32)
    losses = np.zeros(n, dtype=np.float32)
    has_labels = n > 0 and LABEL_SET_KEY in encoded.features[0]
    for indices in eval_batches(encoded, options.batch_size):
        batch = pad_eval_batch(encoded, indices, tokenizer)
        labels = batch.pop("labels", None)  # (B, L) float multi-hot
        with autocast_context(options.device, options.precision):
            logits = model(**move(batch, options.device)).logits.float().cpu()  # (B, L)
        probs[indices] = torch.sigmoid(logits).numpy()
        if labels is not None:
            bce = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, labels, reduction="none"
            )  # (B, L)
            losses[indices] = bce.mean(dim=1).numpy()
    preds = (probs >= threshold_array(options.thresholds, width)).astype(np.int64)  # (N, L)
    metrics: dict[str, Any] = {}
    if has_labels:
        y_true = multi_hot([f[LABEL_SET_KEY] for f in encoded.features], width)
        report = M.multilabel_metrics(y_true, preds, names)
        metrics["eval_loss"] = float(losses.mean())
        for key in HEADLINE_METRICS:
            metrics[f"eval_{key}"] = report[key]
        metrics["eval_per_class"] = report["per_class"]
        metrics["label_names"] = report["label_names"]
    metrics["eval_examples"] = n
    return EvalResult(metrics, preds, probs, losses if has_labels else None)


# --------------------------------------------------------------------------- prediction


def prediction_results(
    texts: Sequence[str],
    probabilities: np.ndarray,
    label_names: Sequence[str],
    thresholds: Sequence[float] | None,
) -> list[dict[str, Any]]:
    """One dict per text: ``labels`` (chosen, most probable first), ``probabilities``
    and ``thresholds`` (label -> value)."""
    names = [str(n) for n in label_names]
    cut = threshold_array(thresholds, len(names)).tolist()
    out = []
    for text, row in zip(texts, probabilities.tolist()):
        chosen = sorted((j for j, p in enumerate(row) if p >= cut[j]), key=lambda j: -row[j])
        out.append({
            "text": text,
            "labels": [names[j] for j in chosen],
            "probabilities": dict(zip(names, row)),
            "thresholds": dict(zip(names, cut)),
        })  # fmt: skip
    return out


def decision_confidence(probabilities: np.ndarray) -> np.ndarray:
    """(N,) mean certainty of an example's yes/no decisions: max(p, 1 - p) averaged over labels.

    The multi-label counterpart of a classifier's top probability, so mistakes can be
    ranked "most confident first" the same way.
    """
    if probabilities.size == 0:
        return np.zeros(probabilities.shape[0])
    return np.maximum(probabilities, 1 - probabilities).mean(axis=1)


def prediction_rows(
    result: EvalResult,
    examples: Examples,
    label_names: Sequence[str],
    separator: str = DEFAULT_SEPARATOR,
) -> list[dict[str, Any]]:
    """One dict per example (the shape of ``reports.prediction_rows`` for classification).

    ``label`` and ``predicted`` are the label sets joined with ``separator``, so the
    file reads back as multi-label data; ``correct`` is an exact match of the sets.
    """
    names = [str(n) for n in label_names]
    preds = np.asarray(result.predictions)  # (N, L)
    probs = result.probabilities
    confidence = decision_confidence(probs) if probs is not None else None
    sets = examples.labels or []
    rows = []
    for i in range(preds.shape[0]):
        predicted = [j for j in range(preds.shape[1]) if preds[i, j]]
        true = list(sets[i]) if i < len(sets) else None  # type: ignore[arg-type]
        row = example_fields(examples, i)
        row["label"] = separator.join(names[j] for j in true) if true is not None else ""
        row["predicted"] = separator.join(names[j] for j in predicted)
        row["confidence"] = float(confidence[i]) if confidence is not None else math.nan
        row["loss"] = float(result.losses[i]) if result.losses is not None else math.nan
        row["correct"] = sorted(true) == predicted if true is not None else None
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- the task

_SAMPLE = [("goal scored in the rain", "sport|weather"), ("the team won the match", "sport"),
           ("storm and wind tonight", "weather"), ("a quiet day", ""), ("the coach likes snow", "sport|weather"),
           ("sunny all week", "weather")]


@register
class MultiLabel(Task):
    name = TASK
    display_name = "multi-label classification"
    hub_pipeline_tag = "text-classification"
    card_use_and_limits = (
        "Gives a text any number of the labels above, each kept when its score passes a cut tuned on "
        "the validation data. Rare labels are learnt least well, and cuts tuned on a small validation "
        "set may not carry over to other data. Check it on your own labelled data before relying on "
        "it."
    )
    order = 20
    auto_class_name = "AutoModelForSequenceClassification"
    head_config = {"problem_type": PROBLEM_TYPE}  # one sigmoid per label, BCE-with-logits loss
    labelled = True
    label_separator_option = True
    onnx_outputs = ("logits",)
    onnx_probabilities = "sigmoid"  # one independent probability per label
    writes_predictions = True
    headline = Metric("eval_f1_micro")  # no accuracy: many labels per example
    best = Metric("eval_f1_micro")
    summary_metrics = ("eval_f1_micro", "eval_f1_macro")
    architecture_suffixes = ("ForSequenceClassification",)
    sample = TaskSample(
        "train.csv", "text,labels\n" + "".join(f"{t},{lab}\n" for t, lab in _SAMPLE * 4),
        predict_texts=("rain on the team", "nothing"),
    )
    roles = ColumnRoles(label_names=LABEL_COLUMN_NAMES, pair=True, conll=False)
    label_lists = True

    def claims_table(self, table: Table) -> bool:
        return looks_multilabel(table)  # a label column of sets such as "news|sport"

    def read_examples(
        self, table: Table, mapping: ColumnMapping, label_names: Sequence[str] | None, *, label_separator: str
    ) -> Examples:
        read = read_texts(table, mapping.text, mapping.text_pair)
        assert mapping.label is not None  # complete_mapping / check_mapping fill it in
        sets, known = label_sets(table, mapping.label, read.rows, read.lines, label_names, label_separator)
        return Examples(self.name, read.texts, read.pairs, None, sets, known, table.path, read.lines)

    def stats_extras(self, train: Examples) -> dict[str, Any]:
        return multilabel_stats(train)  # labels per row, and "is this really multi-label?"

    def encode(self, examples: Examples, tokenizer: Any, max_length: int, *, doc_stride: int = 128) -> Encoded:
        return encode_multilabel(examples, tokenizer, max_length)

    def evaluate(self, model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
        return evaluate_multilabel(model, tokenizer, encoded, options)

    def finish_training(
        self, result: EvalResult, validation: Encoded, label_names: Sequence[str]
    ) -> tuple[list[float], dict[str, Any]]:
        """One cut per label, tuned on validation with the final weights (the state ``saved_meta`` stores)."""
        return tuned_on_validation(result, validation, label_names)

    def saved_meta(
        self, config: Any, label_names: Sequence[str], result: EvalResult | None, state: Any
    ) -> dict[str, Any]:
        """How the model's labels were written, and its tuned cuts (none before the end)."""
        meta: dict[str, Any] = {"label_separator": config.label_separator}
        if state is not None:
            meta["thresholds"] = thresholds_to_meta(state, label_names)
        return meta

    def prediction_rows(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str], *, label_separator: str = "|"
    ) -> list[dict[str, Any]]:
        if result.predictions is None:
            return []
        return prediction_rows(result, examples, label_names, label_separator)

    def subset_metrics(
        self, result: EvalResult, examples: Examples, indices: Sequence[int], label_names: Sequence[str]
    ) -> dict[str, float]:
        """``HEADLINE_METRICS`` (micro/macro F1, subset accuracy ...) on the examples at ``indices``."""
        if result.predictions is None or not examples.labels:
            return {}
        idx = [int(i) for i in indices]
        preds = np.asarray(result.predictions)[idx]  # (n, L)
        y_true = multi_hot([examples.labels[i] for i in idx], preds.shape[1])  # type: ignore[misc]
        report = M.multilabel_metrics(y_true, preds, [str(n) for n in label_names])
        return {f"eval_{key}": float(report[key]) for key in HEADLINE_METRICS}

    def configure_predictor(self, predictor: Predictor, meta: Mapping[str, Any]) -> None:
        predictor.thresholds = thresholds_from_meta(meta, predictor.label_names)
        predictor.label_separator = str(meta.get("label_separator") or DEFAULT_SEPARATOR)

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        import torch

        logits = predictor.model(**predictor.inputs(texts)).logits.float()  # (B, num_labels)
        probs = torch.sigmoid(logits).cpu().numpy()  # one independent yes/no per label
        return prediction_results(texts, probs, predictor.label_names, predictor.thresholds)

    def result_line(self, result: Mapping[str, Any]) -> str:
        """The chosen labels, each label's probability/threshold, then the text (tab-separated)."""
        probs = "  ".join(f"{k}={v:.3f}/{result['thresholds'][k]:.2f}" for k, v in result["probabilities"].items())
        return f"{', '.join(result['labels']) or '(none)'}\t({probs})\t{result['text']}"
