"""Path checks for text a user typed, which may be anything: 100,000 characters, a NUL, emoji.

``Path.exists()`` and ``Path.is_dir()`` raise for text the system cannot even look up
(``OSError`` "File name too long", ``ValueError`` for a NUL on some versions); such text
names no file or folder, so these say False instead.
"""

from __future__ import annotations

from pathlib import Path


def names_existing(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def names_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def names_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
