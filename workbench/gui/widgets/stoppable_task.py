"""The skeleton of a long action: a worker, the stop flag the engine checks, progress on the main thread.

The engine's long functions take a ``should_stop`` flag (checked between batches) and a plain
``progress(...)`` callback that runs in the worker; a widget may only be touched on the main
thread. ``StoppableTask`` pairs a ``TaskRunner`` with a fresh ``threading.Event`` per job, so
starting a job or pressing Cancel stops the running one at its next batch, and (given a slot)
a ``ProgressRelay`` that carries the job's progress to that slot on the main thread, dropping
what a superseded or cancelled job reports late.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar

from workbench.gui.workers import TaskRunner, Worker


class ProgressRelay(QObject):
    """Worker → main thread progress for one job at a time; a new job's callback silences the old ones."""

    _carried = Signal(int, object)  # (job id, the callback's arguments), queued from the worker
    progressed = Signal(object)  # the current job's arguments, on the main thread (tests listen to it)

    def __init__(self, slot: Callable[..., None] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._slot = slot
        self._job = 0
        self._carried.connect(self._deliver)

    def callback(self) -> Callable[..., None]:
        """A new job's progress callback (called in the worker); earlier jobs' callbacks go quiet."""
        self._job += 1
        job, carried = self._job, self._carried

        def progress(*args: Any) -> None:
            carried.emit(job, args)

        return progress

    def _deliver(self, job: int, args: tuple) -> None:
        if job != self._job:
            return  # from a superseded or cancelled job
        if self._slot is not None:
            self._slot(*args)
        self.progressed.emit(args)


class StoppableTask(QObject):
    """One job at a time in a worker, with a stop flag per job and (given ``on_progress``) its progress."""

    def __init__(self, parent: QObject | None = None, on_progress: Callable[..., None] | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.relay = ProgressRelay(on_progress, self) if on_progress is not None else None
        self._stop = threading.Event()

    @property
    def busy(self) -> bool:
        return self.runner.busy

    @property
    def stop_flag(self) -> threading.Event:
        """The current (or last) job's flag."""
        return self._stop

    def begin(self) -> tuple[threading.Event, Callable[..., None]]:
        """Stop the running job (at its next batch) and hand out the next job's stop flag and progress callback."""
        self._stop.set()
        self._stop = threading.Event()
        progress = self.relay.callback() if self.relay is not None else _ignore
        return self._stop, progress

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Worker:
        """``TaskRunner.run``: the callbacks (``on_result``, ``on_error``...) run on the main thread."""
        return self.runner.run(fn, *args, **kwargs)

    def cancel(self) -> bool:
        """Stop the running job: the engine at its next batch, its results dropped. False if none ran."""
        was_busy = self.runner.busy
        self._stop.set()
        self.runner.cancel()
        return was_busy

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop and wait for every thread of this task; True if all ended."""
        self._stop.set()
        return self.runner.shutdown(timeout_ms)


def _ignore(*_args: Any) -> None:
    """The progress callback of a task without a progress slot."""


def show_started(progress_bar: QProgressBar, status_label: QLabel, text: str) -> None:
    """A job starts: the bar is busy until the first progress says how much there is."""
    progress_bar.setRange(0, 0)
    progress_bar.show()
    status_label.setText(text)
