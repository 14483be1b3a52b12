"""Issue 7 in the GUI: bad files, faults in workers and threading, driven end to end.

- a malformed file shows its message in the dataset panel, and the next good file loads;
- no widget or plot item is touched from a worker thread during a whole flow (load,
  train, predict, attention, close mid-run), checked by ``threading_guard``;
- an out-of-memory error, a bug and a NaN loss raised inside the real model during
  training reach the user as a message (with advice where there is some), and the app
  returns to idle and trains again.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QLabel, QMessageBox

from tests.gui.conftest import assert_no_active_timers
from tests.gui.test_main_window import (  # noqa: F401 - fixtures and helpers of the whole-app tests
    configure_tiny_run,
    load_dataset,
    sst2_csv,
)
from tests.gui.threading_guard import ThreadGuard, thread_guard  # noqa: F401 - the fixture
from workbench.engine.runs import RunFolder
from workbench.engine.training import trainer as trainer_module
from workbench.gui.main_window import MainWindow
from workbench.gui.panels.dataset_panel import DatasetPanel
from workbench.gui.workers import BACKGROUND_NICENESS, TaskRunner, running_workers

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
GOOD = ROOT / "tests" / "data" / "good"
REVIEWS = ROOT / "resources" / "demo" / "reviews.csv"
LOAD_MS = 20_000


# --------------------------------------------------------------------------- bad files


@pytest.fixture
def panel(qtbot):  # noqa: ANN001, ANN201
    p = DatasetPanel()
    qtbot.addWidget(p)
    p.show()
    yield p
    p.shutdown()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("html_page.csv", ("HTML", "raw file")),
        ("git_lfs_pointer.csv", ("Git LFS",)),
        ("xlsx_renamed.csv", ("Excel",)),
        ("utf16_cut_off.csv", ("UTF-16", "line 4")),
        ("surrogate_escape.jsonl", ("surrogate", "line 2")),
        ("binary_garbage.csv", ("binary",)),
    ],
)
def test_bad_file_shows_its_message_and_the_next_file_loads(qtbot, panel: DatasetPanel, name: str,  # noqa: ANN001
                                                           words: tuple[str, ...]) -> None:
    panel.open_file(str(BAD / name))
    qtbot.waitUntil(lambda: not panel.error_banner.isHidden() and not panel.busy, timeout=LOAD_MS)
    message = panel.error_banner.message
    assert name in message and all(w in message for w in words), message
    assert panel.error_banner.label.text() == message  # what the user reads
    assert panel.problems() == [f"dataset: {message}"]
    # Still usable: a good file (a UTF-16 one, which loads now) replaces the message.
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS) as blocker:
        panel.open_file(str(GOOD / "utf16_bom.csv"))
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    assert blocker.args[0].train.texts == ["good", "bad"]
    assert panel.error_banner.isHidden() and panel.problems() == []
    assert panel.table_model.rowCount() == 2


# --------------------------------------------------------------------------- threading guard


def test_guard_catches_a_deliberate_off_thread_touch(qtbot, thread_guard: ThreadGuard) -> None:  # noqa: ANN001, F811
    """The guard can fail: a worker that sets a label's text and a curve's data is caught."""
    import pyqtgraph as pg

    label = QLabel("main thread")
    qtbot.addWidget(label)  # never shown: nothing paints while the worker writes to it
    curve = pg.PlotDataItem()
    runner = TaskRunner()
    results: list[str] = []

    def touch() -> str:
        label.setText("from a worker")
        curve.setData([0.0, 1.0], [1.0, 0.0])
        return "done"

    runner.run(touch, on_result=results.append)
    qtbot.waitUntil(lambda: results == ["done"] and not running_workers(), timeout=10_000)
    runner.shutdown()
    found = thread_guard.take()
    assert any(f.startswith("QLabel.setText from thread") for f in found), found
    assert any(f.startswith("PlotDataItem.setData from thread") for f in found), found
    assert all("test_reliability_gui.py" in f or "pyqtgraph" in f for f in found)
    # The same calls on the main thread are fine.
    label.setText("main again")
    curve.setData([0.0, 1.0], [0.0, 1.0])
    assert thread_guard.take() == []


def test_full_flow_touches_no_widget_off_thread_and_closing_mid_run_cleans_up(
    qtbot, thread_guard: ThreadGuard, tmp_path: Path, sst2_csv: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001, F811
) -> None:
    """Load -> train (curves, evaluations) -> predict and attention on the live weights while
    it trains -> close mid-run, all under the guard: several worker threads at once."""
    from workbench.gui.settings import Settings

    settings = Settings()
    settings.set_workspace(tmp_path / "runs")
    w = MainWindow(demo=False, settings=settings)
    qtbot.addWidget(w)
    w.show()
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=100_000, eval_every=3)
    qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=10_000)
    evals: list[int] = []
    w.training_panel.run_event.connect(lambda e: evals.append(e.step) if type(e).__name__ == "EvalDone" else None)
    w.training_panel.start()
    qtbot.waitUntil(lambda: len(evals) >= 1, timeout=60_000)
    assert w.training_panel.curves.current.val_loss.n >= 1

    p = w.prediction_panel
    w.show_panel("Prediction")
    with qtbot.waitSignal(p.prediction_ready, timeout=30_000) as blocker:
        qtbot.keyClicks(p.text_edit, "a moving film")
    assert blocker.args[0] is w.training_panel.control.latest_snapshot()  # the weights being trained
    a = w.attention_panel
    w.show_panel("Attention")
    qtbot.waitUntil(lambda: a.current_matrix is not None, timeout=30_000)
    assert np.allclose(a.current_matrix.sum(axis=1), 1, atol=1e-4)
    assert w.training_panel.running

    # Closed mid-run: stopped at a step, a checkpoint saved, nothing left running.
    output = w.training_panel.output_dir
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert not w.close()  # the window waits for the checkpoint without blocking (test_robust_close.py)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=120_000)
    assert not running_workers()
    assert_no_active_timers(w)
    folder = RunFolder(output)
    assert folder.read_summary()["status"] == "cancelled"
    assert (folder.checkpoints_dir / "latest").is_file()
    assert thread_guard.calls_checked > 10_000, "the guard's hook did not run in the worker threads"


# --------------------------------------------------------------------------- faults in training


def inject_into_model(monkeypatch: pytest.MonkeyPatch, on_forward: Any, at_call: int) -> list[int]:
    """A test-only hook point: a forward hook on the real model the trainer builds.

    ``on_forward(output)`` runs at the ``at_call``-th forward pass (1-based) and may raise
    or return a replacement output. Returns the list of forward calls seen so far.
    """
    real = trainer_module.build_from_scratch
    calls: list[int] = []

    def build(*args: Any, **kwargs: Any) -> Any:
        model, tokenizer = real(*args, **kwargs)

        def hook(_module: Any, _inputs: Any, output: Any) -> Any:
            calls.append(len(calls) + 1)
            return on_forward(output) if len(calls) == at_call else None

        model.register_forward_hook(hook)
        return model, tokenizer

    monkeypatch.setattr(trainer_module, "build_from_scratch", build)
    return calls


def _raise(exc: BaseException) -> Any:
    def on_forward(_output: Any) -> Any:
        raise exc

    return on_forward


def wait_for_dialog(qtbot, w: MainWindow) -> QMessageBox:  # noqa: ANN001
    qtbot.waitUntil(lambda: any(b.isVisible() for b in w.findChildren(QMessageBox)), timeout=10_000)
    return next(b for b in w.findChildren(QMessageBox) if b.isVisible())


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB (simulated)"),
         ("Out of memory", "smaller batch size", "max")),
        (RuntimeError("a bug in a layer (simulated)"), ("RuntimeError", "a bug in a layer (simulated)")),
    ],
    ids=["out-of-memory", "unexpected-error"],
)
def test_error_inside_the_model_is_shown_and_the_app_trains_again(
    qtbot, window: MainWindow, sst2_csv: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException,  # noqa: ANN001, F811
    words: tuple[str, ...],
) -> None:
    w = window
    t = w.training_panel
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=20, eval_every=100)
    calls = inject_into_model(monkeypatch, _raise(exc), at_call=3)
    with qtbot.waitSignal(t.run_finished, timeout=60_000) as blocker:
        t.start()
    assert blocker.args[0] in ("error", "failed")
    assert len(calls) == 3  # the run stopped at the failing step
    box = wait_for_dialog(qtbot, w)
    message = box.text()
    assert message == t.last_error
    assert all(word in message for word in words), message
    assert "Traceback" not in message
    # Idle again: the buttons say so and nothing runs.
    assert w.status_label.text() == "Failed"
    assert t.start_button.isEnabled() and not t.stop_button.isEnabled() and not t.pause_button.isEnabled()
    # Nothing keeps running: the one job after a run ends (whether it can be resumed: a
    # checksum of its newest checkpoint) finishes by itself.
    assert not t.running
    qtbot.waitUntil(lambda: not running_workers(), timeout=30_000)
    box.accept()

    # And it trains again, on the same window, once the fault is gone.
    monkeypatch.undo()
    configure_tiny_run(w, steps=4, eval_every=4)
    # Run folders are named to the second: the next one must not be the failed run's.
    qtbot.waitUntil(lambda: w.current_config().output != t.output_dir, timeout=5_000)
    with qtbot.waitSignal(t.run_finished, timeout=60_000) as blocker:
        t.start()
    assert blocker.args[0] == "finished"
    assert RunFolder(blocker.args[1]).read_summary()["status"] == "finished"


def test_nan_loss_names_the_step_in_a_dialog(qtbot, window: MainWindow, sst2_csv: Path,  # noqa: ANN001, F811
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    w = window
    t = w.training_panel
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=20, eval_every=100)

    def poison(output: Any) -> Any:
        output["loss"] = output["loss"] * float("nan")  # a ModelOutput: item and attribute agree
        return output

    inject_into_model(monkeypatch, poison, at_call=3)
    with qtbot.waitSignal(t.run_finished, timeout=60_000) as blocker:
        t.start()
    assert blocker.args[0] == "failed"
    assert t.status == "failed at step 3"
    box = wait_for_dialog(qtbot, w)
    assert "step 3" in box.text() and box.text() == t.last_error
    assert t.start_button.isEnabled()
    # The one job after a run ends (whether it can be resumed) finishes by itself.
    qtbot.waitUntil(lambda: not running_workers(), timeout=30_000)
    box.accept()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness is Linux's")
def test_training_yields_the_cpu_to_the_window(qtbot, window: MainWindow, sst2_csv: Path,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The training thread runs at a lower priority than the main thread, so drawing is not
    queued behind torch's busy threads (bench/gui.py: p99 timer lateness 88 -> 36 ms)."""
    seen: list[int] = []

    def note_priority(_output: Any) -> None:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    inject_into_model(monkeypatch, note_priority, at_call=2)
    w = window
    load_dataset(qtbot, w, sst2_csv)
    configure_tiny_run(w, steps=3, eval_every=100)
    with qtbot.waitSignal(w.training_panel.run_finished, timeout=60_000) as blocker:
        w.training_panel.start()
    assert blocker.args[0] == "finished"
    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert seen == [min(19, main + BACKGROUND_NICENESS)]
