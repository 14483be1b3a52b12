"""``describe_checkpoints``: what the app's checkpoint chooser lists for a stopped run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability_kit import CORRUPTIONS, stopped_run
from workbench.engine.training.checkpoint_checks import (
    CorruptCheckpoint,
    describe_checkpoints,
    resolve_resume_checkpoint,
)


def test_every_checkpoint_is_listed_with_its_step_time_marks_and_problems(tmp_path: Path) -> None:
    run = stopped_run(tmp_path, stop_at=6, max_steps=10)  # checkpoints 2, 4, 6; latest = 6
    CORRUPTIONS["truncated_weights"](run / "checkpoints" / "step-0000004")

    listed = describe_checkpoints(run)
    assert [c.name for c in listed] == ["step-0000002", "step-0000004", "step-0000006"]
    assert [c.step for c in listed] == [2, 4, 6]
    assert [c.latest for c in listed] == [False, False, True]
    assert sum(c.best for c in listed) == 1  # checkpoints/best names exactly one
    assert all(c.saved is not None for c in listed)
    assert listed[0].saved <= listed[1].saved <= listed[2].saved  # saved in step order
    assert [c.intact for c in listed] == [True, False, True]
    assert any("model.safetensors" in p and "truncated" in p for p in listed[1].problems)
    # The same verdict the trainer gives when asked to resume from it.
    with pytest.raises(CorruptCheckpoint, match="step-0000004"):
        resolve_resume_checkpoint(run, "step-0000004")

    # Without verification (a quick listing) nothing is read or hashed, and nothing reported.
    assert [c.problems for c in describe_checkpoints(run, verify=False)] == [(), (), ()]
    assert describe_checkpoints(tmp_path / "no-such-run") == []
