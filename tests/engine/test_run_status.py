"""Run statuses are defined once (RunStatus) and still read and write as the plain strings."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.engine import run_index
from workbench.engine.run_status import ENDED, RunStatus
from workbench.engine.runs import RunFolder
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import TrainFinished
from workbench.engine.training.trainer import Trainer


def test_a_status_is_its_string_in_comparisons_text_and_json() -> None:
    assert RunStatus.EARLY_STOPPED == "early_stopped" and RunStatus("time_limit") is RunStatus.TIME_LIMIT
    assert f"{RunStatus.RUNNING}" == str(RunStatus.RUNNING) == "running"
    assert json.dumps({"status": RunStatus.CANCELLED}) == '{"status": "cancelled"}'
    assert {"crashed": 1}[RunStatus.CRASHED] == 1  # tables keyed by the strings still find it
    # run_index keeps its names, as plain strings (they go into Qt models).
    assert run_index.ENDED == ("finished", "early_stopped", "time_limit", "cancelled", "failed") == ENDED
    assert [type(s) for s in (run_index.RUNNING, run_index.CRASHED, run_index.FAILED)] == [str] * 3


def test_a_run_ended_by_early_stopping_writes_and_reads_back_its_status(sst2_small, tmp_path: Path) -> None:
    train, dev = sst2_small
    out = tmp_path / "run"
    config = TrainConfig(
        data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32, vocab_size=500,
        batch_size=32, seed=0, num_threads=1, max_steps=40, eval_every=1, early_stopping_patience=1,
        lr=1e-9, metric_for_best="eval_accuracy", output=str(out),  # the second evaluation cannot improve
    )
    last = list(Trainer(config).run())[-1]
    assert isinstance(last, TrainFinished) and last.step == 2
    assert type(last.summary["status"]) is str and last.summary["status"] == "early_stopped"
    assert '"status": "early_stopped"' in RunFolder(out).summary_path.read_text(encoding="utf-8")
    assert run_index.run_status(out) == RunStatus.EARLY_STOPPED
