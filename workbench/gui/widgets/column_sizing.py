"""Column widths of a table view, at a cost that does not grow with the file.

``resizeColumnToContents`` (or ``ResizeToContents`` on the header) asks the model for
every column it sizes, several roles per cell: 5,000 columns froze the main thread
for seconds. Here only the first ``MAX_MEASURED_COLUMNS`` columns are measured, from
the header and the first ``SAMPLE_ROWS`` rows' display text; the others keep the
header's default width (the user can still drag them wider).
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView

MAX_MEASURED_COLUMNS = 30
SAMPLE_ROWS = 30
# Room beside the text: the cell's margins and a sort indicator or bold role name in the header.
_PADDING = 24
_STRETCHED = "workbench_stretched_columns"  # the header remembers which columns it stretched


def size_columns(
    view: QTableView, stretch: Collection[int] = (), *, min_width: int = 50, max_width: int = 220,
) -> int:
    """Fit the first columns to their content (between ``min_width`` and ``max_width``); the columns
    in ``stretch`` share the free width. Returns how many columns were measured (at most
    ``MAX_MEASURED_COLUMNS``)."""
    model, header = view.model(), view.horizontalHeader()
    if model is None:
        return 0
    columns, rows = model.columnCount(), min(model.rowCount(), SAMPLE_ROWS)
    header.setDefaultSectionSize(max(min_width, min(header.defaultSectionSize(), max_width)))
    # One call for every section (Qt loops in C++), then the few stretched ones.
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for col in header.property(_STRETCHED) or []:  # stretched before: back to a plain width
        if col < columns and col not in stretch:
            header.resizeSection(col, header.defaultSectionSize())
    header.setProperty(_STRETCHED, [int(col) for col in stretch])
    for col in stretch:
        if 0 <= col < columns and columns > 1:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
    cell, head = view.fontMetrics(), header.fontMetrics()
    display = Qt.ItemDataRole.DisplayRole
    measured = 0
    for col in range(min(columns, MAX_MEASURED_COLUMNS)):
        if col in stretch and columns > 1:
            continue
        title = model.headerData(col, Qt.Orientation.Horizontal, display)
        width = head.horizontalAdvance(str(title or ""))
        for row in range(rows):
            value = model.data(model.index(row, col), display)
            if value is not None:
                width = max(width, cell.horizontalAdvance(str(value)))
        header.resizeSection(col, min(max(width + _PADDING, min_width), max_width))
        measured += 1
    return measured
