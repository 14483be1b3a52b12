"""Aggregated attention views on hand-made matrices whose answers are known exactly."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.engine.inspection.aggregate import (
    head_entropy,
    head_stats,
    is_punctuation,
    max_over_heads,
    mean_over_heads,
    mean_over_layers,
    rollout,
)
from workbench.engine.inspection.attention import AttentionMaps


def random_attention(L: int, H: int, T: int, seed: int = 0) -> np.ndarray:
    """(L, H, T, T) softmax rows."""
    logits = np.random.default_rng(seed).normal(size=(L, H, T, T)) * 2
    e = np.exp(logits)
    return (e / e.sum(-1, keepdims=True)).astype(np.float32)


def maps_of(att: np.ndarray, tokens: list[str], special: list[bool]) -> AttentionMaps:
    return AttentionMaps(tokens, att, np.array(special), "bert", "")


def test_rollout_of_identity_is_identity() -> None:
    att = np.broadcast_to(np.eye(5), (3, 2, 5, 5)).copy()
    np.testing.assert_allclose(rollout(att), np.eye(5), atol=1e-12)
    np.testing.assert_allclose(rollout(att, residual=False), np.eye(5), atol=1e-12)


def test_rollout_rows_sum_to_one_and_matches_a_hand_product() -> None:
    att = random_attention(4, 3, 6)
    out = rollout(att)
    assert out.shape == (6, 6)
    np.testing.assert_allclose(out.sum(-1), 1.0, atol=1e-9)
    # By hand: average heads, 0.5 A + 0.5 I (rows already sum to 1), product top-down.
    mats = [0.5 * a.mean(0).astype(np.float64) + 0.5 * np.eye(6) for a in att]
    np.testing.assert_allclose(out, mats[3] @ mats[2] @ mats[1] @ mats[0], atol=1e-9)
    np.testing.assert_allclose(rollout(att, residual=False),
                               np.linalg.multi_dot([a.mean(0).astype(np.float64) for a in att[::-1]]), atol=1e-9)


def test_rollout_of_one_layer_attending_to_first_token() -> None:
    """Every token attends to token 0: half of each row flows to token 0, half stays (residual)."""
    T = 4
    att = np.zeros((1, 1, T, T))
    att[..., 0] = 1.0
    expected = 0.5 * att[0, 0] + 0.5 * np.eye(T)
    np.testing.assert_allclose(rollout(att), expected)


def test_head_and_layer_reductions() -> None:
    att = random_attention(2, 3, 5)
    assert mean_over_heads(att).shape == (2, 5, 5)
    np.testing.assert_allclose(mean_over_heads(att).sum(-1), 1.0, atol=1e-5)
    assert mean_over_layers(att).shape == (3, 5, 5)
    np.testing.assert_allclose(mean_over_layers(att).sum(-1), 1.0, atol=1e-5)
    mx = max_over_heads(att)
    assert mx.shape == (2, 5, 5)
    assert np.all(mx >= mean_over_heads(att) - 1e-7)
    assert np.array_equal(mx, att.max(axis=1))


def test_entropy_of_uniform_and_one_hot_rows() -> None:
    T = 7
    att = np.zeros((2, 2, T, T))
    att[0, 0] = 1.0 / T  # uniform
    att[0, 1] = np.eye(T)  # one-hot
    att[1, 0, :, 3] = 1.0  # one-hot on one key
    att[1, 1, :, :2] = 0.5  # two keys, half each
    ent = head_entropy(att)
    assert ent.shape == (2, 2)
    np.testing.assert_allclose(ent, [[np.log(T), 0.0], [0.0, np.log(2)]], atol=1e-12)


def test_head_stats_single_out_special_punctuation_and_positional_heads() -> None:
    tokens = ["[CLS]", "a", "movie", ",", "fine", "##!", "[SEP]"]
    special = [True, False, False, False, False, False, True]
    T = len(tokens)
    att = np.zeros((1, 4, T, T), dtype=np.float32)
    att[0, 0, :, 0] = 1.0  # head 0: only [CLS]
    att[0, 1] = np.eye(T, k=-1)  # head 1: the previous token ...
    att[0, 1, 0, 0] = 1.0  # ... the first query has none, so itself
    att[0, 2] = np.eye(T, k=1)  # head 2: the next token ...
    att[0, 2, -1, -1] = 1.0
    att[0, 3, :, 3] = 0.5  # head 3: half on ",", half on "##!"
    att[0, 3, :, 5] = 0.5
    stats = head_stats(maps_of(att, tokens, special))
    assert set(stats) == {"entropy", "special", "punctuation", "previous", "next"}
    assert all(v.shape == (1, 4) for v in stats.values())
    np.testing.assert_allclose(stats["special"][0], [1.0, 2 / T, 2 / T, 0.0], atol=1e-6)
    np.testing.assert_allclose(stats["punctuation"][0], [0.0, 2 / T, 2 / T, 1.0], atol=1e-6)
    # Queries 1..T-1 all have a previous token, and head 1 always picks it.
    np.testing.assert_allclose(stats["previous"][0, 1], 1.0)
    np.testing.assert_allclose(stats["next"][0, 2], 1.0)
    assert stats["previous"][0, 0] == pytest.approx(1 / (T - 1))  # only query 1 looks at [CLS]
    np.testing.assert_allclose(stats["entropy"][0], [0, 0, 0, np.log(2)], atol=1e-6)


def test_punctuation_detection() -> None:
    assert all(map(is_punctuation, [",", "##.", "Ġ!", "...", "▁?", "«"]))
    assert not any(map(is_punctuation, ["a", "##s", "Ġthe", "[CLS]", "", "3"]))


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError):
        head_entropy(np.ones((3, 3)))
    with pytest.raises(ValueError):
        rollout(np.ones((2, 3, 4)))
