"""A read-only ``QAbstractTableModel`` over a :class:`~workbench.engine.data.Table`.

The model keeps a reference to the table's rows and formats a cell only when the
view asks for it, i.e. only the cells on screen. Nothing is copied per row or per
cell, so a 100,000-row file opens instantly and scrolls smoothly (with a fixed row
height in the view; ``ResizeToContents`` on rows would measure every row).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from workbench.engine.data import Table

# A preview cell shows one line of at most this many characters; the tooltip has more.
_CELL_CHARS = 300
_TOOLTIP_CHARS = 2000

_Index = QModelIndex | QPersistentModelIndex
# The column roles the dataset panel marks (identifiers), shown translated in the header.
_ROLE_NAMES = (
    QT_TRANSLATE_NOOP("TableModel", "text"),
    QT_TRANSLATE_NOOP("TableModel", "text pair"),
    QT_TRANSLATE_NOOP("TableModel", "label"),
    QT_TRANSLATE_NOOP("TableModel", "words"),
    QT_TRANSLATE_NOOP("TableModel", "tags"),
    QT_TRANSLATE_NOOP("TableModel", "source"),
    QT_TRANSLATE_NOOP("TableModel", "target"),
)


def format_value(value: object, limit: int = _CELL_CHARS) -> str:
    """One readable line for a cell: lists (CoNLL tokens/tags) joined by spaces, JSON for the rest."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        text = " ".join(value)
    else:
        text = json.dumps(value, ensure_ascii=False)
    if len(text) > limit:
        text = text[:limit] + "…"
    # Line breaks inside quoted CSV fields would make rows of different heights.
    return text.replace("\r\n", " ⏎ ").replace("\n", " ⏎ ").replace("\r", " ⏎ ")


class TableModel(QAbstractTableModel):
    """Rows of a ``Table``; the vertical header shows each row's line in the file."""

    def __init__(self, table: Table | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: Table | None = table
        self._roles: dict[str, str] = {}  # column -> role shown in the header ("text", "label" ...)

    # ------------------------------------------------------------------ content
    @property
    def table(self) -> Table | None:
        return self._table

    def set_table(self, table: Table | None) -> None:
        self.beginResetModel()
        self._table = table
        self._roles = {}
        self.endResetModel()

    def set_roles(self, roles: dict[str, str]) -> None:
        """Mark mapped columns (bold header with the role) so the mapping is visible in the preview."""
        self._roles = dict(roles)
        if self._table is not None and self._table.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._table.columns) - 1)

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid() or self._table is None:
            return 0
        return len(self._table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._table is None:
            return 0
        return len(self._table.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        table = self._table
        if table is None or not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row, col = index.row(), index.column()
        if row >= len(table.rows) or col >= len(table.columns):
            return None
        value = table.rows[row].get(table.columns[col])
        if role == Qt.ItemDataRole.ToolTipRole:
            text = format_value(value, _TOOLTIP_CHARS)
            return text if len(text) > 40 else None  # short cells need no tooltip
        return format_value(value)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        table = self._table
        if table is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(table.lines):
                return str(table.lines[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Line in the file where this row starts")
            return None
        if not 0 <= section < len(table.columns):
            return None
        name = table.columns[section]
        role_name = self._roles.get(name)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  [{self.tr(role_name)}]" if role_name else name
        if role == Qt.ItemDataRole.FontRole and role_name:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if role_name:
                return self.tr("Column {column}, used as the {role}").format(
                    column=repr(name), role=self.tr(role_name)
                )
            return self.tr("Column {column} (not used)").format(column=repr(name))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
