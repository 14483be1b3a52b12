"""Follow a run that trains in another process, through its run folder.

The process (``workbench train``, started by ``engine/background.py`` or by anyone
in a terminal) appends one JSON line per event to ``RUN/metrics.jsonl``.
``BackgroundRun`` turns the new lines back into the engine's events and emits
them, so the training panel draws them exactly as it draws an in-process run.

- Catching up with what is already there (a long run re-attached after the
  window was closed can have megabytes) happens in a worker thread.
- After that a timer reads only what was appended since the last tick, at most
  ``_MAX_READ_BYTES`` per tick (about 350 steps: 3 ms of JSON parsing on the main
  thread). Events waiting to be drawn (the catch-up, or a run that logs faster than
  the timer reads) go out ``_CHUNK_EVENTS`` at a time, with the event loop running
  between chunks, so the window never freezes.
- The run has ended when a final event (finished, cancelled, failed) arrives, or
  when its process is gone without one: ``crashed``, with the end of
  ``process.log`` as the reason.
- Stop writes ``RUN/STOP``; the process stops at its next step boundary and
  saves a checkpoint. ``detach()`` only stops following: the process runs on.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.engine import background
from workbench.engine.run_index import RECENT_S, MetricsTail, event_from_record
from workbench.engine.runs import METRICS_FILE
from workbench.engine.training.stop_file import request_stop
from workbench.gui.i18n import translate
from workbench.gui.workers import TaskRunner

POLL_MS = 250
_MAX_READ_BYTES = 64 * 1024
_CHUNK_EVENTS = 1000
_FINAL_KINDS = ("finished", "cancelled", "failed")


def _catch_up(tail: MetricsTail) -> list[Any]:
    """Worker thread: every complete record already in the file, as events."""
    events = (event_from_record(r) for r in tail.read())
    return [e for e in events if e is not None]


class BackgroundRun(QObject):
    """Follows one run folder; emits ``event`` per engine event and ``ended`` once."""

    event = Signal(object)  # an engine Event read back from metrics.jsonl
    ended = Signal(str, str)  # (finished / cancelled / failed / crashed, message)

    def __init__(self, folder: str | Path, parent: QObject | None = None, *, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.process = background.read_process(self.folder)
        self._tail = MetricsTail(self.folder / METRICS_FILE)
        self._runner = TaskRunner(self)
        self._poll_ms = poll_ms
        self._pending: list[Any] = []  # events read but not emitted yet (a long catch-up)
        self._timer = QTimer(self)
        self._timer.setObjectName("background_run_poll")
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.active = False
        self.stop_requested = False
        self.final: str | None = None
        self.polls = 0  # reads that brought new records (tests count curve updates with it)

    # ---- public ------------------------------------------------------------------------
    def start(self) -> None:
        """Read what is there (in a worker), then follow the file as it grows."""
        self.active = True
        self._runner.run(_catch_up, self._tail, on_result=self._on_catch_up_result,
                         on_error=self._on_catch_up_error)

    def stop(self) -> None:
        """Ask the process to stop at its next step boundary and save a checkpoint."""
        if self.active:
            request_stop(self.folder)
            self.stop_requested = True

    def detach(self) -> None:
        """Stop following; the process keeps training (closing the window does this)."""
        self.active = False
        self._timer.stop()
        self._runner.shutdown()

    def alive(self) -> bool:
        """Whether something still trains this run."""
        if self.process is not None:
            return background.process_alive(self.process)
        try:  # no process.json (a terminal's run): alive while the file keeps changing
            return time.time() - self._tail.path.stat().st_mtime < RECENT_S
        except OSError:
            return False

    # ---- slots -------------------------------------------------------------------------
    def _on_catch_up_result(self, events: list[Any]) -> None:
        if not self.active:
            return
        self._pending = events
        self._timer.start()
        self._on_timer_timeout()  # the process may have ended while we read

    def _on_catch_up_error(self, message: str) -> None:
        self._end("crashed", message)

    def _on_timer_timeout(self) -> None:
        if not self.active:
            return
        if self._pending:  # behind: the next chunk now, the rest right after the event loop had a turn
            chunk, self._pending = self._pending[:_CHUNK_EVENTS], self._pending[_CHUNK_EVENTS:]
            self._emit(chunk)
            self._timer.setInterval(0 if self._pending else self._poll_ms)
            return
        alive = self.alive()  # before reading: a process that ended has written its last line
        records = self._tail.read(_MAX_READ_BYTES)
        if records:
            self.polls += 1
            self._emit([e for e in map(event_from_record, records) if e is not None])
        behind = not self._tail.at_end
        if self.active:
            self._timer.setInterval(0 if behind else self._poll_ms)
        if self.active and not alive and not behind:
            self._end("crashed", self._crash_message())

    # ---- helpers -----------------------------------------------------------------------
    def _emit(self, events: list[Any]) -> None:
        for item in events:
            self.event.emit(item)
            if item.kind in _FINAL_KINDS:
                self._end(item.kind, getattr(item, "message", ""))
                return

    def _end(self, status: str, message: str) -> None:
        if self.final is not None:
            return
        self.final = status
        self.detach()
        self.ended.emit(status, message)

    def _crash_message(self) -> str:
        code = background.exit_code(self.process.pid) if self.process else None
        log = background.log_tail(self.folder, 1200)
        if code is not None:
            head = translate("BackgroundRun", "The training process ended without a final event (exit code {code}).")
            head = head.format(code=code)
        else:
            head = translate("BackgroundRun", "The training process ended without a final event.")
        return f"{head} {self.folder / background.PROCESS_LOG}:\n{log}" if log else head
