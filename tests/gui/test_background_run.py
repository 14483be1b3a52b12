"""A run in a separate process: live curves from its metrics.jsonl, closing the window, re-attaching, Stop."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from tests.gui.conftest import assert_no_active_timers
from workbench.engine import background
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.gui.main_window import MainWindow
from workbench.gui.panels.training_panel import TrainingPanel
from workbench.gui.settings import Settings
from workbench.gui.workers import BACKGROUND_NICENESS


@pytest.fixture
def run_dir(tmp_path: Path):
    """The run folder; whatever process trains in it is killed at the end, whatever happened."""
    run = tmp_path / "workspace" / "bg-run"
    yield run
    info = background.read_process(run)
    if info is not None:
        background.terminate(info)
        assert not background.process_alive(info)


def _steps_in_file(run: Path) -> list[int]:
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if line.strip()]
    return [r["step"] for r in records if r["event"] == "step"]


def test_a_process_run_shows_live_curves_outlives_the_window_and_stops_resumably(
    qtbot, sst2_small, run_dir: Path
) -> None:
    train, dev = sst2_small

    def config() -> TrainConfig:
        # Far more steps than the test waits for: it ends by Stop, never by itself.
        return TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32,
                           vocab_size=300, max_steps=20_000, batch_size=8, eval_every=30, num_threads=1,
                           output=str(run_dir))

    panel = TrainingPanel(config)
    qtbot.addWidget(panel)
    panel.show()
    panel.background_check.setChecked(True)
    assert QSettings().value("training/background_process", type=bool)  # remembered
    with qtbot.waitSignal(panel.run_started, timeout=10_000) as started:
        panel.start()
    assert started.args == [None]  # no in-process control: steered through the folder
    info = background.read_process(run_dir)
    assert info is not None and background.process_alive(info)
    if sys.platform.startswith("linux"):  # below the window's priority, as an in-window run is
        launcher = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, info.pid) == min(19, launcher + BACKGROUND_NICENESS)
    assert panel.running and not panel.running_in_process
    assert not panel.pause_button.isEnabled() and panel.stop_button.isEnabled()
    assert not panel.background_check.isEnabled()

    # The curves grow from the file over several reads, and show exactly what it holds.
    follower = panel.background_run
    qtbot.waitUntil(lambda: follower.polls >= 3 and panel.curves.current.metric.n >= 1, timeout=60_000)
    panel.curves.flush()
    shown = panel.curves.current.items["loss"].getData()[0]
    assert len(shown) >= 30 and np.array_equal(shown, _steps_in_file(run_dir)[: len(shown)])

    # Closing the panel (the window) stops following, not training.
    seen = panel.curves.current.loss.n
    panel.shutdown()
    assert background.process_alive(info)
    assert_no_active_timers(panel)

    # Reopening the folder re-attaches: the window shows the run live again and can stop it.
    settings = Settings()
    settings.set_workspace(run_dir.parent)
    window = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.open_run(str(run_dir))
    t = window.training_panel
    assert t.background_run is not None and t.running
    qtbot.waitUntil(lambda: t.curves.current is not None and t.curves.current.loss.n > seen + 10,
                    timeout=60_000)
    with qtbot.waitSignal(t.run_finished, timeout=60_000) as finished:
        t.stop()
        # Asked once; the process answers at a step boundary. Pressed again, Stop would end it at once.
        assert t.stop_button.isEnabled() and t.stop_button.text() == "End now"
    assert finished.args == ["cancelled", str(run_dir)]
    assert t.status.startswith("cancelled at step") and not t.running
    state = json.loads((run_dir / "summary.json").read_text())
    assert state["status"] == "cancelled"

    # The checkpoint resumes in the engine: one more step from where the process stopped.
    from workbench.engine.training.checkpoints import latest_checkpoint, load_trainer_state
    from workbench.engine.training.trainer import Trainer

    checkpoint = latest_checkpoint(run_dir / "checkpoints")
    step = load_trainer_state(checkpoint)["step"]
    assert step == state["steps"] and step > seen
    resumed = TrainConfig.load(run_dir / "config.json")
    resumed.max_steps = step + 1
    events = list(Trainer(resumed, resume_from=run_dir).run())
    begin = next(e for e in events if isinstance(e, ev.TrainBegin))
    assert begin.start_step == step
    assert isinstance(events[-1], ev.TrainFinished) and events[-1].step == step + 1
    qtbot.waitUntil(lambda: not background.process_alive(info), timeout=30_000)
    window.close()
    assert_no_active_timers(window)


def test_a_process_refused_before_its_first_step_is_failed_with_its_reason(qtbot, sst2_small, run_dir: Path) -> None:
    train, _dev = sst2_small

    def config() -> TrainConfig:
        # A label column that does not exist: the process exits with the CLI's error before training.
        return TrainConfig(data=str(train), model="bert-tiny", label_column="no_such_column", max_steps=5,
                           output=str(run_dir))

    panel = TrainingPanel(config)
    qtbot.addWidget(panel)
    panel.background_check.setChecked(True)
    with qtbot.waitSignal(panel.run_finished, timeout=60_000) as finished:
        panel.start()
    assert finished.args == ["error", str(run_dir)]
    # The reason the process gave, not "crashed" and a pointer to its log.
    assert "no_such_column" in panel.last_error and "without a final event" not in panel.last_error
    assert panel.status == "failed" and not panel.running
    from workbench.engine.run_index import describe_run

    info = describe_run(run_dir)  # the runs panel says the same
    assert info.status == "failed" and "no_such_column" in info.problem
    panel.shutdown()


def test_attaching_to_a_long_log_catches_up_in_chunks_then_sees_that_nothing_trains_it(
    qtbot, tmp_path: Path
) -> None:
    import os
    import time

    from workbench.engine.runs import RunFolder

    run = RunFolder(tmp_path / "long")
    run.create()
    TrainConfig(data="train.tsv", output=str(run.path)).save(run.config_path)
    for step in range(1, 5001):
        run.append_metric(ev.StepLogged(step, 10_000, step / 100, 1 / step, 1e-3, 0.5, 100.0, step / 10,
                                        1.0).to_record())
    old = time.time() - 3600  # nothing has written it for an hour, and there is no process.json
    os.utime(run.metrics_path, (old, old))
    panel = TrainingPanel(lambda: TrainConfig())
    qtbot.addWidget(panel)
    events: list = []
    panel.run_event.connect(events.append)
    with qtbot.waitSignal(panel.run_finished, timeout=20_000) as finished:
        assert panel.attach(run.path)
    assert finished.args == ["error", str(run.path)]
    assert "without a final event" in panel.last_error
    assert [e.step for e in events] == list(range(1, 5001))  # all of them, in order, once
    assert panel.curves.current.loss.n == 5000 and not panel.running
    panel.shutdown()
    assert_no_active_timers(panel)


def test_following_a_resumed_run_drops_the_steps_its_first_attempt_logged_past_the_resume_point(
    qtbot, tmp_path: Path
) -> None:
    """metrics.jsonl is append-only: a run stopped at step 10 and resumed from step-6 logs
    steps 7-10 twice. The live curves keep only the resumed attempt's, as a folder read does."""
    from workbench.engine.runs import RunFolder
    from workbench.gui.widgets.curves import read_run_history

    run = RunFolder(tmp_path / "resumed")
    run.create()
    TrainConfig(data="train.tsv", output=str(run.path)).save(run.config_path)

    def steps(first: int, last: int, loss_offset: float) -> None:
        for step in range(first, last + 1):
            run.append_metric(ev.StepLogged(step, 12, step / 12, loss_offset + 1 / step, 1e-3, 0.5, 100.0,
                                            step / 10, 1.0).to_record())

    run.append_metric(ev.TrainBegin(12, 100, 10, 12, "cpu").to_record())
    steps(1, 10, 0.0)
    run.append_metric(ev.TrainBegin(12, 100, 10, 12, "cpu", start_step=6).to_record())
    steps(7, 12, 5.0)  # the second attempt's losses are told apart by +5
    run.append_metric(ev.TrainFinished(12, {"status": "finished"}).to_record())

    panel = TrainingPanel(lambda: TrainConfig())
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.run_finished, timeout=20_000) as finished:
        assert panel.attach(run.path)
    assert finished.args[0] == "finished"
    loss = panel.curves.current.loss
    assert loss.x.tolist() == list(range(1, 13))
    assert loss.y.tolist() == [1 / s for s in range(1, 7)] + [5.0 + 1 / s for s in range(7, 13)]
    assert loss.x.tolist() == read_run_history(run.path).steps.tolist()  # what reading the folder shows
    panel.shutdown()
