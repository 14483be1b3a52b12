"""Which folder a file dialog opens in, and which folders are remembered for the next one.

A dialog opened in ``/proc`` (remembered once from a path typed into a field) froze
the window for minutes while Qt listed it. So a dialog only starts in, and the
settings only keep, a normal folder that exists, that the user can write to and
that lies outside the kernel's pseudo file systems; anything else falls back to
the next candidate and finally to the home folder. Remember only what the user
chose in a dialog, never a path typed into a field.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

# Kernel and device file systems: listing them can block, and nothing is opened or saved there.
_PSEUDO_ROOTS = ("/proc", "/sys", "/dev") if sys.platform != "win32" else ()


def usable_folder(folder: Any) -> bool:
    """Whether a file dialog may open in ``folder`` (a str or Path; anything else is not)."""
    if not isinstance(folder, (str, Path)) or not str(folder).strip():
        return False
    path = Path(folder).expanduser()
    if not path.is_absolute():
        return False  # relative to whatever the current folder happens to be
    try:
        resolved = path.resolve()
        ok = resolved.is_dir() and os.access(resolved, os.W_OK | os.X_OK)
    except (OSError, RuntimeError, ValueError):  # a loop of links, a name too long, a NUL typed in
        return False
    return ok and not any(resolved == Path(root) or Path(root) in resolved.parents for root in _PSEUDO_ROOTS)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL typed in
        return False


def start_folder(*candidates: Any) -> str:
    """The first usable folder among ``candidates`` (a file stands for its folder), else the home folder."""
    for candidate in candidates:
        if not isinstance(candidate, (str, Path)) or not str(candidate).strip():
            continue
        path = Path(candidate).expanduser()
        folder = path if _is_dir(path) else path.parent  # an unusable folder is skipped, not climbed out of
        if usable_folder(folder):
            return str(folder)
    return str(Path.home())


def start_path(candidate: Any, name: str) -> str:
    """Where a save dialog proposes ``name``: in the remembered folder when usable, else in home."""
    return str(Path(start_folder(candidate)) / name)


def remember_folder(key: str, chosen: Any, settings: QSettings | None = None) -> bool:
    """Remember, under ``key``, the folder of a file (or the folder) the user chose in a dialog.

    Returns whether it was kept: an unusable folder leaves the previous value in place.
    """
    if not isinstance(chosen, (str, Path)) or not str(chosen).strip():
        return False
    path = Path(chosen).expanduser()
    folder = path if _is_dir(path) else path.parent
    if not usable_folder(folder):
        return False
    (settings or QSettings()).setValue(key, str(folder.resolve()))
    return True


def choose_file(parent: QWidget, title: str, settings_key: str, near: str = "", filters: str = "") -> str:
    """A file from an open dialog that starts beside ``near`` (a typed path), else in the folder
    remembered under ``settings_key``, whose folder is then remembered; "" when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, start_folder(near, QSettings().value(settings_key)), filters)
    if path:
        remember_folder(settings_key, path)
    return path
