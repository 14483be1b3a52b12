"""The Resume control of the training and runs panels.

A click continues a stopped run from its latest checkpoint; the arrow's menu also
offers "From a checkpoint…" (the chooser dialog). Its tooltip says what it will do or
why it is disabled, formatted with the run's name: the owner gives a callable that
draws it, so a language switch (View ▸ Language calls ``retranslate``) draws it again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class ResumeButton(QToolButton):
    latest_requested = Signal()  # the button itself, or "From the latest checkpoint"
    choose_requested = Signal()  # "From a checkpoint…"

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        self.latest_action = menu.addAction(self.tr("From the latest checkpoint"))
        self.latest_action.triggered.connect(self.latest_requested)
        self.choose_action = menu.addAction(self.tr("From a checkpoint…"))
        self.choose_action.setToolTip(self.tr("Choose one of the run's intact checkpoints (step and time)"))
        self.choose_action.triggered.connect(self.choose_requested)
        self.setMenu(menu)
        self.clicked.connect(self.latest_requested)
        self._tip: Callable[[], str] | None = None

    def set_state(self, enabled: bool, tip: Callable[[], str]) -> None:
        """Enable or disable it; ``tip`` draws the tooltip (what it does, or why it cannot)."""
        self.setEnabled(enabled)
        self._tip = tip
        self.setToolTip(tip())

    def retranslate(self) -> None:
        if self._tip is not None:
            self.setToolTip(self._tip())
