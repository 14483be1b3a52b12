"""The common set-up of the analysis tables: whole rows chosen, nothing edited, rows one line of
text high, one column stretched."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from workbench.gui.widgets.row_header import SampledRowHeader


def setup_rows_view(view: QTableView, *, stretch: int | None = None, single: bool = False,
                    row_numbers: bool = False) -> QTableView:
    """Read-only rows (a double-click opens, never edits); ``stretch``: the column that takes the free width.

    ``single``: one row chosen at a time; ``row_numbers``: keep the vertical header (hidden where a
    column already says which row of the file an example is).
    """
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if not isinstance(view.verticalHeader(), SampledRowHeader):  # Qt's default rows are 30 px
        view.setVerticalHeader(SampledRowHeader(view))
    if not row_numbers:
        view.verticalHeader().hide()
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def fit_columns(view: QTableView, stretch: tuple[int, ...] = ()) -> None:
    """Every column as wide as its content, the ``stretch`` ones sharing what is left.

    For the small tables (a row per slice, per pair of groups): each cell is measured.
    """
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        if 0 <= column < header.count():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
