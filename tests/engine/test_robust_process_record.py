"""Every training process says in RUN/process.json that it trains the run, and takes it back at
a clean end (issue 20): an in-process run here, a terminal run in tests/gui/test_robust_follow_killed.py."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.engine import background
from workbench.engine.run_index import run_status
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import StepLogged
from workbench.engine.training.trainer import Trainer


def test_a_run_records_its_process_while_it_trains_and_removes_it_at_its_end(sst2_small, tmp_path: Path) -> None:
    train, dev = sst2_small
    run = tmp_path / "run"
    config = TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32,
                         vocab_size=300, max_steps=4, batch_size=8, eval_every=100, num_threads=1, output=str(run))
    seen: list[background.ProcessInfo | None] = []
    for event in Trainer(config).run():
        if isinstance(event, StepLogged) and not seen:
            seen.append(background.read_process(run))
            assert run_status(run) == "running"
    record = seen[0]
    assert record is not None and record.pid == os.getpid() and background.same_host(record)
    assert background.process_alive(record)  # this process, though its command line names pytest
    assert not (run / background.PROCESS_FILE).exists()  # a clean end: nothing claims the run any more
    assert run_status(run) == "finished"


def test_a_live_launcher_record_is_kept_and_a_dead_one_replaced(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    mine = background.ProcessInfo(os.getpid(), 1.0, ["python", "-m", "workbench", "train"])
    background.atomic_write_json(run / background.PROCESS_FILE, mine.to_dict())
    assert background.record_training_process(run) is None  # the launcher's record of this very process
    background.release_training_process(run, background.ProcessInfo(os.getpid(), 2.0, []))
    assert background.read_process(run) == mine  # not ours to remove

    dead = background.ProcessInfo(2**22 + 12345, 1.0, ["workbench"])  # above Linux's pid_max: never alive
    background.atomic_write_json(run / background.PROCESS_FILE, dead.to_dict())
    record = background.record_training_process(run)
    assert record is not None and background.read_process(run) == record
    background.release_training_process(run, record)
    assert background.read_process(run) is None
