"""Analysis › Label errors: find the training rows most likely mislabeled, review them, save a cleaned file.

Find runs k-fold fine-tuning and confident learning (``engine/analysis/label_errors.py``) in a
worker, with progress per fold and step and a Cancel that lands between two training steps.
Each flagged row gets a decision: keep, relabel to the suggestion, or drop (keys K, R, D on the
table, or the buttons); "Select confident" selects the rows whose suggestion the fold models of every
repeat were sure of (cleaning every flagged row cost accuracy in bench/label_errors.py; these won some back).
"Save cleaned data" writes ``NAME.cleaned.EXT`` beside the original (never over it) and "Train on
it" hands that file to the Dataset tab.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.analysis.confident_learning import CONFIDENT
from workbench.engine.analysis.label_errors import MIN_FOLD_STEPS, REPEATS, SHORT_EPOCHS
from workbench.gui.dialog_folders import choose_file
from workbench.gui.i18n import translate
from workbench.gui.widgets.file_filters import file_filters
from workbench.gui.widgets.layout_boxes import row_layout
from workbench.gui.widgets.stoppable_task import StoppableTask
from workbench.gui.widgets.table_setup import setup_rows_view
from workbench.gui.workers import TaskRunner

_Index = QModelIndex | QPersistentModelIndex
KEEP, RELABEL, DROP = "keep", "relabel", "drop"
_SETTINGS_DATA_DIR = "label_errors/data_dir"  # where the last file was chosen
_KEYS = {Qt.Key.Key_K: KEEP, Qt.Key.Key_R: RELABEL, Qt.Key.Key_D: DROP}
_CONFIDENCE_COLUMN, _SCORE_COLUMN, _DECISION_COLUMN = 5, 6, 7
_TRAIN_SHARE = 900  # of 1000 progress units per fold: training; the rest predicting the held-out fold
# A cell shows this many characters of a text, its tooltip more: a 1 MB cell laid out whole froze the window.
_CELL_CHARS = 300
_TOOLTIP_CHARS = 2000


def _one_line(text: str) -> str:
    """The text's start on one line, its whitespace runs as single spaces."""
    cut = text[: 2 * _CELL_CHARS]  # room for the whitespace that collapses; never the whole text
    line = " ".join(cut.split())
    return line[:_CELL_CHARS] + "…" if len(line) > _CELL_CHARS or len(text) > len(cut) else line


class IssuesModel(QAbstractTableModel):
    """The flagged rows with a decision each (keep by default)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.issues: list[Any] = []
        self.decisions: list[str] = []

    def set_issues(self, issues: list[Any]) -> None:
        self.beginResetModel()
        self.issues = list(issues)
        self.decisions = [KEEP] * len(self.issues)
        self.endResetModel()

    def headers(self) -> list[str]:
        # translate() with literals: pyside6-lupdate catalogues those calls, not a wrapper's.
        return [translate("LabelErrorsView", "Rank"), translate("LabelErrorsView", "Line"),
                translate("LabelErrorsView", "Text"), translate("LabelErrorsView", "Given"),
                translate("LabelErrorsView", "Suggested"), translate("LabelErrorsView", "Confidence"),
                translate("LabelErrorsView", "Score"), translate("LabelErrorsView", "Decision")]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.issues)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _DECISION_COLUMN + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                _CONFIDENCE_COLUMN: translate("LabelErrorsView", "The probability the fold models gave the suggested "
                                              "label; with repeats, the lowest any repeat gave it."),
                _SCORE_COLUMN: translate("LabelErrorsView", "Label quality from 0 to 1: the lower, the more likely the "
                                         "given label is wrong. The table is ranked by it."),
            }.get(section)
        return None

    def decision_text(self, row: int) -> str:
        decision = self.decisions[row]
        if decision == RELABEL:
            return translate("LabelErrorsView", "relabel to {label}").format(label=self.issues[row].suggested)
        if decision == DROP:
            return translate("LabelErrorsView", "drop")
        return translate("LabelErrorsView", "keep")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        issue, col = self.issues[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (issue.rank, issue.line, _one_line(issue.text), issue.given, issue.suggested,
                      f"{issue.confidence:.3f}", f"{issue.score:.3f}", self.decision_text(index.row()))
            return values[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            text = issue.text
            return text[:_TOOLTIP_CHARS] + "…" if len(text) > _TOOLTIP_CHARS else text
        return None

    def decide(self, rows: list[int], decision: str) -> None:
        for row in rows:
            self.decisions[row] = decision
        if rows:
            self.dataChanged.emit(self.index(min(rows), _DECISION_COLUMN), self.index(max(rows), _DECISION_COLUMN))

    def confident_rows(self, at_least: float) -> list[int]:
        """The rows whose suggestion the fold models gave at least ``at_least``."""
        return [row for row, issue in enumerate(self.issues) if issue.confidence >= at_least]

    def chosen(self) -> list[Any]:
        """The engine's Decisions for the rows not kept."""
        from workbench.engine.analysis.label_errors import Decision

        return [Decision(issue.line, decision, issue.suggested if decision == RELABEL else None)
                for issue, decision in zip(self.issues, self.decisions) if decision != KEEP]


