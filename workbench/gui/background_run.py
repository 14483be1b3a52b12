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
  when its process is gone without one: ``failed`` when its log holds the error
  that ended it (a setting refused before the first step), else ``crashed``, with
  the end of ``process.log`` as the reason. A last line torn by the crash is
  reported, never waited for.
- While nothing new arrives the poll interval doubles, up to ``_MAX_POLL_MS``.
- Stop writes ``RUN/STOP``; the process stops at its next step boundary and
  saves a checkpoint. Stop on a process that is gone ends the follow at once; a
  second Stop ends a process that did not react to the first (no checkpoint).
  ``detach()`` only stops following: the process runs on.
"""

from __future__ import annotations

import json
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
_MAX_POLL_MS = 2000
_MAX_READ_BYTES = 64 * 1024
_CHUNK_EVENTS = 1000
_FINAL_KINDS = ("finished", "cancelled", "failed")


def _catch_up(tail: MetricsTail) -> list[Any]:
    """Worker thread: every complete record already in the file, as events."""
    events = [e for e in map(event_from_record, tail.read()) if e is not None]
    # A resumed run: the final events before its last train_begin ended earlier attempts, not this one.
    begin = max((i for i, e in enumerate(events) if e.kind == "train_begin"), default=-1)
    return [e for i, e in enumerate(events) if i > begin or e.kind not in _FINAL_KINDS]


class BackgroundRun(QObject):
    """Follows one run folder; emits ``event`` per engine event and ``ended`` once."""

    event = Signal(object)  # an engine Event read back from metrics.jsonl
    ended = Signal(str, str)  # (finished / cancelled / failed / crashed, message)

    def __init__(self, folder: str | Path, parent: QObject | None = None, *, poll_ms: int = POLL_MS,
                 start_offset: int = 0) -> None:
        """``start_offset``: follow from this byte of metrics.jsonl (a resume: the caller drew what is before)."""
        super().__init__(parent)
        self.folder = Path(folder)
        self.process = background.read_process(self.folder)
        self._tail = MetricsTail(self.folder / METRICS_FILE)
        self._tail.offset = start_offset
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
        """Ask the process to stop at its next step boundary and save a checkpoint.

        Resolves at once when nothing trains the run any more; a second call, on a
        process that ignored the first, ends it by force.
        """
        if not self.active:
            return
        if not self.alive():
            self._on_timer_timeout()  # reads what the process wrote last, then ends the follow
            if self.final is None:
                self._end(*self._ending())
            return
        if self.stop_requested and self.process is not None:
            background.terminate(self.process)
            self._end("crashed", translate(
                "BackgroundRun", "The training process did not stop at a step boundary and was ended by force; "
                "the run can be resumed from its last checkpoint."))
            return
        request_stop(self.folder)
        self.stop_requested = True

    def detach(self) -> None:
        """Stop following; the process keeps training (closing the window does this)."""
        self.active = False
        self._timer.stop()
        self._runner.shutdown()

    def alive(self) -> bool:
        """Whether something still trains this run: the process that ``process.json`` names.

        Every training process records itself there (a terminal's ``workbench train`` too),
        so a dead one is known at once. Only a run written by an older version has no
        record: alive while its file keeps changing.
        """
        if self.process is not None and background.process_alive(self.process):
            return True
        # None when the follow began, or dead: a process may have started (or resumed the run) since.
        self.process = background.read_process(self.folder) or self.process
        if self.process is not None:
            return background.process_alive(self.process)
        try:
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
            idle = self._timer.interval() if self._timer.interval() > 0 else self._poll_ms
            # Catching up: at once; new records: the normal rate; nothing new: back off.
            self._timer.setInterval(0 if behind else self._poll_ms if records else min(idle * 2, _MAX_POLL_MS))
        if self.active and not alive and not behind:
            self._end(*self._ending())

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

    def _ending(self) -> tuple[str, str]:
        """The status and message of a process that is gone without a final event."""
        leftover = self._tail.leftover()
        if leftover:
            # Its last line was cut off: a complete final record without its newline still counts.
            try:
                event = event_from_record(json.loads(leftover))
            except (ValueError, TypeError):
                event = None
            if event is not None and event.kind in _FINAL_KINDS:
                self._emit([event])
                return self.final or event.kind, getattr(event, "message", "")
        reason = background.failure_message(self.folder)
        if reason:  # refused before it trained (a setting, a file): the process said why
            return "failed", reason
        message = self._crash_message()
        if leftover:
            message += "\n" + translate(
                "BackgroundRun", "The last line of {file} was cut off ({size} bytes) and was not read."
            ).format(file=str(self._tail.path), size=len(leftover))
        return "crashed", message

    def _crash_message(self) -> str:
        code = background.exit_code(self.process.pid) if self.process else None
        log = background.log_tail(self.folder, 1200)
        if code is not None:
            head = translate("BackgroundRun", "The training process ended without a final event (exit code {code}).")
            head = head.format(code=code)
        else:
            head = translate("BackgroundRun", "The training process ended without a final event.")
        return f"{head} {self.folder / background.PROCESS_LOG}:\n{log}" if log else head
