"""The Slices tab: the task's metrics on named groups of examples, and the examples of each.

A table lists the whole set and each slice (the user's, then one per gold label and per length
quartile) with its size, headline metric, bootstrap interval and gap to the whole set; flagged
slices (the whole set's value outside the slice's interval) are coloured. An editor row adds a
slice (regex, keyword, column, length, label, ids), the map adds its saved selections
(``add_selection``). Choosing a slice filters the predictions table below it to its examples;
a double-click opens one in the prediction panel. The report is computed in a worker
(``engine/analysis/slices.py``), row by row, with progress and Cancel; a run keeps its slices
in ``RUN/slices.json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.dialog_folders import choose_file
from workbench.gui.widgets.error_banner import ErrorBanner
from workbench.gui.widgets.layout_boxes import column_box
from workbench.gui.widgets.predictions_model import EXAMPLE_ROLE, PredictionsModel, PredictionsProxy
from workbench.gui.widgets.table_setup import fit_columns, setup_rows_view
from workbench.gui.workers import TaskRunner

# The kinds the editor offers (engine ``slices.KINDS``), with what the value box asks for.
KIND_TEXTS = {
    "regex": (QT_TRANSLATE_NOOP("SlicesView", "Regular expression"),
              QT_TRANSLATE_NOOP("SlicesView", "a pattern, case-insensitive, e.g. \\bnot\\b")),
    "keyword": (QT_TRANSLATE_NOOP("SlicesView", "Keywords"),
                QT_TRANSLATE_NOOP("SlicesView", "whole words, comma-separated, e.g. film, movie")),
    "column": (QT_TRANSLATE_NOOP("SlicesView", "Column value"),
               QT_TRANSLATE_NOOP("SlicesView", "COLUMN=VALUE of the data file, e.g. source=web")),
    "length": (QT_TRANSLATE_NOOP("SlicesView", "Length (words)"),
               QT_TRANSLATE_NOOP("SlicesView", "LO-HI words (Chinese: characters), e.g. 0-10 or 30-")),
    "gold": (QT_TRANSLATE_NOOP("SlicesView", "Gold label"), QT_TRANSLATE_NOOP("SlicesView", "a label name")),
    "predicted": (QT_TRANSLATE_NOOP("SlicesView", "Predicted label"),
                  QT_TRANSLATE_NOOP("SlicesView", "a label name")),
    "ids": (QT_TRANSLATE_NOOP("SlicesView", "Ids or lines"),
            QT_TRANSLATE_NOOP("SlicesView", "file line numbers or ids, comma-separated, or a file of them")),
    "selection": (QT_TRANSLATE_NOOP("SlicesView", "Example numbers"),
                  QT_TRANSLATE_NOOP("SlicesView", "example indices (0 = the first), comma-separated")),
}
COL_NAME, COL_DEFINITION, COL_SIZE, COL_METRIC, COL_GAP, COL_FLAG = range(6)
_FLAGGED = QColor("#ffe0b2")
_SETTINGS_IDS_DIR = "slices/ids_dir"  # where the last file of ids was chosen
_SUGGESTED = QColor("#6b6b6b")


def _report_steps(outcome: Any, specs: list[Any], samples: int) -> Iterator[tuple[Any, ...]]:
    """Worker: the example table, then the report's rows one by one (Cancel lands between rows)."""
    from workbench.engine.analysis.example_table import example_table
    from workbench.engine.analysis.slices import iter_slice_report, suggested_slices

    table = example_table(outcome)
    total = 1 + len(specs) + len(suggested_slices(table))
    yield ("table", table, total)
    for done, row in enumerate(iter_slice_report(outcome, specs, samples=samples, table=table), start=1):
        yield ("row", row, done, total)
    yield ("done",)


