"""A vertical header whose width comes from a sample of its row labels.

Qt sizes a vertical header by asking the model for the label, font, icon and alignment of its
first and last hundred rows. With a Python model each of those calls takes the interpreter lock
again; while a worker thread runs Python (a slice bootstrap, a tokenizer) every hand-over waits
up to a switch interval, and one resize froze the window for seconds (the monkey's seed 1234).
This header answers ``sizeHint`` in one Python call from a few labels instead.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QWidget

_SAMPLE = 25  # rows read from each end of the model


class SampledRowHeader(QHeaderView):
    """Vertical header for tables of row or line numbers: one line of text per row, a fixed height
    (the view never measures rows it does not show), the same in every table that uses it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._hint: QSize | None = None  # the views ask for it on every layout: kept until rows change
        self._fit_rows_to_font()

    def _fit_rows_to_font(self) -> None:
        self.setDefaultSectionSize(self.fontMetrics().height() + 6)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 (Qt's name)
        super().setModel(model)
        self._hint = None
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                           model.headerDataChanged):
                signal.connect(self._forget_hint)

    def _forget_hint(self, *_: object) -> None:
        self._hint = None
        self.geometriesChanged.emit()  # the view then asks for the new width (Qt does not when the row count stays)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._hint = None
            self._fit_rows_to_font()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        model = self.model()
        if model is None or self.isHidden():
            return super().sizeHint()
        if self._hint is None:
            self._hint = self._measure(model)
        return self._hint

    def _measure(self, model: QAbstractItemModel) -> QSize:
        count = model.rowCount(self.rootIndex())
        rows = list(range(min(count, _SAMPLE))) + list(range(max(_SAMPLE, count - _SAMPLE), count))
        labels = [str(model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole) or "")
                  for row in rows]
        digits = max((len(label) for label in labels), default=1)
        if count > 2 * _SAMPLE:
            digits += 1  # a sorted table may put a longer number between the sampled ends
        widest = max(labels + ["9" * digits], key=self.fontMetrics().horizontalAdvance)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
        width = self.fontMetrics().horizontalAdvance(widest) + 2 * margin + 4
        return QSize(width, self.defaultSectionSize())
