"""Seeded train/validation splits: a plain shuffle, stratified by label, or by whole groups.

Which one a task uses is the task's choice (``Task.split``; ``task_data.stratified_split``
takes a task by name and checks the fraction first).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Sequence

from workbench.engine.data.examples import Examples
from workbench.engine.errors import ConfigError


def check_fraction(fraction: float) -> None:
    """A validation fraction must be from 0 to below 1."""
    if not 0 <= fraction < 1 or math.isnan(fraction):
        raise ConfigError(
            f"validation fraction {fraction!r} is out of range; use a number from 0 to "
            "below 1 (e.g. 0.1 for 10%)."
        )


def split_target(n: int, fraction: float) -> int:
    """How many of ``n`` go to validation: at least one when asked for any, never all."""
    if fraction <= 0 or n < 2:
        return 0
    return min(n - 1, max(1, round(n * fraction)))


def random_split(examples: Examples, fraction: float, seed: int) -> tuple[Examples, Examples]:
    """(train, validation): a seeded shuffle picks the validation examples; both keep file order."""
    n = len(examples)
    rng = random.Random(seed)  # own generator: the split never depends on global state
    order = list(range(n))
    rng.shuffle(order)
    return _parts(examples, set(order[: split_target(n, fraction)]))


def label_split(examples: Examples, fraction: float, seed: int) -> tuple[Examples, Examples]:
    """(train, validation) stratified by label (one label id per example).

    Per class, about ``fraction`` of its examples go to validation, and a class
    with two or more examples keeps at least one in train (a class with one
    example stays in train). Without labels, ``random_split``.
    """
    if examples.labels is None:
        return random_split(examples, fraction, seed)
    rng = random.Random(seed)
    return _parts(examples, _stratified(examples.labels, fraction, rng))  # type: ignore[arg-type]


def group_split(
    examples: Examples, groups: Sequence[Hashable], fraction: float, seed: int
) -> tuple[Examples, Examples]:
    """(train, validation) holding out whole groups: ``groups[i]`` is example i's.

    Examples of one group never straddle the split (the turns of a conversation, the
    alternative translations of one sentence: seen in training, they would make
    validation look better than it is). A seeded shuffle orders the groups, which are
    held out until about ``fraction`` of the examples is; one group always trains.
    """
    sizes = Counter(groups)
    order = list(sizes)  # first appearance: deterministic before the shuffle
    random.Random(seed).shuffle(order)
    target = split_target(len(examples), fraction)
    held: set[Hashable] = set()
    count = 0
    for group in order[1:]:
        if count >= target:
            break
        held.add(group)
        count += sizes[group]
    return _parts(examples, {i for i, group in enumerate(groups) if group in held})


def _parts(examples: Examples, val: set[int]) -> tuple[Examples, Examples]:
    train_idx = [i for i in range(len(examples)) if i not in val]
    return examples.subset(train_idx), examples.subset(sorted(val))


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
    left = split_target(len(labels), fraction) - sum(quota.values())
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
