"""Stop a run from outside its process: a ``STOP`` file in the run folder.

The GUI starts long runs as separate processes (see ``engine/background.py``) and
must be able to ask one to stop at a step boundary and save a checkpoint. A signal
cannot do that portably (Windows has no SIGINT for another process group), but
every platform can create a file: ``RUN/STOP``. ``StopFileControl`` is a
``TrainControl`` whose ``should_stop`` also becomes true once that file exists,
so the trainer handles it exactly like the GUI's Stop button or Ctrl-C.

From a shell the same works: ``touch RUN/STOP``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from workbench.engine.training.control import TrainControl

STOP_FILE = "STOP"
# At most this many file checks per second: a stat() is cheap (microseconds), but
# a tiny model takes thousands of steps a second and should not pay for each.
_CHECKS_PER_S = 20


class StopFileControl(TrainControl):
    """A ``TrainControl`` that also stops when ``path`` appears (checked at step boundaries)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        self._next_check = 0.0
        self.stopped_by_file = False

    @property
    def should_stop(self) -> bool:
        if super().should_stop:
            return True
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + 1.0 / _CHECKS_PER_S
        if self.path.exists():
            self.stopped_by_file = True
            self.request_stop()  # latched: the file may be removed before the loop ends
            return True
        return False

    def consume(self) -> None:
        """Remove the request once the run has acted on it, so ``--resume`` is not stopped at once."""
        if self.stopped_by_file:
            remove_stop_request(self.path.parent)


def request_stop(run_dir: str | Path) -> Path:
    """Ask the process training in ``run_dir`` to stop at its next step boundary (and save)."""
    path = Path(run_dir) / STOP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    # Content is informative only; existence is the request.
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"stop requested at {time.strftime('%Y-%m-%d %H:%M:%S')} by pid {os.getpid()}\n")
    return path


def remove_stop_request(run_dir: str | Path) -> None:
    (Path(run_dir) / STOP_FILE).unlink(missing_ok=True)


def stop_requested(run_dir: str | Path) -> bool:
    return (Path(run_dir) / STOP_FILE).exists()
