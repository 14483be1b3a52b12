"""What-if comparison: token edit script, probability change, common saliency target."""

from __future__ import annotations

import numpy as np
import pytest

from tests.engine.test_saliency import _tiny
from workbench.engine.errors import ModelError
from workbench.engine.inference import Predictor
from workbench.engine.inspection.whatif import WhatIf, token_ops, what_if

STEPS = 8  # enough for a 2-layer random model; the tests compare sides, not IG precision


@pytest.fixture(scope="module")
def bert() -> Predictor:
    return _tiny("bert")


def test_token_ops_are_difflib_opcodes_without_equal_runs() -> None:
    assert token_ops(["a", "good", "film"], ["a", "bad", "film"]) == [("replace", 1, 2, 1, 2)]
    assert token_ops(["a", "film"], ["a", "very", "good", "film"]) == [("insert", 1, 1, 1, 3)]
    assert token_ops(["a", "good", "film"], ["a", "film"]) == [("delete", 1, 2, 1, 1)]
    assert token_ops(["x"], ["x"]) == []


def test_editing_a_word_replaces_it_at_its_index(bert: Predictor) -> None:
    result = what_if(bert, "a good film", "a bad film", steps=STEPS)
    assert isinstance(result, WhatIf)
    before, after = result.original.content_tokens, result.edited.content_tokens
    # Special tokens are not part of the edit script.
    assert "[CLS]" not in before and "[SEP]" not in after
    assert result.original.tokens[0] == "[CLS]" and result.original.tokens[-1] == "[SEP]"
    assert len(result.token_ops) == 1
    tag, i1, i2, j1, j2 = result.token_ops[0]
    assert tag == "replace"
    # "a" is one token in both; the replaced run starts right after it and "film" follows it.
    assert before[:i1] == after[:j1] == before[:1]
    assert before[i2:] == after[j2:] and before[i2:]
    assert "".join(t.removeprefix("##") for t in before[i1:i2]) == "good"
    assert "".join(t.removeprefix("##") for t in after[j1:j2]) == "bad"
    assert result.edited_changed() == set(range(j1, j2))
    assert result.original_changed() == set(range(i1, i2))


def test_identical_texts_give_no_ops_and_no_change(bert: Predictor) -> None:
    result = what_if(bert, "a good film", "a good film", steps=STEPS)
    assert result.token_ops == []
    assert not result.label_changed
    assert set(result.probability_change) == set(bert.label_names)
    assert all(v == 0.0 for v in result.probability_change.values())
    np.testing.assert_allclose(result.original.attribution.attributions, result.edited.attribution.attributions)


def test_probabilities_equal_predict_and_saliency_target_is_common(bert: Predictor) -> None:
    original, edited = "the acting is wonderful", "the acting is dull and slow"
    result = what_if(bert, original, edited, steps=STEPS)
    p0, p1 = bert.predict([original])[0], bert.predict([edited])[0]
    assert result.original.probabilities == p0["probabilities"]
    assert result.edited.probabilities == p1["probabilities"]
    assert result.original.label == p0["label"] and result.edited.label == p1["label"]
    assert result.label_changed == (p0["label"] != p1["label"])
    for name in bert.label_names:
        assert result.probability_change[name] == pytest.approx(
            p1["probabilities"][name] - p0["probabilities"][name], abs=1e-12
        )
    # Both sides explain the original's predicted label, so their colours are comparable.
    assert result.target == p0["label"] == result.edited.attribution.target
    for s in (result.original, result.edited):
        T = len(s.tokens)
        assert s.tokens == s.attribution.tokens
        assert s.attention.shape == (T, T)
        np.testing.assert_allclose(s.attention.sum(axis=1), 1.0, atol=1e-5)  # softmax rows


def test_explicit_target_is_used_on_both_sides(bert: Predictor) -> None:
    predicted = bert.predict(["a good film"])[0]["label"]
    other = next(n for n in bert.label_names if n != predicted)
    result = what_if(bert, "a good film", "a bad film", target=other, steps=STEPS)
    assert result.original.attribution.target == result.edited.attribution.target == other


def test_other_tasks_are_refused(bert: Predictor) -> None:
    import dataclasses

    tagger = dataclasses.replace(bert, task="token-classification")
    with pytest.raises(ModelError, match="classification"):
        what_if(tagger, "a", "b")


def test_a_bilstm_compares_prediction_and_saliency_without_attention() -> None:
    from tests.conftest import shared
    from workbench.engine.models.loading import ModelSource, build_from_scratch

    rows = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:400]
    texts = [r.split("\t")[0] for r in rows]
    model, tokenizer = build_from_scratch("bilstm", "classification", texts, ["negative", "positive"],
                                          vocab_size=500, seed=0)
    predictor = Predictor(model.eval(), tokenizer, "classification", ["negative", "positive"], 64,
                          ModelSource("folder", "bilstm"))
    result = what_if(predictor, "a good film", "a bad film", steps=8)
    assert result.original.attention is None and result.edited.attention is None
    assert result.original.content_tokens == tokenizer.tokenize("a good film")
    assert result.edited.content_tokens == tokenizer.tokenize("a bad film")
    assert result.token_ops and all(op[0] == "replace" for op in result.token_ops)
