"""Token saliency as coloured text: green pushed towards the target label, red away from it.

The text is shown word by word: a word split into pieces ("un", "##believ",
"##able") is one coloured word whose attribution is the sum of its pieces'
(``Attribution.words``; hover a word for its value and pieces). Each word's
background opacity is its attribution divided by the largest absolute word
attribution of the sentence, so the strongest word is fully coloured whatever
the scale of the logits; the legend under the text gives that scale. Special
tokens ([CLS], [SEP]) are not shown.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.data.stats import CJK_CHARS

_POSITIVE = (46, 160, 67)
_NEGATIVE = (215, 48, 39)


def _unspaced(char: str) -> bool:
    """A character written without spaces around it: CJK, or CJK / full-width punctuation."""
    return bool(CJK_CHARS.fullmatch(char)) or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


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


def word_scale(words: Sequence[Any]) -> float:
    """The largest absolute word attribution: the attribution drawn at full colour (1.0 if all are 0)."""
    return max((abs(float(w.attribution)) for w in words), default=0.0) or 1.0


def words_html(words: Sequence[Any], marked: set[int] | frozenset[int] = frozenset(), style: str = "") -> str:
    """Rich text with one coloured span per word (``WordAttribution``s), spaced as in the input.

    ``style`` is added to the spans of the words whose index is in ``marked``.
    """
    scale = word_scale(words)
    parts = []
    for index, word in enumerate(words):
        value = float(word.attribution)
        r, g, b = _POSITIVE if value >= 0 else _NEGATIVE
        alpha = min(abs(value) / scale, 1.0)
        extra = style + " " if index in marked and style else ""
        span = (
            f'<span style="{extra}background-color: rgba({r},{g},{b},{alpha:.2f}); padding: 2px;" '
            f'title="{value:+.4f}">{html.escape(word.text)}</span>'
        )
        parts.append(" " + span if word.space_before and parts else span)
    return "".join(parts)


class SaliencyLegend(QWidget):
    """What the colours mean: a red-white-green bar from −scale to +scale and one line of text."""

    BAR_WIDTH = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale = 1.0
        self._bar = _LegendBar(self)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #444;")
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self._bar, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.caption, 1)
        self.setToolTip(self.tr(
            "A word's colour is its attribution (for a word split into pieces, the sum of its "
            "pieces') divided by the sentence's largest one: full colour = that largest value, "
            "white = no effect."
        ))

    @property
    def scale(self) -> float:
        return self._scale

    def set_scale(self, scale: float, label: str) -> None:
        """Full colour stands for ±``scale``; ``label`` is the label the colours explain."""
        self._scale = float(scale)
        self._bar.set_scale(self._scale)
        self.caption.setText(self.tr(
            "Green: towards “{label}”; red: away from it. Full colour: {scale}, the strongest word."
        ).format(label=html.escape(label), scale=f"±{self._scale:.3g}"))


class _LegendBar(QWidget):
    """The colour bar itself, with −scale, 0 and +scale written under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale = 1.0
        metrics = self.fontMetrics()
        self._bar_height = 10
        self.setFixedSize(QSize(SaliencyLegend.BAR_WIDTH, self._bar_height + metrics.height() + 4))

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            bar = QRectF(0.5, 0.5, self.width() - 1.0, self._bar_height)
            gradient = QLinearGradient(bar.topLeft(), bar.topRight())
            # The spans are drawn with these colours at opacity |value| / scale over white.
            gradient.setColorAt(0.0, QColor(*_NEGATIVE))
            gradient.setColorAt(0.5, QColor("white"))
            gradient.setColorAt(1.0, QColor(*_POSITIVE))
            painter.fillRect(bar, gradient)
            painter.setPen(QColor("#999"))
            painter.drawRect(bar)
            painter.setPen(self.palette().color(self.foregroundRole()))
            text_box = QRectF(0, bar.bottom() + 2, self.width(), self.height() - bar.bottom() - 2)
            top = Qt.AlignmentFlag.AlignTop
            value = f"{self._scale:.2g}"  # two digits: three numbers must fit under the bar
            painter.drawText(text_box, int(Qt.AlignmentFlag.AlignLeft | top), "−" + value)
            painter.drawText(text_box, int(Qt.AlignmentFlag.AlignHCenter | top), "0")
            painter.drawText(text_box, int(Qt.AlignmentFlag.AlignRight | top), "+" + value)
        finally:
            painter.end()


class SaliencyView(QWidget):
    """Checkbox + target chooser + coloured text; the panel computes, this widget shows."""

    settings_changed = Signal()  # enabled or target changed: the owner recomputes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enabled_check = QCheckBox(self.tr("Explain with integrated gradients"))
        self.enabled_check.setToolTip(self.tr(
            "Colour each word by how much it moved the chosen label's logit (integrated gradients, "
            "48 steps from a [PAD] baseline; a word split into pieces gets the sum of its pieces'). "
            "Green: towards the label; red: away from it."
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
        self.text_view.setToolTip(self.tr("Hover a word for its attribution."))
        self.legend = SaliencyLegend()
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
        layout.addWidget(self.legend)
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
        words = attribution.words
        self.text_view.setText(words_html(words))
        self.legend.set_scale(word_scale(words), attribution.target)
        self.legend.show()
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
        self.legend.hide()
        self.delta_view.setText(html.escape(message))

    def _on_enabled_check_toggled(self, on: bool) -> None:
        self.target_combo.setEnabled(on)
        self.text_view.setVisible(on)
        self.delta_view.setVisible(on)
        self.legend.setVisible(on and self.attribution is not None)
        if not on:
            self.attribution = None
            self.text_view.setText("")
            self.delta_view.setText("")
        self.settings_changed.emit()
