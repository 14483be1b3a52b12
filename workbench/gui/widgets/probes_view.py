"""The "Bias probes" tab: term swaps, one word inserted or removed, or templates, run in a worker.

The data is the Evaluation tab's examples (``set_outcome``); with only a model
(``set_predictor``) the templates still run. One table gives each pair of groups its flip rate
and mean probability shift (or, for templates, each group's mean probabilities); the examples that
flip for the chosen pair are listed below, and a double-click opens one in the prediction panel.
The report exports as JSON or a self-contained HTML page (``engine.analysis.probes``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.analysis import probes
from workbench.engine.errors import WorkbenchError
from workbench.engine.reports import fixed
from workbench.gui.settings import APPLICATION, ORGANIZATION
from workbench.gui.widgets.error_banner import ErrorBanner
from workbench.gui.widgets.layout_boxes import column_box
from workbench.gui.widgets.stoppable_task import StoppableTask, show_started
from workbench.gui.widgets.table_setup import fit_columns, setup_rows_view

SWAP, INSERT, REMOVE, TEMPLATE = range(4)
_FROM_FILE = "\0file"  # the list combo's "From a file…" entry


def user_lists_dir() -> Path:
    """Where "Edit terms…" saves term lists: beside the app's settings file."""
    settings = QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
    if QSettings.defaultFormat() == QSettings.Format.IniFormat:
        return Path(settings.fileName()).parent / "probes"
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    return Path(base or Path.home() / ".workbench") / "probes"


def _run_probe(predictor: Any, kind: int, texts: list[str], what: Any, templates: list[str] | None,
               progress: Any, cancel: threading.Event) -> probes.ProbeReport:
    """In the worker: the chosen probe."""
    options = {"progress": progress, "should_stop": cancel.is_set}
    if kind == SWAP:
        return probes.swap_probe(predictor, texts, what, **options)
    if kind == TEMPLATE:
        return probes.template_probe(predictor, templates, what, **options)
    return probes.token_probe(predictor, texts, what, insert=kind == INSERT, **options)


class TermListDialog(QDialog):
    """Edit a term list as JSON and save it under the app's config folder."""

    def __init__(self, terms: probes.TermList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit terms"))
        self.saved_path: Path | None = None
        self.name_edit = QLineEdit(terms.name if terms.name not in probes.BUILTIN_LISTS else f"my_{terms.name}")
        self.text_edit = QPlainTextEdit(json.dumps(terms.as_json(), ensure_ascii=False, indent=1))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b71c1c;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Name:")))
        row.addWidget(self.name_edit, 1)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr(
            "Groups of terms per language, aligned by position: the n-th term of one group is swapped for the "
            "n-th term of another. English terms match whole words, Chinese terms any part of a text.")))
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(560, 480)

    def save(self) -> None:
        name = "".join(c for c in self.name_edit.text().strip() if c.isalnum() or c in "-_")
        if not name or name in probes.BUILTIN_LISTS:
            self.error_label.setText(self.tr("Give the list a name of its own (letters, digits, - and _)."))
            return
        try:
            data = json.loads(self.text_edit.toPlainText())
            probes.parse_term_list(data, name)
        except json.JSONDecodeError as exc:
            self.error_label.setText(self.tr("Not valid JSON: {error}").format(error=str(exc)))
            return
        except WorkbenchError as exc:
            self.error_label.setText(str(exc))
            return
        folder = user_lists_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.saved_path = folder / f"{name}.json"
        self.saved_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.accept()


