"""Runs in a separate process: the command line, process.json, stop through RUN/STOP, resume."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from workbench.engine import background
from workbench.engine.errors import CheckpointError, ConfigError
from workbench.engine.run_index import MetricsTail, run_status
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.stop_file import request_stop, stop_requested


def test_command_lines_for_one_process_torchrun_and_resume(tmp_path: Path) -> None:
    run = tmp_path / "r"
    assert background.train_command(run, python="py") == [
        "py", "-m", "workbench", "train", "--config", str(run / "config.json"), "--output", str(run), "--quiet",
    ]
    assert background.train_command(run, nproc=2, resume=True, python="py") == [
        "py", "-m", "torch.distributed.run", "--nproc-per-node", "2", "-m", "workbench", "train",
        "--resume", str(run), "--quiet",
    ]
    assert background.train_command(run, resume=True, checkpoint="step-0000040", python="py")[-4:] == [
        str(run), "--checkpoint", "step-0000040", "--quiet",
    ]
    with pytest.raises(ConfigError, match="at least 1"):
        background.train_command(run, nproc=0)


def test_launch_refuses_what_cannot_run(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="output folder"):
        background.launch_run(TrainConfig(data="x.tsv"))
    with pytest.raises(CheckpointError, match="no checkpoint"):
        background.launch_run(TrainConfig(data="x.tsv", output=str(tmp_path)), resume=True)
    with pytest.raises(ConfigError, match="batch_size"):
        background.launch_run(TrainConfig(data="x.tsv", batch_size=0, output=str(tmp_path / "bad")))
    assert not (tmp_path / "bad" / "process.json").exists()


def test_a_process_run_is_stopped_through_its_folder_and_leaves_a_resumable_checkpoint(
    sst2_small, tmp_path: Path
) -> None:
    train, dev = sst2_small
    run = tmp_path / "run"
    config = TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32,
                         vocab_size=300, max_steps=5000, batch_size=8, eval_every=1000, num_threads=1,
                         output=str(run))
    request_stop(run)  # a stale request from an earlier stop must not end the new process
    info = background.launch_run(config, niceness=5)
    try:
        if sys.platform.startswith("linux"):  # the process runs below the launcher's priority
            assert os.getpriority(os.PRIO_PROCESS, info.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
        saved = json.loads((run / "process.json").read_text())
        assert saved["pid"] == info.pid and saved["command"] == info.command and saved["started"] <= time.time()
        assert not stop_requested(run) and background.process_alive(info)
        assert run_status(run) == "running"
        tail, steps = MetricsTail(run / "metrics.jsonl"), []
        deadline = time.monotonic() + 60
        while len(steps) < 20 and time.monotonic() < deadline and background.pid_alive(info.pid):
            steps += [r["step"] for r in tail.read() if r["event"] == "step"]
            time.sleep(0.05)
        assert steps[:20] == list(range(1, 21)), background.log_tail(run)
        request_stop(run)
        deadline = time.monotonic() + 60
        while background.pid_alive(info.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert background.exit_code(info.pid) == 1  # cancelled, as the CLI reports it
        last = json.loads((run / "metrics.jsonl").read_text().splitlines()[-1])
        assert last["event"] == "cancelled" and 20 <= last["step"] < 5000
        assert Path(last["checkpoint"]).name == (run / "checkpoints" / "latest").read_text().strip()
        assert not stop_requested(run)  # consumed: --resume would not stop at once
        assert run_status(run) == "cancelled"
        assert (run / "process.log").read_text().count("-m workbench train") == 1
    finally:
        background.terminate(info)
    assert not background.process_alive(info)


@pytest.mark.skipif(sys.platform == "win32", reason="/proc and process groups")
def test_terminate_ends_the_whole_session(tmp_path: Path) -> None:
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "workbench"],
                             start_new_session=True)
    info = background.ProcessInfo(child.pid, time.time(), [])
    assert background.process_alive(info)
    assert background.terminate(info, timeout=10)
    child.wait(10)
    assert not background.pid_alive(child.pid)
