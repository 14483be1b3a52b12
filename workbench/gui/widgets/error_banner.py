"""A dismissible red banner inside a panel: the app stays usable under it."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QStyle, QToolButton, QWidget

from workbench.gui.i18n import translate

# The catalogue holds this text under the class's name from when it lived in the Dataset
# panel; translate() with that context keeps the existing translation (and lupdate keeps it).
_CONTEXT = "_ErrorBanner"
_HIDE_TIP = QT_TRANSLATE_NOOP(
    "_ErrorBanner", "Hide this message (the problem stays until another file is loaded)"
)


class ErrorBanner(QFrame):
    """A red banner with a message and a close button; hidden until ``show_message``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setStyleSheet(
            "#errorBanner { background: #fdecea; border: 1px solid #d32f2f; border-radius: 4px; }"
            "#errorBanner QLabel { color: #7f1d1d; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 6, 6)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(20, 20)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        """Called after a language switch (its context is not a class name the switch looks in)."""
        self.close_button.setToolTip(translate(_CONTEXT, _HIDE_TIP))

    @property
    def message(self) -> str:
        return self.label.text()

    def show_message(self, message: str) -> None:
        self.label.setText(message)
        self.show()
