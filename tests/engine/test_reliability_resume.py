"""Exact resume (issue 7, item 2): stopped and resumed runs end bit-identical to uninterrupted ones.

Each scenario runs a real (one-layer) model three times: uninterrupted, stopped at a
step, resumed from the run folder. Weights, per-step losses and the samples each
step used must all be equal. Dropout is on (0.1) in every scenario, so the RNG
state in the checkpoint is what makes them equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability_kit import resume_scenario, resume_scenarios


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    workdir = tmp_path_factory.mktemp("resume")
    return resume_scenarios(workdir), workdir


@pytest.mark.parametrize("name", ["mid_epoch", "epoch_boundary", "grad_accum", "masked_lm_dropout", "causal_lm_dropout"])
def test_resume_is_bit_identical(scenarios: tuple[dict, Path], name: str) -> None:
    table, workdir = scenarios
    make, stop_at = table[name]
    outcome = resume_scenario(name, make, stop_at, workdir)
    assert outcome.resumed_start == stop_at
    assert outcome.dropout > 0  # the RNG matters: without its exact state the runs would differ
    assert outcome.max_param_diff == 0.0
    assert outcome.losses_equal
    assert outcome.order_equal
    if name == "epoch_boundary":
        assert stop_at < outcome.total_steps  # the resumed part starts a new epoch
