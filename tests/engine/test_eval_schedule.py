"""Evaluations follow eval_every; the extra ones (an epoch's end, the run's end) say why they happened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import shared
from workbench.engine.run_index import event_from_record
from workbench.engine.runs import RunFolder
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import EvalDone
from workbench.engine.training.trainer import Trainer


@pytest.fixture(scope="module")
def short_epochs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """80 SST-2 training rows (5 batches of 16: an epoch ends every 5 steps) and 48 dev rows."""
    folder = tmp_path_factory.mktemp("short_epochs")
    out = []
    for name, n in (("train.tsv", 80), ("dev.tsv", 48)):
        lines = shared("sst2", name).read_text(encoding="utf-8").splitlines()[: n + 1]
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def _config(train: Path, dev: Path, out: Path | None, **overrides: object) -> TrainConfig:
    values: dict[str, object] = {
        "data": str(train), "validation": str(dev), "model": "bert-tiny", "layers": 1, "heads": 2, "hidden": 32,
        "vocab_size": 500, "batch_size": 16, "seed": 0, "num_threads": 1, "output": str(out) if out else None,
    }
    values.update(overrides)
    return TrainConfig(**values)


def test_evaluations_are_on_the_schedule_plus_a_labelled_final_one(sst2_small, tmp_path: Path) -> None:
    """eval_every=4 over 10 steps (one epoch is 38 steps): 4 and 8 as scheduled, 10 as the final one."""
    train, dev = sst2_small
    out = tmp_path / "run"
    events = list(Trainer(_config(train, dev, out, max_steps=10, eval_every=4)).run())
    evals = [e for e in events if isinstance(e, EvalDone)]
    assert [(e.step, e.reason) for e in evals] == [(4, "scheduled"), (8, "scheduled"), (10, "final")]

    # metrics.jsonl says the same, one evaluation per step, and reads back into the same events.
    records = [r for r in RunFolder(out).read_metrics() if r["event"] == "eval"]
    assert [(r["step"], r["reason"]) for r in records] == [(4, "scheduled"), (8, "scheduled"), (10, "final")]
    assert [event_from_record(r) for r in records] == evals


def test_a_final_step_on_the_schedule_is_evaluated_once(sst2_small) -> None:
    train, dev = sst2_small
    events = list(Trainer(_config(train, dev, None, max_steps=8, eval_every=4)).run())
    evals = [(e.step, e.reason) for e in events if isinstance(e, EvalDone)]
    assert evals == [(4, "scheduled"), (8, "scheduled")]


def test_epoch_ends_between_scheduled_steps_are_labelled(short_epochs) -> None:
    """Epochs of 5 steps, eval_every=4, 11 steps: the epoch ends (5, 10) and the end (11) are the extras."""
    train, dev = short_epochs
    events = list(Trainer(_config(train, dev, None, max_steps=11, eval_every=4)).run())
    evals = [e for e in events if isinstance(e, EvalDone)]
    assert [(e.step, e.reason) for e in evals] == [
        (4, "scheduled"), (5, "epoch_end"), (8, "scheduled"), (10, "epoch_end"), (11, "final"),
    ]
    steps = [e.step for e in evals]
    assert len(steps) == len(set(steps))  # never two evaluations at one step
    assert [e.epoch for e in evals if e.reason == "epoch_end"] == [1.0, 2.0]


def test_a_record_written_before_the_reason_existed_reads_as_scheduled() -> None:
    """Old run folders stay readable: their evaluations count as scheduled (drawn as before)."""
    old = json.loads('{"event": "eval", "step": 30, "epoch": 1.3, "metrics": {"eval_loss": 0.5}}')
    event = event_from_record(old)
    assert isinstance(event, EvalDone)
    assert (event.step, event.reason, event.metrics) == (30, "scheduled", {"eval_loss": 0.5})
    # And a new record carries the reason as a plain key beside the old ones.
    record = EvalDone(10, 0.4, {"eval_loss": 0.7}, "final").to_record()
    assert record == {"event": "eval", "step": 10, "epoch": 0.4, "metrics": {"eval_loss": 0.7}, "reason": "final"}
