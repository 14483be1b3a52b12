"""The automatic learning rate: one rule (auto_learning_rate) for the trainer and the model panel."""

from __future__ import annotations

import pytest

from workbench.engine.models.presets import PRESETS
from workbench.engine.training.config import (
    SMALL_CHECKPOINT_PARAMETERS,
    TrainConfig,
    auto_learning_rate,
)


@pytest.mark.parametrize(
    ("model", "params", "from_scratch", "expected"),
    [
        ("bert-tiny", None, None, (1e-3, "preset")),  # a preset's own rate, whatever its size
        ("bilstm", 1_800_000, None, (5e-3, "preset")),
        ("my-run", 1_500_000, True, (1e-3, "from_scratch")),  # from scratch, not a preset known here
        ("org/model", None, None, (None, "size_unknown")),  # a checkpoint not measured yet
        ("org/model", SMALL_CHECKPOINT_PARAMETERS - 1, None, (1e-4, "small_checkpoint")),
        ("org/model", SMALL_CHECKPOINT_PARAMETERS, None, (5e-5, "checkpoint")),
        ("bert-tiny", 4_000_000, False, (1e-4, "small_checkpoint")),  # the caller knows best
    ],
)
def test_the_rule_and_its_reason(model, params, from_scratch, expected) -> None:
    assert auto_learning_rate(model, params, from_scratch=from_scratch) == expected


def test_the_config_resolves_with_the_same_rule() -> None:
    assert TrainConfig(model="bilstm").resolved_lr(True, 1_800_000) == PRESETS["bilstm"].lr
    assert TrainConfig(model="org/model").resolved_lr(False, 22_000_000) == 1e-4
    assert TrainConfig(model="org/model").resolved_lr(False, 110_000_000) == 5e-5
    assert TrainConfig(model="org/model", lr=3e-4).resolved_lr(False, 110_000_000) == 3e-4  # a choice wins
