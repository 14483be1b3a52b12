"""Is a checkpoint intact, which one to resume from, and does it fit this run?

Every checkpoint carries ``checksums.json`` (size and SHA-256 of each of its
files, written last inside the temporary folder, before the rename), so a
truncated, zero-length or bit-flipped file is found before anything reads it.
Checkpoints from before the manifest get structural checks only (files present,
JSON parses, safetensors headers sound).

A corrupt checkpoint is never skipped silently: resuming names the file and the
problem and, when an older checkpoint is intact, says which one and how to use it
(``workbench train --resume RUN --checkpoint step-0000040``; the app offers it in
its error dialog through ``CorruptCheckpoint.fallback``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.engine.errors import CheckpointError
from workbench.engine.training import checkpoints as ckpt
from workbench.engine.training.checkpoint_manifest import MANIFEST_FILE, sha256_file

# Files a resumable checkpoint cannot do without.
REQUIRED_FILES = ("config.json", "model.safetensors", ckpt.OPTIMIZER_FILE, ckpt.STATE_FILE)
_JSON_FILES = ("config.json", ckpt.STATE_FILE, "workbench_model.json")


class CorruptCheckpoint(CheckpointError):
    """A checkpoint that cannot be resumed; ``fallback`` is the newest older one that is intact."""

    def __init__(self, message: str, *, checkpoint: Path, problems: Sequence[str],
                 fallback: Path | None) -> None:
        super().__init__(message)
        self.checkpoint = checkpoint
        self.problems = list(problems)
        self.fallback = fallback


def checkpoint_problems(checkpoint: Path) -> list[str]:
    """What is wrong with ``checkpoint``, one entry per problem, each naming its file; empty when intact."""
    if not checkpoint.is_dir():
        return [f"{checkpoint}: the folder is missing"]
    problems = _manifest_problems(checkpoint)
    for name in REQUIRED_FILES:  # also catches a manifest that lost an entry
        path = checkpoint / name
        if not path.is_file() and not any(p.startswith(f"{path}:") for p in problems):
            problems.append(f"{path}: missing")
    # Structural checks only when the files are as written: the only ones for checkpoints
    # written before the manifest.
    return problems or _structure_problems(checkpoint)


def _manifest_problems(checkpoint: Path) -> list[str]:
    """Files missing, cut short or changed since the checksum list was written (none without a list)."""
    manifest_path = checkpoint / MANIFEST_FILE
    if not manifest_path.is_file():
        return []
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
        assert isinstance(files, dict)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AssertionError) as exc:
        return [f"{manifest_path}: the checksum list is unreadable ({type(exc).__name__})"]
    problems: list[str] = []
    for rel, expected in files.items():
        path = checkpoint / rel
        if not path.is_file():
            problems.append(f"{path}: missing")
            continue
        size = path.stat().st_size
        if size != expected.get("size"):
            what = "empty" if size == 0 else "truncated" if size < expected.get("size", 0) else "longer than written"
            problems.append(f"{path}: {what} ({size:,} bytes, {expected.get('size'):,} were written)")
        elif sha256_file(path) != expected.get("sha256"):
            problems.append(f"{path}: its contents changed since it was written (checksum mismatch)")
    return problems


def _structure_problems(checkpoint: Path) -> list[str]:
    """JSON files that do not parse as the expected objects, safetensors files that are not valid."""
    problems: list[str] = []
    for name in _JSON_FILES:
        path = checkpoint / name
        if not path.is_file():
            continue
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{path}: not valid JSON ({exc})")
            continue
        if not isinstance(value, dict) or (name == ckpt.STATE_FILE and "step" not in value):
            problems.append(f"{path}: not the expected JSON object")
    from workbench.engine.models.safetensors_check import safetensors_problems

    for file in sorted(checkpoint.glob("*.safetensors")):
        problems += [f"{file}: {p}" for p in safetensors_problems(file)]
    return problems


def previous_intact(checkpoints_dir: Path, before: Path | None = None) -> Path | None:
    """The newest intact checkpoint older than ``before`` (any, when ``before`` is None)."""
    for candidate in reversed(ckpt.list_checkpoints(checkpoints_dir)):
        if before is not None and candidate.name >= before.name:
            continue
        if not checkpoint_problems(candidate):
            return candidate
    return None


@dataclass(frozen=True)
class CheckpointInfo:
    """One checkpoint of a run, as a chooser lists it."""

    name: str  # the folder name, e.g. step-0000040 (what ``--checkpoint`` takes)
    path: Path
    step: int
    saved: float | None  # when it was written (epoch seconds); None if unreadable
    problems: tuple[str, ...] = ()  # what is wrong with it (``checkpoint_problems``); empty: intact
    latest: bool = False  # checkpoints/latest names it
    best: bool = False  # checkpoints/best names it

    @property
    def intact(self) -> bool:
        return not self.problems


def _checkpoint_step(folder: Path) -> int:
    try:
        return int(folder.name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return -1


def describe_checkpoints(run_dir: str | Path, *, verify: bool = True) -> list[CheckpointInfo]:
    """Every checkpoint of ``run_dir``, oldest first, with its step, save time and whether it is intact.

    ``verify`` checks each one (``checkpoint_problems``: reads and hashes every file, so a
    few seconds for a large model: call it off the GUI thread). Nothing is changed on
    disk (unlike ``resolve_resume_checkpoint``, which cleans a crash's leftovers first).
    """
    checkpoints_dir = Path(run_dir) / "checkpoints"
    latest, best = ckpt.latest_checkpoint(checkpoints_dir), ckpt.best_checkpoint(checkpoints_dir)
    out = []
    for folder in ckpt.list_checkpoints(checkpoints_dir):
        marker = folder / ckpt.STATE_FILE  # written last but one: when the checkpoint was saved
        try:
            saved: float | None = (marker if marker.is_file() else folder).stat().st_mtime
        except OSError:
            saved = None
        out.append(CheckpointInfo(
            name=folder.name, path=folder, step=_checkpoint_step(folder), saved=saved,
            problems=tuple(checkpoint_problems(folder)) if verify else (),
            latest=latest is not None and latest.name == folder.name,
            best=best is not None and best.name == folder.name,
        ))
    return out


def fallback_hint(run_dir: Path, fallback: Path | None) -> str:
    if fallback is None:
        return "No earlier checkpoint is intact: start a new run."
    return (f"The earlier checkpoint {fallback.name} is intact: resume from it with "
            f"`workbench train --resume {run_dir} --checkpoint {fallback.name}` "
            "(in the app, accept the offer to use it).")


def require_intact(checkpoint: Path, run_dir: Path) -> Path:
    """Return ``checkpoint`` when intact, else raise ``CorruptCheckpoint`` offering the previous good one."""
    problems = checkpoint_problems(checkpoint)
    if not problems:
        return checkpoint
    fallback = previous_intact(checkpoint.parent, before=checkpoint)
    shown = "; ".join(problems[:4]) + (f"; and {len(problems) - 4} more" if len(problems) > 4 else "")
    raise CorruptCheckpoint(
        f"Checkpoint {checkpoint.name} cannot be resumed: {shown}. {fallback_hint(run_dir, fallback)}",
        checkpoint=checkpoint, problems=problems, fallback=fallback,
    )


def resolve_resume_checkpoint(run_dir: str | Path, name: str | None = None) -> Path:
    """The checkpoint to resume ``run_dir`` from: ``name`` (a folder name or path) or ``latest``.

    Leftovers of an interrupted save are cleaned first (and a checkpoint moved
    aside by an interrupted re-save is put back), then the choice is verified.
    """
    run_dir = Path(run_dir)
    checkpoints_dir = run_dir / "checkpoints"
    ckpt.clean_partial(checkpoints_dir)
    if name:
        candidate = Path(name)
        chosen = candidate if candidate.is_dir() and candidate.parent.resolve() == checkpoints_dir.resolve() \
            else checkpoints_dir / candidate.name
        if not chosen.is_dir():
            available = ", ".join(p.name for p in ckpt.list_checkpoints(checkpoints_dir)) or "none"
            raise CheckpointError(f"{run_dir}: has no checkpoint {name!r} (available: {available}).")
        return require_intact(chosen, run_dir)
    pointer = checkpoints_dir / ckpt.LATEST
    latest = ckpt.latest_checkpoint(checkpoints_dir)
    if latest is None:
        fallback = previous_intact(checkpoints_dir)
        if pointer.is_file():
            target = pointer.read_text(encoding="utf-8", errors="replace").strip()
            raise CorruptCheckpoint(
                f"{pointer}: points at {target!r}, which does not exist. {fallback_hint(run_dir, fallback)}",
                checkpoint=checkpoints_dir / target, problems=[f"{pointer}: dangling"], fallback=fallback,
            )
        if fallback is not None:
            raise CorruptCheckpoint(
                f"{pointer}: missing. {fallback_hint(run_dir, fallback)}",
                checkpoint=pointer, problems=[f"{pointer}: missing"], fallback=fallback,
            )
        raise CheckpointError(
            f"{run_dir}: no checkpoint to resume from (checkpoints/latest is missing). Start a new run instead."
        )
    return require_intact(latest, run_dir)


# --- does the checkpoint fit this run? ------------------------------------------------------


def data_digest(texts: Sequence[str], pairs: Sequence[str] | None, labels: Sequence[Any] | None) -> str:
    """SHA-256 of the training examples (texts, pairs, labels): same data, same digest."""
    digest = hashlib.sha256()
    for part in (texts, pairs or [], labels or []):
        digest.update(json.dumps(list(part), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def examples_digest(examples: Any) -> str:
    """``data_digest`` of an ``Examples``: its texts, pairs and labels, or a seq2seq task's targets (its labels)."""
    labels = examples.labels if examples.labels is not None else examples.targets
    return data_digest(examples.texts, examples.text_pairs, labels)


_WHAT = {
    "model": "model",
    "task": "task",
    "label_names": "label set",
    "train_examples": "number of training examples",
    "data_sha256": "training data (content checksum)",
}


def _short(value: Any) -> str:
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value[:12]
    if isinstance(value, list) and len(value) > 8:
        return f"{value[:8]!r}... ({len(value)} in all)"
    return repr(value)


def resume_differences(saved: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Human-readable differences between the checkpoint's fingerprint and this run's (shared keys only)."""
    out = []
    for key, what in _WHAT.items():
        if key in saved and key in current and saved[key] != current[key]:
            line = f"{what}: checkpoint {_short(saved[key])}, this run {_short(current[key])}"
            if key == "label_names" and isinstance(saved[key], list) and isinstance(current[key], list):
                gone = [x for x in saved[key] if x not in current[key]]
                new = [x for x in current[key] if x not in saved[key]]
                if gone or new:
                    line += f" (missing now: {gone[:8]}, new: {new[:8]})"
            out.append(line)
    return out


def refuse_mismatch(checkpoint: Path, saved: dict[str, Any], current: dict[str, Any]) -> None:
    diffs = resume_differences(saved, current)
    if diffs:
        raise CheckpointError(
            f"{checkpoint}: does not fit this run, so it was not resumed. Differences: "
            + "; ".join(diffs)
            + ". Resume with the original model, labels and data, or start a new run."
        )
