"""A tokenizer's vocabulary as a table: token, id and how often it occurs in the corpus sample.

The model formats a cell only when the view asks for it, so a 30,000-token
vocabulary opens at once. ``VocabularyProxy`` filters by a search string and
sorts numbers as numbers (through ``SORT_ROLE``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

_Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole
# Headers and tips are shown translated (headerData); these are the English sources.
COLUMNS = (
    QT_TRANSLATE_NOOP("VocabularyModel", "Token"),
    QT_TRANSLATE_NOOP("VocabularyModel", "ID"),
    QT_TRANSLATE_NOOP("VocabularyModel", "Count"),
)
_TIPS = (
    QT_TRANSLATE_NOOP(
        "VocabularyModel",
        "The token as it reads (byte-level BPE bytes decoded, a leading space shown as ▁); "
        "'##' marks a WordPiece continuation, '▁' a word start",
    ),
    QT_TRANSLATE_NOOP("VocabularyModel", "The token's id: the row of the embedding matrix it selects"),
    QT_TRANSLATE_NOOP(
        "VocabularyModel",
        "How often the token occurs in the corpus sample of the report (empty without a corpus)",
    ),
)


class VocabularyModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, int]] = []
        self._counts: dict[int, int] = {}
        self._specials: set[str] = set()
        self._readable: Callable[[str], str] = str

    def set_vocabulary(
        self,
        rows: list[tuple[str, int]],
        *,
        readable: Callable[[str], str] = str,
        specials: set[str] | None = None,
        counts: dict[int, int] | None = None,
    ) -> None:
        self.beginResetModel()
        self._rows = rows
        self._readable = readable
        self._specials = set(specials or ())
        self._counts = dict(counts or {})
        self.endResetModel()

    def set_counts(self, counts: dict[int, int]) -> None:
        self._counts = dict(counts)
        if self._rows:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._rows) - 1, 2))

    def token_at(self, row: int) -> tuple[str, int]:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        token, id_ = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self._readable(token)
            if col == 1:
                return str(id_)
            count = self._counts.get(id_)
            return "" if count is None and not self._counts else f"{count or 0:,}"
        if role == SORT_ROLE:
            return (self._readable(token), id_, self._counts.get(id_, 0))[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            shown = self._readable(token)
            tip = f"{token!r}" + (self.tr("  (special token)") if token in self._specials else "")
            return tip if shown != token or token in self._specials else None
        if role == Qt.ItemDataRole.FontRole and token in self._specials:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr(_TIPS[section])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class VocabularyProxy(QSortFilterProxyModel):
    """Search (a substring of the token, case-insensitive) and numeric sorting."""

    def __init__(self, source: VocabularyModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(0)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
