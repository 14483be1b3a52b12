"""Placeholder: replaced by the helper that builds this tab (issue 17)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class SlicesView(QWidget):
    example_chosen = Signal(object, str)
    selection_saved = Signal(str, list)
    retrain_requested = Signal(str)

    def set_outcome(self, outcome: Any) -> None:
        pass

    def add_selection(self, name: str, indices: list[int]) -> None:
        pass

    def set_sources(self, data_path: str | None, model_spec: str | None) -> None:
        pass

    def shutdown(self) -> None:
        pass
