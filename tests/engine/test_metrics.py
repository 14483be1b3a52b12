"""Tests for workbench.engine.metrics: hand-worked numbers, invariants, conlleval chunks."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.engine.metrics import (
    bio_spans,
    classification_metrics,
    confusion_matrix,
    is_bio_tagset,
    perplexity,
    token_classification_metrics,
)

# --------------------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------------------

# 10 examples, classes cat=0 (4 true), dog=1 (3 true), bird=2 (3 true).
Y_TRUE = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]
Y_PRED = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1]
NAMES = ["cat", "dog", "bird"]
# Confusion matrix (rows true, cols predicted):
#   cat : [2, 1, 1]   -> 4 true
#   dog : [1, 2, 0]   -> 3 true
#   bird: [0, 1, 2]   -> 3 true
#   predicted counts (column sums): cat 3, dog 4, bird 3
# accuracy = trace / N = 6 / 10 = 0.6
# cat : P = 2/3, R = 2/4 = 1/2, F1 = 2PR/(P+R) = (2/3)/(7/6) = 4/7
# dog : P = 2/4 = 1/2, R = 2/3,   F1 = 4/7
# bird: P = 2/3, R = 2/3,         F1 = 2/3
# macro P  = (2/3 + 1/2 + 2/3)/3 = 11/18
# macro R  = (1/2 + 2/3 + 2/3)/3 = 11/18
# macro F1 = (4/7 + 4/7 + 2/3)/3 = 38/63
# weighted P  = (4*2/3 + 3*1/2 + 3*2/3)/10 = (37/6)/10 = 37/60
# weighted R  = (4*1/2 + 3*2/3 + 3*2/3)/10 = 6/10 (always equals accuracy)
# weighted F1 = (4*4/7 + 3*4/7 + 3*2/3)/10 = (4 + 2)/10 = 0.6


def test_classification_metrics_hand_worked_three_classes() -> None:
    m = classification_metrics(Y_TRUE, Y_PRED, NAMES)

    assert m["confusion_matrix"] == [[2, 1, 1], [1, 2, 0], [0, 1, 2]]
    assert m["accuracy"] == pytest.approx(0.6)
    assert m["num_examples"] == 10
    assert m["label_names"] == NAMES

    expected = {
        "cat": (2 / 3, 1 / 2, 4 / 7, 4),
        "dog": (1 / 2, 2 / 3, 4 / 7, 3),
        "bird": (2 / 3, 2 / 3, 2 / 3, 3),
    }
    for name, (p, r, f1, support) in expected.items():
        got = m["per_class"][name]
        assert got["precision"] == pytest.approx(p)
        assert got["recall"] == pytest.approx(r)
        assert got["f1"] == pytest.approx(f1)
        assert got["support"] == support

    assert m["precision_macro"] == pytest.approx(11 / 18)
    assert m["recall_macro"] == pytest.approx(11 / 18)
    assert m["f1_macro"] == pytest.approx(38 / 63)
    assert m["precision_weighted"] == pytest.approx(37 / 60)
    assert m["recall_weighted"] == pytest.approx(0.6)
    assert m["f1_weighted"] == pytest.approx(0.6)


def test_macro_average_includes_absent_classes_like_sklearn() -> None:
    # "fish" never occurs: it scores 0 and the macro mean runs over 4 classes
    # (sklearn with labels=range(4)); weighted averages ignore it (support 0).
    m = classification_metrics(Y_TRUE, Y_PRED, [*NAMES, "fish"])
    assert m["per_class"]["fish"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert m["precision_macro"] == pytest.approx((11 / 6) / 4)
    assert m["f1_macro"] == pytest.approx((38 / 21) / 4)
    assert m["precision_weighted"] == pytest.approx(37 / 60)
    assert len(m["confusion_matrix"]) == 4


def test_zero_division_gives_zero_not_error() -> None:
    # Class 1 is true twice but never predicted: precision 0/0 -> 0.0, recall 0.
    m = classification_metrics([1, 1, 0], [0, 0, 0], ["a", "b"])
    assert m["per_class"]["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 2}
    assert m["per_class"]["a"]["precision"] == pytest.approx(1 / 3)
    empty = classification_metrics([], [], ["a", "b"])
    assert empty["accuracy"] == 0.0
    assert empty["num_examples"] == 0


def test_classification_metrics_is_plain_json() -> None:
    m = classification_metrics(np.array(Y_TRUE), np.array(Y_PRED), NAMES)
    assert json.loads(json.dumps(m)) == m
    assert type(m["accuracy"]) is float
    assert type(m["per_class"]["cat"]["support"]) is int
    assert type(m["confusion_matrix"][0][0]) is int


def test_bad_inputs_raise_value_error() -> None:
    with pytest.raises(ValueError, match="length"):
        confusion_matrix([0, 1], [0], 2)
    with pytest.raises(ValueError, match="outside"):
        confusion_matrix([0, 2], [0, 1], 2)
    with pytest.raises(ValueError, match="outside"):
        classification_metrics([0, 1], [0, -1], ["a", "b"])


label_arrays = st.integers(min_value=1, max_value=6).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.integers(min_value=0, max_value=60).flatmap(
            lambda size: st.tuples(
                st.lists(st.integers(0, n - 1), min_size=size, max_size=size),
                st.lists(st.integers(0, n - 1), min_size=size, max_size=size),
            )
        ),
    )
)


@settings(max_examples=60, deadline=None)
@given(label_arrays)
def test_confusion_matrix_invariants(case: tuple[int, tuple[list[int], list[int]]]) -> None:
    n, (y_true, y_pred) = case
    cm = confusion_matrix(y_true, y_pred, n)
    assert cm.shape == (n, n)
    assert cm.dtype == np.int64
    assert cm.sum() == len(y_true)
    # Row sums are the true class counts, column sums the predicted counts.
    assert cm.sum(axis=1).tolist() == [y_true.count(k) for k in range(n)]
    assert cm.sum(axis=0).tolist() == [y_pred.count(k) for k in range(n)]
    m = classification_metrics(y_true, y_pred, [f"c{k}" for k in range(n)])
    accuracy = sum(t == p for t, p in zip(y_true, y_pred)) / len(y_true) if y_true else 0.0
    assert m["accuracy"] == pytest.approx(accuracy)
    if y_true:
        assert np.trace(cm) / len(y_true) == pytest.approx(m["accuracy"])
        # Weighted recall is accuracy by construction; a useful cross-check of weights.
        assert m["recall_weighted"] == pytest.approx(m["accuracy"])


def test_against_sklearn_when_available() -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    for n in (2, 3, 5):
        names = [f"c{k}" for k in range(n)]
        labels = list(range(n))
        for _ in range(20):
            size = int(rng.integers(1, 50))
            y_true = rng.integers(0, n, size)
            y_pred = rng.integers(0, n, size)
            m = classification_metrics(y_true, y_pred, names)
            np.testing.assert_array_equal(
                np.array(m["confusion_matrix"]),
                sklearn_metrics.confusion_matrix(y_true, y_pred, labels=labels),
            )
            assert m["accuracy"] == pytest.approx(sklearn_metrics.accuracy_score(y_true, y_pred))
            for average in ("macro", "weighted"):
                p, r, f, _ = sklearn_metrics.precision_recall_fscore_support(
                    y_true, y_pred, labels=labels, average=average, zero_division=0
                )
                assert m[f"precision_{average}"] == pytest.approx(p)
                assert m[f"recall_{average}"] == pytest.approx(r)
                assert m[f"f1_{average}"] == pytest.approx(f)


# --------------------------------------------------------------------------------------
# Chunks (conlleval definition)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-PER", "I-PER", "O", "B-LOC"], [("PER", 0, 2), ("LOC", 3, 4)]),
        # IOB1: an I- tag after O starts a chunk.
        (["O", "I-PER", "I-PER", "O"], [("PER", 1, 3)]),
        # IOB1: B- only separates adjacent chunks of the same type.
        (["I-PER", "B-PER", "I-PER"], [("PER", 0, 1), ("PER", 1, 3)]),
        # A type change under I- splits, and B-PER I-LOC is two chunks.
        (["I-PER", "I-LOC"], [("PER", 0, 1), ("LOC", 1, 2)]),
        (["B-PER", "I-LOC"], [("PER", 0, 1), ("LOC", 1, 2)]),
        (["B-PER", "B-PER"], [("PER", 0, 1), ("PER", 1, 2)]),
        # Chunk running to the end of the sentence, and types containing hyphens.
        (["O", "B-DATE-TIME", "I-DATE-TIME"], [("DATE-TIME", 1, 3)]),
        # IOBES and BILOU.
        (["S-PER", "B-LOC", "I-LOC", "E-LOC", "O"], [("PER", 0, 1), ("LOC", 1, 4)]),
        (["U-PER", "B-LOC", "L-LOC", "U-LOC"], [("PER", 0, 1), ("LOC", 1, 3), ("LOC", 3, 4)]),
        # E- closes its chunk even before a same-type B- (seqeval's IOBES reading).
        (["B-PER", "E-PER", "B-PER", "E-PER"], [("PER", 0, 2), ("PER", 2, 4)]),
        (["S-PER", "I-PER"], [("PER", 0, 1), ("PER", 1, 2)]),
        # Bare tags read as I-<tag> (conlleval raw mode).
        (["PER", "PER", "O", "LOC"], [("PER", 0, 2), ("LOC", 3, 4)]),
        ([], []),
        (["O", "O"], []),
    ],
)
def test_bio_spans_hand_made(tags: list[str], spans: list[tuple[str, int, int]]) -> None:
    assert bio_spans(tags) == spans


ALL_TAGS = ["O", "B-A", "I-A", "E-A", "S-A", "L-A", "U-A", "B-B", "I-B", "E-B", "S-B", "B"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(ALL_TAGS), max_size=25))
def test_bio_spans_partition_non_o_tokens(tags: list[str]) -> None:
    # Whatever the (possibly ill-formed) input, chunks are ordered, disjoint, non-empty
    # and cover exactly the non-O tokens, each chunk having one type.
    spans = bio_spans(tags)
    covered: list[int] = []
    for entity_type, start, end in spans:
        assert start < end
        covered.extend(range(start, end))
        for tag in tags[start:end]:
            assert tag.rsplit("-", 1)[-1] == entity_type
    assert covered == sorted(set(covered))
    assert covered == [i for i, tag in enumerate(tags) if tag != "O"]


segments = st.lists(
    st.tuples(st.sampled_from(["O", "PER", "LOC"]), st.integers(min_value=1, max_value=4)),
    max_size=8,
)


def _encode(segs: list[tuple[str, int]], scheme: str) -> list[str]:
    tags: list[str] = []
    prev_type = "O"
    for entity_type, length in segs:
        if entity_type == "O":
            tags += ["O"] * length
        elif scheme == "IOB2":
            tags += [f"B-{entity_type}"] + [f"I-{entity_type}"] * (length - 1)
        elif scheme == "IOB1":
            first = "B" if prev_type == entity_type else "I"
            tags += [f"{first}-{entity_type}"] + [f"I-{entity_type}"] * (length - 1)
        elif scheme in ("IOBES", "BILOU"):
            single, begin, end = ("S", "B", "E") if scheme == "IOBES" else ("U", "B", "L")
            if length == 1:
                tags.append(f"{single}-{entity_type}")
            else:
                middle = [f"I-{entity_type}"] * (length - 2)
                tags += [f"{begin}-{entity_type}", *middle, f"{end}-{entity_type}"]
        prev_type = entity_type
    return tags


@settings(max_examples=60, deadline=None)
@given(segments, st.sampled_from(["IOB1", "IOB2", "IOBES", "BILOU"]))
def test_bio_spans_round_trip(segs: list[tuple[str, int]], scheme: str) -> None:
    expected = []
    position = 0
    for entity_type, length in segs:
        if entity_type != "O":
            expected.append((entity_type, position, position + length))
        position += length
    assert bio_spans(_encode(segs, scheme)) == expected


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["O", "B-PER", "I-PER"], True),
        (["O", "I-PER", "B-PER"], True),
        (["O", "S-PER", "E-LOC"], True),
        (["O", "U-PER", "L-PER"], True),
        (["O", "I-PER"], False),  # no B-/S-/U-: ambiguous
        (["NOUN", "VERB"], False),
        (["O", "B-PER", "NOUN"], False),
        (["O", "B-"], False),  # prefix without a type
        ([], False),
    ],
)
def test_is_bio_tagset(labels: list[str], expected: bool) -> None:
    assert is_bio_tagset(labels) is expected
    assert is_bio_tagset(iter(labels)) is expected


TRUE_SENT = ["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG"]  # PER 0-2, LOC 3-4, ORG 5-6


def test_entity_scores_worked_example() -> None:
    # 3 gold chunks, 2 predicted, 1 correct (PER); LOC predicted at ORG's span is wrong.
    # P = 1/2, R = 1/3, F1 = 2 * (1/6) / (5/6) = 0.4
    pred = ["B-PER", "I-PER", "O", "O", "O", "B-LOC"]
    m = token_classification_metrics([TRUE_SENT], [pred])
    assert m["num_tokens"] == 6
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["entity_precision"] == pytest.approx(0.5)
    assert m["entity_recall"] == pytest.approx(1 / 3)
    assert m["entity_f1"] == pytest.approx(0.4)
    assert m["per_type"]["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert m["per_type"]["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert m["per_type"]["ORG"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert json.loads(json.dumps(m)) == m


def test_partial_overlap_and_wrong_type_are_wrong() -> None:
    # PER predicted one token short, LOC span right but typed MISC, ORG right.
    pred = ["B-PER", "O", "O", "B-MISC", "O", "B-ORG"]
    m = token_classification_metrics([TRUE_SENT], [pred])
    assert m["entity_precision"] == pytest.approx(1 / 3)
    assert m["entity_recall"] == pytest.approx(1 / 3)
    assert m["entity_f1"] == pytest.approx(1 / 3)
    # A type only predicted is still reported, with support 0.
    assert m["per_type"]["MISC"]["support"] == 0
    assert m["per_type"]["MISC"]["precision"] == 0.0


def test_same_span_in_other_sentence_does_not_count() -> None:
    m = token_classification_metrics([["B-PER", "O"], ["O", "O"]], [["O", "O"], ["B-PER", "O"]])
    assert m["entity_precision"] == 0.0
    assert m["entity_recall"] == 0.0


def test_empty_predictions_score_zero_without_error() -> None:
    m = token_classification_metrics([TRUE_SENT], [["O"] * 6])
    assert m["entity_precision"] == 0.0
    assert m["entity_recall"] == 0.0
    assert m["entity_f1"] == 0.0
    assert m["accuracy"] == pytest.approx(2 / 6)


def test_perfect_predictions_score_one() -> None:
    sentences = [TRUE_SENT, ["O", "I-PER", "I-PER"]]
    m = token_classification_metrics(sentences, sentences)
    assert m["accuracy"] == 1.0
    assert (m["entity_precision"], m["entity_recall"], m["entity_f1"]) == (1.0, 1.0, 1.0)


def test_non_bio_tags_give_accuracy_only() -> None:
    m = token_classification_metrics([["NOUN", "VERB", "NOUN"]], [["NOUN", "NOUN", "NOUN"]])
    assert m == {"accuracy": pytest.approx(2 / 3), "num_tokens": 3}


def test_label_names_decide_the_tagset() -> None:
    # The gold tags of this tiny set are all O, but the model's label set is BIO.
    m = token_classification_metrics(
        [["O", "O"]], [["B-PER", "O"]], label_names=["O", "B-PER", "I-PER"]
    )
    assert m["entity_precision"] == 0.0
    assert m["per_type"]["PER"]["support"] == 0
    assert "entity_f1" not in token_classification_metrics([["O", "O"]], [["B-PER", "O"]])


def test_length_mismatch_raises() -> None:
    with pytest.raises(ValueError, match="sentence 1"):
        token_classification_metrics([["O"], ["O", "O"]], [["O"], ["O"]])
    with pytest.raises(ValueError, match="sentences"):
        token_classification_metrics([["O"]], [])


# --------------------------------------------------------------------------------------
# Perplexity
# --------------------------------------------------------------------------------------


def test_perplexity() -> None:
    assert perplexity(0.0) == 1.0
    assert perplexity(math.log(50.0)) == pytest.approx(50.0)
    assert perplexity(709.0) == pytest.approx(math.exp(709.0))
    assert perplexity(710.0) == math.inf
    assert perplexity(1e6) == math.inf
    assert perplexity(math.inf) == math.inf
    assert math.isnan(perplexity(math.nan))
    assert isinstance(perplexity(np.float32(1.0)), float)
