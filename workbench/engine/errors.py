"""The project's own exception types: errors a user can cause and fix.

Every message says what was wrong, where (file, line, column where it applies)
and what to do. The CLI prints the message and exits with code 2; the GUI shows
it in a dialog and stays usable. Anything that is *not* a ``WorkbenchError`` is a
bug in the workbench.
"""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """Base class for errors caused by the user's input, files or environment."""


class DatasetError(WorkbenchError):
    """A data file cannot be used as given.

    ``path``, ``line`` (1-based) and ``column`` locate the problem when known;
    the message already contains them, they are kept for programmatic use.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: str | int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column!r}" if isinstance(column, str) else f"column {column}")
        text = f"{', '.join(where)}: {message}" if where else message
        if hint:
            text = f"{text} {hint}"
        super().__init__(text)


class ModelError(WorkbenchError):
    """A model spec cannot be resolved or loaded (missing folder, offline hub id, unsafe weights)."""


class ConfigError(WorkbenchError):
    """A training configuration is invalid (bad value, unknown key, inconsistent options)."""


class EvaluationStopped(WorkbenchError):
    """``evaluate_model``'s ``should_stop`` said stop: raised at the next batch (there is no result).

    Here rather than in ``evaluation`` so that modules which only name it (and the CLI's
    parser, through them) do not import torch.
    """


class CheckpointError(WorkbenchError):
    """A checkpoint or run folder is missing, corrupt, or does not fit the current run."""
