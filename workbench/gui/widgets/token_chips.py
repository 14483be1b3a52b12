"""A sentence split into tokens, drawn as coloured chips that wrap like text.

Pieces of one word share the word's colour and sit close together; words are
further apart. Unknown tokens are red with a dark border, special tokens
([CLS], [SEP]) grey. Hovering a chip shows its token, id, character span and
word. Only drawing happens here: the split itself comes from the engine
(``WorkshopTokenizer.split``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from workbench.engine.models.tokenizer_workshop import SentenceSplit, TokenPiece

# Light, distinct fills (ColorBrewer Pastel1/Set3), so black text stays readable on each.
_WORD_COLOURS = (
    "#fbb4ae",
    "#b3cde3",
    "#ccebc5",
    "#decbe4",
    "#fed9a6",
    "#ffffcc",
    "#e5d8bd",
    "#fddaec",
    "#8dd3c7",
    "#bebada",
)
_SPECIAL = "#d9d9d9"
_UNKNOWN = "#e53935"
_UNKNOWN_BORDER = "#7f0000"
_PAD_X, _PAD_Y = 5, 2  # text padding inside a chip
_PIECE_GAP, _WORD_GAP, _LINE_GAP = 2, 8, 4
_MARGIN = 4


class TokenChips(QWidget):
    """Shows one ``SentenceSplit``; ``set_split(None)`` shows the placeholder text."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._split: SentenceSplit | None = None
        self._placeholder = placeholder
        self._rects: list[QRect] = []
        self._laid_out_width = -1
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumHeight(32)
        self.setMouseTracking(True)

    # ---- content
    @property
    def split(self) -> SentenceSplit | None:
        return self._split

    def set_split(self, split: SentenceSplit | None) -> None:
        self._split = split
        self._laid_out_width = -1
        self.updateGeometry()
        self.update()

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.update()

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the placeholder it paints, in the new language."""
        from workbench.gui.retranslate import retranslated

        self.set_placeholder(retranslated(self._placeholder, self))

    def chip_texts(self) -> list[str]:
        """The text on every chip, in order (what a person reads off the widget)."""
        return [self._label(p) for p in self._split.pieces] if self._split else []

    def chip_rect(self, index: int) -> QRect:
        self._layout(self.width())
        return QRect(self._rects[index])

    def unknown_chips(self) -> list[int]:
        return [i for i, p in enumerate(self._split.pieces) if p.unknown] if self._split else []

    # ---- layout
    @staticmethod
    def _label(piece: TokenPiece) -> str:
        return piece.display

    def _layout(self, width: int) -> int:
        """Place the chips for ``width``; returns the height they need."""
        if self._split is None:
            self._rects = []
            return 32
        metrics = QFontMetrics(self.font())
        height = metrics.height() + 2 * _PAD_Y
        x = y = _MARGIN
        rects: list[QRect] = []
        previous_word: int | None = -1
        for piece in self._split.pieces:
            w = metrics.horizontalAdvance(self._label(piece)) + 2 * _PAD_X
            same_word = piece.word is not None and piece.word == previous_word
            gap = 0 if not rects else _PIECE_GAP if same_word else _WORD_GAP
            if rects and x + gap + w > width - _MARGIN:  # wrap
                x, y = _MARGIN, y + height + _LINE_GAP
                gap = 0
            x += gap
            rects.append(QRect(x, y, w, height))
            x += w
            previous_word = piece.word
        self._rects = rects
        self._laid_out_width = width
        return y + height + _MARGIN

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects, laid = self._rects, self._laid_out_width
        try:
            return self._layout(width)
        finally:  # measuring must not disturb the layout being painted
            self._rects, self._laid_out_width = rects, laid

    def sizeHint(self) -> QSize:
        width = max(self.width(), 300)
        return QSize(width, self.heightForWidth(width))

    # ---- painting
    def _fill(self, piece: TokenPiece) -> QColor:
        if piece.special:
            return QColor(_SPECIAL)
        if piece.unknown:
            return QColor(_UNKNOWN)
        return QColor(_WORD_COLOURS[(piece.word or 0) % len(_WORD_COLOURS)])

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._split is None or not self._split.pieces:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect().adjusted(_MARGIN, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter,
                self._placeholder,
            )
            return
        if self._laid_out_width != self.width():
            self._layout(self.width())
        for piece, rect in zip(self._split.pieces, self._rects):
            painter.setBrush(self._fill(piece))
            pen = QPen(QColor(_UNKNOWN_BORDER) if piece.unknown else QColor(0, 0, 0, 60))
            pen.setWidth(2 if piece.unknown else 1)
            painter.setPen(pen)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(QColor("white") if piece.unknown else QColor("black"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._label(piece))
        painter.end()

    def resizeEvent(self, event) -> None:
        self._laid_out_width = -1
        super().resizeEvent(event)

    # ---- tooltips
    def chip_at(self, pos: QPoint) -> int | None:
        if self._laid_out_width != self.width():
            self._layout(self.width())
        for i, rect in enumerate(self._rects):
            if rect.contains(pos):
                return i
        return None

    def tooltip_for(self, index: int) -> str:
        assert self._split is not None
        piece = self._split.pieces[index]
        text = self._split.text
        lines = [self.tr("token {token}   id {id}").format(token=repr(piece.token), id=piece.id)]
        if piece.special:
            lines.append(self.tr("special token (added by the tokenizer, not in the text)"))
        else:
            lines.append(
                self.tr("characters {start}-{end}: {text}").format(
                    start=piece.start, end=piece.end, text=repr(text[piece.start : piece.end])
                )
            )
            if piece.word is not None:
                start, end = self._split.words[piece.word]
                lines.append(
                    self.tr("word {number}: {text}").format(
                        number=piece.word + 1, text=repr(text[start:end])
                    )
                )
        if piece.unknown:
            lines.append(self.tr("UNKNOWN: the vocabulary cannot represent these characters"))
        return "\n".join(lines)

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.chip_at(event.pos())
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(index), self)
            return True
        return super().event(event)
