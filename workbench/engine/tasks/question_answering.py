"""Extractive question answering (SQuAD 1.1 / 2.0): read, encode, post-process, score.

The pieces, in the order a run uses them:

1. **Reading** (``read_squad`` in the data layer, ``engine/data/squad.py``): a SQuAD
   JSON file -> a :class:`Table` with one row per question (``title, id, question,
   answer, context, is_impossible``; the answers with their character offsets ride
   along under ``row["answers"]``).
   ``read_table`` detects the format; every malformed record raises a
   :class:`DatasetError` naming the article, the question id and the line.
2. **Examples** (``build_qa_examples``): :class:`QAExamples`, the usual
   :class:`Examples` (question = text, context = text pair) plus ids, gold
   answers and the article/paragraph of each question. ``split_by_article``
   holds out whole articles (never part of a paragraph's questions).
3. **Encoding** (``encode_qa``): question + context, the context cut into
   overlapping windows of ``max_length`` tokens (``doc_stride`` tokens shared);
   each window labelled with the answer's first/last token, or the first token
   (``[CLS]``) when the window does not hold the whole answer or there is none.
4. **Post-processing** (``postprocess``): for each question, over all its
   windows, the best span (n-best start x end logits, end >= start, at most 30
   tokens, inside the context) against the null score (start + end logit of
   position 0); "" is predicted when null beats the best span by more than the
   threshold.
5. **Scoring** (``squad_metrics``): exactly the official SQuAD v2.0 evaluation
   script (``normalize_answer``, ``compute_exact``, ``compute_f1``,
   ``find_best_thresh``), as fractions in [0, 1] like the workbench's other
   metrics (the official script prints them x100).

This module imports torch only inside the functions that run a model, so the
data layer that reads SQuAD files stays torch-free.
"""

from __future__ import annotations

import collections
import json
import math
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.engine.data.examples import ColumnMapping, ColumnRoles, Examples
from workbench.engine.data.squad import SQUAD_HINT, Answer
from workbench.engine.data.table import Table
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
from workbench.engine.tasks.base import Metric, Predictor, Task, TaskSample, register

TASK = "question-answering"
# Long enough for most SQuAD paragraphs in one window (the BERT paper's setting).
DEFAULT_MAX_LENGTH = 384
# Candidate starts and ends looked at per window (as in BERT's and Hugging Face's scripts).
N_BEST = 20
# Longer spans are almost never answers; the cap keeps post-processing from picking
# a whole paragraph whose ends happen to score well (BERT's max_answer_length).
MAX_ANSWER_TOKENS = 30


# =========================================================================== examples


@dataclass
class QAExamples(Examples):
    """Questions (``texts``) about contexts (``text_pairs``), with ids and gold answers."""

    ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    answers: list[list[Answer]] = field(default_factory=list)  # [] = unanswerable
    paragraphs: list[int] = field(default_factory=list)  # paragraph number in the file
    articles: list[int] = field(default_factory=list)  # article number (1-based)

    @property
    def contexts(self) -> list[str]:
        assert self.text_pairs is not None
        return self.text_pairs

    def subset(self, indices: Sequence[int]) -> QAExamples:
        idx = list(indices)
        base = Examples.subset(self, idx)
        return QAExamples(
            base.task, base.texts, base.text_pairs, None, None, [], base.source, base.lines,
            ids=[self.ids[i] for i in idx],
            titles=[self.titles[i] for i in idx],
            answers=[self.answers[i] for i in idx],
            paragraphs=[self.paragraphs[i] for i in idx],
            articles=[self.articles[i] for i in idx],
        )

    @classmethod
    def single(cls, question: str, context: str) -> QAExamples:
        """One question without a gold answer (for prediction)."""
        return cls(TASK, [question], [context], None, None, [], None, [0],
                   ids=["0"], titles=[""], answers=[[]], paragraphs=[0], articles=[1])


