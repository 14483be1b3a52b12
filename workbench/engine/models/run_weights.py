"""Which weights a run folder, a checkpoint folder or a ``latest``/``best`` pointer names.

The one rule (``Predictor.load``, ``resolve_spec`` and ``run_index.model_spec`` all
come here, so the CLI, the app and the runs list always agree):

1. a run folder: its final ``model/`` when it is there and intact; else its newest
   intact checkpoint (``checkpoints/step-*``), skipping damaged ones and saying so;
   else a ``ModelError``: the run stopped (or is still training) before its first
   checkpoint;
2. ``RUN/checkpoints``: the same as the run;
3. ``RUN/checkpoints/latest`` or ``best`` (one-line files naming a ``step-*`` folder)
   and a ``step-*`` folder itself: exactly that checkpoint (the user chose it, so a
   damaged one fails when it loads, with the file and the problem named).

"Intact" is a cheap check, no file is hashed: the files a model needs are there,
``config.json`` and ``workbench_model.json`` parse, the safetensors headers are
sound, and in a checkpoint each model file has the size its ``checksums.json``
recorded. That catches what really happens to a checkpoint (a kill or a full disk
mid-save: missing, empty or truncated files) in milliseconds, even on the GUI
thread; the full SHA-256 check before a resume stays in
``training/checkpoint_checks.py``. That module is not imported here: it imports
torch (GUI start-up) and would close an import cycle through ``saving -> loading``,
so the few file names it writes are repeated below.

The task comes from the run's own ``config.json`` (key ``task``); the chosen
folder's ``workbench_model.json`` says it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.engine.errors import ModelError
from workbench.engine.runs import (
    CHECKPOINTS_DIR,
    CONFIG_FILE,
    METRICS_FILE,
    MODEL_DIR,
    SUMMARY_FILE,
    read_json_object,
    read_run_config,
)
from workbench.engine.training.checkpoint_manifest import MANIFEST_FILE

# As training/checkpoints.py and checkpoint_checks.py write them (see the module docstring).
POINTERS = ("latest", "best")
STEP_PREFIX = "step-"
STATE_FILE = "trainer_state.json"
# In a checkpoint's manifest but not part of the model: a damaged optimizer state
# stops a resume, not a prediction.
_NOT_MODEL_FILES = ("optimizer.safetensors", STATE_FILE)
_META_FILE = "workbench_model.json"
# A pointer is a one-line file; anything longer is not one.
_MAX_POINTER_BYTES = 256

# Why a run has no final model, by the status its summary.json records.
_WHY_NO_FINAL = {
    "cancelled": "the run was cancelled",
    "failed": "the run failed",
}
_NOT_ENDED = "the run has not finished: it is still training, or it stopped without saving a final model"


@dataclass(frozen=True)
class ChosenWeights:
    """The folder to load and, in words, which weights those are."""

    folder: Path  # holds config.json, the weights and the tokenizer
    # "final model" / "checkpoint step-0000120 (the run was cancelled)": what the CLI
    # prints and the app shows, so nobody mistakes a checkpoint for the finished model.
    description: str
    from_checkpoint: bool
    run_dir: Path | None = None  # the run the weights belong to, when known
    task: str | None = None  # the run's task (its config.json), when known


def _read_json(path: Path) -> dict[str, Any] | None:
    return read_json_object(path)[0]


def _is_model_config(path: Path) -> bool:
    """A Hugging Face config.json (it names a model_type), not a run's training config."""
    config = _read_json(path / CONFIG_FILE)
    return isinstance(config, dict) and "model_type" in config


def looks_like_run(path: Path) -> bool:
    """A workbench run folder, even one that saved nothing yet (no ``model/``, no checkpoint)."""
    if not path.is_dir() or _is_model_config(path):
        return False
    if (path / MODEL_DIR).is_dir() or (path / CHECKPOINTS_DIR).is_dir() or (path / METRICS_FILE).is_file():
        return True
    config = read_run_config(path)
    return "task" in config and "model" in config  # a TrainConfig


def run_task(run_dir: Path) -> str | None:
    task = read_run_config(run_dir).get("task")
    return str(task) if task else None


def model_folder_problems(folder: Path) -> list[str]:
    """What stops ``folder`` (a final model or a checkpoint) from loading; empty when it looks intact."""
    from workbench.engine.models.safetensors_check import safetensors_problems

    if not folder.is_dir():
        return [f"{folder}: missing"]
    problems: list[str] = []
    manifest = _read_json(folder / MANIFEST_FILE)
    if isinstance(manifest, dict) and isinstance(manifest.get("files"), dict):
        for rel, expected in manifest["files"].items():
            size = expected.get("size") if isinstance(expected, dict) else None
            if rel in _NOT_MODEL_FILES or not isinstance(size, int):
                continue
            path = folder / rel
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif path.stat().st_size != size:  # empty or truncated: a kill or a full disk mid-save
                problems.append(f"{path}: {path.stat().st_size:,} bytes, but {size:,} were written")
    if problems:
        return problems
    config = _read_json(folder / CONFIG_FILE)
    if not isinstance(config, dict):
        problems.append(f"{folder / CONFIG_FILE}: missing or not valid JSON")
    if (folder / _META_FILE).exists() and not isinstance(_read_json(folder / _META_FILE), dict):
        problems.append(f"{folder / _META_FILE}: not valid JSON")
    weights = sorted(p for p in folder.glob("*.safetensors") if p.name not in _NOT_MODEL_FILES)
    if not weights:
        problems.append(f"{folder / 'model.safetensors'}: missing")
    for file in weights:
        problems += [f"{file}: {p}" for p in safetensors_problems(file)]
    return problems


