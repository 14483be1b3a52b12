"""A run's status, defined once: what the trainer writes and what the runs panel infers.

A ``str`` enum, so ``summary.json`` and ``metrics.jsonl`` hold the same plain
strings as before and comparisons with strings (``status == "running"``) and
dictionaries keyed by strings keep working. Hand Qt the ``.value``, never the
member: PySide reads a Python enum member as an int.
"""

from __future__ import annotations

from enum import Enum


class RunStatus(str, Enum):
    # While it trains (the trainer's loop runs on while its status is RUNNING).
    RUNNING = "running"
    # How a run ends, as the trainer writes it in summary.json.
    FINISHED = "finished"
    EARLY_STOPPED = "early_stopped"
    TIME_LIMIT = "time_limit"
    CANCELLED = "cancelled"
    FAILED = "failed"
    # Inferred by the runs panel, never written: no final event, and nothing trains it any more;
    # a run folder with a config.json only.
    CRASHED = "crashed"
    NOT_STARTED = "not started"

    # Print and format as the plain string (what enum.StrEnum does; Python 3.10 has none).
    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


# The statuses a run can end with (summary.json "status").
ENDED = (RunStatus.FINISHED, RunStatus.EARLY_STOPPED, RunStatus.TIME_LIMIT, RunStatus.CANCELLED, RunStatus.FAILED)
