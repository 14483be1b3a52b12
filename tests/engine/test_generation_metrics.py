"""Tests for workbench.engine.generation_metrics: equal to sacreBLEU and rouge-score called directly.

English and Chinese (tatoeba_en_zh pairs), several references of different counts per example,
empty outputs; distinct-n and average length by hand; the bootstrap interval.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import defaultdict

import numpy as np
import pytest
import sacrebleu
from rouge_score import rouge_scorer, tokenizers
from sacrebleu.metrics import BLEU

from tests.conftest import shared
from workbench.engine import generation_metrics as gm
from workbench.engine.generation_metrics import (
    DEFAULT_METRICS,
    DIALOGUE_METRICS,
    METRIC_NAMES,
    bootstrap_interval,
    corpus_scores,
    is_chinese,
    sentence_score,
)

EN_PREDICTIONS = [
    "The cat sat on the mat.",
    "A quick brown fox jumps over the lazy dog",
    "He is reading books in the library.",
    "It was raining heavily yesterday",
]
EN_REFERENCES = [
    ["The cat is sitting on the mat."],
    ["The quick brown fox jumped over the lazy dog."],
    ["He reads a book in the library."],
    ["Yesterday it rained a lot."],
]
ROUGE_TYPES = ["rouge1", "rouge2", "rougeL"]


class _Characters(tokenizers.Tokenizer):
    """The reference definition for Chinese ROUGE: one token per non-space character."""

    def tokenize(self, text: str) -> list[str]:
        return [c for c in text.lower() if not c.isspace()]


def _rouge_direct(predictions: list[str], references: list[list[str]], chinese: bool) -> dict[str, float]:
    scorer = rouge_scorer.RougeScorer(
        ROUGE_TYPES, use_stemmer=not chinese, tokenizer=_Characters() if chinese else None
    )
    per_example = [scorer.score_multi(refs, p) for p, refs in zip(predictions, references)]
    return {t: 100 * float(np.mean([s[t].fmeasure for s in per_example])) for t in ROUGE_TYPES}


def _streams(references: list[list[str]]) -> list[list[str | None]]:
    """sacreBLEU's stream layout, written out here independently of the module."""
    count = max(map(len, references))
    return [[refs[j] if j < len(refs) else None for refs in references] for j in range(count)]


@pytest.fixture(scope="module")
def tatoeba_groups() -> list[tuple[str, list[str]]]:
    """English sentence -> its Chinese translations (adjacent rows), in file order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for line in shared("tatoeba_en_zh", "cmn.txt").read_text(encoding="utf-8").splitlines():
        english, chinese = line.split("\t")[:2]
        groups[english].append(chinese)
    return list(groups.items())


def _zh_corpus(groups: list[tuple[str, list[str]]], n: int, seed: int = 0) -> tuple[list[str], list[list[str]]]:
    """``n`` examples: references are a group's translations; the prediction is a truncated
    reference, another sentence's translation, or exact (a fixed mix of good and bad outputs)."""
    rng = random.Random(seed)
    chosen = rng.sample(groups, n)
    predictions = []
    for _, refs in chosen:
        kind = rng.random()
        if kind < 0.3:
            predictions.append(rng.choice(groups)[1][0])
        elif kind < 0.8:
            predictions.append(refs[0][: max(1, len(refs[0]) - 2)])
        else:
            predictions.append(refs[-1])
    return predictions, [refs for _, refs in chosen]


# --------------------------------------------------------------------------------------
# Equal to the libraries
# --------------------------------------------------------------------------------------


def test_english_equals_sacrebleu_and_rouge_score() -> None:
    scores = corpus_scores(EN_PREDICTIONS, EN_REFERENCES)
    assert list(scores) == list(DEFAULT_METRICS)
    streams = [[refs[0] for refs in EN_REFERENCES]]
    assert scores["bleu"] == pytest.approx(sacrebleu.corpus_bleu(EN_PREDICTIONS, streams).score, abs=1e-9)
    assert scores["chrf"] == pytest.approx(sacrebleu.corpus_chrf(EN_PREDICTIONS, streams).score, abs=1e-9)
    rouge = _rouge_direct(EN_PREDICTIONS, EN_REFERENCES, chinese=False)
    for name in ROUGE_TYPES:
        assert scores[name] == pytest.approx(rouge[name], abs=1e-9)
    assert 0 < scores["bleu"] < 100 and 0 < scores["rougeL"] < 100
    assert scores["exact_match"] == 0.0