def answerable_counts(examples: QAExamples) -> dict[str, int]:
    """Questions with and without an answer (SQuAD 2.0 has about as many of each)."""
    answerable = sum(1 for answers in examples.answers if answers)
    return {"answerable": answerable, "unanswerable": len(examples) - answerable}


def check_squad(table: Table) -> None:
    """Question answering reads SQuAD files only (their columns are fixed); a clear error for any other."""
    if table.format != "squad":
        raise DatasetError(
            f"question answering needs a SQuAD JSON file; this is a {table.format} file.",
            path=table.path, line=1, hint=SQUAD_HINT,
        )


def build_qa_examples(table: Table) -> QAExamples:
    check_squad(table)
    rows = table.rows
    return QAExamples(
        TASK,
        [str(r["question"]) for r in rows],
        [str(r["context"]) for r in rows],
        None, None, [], table.path, list(table.lines),
        ids=[str(r["id"]) for r in rows],
        titles=[str(r["title"]) for r in rows],
        answers=[list(r["answers"]) for r in rows],  # type: ignore[call-overload]
        paragraphs=[int(r["paragraph"]) for r in rows],  # type: ignore[call-overload]
        articles=[int(r["article"]) for r in rows],  # type: ignore[call-overload]
    )


def split_by_article(examples: QAExamples, fraction: float) -> tuple[QAExamples, QAExamples]:
    """Hold out the last articles of the file (whole paragraphs when there is only one article).

    Never splits the questions of one paragraph: they share the context, so a
    model that trained on some of them has read the passage (and often the
    neighbouring answers) and would look better on the rest than it is. SQuAD's
    own train/dev split is by article for the same reason. The last articles
    (not a seeded draw) so that the split is easy to state: with the default
    fraction 0.1, a five-article file trains on four and validates on the fifth.
    At least one group is held out and at least one kept; a single paragraph
    gives no validation set.
    """
    groups = examples.articles if len(set(examples.articles)) > 1 else examples.paragraphs
    order = list(dict.fromkeys(groups))  # groups in file order
    if len(order) < 2 or fraction <= 0:
        return examples, examples.subset([])
    target = fraction * len(examples)
    held: set[int] = set()
    count = 0
    for group in reversed(order[1:]):  # the first group always trains
        held.add(group)
        count += sum(1 for g in groups if g == group)
        if count >= target:
            break
    train = [i for i, g in enumerate(groups) if g not in held]
    validation = [i for i, g in enumerate(groups) if g in held]
    return examples.subset(train), examples.subset(validation)


# =========================================================================== encoding


@dataclass
class QAEncoded(Encoded):
    """Windows ("features") of the examples, and what maps a window back to its context."""

    examples: QAExamples | None = None
    # Per window: the example it belongs to, and the (start, end) character span of
    # each token in the context (None for question, special and padding tokens).
    example_index: list[int] = field(default_factory=list)
    offsets: list[list[tuple[int, int] | None]] = field(default_factory=list)
    # The overlap actually used (doc_stride, shrunk where a long question leaves little room).
    strides: list[int] = field(default_factory=list)


def check_tokenizer(tokenizer: Any) -> None:
    """Windows need character offsets (a fast tokenizer) and right padding."""
    if not getattr(tokenizer, "is_fast", False):
        raise ModelError(
            "question answering needs a fast (Rust) tokenizer: only those report where each "
            "token is in the text. Use a model folder with a tokenizer.json."
        )
    if getattr(tokenizer, "padding_side", "right") == "left":
        raise ModelError(
            "question answering is not supported for models that pad on the left (XLNet): "
            "the answer positions assume the sequence starts at position 0."
        )


def _span_tokens(
    offsets: list[tuple[int, int] | None], start_char: int, end_char: int
) -> tuple[int, int] | None:
    """First and last token of the character span [start_char, end_char), if the window holds it whole."""
    inside = [i for i, o in enumerate(offsets) if o is not None]
    if not inside:
        return None
    first, last = inside[0], inside[-1]
    if offsets[first][0] > start_char or offsets[last][1] < end_char:  # type: ignore[index]
        return None
    # The token that contains (or follows) the first character, and the token that
    # contains (or precedes) the last: answers may start or end on a space.
    start = next(i for i in inside if offsets[i][1] > start_char)  # type: ignore[index]
    end = next(i for i in reversed(inside) if offsets[i][0] < end_char)  # type: ignore[index]
    return (start, end) if end >= start else None


