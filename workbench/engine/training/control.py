"""The thread-safe control object through which a GUI or CLI steers a running trainer.

Like Hugging Face's ``TrainerControl`` it carries requests only; the trainer
checks it at every step boundary (cooperative: a stop lands between steps).
"""

from __future__ import annotations

import threading
from typing import Any


class TrainControl:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._save_now = threading.Event()
        self._running = threading.Event()
        self._running.set()  # not paused
        self._snapshot_wanted = threading.Event()
        self._snapshot_lock = threading.Lock()
        self._snapshot: Any = None
        self._delivered = threading.Event()

    # --- requests (any thread) ---
    def request_stop(self) -> None:
        self._stop.set()
        self._running.set()  # a paused run must wake up to stop

    def request_save(self) -> None:
        self._save_now.set()

    def request_snapshot(self) -> None:
        """Ask for a copy of the model as it is between two steps (for live prediction)."""
        self._snapshot_wanted.set()

    def fresh_snapshot(self, timeout: float = 10.0) -> Any:
        """Request a snapshot and wait (up to ``timeout`` s) for the trainer's next step boundary.

        Returns the newest snapshot delivered, which is older than asked for
        only if the trainer did not reach a boundary in time (or has ended).
        """
        self._delivered.clear()
        self.request_snapshot()
        self._delivered.wait(timeout)
        return self.latest_snapshot()

    def latest_snapshot(self) -> Any:
        """The newest delivered snapshot (a ``Predictor``), or None before the first."""
        with self._snapshot_lock:
            return self._snapshot

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    # --- queries (the trainer's thread) ---
    @property
    def should_stop(self) -> bool:
        return self._stop.is_set()

    @property
    def should_pause(self) -> bool:
        return not self._running.is_set()

    def take_save_request(self) -> bool:
        """True once per ``request_save`` call."""
        if self._save_now.is_set():
            self._save_now.clear()
            return True
        return False

    def take_snapshot_request(self) -> bool:
        if self._snapshot_wanted.is_set():
            self._snapshot_wanted.clear()
            return True
        return False

    def deliver_snapshot(self, snapshot: Any) -> None:
        with self._snapshot_lock:
            self._snapshot = snapshot
        self._delivered.set()

    def wait_while_paused(self, timeout: float | None = None) -> bool:
        """Block until resumed or stopped; True if no longer paused."""
        return self._running.wait(timeout)