def test_chinese_equals_sacrebleu_zh_and_character_rouge(tatoeba_groups) -> None:
    predictions, references = _zh_corpus(tatoeba_groups, 40)
    single = [refs[:1] for refs in references]
    scores = corpus_scores(predictions, single)  # language detected
    stream = [[refs[0] for refs in single]]
    assert scores["bleu"] == pytest.approx(
        sacrebleu.corpus_bleu(predictions, stream, tokenize="zh").score, abs=1e-9
    )
    # The zh tokenizer matters: 13a leaves a Chinese sentence as one or two "words".
    assert scores["bleu"] != pytest.approx(sacrebleu.corpus_bleu(predictions, stream).score, abs=1e-6)
    assert corpus_scores(predictions, single, lang="en", metrics=["bleu"])["bleu"] == pytest.approx(
        sacrebleu.corpus_bleu(predictions, stream).score, abs=1e-9
    )
    assert scores["chrf"] == pytest.approx(sacrebleu.corpus_chrf(predictions, stream).score, abs=1e-9)
    rouge = _rouge_direct(predictions, single, chinese=True)
    for name in ROUGE_TYPES:
        assert scores[name] == pytest.approx(rouge[name], abs=1e-9)
    assert scores["rouge1"] > 0  # the default tokenizer would give 0 on Chinese


def test_chinese_rouge_by_hand() -> None:
    # 我爱你 / 我爱他: 2 of 3 characters, 1 of 2 bigrams; LCS 2.
    scores = corpus_scores(["我爱你"], [["我爱他"]], metrics=ROUGE_TYPES)
    assert scores == pytest.approx({"rouge1": 200 / 3, "rouge2": 50.0, "rougeL": 200 / 3})


def test_several_references_of_different_counts(tatoeba_groups) -> None:
    # Examples with one, two and three translations, mixed, as tatoeba has them.
    by_count = {k: [g for g in tatoeba_groups if len(g[1]) == k] for k in (1, 2, 3)}
    rng = random.Random(1)
    picked = [g for k in (1, 2, 3) for g in rng.sample(by_count[k], 8)]
    rng.shuffle(picked)
    references = [refs for _, refs in picked]
    predictions = [refs[-1][:-1] if i % 2 else rng.choice(tatoeba_groups)[1][0] for i, refs in enumerate(references)]

    scores = corpus_scores(predictions, references)
    assert scores["bleu"] == pytest.approx(
        sacrebleu.corpus_bleu(predictions, _streams(references), tokenize="zh").score, abs=1e-9
    )
    assert scores["chrf"] == pytest.approx(sacrebleu.corpus_chrf(predictions, _streams(references)).score, abs=1e-9)
    rouge = _rouge_direct(predictions, references, chinese=True)
    for name in ROUGE_TYPES:
        assert scores[name] == pytest.approx(rouge[name], abs=1e-9)

    # Independently of the stream layout: corpus BLEU is the sum of each example's statistics
    # against its own references (public sentence_bleu fields).
    sentences = [sacrebleu.sentence_bleu(p, refs, tokenize="zh") for p, refs in zip(predictions, references)]
    by_sentence = BLEU.compute_bleu(
        correct=np.sum([s.counts for s in sentences], axis=0).tolist(),
        total=np.sum([s.totals for s in sentences], axis=0).tolist(),
        sys_len=sum(s.sys_len for s in sentences),
        ref_len=sum(s.ref_len for s in sentences),
    ).score
    assert scores["bleu"] == pytest.approx(by_sentence, abs=1e-9)

    # More references can only help: each example keeps its best match.
    first_only = corpus_scores(predictions, [refs[:1] for refs in references])
    for name in ("chrf", "rouge1", "rougeL", "exact_match"):
        assert scores[name] >= first_only[name]


