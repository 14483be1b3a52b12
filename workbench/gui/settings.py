"""State remembered between launches (QSettings): geometry, last config, recent files, workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "TransformerWorkbench"
APPLICATION = "workbench"
_RECENT_MAX = 10


def default_workspace() -> Path:
    """Where the app writes run folders unless the user picks another place."""
    return Path.home() / "TransformerWorkbench" / "runs"


class Settings:
    def __init__(self) -> None:
        # The (format, scope, org, app) constructor honours setDefaultFormat/setPath,
        # which the tests and the tour use to keep the user's real settings untouched;
        # QSettings(org, app) alone always uses the native store.
        self._s = QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)

    # --- window ---
    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    def current_tab(self) -> int:
        return int(self._s.value("window/tab", 0))

    def set_current_tab(self, index: int) -> None:
        self._s.setValue("window/tab", index)

    # --- last configuration ---
    def last_config(self) -> dict[str, Any] | None:
        text = self._s.value("run/last_config")
        if not text:
            return None
        try:
            value = json.loads(str(text))
        except json.JSONDecodeError:
            return None  # an old or damaged entry must not stop the app from starting
        return value if isinstance(value, dict) else None

    def set_last_config(self, config: dict[str, Any]) -> None:
        self._s.setValue("run/last_config", json.dumps(config))

    # --- recent files ---
    def recent(self, kind: str) -> list[str]:
        value = self._s.value(f"recent/{kind}", [])
        if isinstance(value, str):  # QSettings gives a str for one-element lists on some backends
            value = [value]
        return [str(v) for v in value or []]

    def add_recent(self, kind: str, item: str) -> list[str]:
        items = [item] + [v for v in self.recent(kind) if v != item]
        items = items[:_RECENT_MAX]
        self._s.setValue(f"recent/{kind}", items)
        return items

    # --- workspace ---
    def workspace(self) -> Path:
        value = self._s.value("run/workspace")
        return Path(str(value)) if value else default_workspace()

    def set_workspace(self, path: Path) -> None:
        self._s.setValue("run/workspace", str(path))

    # --- interface language ---
    def language(self) -> str | None:
        """The chosen interface language code, or None before the user has chosen one."""
        value = self._s.value("ui/language")
        return str(value) if value else None

    def set_language(self, code: str) -> None:
        self._s.setValue("ui/language", code)

    def sync(self) -> None:
        self._s.sync()
