"""The per-example table the analysis views share (engine/analysis/example_table.py)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from workbench.engine.analysis.example_table import example_table
from workbench.engine.data.examples import Examples
from workbench.engine.eval_loop import EvalResult
from workbench.engine.tasks.registry import get_task


def _classification() -> SimpleNamespace:
    examples = Examples("classification", ["good film", "bad film", "a fine day out", "很好看"], None, None,
                        [1, 0, 1, 0], ["neg", "pos"], None, [2, 3, 5, 6])
    probs = np.array([[0.1, 0.9], [0.3, 0.7], [0.8, 0.2], [0.6, 0.4]], dtype=np.float32)
    losses = -np.log(probs[np.arange(4), [1, 0, 1, 0]])
    result = EvalResult({}, probs.argmax(1), probs, losses)
    return SimpleNamespace(examples=examples, result=result, label_names=["neg", "pos"])


def test_classification_table_columns() -> None:
    table = example_table(_classification())
    assert table.texts[0] == "good film" and table.lines == [2, 3, 5, 6]
    cols = table.columns
    assert list(cols["gold"]) == ["pos", "neg", "pos", "neg"]
    assert list(cols["predicted"]) == ["pos", "pos", "neg", "neg"]
    assert cols["correct"].tolist() == [True, False, False, True]
    np.testing.assert_allclose(cols["confidence"], [0.9, 0.7, 0.8, 0.6], rtol=1e-6)
    np.testing.assert_allclose(cols["loss"], -np.log([0.9, 0.3, 0.2, 0.6]), rtol=1e-5)
    assert cols["length"].tolist() == [2, 2, 4, 3]  # a CJK character counts as a word


def test_classification_subset_metrics_on_repeats() -> None:
    outcome = _classification()
    task = get_task("classification")
    metrics = task.subset_metrics(outcome.result, outcome.examples, [0, 0, 1], ["neg", "pos"])
    # gold pos, pos, neg; predicted pos, pos, pos
    assert metrics["eval_accuracy"] == 2 / 3
    assert metrics["eval_recall_macro"] == 0.5  # neg 0/1, pos 2/2


def test_pairs_are_joined_and_unlabelled_data_has_no_gold() -> None:
    examples = Examples("classification", ["a", "b"], ["x y", "z"], None, None, ["neg", "pos"], None, [2, 3])
    probs = np.array([[0.1, 0.9], [0.6, 0.4]], dtype=np.float32)
    table = example_table(SimpleNamespace(examples=examples, result=EvalResult({}, probs.argmax(1), probs, None),
                                          label_names=["neg", "pos"]))
    assert table.texts == ["a ⟂ x y", "b ⟂ z"]
    assert "gold" not in table.columns and "correct" not in table.columns
    assert list(table.columns["predicted"]) == ["pos", "neg"]
    assert table.columns["length"].tolist() == [3, 2]


def test_token_classification_joins_tags() -> None:
    names = ["B-PER", "I-PER", "O"]
    examples = Examples("token-classification", ["Ada Lovelace wrote", "Bob ran"], None,
                        [["Ada", "Lovelace", "wrote"], ["Bob", "ran"]], [[0, 1, 2], [0, 2]], names, None, [1, 5])
    result = EvalResult({}, tag_predictions=[[0, 1, 2], [2, 2]])
    table = example_table(SimpleNamespace(examples=examples, result=result, label_names=names))
    assert list(table.columns["gold"]) == ["B-PER I-PER O", "B-PER O"]
    assert table.columns["correct"].tolist() == [True, False]
    metrics = get_task("token-classification").subset_metrics(result, examples, [0, 1], names)
    assert metrics["eval_entity_f1"] == 2 * 1 / (2 * 1 + 0 + 1)  # tp 1, fn 1


def test_multilabel_subset_metrics_equal_sklearn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    names = ["sport", "weather", "news"]
    sets = [[0], [0, 1], [1], [], [2], [0, 2]]
    preds = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 1], [0, 0, 0], [0, 0, 1], [1, 1, 1]])
    examples = Examples("multi-label", [f"t{i}" for i in range(6)], None, None, sets, names, None, list(range(1, 7)))
    result = EvalResult({}, preds, preds.astype(np.float32) * 0.8 + 0.1, np.zeros(6, dtype=np.float32))
    table = example_table(SimpleNamespace(examples=examples, result=result, label_names=names))
    assert list(table.columns["gold"])[:2] == ["sport", "sport|weather"]
    indices = [1, 2, 4, 5, 5]
    got = get_task("multi-label").subset_metrics(result, examples, indices, names)
    truth = np.zeros((6, 3), dtype=int)
    for i, ids in enumerate(sets):
        truth[i, ids] = 1
    y, p = truth[indices], preds[indices]
    assert got["eval_f1_micro"] == pytest.approx(metrics.f1_score(y, p, average="micro", zero_division=0))
    assert got["eval_f1_macro"] == pytest.approx(metrics.f1_score(y, p, average="macro", zero_division=0))


def test_seq2seq_score_column_and_subset_metrics() -> None:
    from workbench.engine.generation_metrics import corpus_scores

    examples = Examples("translation", ["a", "b", "c"], None, None, None, [], None, [2, 3, 4],
                        targets=[["the cat sat"], ["a dog ran"], ["hello there"]])
    result = EvalResult({}, losses=np.array([1.0, 2.0, 3.0], dtype=np.float32),
                        generated=["the cat sat", "a cat ran", None])
    table = example_table(SimpleNamespace(examples=examples, result=result, label_names=[]))
    score = table.columns["score"]
    assert score[0] == pytest.approx(100.0) and score[1] < 100.0 and np.isnan(score[2])
    got = get_task("translation").subset_metrics(result, examples, [1, 2], [])
    expected = corpus_scores(["a cat ran"], [["a dog ran"]], metrics=("bleu", "chrf", "exact_match"))
    assert got["eval_chrf"] == pytest.approx(expected["chrf"]) and got["eval_loss"] == pytest.approx(2.5)
