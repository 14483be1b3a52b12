"""Compare two models on one labelled file: accuracies, disagreements, and attention differences.

The comparison and every attention difference run in worker threads; the main
thread only draws. Selecting a disagreement (and a layer and head) shows B's
attention minus A's for that text on a diverging colour scale centred on 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.dialog_folders import start_folder
from workbench.gui.i18n import translate
from workbench.gui.widgets.attention_texts import NO_ATTENTION_MESSAGE
from workbench.gui.widgets.heatmap import AttentionHeatmap
from workbench.gui.workers import TaskRunner

# Blue (B attends less) - white (no change) - red (B attends more); shipped with pyqtgraph.
DIFF_COLORMAP = "CET-D1"
# A difference smaller than this still gets a visible scale (an all-zero map stays white).
MIN_LEVEL = 1e-6
# The disagreement table lists at most this many (the most confident first): a table item per
# cell is made on the main thread, and a big file's thousands of rows froze it.
MAX_TABLE_ROWS = 1000
# English sources; shown through self.tr.
NOTE = QT_TRANSLATE_NOOP(
    "ComparePanel",
    "What did fine-tuning change in this head? Red: B attends more than A; blue: B attends less. "
    "Rows are queries, columns keys.",
)
COLUMNS = (
    QT_TRANSLATE_NOOP("ComparePanel", "text"),
    QT_TRANSLATE_NOOP("ComparePanel", "label"),
    "A",
    "B",
    QT_TRANSLATE_NOOP("ComparePanel", "conf A"),
    QT_TRANSLATE_NOOP("ComparePanel", "conf B"),
)
PLACEHOLDER = QT_TRANSLATE_NOOP(
    "ComparePanel", "Select a disagreement to see how B's attention differs from A's."
)


class DifferenceHeatmap(AttentionHeatmap):
    """An attention heatmap for signed differences: diverging colours, levels −m..m."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        cmap = pg.colormap.get(DIFF_COLORMAP)
        self.image.setColorMap(cmap)
        self.colorbar.setColorMap(cmap)
        # pyqtgraph puts a vertical bar's label on its left axis; the values are on the right one.
        self.colorbar.getAxis("left").setLabel("B − A")
        self.colorbar.axis.enableAutoSIPrefix(False)  # plain numbers, not "(x0.001)"
        self.level = 1.0
        self.setToolTip(
            self.tr(
                "B's attention minus A's for one layer and head. Rows are queries (the token attending),\n"
                "columns keys (attended to). Red: B attends more; blue: less; white: unchanged.\n"
                "Scroll to zoom, drag to pan; hover a cell for its value."
            )
        )

    def set_matrix(self, matrix: np.ndarray, tokens: Any) -> None:
        super().set_matrix(matrix, tokens)
        # Symmetric levels, so white is exactly 0 whatever the largest change.
        self.level = max(float(np.abs(np.asarray(matrix)).max(initial=0.0)), MIN_LEVEL)
        self.image.setLevels((-self.level, self.level))
        self.colorbar.setLevels((-self.level, self.level))