def test_missing_references_are_not_empty_references() -> None:
    # A short output and an example with one reference where another has two: padding the
    # stream with "" would make the empty string the closest reference length (0, not 6).
    predictions, references = ["我", "你好"], [["我爱你们大家"], ["你好", "您好"]]
    expected = sacrebleu.corpus_bleu(predictions, [["我爱你们大家", "你好"], [None, "您好"]], tokenize="zh")
    assert corpus_scores(predictions, references, metrics=["bleu"])["bleu"] == pytest.approx(expected.score, abs=1e-9)
    assert expected.ref_len == 8
    padded = sacrebleu.corpus_bleu(predictions, [["我爱你们大家", "你好"], ["", "您好"]], tokenize="zh")
    assert padded.ref_len == 2 and padded.bp == 1.0 and expected.bp < 0.2  # no brevity penalty


def test_english_several_references_and_a_bare_string() -> None:
    references = [["The cat is sitting on the mat.", "A cat sat on the mat."], "The quick brown fox jumped.",
                  ["He reads.", "He is reading books in the library.", "He reads in the library."]]
    predictions = EN_PREDICTIONS[:3]
    lists = [[r] if isinstance(r, str) else r for r in references]
    scores = corpus_scores(predictions, references)
    assert scores["bleu"] == pytest.approx(sacrebleu.corpus_bleu(predictions, _streams(lists)).score, abs=1e-9)
    assert scores["chrf"] == pytest.approx(sacrebleu.corpus_chrf(predictions, _streams(lists)).score, abs=1e-9)
    assert scores["rougeL"] == pytest.approx(_rouge_direct(predictions, lists, chinese=False)["rougeL"], abs=1e-9)
    assert scores["exact_match"] == pytest.approx(100 / 3)


@pytest.mark.parametrize("chinese", [False, True])
def test_empty_predictions(chinese: bool) -> None:
    references = [["你好。"], ["我爱你"]] if chinese else [["Hello there."], ["I love you"]]
    scores = corpus_scores(["", ""], references, metrics=DIALOGUE_METRICS)
    assert scores == {name: 0.0 for name in DIALOGUE_METRICS}
    # One empty among others: still what sacreBLEU says.
    predictions = ["", references[1][0]]
    stream = [[refs[0] for refs in references]]
    tokenize = "zh" if chinese else "13a"
    mixed = corpus_scores(predictions, references)
    assert mixed["bleu"] == pytest.approx(sacrebleu.corpus_bleu(predictions, stream, tokenize=tokenize).score, abs=1e-9)
    assert mixed["chrf"] == pytest.approx(sacrebleu.corpus_chrf(predictions, stream).score, abs=1e-9)
    assert mixed["rougeL"] == pytest.approx(50.0) and mixed["exact_match"] == pytest.approx(50.0)


def test_exact_match_normalises_whitespace() -> None:
    assert corpus_scores([" the  cat\tsat "], [["the cat sat"]], metrics=["exact_match"])["exact_match"] == 100.0
    assert corpus_scores(["the cat"], [["The cat"]], metrics=["exact_match"])["exact_match"] == 0.0
    # Chinese written with spaces between characters (LCCC) matches the same text without.
    assert corpus_scores(["你 好 吗"], [["不", "你好吗"]], metrics=["exact_match"])["exact_match"] == 100.0


def test_distinct_and_average_length_by_hand() -> None:
    # Words: the cat sat | the cat ran away -> 7 unigrams, 5 distinct; 5 bigrams, 4 distinct.
    english = corpus_scores(["the cat sat", "the cat ran away"], [["x"], ["y"]],
                            metrics=["distinct1", "distinct2", "avg_length"])
    assert english == pytest.approx({"distinct1": 5 / 7, "distinct2": 4 / 5, "avg_length": 3.5})
    # Characters: 你好你好 | 你好吗 -> 7 characters, 3 distinct; bigrams 你好 好你 你好 | 你好 好吗: 5, 3.
    chinese = corpus_scores(["你好你好", "你 好 吗"], [["你好"], ["你好"]],
                            metrics=["distinct1", "distinct2", "avg_length"])
    assert chinese == pytest.approx({"distinct1": 3 / 7, "distinct2": 3 / 5, "avg_length": 3.5})


def test_sentence_score_equals_the_libraries() -> None:
    prediction, references = EN_PREDICTIONS[0], ["The cat is sitting on the mat.", "A cat sat on the mat."]
    assert sentence_score(prediction, references) == pytest.approx(
        sacrebleu.sentence_chrf(prediction, references).score, abs=1e-9
    )
    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    assert sentence_score(prediction, references, metric="rougeL") == pytest.approx(
        100 * scorer.score_multi(references, prediction)["rougeL"].fmeasure, abs=1e-9
    )
    assert sentence_score("我爱你", ["我爱他"], metric="rougeL") == pytest.approx(200 / 3)
    assert sentence_score("", ["我爱他"], lang="zh") == 0.0
    with pytest.raises(ValueError, match="unknown metric 'bleu'"):
        sentence_score(prediction, references, metric="bleu")


