"""Following a run in another process always ends: a torn last line, a dead process at Stop,
a process that ignores Stop, and polling that backs off instead of spinning."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.engine import background
from workbench.engine.runs import RunFolder
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.gui.background_run import _MAX_POLL_MS, BackgroundRun


def _folder(path: Path, steps: int = 3) -> RunFolder:
    run = RunFolder(path)
    run.create()
    TrainConfig(data="train.tsv", model="bert-tiny", output=str(path)).save(run.config_path)
    for step in range(1, steps + 1):
        run.append_metric(ev.StepLogged(step, 100, 0.1 * step, 0.7, 1e-3, 1.0, 10.0, 0.1, 1.0).to_record())
    return run


def _write_process(run: RunFolder, pid: int) -> None:
    info = background.ProcessInfo(pid, 0.0, ["workbench", "train"], 1, "")
    (run.path / background.PROCESS_FILE).write_text(json.dumps(info.to_dict()), encoding="utf-8")


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen]:
    """A live process whose command line names workbench (as a real run's does) and that ignores STOP."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "workbench"])
    yield child
    child.kill()
    child.wait()


def test_a_process_that_died_mid_line_is_reported_not_waited_for(qtbot, tmp_path: Path) -> None:
    run = _folder(tmp_path / "run")
    with open(run.metrics_path, "ab") as handle:
        handle.write(b'{"event": "step", "step": 4, "lo')  # killed while writing
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _write_process(run, dead.pid)
    follower = BackgroundRun(run.path, poll_ms=20)
    steps: list[int] = []
    follower.event.connect(lambda e: steps.append(e.step))
    with qtbot.waitSignal(follower.ended, timeout=60_000) as ended:  # was: "running" forever, a core at 100 %
        follower.start()
    status, message = ended.args
    assert status == "crashed" and "cut off" in message and steps == [1, 2, 3]


def test_a_final_event_written_without_its_newline_still_ends_the_run_normally(qtbot, tmp_path: Path) -> None:
    run = _folder(tmp_path / "run")
    with open(run.metrics_path, "ab") as handle:
        handle.write(json.dumps(ev.TrainCancelled(3, "stopped").to_record()).encode())
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    _write_process(run, dead.pid)
    follower = BackgroundRun(run.path, poll_ms=20)
    with qtbot.waitSignal(follower.ended, timeout=60_000) as ended:
        follower.start()
    assert ended.args[0] == "cancelled"


def test_stop_on_a_process_that_is_gone_resolves_at_once(qtbot, tmp_path: Path, sleeper) -> None:
    run = _folder(tmp_path / "run")
    _write_process(run, sleeper.pid)
    follower = BackgroundRun(run.path, poll_ms=20)
    follower.start()
    qtbot.waitUntil(lambda: follower._timer.isActive(), timeout=60_000)
    sleeper.kill()
    sleeper.wait()
    ended: list[tuple[str, str]] = []
    follower.ended.connect(lambda status, message: ended.append((status, message)))
    follower.stop()
    assert ended and ended[0][0] == "crashed" and follower.final == "crashed"  # no waiting on a STOP file
    assert not follower.active


def test_a_second_stop_ends_a_process_that_ignored_the_first(qtbot, tmp_path: Path, sleeper) -> None:
    run = _folder(tmp_path / "run")
    _write_process(run, sleeper.pid)
    follower = BackgroundRun(run.path, poll_ms=20)
    follower.start()
    qtbot.waitUntil(lambda: follower._timer.isActive(), timeout=60_000)
    follower.stop()
    assert (run.path / "STOP").exists() and follower.final is None  # the polite request first
    with qtbot.waitSignal(follower.ended, timeout=15_000) as ended:
        follower.stop()
    assert ended.args[0] == "crashed" and "by force" in ended.args[1]
    assert sleeper.wait(timeout=10) is not None


def test_polling_backs_off_while_nothing_is_written(qtbot, tmp_path: Path, sleeper) -> None:
    run = _folder(tmp_path / "run")
    _write_process(run, sleeper.pid)
    follower = BackgroundRun(run.path, poll_ms=20)
    follower.start()
    qtbot.waitUntil(lambda: follower._timer.interval() == _MAX_POLL_MS, timeout=60_000)
    run.append_metric(ev.StepLogged(4, 100, 0.4, 0.7, 1e-3, 1.0, 10.0, 0.1, 1.0).to_record())
    qtbot.waitUntil(lambda: follower._timer.interval() == 20, timeout=10_000)  # back to the normal rate
    follower.detach()


def test_the_training_panel_can_end_a_process_that_ignores_stop(qtbot, tmp_path: Path, sleeper) -> None:
    from workbench.gui.panels.training_panel import TrainingPanel

    run = _folder(tmp_path / "run")
    _write_process(run, sleeper.pid)
    panel = TrainingPanel(lambda: TrainConfig())
    qtbot.addWidget(panel)
    assert panel.attach(run.path)
    qtbot.waitUntil(lambda: panel.background_run is not None and panel.background_run._timer.isActive(),
                    timeout=60_000)
    panel.stop()  # writes STOP; the process ignores it
    assert panel.stop_button.isEnabled() and panel.running  # was: greyed out, Start disabled until a restart
    with qtbot.waitSignal(panel.run_finished, timeout=20_000):
        panel.stop()  # "End now"
    assert not panel.running and panel.start_button.isEnabled()
    assert sleeper.wait(timeout=10) is not None
    panel.shutdown()