def encode_qa(
    examples: QAExamples, tokenizer: Any, max_length: int, doc_stride: int = 128,
    *, with_positions: bool = True,
) -> QAEncoded:
    """Question + context windows of at most ``max_length`` tokens, ``doc_stride`` tokens shared.

    Steps: (1) questions longer than half the room are cut (rare; counted in
    ``num_at_max_length``); (2) the overlap is shrunk where a question leaves
    less than twice ``doc_stride`` for the context, so windows always advance;
    (3) the tokenizer cuts the contexts (``truncation="only_second"`` with
    overflowing tokens); (4) each window gets the answer's token positions, or
    (0, 0) when it does not hold the whole first gold answer or there is none.
    """
    check_tokenizer(tokenizer)
    specials = tokenizer.num_special_tokens_to_add(pair=True)
    room = max_length - specials
    if room < 2:
        raise ConfigError(
            f"max_length {max_length} is too short for question answering: the special tokens "
            f"alone take {specials}. Use at least 64 (384 is usual)."
        )
    # 1. questions (leading spaces carry nothing and some SQuAD questions have many)
    questions = [q.lstrip() for q in examples.texts]
    contexts = examples.contexts
    max_question = room // 2
    q_enc = tokenizer(questions, add_special_tokens=False, return_offsets_mapping=True)
    cut = 0
    strides: list[int] = []
    for i, ids in enumerate(q_enc["input_ids"]):
        if len(ids) > max_question:
            questions[i] = questions[i][: q_enc["offset_mapping"][i][max_question - 1][1]]
            cut += 1
        # 2. the overlap must leave each window some new context tokens
        context_room = room - min(len(ids), max_question)
        strides.append(max(0, min(doc_stride, context_room // 2)))
    # 3. windows, one tokenizer call per distinct overlap (one call in the usual case)
    by_stride: dict[int, list[int]] = collections.defaultdict(list)
    for i, s in enumerate(strides):
        by_stride[s].append(i)
    windows: list[tuple[int, dict[str, Any], list[tuple[int, int] | None]]] = []
    for stride, members in by_stride.items():
        enc = tokenizer(
            [questions[i] for i in members], [contexts[i] for i in members],
            truncation="only_second", max_length=max_length, stride=stride,
            return_overflowing_tokens=True, return_offsets_mapping=True,
        )
        for w, ids in enumerate(enc["input_ids"]):
            example = members[enc["overflow_to_sample_mapping"][w]]
            sequence = enc.sequence_ids(w)
            offsets = [tuple(o) if s == 1 else None for o, s in zip(enc["offset_mapping"][w], sequence)]
            feature: dict[str, Any] = {"input_ids": ids}
            if "token_type_ids" in enc:
                feature["token_type_ids"] = enc["token_type_ids"][w]
            windows.append((example, feature, offsets))  # type: ignore[arg-type]
    windows.sort(key=lambda t: t[0])  # stable: windows of an example stay in context order
    # 4. labels: the answer's tokens, or position 0 ([CLS]) for "no answer in this window"
    features, example_index, all_offsets = [], [], []
    for example, feature, offsets in windows:
        if with_positions:
            answers = examples.answers[example]
            span = None
            if answers:
                gold = answers[0]  # the first gold answer trains, as in SQuAD's own recipe
                span = _span_tokens(offsets, gold.start, gold.start + len(gold.text))
            feature["start_positions"], feature["end_positions"] = span or (0, 0)
        features.append(feature)
        example_index.append(example)
        all_offsets.append(offsets)
    lengths = [len(f["input_ids"]) for f in features]
    return QAEncoded(
        features, lengths, cut, examples=examples, example_index=example_index,
        offsets=all_offsets, strides=strides,
    )


# =========================================================================== post-processing


@dataclass(frozen=True)
class SpanPrediction:
    """The answer to one question, with what the null decision was based on."""

    answer: str  # "" = no answer
    start: int | None  # character offsets in the context; None when there is no answer
    end: int | None
    no_answer: bool
    score: float  # start + end logit of the best span (-inf when no span was possible)
    null_score: float  # start + end logit of position 0, the lowest over the windows
    probability: float  # softmax over the null answer and the n-best spans, of what is returned
    best_text: str  # the best span even when "no answer" won (for threshold tuning)
    best_start: int | None
    best_end: int | None

    @property
    def null_diff(self) -> float:
        """How much null beats the best span; "no answer" when above the threshold."""
        return self.null_score - self.score

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "start": self.start,
            "end": self.end,
            "no_answer": self.no_answer,
            "score": self.score if math.isfinite(self.score) else None,
            "null_score": self.null_score,
            "probability": self.probability,
            "best_span": {"text": self.best_text, "start": self.best_start, "end": self.best_end},
        }


def _window_candidates(
    start_logits: np.ndarray, end_logits: np.ndarray, offsets: list[tuple[int, int] | None],
    n_best: int, max_answer_tokens: int,
) -> list[tuple[float, int, int]]:
    """(score, start char, end char) of the valid spans among the n-best starts and ends."""
    inside = np.array([i for i, o in enumerate(offsets) if o is not None], dtype=np.int64)
    if inside.size == 0:
        return []
    k = min(n_best, inside.size)
    # Candidates among context tokens only: a top-20 over all positions can be all question tokens.
    starts = inside[np.argsort(-start_logits[inside], kind="stable")[:k]]
    ends = inside[np.argsort(-end_logits[inside], kind="stable")[:k]]
    out = []
    for i in starts:
        for j in ends:
            if j < i or j - i + 1 > max_answer_tokens:
                continue
            out.append((float(start_logits[i] + end_logits[j]), offsets[i][0], offsets[j][1]))  # type: ignore[index]
    return out


def best_span(
    context: str,
    start_logits: Sequence[np.ndarray],
    end_logits: Sequence[np.ndarray],
    offsets: Sequence[list[tuple[int, int] | None]],
    *,
    null_threshold: float = 0.0,
    n_best: int = N_BEST,
    max_answer_tokens: int = MAX_ANSWER_TOKENS,
) -> SpanPrediction:
    """The answer to one question from the logits of all its windows (1-D arrays, one per window)."""
    null_score = math.inf
    candidates: dict[tuple[int, int], float] = {}
    for s, e, o in zip(start_logits, end_logits, offsets):
        s, e = np.asarray(s, dtype=np.float64), np.asarray(e, dtype=np.float64)
        null_score = min(null_score, float(s[0] + e[0]))  # the most confident "no answer" window
        for score, a, b in _window_candidates(s, e, o, n_best, max_answer_tokens):
            if score > candidates.get((a, b), -math.inf):  # overlapping windows see a span twice
                candidates[(a, b)] = score
    ranked = sorted(candidates.items(), key=lambda kv: -kv[1])[:n_best]
    if not ranked:
        return SpanPrediction("", None, None, True, -math.inf, null_score, 1.0, "", None, None)
    (a, b), score = ranked[0]
    no_answer = null_score - score > null_threshold
    # Probabilities as in BERT's n-best output: a softmax over the kept candidates.
    scores = np.array([null_score] + [v for _, v in ranked])
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    if no_answer:
        return SpanPrediction("", None, None, True, score, null_score, float(probs[0]), context[a:b], a, b)
    return SpanPrediction(context[a:b], a, b, False, score, null_score, float(probs[1]), context[a:b], a, b)


def postprocess(
    encoded: QAEncoded,
    start_logits: Sequence[np.ndarray],
    end_logits: Sequence[np.ndarray],
    *,
    null_threshold: float = 0.0,
    n_best: int = N_BEST,
    max_answer_tokens: int = MAX_ANSWER_TOKENS,
) -> list[SpanPrediction]:
    """One prediction per example from per-window logits (``start_logits[w]``: (T_w,))."""
    assert encoded.examples is not None
    windows: dict[int, list[int]] = collections.defaultdict(list)
    for w, example in enumerate(encoded.example_index):
        windows[example].append(w)
    out = []
    for example, context in enumerate(encoded.examples.contexts):
        ws = windows[example]
        out.append(best_span(
            context, [start_logits[w] for w in ws], [end_logits[w] for w in ws],
            [encoded.offsets[w] for w in ws],
            null_threshold=null_threshold, n_best=n_best, max_answer_tokens=max_answer_tokens,
        ))
    return out


# =========================================================================== scoring
# The official SQuAD v2.0 evaluation script, function for function.

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation)


def normalize_answer(s: str) -> str:
    """Lower text and remove punctuation, articles and extra whitespace."""
    text = s.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def get_tokens(s: str) -> list[str]:
    if not s:
        return []
    return normalize_answer(s).split()


def compute_exact(a_gold: str, a_pred: str) -> int:
    return int(normalize_answer(a_gold) == normalize_answer(a_pred))


def compute_f1(a_gold: str, a_pred: str) -> float:
    gold_toks = get_tokens(a_gold)
    pred_toks = get_tokens(a_pred)
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    num_same = sum(common.values())
    if len(gold_toks) == 0 or len(pred_toks) == 0:
        # If either is no-answer, then F1 is 1 if they agree, 0 otherwise.
        return float(gold_toks == pred_toks)
    if num_same == 0:
        return 0.0
    precision = num_same / len(pred_toks)
    recall = num_same / len(gold_toks)
    return (2 * precision * recall) / (precision + recall)


def gold_texts(answers: Sequence[str]) -> list[str]:
    """The answers the script scores against: the non-empty ones, or [""] when there are none."""
    return [a for a in answers if normalize_answer(a)] or [""]


def score_answer(answers: Sequence[str], prediction: str) -> tuple[int, float]:
    """(exact, F1) of one prediction: the best over the gold answers."""
    golds = gold_texts(answers)
    return max(compute_exact(a, prediction) for a in golds), max(compute_f1(a, prediction) for a in golds)


def best_threshold(
    span_scores: Sequence[float], null_scores: Sequence[float], null_diffs: Sequence[float]
) -> tuple[float, float]:
    """(best mean score, threshold) over all null thresholds: the script's ``find_best_thresh``.

    ``span_scores[i]``/``null_scores[i]``: the example's score if it answers with
    its best span / with "". At threshold t an example answers "" when its
    ``null_diff`` > t. The sweep starts from "" everywhere and switches examples
    to their span in order of increasing ``null_diff`` (ties together). The
    threshold returned lies halfway to the next example's ``null_diff``: the same
    decisions as the script's (which returns the last switched example's own
    value), but float noise at that boundary cannot flip the example.
    """
    n = len(span_scores)
    if n == 0:
        return 0.0, 0.0
    current = sum(null_scores)
    best = current
    finite = sorted((d, i) for i, d in enumerate(null_diffs) if math.isfinite(d))
    threshold = finite[0][0] - 1.0 if finite else 0.0  # below every diff: all ""
    k = 0
    while k < len(finite):
        diff = finite[k][0]
        while k < len(finite) and finite[k][0] == diff:
            i = finite[k][1]
            current += span_scores[i] - null_scores[i]
            k += 1
        if current > best:
            best = current
            threshold = (diff + finite[k][0]) / 2 if k < len(finite) else diff + 1.0
    return best / n, threshold


def squad_metrics(answers: Sequence[Sequence[str]], predictions: Sequence[SpanPrediction]) -> dict[str, Any]:
    """``eval_exact``, ``eval_f1``, the has-answer / no-answer parts and the best-threshold scores.

    ``answers[i]``: the gold answer texts of example i ([] = unanswerable).
    """
    n = len(predictions)
    exact: list[float] = []
    f1: list[float] = []
    span_exact, span_f1, null_exact, null_f1 = [], [], [], []
    for golds, pred in zip(answers, predictions):
        e, f = score_answer(golds, pred.answer)
        exact.append(e)
        f1.append(f)
        # What the example would score with its best span and with "", for the threshold sweep.
        se, sf = score_answer(golds, pred.best_text)
        ne, nf = score_answer(golds, "")
        span_exact.append(se)
        span_f1.append(sf)
        null_exact.append(ne)
        null_f1.append(nf)
    has = [i for i in range(n) if answers[i]]
    no = [i for i in range(n) if not answers[i]]
    metrics: dict[str, Any] = {
        "eval_exact": sum(exact) / n if n else 0.0,
        "eval_f1": sum(f1) / n if n else 0.0,
    }
    if has:
        metrics["eval_has_ans_exact"] = sum(exact[i] for i in has) / len(has)
        metrics["eval_has_ans_f1"] = sum(f1[i] for i in has) / len(has)
    if no:
        # For an unanswerable question exact and F1 agree: 1 for "", else 0.
        metrics["eval_no_ans_exact"] = sum(exact[i] for i in no) / len(no)
    metrics["eval_has_ans_total"] = len(has)
    metrics["eval_no_ans_total"] = len(no)
    diffs = [p.null_diff for p in predictions]
    metrics["eval_best_exact"], metrics["eval_best_exact_thresh"] = best_threshold(span_exact, null_exact, diffs)
    metrics["eval_best_f1"], metrics["eval_best_f1_thresh"] = best_threshold(span_f1, null_f1, diffs)
    return metrics


# =========================================================================== model


def _forward_windows(
    model: Any, tokenizer: Any, encoded: QAEncoded, batch_size: int, device: Any, precision: str,
) -> tuple[list[np.ndarray], list[np.ndarray], float | None]:
    """Start/end logits per window (trimmed to its length) and the mean loss when labelled."""
    import torch


    n = len(encoded)
    starts: list[np.ndarray] = [np.zeros(0)] * n
    ends: list[np.ndarray] = [np.zeros(0)] * n
    loss_sum, counted = 0.0, 0
    with torch.inference_mode():
        for indices in eval_batches(encoded, batch_size):
            batch = pad_eval_batch(encoded, indices, tokenizer, left=False)  # the answer positions count from 0
            with autocast_context(device, precision):
                out = model(**move(batch, device))
            if getattr(out, "loss", None) is not None:
                loss_sum += float(out.loss) * len(indices)
                counted += len(indices)
            s = out.start_logits.float().cpu().numpy()  # (B, T)
            e = out.end_logits.float().cpu().numpy()  # (B, T)
            for row, i in enumerate(indices):
                length = encoded.lengths[i]
                starts[i], ends[i] = s[row, :length], e[row, :length]
    return starts, ends, (loss_sum / counted if counted else None)


def evaluate_qa(
    model: Any, tokenizer: Any, encoded: QAEncoded, *, batch_size: int = 64, device: Any = None,
    precision: str = "fp32", null_threshold: float = 0.0,
) -> EvalResult:
    """SQuAD metrics (and the loss) of ``model`` on encoded windows; one prediction per question."""
    assert encoded.examples is not None
    device = device or next(model.parameters()).device
    starts, ends, loss = _forward_windows(model, tokenizer, encoded, batch_size, device, precision)
    predictions = postprocess(encoded, starts, ends, null_threshold=null_threshold)
    examples = encoded.examples
    metrics = squad_metrics([[a.text for a in answers] for answers in examples.answers], predictions)
    if loss is not None:
        metrics = {"eval_loss": loss, **metrics}
    metrics["eval_null_threshold"] = null_threshold
    metrics["eval_examples"] = len(examples)
    metrics["eval_windows"] = len(encoded)
    rows = []
    for i, pred in enumerate(predictions):
        row = {"id": examples.ids[i], "question": examples.texts[i], **pred.to_dict()}
        row["exact"], row["f1"] = score_answer([a.text for a in examples.answers[i]], pred.answer)
        rows.append(row)
    return EvalResult(metrics, qa_predictions=rows)


def answer_rows(examples: QAExamples, result: EvalResult) -> list[list[Any]]:
    """CSV rows for ``workbench eval --predictions``: one per question."""
    rows: list[list[Any]] = [[
        "id", "title", "question", "gold_answers", "predicted", "no_answer", "exact", "f1",
        "score", "null_score", "start", "end",
    ]]
    for i, pred in enumerate(result.qa_predictions):
        golds = " | ".join(dict.fromkeys(a.text for a in examples.answers[i]))
        rows.append([
            examples.ids[i], examples.titles[i], examples.texts[i], golds, pred["answer"],
            int(pred["no_answer"]), pred["exact"], pred["f1"], pred["score"], pred["null_score"],
            pred["start"], pred["end"],
        ])
    return rows


def answer_question(
    predictor: Predictor, question: str, context: str, *, null_threshold: float | None = None,
    batch_size: int = 32,
) -> dict[str, Any]:
    """The answer to ``question`` in ``context``: text, character span, scores, or "no answer".

    ``null_threshold`` defaults to the predictor's (stored with the model when it
    was tuned on validation data, else 0).
    """
    if not question.strip():
        raise ConfigError("ask a question: the question is empty.")
    if not context.strip():
        raise ConfigError("give a context (the text to find the answer in): it is empty.")
    threshold = predictor.null_threshold if null_threshold is None else float(null_threshold)
    encoded = encode_qa(
        QAExamples.single(question, context), predictor.tokenizer, predictor.max_length,
        predictor.doc_stride, with_positions=False,
    )
    starts, ends, _ = _forward_windows(
        predictor.model, predictor.tokenizer, encoded, batch_size, predictor.device, "fp32"
    )
    prediction = postprocess(encoded, starts, ends, null_threshold=threshold)[0]
    return {"question": question, **prediction.to_dict(), "null_threshold": threshold,
            "windows": len(encoded)}


# --------------------------------------------------------------------------- the task


def _sample_doc() -> str:
    """Three one-paragraph articles (the validation split takes whole articles)."""
    facts = [("Paris", "Paris is the capital of France. It lies on the Seine.", "What is the capital of France?",
              "Paris", 0),
             ("Nile", "The Nile is a river in Africa. It flows north.", "Where is the Nile?", "Africa", 23),
             ("Moon", "The Moon orbits the Earth. It has no air.", "What does the Moon orbit?", "the Earth", 16)]
    data = []
    for title, context, question, answer, start in facts:
        assert context[start:start + len(answer)] == answer
        qas = [{"id": f"{title}-{i}", "question": question, "is_impossible": False,
                "answers": [{"text": answer, "answer_start": start}]} for i in range(4)]
        data.append({"title": title, "paragraphs": [{"context": context, "qas": qas}]})
    return json.dumps({"version": "v2.0", "data": data})


@register
class QuestionAnswering(Task):
    name = TASK
    display_name = "extractive question answering"
    hub_pipeline_tag = "question-answering"
    card_use_and_limits = (
        "Answers a question with a span copied from the given context, or with nothing when it judges "
        "the context holds no answer. It knows nothing beyond the context and does not reason across "
        "documents; a confident answer can still be wrong, so show users the passage it came from."
    )
    order = 60
    auto_class_name = "AutoModelForQuestionAnswering"  # a span head: start/end logits
    truncates = False  # long contexts are windowed (doc_stride), not cut
    windows_inputs = True
    fixed_columns = True  # complete_mapping: question and context, whatever the user chose
    answers_questions = True
    onnx_outputs = ("start_logits", "end_logits")  # (B, T) each
    default_max_length = DEFAULT_MAX_LENGTH  # a SQuAD paragraph fits one window
    writes_predictions = True
    eval_forward_with_labels = True  # the model scores the loss from start/end positions
    headline = Metric("eval_f1")  # SQuAD's headline figure
    best = Metric("eval_f1")
    summary_metrics = ("eval_f1", "eval_exact")
    architecture_suffixes = ("ForQuestionAnswering",)
    sample = TaskSample(
        "train.json", _sample_doc(), predict_texts=("What is the capital of France?",),
        predict_options={"context": "Paris is the capital of France."},
        config={"max_length": 48, "doc_stride": 16, "validation_fraction": 0.34},
    )
    # A question and its context; the answers ride along in each row (``build_qa_examples``).
    roles = ColumnRoles(("question",), pair=True, conll=False)

    def claims_table(self, table: Table) -> bool:
        return table.format == "squad"

    def check_format(self, table: Table) -> None:
        check_squad(table)

    def complete_mapping(
        self, table: Table, *, text: str | None = None, text_pair: str | None = None, label: str | None = None
    ) -> ColumnMapping:
        check_squad(table)
        return ColumnMapping("question", "context", None)  # fixed columns: the user's choice does not apply

    def build_examples(
        self, table: Table, mapping: ColumnMapping | None = None, label_names: Sequence[str] | None = None, *,
        label_separator: str = "|",
    ) -> QAExamples:
        return build_qa_examples(table)

    def split(self, examples: Examples, fraction: float, seed: int) -> tuple[Examples, Examples]:
        return split_by_article(examples, fraction)  # type: ignore[arg-type]  # whole articles: see there why

    def encode(self, examples: Examples, tokenizer: Any, max_length: int, *, doc_stride: int = 128) -> Encoded:
        return encode_qa(examples, tokenizer, max_length, doc_stride)  # type: ignore[arg-type]

    def tokenizer_texts(self, examples: Examples) -> list[str]:
        """The questions and each distinct context once: the tokenizer must know the contexts' words too."""
        return examples.texts + list(dict.fromkeys(examples.text_pairs or []))

    def evaluate(self, model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
        return evaluate_qa(model, tokenizer, encoded, batch_size=options.batch_size,  # type: ignore[arg-type]
                           device=options.device, precision=options.precision,
                           null_threshold=options.null_threshold)

    def saved_meta(
        self, config: Any, label_names: Sequence[str], result: EvalResult | None, state: Any
    ) -> dict[str, Any]:
        """The windows' overlap, and the null threshold tuned on the latest validation (official best_f1_thresh)."""
        meta: dict[str, Any] = {"doc_stride": config.doc_stride}
        metrics = result.metrics if result is not None else {}
        if "eval_best_f1_thresh" in metrics:
            meta["null_threshold"] = float(metrics["eval_best_f1_thresh"])
        return meta

    def prediction_table(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str], *, tokenizer: Any = None,
        max_length: int | None = None, label_separator: str = "|",
    ) -> list[list[Any]]:
        return answer_rows(examples, result)  # type: ignore[arg-type]

    def configure_predictor(self, predictor: Predictor, meta: Any) -> None:
        predictor.doc_stride = int(meta.get("doc_stride", predictor.doc_stride))
        predictor.null_threshold = float(meta.get("null_threshold", 0.0))

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        """Each text is a question about ``context`` (an option); without one there is nothing to answer from."""
        context = options.get("context")
        if context is None:
            raise ModelError(
                "a question-answering model needs a question and a context: use predict_answer "
                "(workbench predict RUN --question ... --context ...)."
            )
        return [answer_question(predictor, text, context) for text in texts]

    def result_line(self, result: Mapping[str, Any]) -> str:
        """One line: the answer with its span and score, or "no answer" with the null score."""
        if result["no_answer"]:
            best = result["best_span"]
            also = f"; best span {best['text']!r} scored {result['score']:.2f}" if best["text"] else ""
            return f"(no answer in this context)\tnull score {result['null_score']:.2f}{also}"
        return (
            f"{result['answer']}\t(characters {result['start']}-{result['end']}, score {result['score']:.2f}, "
            f"probability {result['probability']:.3f}, null score {result['null_score']:.2f})"
        )
