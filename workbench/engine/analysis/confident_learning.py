"""Confident learning (Northcutt, Jiang and Chuang, JAIR 2021) in numpy.

Why not ``cleanlab``: it implements the same algorithm, but it pulls in a large dependency
tree (pandas, scikit-learn, termcolor, tqdm, ...) for what is one function of about sixty
lines here. The steps below follow the paper and cleanlab's defaults
(``filter_by="prune_by_noise_rate"``), and a test compares the two when cleanlab happens
to be installed.

1. Per-class threshold t_j: the mean self-confidence P[i, j] of the rows labelled j.
2. Confident joint C[i][j]: rows labelled i whose probability of j reaches t_j (the most
   probable such j when several do).
3. Calibration: each row of C scaled to the number of rows with that label, then the whole
   matrix to a joint distribution Q summing to 1.
4. Prune by noise rate: for each off-diagonal cell (i, j), the round(n * Q[i, j]) rows
   labelled i with the largest margin P[., j] - P[., i] are issues; a row the model still
   predicts as its given label is never one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RANKINGS = ("normalized_margin", "self_confidence")

# --min-confidence's default and the GUI's "Select confident": clean only the flagged rows whose
# suggested label every repeat's fold models gave this probability or more. On the planted SST-2
# sets (bench/label_errors.py, MiniLM retrained for 3 epochs, scored on 10,000 held-out rows)
# a third of the flagged rows were planted: most flags are the fold models' own confident mistakes
# on hard rows, and dropping them all lost accuracy. With 3 repeats, dropping the flags every
# repeat gave 0.9 or more (precision 0.62 on each of two planted sets) won back 0.30 and 0.32 of
# what the noise cost (5 and 10 training seeds; 95 % intervals 0.10-0.48 and 0.07-0.57); a mean
# of 0.9 or more (precision 0.59 and 0.54) about a sixth (3 seeds, which leave about ±0.3).
CONFIDENT = 0.9


@dataclass(frozen=True)
class ConfidentLearning:
    """What confident learning found: which rows, in which order, with what suggestion."""

    issues: np.ndarray  # bool (N,): the rows flagged as mislabeled
    scores: np.ndarray  # float (N,): label quality in [0, 1], lower = more likely mislabeled
    ranking: np.ndarray  # int (N,): every row, most likely mislabeled first
    suggested: np.ndarray  # int (N,): the most probable class of each row
    thresholds: np.ndarray  # float (K,): t_j
    confident_joint: np.ndarray  # int (K, K): rows are given labels, columns the confident ones
    joint: np.ndarray  # float (K, K): the calibrated joint, summing to 1

    @property
    def estimated_issues(self) -> int:
        """The number of mislabeled rows the calibrated joint estimates (its off-diagonal mass)."""
        n = len(self.scores)
        return int(round(n * float(self.joint.sum() - np.trace(self.joint))))

    def ranked_issues(self) -> np.ndarray:
        """The flagged rows, most likely mislabeled first."""
        return self.ranking[self.issues[self.ranking]]


def label_quality(labels: np.ndarray, probs: np.ndarray, method: str = "normalized_margin") -> np.ndarray:
    """Per-row label quality in [0, 1] (lower = more likely mislabeled), as cleanlab scores it.

    ``self_confidence``: P[i, y_i]; ``normalized_margin``: (P[i, y_i] - max_{j != y_i} P[i, j] + 1) / 2.
    """
    if method not in RANKINGS:
        raise ValueError(f"unknown ranking {method!r}; use one of {', '.join(RANKINGS)}")
    rows = np.arange(len(labels))
    given = probs[rows, labels]
    if method == "self_confidence":
        return given.astype(np.float64)
    others = probs.astype(np.float64).copy()
    others[rows, labels] = -np.inf
    return (given - others.max(axis=1) + 1.0) / 2.0


def confident_joint(labels: np.ndarray, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the confident joint C (K, K) of counts, the per-class thresholds t (K,))."""
    k = probs.shape[1]
    counts = np.bincount(labels, minlength=k)
    sums = np.bincount(labels, weights=probs[np.arange(len(labels)), labels], minlength=k)
    thresholds = np.divide(sums, counts, out=np.ones(k), where=counts > 0)
    # A class no row is given keeps threshold 1: only a certain prediction counts for it.
    above = probs >= thresholds[None, :] - 1e-6  # cleanlab's tolerance for t_j itself
    masked = np.where(above, probs, -np.inf)
    confident = masked.argmax(axis=1)
    has_one = above.any(axis=1)
    joint = np.zeros((k, k), dtype=np.int64)
    np.add.at(joint, (labels[has_one], confident[has_one]), 1)
    return joint, thresholds


def calibrate(joint_counts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The calibrated joint: each row scaled to that label's count, then all to sum 1."""
    k = joint_counts.shape[0]
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    row_sums = joint_counts.sum(axis=1).astype(np.float64)
    scaled = joint_counts * np.divide(counts, row_sums, out=np.zeros(k), where=row_sums > 0)[:, None]
    total = scaled.sum()
    return scaled / total if total > 0 else scaled


def find_label_issues(
    labels: np.ndarray | list[int], probs: np.ndarray, *, ranking: str = "normalized_margin"
) -> ConfidentLearning:
    """Confident learning on out-of-sample probabilities ``probs`` (N, K) of rows given ``labels`` (N,)."""
    labels = np.asarray(labels, dtype=np.int64)
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or len(labels) != len(probs):
        raise ValueError(f"probabilities {probs.shape} do not match {len(labels)} labels")
    n, k = probs.shape
    counts, thresholds = confident_joint(labels, probs)
    joint = calibrate(counts, labels)
    predicted = probs.argmax(axis=1)
    issues = np.zeros(n, dtype=bool)
    for given in range(k):
        rows = np.flatnonzero(labels == given)
        for other in range(k):
            prune = int(round(n * joint[given, other]))
            if other == given or prune == 0 or rows.size == 0:
                continue
            margin = probs[rows, other] - probs[rows, given]
            issues[rows[np.argsort(-margin, kind="stable")[:prune]]] = True
    issues &= predicted != labels  # the model agrees with the given label: not an issue
    scores = label_quality(labels, probs, ranking)
    order = np.lexsort((np.arange(n), scores))  # lowest quality first; ties in row order
    return ConfidentLearning(issues, scores, order, predicted, thresholds, counts, joint)
