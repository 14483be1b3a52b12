"""Seeded train/validation split, stratified by label for classification."""

from __future__ import annotations

import math
import random

from workbench.engine.data.examples import Examples
from workbench.engine.errors import ConfigError


def _target(n: int, fraction: float) -> int:
    """How many of ``n`` go to validation: at least one when asked for any, never all."""
    if fraction <= 0 or n < 2:
        return 0
    return min(n - 1, max(1, round(n * fraction)))


def stratified_split(
    examples: Examples, fraction: float = 0.1, seed: int = 0
) -> tuple[Examples, Examples]:
    """Split into (train, validation), deterministic for a given ``seed``.

    Classification: per class, about ``fraction`` of its examples go to
    validation, and a class with two or more examples keeps at least one in
    train (a class with one example stays in train). Other tasks: a plain
    seeded shuffle. Both parts keep the original order of the examples.
    """
    if not 0 <= fraction < 1 or math.isnan(fraction):
        raise ConfigError(
            f"validation fraction {fraction!r} is out of range; use a number from 0 to "
            "below 1 (e.g. 0.1 for 10%)."
        )
    if examples.task == "question-answering":  # whole articles: see split_by_article for why
        from workbench.engine.tasks.question_answering import split_by_article

        return split_by_article(examples, fraction)  # type: ignore[arg-type]
    n = len(examples)
    rng = random.Random(seed)  # own generator: the split never depends on global state
    if examples.task != "classification" or examples.labels is None:
        order = list(range(n))
        rng.shuffle(order)
        val = set(order[: _target(n, fraction)])
    else:
        val = _stratified(examples.labels, fraction, rng)  # type: ignore[arg-type]
    train_idx = [i for i in range(n) if i not in val]
    val_idx = sorted(val)
    return examples.subset(train_idx), examples.subset(val_idx)


def _stratified(labels: list[int], fraction: float, rng: random.Random) -> set[int]:
    # 1. Group the example indices by class, in class-id order (deterministic).
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    classes = sorted(groups)
    # 2. Each class gets floor(count * fraction), capped so one example stays in train.
    caps = {c: max(0, len(groups[c]) - 1) for c in classes}
    quota = {c: min(caps[c], math.floor(len(groups[c]) * fraction)) for c in classes}
    # 3. Hand out the rest of the overall target by largest remainder, so the total
    #    matches round(n * fraction) as closely as the caps allow.
    left = _target(len(labels), fraction) - sum(quota.values())
    by_remainder = sorted(classes, key=lambda c: (-(len(groups[c]) * fraction - quota[c]), c))
    while left > 0:
        progressed = False
        for c in by_remainder:
            if left > 0 and quota[c] < caps[c]:
                quota[c] += 1
                left -= 1
                progressed = True
        if not progressed:
            break
    # 4. Draw each class's validation examples at random.
    chosen: set[int] = set()
    for c in classes:
        members = groups[c][:]
        rng.shuffle(members)
        chosen.update(members[: quota[c]])
    return chosen