class SlicesView(QWidget):
    example_chosen = Signal(object, str)  # (Predictor, text): open it in the prediction panel
    slices_changed = Signal(dict)  # slice name -> example indices (the map colours by them)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._outcome: Any = None
        self._table: Any = None  # ExampleTable of the outcome
        self._specs: list[Any] = []  # the user's SliceSpecs (suggestions are recomputed)
        self._rows: list[Any] = []  # SliceRows of the latest report
        self._run_dir: Any = None
        self._runner = TaskRunner(self)
        self._build()
        self._runner.busy_changed.connect(self._update_controls)
        self._update_controls()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        for kind, (text, _) in KIND_TEXTS.items():
            self.kind_combo.addItem(self.tr(text), kind)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.value_edit = QLineEdit()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("name (optional)"))
        self.name_edit.setMaximumWidth(180)
        self.add_button = QPushButton(self.tr("Add slice"))
        self.add_button.clicked.connect(self.add_from_editor)
        self.value_edit.returnPressed.connect(self.add_from_editor)
        self.ids_file_button = QPushButton(self.tr("File…"))
        self.ids_file_button.setToolTip(self.tr("Choose a file of ids or line numbers, one per line."))
        self.ids_file_button.clicked.connect(self._choose_ids_file)
        self.ids_file_button.hide()  # for the "Ids or lines" kind only
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Remove the chosen slice (the suggested ones come back each time)."))
        self.remove_button.clicked.connect(self.remove_selected)
        editor = QHBoxLayout()
        for widget, stretch in ((self.kind_combo, 0), (self.value_edit, 1), (self.ids_file_button, 0),
                                (self.name_edit, 0), (self.add_button, 0), (self.remove_button, 0)):
            editor.addWidget(widget, stretch)

        self.samples_spin = QSpinBox()
        self.samples_spin.setRange(0, 100_000)
        self.samples_spin.setSingleStep(500)
        self.samples_spin.setValue(1000)
        self.samples_spin.setToolTip(self.tr("Bootstrap resamples per slice for the confidence interval "
                                             "(0: no intervals, no flags)."))
        self.compute_button = QPushButton(self.tr("Recompute"))
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Resamples:")))
        for widget in (self.samples_spin, self.compute_button, self.cancel_button, self.progress_bar):
            actions.addWidget(widget)
        actions.addWidget(self.status_label, 1)

        self.banner = ErrorBanner()
        self.slice_table = QTableWidget(0, 6)
        self.slice_table.setHorizontalHeaderLabels([
            self.tr("Slice"), self.tr("Definition"), self.tr("Size"), self.tr("Metric [interval]"),
            self.tr("Gap"), self.tr("Flagged")])
        self.slice_table.horizontalHeaderItem(COL_FLAG).setToolTip(self.tr(
            "Flagged: the whole set's value lies outside the slice's confidence interval, so the "
            "difference is unlikely to be chance alone. With many slices a few are flagged by chance."))
        setup_rows_view(self.slice_table, single=True)
        fit_columns(self.slice_table, stretch=(COL_DEFINITION,))  # the metric and its interval on one line
        self.slice_table.itemSelectionChanged.connect(self._on_slice_chosen)

        self.predictions = PredictionsModel(self)
        self.proxy = PredictionsProxy(self)
        self.proxy.setSourceModel(self.predictions)
        self.predictions_view = QTableView()
        self.predictions_view.setModel(self.proxy)
        self.predictions_view.setSortingEnabled(True)
        setup_rows_view(self.predictions_view, stretch=0, row_numbers=True)
        self.predictions_view.setToolTip(self.tr("The chosen slice's examples; double-click one to open it "
                                                 "in the Prediction tab."))
        self.predictions_view.doubleClicked.connect(self._on_example_double_clicked)
        self.examples_label = QLabel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.slice_table)
        splitter.addWidget(column_box(self.examples_label, self.predictions_view))

        layout = QVBoxLayout(self)
        layout.addLayout(editor)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self._on_kind_changed()
        self._show_status()

    def _on_kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        self.value_edit.setPlaceholderText(self.tr(KIND_TEXTS[kind][1]))
        self.ids_file_button.setVisible(kind == "ids")

    def _choose_ids_file(self) -> None:
        path = choose_file(self, self.tr("Choose a file of ids or line numbers"), _SETTINGS_IDS_DIR,
                           self.value_edit.text())
        if path:
            self.value_edit.setText(path)
            self.value_edit.setFocus()  # Enter adds the slice

    def _update_controls(self) -> None:
        busy = self._runner.busy
        self.cancel_button.setEnabled(busy)
        self.compute_button.setEnabled(self._outcome is not None and not busy)
        self.add_button.setEnabled(self._outcome is not None)
        self.progress_bar.setVisible(busy)

    def _show_status(self) -> None:
        if self._outcome is None:
            self.status_label.setText(self.tr("Evaluate a model in the Evaluation tab: its slices show here."))
        elif self._runner.busy:
            self.status_label.setText(self.tr("Computing the slices…"))
        else:
            flagged = sum(1 for row in self._rows if row.flagged)
            count = max(len(self._rows) - 1, 0)  # the first row is the whole set
            self.status_label.setText((self.tr("{count} slice, {flagged} flagged.") if count == 1
                                       else self.tr("{count} slices, {flagged} flagged.")).format(
                count=count, flagged=flagged))

    # ------------------------------------------------------------------ public API

    def set_outcome(self, outcome: Any) -> None:
        """The Evaluation tab's latest ``EvalOutcome`` (None: nothing evaluated, or it is stale)."""
        from workbench.engine.analysis.slices import load_slices
        from workbench.engine.eval_data import run_folder_of

        self._runner.cancel()
        run_dir = run_folder_of(outcome.model) if outcome is not None and outcome.model else None
        if run_dir != self._run_dir:  # another run: its own saved slices
            self._specs = load_slices(run_dir) if run_dir is not None else []
        self._run_dir = run_dir
        self._outcome, self._table, self._rows = outcome, None, []
        self.slice_table.setRowCount(0)
        self.predictions.clear()
        self.examples_label.clear()
        self.banner.hide()
        self._update_controls()
        if outcome is None:
            self.slices_changed.emit({})
            self._show_status()
            return
        self.compute()

    def add_selection(self, name: str, indices: list[int]) -> None:
        """A selection saved on the embedding map becomes a slice of that name."""
        from workbench.engine.analysis.slices import SliceSpec

        self.add_slice(SliceSpec(name, "selection", ",".join(str(int(i)) for i in indices)))

    def add_slice(self, spec: Any) -> None:
        """Add (or, by name, replace) a user slice, save the run's slices and recompute."""
        from workbench.engine.analysis.slices import check_spec
        from workbench.engine.errors import WorkbenchError

        try:
            check_spec(spec)
        except WorkbenchError as error:
            self.banner.show_message(str(error))
            return
        self.banner.hide()
        self._specs = [s for s in self._specs if s.name != spec.name] + [spec]
        self._save()
        if self._outcome is not None:
            self.compute()

    def add_from_editor(self) -> None:
        from workbench.engine.analysis.slices import SliceSpec

        value = self.value_edit.text().strip()
        if not value:
            self.banner.show_message(self.tr("Type what the slice selects first: {what}.").format(
                what=self.value_edit.placeholderText()))
            return
        kind = str(self.kind_combo.currentData())
        name = self.name_edit.text().strip() or value
        self.add_slice(SliceSpec(name, kind, value))
        self.value_edit.clear()
        self.name_edit.clear()

    def remove_selected(self) -> None:
        row = self._chosen_row()
        if row is None or row.spec.kind == "all" or row.spec.suggested:
            return
        self._specs = [s for s in self._specs if s.name != row.spec.name]
        self._save()
        self._rows = [r for r in self._rows if r is not row]
        self._fill_slice_table()
        self._emit_slices()

    def compute(self) -> None:
        """Recompute the report (in a worker): the whole set, the user's slices, the suggested ones."""
        if self._outcome is None:
            return
        self._rows = []
        self.slice_table.setRowCount(0)
        self.banner.hide()
        self.progress_bar.setRange(0, 0)
        self._runner.run(_report_steps, self._outcome, list(self._specs), self.samples_spin.value(),
                         on_event=self._on_event, on_error=self._on_error, on_finished=self._on_finished)
        self._update_controls()
        self._show_status()

    def cancel(self) -> None:
        self._runner.cancel()
        self._update_controls()
        self._show_status()

    @property
    def busy(self) -> bool:
        return self._runner.busy

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    @property
    def specs(self) -> list[Any]:
        return list(self._specs)

    def shutdown(self) -> None:
        self._runner.shutdown()

    # ------------------------------------------------------------------ worker results

    def _on_event(self, item: tuple[Any, ...]) -> None:
        if item[0] == "table":
            self._table = item[1]
            self._fill_predictions()
            self.progress_bar.setRange(0, item[2])
        elif item[0] == "row":
            row, done, total = item[1], item[2], item[3]
            self._rows.append(row)
            self._append_row(row)
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
        elif item[0] == "done":
            self._save()
            self._emit_slices()

    def _on_error(self, message: str) -> None:
        self.banner.show_message(message)

    def _on_finished(self) -> None:
        self._update_controls()
        self._show_status()

    def _save(self) -> None:
        from workbench.engine.analysis.slices import save_slices

        if self._run_dir is None:
            return
        try:
            save_slices(self._run_dir, self._specs, self._rows)
        except OSError as error:  # a read-only run folder: the slices still work for this session
            self.banner.show_message(self.tr("The slices could not be saved in the run folder: {error}").format(
                error=error))

    def _emit_slices(self) -> None:
        self.slices_changed.emit({r.spec.name: list(r.indices) for r in self._rows if r.spec.kind != "all"})

    # ------------------------------------------------------------------ tables

    def _fill_predictions(self) -> None:
        table = self._table
        n = len(table)
        cols = table.columns
        examples = self._outcome.examples
        self.predictions.set_lines(examples.lines, examples.source.name if examples.source else "")
        self.predictions.set_label_sets(
            table.texts,
            [str(v) for v in cols.get("gold", [""] * n)],
            [str(v) for v in cols.get("predicted", [""] * n)],
            np.asarray(cols["correct"]) if "correct" in cols else np.ones(n, dtype=bool),
            confidence=cols.get("confidence"),
            loss=cols.get("loss"),
        )
        self.predictions.sort_mistakes_first()

    def _fill_slice_table(self) -> None:
        self.slice_table.setRowCount(0)
        for row in self._rows:
            self._append_row(row)

    def _append_row(self, row: Any) -> None:
        r = self.slice_table.rowCount()
        self.slice_table.insertRow(r)
        whole = row.spec.kind == "all"
        name = self.tr("All examples") if whole else row.spec.name
        definition = "" if whole else row.spec.definition
        metric = "–" if row.value is None else f"{row.value:.4f}"
        if row.low is not None and row.high is not None:
            metric += f"  [{row.low:.4f}, {row.high:.4f}]"
        gap = "" if whole or row.gap is None else f"{row.gap:+.4f}"
        cells = [name, definition, str(row.size), metric, gap, self.tr("yes") if row.flagged else ""]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in (COL_SIZE, COL_METRIC, COL_GAP):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if row.flagged:
                item.setBackground(QBrush(_FLAGGED))
            if row.spec.suggested:
                item.setForeground(QBrush(_SUGGESTED))
                item.setToolTip(self.tr("Suggested: one slice per gold label and per length quartile."))
            self.slice_table.setItem(r, c, item)
        if r == 0:
            self.slice_table.horizontalHeaderItem(COL_METRIC).setText(
                self.tr("{metric} [interval]").format(metric=row.headline.removeprefix("eval_")))

    def _chosen_row(self) -> Any:
        selected = self.slice_table.selectionModel().selectedRows()
        if not selected:
            return None
        r = selected[0].row()
        return self._rows[r] if 0 <= r < len(self._rows) else None

    def _on_slice_chosen(self) -> None:
        row = self._chosen_row()
        if row is None or self._table is None:
            return
        self.proxy.set_examples(None if row.spec.kind == "all" else row.indices)
        name = self.tr("All examples") if row.spec.kind == "all" else row.spec.name
        self.examples_label.setText(self.tr("{name}: {count} examples (double-click one to open it)").format(
            name=name, count=row.size))

    def _on_example_double_clicked(self, index: QModelIndex) -> None:
        if self._outcome is None or not index.isValid():
            return
        example = int(self.proxy.data(index, EXAMPLE_ROLE))
        self.example_chosen.emit(self._outcome.predictor, self._outcome.examples.texts[example])

    def select_slice(self, name: str) -> bool:
        """Choose the slice of that name in the table (tests, the map's legend); False if none."""
        for r, row in enumerate(self._rows):
            if row.spec.name == name:
                self.slice_table.selectRow(r)
                return True
        return False