class IssuesTable(QTableView):
    """The issues table; K, R and D decide the selected rows and move on to the next."""

    decided = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        decision = _KEYS.get(Qt.Key(event.key()))
        if decision is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.decided.emit(decision)
            event.accept()
            return
        super().keyPressEvent(event)


def _find_job(config: Any, folds: int, repeats: int, validation: str | None, progress: Any,
              cancel: threading.Event) -> Any:
    """Worker: the label-error search (the same as ``workbench label-errors``)."""
    from workbench.engine.analysis.label_errors import find_label_errors

    return find_label_errors(config, folds, repeats=repeats, validation=validation, progress=progress,
                             should_stop=cancel.is_set)


def _save_job(data: str, decisions: list[Any], label_column: str | None) -> str:
    from workbench.engine.analysis.label_errors import write_cleaned

    return str(write_cleaned(data, decisions, label_column=label_column))


class LabelErrorsView(QWidget):
    retrain_requested = Signal(str)  # a cleaned data file
    example_chosen = Signal(object, str)  # (Predictor, text): a row opened in the prediction panel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: Any = None
        self._predictor: Any = None  # the Evaluation tab's model: what a row opens with (the fold models are gone)
        self.cleaned_path: str | None = None
        # The search: a stop flag per search, its fold progress relayed to the main thread.
        self._task = StoppableTask(self, on_progress=self._on_progress)
        self._saver = TaskRunner(self)
        self._build()
        self._task.runner.busy_changed.connect(self._update_controls)
        self._saver.busy_changed.connect(self._update_controls)
        self._update_controls()

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        form = QFormLayout()
        self.data_edit = QLineEdit()
        self.data_edit.setPlaceholderText(self.tr("the labelled training data (CSV, TSV, JSONL, Parquet, Arrow or Excel)"))
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText(self.tr("default: the installed pre-trained checkpoint"))
        self.model_edit.setToolTip(self.tr(
            "The checkpoint each fold fine-tunes: a preset, a model folder or a hub id. A stronger one finds "
            "more of the wrong labels, because it makes fewer confident mistakes of its own, and those look "
            "like wrong labels. Not a run trained on this file: its weights have seen every row a fold holds out."))
        self.validation_edit = QLineEdit()
        self.validation_edit.setPlaceholderText(self.tr("optional: a validation file, to check for leakage"))
        self.folds_spin = QSpinBox()
        self.folds_spin.setRange(2, 20)
        self.folds_spin.setValue(5)
        self.folds_spin.setToolTip(self.tr("The model is fine-tuned once per fold, on all other rows."))
        self.repeats_spin = QSpinBox()
        self.repeats_spin.setRange(1, 5)
        self.repeats_spin.setValue(REPEATS)
        self.repeats_spin.setToolTip(self.tr(
            "Run the folds this many times, each with another split and seed, and average what they predict: "
            "a steadier ranking, and Select confident keeps only what every repeat is sure of, for that many "
            "times the time."))
        self.epochs_spin = QDoubleSpinBox()
        self.epochs_spin.setRange(0.1, 10.0)
        self.epochs_spin.setSingleStep(0.5)
        self.epochs_spin.setValue(SHORT_EPOCHS)
        self.epochs_spin.setToolTip(self.tr(
            "Passes over each fold's training rows: a short schedule. At least {steps} steps, so the folds of "
            "a small file still learn.").format(steps=MIN_FOLD_STEPS))
        self.data_browse = QPushButton(self.tr("Browse…"))
        self.data_browse.clicked.connect(lambda: self._browse(self.data_edit, self.tr("Choose the labelled training data")))
        self.validation_browse = QPushButton(self.tr("Browse…"))
        self.validation_browse.clicked.connect(
            lambda: self._browse(self.validation_edit, self.tr("Choose a validation file")))
        form.addRow(self.tr("Training data:"), row_layout((self.data_edit, 1), self.data_browse))
        form.addRow(self.tr("Model:"), self.model_edit)
        form.addRow(self.tr("Validation data:"), row_layout((self.validation_edit, 1), self.validation_browse))
        schedule = row_layout(self.folds_spin, QLabel(self.tr("Repeats:")), self.repeats_spin,
                              QLabel(self.tr("Epochs per fold:")), self.epochs_spin)
        schedule.addStretch(1)  # small numbers in small boxes, not spread over the width
        form.addRow(self.tr("Folds:"), schedule)

        self.find_button = QPushButton(self.tr("Find label errors"))
        self.find_button.clicked.connect(self.find)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        self.status_label = QLabel(self.tr("Finds rows whose label the model, trained without them, doubts."))
        self.status_label.setWordWrap(True)
        run_row = QHBoxLayout()
        run_row.addWidget(self.find_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress_bar, 1)
        run_row.addStretch(0)  # while the progress bar is hidden the buttons keep their own width

        self.model = IssuesModel(self)
        self.table = IssuesTable()
        self.table.setModel(self.model)
        setup_rows_view(self.table, stretch=2)  # whole rows, several at once; one line of text high
        metrics = self.table.fontMetrics()  # the number columns as wide as their header or a number, not 100 px
        for column, sample in ((0, "00000"), (1, "000000"), (_CONFIDENCE_COLUMN, "0.000"), (_SCORE_COLUMN, "0.000")):
            header = self.model.headers()[column]
            self.table.setColumnWidth(column, max(metrics.horizontalAdvance(header), metrics.horizontalAdvance(sample)) + 24)
        self.table.setToolTip(self.tr("K: keep, R: relabel to the suggestion, D: drop. Double-click or Enter: "
                                      "open the row in the Prediction tab with the evaluated model."))
        self.table.decided.connect(self.decide_selected)
        self.table.activated.connect(self._on_issue_activated)  # double-click or Enter
        self.duplicates_table = self._group_table()
        self.leakage_table = self._group_table()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("Label issues"))
        self.tabs.addTab(self.duplicates_table, self.tr("Duplicates"))
        self.tabs.addTab(self.leakage_table, self.tr("Leakage"))

        decide_row = QHBoxLayout()
        self.confident_button = QPushButton(self.tr("Select confident"))
        self.confident_button.setToolTip(self.tr(
            "Selects the rows whose suggested label the fold models of every repeat gave at least this "
            "probability; then R relabels or D drops them. Many flagged rows are hard rows the models got wrong, "
            "not wrong labels: "
            "cleaning all of them can cost accuracy."))
        self.confident_button.clicked.connect(self.select_confident)
        self.confidence_spin = QDoubleSpinBox()
        self.confidence_spin.setRange(0.5, 1.0)
        self.confidence_spin.setSingleStep(0.05)
        self.confidence_spin.setDecimals(2)
        self.confidence_spin.setValue(CONFIDENT)
        self.confidence_spin.setToolTip(self.confident_button.toolTip())
        decide_row.addWidget(self.confident_button)
        decide_row.addWidget(self.confidence_spin)
        self.keep_button = QPushButton(self.tr("Keep (K)"))
        self.relabel_button = QPushButton(self.tr("Relabel (R)"))
        self.drop_button = QPushButton(self.tr("Drop (D)"))
        for button, decision in ((self.keep_button, KEEP), (self.relabel_button, RELABEL), (self.drop_button, DROP)):
            button.clicked.connect(lambda _=False, d=decision: self.decide_selected(d))
            decide_row.addWidget(button)
        decide_row.addStretch(1)
        self.save_button = QPushButton(self.tr("Save cleaned data"))
        self.save_button.setToolTip(self.tr("Writes a new file beside the original (NAME.cleaned.EXT); "
                                            "the original is never changed."))
        self.save_button.clicked.connect(self.save_cleaned)
        self.train_button = QPushButton(self.tr("Train on it"))
        self.train_button.clicked.connect(self._on_train)
        decide_row.addWidget(self.save_button)
        decide_row.addWidget(self.train_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(run_row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(decide_row)

    def _group_table(self) -> QTableWidget:
        table = QTableWidget(0, 4)
        table.setHorizontalHeaderLabels([self.tr("Group"), self.tr("Where"), self.tr("Line"), self.tr("Text")])
        setup_rows_view(table, stretch=3)  # one line of text a row, as the review table
        return table

    def _browse(self, edit: QLineEdit, title: str) -> None:
        path = choose_file(self, title, _SETTINGS_DATA_DIR, edit.text(), file_filters())
        if path:
            edit.setText(path)

    # ---- the API every analysis view has ----------------------------------------------------

    def set_sources(self, data_path: str | None, model_spec: str | None) -> None:
        """The Dataset tab's training file and the Model tab's model (an edited field is kept)."""
        if data_path and not self.data_edit.isModified():
            self.data_edit.setText(data_path)
        if model_spec and not self.model_edit.isModified():
            self.model_edit.setText(model_spec)

    def set_outcome(self, outcome: Any) -> None:
        """The Evaluation tab's latest evaluation: its model is the one a row opens with."""
        self._predictor = getattr(outcome, "predictor", None)

    def _on_issue_activated(self, index: QModelIndex) -> None:
        if self.report is None or not 0 <= index.row() < len(self.model.issues):
            return
        if self._predictor is None:
            self.status_label.setText(self.tr("Evaluate a model in the Evaluation tab to open a row in the "
                                              "Prediction tab."))
            return
        issue = self.model.issues[index.row()]
        self.example_chosen.emit(self._predictor, self.report.out_of_fold.examples.texts[issue.row])

    def shutdown(self) -> None:
        self._task.shutdown()
        self._saver.shutdown()

    # ---- finding ------------------------------------------------------------------------------

    def _config(self) -> Any:
        from workbench.engine.training.config import TrainConfig

        config = TrainConfig(data=str(Path(self.data_edit.text().strip()).expanduser()),
                             epochs=float(self.epochs_spin.value()))
        if self.model_edit.text().strip():
            config.model = self.model_edit.text().strip()
        return config

    def find(self) -> None:
        data = self.data_edit.text().strip()
        if not data or not Path(data).expanduser().is_file():
            self.status_label.setText(self.tr("Choose a labelled training file first."))
            return
        cancel, progress = self._task.begin()
        folds, repeats = self.folds_spin.value(), self.repeats_spin.value()
        self.progress_bar.setRange(0, folds * repeats * 1000)  # progress counts folds over every repeat
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self.status_label.setText(self.tr("Starting…"))
        validation = self.validation_edit.text().strip() or None
        self._task.run(
            _find_job, self._config(), folds, repeats, validation, progress, cancel,
            on_result=self._on_result, on_error=self._on_error, on_finished=self._update_controls,
        )

    def cancel(self) -> None:
        if not self._task.cancel():
            return
        self.progress_bar.hide()
        self.status_label.setText(self.tr("Search cancelled."))

    def _on_progress(self, p: Any) -> None:
        if not self._task.busy:  # a cancelled search's last report (a superseded one's never comes)
            return
        share = p.done / p.total if p.total else 0.0
        if p.phase == "train":
            value = (p.fold - 1) * 1000 + int(share * _TRAIN_SHARE)
            text = self.tr("Fold {fold} of {folds}: training, step {done} of {total}")
        else:
            value = (p.fold - 1) * 1000 + _TRAIN_SHARE + int(share * (1000 - _TRAIN_SHARE))
            text = self.tr("Fold {fold} of {folds}: predicting the held-out rows")
        self.progress_bar.setValue(value)
        self.status_label.setText(text.format(fold=p.fold, folds=p.folds, done=p.done, total=p.total))

    def _on_result(self, report: Any) -> None:
        self.report = report
        self.cleaned_path = None
        self.model.set_issues(report.issues)
        self.progress_bar.hide()
        self.status_label.setText(
            self.tr("Rows that look mislabeled: {issues} of {rows}. Duplicate groups with different labels: "
                    "{duplicates}. Shared with the validation file: {leaks}.").format(  # no plurals to get wrong
                issues=len(report.issues), rows=len(report.out_of_fold.examples),
                duplicates=len(report.duplicates), leaks=len(report.leakage)))
        self._fill_groups(report)
        if report.issues:
            self.table.selectRow(0)
        self.table.setFocus()

    def _on_error(self, message: str) -> None:
        self.progress_bar.hide()
        self.status_label.setText(self.tr("Search failed: {message}").format(message=message))

    def _fill_groups(self, report: Any) -> None:
        ex = report.out_of_fold.examples
        train, validation = self.tr("training"), self.tr("validation")
        dup_rows = [(n, train, ex.lines[r], ex.texts[r]) for n, g in enumerate(report.duplicates, 1) for r in g.rows]
        leak_rows = [row for n, g in enumerate(report.leakage, 1) for row in (
            [(n, train, ex.lines[r], ex.texts[r]) for r in g.train_rows]
            + [(n, validation, report.validation_lines[r], report.validation_texts[r]) for r in g.validation_rows])]
        for table, rows in ((self.duplicates_table, dup_rows), (self.leakage_table, leak_rows)):
            table.setRowCount(len(rows))
            for i, values in enumerate(rows):
                for j, value in enumerate(values):
                    table.setItem(i, j, QTableWidgetItem(str(value)))
        self.tabs.setTabText(1, self.tr("Duplicates ({count})").format(count=len(report.duplicates)))
        self.tabs.setTabText(2, self.tr("Leakage ({count})").format(count=len(report.leakage)))

    # ---- reviewing and saving -----------------------------------------------------------------

    def decide_selected(self, decision: str) -> None:
        """Decide the selected rows, then select the row after them (review goes on with the keyboard)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}) if self.model.issues else []
        if not rows:
            return
        self.model.decide(rows, decision)
        self.cleaned_path = None  # the saved file no longer matches the decisions
        if rows[-1] + 1 < self.model.rowCount():
            self.table.selectRow(rows[-1] + 1)
        self._update_controls()

    def select_confident(self) -> None:
        """Select the rows at or above the confidence box's value, ready for R or D."""
        at_least = self.confidence_spin.value()
        rows = self.model.confident_rows(at_least)
        selection = QItemSelection()
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, _DECISION_COLUMN))
        self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.setFocus()
        self.status_label.setText((
            self.tr("1 row with a confidence of {value:.2f} or more is selected: R relabels it, D drops it.")
            if len(rows) == 1 else
            self.tr("{count} rows with a confidence of {value:.2f} or more are selected: R relabels them, D drops them.")
        ).format(count=len(rows), value=at_least))

    def save_cleaned(self) -> None:
        if self.report is None:
            return
        data = str(self.report.out_of_fold.table.path)
        self.status_label.setText(self.tr("Writing the cleaned file…"))
        self._saver.run(_save_job, data, self.model.chosen(), self.report.label_column,
                        on_result=self._on_saved, on_error=self._on_error)

    def _on_saved(self, path: str) -> None:
        self.cleaned_path = path
        self.status_label.setText(self.tr("Saved the cleaned data to {path}. \"Train on it\" opens it in the "
                                          "Dataset tab.").format(path=path))
        self._update_controls()

    def _on_train(self) -> None:
        if self.cleaned_path:
            self.retrain_requested.emit(self.cleaned_path)

    def _update_controls(self, *_: Any) -> None:
        busy = self._task.busy
        self.find_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        has = self.report is not None and not busy
        for button in (self.keep_button, self.relabel_button, self.drop_button, self.confident_button):
            button.setEnabled(has and bool(self.model.issues))
        self.save_button.setEnabled(has and not self._saver.busy)
        self.train_button.setEnabled(self.cleaned_path is not None and not busy)
