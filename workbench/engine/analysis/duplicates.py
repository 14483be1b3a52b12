"""Duplicates and near-duplicates among texts, in numpy: the same text with different labels,
and the same text on both sides of a train/validation split (leakage).

Two texts are duplicates when they are equal after normalising (case folded, punctuation
dropped, whitespace collapsed), and near-duplicates when their character 5-gram sets have
a Jaccard similarity of at least 0.9. Candidates come from MinHash with banding (locality
sensitive hashing: a pair that similar shares a band with probability > 0.99), so the cost
stays about linear in the rows; each candidate pair is then checked with its exact Jaccard.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NEAR_JACCARD = 0.9
SHINGLE = 5
# 32 bands of 4 hashes: a pair with Jaccard 0.9 shares a band with p = 1 - (1 - 0.9^4)^32 > 0.999.
_BANDS, _ROWS = 32, 4
_PRIME = (1 << 61) - 1
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DuplicateGroup:
    """Rows (indices into the texts given) whose texts are the same or nearly so."""

    rows: tuple[int, ...]
    exact: bool  # all normalised texts equal (else some are only near-duplicates)


@dataclass(frozen=True)
class LeakGroup:
    """Training rows and validation rows with the same or nearly the same text."""

    train_rows: tuple[int, ...]
    validation_rows: tuple[int, ...]
    exact: bool


def normalize(text: str) -> str:
    """Case folded, punctuation and symbols dropped, whitespace collapsed."""
    kept = "".join(" " if unicodedata.category(c)[0] in "PSZC" else c for c in text.casefold())
    return _SPACES.sub(" ", kept).strip()


def _shingles(text: str) -> set[int]:
    padded = f" {text} "
    if len(padded) <= SHINGLE:
        return {zlib.crc32(padded.encode("utf-8"))}
    return {zlib.crc32(padded[i : i + SHINGLE].encode("utf-8")) for i in range(len(padded) - SHINGLE + 1)}


def _signatures(sets: list[set[int]], seed: int = 0) -> np.ndarray:
    """MinHash signatures (N, bands * rows) from universal hashes (a * x + b) mod p."""
    rng = np.random.default_rng(seed)
    n_hash = _BANDS * _ROWS
    a = rng.integers(1, 1 << 31, size=n_hash, dtype=np.uint64)
    b = rng.integers(0, 1 << 31, size=n_hash, dtype=np.uint64)
    out = np.empty((len(sets), n_hash), dtype=np.uint64)
    for i, shingles in enumerate(sets):
        x = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
        # x < 2^32 and a < 2^31: the product fits 64 bits before the modulus.
        out[i] = ((x[:, None] * a[None, :] + b[None, :]) % np.uint64(_PRIME)).min(axis=0)
    return out


def _near_pairs(norm: list[str]) -> list[tuple[int, int]]:
    """Pairs of rows (i < j) with distinct normalised texts and a 5-gram Jaccard >= 0.9."""
    unique = sorted(set(norm))
    sets = [_shingles(t) for t in unique]
    if len(unique) < 2:
        return []
    signatures = _signatures(sets)
    candidates: set[tuple[int, int]] = set()
    for band in range(_BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        part = signatures[:, band * _ROWS : (band + 1) * _ROWS]
        for u in range(len(unique)):
            buckets[part[u].tobytes()].append(u)
        for members in buckets.values():
            candidates.update((members[x], members[y]) for x in range(len(members)) for y in range(x + 1, len(members)))
    similar = [(u, v) for u, v in candidates if len(sets[u] & sets[v]) >= NEAR_JACCARD * len(sets[u] | sets[v])]
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(norm):
        rows_of[t].append(i)
    return [(rows_of[unique[u]][0], rows_of[unique[v]][0]) for u, v in similar]


def _groups(texts: Sequence[str], near: bool) -> list[tuple[list[int], bool]]:
    """Rows joined by equal normalised text and (``near``) near-duplicate pairs: (rows, all exact)."""
    norm = [normalize(t) for t in texts]
    parent = list(range(len(norm)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, t in enumerate(norm):
        parent[find(i)] = find(first.setdefault(t, i))
    for i, j in _near_pairs(norm) if near else []:
        parent[find(i)] = find(j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(norm)):
        members[find(i)].append(i)
    return [(rows, len({norm[r] for r in rows}) == 1) for rows in members.values() if len(rows) > 1]


def conflicting_duplicates(
    texts: Sequence[str], labels: Sequence[object], *, near: bool = True
) -> list[DuplicateGroup]:
    """Groups of (near-)duplicate texts whose labels differ, largest first."""
    out = [DuplicateGroup(tuple(rows), exact) for rows, exact in _groups(texts, near)
           if len({labels[r] for r in rows}) > 1]
    return sorted(out, key=lambda g: (-len(g.rows), g.rows))


def leakage(train_texts: Sequence[str], validation_texts: Sequence[str], *, near: bool = True) -> list[LeakGroup]:
    """Groups of (near-)duplicate texts found in both the training and the validation texts."""
    n = len(train_texts)
    out = []
    for rows, exact in _groups([*train_texts, *validation_texts], near):
        train = tuple(r for r in rows if r < n)
        validation = tuple(r - n for r in rows if r >= n)
        if train and validation:
            out.append(LeakGroup(train, validation, exact))
    return sorted(out, key=lambda g: (-len(g.train_rows) - len(g.validation_rows), g.train_rows))
