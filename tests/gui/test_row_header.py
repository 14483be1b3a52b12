"""The sampled row header (gui/widgets/row_header.py): its width fits the row labels, and sizing it
asks a Python model for a few dozen labels, not for several roles of two hundred rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from workbench.gui.widgets.row_header import SampledRowHeader


class _Lines(QAbstractTableModel):
    """100,000 rows labelled with file lines up to seven digits; counts header questions."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0
        self.step = 12  # line of row r: r * step + 2

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 100_000

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 2

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return "x" if role == Qt.ItemDataRole.DisplayRole else None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            self.asked += 1
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section * self.step + 2)
        return None


def _shown(qtbot, header: QHeaderView | None) -> tuple[QTableView, _Lines]:
    view = QTableView()
    if header is not None:
        view.setVerticalHeader(header)
    model = _Lines()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    return view, model


def test_width_fits_the_labels_from_few_questions(qtbot) -> None:
    view, model = _shown(qtbot, SampledRowHeader())
    header = view.verticalHeader()
    widest = header.fontMetrics().horizontalAdvance(str(99_999 * 12 + 2))
    assert header.width() >= widest  # the last line's number is not clipped
    assert header.width() < widest + 60
    assert model.asked < 200

    model.beginResetModel()  # a new file with longer line numbers: measured again
    model.step = 12_000
    model.endResetModel()
    longer = header.fontMetrics().horizontalAdvance(str(99_999 * 12_000 + 2))
    qtbot.waitUntil(lambda: header.width() >= longer)

    plain, plain_model = _shown(qtbot, None)
    assert plain_model.asked > 3 * model.asked  # what the sampled header saves (Qt asks per role and row)


def test_rows_are_one_line_of_the_font_high_and_follow_a_font_change(qtbot) -> None:
    from PySide6.QtGui import QFont

    view, _ = _shown(qtbot, SampledRowHeader())
    header = view.verticalHeader()
    assert view.rowHeight(0) == header.fontMetrics().height() + 6 == view.rowHeight(99_999)
    before = view.rowHeight(0)
    font = QFont(header.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    header.setFont(font)  # a larger font: taller rows, or the numbers would be cut
    assert view.rowHeight(0) == header.fontMetrics().height() + 6 > before


def test_the_dataset_evaluation_and_analysis_tables_share_one_row_height(qtbot) -> None:
    from workbench.gui.panels.dataset_panel import DatasetPanel
    from workbench.gui.panels.evaluation_panel import EvaluationPanel
    from workbench.gui.widgets.embedding_map_view import EmbeddingMapView
    from workbench.gui.widgets.label_errors_view import LabelErrorsView
    from workbench.gui.widgets.probes_view import ProbesView
    from workbench.gui.widgets.slices_view import SlicesView

    # Held here: qtbot keeps only weak references, and a collected panel takes its table with it.
    widgets = [(DatasetPanel(), "table_view"), (EvaluationPanel(), "predictions_view"),
               (SlicesView(), "predictions_view"), (SlicesView(), "slice_table"), (LabelErrorsView(), "table"),
               (LabelErrorsView(), "duplicates_table"), (LabelErrorsView(), "leakage_table"),
               (ProbesView(), "pairs_table"), (EmbeddingMapView(), "selection_view"),
               (EmbeddingMapView(), "neighbours_table")]
    views = []
    for widget, view_name in widgets:
        qtbot.addWidget(widget)
        views.append(getattr(widget, view_name))
    heights = {view.verticalHeader().defaultSectionSize() for view in views}
    assert heights == {views[0].verticalHeader().fontMetrics().height() + 6}