class ProbesView(QWidget):
    example_chosen = Signal(object, str)  # (Predictor, text): open it in the prediction panel
    report_ready = Signal(object)  # the ProbeReport shown (tests and callers wait for it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._predictor: Any = None
        self._texts: list[str] = []
        self._data = ""
        self._model = ""
        self._report: probes.ProbeReport | None = None
        self._task = StoppableTask(self, on_progress=self._on_progress)
        self._build()
        self._fill_lists()
        self._update_flips()
        self._update_controls()

    # ---- building ----------------------------------------------------------------------

    def _build(self) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.addItems([self.tr("Swap terms"), self.tr("Insert a word"), self.tr("Remove a word"),
                                  self.tr("Templates")])
        self.list_combo = QComboBox()
        self.edit_button = QPushButton(self.tr("Edit terms…"))
        self.word_edit = QLineEdit()
        self.word_edit.setPlaceholderText(self.tr("word"))
        self.templates_edit = QPlainTextEdit()
        self.templates_edit.setPlaceholderText(self.tr(
            "One template per line, with {term} where the group's term goes; empty: the built-in templates"))
        self.templates_edit.setMaximumHeight(70)
        self.run_button = QPushButton(self.tr("Run"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.json_button = QPushButton(self.tr("Export JSON…"))
        self.html_button = QPushButton(self.tr("Export HTML…"))
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.banner = ErrorBanner()
        self.pairs_table = self._table()
        self.flips_table = self._table()
        self.flips_table.setToolTip(self.tr("Double-click a text to open it in the prediction panel."))
        self.flips_label = QLabel()  # what the table below lists, or why it is empty
        self.flips_label.setWordWrap(True)
        controls = QHBoxLayout()
        for widget in (QLabel(self.tr("Probe:")), self.kind_combo, QLabel(self.tr("Terms:")), self.list_combo,
                       self.edit_button, self.word_edit):
            controls.addWidget(widget)
        controls.addStretch(1)
        actions = QHBoxLayout()
        for widget in (self.run_button, self.cancel_button, self.progress_bar):
            actions.addWidget(widget)
        actions.addWidget(self.status_label, 1)
        actions.addWidget(self.json_button)
        actions.addWidget(self.html_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.pairs_table)
        splitter.addWidget(column_box(self.flips_label, (self.flips_table, 1)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(controls)
        layout.addWidget(self.templates_edit)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)
        self.kind_combo.currentIndexChanged.connect(self._update_controls)
        self.list_combo.activated.connect(self._on_list_activated)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.run_button.clicked.connect(self.run_probe)
        self.cancel_button.clicked.connect(self.cancel)
        self.json_button.clicked.connect(lambda: self._export("json"))
        self.html_button.clicked.connect(lambda: self._export("html"))
        self.pairs_table.itemSelectionChanged.connect(self._update_flips)
        self.flips_table.cellDoubleClicked.connect(self._on_flip_double_clicked)
        self.word_edit.textChanged.connect(self._update_controls)

    @staticmethod
    def _table() -> QTableWidget:
        table = QTableWidget(0, 0)
        setup_rows_view(table, single=True, row_numbers=True)
        return table

    def _fill_lists(self, select: str | None = None) -> None:
        self.list_combo.clear()
        for name in probes.BUILTIN_LISTS:
            self.list_combo.addItem(name, name)
        folder = user_lists_dir()
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            self.list_combo.addItem(path.stem, str(path))
        self.list_combo.addItem(self.tr("From a file…"), _FROM_FILE)
        if select is not None:
            index = self.list_combo.findData(select)
            if index < 0:
                self.list_combo.insertItem(self.list_combo.count() - 1, Path(select).stem, select)
                index = self.list_combo.findData(select)
            self.list_combo.setCurrentIndex(index)

    # ---- public API --------------------------------------------------------------------

    def set_outcome(self, outcome: Any) -> None:
        """The Evaluation tab's latest outcome: its model and examples (None: both are gone)."""
        if outcome is None:
            self._predictor, self._texts, self._data, self._model = None, [], "", ""
        elif not outcome.predictor.task_spec.probes_terms:  # no class probabilities to compare
            self._predictor, self._texts, self._data, self._model = None, [], "", ""
            self._update_controls()
            self.status_label.setText(self.tr("Bias probes need a text classification model; this one is a {task} "
                                              "model.").format(task=outcome.predictor.task_spec.display_name))
            return
        else:
            self._predictor = outcome.predictor
            pairs = getattr(outcome.examples, "text_pairs", None)
            self._texts = [] if pairs is not None else list(outcome.examples.texts)  # pairs: templates only
            self._data, self._model = str(outcome.data), str(outcome.model)
        self._update_controls()

    def set_predictor(self, predictor: Any, model: str = "") -> None:
        """A model without data: the templates run."""
        self._predictor, self._texts, self._data, self._model = predictor, [], "", model
        self._update_controls()

    def set_term_list(self, spec: str) -> None:
        """Choose a built-in list by name or a term list file."""
        self._fill_lists(select=spec)

    @property
    def report(self) -> probes.ProbeReport | None:
        return self._report

    @property
    def busy(self) -> bool:
        return self._task.busy

    def shutdown(self) -> None:
        self._task.shutdown()

    # ---- running -----------------------------------------------------------------------

    def _term_spec(self) -> str:
        data = self.list_combo.currentData()
        return str(data) if data and data != _FROM_FILE else "gender"

    def _what(self, kind: int) -> Any:
        return self.word_edit.text().strip() if kind in (INSERT, REMOVE) else self._term_spec()

    def run_probe(self) -> None:
        kind = self.kind_combo.currentIndex()
        if self._predictor is None or (kind != TEMPLATE and not self._texts):
            return
        self.banner.hide()
        stop, progress = self._task.begin()  # a running probe stops at its next batch
        lines = [t.strip() for t in self.templates_edit.toPlainText().splitlines() if t.strip()]
        show_started(self.progress_bar, self.status_label, self.tr("Probing…"))
        self._task.run(_run_probe, self._predictor, kind, self._texts, self._what(kind), lines or None,
                       progress, stop, on_result=self._on_result, on_error=self._on_error,
                       on_finished=self._on_finished)
        self._update_controls()

    def cancel(self) -> None:
        if not self._task.cancel():
            return
        self.progress_bar.hide()
        self.status_label.setText(self.tr("Probe cancelled."))
        self._update_controls()

    def _on_progress(self, done: int, total: int) -> None:
        if not self._task.busy or total <= 0:
            return
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(done)
        self.status_label.setText(self.tr("{done} / {total} texts predicted").format(done=done, total=total))

    def _on_result(self, report: probes.ProbeReport) -> None:
        report.model, report.data = self._model, self._data if report.probe != "template" else ""
        self._report = report
        if report.probe == "template":
            filled = len(report.templates)
            self.status_label.setText((self.tr("{n} template filled.") if filled == 1
                                       else self.tr("{n} templates filled.")).format(n=filled))
        else:
            probed = sum(p.examples for p in report.pairs)
            self.status_label.setText((self.tr("{n} text probed; flip rate over all pairs {rate}.") if probed == 1
                                       else self.tr("{n} texts probed; flip rate over all pairs {rate}.")).format(
                n=probed, rate=f"{report.flip_rate:.3f}"))
        self._show_report()
        self.report_ready.emit(report)

    def _on_error(self, message: str) -> None:
        self.status_label.setText("")
        self.banner.show_message(message)

    def _on_finished(self) -> None:
        self.progress_bar.hide()
        self._update_controls()

    def _update_controls(self) -> None:
        kind = self.kind_combo.currentIndex()
        busy = self._task.busy
        self.list_combo.setVisible(kind in (SWAP, TEMPLATE))
        self.edit_button.setVisible(kind in (SWAP, TEMPLATE))
        self.word_edit.setVisible(kind in (INSERT, REMOVE))
        self.templates_edit.setVisible(kind == TEMPLATE)
        needs_word = kind in (INSERT, REMOVE) and not self.word_edit.text().strip()
        has_data = kind == TEMPLATE or bool(self._texts)
        self.run_button.setEnabled(self._predictor is not None and has_data and not needs_word and not busy)
        self.cancel_button.setEnabled(busy)
        self.json_button.setEnabled(self._report is not None)
        self.html_button.setEnabled(self._report is not None)
        if self._predictor is None and not busy:
            self.status_label.setText(self.tr("Evaluate a classifier in the Evaluation tab to probe its examples."))
        elif not has_data and not busy:
            self.status_label.setText(self.tr("No examples to probe (text pairs are not probed): use templates."))

    # ---- showing -----------------------------------------------------------------------

    def _show_report(self) -> None:
        report = self._report
        assert report is not None
        table = self.pairs_table
        table.clearSelection()
        if report.probe == "template":
            names = report.label_names
            table.setColumnCount(2 + len(names))
            table.setHorizontalHeaderLabels([self.tr("Template"), self.tr("Group")] + [f"p({n})" for n in names])
            rows = [(t.template, g, [m[n] for n in names]) for t in report.templates for g, m in t.means.items()]
            rows += [(t.template, self.tr("gap"), [t.gaps[n] for n in names]) for t in report.templates]
            rows.sort(key=lambda r: r[0])
            fit_columns(table, stretch=(0,))  # the template's text takes the room
        else:
            table.setColumnCount(6)
            table.setHorizontalHeaderLabels([self.tr("From"), self.tr("To"), self.tr("Examples"), self.tr("Flips"),
                                             self.tr("Flip rate"), self.tr("Mean shift")])
            rows = [(p.from_group, p.to_group, [p.examples, p.flips, p.flip_rate, p.mean_shift])
                    for p in report.pairs]
            fit_columns(table)  # narrow figures side by side, not spread over the width
        table.setRowCount(len(rows))
        for r, (first, second, values) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(first))
            table.setItem(r, 1, QTableWidgetItem(second))
            for c, value in enumerate(values, start=2):
                item = QTableWidgetItem(fixed(value, 3) if isinstance(value, float) else str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(r, c, item)
        if report.pairs:
            table.selectRow(0)
        self._update_flips()

    def _current_pair(self) -> probes.PairResult | None:
        if self._report is None or not self._report.pairs:
            return None
        rows = self.pairs_table.selectionModel().selectedRows()
        return self._report.pairs[rows[0].row()] if rows else None

    def _update_flips(self) -> None:
        pair = self._current_pair()
        flips = pair.flipped if pair is not None else []
        table = self.flips_table
        table.setColumnCount(6)
        table.setHorizontalHeaderLabels([self.tr("Text"), self.tr("Changed text"), self.tr("Label"),
                                         self.tr("Now"), self.tr("p before"), self.tr("p after")])
        fit_columns(table, stretch=(0, 1))  # the two texts share the width
        self.flips_label.setText(self._flips_text(pair))
        table.setRowCount(len(flips))
        for r, f in enumerate(flips):
            cells = [f.text, f.swapped, f.label, f.swapped_label, f"{f.probability:.3f}",
                     f"{f.swapped_probability:.3f}"]
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))

    def _flips_text(self, pair: probes.PairResult | None) -> str:
        if self._report is None:
            return self.tr("Run a probe: the texts whose predicted label changes are listed here.")
        if pair is None:
            return self.tr("Templates change no text of the data: the table above gives each group's "
                           "mean probabilities.") if self._report.probe == "template" else ""
        if not pair.flips:
            return self.tr("{source} → {target}: no text changed its predicted label.").format(
                source=pair.from_group, target=pair.to_group)
        if pair.flips == 1:
            return self.tr("{source} → {target}: 1 text changed its predicted label (double-click it to "
                           "open it).").format(source=pair.from_group, target=pair.to_group)
        return self.tr("{source} → {target}: {count} texts changed their predicted label, {shown} listed "
                       "(double-click one to open it).").format(
            source=pair.from_group, target=pair.to_group, count=pair.flips, shown=len(pair.flipped))

    def _on_flip_double_clicked(self, row: int, column: int) -> None:
        pair = self._current_pair()
        if pair is None or self._predictor is None or row >= len(pair.flipped):
            return
        flip = pair.flipped[row]
        self.example_chosen.emit(self._predictor, flip.swapped if column == 1 else flip.text)

    # ---- term lists and export ---------------------------------------------------------

    def _on_list_activated(self, index: int) -> None:
        if self.list_combo.itemData(index) != _FROM_FILE:
            return
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a term list"), str(Path.home()),
                                              self.tr("Term lists (*.json)"))
        if path:
            self._fill_lists(select=path)
        else:
            self.list_combo.setCurrentIndex(0)

    def _on_edit_clicked(self) -> None:
        try:
            terms = probes.load_term_list(self._term_spec())
        except WorkbenchError as exc:
            self.banner.show_message(str(exc))
            return
        dialog = TermListDialog(terms, self)
        if dialog.exec() and dialog.saved_path is not None:
            self._fill_lists(select=str(dialog.saved_path))

    def export(self, path: str | Path) -> None:
        """Write the report: HTML for an .html name, else JSON."""
        if self._report is not None:
            probes.write_report(self._report, path)

    def _export(self, fmt: str) -> None:
        filters = self.tr("HTML page (*.html)") if fmt == "html" else self.tr("JSON (*.json)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the probe report"),
                                              str(Path.home() / f"probe_report.{fmt}"), filters)
        if not path:
            return
        if not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        try:
            self.export(path)
        except OSError as exc:
            self.banner.show_message(self.tr("Cannot write {file}: {error}").format(file=path, error=str(exc)))
