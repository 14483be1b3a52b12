"""The dialogue playground's conversation: the turns said so far and a "New conversation" button.

The history is what the next reply is generated after: the engine composes the model's input
from it as training did (``SourceFormat``: the run's ``context_turns`` and ``turn_separator``),
so ``context()`` shows exactly the text the model reads.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

_YOU_STYLE = "background-color:#e7f5ff; color:#0b3d62"
_MODEL_STYLE = "background-color:#d3f9d8; color:#1b4d2b"


class ChatView(QWidget):
    """The turns of one conversation, oldest first: yours and the model's, alternately."""

    cleared = Signal()  # by the New conversation button

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: list[str] = []
        self.transcript = QTextBrowser()
        self.transcript.setToolTip(self.tr("The conversation so far: the model reads its latest turns."))
        self.new_button = QPushButton(self.tr("New conversation"))
        self.new_button.setToolTip(self.tr("Forget the turns so far and start again."))
        self.context_label = QLabel()
        self.context_label.setWordWrap(True)
        self.context_label.setStyleSheet("color: #555;")
        self.context_label.setToolTip(self.tr("What the model read for its last reply (as training built it)."))
        row = QHBoxLayout()
        row.addWidget(self.context_label, 1)
        row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(row)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self._draw()

    def add_exchange(self, said: str, reply: str, meta: Mapping[str, Any]) -> None:
        """Your turn and the model's reply join the history; ``meta``: the model's saved settings."""
        self.context_label.setText(self.tr("The model read: {context}").format(
            context=self.context(said, meta)))
        self.history += [said, reply]
        self._draw()

    def context(self, text: str, meta: Mapping[str, Any]) -> str:
        """The model's input for ``text`` after the history, composed as in training."""
        from workbench.engine.tasks.seq2seq import SourceFormat

        return SourceFormat.from_settings(meta).compose(text, self.history)

    def clear(self) -> None:
        self.history = []
        self.context_label.clear()
        self._draw()

    def _on_new_button_clicked(self) -> None:
        self.clear()
        self.cleared.emit()  # the last reply shown belongs to the old conversation

    def _draw(self) -> None:
        if not self.history:
            self.transcript.setHtml("<i style='color:gray'>{}</i>".format(
                html.escape(self.tr("A new conversation: say something below."))))
            return
        rows = []
        for i, turn in enumerate(self.history):
            who, style = (self.tr("You"), _YOU_STYLE) if i % 2 == 0 else (self.tr("Model"), _MODEL_STYLE)
            rows.append(f"<p><b>{html.escape(who)}:</b> <span style='{style}'>&nbsp;{html.escape(turn)}&nbsp;</span></p>")
        self.transcript.setHtml("".join(rows))
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())