# --------------------------------------------------------------------------------------
# Bootstrap
# --------------------------------------------------------------------------------------


def test_resampling_statistics_reproduce_the_corpus_score(tatoeba_groups) -> None:
    """All weights 1: the per-example statistics (sacreBLEU's private ones included) give the
    corpus score back, so a sacreBLEU release that changes them fails here."""
    predictions, references = _zh_corpus(tatoeba_groups, 60)
    predictions[3] = ""
    scores = corpus_scores(predictions, references, metrics=list(METRIC_NAMES))
    ones = np.ones((1, len(predictions)))
    for name in METRIC_NAMES:
        again = gm._resampled_scores(name, predictions, references, True, ones)
        assert again[0] == pytest.approx(scores[name], abs=1e-9), name


@pytest.mark.parametrize("metric", list(METRIC_NAMES))
def test_bootstrap_interval_contains_the_corpus_score(tatoeba_groups, metric: str) -> None:
    predictions, references = _zh_corpus(tatoeba_groups, 300)
    score = corpus_scores(predictions, references, metrics=[metric])[metric]
    low, high = bootstrap_interval(predictions, references, metric, samples=300)
    assert low <= score <= high
    assert low < high
    assert bootstrap_interval(predictions, references, metric, samples=300) == (low, high)  # seeded


def test_bootstrap_narrows_with_more_data_and_is_fast(tatoeba_groups) -> None:
    predictions, references = _zh_corpus(tatoeba_groups, 1000)
    start = time.perf_counter()
    low, high = bootstrap_interval(predictions, references, "chrf")
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    small_low, small_high = bootstrap_interval(predictions[:100], references[:100], "chrf")
    # Width shrinks like 1/sqrt(n): 10x the data, about a third of the width.
    assert high - low < 0.6 * (small_high - small_low)
    wide_low, wide_high = bootstrap_interval(predictions, references, "chrf", confidence=0.99)
    assert wide_low <= low and high <= wide_high


def test_english_bootstrap_bleu() -> None:
    predictions = EN_PREDICTIONS * 10
    references = EN_REFERENCES * 10
    score = corpus_scores(predictions, references, metrics=["bleu"])["bleu"]
    low, high = bootstrap_interval(predictions, references, "bleu", samples=200, seed=3)
    assert low <= score <= high


# --------------------------------------------------------------------------------------
# Language detection, errors, import cost
# --------------------------------------------------------------------------------------


def test_is_chinese() -> None:
    assert is_chinese(["我们今天去公园。", "他說得對。"])  # simplified and traditional
    assert not is_chinese(["We went to the park today."])
    assert not is_chinese(["我有3个apple"])  # 3 CJK characters of 8 letters
    assert is_chinese(["我有3个苹果"])  # digits do not count
    assert not is_chinese(["I said 你好 to him"])
    assert not is_chinese([]) and not is_chinese(["", "123 !?"])
    assert is_chinese(["你 好 吗"])  # LCCC's spaced characters


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown metric 'meteor'"):
        corpus_scores(["a"], [["a"]], metrics=["bleu", "meteor"])
    with pytest.raises(ValueError, match="2 predictions but 1 reference lists"):
        corpus_scores(["a", "b"], [["a"]])
    with pytest.raises(ValueError, match="no reference"):
        corpus_scores(["a", "b"], [["a"], []])
    with pytest.raises(ValueError, match="no predictions"):
        corpus_scores([], [])
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_interval(["a"], [["a"]], "chrf", confidence=95)


def test_metric_names_describe_every_metric() -> None:
    assert set(DIALOGUE_METRICS) == set(METRIC_NAMES)
    assert all(info.display_name and info.greater_is_better for info in METRIC_NAMES.values())


def test_import_loads_neither_the_metric_libraries_nor_torch() -> None:
    code = (
        "import sys, workbench.engine.generation_metrics; "
        "print(sorted(m for m in ('sacrebleu', 'rouge_score', 'nltk', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
