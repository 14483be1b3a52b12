"""A run trained from a terminal (no launcher wrote process.json for it) and killed without a word
is known crashed at once: every training process records itself in its run folder (issue 20)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from workbench.engine import background
from workbench.engine.run_index import MetricsTail, run_status
from workbench.gui.background_run import BackgroundRun


def _wait_for_a_step(run: Path, child: subprocess.Popen) -> None:
    tail = MetricsTail(run / "metrics.jsonl")
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        if any(r.get("event") == "step" for r in tail.read()):
            return
        time.sleep(0.05)
    raise AssertionError(f"no training step logged (exit code {child.poll()})")


def test_a_terminal_run_killed_mid_run_is_followed_to_crashed_at_once(qtbot, sst2_small, tmp_path: Path) -> None:
    train, dev = sst2_small
    run = tmp_path / "terminal-run"
    command = [sys.executable, "-m", "workbench", "train", "--data", str(train), "--validation", str(dev),
               "--model", "bert-tiny", "--layers", "1", "--heads", "2", "--hidden", "32", "--vocab-size", "300",
               "--max-steps", "100000", "--batch-size", "8", "--eval-every", "100000", "--num-threads", "1",
               "--output", str(run), "--quiet"]  # far more steps than it lives for
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             env={**os.environ, "OMP_NUM_THREADS": "1"})
    try:
        _wait_for_a_step(run, child)
        record = background.read_process(run)
        assert record is not None and record.pid == child.pid  # the process said it trains the run
        assert background.process_alive(record) and run_status(run) == "running"
    finally:
        child.send_signal(signal.SIGKILL)  # no final event, no cleanup: as a power cut or the OOM killer
        child.wait()

    # Its metrics.jsonl changed a moment ago: judged by the writes it would be "running" for 120 s.
    assert run_status(run) == "crashed"
    follower = BackgroundRun(run, poll_ms=20)
    assert not follower.alive()
    with qtbot.waitSignal(follower.ended, timeout=30_000) as ended:
        follower.start()
    assert ended.args[0] == "crashed" and follower.final == "crashed"
    assert not follower.active
