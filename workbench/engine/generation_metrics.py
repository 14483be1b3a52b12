"""Metrics for generated text (translation, summarisation, dialogue), from the libraries people cite.

- ``bleu`` and ``chrf``: sacreBLEU's corpus BLEU (its ``zh`` tokenizer for Chinese, ``13a``
  otherwise) and chrF, 0..100.
- ``rouge1``, ``rouge2``, ``rougeL``: rouge-score's F-measure, the best reference per example (as
  its ``score_multi`` picks it), averaged over examples, x100 like sacreBLEU. English: its default
  tokenizer with the Porter stemmer; Chinese: characters (its default tokenizer drops non-ASCII).
- ``exact_match``: share of predictions equal to one of their references after whitespace
  normalisation, x100.
- ``distinct1``, ``distinct2`` (dialogue): distinct n-grams / all n-grams over all predictions,
  a ratio in 0..1; ``avg_length``: tokens per prediction. Tokens are characters for Chinese and
  whitespace words otherwise.

References come as a list per prediction; the lists may differ in length. Chinese is detected
from the references unless ``lang`` says it.

sacrebleu and rouge_score are imported inside the functions: importing this module (the GUI does
at start-up) costs neither. No torch.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine.data.stats import CJK_CHARS

if TYPE_CHECKING:
    from sacrebleu.metrics.base import Metric


@dataclass(frozen=True)
class MetricInfo:
    """How a metric is shown: its display name and which direction is better."""

    display_name: str
    greater_is_better: bool = True


METRIC_NAMES: dict[str, MetricInfo] = {
    "bleu": MetricInfo("BLEU"),
    "chrf": MetricInfo("chrF"),
    "rouge1": MetricInfo("ROUGE-1"),
    "rouge2": MetricInfo("ROUGE-2"),
    "rougeL": MetricInfo("ROUGE-L"),
    "exact_match": MetricInfo("Exact match"),
    "distinct1": MetricInfo("Distinct-1"),
    "distinct2": MetricInfo("Distinct-2"),
    "avg_length": MetricInfo("Average length"),
}

# On sacreBLEU's 0..100 scale, as papers and model cards quote them (the other tasks' metrics,
# scikit-learn's, are fractions 0..1): a chrF of 0.8 is almost nothing, not 80 %.
PERCENT_METRICS = frozenset({"bleu", "chrf", "rouge1", "rouge2", "rougeL", "exact_match"})

DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "rouge1", "rouge2", "rougeL", "exact_match")
# Dialogue adds diversity and length: a model that answers "I don't know" to everything can
# score well on overlap metrics.
DIALOGUE_METRICS: tuple[str, ...] = DEFAULT_METRICS + ("distinct1", "distinct2", "avg_length")

_SACREBLEU_METRICS = ("bleu", "chrf")
_ROUGE_METRICS = ("rouge1", "rouge2", "rougeL")
_DISTINCT_ORDER = {"distinct1": 1, "distinct2": 2}
_SENTENCE_METRICS = ("chrf",) + _ROUGE_METRICS

References = Sequence[Sequence[str]]


def is_chinese(texts: Sequence[str]) -> bool:
    """Whether most letters in ``texts`` are CJK characters (written without spaces between words).

    Digits, punctuation and spaces do not count either way; no letters at all is not Chinese.
    """
    cjk = letters = 0
    for text in texts:
        cjk += len(CJK_CHARS.findall(text))
        letters += sum(char.isalpha() for char in text)
    return cjk * 2 > letters > 0


def corpus_scores(
    predictions: Sequence[str],
    references: References,
    *,
    lang: str | None = None,
    metrics: Sequence[str] = DEFAULT_METRICS,
) -> dict[str, float]:
    """Corpus-level ``metrics`` (keys of ``METRIC_NAMES``) of ``predictions`` against ``references``.

    ``references[i]`` lists the references of ``predictions[i]`` (a plain string counts as one);
    ``lang``: ``"zh"`` (or a ``"zh-..."`` tag) for Chinese, any other code for text with spaces
    between words, ``None`` to detect it from the references. The dict follows ``metrics``' order.
    """
    _check_metric_names(metrics, METRIC_NAMES)
    refs = _reference_lists(predictions, references)
    chinese = _is_chinese_lang(lang, refs)
    scores: dict[str, float] = {}
    for name in metrics:
        if name in scores:  # a ROUGE type computed with the others
            continue
        if name in _SACREBLEU_METRICS:
            metric = _sacrebleu_metric(name, chinese)
            scores[name] = float(metric.corpus_score(list(predictions), _reference_streams(refs)).score)
        elif name in _ROUGE_METRICS:
            # One scorer for the three ROUGE types: tokenising once per example, not per type.
            rouge = _rouge_values(predictions, refs, chinese, [m for m in metrics if m in _ROUGE_METRICS])
            scores.update({key: float(values.mean()) for key, values in rouge.items()})
        elif name in _DISTINCT_ORDER:
            _, ngram_ids = _ngram_occurrences(predictions, _DISTINCT_ORDER[name], chinese)
            scores[name] = len(np.unique(ngram_ids)) / len(ngram_ids) if len(ngram_ids) else 0.0
        else:
            scores[name] = float(_example_values(name, predictions, refs, chinese).mean())
    return {name: scores[name] for name in metrics}


def sentence_score(
    prediction: str, references: Sequence[str], *, lang: str | None = None, metric: str = "chrf"
) -> float:
    """One example's ``metric`` (``"chrf"``, ``"rouge1"``, ``"rouge2"`` or ``"rougeL"``), 0..100.

    For per-example tables, sorted worst first: sentence-level BLEU is too coarse for that.
    Pass the corpus's ``lang``; detecting it per sentence can disagree on mixed text.
    """
    _check_metric_names([metric], _SENTENCE_METRICS)
    refs = _reference_lists([prediction], [references])
    chinese = _is_chinese_lang(lang, refs)
    if metric == "chrf":
        return float(_sacrebleu_metric("chrf", chinese).sentence_score(prediction, refs[0]).score)
    return float(_rouge_values([prediction], refs, chinese, [metric])[metric][0])


def bootstrap_interval(
    predictions: Sequence[str],
    references: References,
    metric: str,
    *,
    lang: str | None = None,
    samples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """A percentile bootstrap interval of corpus ``metric``: examples resampled with replacement.

    Every metric is recomputed from per-example statistics weighted by how often each example
    was drawn (sacreBLEU's own bootstrap does the same with its sentence statistics), so 1,000
    samples of 1,000 examples take well under a second. Distinct-n is not a sum over examples;
    see ``_distinct_shares`` for how it is resampled.
    """
    _check_metric_names([metric], METRIC_NAMES)
    if samples < 1:
        raise ValueError(f"samples must be at least 1, not {samples}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence}")
    refs = _reference_lists(predictions, references)
    chinese = _is_chinese_lang(lang, refs)
    rng = np.random.default_rng(seed)
    n = len(refs)
    # Row s: how many times resample s drew each example (the same law as drawing n indices).
    weights = rng.multinomial(n, np.full(n, 1.0 / n), size=samples).astype(np.float64)
    values = _resampled_scores(metric, predictions, refs, chinese, weights)
    tail = (1.0 - confidence) / 2.0 * 100.0
    low, high = np.percentile(values, [tail, 100.0 - tail])
    return float(low), float(high)


def _resampled_scores(
    metric: str, predictions: Sequence[str], refs: list[list[str]], chinese: bool, weights: np.ndarray
) -> np.ndarray:
    """``metric`` of each resample, a row of ``weights`` giving each example's multiplicity."""
    if metric in _SACREBLEU_METRICS:
        scorer = _sacrebleu_metric(metric, chinese)
        # sacreBLEU has no public per-sentence statistics; these two methods are what its own
        # significance tests use (pinned below 3 in pyproject; a test checks the sum against
        # corpus_score).
        stats = np.asarray(
            scorer._extract_corpus_statistics(list(predictions), _reference_streams(refs)),
            dtype=np.float64,
        )
        totals = np.rint(weights @ stats).astype(np.int64)
        return np.array([scorer._compute_score_from_stats(row.tolist()).score for row in totals])
    if metric in _DISTINCT_ORDER:
        shares, counts = _distinct_shares(predictions, _DISTINCT_ORDER[metric], chinese)
        totals = weights @ counts
        return np.divide(weights @ shares, totals, out=np.zeros(len(weights)), where=totals > 0)
    if metric in _ROUGE_METRICS:
        values = _rouge_values(predictions, refs, chinese, [metric])[metric]
    else:
        values = _example_values(metric, predictions, refs, chinese)
    # A weighted mean: every resample has exactly n examples.
    return weights @ values / len(values)


def _check_metric_names(names: Sequence[str], known: Collection[str]) -> None:
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown metric {', '.join(map(repr, unknown))}; known: {', '.join(known)}")


def _reference_lists(predictions: Sequence[str], references: References) -> list[list[str]]:
    """``references`` as one non-empty list per prediction; a bare string is one reference."""
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions but {len(references)} reference lists")
    if not predictions:
        raise ValueError("no predictions to score")
    lists = [[refs] if isinstance(refs, str) else list(refs) for refs in references]
    missing = [i for i, refs in enumerate(lists) if not refs]
    if missing:
        raise ValueError(f"{len(missing)} examples have no reference (the first is example {missing[0]})")
    return lists


def _reference_streams(refs: list[list[str]]) -> list[list[str | None]]:
    """sacreBLEU's layout: stream j holds every example's j-th reference.

    Examples with fewer references are padded with ``None``, which sacreBLEU drops per segment;
    an empty string would count as a real (empty) reference and skew BLEU's closest length.
    """
    count = max(len(example) for example in refs)
    return [[example[j] if j < len(example) else None for example in refs] for j in range(count)]


def _is_chinese_lang(lang: str | None, refs: list[list[str]]) -> bool:
    if lang is None:
        return is_chinese([text for example in refs for text in example])
    return lang.lower().startswith("zh")


def _sacrebleu_metric(name: str, chinese: bool) -> Metric:
    from sacrebleu.metrics import BLEU, CHRF

    if name == "bleu":
        # force: generated text ending in " ." is not a sign of pre-tokenised input here; only
        # silences sacreBLEU's warning, the score is the same.
        return BLEU(tokenize="zh" if chinese else "13a", force=True)
    # chrF works on characters (spaces removed) in every language.
    return CHRF()


class _CharacterTokenizer:
    """rouge-score tokenizer for Chinese: every non-space character, lower-cased as its default does."""

    def tokenize(self, text: str) -> list[str]:
        return _characters(text.lower())


def _rouge_values(
    predictions: Sequence[str], refs: list[list[str]], chinese: bool, types: list[str]
) -> dict[str, np.ndarray]:
    """Per-example ROUGE F-measure x100 for each of ``types``, the best reference per type."""
    from rouge_score.rouge_scorer import RougeScorer

    tokenizer: Any = _CharacterTokenizer() if chinese else None
    # Stemming applies to the default (English) tokenizer only.
    scorer = RougeScorer(types, use_stemmer=not chinese, tokenizer=tokenizer)
    values = {name: np.empty(len(refs)) for name in types}
    for i, (prediction, example_refs) in enumerate(zip(predictions, refs)):
        best = scorer.score_multi(example_refs, prediction)
        for name in types:
            values[name][i] = best[name].fmeasure * 100.0
    return values


def _example_values(
    name: str, predictions: Sequence[str], refs: list[list[str]], chinese: bool
) -> np.ndarray:
    """Per-example values of a metric that is their mean: ``exact_match`` or ``avg_length``."""
    if name == "exact_match":
        return np.array(
            [
                100.0 if _normalised(p, chinese) in {_normalised(r, chinese) for r in example} else 0.0
                for p, example in zip(predictions, refs)
            ]
        )
    return np.array([len(_tokens(p, chinese)) for p in predictions], dtype=np.float64)


def _normalised(text: str, chinese: bool) -> str:
    # Chinese data often separates characters with spaces (LCCC) and models may or may not.
    return "".join(text.split()) if chinese else " ".join(text.split())


def _characters(text: str) -> list[str]:
    return [char for char in text if not char.isspace()]


def _tokens(text: str, chinese: bool) -> list[str]:
    return _characters(text) if chinese else text.split()


def _ngram_occurrences(
    predictions: Sequence[str], n: int, chinese: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Every n-gram occurrence in ``predictions`` as (example index, n-gram id) arrays."""
    ids: dict[tuple[str, ...], int] = {}
    example_ids: list[int] = []
    ngram_ids: list[int] = []
    for i, prediction in enumerate(predictions):
        tokens = _tokens(prediction, chinese)
        for start in range(len(tokens) - n + 1):
            example_ids.append(i)
            ngram_ids.append(ids.setdefault(tuple(tokens[start : start + n]), len(ids)))
    return np.array(example_ids, dtype=np.int64), np.array(ngram_ids, dtype=np.int64)


def _distinct_shares(predictions: Sequence[str], n: int, chinese: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per example: its share of the distinct n-grams, and its number of n-grams.

    Distinct-n depends on corpus size: resampling with replacement repeats predictions, whose
    n-grams are then never new, so recomputing it per resample lowers it by construction (a
    corpus at 0.65 gave a 0.43-0.46 interval). Instead each occurrence carries 1/count of its
    n-gram, counted once on the whole corpus; the shares sum to the distinct count, so the ratio
    of sums equals distinct-n on the original sample and resamples vary around it.
    """
    example_ids, ngram_ids = _ngram_occurrences(predictions, n, chinese)
    credit = 1.0 / np.bincount(ngram_ids)[ngram_ids] if len(ngram_ids) else np.zeros(0)
    shares = np.bincount(example_ids, weights=credit, minlength=len(predictions))
    counts = np.bincount(example_ids, minlength=len(predictions)).astype(np.float64)
    return shares, counts
