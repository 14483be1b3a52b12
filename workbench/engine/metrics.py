"""Evaluation metrics for classification, token classification and language modelling.

Pure Python + numpy on purpose: evaluation runs in the CLI, the GUI and the tests
without torch, scikit-learn or seqeval (none of them is a dependency). The numbers
follow the definitions people compare against:

* classification: scikit-learn's ``precision_recall_fscore_support`` with
  ``labels=range(num_labels)`` and ``zero_division=0``;
* multi-label: the same functions on (N, L) indicator matrices (micro/macro averages);
* entity (chunk) scores: conlleval's chunk definition, extended to IOBES the way
  seqeval extends it (see :func:`bio_spans`).

Every function returns plain Python ``float``/``int``/``list``/``dict`` so results can
go straight into ``json.dump`` (numpy scalars cannot).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "bio_spans",
    "classification_metrics",
    "confusion_matrix",
    "is_bio_tagset",
    "multilabel_metrics",
    "perplexity",
    "token_classification_metrics",
]

# Prefixes recognised in tagged sequences. BILOU's L-/U- are IOBES's E-/S- renamed,
# so they are mapped onto E/S and one set of chunk rules serves both schemes.
_PREFIX_ALIASES = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}
_OUTSIDE = "O"


def _safe_div(numerator: float, denominator: float) -> float:
    # sklearn's zero_division=0: an undefined ratio (nothing predicted, nothing true)
    # scores 0 instead of raising or warning.
    return float(numerator) / float(denominator) if denominator else 0.0


def _f1(tp: int, fp: int, fn: int) -> float:
    # 2tp / (2tp + fp + fn) equals 2PR / (P + R) wherever that is defined, and is 0
    # (not 0/0) when tp == 0, matching sklearn >= 1.3.
    return _safe_div(2 * tp, 2 * tp + fp + fn)


def _as_label_array(values: Sequence[int], name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of label ids, got shape {array.shape}")
    if array.size == 0:
        return array.astype(np.int64)  # np.asarray([]) is float64; keep ids integral
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integer label ids, got dtype {array.dtype}")
    return array.astype(np.int64, copy=False)


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], num_labels: int) -> np.ndarray:
    """Counts of (true, predicted) label pairs.

    Returns an int64 array of shape (num_labels, num_labels): rows are true labels,
    columns predicted labels (sklearn's orientation). Raises ``ValueError`` when the
    lengths differ or an id is outside ``[0, num_labels)``.
    """
    if num_labels < 1:
        raise ValueError(f"num_labels must be at least 1, got {num_labels}")
    true = _as_label_array(y_true, "y_true")
    pred = _as_label_array(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred differ in length ({true.size} vs {pred.size}); "
            "pass one prediction per example"
        )
    for name, array in (("y_true", true), ("y_pred", pred)):
        if array.size and (array.min() < 0 or array.max() >= num_labels):
            bad = int(array[(array < 0) | (array >= num_labels)][0])
            raise ValueError(f"{name} holds label id {bad}, outside [0, {num_labels})")
    # One bincount over flattened (true, pred) pairs: O(N), no Python loop.
    flat = true * num_labels + pred  # (N,)
    counts = np.bincount(flat, minlength=num_labels * num_labels)
    return counts.reshape(num_labels, num_labels).astype(np.int64, copy=False)


def classification_metrics(
    y_true: Sequence[int], y_pred: Sequence[int], label_names: Sequence[str]
) -> dict:
    """Accuracy, per-class and averaged precision/recall/F1, and the confusion matrix.

    Label ids index ``label_names``. Undefined ratios (a class never predicted, or
    never true) are 0.0, like sklearn's ``zero_division=0``.

    Macro averages run over *all* ``label_names``, including classes absent from
    both ``y_true`` and ``y_pred`` (which score 0 and so pull the macro average
    down) -- exactly what sklearn does with ``labels=range(len(label_names))``.
    Weighted averages weight each class by its true count, so absent classes do not
    matter there.
    """
    names = [str(name) for name in label_names]
    num_labels = len(names)
    cm = confusion_matrix(y_true, y_pred, num_labels)  # (L, L), rows true, cols pred
    total = int(cm.sum())

    tp = np.diag(cm)  # (L,)
    predicted = cm.sum(axis=0)  # (L,) how often each class was predicted
    support = cm.sum(axis=1)  # (L,) how often each class is true

    per_class: dict[str, dict[str, float | int]] = {}
    precisions: list[float] = []
    recalls: list[float] = []
    f1s: list[float] = []
    for index, name in enumerate(names):
        t, p, s = int(tp[index]), int(predicted[index]), int(support[index])
        precision = _safe_div(t, p)
        recall = _safe_div(t, s)
        f1 = _f1(t, p - t, s - t)
        precisions.append(precision)
        recalls.append(recall)
        f1s.append(f1)
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": s}

    def weighted(values: list[float]) -> float:
        return _safe_div(sum(v * int(s) for v, s in zip(values, support)), total)

    return {
        "accuracy": _safe_div(int(tp.sum()), total),
        "precision_macro": _safe_div(sum(precisions), num_labels),
        "recall_macro": _safe_div(sum(recalls), num_labels),
        "f1_macro": _safe_div(sum(f1s), num_labels),
        "precision_weighted": weighted(precisions),
        "recall_weighted": weighted(recalls),
        "f1_weighted": weighted(f1s),
        "per_class": per_class,
        "confusion_matrix": cm.tolist(),
        "label_names": names,
        "num_examples": total,
    }


def _split_tag(tag: str) -> tuple[str, str]:
    """Split a tag into (prefix, type), prefixes normalised to O/B/I/E/S.

    Like conlleval, the prefix is what precedes the *first* hyphen, so types may
    contain hyphens ("B-DATE-TIME" -> ("B", "DATE-TIME")). A tag without a
    recognised prefix ("PER", "NOUN", "X-Y") is read as ``I-<tag>``, as conlleval
    does in raw mode (``-r``): consecutive equal bare tags form one chunk.
    """
    if tag == _OUTSIDE:
        return _OUTSIDE, ""
    prefix, hyphen, entity_type = tag.partition("-")
    if hyphen and prefix in _PREFIX_ALIASES:
        return _PREFIX_ALIASES[prefix], entity_type
    return "I", tag


def _end_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    # conlleval's endOfChunk, with seqeval's IOBES extension: E and S always close
    # their chunk (conlleval would wrongly let "E-X B-X" run on as one chunk).
    if prev_tag in ("E", "S"):
        return True
    if prev_tag in ("B", "I") and tag in ("B", "S", _OUTSIDE):
        return True
    return prev_tag != _OUTSIDE and prev_type != type_


def _start_of_chunk(prev_tag: str, tag: str, prev_type: str, type_: str) -> bool:
    # conlleval's startOfChunk (plus S): B/S always start; I/E start after O, after a
    # closed E/S, or when the type changes (IOB1: "O I-PER" and "I-PER I-LOC").
    if tag in ("B", "S"):
        return True
    if tag in ("I", "E") and prev_tag in (_OUTSIDE, "E", "S"):
        return True
    return tag != _OUTSIDE and prev_type != type_


def bio_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity chunks of a tag sequence as ``(type, start, end_exclusive)``, in order.

    Accepts IOB1, IOB2/BIO, IOBES and BILOU tags (prefixes B-, I-, E-, S-, L-, U-;
    L/U are read as E/S) and ``"O"``. Chunk boundaries follow conlleval's
    startOfChunk/endOfChunk rules, with seqeval's extension for E-/S-:

    * a chunk starts at B-/S-, or at I-/E- that follows O, follows an E-/S-, or
      whose type differs from the previous tag's type;
    * so ``B-PER I-LOC`` is two chunks, and an I- tag after O starts one (IOB1);
    * an ill-formed sequence is read leniently rather than rejected (conlleval
      does the same), e.g. a lone ``E-PER`` after O is a one-token chunk.

    Tags without a recognised prefix (``"PER"``) are read as ``"I-PER"`` (conlleval's
    raw mode), so a run of equal bare tags is one chunk.
    """
    spans: list[tuple[str, int, int]] = []
    prev_tag, prev_type = _OUTSIDE, ""
    start = 0
    # A trailing "O" closes a chunk that runs to the end of the sentence.
    for index, raw in enumerate([*tags, _OUTSIDE]):
        tag, type_ = _split_tag(raw)
        if _end_of_chunk(prev_tag, tag, prev_type, type_):
            spans.append((prev_type, start, index))
        if _start_of_chunk(prev_tag, tag, prev_type, type_):
            start = index
        prev_tag, prev_type = tag, type_
    return spans


def is_bio_tagset(label_names: Iterable[str]) -> bool:
    """Whether tags look like a chunk tag set (IOB1/IOB2/IOBES/BILOU).

    True when every tag is "O" or has a B-/I-/E-/S-/L-/U- prefix followed by a
    non-empty type, and at least one tag is B-, S- or U- (without one, "I-"-only
    sets are ambiguous with e.g. part-of-speech tags that happen to contain a hyphen).
    """
    seen_any = False
    seen_begin = False
    for tag in label_names:
        seen_any = True
        if tag == _OUTSIDE:
            continue
        prefix, hyphen, entity_type = tag.partition("-")
        if not hyphen or not entity_type or prefix not in _PREFIX_ALIASES:
            return False
        seen_begin = seen_begin or _PREFIX_ALIASES[prefix] in ("B", "S")
    return seen_any and seen_begin


def token_classification_metrics(
    true_tags: Sequence[Sequence[str]],
    pred_tags: Sequence[Sequence[str]],
    *,
    label_names: Iterable[str] | None = None,
) -> dict:
    """Token accuracy and, for chunk tag sets, conlleval-style entity scores.

    Always returns ``{"accuracy", "num_tokens"}``. When the tag set is a chunk tag
    set (:func:`is_bio_tagset`) it adds micro-averaged ``entity_precision``,
    ``entity_recall``, ``entity_f1`` over all chunks and ``per_type`` scores. A
    predicted chunk counts only if type, start and end all match a true chunk, so
    partial overlaps and right-span-wrong-type chunks are wrong. Undefined ratios
    are 0.0.

    The tag set is ``label_names`` when given (the model's labels: a reliable signal
    even when a small evaluation set lacks every tag), else the tags in ``true_tags``.
    Raises ``ValueError`` when the two lists, or a sentence in them, differ in length.
    """
    if len(true_tags) != len(pred_tags):
        raise ValueError(
            f"true_tags has {len(true_tags)} sentences but pred_tags has {len(pred_tags)}"
        )
    num_tokens = 0
    num_correct = 0
    for index, (true_sentence, pred_sentence) in enumerate(zip(true_tags, pred_tags)):
        if len(true_sentence) != len(pred_sentence):
            raise ValueError(
                f"sentence {index}: {len(true_sentence)} true tags but "
                f"{len(pred_sentence)} predicted tags; predict one tag per token"
            )
        num_tokens += len(true_sentence)
        num_correct += sum(t == p for t, p in zip(true_sentence, pred_sentence))

    result: dict = {"accuracy": _safe_div(num_correct, num_tokens), "num_tokens": num_tokens}

    tagset = (
        set(label_names)
        if label_names is not None
        else {tag for sentence in true_tags for tag in sentence}
    )
    if not is_bio_tagset(tagset):
        return result

    # Chunks are compared per sentence: (sentence, type, start, end) keys keep equal
    # spans in different sentences apart.
    true_chunks: set[tuple[int, str, int, int]] = set()
    pred_chunks: set[tuple[int, str, int, int]] = set()
    for index, (true_sentence, pred_sentence) in enumerate(zip(true_tags, pred_tags)):
        true_chunks.update((index, *span) for span in bio_spans(true_sentence))
        pred_chunks.update((index, *span) for span in bio_spans(pred_sentence))
    correct_chunks = true_chunks & pred_chunks

    true_by_type = Counter(chunk[1] for chunk in true_chunks)
    pred_by_type = Counter(chunk[1] for chunk in pred_chunks)
    correct_by_type = Counter(chunk[1] for chunk in correct_chunks)

    tp, n_pred, n_true = len(correct_chunks), len(pred_chunks), len(true_chunks)
    result["entity_precision"] = _safe_div(tp, n_pred)
    result["entity_recall"] = _safe_div(tp, n_true)
    result["entity_f1"] = _f1(tp, n_pred - tp, n_true - tp)

    # Types that are only predicted are listed too (support 0, precision 0), as in
    # seqeval's report: spurious types should be visible, not silently dropped.
    per_type: dict[str, dict[str, float | int]] = {}
    for entity_type in sorted(set(true_by_type) | set(pred_by_type)):
        t = correct_by_type[entity_type]
        p = pred_by_type[entity_type]
        s = true_by_type[entity_type]
        per_type[entity_type] = {
            "precision": _safe_div(t, p),
            "recall": _safe_div(t, s),
            "f1": _f1(t, p - t, s - t),
            "support": s,
        }
    result["per_type"] = per_type
    return result


def multilabel_metrics(
    y_true: np.ndarray | Sequence[Sequence[int]],
    y_pred: np.ndarray | Sequence[Sequence[int]],
    label_names: Sequence[str],
) -> dict:
    """Micro/macro precision, recall and F1, subset accuracy, Hamming loss and per-label scores.

    ``y_true`` and ``y_pred`` are (N, L) 0/1 indicator matrices (one column per
    label of ``label_names``). The numbers follow scikit-learn on indicator
    matrices with ``zero_division=0``: micro pools every (example, label)
    decision, macro is the plain mean over *all* labels (a label never true and
    never predicted scores 0), subset accuracy is ``accuracy_score`` (the whole
    label set must match) and Hamming loss the share of wrong decisions.
    """
    names = [str(name) for name in label_names]
    true = np.asarray(y_true, dtype=bool)
    pred = np.asarray(y_pred, dtype=bool)
    if true.ndim == 1 and true.size == 0:
        true = true.reshape(0, len(names))
    if pred.ndim == 1 and pred.size == 0:
        pred = pred.reshape(0, len(names))
    if true.ndim != 2 or true.shape != pred.shape or true.shape[1] != len(names):
        raise ValueError(
            f"y_true {true.shape} and y_pred {pred.shape} must both be (N, {len(names)}) "
            "indicator matrices, one column per label"
        )
    n = true.shape[0]
    tp = (true & pred).sum(axis=0)  # (L,)
    fp = (~true & pred).sum(axis=0)  # (L,)
    fn = (true & ~pred).sum(axis=0)  # (L,)

    per_class: dict[str, dict[str, float | int]] = {}
    precisions, recalls, f1s = [], [], []
    for index, name in enumerate(names):
        t, p, f = int(tp[index]), int(fp[index]), int(fn[index])
        precisions.append(_safe_div(t, t + p))
        recalls.append(_safe_div(t, t + f))
        f1s.append(_f1(t, p, f))
        per_class[name] = {
            "precision": precisions[-1],
            "recall": recalls[-1],
            "f1": f1s[-1],
            "support": t + f,
        }
    # Micro: every (example, label) decision pooled into one count.
    all_tp, all_fp, all_fn = int(tp.sum()), int(fp.sum()), int(fn.sum())
    num_labels = len(names)
    return {
        "precision_micro": _safe_div(all_tp, all_tp + all_fp),
        "recall_micro": _safe_div(all_tp, all_tp + all_fn),
        "f1_micro": _f1(all_tp, all_fp, all_fn),
        "precision_macro": _safe_div(sum(precisions), num_labels),
        "recall_macro": _safe_div(sum(recalls), num_labels),
        "f1_macro": _safe_div(sum(f1s), num_labels),
        "subset_accuracy": _safe_div(int((true == pred).all(axis=1).sum()), n),
        "hamming_loss": _safe_div(int((true != pred).sum()), n * num_labels),
        "per_class": per_class,
        "label_names": names,
        "num_examples": n,
    }


def perplexity(mean_loss: float) -> float:
    """exp(mean cross-entropy loss in nats); ``inf`` where exp would overflow.

    A diverged run (loss ~1e3) must still log and plot, so overflow becomes ``inf``
    rather than an ``OverflowError``. NaN stays NaN so a broken loss is not hidden.
    """
    loss = float(mean_loss)
    if math.isnan(loss):
        return math.nan
    try:
        return math.exp(loss)
    except OverflowError:  # loss > ~709.78, log of the largest float
        return math.inf
