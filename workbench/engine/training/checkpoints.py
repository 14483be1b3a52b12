"""Resumable checkpoints with no pickle anywhere.

A checkpoint is a folder ``checkpoints/step-000120/`` holding:

- the model in Hugging Face format (``config.json``, ``model.safetensors``,
  tokenizer files, ``workbench_model.json``), so it can be opened for prediction;
- ``optimizer.safetensors`` (the optimizer's tensors) and
- ``trainer_state.json`` (step, epoch position, optimizer hyperparameters,
  scheduler state, RNG states, best metric, the data fingerprint) and
- ``checksums.json`` (size and SHA-256 of every other file, verified before a
  resume: see checkpoint_checks.py).

It is written to ``.tmp-step-000120/`` first, fsynced, then renamed; only then
is ``checkpoints/latest`` (a one-line text file) pointed at it. A crash at any
point leaves the previous checkpoint and pointer intact; leftovers from a crash
are removed by ``clean_partial``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from workbench.engine.errors import CheckpointError
from workbench.engine.runs import atomic_write_text, replace_dir
from workbench.engine.training.checkpoint_manifest import write_manifest

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

LATEST = "latest"
BEST = "best"
OPTIMIZER_FILE = "optimizer.safetensors"
STATE_FILE = "trainer_state.json"
_PREFIX = "step-"


def checkpoint_name(step: int) -> str:
    return f"{_PREFIX}{step:07d}"


# --- RNG state as JSON ---------------------------------------------------------


def _tensor_b64(t: torch.Tensor) -> str:
    return base64.b64encode(t.cpu().numpy().tobytes()).decode("ascii")


def _b64_tensor(text: str) -> torch.Tensor:
    return torch.from_numpy(np.frombuffer(base64.b64decode(text), dtype=np.uint8).copy())


def capture_rng(generators: dict[str, torch.Generator]) -> dict[str, Any]:
    version, state, gauss = random.getstate()
    np_state = np.random.get_state()
    out: dict[str, Any] = {
        "python": [version, list(state), gauss],
        "numpy": [np_state[0], np_state[1].tolist(), *np_state[2:]],
        "torch": _tensor_b64(torch.get_rng_state()),
        "generators": {name: _tensor_b64(g.get_state()) for name, g in generators.items()},
    }
    if torch.cuda.is_available():
        out["cuda"] = [_tensor_b64(s) for s in torch.cuda.get_rng_state_all()]
    return out


def restore_rng(state: dict[str, Any], generators: dict[str, torch.Generator]) -> None:
    version, py_state, gauss = state["python"]
    random.setstate((version, tuple(py_state), gauss))
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, np.array(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(_b64_tensor(state["torch"]))
    for key, g in generators.items():
        if key in state.get("generators", {}):
            g.set_state(_b64_tensor(state["generators"][key]))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([_b64_tensor(s) for s in state["cuda"]])


# --- optimizer state as safetensors + JSON --------------------------------------


def _optimizer_split(optimizer: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    sd = optimizer.state_dict()
    tensors: dict[str, torch.Tensor] = {}
    scalars: dict[str, dict[str, Any]] = {}
    for index, entry in sd["state"].items():
        for key, value in entry.items():
            if isinstance(value, torch.Tensor):
                tensors[f"{index}.{key}"] = value.detach().cpu().contiguous()
            else:
                scalars.setdefault(str(index), {})[key] = value
    return tensors, {"param_groups": sd["param_groups"], "scalars": scalars}


def _optimizer_join(tensors: dict[str, torch.Tensor], meta: dict[str, Any]) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for name, tensor in tensors.items():
        index, key = name.split(".", 1)
        state.setdefault(int(index), {})[key] = tensor
    for index, entry in meta.get("scalars", {}).items():
        state.setdefault(int(index), {}).update(entry)
    return {"state": state, "param_groups": meta["param_groups"]}


# --- save / load ----------------------------------------------------------------


def save_checkpoint(
    checkpoints_dir: Path,
    step: int,
    *,
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    model_meta: dict[str, Any],
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    trainer_state: dict[str, Any],
    generators: dict[str, torch.Generator],
) -> Path:
    """Write a complete checkpoint atomically and point ``latest`` at it."""
    from safetensors.torch import save_file

    from workbench.engine.models.saving import save_model_folder

    checkpoints_dir.mkdir(parents=True, exist_ok=True)
    name = checkpoint_name(step)
    target = checkpoints_dir / name
    tmp = checkpoints_dir / f".tmp-{name}"
    if tmp.exists():
        shutil.rmtree(tmp)
    from workbench.engine.training.faults import disk_error

    try:
        save_model_folder(tmp, model, tokenizer, model_meta, atomic=False)
        tensors, opt_meta = _optimizer_split(optimizer)
        save_file(tensors, str(tmp / OPTIMIZER_FILE))
        state = {
            **trainer_state,
            "step": step,
            "optimizer": opt_meta,
            "scheduler": scheduler.state_dict(),
            "rng": capture_rng(generators),
        }
        (tmp / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
        write_manifest(tmp)  # last: checksums of what is now on disk, checked before a resume
        replace_dir(tmp, target)
        atomic_write_text(checkpoints_dir / LATEST, name + "\n")
    except OSError as exc:
        # A full disk (or a lost mount): no partial folder stays behind, and
        # ``latest`` still names the previous, complete checkpoint.
        shutil.rmtree(tmp, ignore_errors=True)
        raise disk_error(exc, target) from exc
    return target


def clean_partial(checkpoints_dir: Path) -> None:
    """Remove what a crash in the middle of a save left in ``checkpoints_dir`` (or a run folder:
    its ``model/`` is saved the same way)."""
    if not checkpoints_dir.is_dir():
        return
    for leftover in checkpoints_dir.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in checkpoints_dir.glob(".*.old"):
        original = checkpoints_dir / leftover.name[1 : -len(".old")]
        if not original.exists():
            # A re-save of the same step was interrupted between its two renames:
            # the old copy is complete, and ``latest`` may name it. (Another torchrun rank
            # may be doing the same cleanup at this moment: losing that race is fine.)
            with contextlib.suppress(OSError):
                leftover.rename(original)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in checkpoints_dir.glob(".del-*"):  # pruning interrupted mid-delete
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in checkpoints_dir.glob(".*.tmp"):  # a pointer (latest, best) interrupted mid-write
        leftover.unlink(missing_ok=True)


def list_checkpoints(checkpoints_dir: Path) -> list[Path]:
    if not checkpoints_dir.is_dir():
        return []
    return sorted(p for p in checkpoints_dir.glob(f"{_PREFIX}*") if p.is_dir())


def _pointer(checkpoints_dir: Path, name: str) -> Path | None:
    pointer = checkpoints_dir / name
    if not pointer.is_file():
        return None
    target = checkpoints_dir / pointer.read_text(encoding="utf-8").strip()
    return target if target.is_dir() else None


def latest_checkpoint(checkpoints_dir: Path) -> Path | None:
    return _pointer(checkpoints_dir, LATEST)


def best_checkpoint(checkpoints_dir: Path) -> Path | None:
    return _pointer(checkpoints_dir, BEST)


def mark_best(checkpoints_dir: Path, checkpoint: Path) -> None:
    atomic_write_text(checkpoints_dir / BEST, checkpoint.name + "\n")


def prune(checkpoints_dir: Path, keep: int) -> None:
    """Keep the newest ``keep`` checkpoints, plus the best and the latest."""
    protected = {p for p in (latest_checkpoint(checkpoints_dir), best_checkpoint(checkpoints_dir)) if p}
    existing = list_checkpoints(checkpoints_dir)
    for old in existing[: max(len(existing) - keep, 0)]:
        if old not in protected:
            # Rename first (atomic), then delete: a kill mid-delete leaves a hidden
            # ``.del-*`` folder for clean_partial, never a half-deleted step-* folder.
            doomed = old.with_name(f".del-{old.name}")
            if doomed.exists():
                shutil.rmtree(doomed, ignore_errors=True)
            os.replace(old, doomed)
            shutil.rmtree(doomed, ignore_errors=True)


def load_trainer_state(checkpoint: Path) -> dict[str, Any]:
    path = checkpoint / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CheckpointError(f"{checkpoint}: incomplete checkpoint ({STATE_FILE} is missing).") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: corrupt ({exc}); use an earlier checkpoint.") from exc
    if not isinstance(state, dict) or "step" not in state:
        raise CheckpointError(f"{path}: not a trainer state; use an earlier checkpoint.")
    return state


def load_optimizer_state(checkpoint: Path, optimizer: torch.optim.Optimizer, meta: dict[str, Any]) -> None:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    path = checkpoint / OPTIMIZER_FILE
    try:
        tensors = load_file(str(path))
    except (OSError, SafetensorError) as exc:
        raise CheckpointError(f"{path}: cannot be read ({exc}); use an earlier checkpoint.") from exc
    try:
        optimizer.load_state_dict(_optimizer_join(tensors, meta))
    except (ValueError, KeyError, RuntimeError) as exc:
        raise CheckpointError(
            f"{path}: does not fit this model's parameters ({exc}). Was the checkpoint made by a different model?"
        ) from exc
