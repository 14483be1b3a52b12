"""Does a checkpoint folder have a task head? Read from its ``config.json`` alone (no torch, no loader).

A checkpoint saved without a head (MiniLM, a sentence encoder: ``architectures``
is ``["BertModel"]``, or missing) cannot predict or explain; ``headless_message``
says so in one sentence with how to fine-tune it. Kept apart from the loaders so
that ``Predictor.load`` can say it without importing them (``bare.py`` loads such
a checkpoint for attention).

``source`` is a ``loading.ModelSource`` (anything with ``spec`` and ``path``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Architecture names that carry a head: BertForMaskedLM, GPT2LMHeadModel, T5ForConditionalGeneration ...
_HEAD_MARKERS = ("For", "LMHead")
# Written by the workbench beside every model it saves (loading.WORKBENCH_META); such a model has a task.
_WORKBENCH_META = "workbench_model.json"


def _config(folder: Path) -> dict[str, Any]:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return config if isinstance(config, dict) else {}


def is_headless(source: Any) -> bool:
    """True for a local checkpoint saved without any task head (``architectures``: BertModel, or none).

    A hub id is not read here (that would need the network): it counts as headed.
    """
    path: Path | None = source.path
    if path is None or (path / _WORKBENCH_META).is_file():
        return False
    architectures = _config(path).get("architectures") or []
    return not any(marker in str(arch) for arch in architectures for marker in _HEAD_MARKERS)


def display_name(source: Any) -> str:
    """The name people know a checkpoint by: MiniLM-L6-H384-uncased, a run's name, a hub id."""
    path: Path | None = source.path
    if path is None:
        return str(source.spec)
    from workbench.engine.models.installed import installed_checkpoint_name

    installed = installed_checkpoint_name(path)  # the name the app shows ("all-MiniLM-L6-v2")
    if installed:
        return installed
    origin = str(_config(path).get("_name_or_path") or "")
    # "nreimers/MiniLM-L6-H384-uncased" names the model; a local path ("/tmp/x") does not.
    if origin and not origin.startswith((".", "/", "~")) and "\\" not in origin and origin.count("/") <= 1:
        return origin.rsplit("/", 1)[-1]
    return path.parent.name if path.name == "model" and path.parent.name else path.name


def headless_message(source: Any) -> str:
    """One sentence: this checkpoint has no head, so what it cannot do, and how to give it one."""
    from workbench.engine.models.installed import installed_checkpoint_name

    spec = installed_checkpoint_name(source.path) if source.path is not None else None  # a short name works
    return (
        f"{display_name(source)} has no task head, so it cannot predict or explain; fine-tune it first: "
        f"workbench train --model {spec or source.spec} --data YOUR_DATA --task TASK "
        "(in the app: choose it in the Model tab and train)."
    )
