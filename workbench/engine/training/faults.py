"""Faults during training, turned into messages a person can act on.

Out of memory and a full disk are not bugs in the workbench: they depend on the
machine and the settings. ``as_workbench_error`` recognises them (whatever layer
raised them: torch, safetensors, a plain ``open``) and returns a
``WorkbenchError`` whose message says what happened and what to try, so the CLI
exits with code 2 and the GUI shows a dialog and returns to idle.
"""

from __future__ import annotations

import errno
from pathlib import Path

from workbench.engine.errors import WorkbenchError

# errno values that mean "the disk (or the quota) is full" / "this place cannot be written".
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NOT_WRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS}


class OutOfMemory(WorkbenchError):
    """The device (GPU or CPU) ran out of memory during training or evaluation."""


class DiskError(WorkbenchError, OSError):
    """A file could not be written: the disk is full, read-only, or not ours to write. Also an
    ``OSError``: code that catches failed writes as ``OSError`` keeps doing so."""

    def __init__(self, message: str, *, path: Path | None = None, disk_full: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.disk_full = disk_full


def is_out_of_memory(exc: BaseException) -> bool:
    """torch's OutOfMemoryError (CUDA, MPS) or the CPU allocator's RuntimeError."""
    try:
        import torch

        if isinstance(exc, torch.OutOfMemoryError):
            return True
    except (ImportError, AttributeError):  # pragma: no cover - torch without OutOfMemoryError
        pass
    if not isinstance(exc, (RuntimeError, MemoryError)):
        return False
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return "out of memory" in text or "can't allocate memory" in text or "not enough memory" in text


def out_of_memory_advice(exc: BaseException, *, batch_size: int | None = None,
                         max_length: int | None = None, step: int | None = None) -> str:
    """What ran out and what to change, in one paragraph."""
    where = f" at step {step}" if step is not None else ""
    tries = []
    if batch_size is not None and batch_size > 1:
        tries.append(f"a smaller batch size (now {batch_size}; try {max(batch_size // 2, 1)}, "
                     "with gradient accumulation to keep the effective batch)")
    else:
        tries.append("a smaller batch size (with gradient accumulation to keep the effective batch)")
    if max_length is not None and max_length > 32:
        tries.append(f"a shorter max length (now {max_length}; try {max(max_length // 2, 32)})")
    else:
        tries.append("a shorter max length")
    tries.append("bf16 precision (a GPU, or a CPU with AMX or AVX-512 BF16), freezing the lower layers, "
                 "or a smaller model")
    first_line = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return (f"Out of memory{where} ({first_line}). The run stopped; checkpoints already saved are kept. "
            f"Try {'; '.join(tries)}.")


def disk_error(exc: OSError, path: str | Path | None = None) -> DiskError:
    """A readable error for a failed write; ``path`` is where we were writing."""
    where = Path(path) if path is not None else (Path(exc.filename) if exc.filename else None)
    place = f" {where}" if where is not None else ""
    if exc.errno in _DISK_FULL:
        return DiskError(
            f"The disk is full: cannot write{place}. Nothing partial was left behind and earlier "
            "checkpoints are intact. Free some space (or delete old runs/checkpoints, or lower "
            "--keep-checkpoints) and resume the run.",
            path=where, disk_full=True,
        )
    if exc.errno in _NOT_WRITABLE:
        return DiskError(
            f"Cannot write{place}: {exc.strerror or exc}. Choose an output folder you can write to.",
            path=where,
        )
    return DiskError(f"Cannot write{place}: {exc.strerror or exc}.", path=where)


def is_disk_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (_DISK_FULL | _NOT_WRITABLE)


def as_workbench_error(exc: BaseException, *, batch_size: int | None = None,
                       max_length: int | None = None, step: int | None = None) -> WorkbenchError | None:
    """The readable form of a known fault, or None when ``exc`` is a bug to surface as it is."""
    if isinstance(exc, WorkbenchError):
        return exc
    if is_out_of_memory(exc):
        return OutOfMemory(out_of_memory_advice(exc, batch_size=batch_size, max_length=max_length, step=step))
    if is_disk_error(exc):
        return disk_error(exc)  # type: ignore[arg-type]
    return None