class ComparePanel(QWidget):
    compared = Signal(object)  # the engine's Comparison
    difference_shown = Signal(object)  # (tokens, diff (T, T)) once drawn
    failed = Signal(str)  # a readable message (also shown in the panel's banner)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Any = None
        self._runner = TaskRunner(self)
        self._attention_runner = TaskRunner(self)
        self._build()
        self._runner.busy_changed.connect(self._on_runner_busy_changed)

    # ---- construction -----------------------------------------------------------------

    def _path_row(self, placeholder: str, tip: str, folder: bool) -> tuple[QWidget, QLineEdit]:
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(tip)
        browse = QPushButton(self.tr("Browse…"))
        browse.setToolTip(self.tr("Choose a folder") if folder else self.tr("Choose a file"))
        browse.clicked.connect(lambda: self._on_browse_clicked(edit, folder))
        lay.addWidget(edit, 1)
        lay.addWidget(browse)
        return row, edit

    def _build(self) -> None:
        form = QFormLayout()
        row_a, self.model_a_edit = self._path_row(
            self.tr("run, checkpoint or model folder"),
            self.tr("Model A: e.g. an early checkpoint (run/checkpoints/step-…)."), True)
        row_b, self.model_b_edit = self._path_row(
            self.tr("run, checkpoint or model folder"),
            self.tr("Model B: e.g. the final model of the same run."), True)
        row_d, self.data_edit = self._path_row(
            self.tr("labelled file (csv, tsv, jsonl)"),
            self.tr("A labelled file in the same format as for training."), False)
        form.addRow(self.tr("Model A"), row_a)
        form.addRow(self.tr("Model B"), row_b)
        form.addRow(self.tr("Data"), row_d)

        self.compare_button = QPushButton(self.tr("Compare"))
        self.compare_button.setToolTip(self.tr("Evaluate both models on the data file and list where they disagree."))
        self.compare_button.clicked.connect(self.compare)
        self.summary_label = QLabel(self.tr("Choose two models and a labelled file, then Compare."))
        self.summary_label.setWordWrap(True)
        self.summary_label.setToolTip(self.tr("Accuracy of A and B on the file, and how many predictions differ."))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        top = QHBoxLayout()
        top.addWidget(self.compare_button)
        top.addWidget(self.summary_label, 1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)  # one line per example; the full text is in the tooltip
        self.table.setMinimumWidth(360)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(100)  # measure 100 rows, not every one
        self.table.setToolTip(self.tr(
            "Examples where A and B predict different labels, the most confident first.\n"
            "Select one to see how their attention differs on it."))
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)

        self.layer_spin = QSpinBox()
        self.layer_spin.setToolTip(self.tr("Layer of the attention difference (0 = nearest the input)."))
        self.head_spin = QSpinBox()
        self.head_spin.setToolTip(self.tr("Attention head within the layer."))
        for spin in (self.layer_spin, self.head_spin):
            spin.setRange(0, 0)
            spin.valueChanged.connect(self._on_spin_value_changed)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Layer")))
        controls.addWidget(self.layer_spin)
        controls.addWidget(QLabel(self.tr("Head")))
        controls.addWidget(self.head_spin)
        controls.addStretch(1)
        self.note_label = QLabel(self.tr(NOTE))
        self.note_label.setWordWrap(True)
        self.note_label.setToolTip(self.tr("The map is B's attention weights minus A's, for the selected text."))
        self.heatmap = DifferenceHeatmap()
        self.heatmap.setMinimumSize(320, 320)
        self.heatmap.hide()  # until a disagreement is selected
        self.placeholder_label = QLabel(self.tr(PLACEHOLDER))
        self.placeholder_label.setWordWrap(True)
        self.placeholder_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder_label.setStyleSheet("color: #666;")
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addLayout(controls)
        right_lay.addWidget(self.note_label)
        right_lay.addWidget(self.heatmap, 1)
        right_lay.addWidget(self.placeholder_label, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([540, 540])

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(top)
        lay.addWidget(self.error_label)
        lay.addWidget(self.splitter, 1)

    # ---- API ----------------------------------------------------------------------------

    def set_models(self, spec_a: str, spec_b: str) -> None:
        self.model_a_edit.setText(str(spec_a))
        self.model_b_edit.setText(str(spec_b))

    def set_data(self, path: str) -> None:
        self.data_edit.setText(str(path))

    def compare(self) -> None:
        """Evaluate both models in a worker; ``compared`` is emitted with the result."""
        spec_a, spec_b = self.model_a_edit.text().strip(), self.model_b_edit.text().strip()
        data = self.data_edit.text().strip()
        if not (spec_a and spec_b and data):
            self._show_error(self.tr("Choose model A, model B and a labelled data file first."))
            return
        # Heavy imports stay off start-up.
        from workbench.engine.inspection.compare import compare_models

        self.error_label.hide()
        self.summary_label.setText(self.tr("Comparing…"))
        self._runner.run(compare_models, spec_a, spec_b, data,
                         on_result=self._on_compare_result, on_error=self._on_compare_error)

    def shutdown(self) -> None:
        """Stop and wait for both workers (call before the panel is destroyed)."""
        self._runner.shutdown()
        self._attention_runner.shutdown()

    # ---- slots ------------------------------------------------------------------------

    def _on_browse_clicked(self, edit: QLineEdit, folder: bool) -> None:
        if folder:
            path = QFileDialog.getExistingDirectory(
                self, self.tr("Choose a run, checkpoint or model folder"), start_folder(edit.text())
            )
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a labelled file"), start_folder(edit.text()))
        if path:
            edit.setText(path)

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.compare_button.setEnabled(not busy)

    def _on_compare_result(self, comparison: Any) -> None:
        self.comparison = comparison
        self._update_summary()
        self._update_table()
        config = comparison.predictor_a.model.config
        layers = int(getattr(config, "num_hidden_layers", 1) or 1)
        heads = int(getattr(config, "num_attention_heads", 1) or 1)
        for spin, top in ((self.layer_spin, layers - 1), (self.head_spin, heads - 1)):
            spin.blockSignals(True)
            spin.setRange(0, top)
            spin.blockSignals(False)
        # Hidden, not cleared: AttentionHeatmap.clear() leaves the scene unable to draw a later map.
        self.heatmap.hide()
        attention = self._has_attention()
        self.placeholder_label.setText(
            self.tr(PLACEHOLDER) if attention else translate("AttentionPanel", NO_ATTENTION_MESSAGE)
        )
        self.note_label.setVisible(attention)
        for spin in (self.layer_spin, self.head_spin):
            spin.setEnabled(attention)
        self.placeholder_label.show()
        self.compared.emit(comparison)

    def _has_attention(self) -> bool:
        """False when A or B is a BiLSTM: there is no attention to subtract."""
        from workbench.engine.inspection.attention import has_attention

        c = self.comparison
        return c is not None and has_attention(c.predictor_a.model) and has_attention(c.predictor_b.model)

    def _on_compare_error(self, message: str) -> None:
        self.summary_label.setText(self.tr("The comparison failed."))
        self._show_error(message)

    def _on_table_selection_changed(self) -> None:
        self._update_difference()

    def _on_spin_value_changed(self, _value: int) -> None:
        self._update_difference()

    def _on_difference_result(self, result: tuple[list[str], np.ndarray], layer: int, head: int) -> None:
        from workbench.engine.inspection.attention import display_tokens

        tokens, diff = result
        self.placeholder_label.hide()
        self.heatmap.show()
        self.heatmap.set_matrix(diff, display_tokens(tokens))
        self.heatmap.set_title(
            self.tr("B − A · layer {layer}, head {head} · max |change| {change}").format(
                layer=layer, head=head, change=f"{self.heatmap.level:.3f}"
            )
        )
        self.difference_shown.emit(result)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.failed.emit(message)

    # ---- refreshes --------------------------------------------------------------------

    def _update_summary(self) -> None:
        c = self.comparison
        a, b = c.summary("a"), c.summary("b")
        summary = self.tr(
            "Accuracy A {a} vs B {b} · {differ} of {total} examples predicted differently"
        ).format(
            a=f"{a['accuracy']:.3f}", b=f"{b['accuracy']:.3f}",
            differ=len(c.disagreements), total=len(c),
        )
        if len(c.disagreements) > MAX_TABLE_ROWS:
            summary = self.tr("{summary} · the table lists the {shown} most confident").format(
                summary=summary, shown=MAX_TABLE_ROWS)
        self.summary_label.setText(summary)

    def _update_table(self) -> None:
        rows = self.comparison.disagreement_rows(limit=MAX_TABLE_ROWS)
        self.table.blockSignals(True)
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (row["text"], row["label"], row["a"], row["b"], f"{row['conf_a']:.3f}", f"{row['conf_b']:.3f}")
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setToolTip(row["text"])
                    item.setData(Qt.ItemDataRole.UserRole, row["index"])
                self.table.setItem(r, col, item)
        self.table.blockSignals(False)

    def selected_index(self) -> int | None:
        """The example index of the selected disagreement, or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.comparison is None:
            return None
        item = self.table.item(rows[0].row(), 0)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _update_difference(self) -> None:
        index = self.selected_index()
        if index is None or not self._has_attention():
            return
        from workbench.engine.inspection.compare import attention_difference

        c = self.comparison
        layer, head = self.layer_spin.value(), self.head_spin.value()
        self._attention_runner.run(
            attention_difference, c.predictor_a, c.predictor_b, c.texts[index], layer, head,
            on_result=lambda result: self._on_difference_result(result, layer, head),
            on_error=self._show_error,
        )
