"""Aggregated views of attention maps: over heads, over layers, rollout, per-head statistics.

Numpy in, numpy out; no torch and no Qt, so the GUI can call these on the main
thread on maps a worker already computed. Every function takes attention in the
layout of :class:`~workbench.engine.inspection.attention.AttentionMaps`:
``(L, H, T, T)`` with rows = queries and columns = keys.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import numpy as np

from workbench.engine.inspection.attention import mean_over_heads

if TYPE_CHECKING:
    from workbench.engine.inspection.attention import AttentionMaps

__all__ = [
    "head_entropy",
    "head_stats",
    "is_punctuation",
    "max_over_heads",
    "mean_over_heads",
    "mean_over_layers",
    "rollout",
]

# Word-piece / byte-level / SentencePiece markers stripped before asking "is this punctuation?".
_MARKERS = ("##", "Ġ", "▁")


def _check_4d(att: np.ndarray) -> np.ndarray:
    att = np.asarray(att)
    if att.ndim != 4 or att.shape[-1] != att.shape[-2]:
        raise ValueError(f"expected attention of shape (layers, heads, T, T), got {att.shape}")
    return att


def max_over_heads(att: np.ndarray) -> np.ndarray:
    """(L, H, T, T) -> (L, T, T): the strongest head per query/key pair.

    Rows no longer sum to 1; the view answers "does *any* head link these two tokens?".
    """
    return np.asarray(att).max(axis=-3)


def mean_over_layers(att: np.ndarray) -> np.ndarray:
    """(L, H, T, T) -> (H, T, T); also (L, T, T) -> (T, T). Rows still sum to 1."""
    return np.asarray(att).mean(axis=0)


def _normalise_rows(a: np.ndarray) -> np.ndarray:
    sums = a.sum(axis=-1, keepdims=True)  # (..., T, 1)
    # An all-zero row (possible only without the residual term) stays zero.
    return np.divide(a, sums, out=np.zeros_like(a), where=sums > 0)


def rollout(att: np.ndarray, residual: bool = True) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema 2020): how much each input token reaches each output position.

    ``att`` is (L, H, T, T) (or (L, T, T) already averaged over heads); returns
    (T, T) float64, row i = how token i at the top layer mixes the input tokens.

    1. Average the heads of each layer: A_l, (T, T).
    2. With ``residual``, account for the skip connection around attention:
       A_l <- 0.5 * A_l + 0.5 * I, then renormalise each row to sum to 1.
    3. Multiply the layers bottom-up: R = A_L @ ... @ A_2 @ A_1.
    """
    att = np.asarray(att, dtype=np.float64)
    if att.ndim == 4:
        att = mean_over_heads(att)  # 1. (L, T, T)
    if att.ndim != 3 or att.shape[-1] != att.shape[-2]:
        raise ValueError(f"expected attention of shape (layers, heads, T, T), got {att.shape}")
    T = att.shape[-1]
    eye = np.eye(T)  # (T, T)
    result = eye
    for layer in att:  # bottom (layer 0) first
        a = 0.5 * layer + 0.5 * eye if residual else layer  # 2. (T, T)
        a = _normalise_rows(a)
        result = a @ result  # 3. (T, T): the new layer mixes what the layers below produced
    return result


def _row_entropy(att: np.ndarray) -> np.ndarray:
    """Entropy in nats of every row: (..., T, T) -> (..., T). 0 * log 0 counts as 0."""
    p = np.asarray(att, dtype=np.float64)
    logp = np.log(p, out=np.zeros_like(p), where=p > 0)
    return -(p * logp).sum(axis=-1)


def head_entropy(att: np.ndarray) -> np.ndarray:
    """(L, H, T, T) -> (L, H): mean row entropy in nats.

    log(T) for a head that attends uniformly, 0 for one that always picks a single token.
    """
    return _row_entropy(_check_4d(att)).mean(axis=-1)


def is_punctuation(token: str) -> bool:
    """True for tokens made only of punctuation (",", "##.", "Ġ!", "...")."""
    for marker in _MARKERS:
        if token.startswith(marker) and len(token) > len(marker):
            token = token[len(marker) :]
            break
    return bool(token) and all(unicodedata.category(ch).startswith("P") for ch in token)


def _share_to_columns(att: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """(L, H, T, T), bool (T,) -> (L, H): mean over queries of the weight on the chosen keys."""
    if not columns.any():
        return np.zeros(att.shape[:2])
    return att[..., columns].sum(axis=-1).mean(axis=-1)


def _diagonal_share(att: np.ndarray, offset: int) -> np.ndarray:
    """(L, H, T, T) -> (L, H): mean over queries i of att[i, i + offset] (queries that have one)."""
    T = att.shape[-1]
    if T <= abs(offset):
        return np.zeros(att.shape[:2])
    return np.diagonal(att, offset=offset, axis1=-2, axis2=-1).mean(axis=-1)


def head_stats(maps: AttentionMaps) -> dict[str, np.ndarray]:
    """Per-head statistics that make diffuse, "no-op" and positional heads stand out.

    Returns (L, H) float64 arrays:

    - ``entropy``: mean row entropy in nats (high = diffuse);
    - ``special``: mean share of attention on special tokens ([CLS], [SEP], <s> ...);
    - ``punctuation``: mean share on punctuation tokens;
    - ``previous`` / ``next``: mean weight on the token just before / after the query
      (close to 1 for a positional head).
    """
    att = _check_4d(maps.attentions).astype(np.float64)
    special = np.asarray(maps.special, dtype=bool)  # (T,)
    punct = np.array([is_punctuation(t) for t in maps.tokens], dtype=bool) & ~special  # (T,)
    return {
        "entropy": _row_entropy(att).mean(axis=-1),
        "special": _share_to_columns(att, special),
        "punctuation": _share_to_columns(att, punct),
        # att[i, i-1] sits on the diagonal below the main one; att[i, i+1] on the one above.
        "previous": _diagonal_share(att, -1),
        "next": _diagonal_share(att, 1),
    }
