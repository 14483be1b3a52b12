"""Token saliency as coloured text: green pushed towards the target label, red away from it.

Each token's background opacity is its attribution divided by the largest
absolute attribution of the sentence, so the strongest token is fully coloured
whatever the scale of the logits. Special tokens ([CLS], [SEP]) are not shown.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.engine.data.stats import _CJK

_POSITIVE = (46, 160, 67)
_NEGATIVE = (215, 48, 39)


def _unspaced(char: str) -> bool:
    """A character written without spaces around it: CJK, or CJK / full-width punctuation."""
    return bool(_CJK.fullmatch(char)) or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def saliency_html(tokens: list[str], attributions: np.ndarray, special: np.ndarray | None = None) -> str:
    """Rich text with one coloured span per token; WordPiece '##' pieces join the previous word.

    Chinese tokenizers give one token per character: a token next to a CJK
    character or full-width punctuation joins it without a space, so the
    sentence reads as it was written.
    """
    from workbench.engine.inspection.attention import display_tokens

    shown = display_tokens(tokens)
    keep = [i for i in range(len(tokens)) if special is None or not special[i]]
    scale = max((abs(float(attributions[i])) for i in keep), default=0.0) or 1.0
    parts = []
    previous = ""
    for i in keep:
        value = float(attributions[i])
        r, g, b = _POSITIVE if value >= 0 else _NEGATIVE
        alpha = min(abs(value) / scale, 1.0)
        token = shown[i]
        joined = token.startswith("##")
        word = token[2:] if joined else token
        joined = joined or bool(previous and word and (_unspaced(previous[-1]) or _unspaced(word[0])))
        span = (
            f'<span style="background-color: rgba({r},{g},{b},{alpha:.2f}); padding: 2px;" '
            f'title="{value:+.4f}">{html.escape(word)}</span>'
        )
        parts.append(span if joined or not parts else " " + span)
        previous = word
    return "".join(parts)


class SaliencyView(QWidget):
    """Checkbox + target chooser + coloured text; the panel computes, this widget shows."""

    settings_changed = Signal()  # enabled or target changed: the owner recomputes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled_check = QCheckBox(self.tr("Explain with integrated gradients"))
        self.enabled_check.setToolTip(self.tr(
            "Colour each token by how much it moved the chosen label's logit (integrated gradients, "
            "48 steps from a [PAD] baseline). Green: towards the label; red: away from it."
        ))
        self.target_combo = QComboBox()
        self.target_combo.setToolTip(
            self.tr("Explain the predicted label, or pick another one to see what speaks for it.")
        )
        self.target_combo.addItem(self.tr("predicted label"), None)
        self.text_view = QLabel()
        self.text_view.setTextFormat(Qt.TextFormat.RichText)
        self.text_view.setWordWrap(True)
        self.text_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_view.setToolTip(self.tr("Hover a token for its attribution."))
        self.delta_view = QLabel()
        self.delta_view.setStyleSheet("color: gray;")
        self.delta_view.setToolTip(self.tr(
            "Completeness check: the attributions should add up to f(input) − f(baseline); "
            "delta is the gap. A large delta means more steps are needed."
        ))
        row = QHBoxLayout()
        row.addWidget(self.enabled_check)
        row.addWidget(QLabel(self.tr("for")))
        row.addWidget(self.target_combo)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.text_view)
        layout.addWidget(self.delta_view)
        self.enabled_check.toggled.connect(self._on_enabled_check_toggled)
        self.target_combo.activated.connect(lambda _i: self.settings_changed.emit())
        self.attribution: Any = None
        self._on_enabled_check_toggled(False)

    @property
    def enabled(self) -> bool:
        return self.enabled_check.isChecked()

    @property
    def target(self) -> int | None:
        return self.target_combo.currentData()

    def set_labels(self, names: list[str]) -> None:
        current = self.target
        self.target_combo.clear()
        self.target_combo.addItem(self.tr("predicted label"), None)
        for i, name in enumerate(names):
            self.target_combo.addItem(name, i)
        index = self.target_combo.findData(current)
        self.target_combo.setCurrentIndex(max(index, 0))

    def show_busy(self) -> None:
        self.delta_view.setText(self.tr("explaining…"))

    def show_attribution(self, attribution: Any) -> None:
        self.attribution = attribution
        self.text_view.setText(saliency_html(attribution.tokens, attribution.attributions, attribution.special))
        total = float(np.sum(attribution.attributions))
        text = self.tr("for “{label}” · sum of attributions {total}").format(
            label=html.escape(attribution.target), total=f"{total:+.3f}"
        )
        if attribution.delta is not None:
            text += " · " + self.tr("completeness delta {delta}").format(delta=f"{attribution.delta:+.4f}")
        self.delta_view.setText(text)

    def show_error(self, message: str) -> None:
        self.attribution = None
        self.text_view.setText("")
        self.delta_view.setText(html.escape(message))

    def _on_enabled_check_toggled(self, on: bool) -> None:
        self.target_combo.setEnabled(on)
        self.text_view.setVisible(on)
        self.delta_view.setVisible(on)
        if not on:
            self.attribution = None
            self.text_view.setText("")
            self.delta_view.setText("")
        self.settings_changed.emit()