def _checkpoints_newest_first(checkpoints_dir: Path) -> list[Path]:
    if not checkpoints_dir.is_dir():
        return []
    return sorted((p for p in checkpoints_dir.glob(f"{STEP_PREFIX}*") if p.is_dir()), reverse=True)


def _short(problems: list[str]) -> str:
    return problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")


def _from_pointer(pointer: Path) -> Path:
    """The ``step-*`` folder a ``latest``/``best`` file names."""
    try:
        with open(pointer, "rb") as handle:
            name = handle.read(_MAX_POINTER_BYTES + 1).decode("utf-8", errors="replace").strip()
    except OSError as exc:
        raise ModelError(f"{pointer}: cannot be read ({exc.strerror or exc}).") from exc
    target = pointer.parent / name
    if not name or "/" in name or "\\" in name or len(name) > _MAX_POINTER_BYTES or not target.is_dir():
        available = ", ".join(p.name for p in _checkpoints_newest_first(pointer.parent)) or "none"
        raise ModelError(
            f"{pointer}: points at {name[:60]!r}, which is not a checkpoint folder here "
            f"(checkpoints: {available}). Load the run folder {pointer.parent.parent} instead: "
            "it uses the newest intact checkpoint."
        )
    return target


def _ended_status(run_dir: Path) -> str | None:
    """The status the run's summary.json records, when nothing was written after it (a resume).

    Only what the run said of itself: run_index.run_status also asks whether its process
    lives, but importing it here would pull the training setup into an import cycle, and
    a description needs no more.
    """
    summary = run_dir / SUMMARY_FILE
    try:
        if (run_dir / METRICS_FILE).stat().st_mtime > summary.stat().st_mtime + 1.0:
            return None  # resumed since: that summary is about an earlier session
    except OSError:
        pass
    data = _read_json(summary)
    status = data.get("status") if isinstance(data, dict) else None
    return str(status) if status else None


def _explicit_checkpoint(folder: Path, how: str = "") -> ChosenWeights:
    run_dir = folder.parent.parent if folder.parent.name == CHECKPOINTS_DIR else None
    of_run = f" of run {run_dir.name}" if run_dir is not None else ""
    return ChosenWeights(folder, f"checkpoint {folder.name}{of_run}{how}", True, run_dir,
                         run_task(run_dir) if run_dir is not None else None)


def _from_run(run_dir: Path) -> ChosenWeights:
    task = run_task(run_dir)
    final = run_dir / MODEL_DIR
    final_problems = model_folder_problems(final) if final.exists() else []
    if final.exists() and not final_problems:
        return ChosenWeights(final, "final model", False, run_dir, task)
    skipped: list[str] = []
    for checkpoint in _checkpoints_newest_first(run_dir / CHECKPOINTS_DIR):
        problems = model_folder_problems(checkpoint)
        if problems:
            skipped.append(f"{checkpoint.name} is damaged: {_short(problems)}")
            continue
        if final_problems:
            why = f"the final model in {MODEL_DIR}/ is damaged: {_short(final_problems)}"
        else:
            status = _ended_status(run_dir)
            why = _WHY_NO_FINAL.get(status or "", _NOT_ENDED if status is None else "its final model is missing")
        notes = "; ".join([why, *(f"{s}, so it was skipped" for s in skipped)])
        return ChosenWeights(checkpoint, f"checkpoint {checkpoint.name} ({notes})", True, run_dir, task)
    if final_problems or skipped:
        parts = ([f"its final model is damaged ({_short(final_problems)})"] if final_problems
                 else ["it has no final model"])
        parts += [f"checkpoint {s}" for s in skipped]
        raise ModelError(
            f"{run_dir} has no intact saved model: " + "; ".join(parts)
            + ". Train it again (or resume it from an intact checkpoint, if another copy has one)."
        )
    if _ended_status(run_dir) is None:
        raise ModelError(
            f"{run_dir} has no saved model yet: it stopped before its first checkpoint, or it is still "
            "training and has not reached it (one is written at every evaluation). If it is training, "
            "try again after its first evaluation; else train it again."
        )
    raise ModelError(
        f"{run_dir} has no saved model yet: it stopped before its first checkpoint; there is nothing "
        "to load. Train it again (checkpoints are written at every evaluation: a smaller --eval-every, "
        "or 'Evaluate every' in the app, writes the first one sooner)."
    )


def choose_weights(path: str | Path) -> ChosenWeights | None:
    """The weights ``path`` names if it is a run, its checkpoints folder, a checkpoint or a pointer; else None.

    Raises ``ModelError`` for a run with nothing intact to load and for a pointer that
    names no checkpoint.
    """
    path = Path(path).expanduser()
    if path.is_file():
        if path.name in POINTERS or path.parent.name == CHECKPOINTS_DIR:
            target = _from_pointer(path)
            return _explicit_checkpoint(target, f", via {path.name}" if path.name in POINTERS else "")
        return None
    if not path.is_dir():
        return None
    if path.name == CHECKPOINTS_DIR and looks_like_run(path.parent):
        return _from_run(path.parent)
    if (path.name.startswith(STEP_PREFIX) and path.parent.name == CHECKPOINTS_DIR) or (path / STATE_FILE).is_file():
        return _explicit_checkpoint(path)
    if looks_like_run(path):
        return _from_run(path)
    return None
