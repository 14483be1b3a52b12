"""Evaluate a model on a labelled file: metrics, the confusion matrix, and the examples it gets wrong.

All engine work (loading the model, reading and encoding the file, running the
model, writing exports) runs in workers (``TaskRunner``). The evaluation is
the same code path as ``workbench eval`` (``EvalData.examples`` → the engine's
``evaluate_model``), so the numbers agree with the command line, and the CSV
export is the file ``workbench eval --predictions`` writes (``reports.predictions_table``).

``evaluate_model`` reports progress per batch and asks before each batch whether
to stop: that is where Cancel lands, so a cancelled evaluation stops computing
instead of running on unseen. Both act only in the evaluation's own thread: the
model may be shared with the prediction panel.

A run folder brings its own data: its validation file, or exactly the part of
its training file it held out for validation, checked against the run and
refused when the file changed. That choice lives in the engine
(``workbench.engine.eval_data``), shared with ``workbench eval RUN`` without
``--data``. Every way examples are built here goes through the engine's
``examples_for_model``: a checkpoint saved without label names (LABEL_0, LABEL_1)
reads data labelled 0/1 by position, and the status line says so.

The examples table numbers its rows by the line of the file each example starts
on: the row number the Dataset tab shows for it (and the CSV export's ``line``).

Generated text (translation, summarisation, dialogue: ``EvaluationView.GENERATION``) has its
own page (``widgets/seq2seq_results.py``): the corpus scores with bootstrap intervals and the
outputs, lowest sentence score first; the worker builds both (``Task.prediction_rows``,
``Task.worst_first``, ``Task.metric_intervals``).

Clicking a cell of the confusion matrix lists that cell's examples; the list
starts with the most confident mistakes. Double-click (or Enter on) an example
to open it in the prediction panel (``example_chosen``).

This module imports no torch: the engine's torch code is imported in the workers.

Run alone:  python -m workbench.gui.panels.evaluation_panel [RUN_OR_MODEL_DIR] [DATA_FILE]
"""

from __future__ import annotations

import html
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.data import ColumnMapping
from workbench.engine.errors import DatasetError, WorkbenchError
from workbench.engine.eval_data import EvalData, HeldOut, run_eval_data
from workbench.engine.generation_metrics import METRIC_NAMES
from workbench.engine.tasks.registry import get_task
from workbench.gui.dialog_folders import remember_folder, start_folder, start_path
from workbench.gui.i18n import translate
from workbench.gui.tasks import EvaluationView, view_for
from workbench.gui.widgets.confusion import ConfusionMatrixWidget
from workbench.gui.widgets.predictions_model import (
    COL_CONF,
    COL_CORRECT,
    COL_LABEL,
    COL_LOSS,
    COL_PRED,
    COL_TEXT,
    PredictionsModel,
    PredictionsProxy,
)
from workbench.gui.widgets.row_header import SampledRowHeader
from workbench.gui.widgets.seq2seq_results import Seq2SeqResults
from workbench.gui.widgets.stoppable_task import StoppableTask, show_started
from workbench.gui.workers import TaskRunner

_SETTINGS_MODEL_DIR = "evaluation/model_dir"
_SETTINGS_DATA_DIR = "evaluation/data_dir"
_SETTINGS_EXPORT_DIR = "evaluation/export_dir"
_ERROR_STYLE = (
    "QLabel { background: #ffe3e3; color: #8a1c1c; padding: 6px 8px; border-radius: 3px; }"
)
_NOTE_STYLE = "QLabel { color: #555; padding: 12px; }"
DATA_FILTERS = QT_TRANSLATE_NOOP(  # translated where the dialog opens
    "EvaluationPanel", "Labelled data (*.csv *.tsv *.jsonl *.json *.conll *.conllu *.txt);;All files (*)"
)
EVAL_BATCH_SIZE = 64  # what `workbench eval` uses by default
EVALUATE_KEYS = QKeySequence("Ctrl+E")


def metric_display_name(key: str) -> str:
    """``eval_chrf`` -> "chrF" (generation metrics' display names; other keys as they are)."""
    info = METRIC_NAMES.get(key.removeprefix("eval_"))
    return info.display_name if info else key


class EvaluationCancelled(WorkbenchError):
    """Raised inside the worker when the user pressed Cancel (never shown: the result is dropped)."""


@dataclass
class EvalOutcome:
    """What one evaluation produced (built in the worker, read on the main thread)."""

    predictor: Any
    examples: Any  # workbench.engine.data.Examples
    result: Any  # workbench.engine.evaluation.EvalResult
    model: str
    data: str
    seconds: float
    held_out: HeldOut | None = None  # set when ``examples`` are a run's held-out split of ``data``
    note: str | None = None  # how the data's labels were matched to the model's (LABEL_i is i), if they were
    # Generated text (EvaluationView.GENERATION): the task's prediction rows worst first, and the
    # bootstrap interval of each corpus metric (``eval_<name>``: (low, high)).
    rows: list[dict[str, Any]] = field(default_factory=list)
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def task(self) -> str:
        return str(self.predictor.task)

    @property
    def view(self) -> EvaluationView | None:
        """What the panel shows for the model's task (gui/tasks: confusion matrix, per-label, entities)."""
        task_view = view_for(self.predictor.task)
        return task_view.evaluation if task_view is not None else None

    @property
    def label_names(self) -> list[str]:
        names = list(getattr(self.predictor, "label_names", []) or [])
        return names or [str(n) for n in self.result.metrics.get("label_names", [])]


def _mapping(mapping: Any) -> ColumnMapping | None:
    """Accept a ColumnMapping, a dict {text, text_pair, label} or None."""
    if mapping is None or isinstance(mapping, ColumnMapping):
        return mapping
    if isinstance(mapping, dict):
        return ColumnMapping(mapping["text"], mapping.get("text_pair"), mapping.get("label"))
    raise TypeError(f"mapping must be a ColumnMapping or a dict, not {type(mapping).__name__}")


def _evaluate_job(
    predictor: Any,
    spec: str,
    data: str,
    mapping: ColumnMapping | None,
    data_format: str | None,
    progress: Callable[[str, int, int], None],
    cancel: threading.Event,
    source: EvalData | None = None,
) -> EvalOutcome:
    """Worker: the same steps as ``workbench eval``, with progress and cancellation.

    ``source``: what to evaluate on (a run's validation file or held-out split, from
    ``run_eval_data``); None: the file ``data`` with ``mapping`` and ``data_format``.
    The progress texts and the errors this function words itself are translated here
    (translate() is thread-safe); the engine's own errors stay English, as in the CLI.
    """
    from workbench.engine.evaluation import EvaluationStopped, evaluate_model
    from workbench.engine.inference import Predictor
    from workbench.engine.tasks.registry import get_task

    def check() -> None:
        if cancel.is_set():
            raise EvaluationCancelled("evaluation cancelled")

    if source is None:
        source = EvalData(data, mapping, data_format)
    start = time.perf_counter()
    if predictor is None:
        progress(translate("EvaluationPanel", "Loading {spec}…").format(spec=spec), 0, 0)
        predictor = Predictor.load(spec)
    check()
    task_view = view_for(predictor.task)
    if task_view is None or task_view.evaluation is None:  # no result view for the task here
        raise WorkbenchError(translate(
            "EvaluationPanel",
            "this is a {task} model; the evaluation panel shows classification and "
            "token-classification results. Use `workbench eval` for loss and perplexity (language "
            "models) or exact match and F1 (question answering; the Prediction tab has its playground).",
        ).format(task=predictor.task))
    progress(translate("EvaluationPanel", "Reading {file}…").format(file=Path(source.path).name), 0, 0)
    # A LABEL_0/LABEL_1 checkpoint reads data labelled 0/1 by position (``note`` says so);
    # other label mismatches, and a run's changed training file, are refused here.
    examples, note = source.examples(
        predictor.task, predictor.label_names,
        label_separator=getattr(predictor, "label_separator", "|"),  # multi-label only
    )  # fmt: skip
    task = get_task(predictor.task)
    if task.labelled and examples.labels is None:  # generated text is scored against its targets
        raise DatasetError(
            translate(
                "EvaluationPanel",
                "no label column found; evaluation needs labels (choose a labelled file).",
            ),
            path=source.path,
        )
    check()
    progress(translate("EvaluationPanel", "Encoding {count} examples…").format(count=len(examples)), 0, 0)
    evaluating = translate("EvaluationPanel", "Evaluating…")
    try:
        result = evaluate_model(
            predictor,
            examples,
            batch_size=EVAL_BATCH_SIZE,
            progress=lambda done, total: progress(evaluating, done, total),
            should_stop=cancel.is_set,
        )
    except EvaluationStopped as stopped:
        raise EvaluationCancelled("evaluation cancelled") from stopped
    model = str(getattr(getattr(predictor, "source", None), "spec", "") or spec)
    outcome = EvalOutcome(
        predictor, examples, result, model, source.path, time.perf_counter() - start, source.held_out, note
    )
    if task_view.evaluation is EvaluationView.GENERATION:
        progress(translate("EvaluationPanel", "Scoring each output and the confidence intervals…"), 0, 0)
        outcome.rows = task.worst_first(task.prediction_rows(result, examples, outcome.label_names))
        check()
        outcome.intervals = task.metric_intervals(result, examples)
        check()
        outcome.seconds = time.perf_counter() - start
    return outcome


def _export_job(kind: str, path: str, outcome: EvalOutcome) -> str:
    """Worker: write one export file; returns its path."""
    from workbench.engine import reports

    names = outcome.label_names
    if kind == "csv":
        predictor = outcome.predictor  # its tokenizer places each tag on its word; its separator joins label sets
        reports.write_predictions_csv(
            path, outcome.result, outcome.examples, names,
            tokenizer=getattr(predictor, "tokenizer", None), max_length=getattr(predictor, "max_length", None),
            label_separator=getattr(predictor, "label_separator", "|"),
        )  # fmt: skip
        return path
    report = reports.build_report(
        outcome.result,
        outcome.examples,
        label_names=names,
        task=outcome.task,
        model=outcome.model,
        data=outcome.held_out.describe(outcome.data) if outcome.held_out else outcome.data,
        intervals=outcome.intervals,
    )
    if kind == "json":
        reports.write_report_json(path, report)
    else:
        reports.write_report_html(path, report)
    return path


def _is_file(text: str) -> bool:
    """Whether typed ``text`` names a file (text the system cannot look up, too long or with a NUL, does not)."""
    try:
        return Path(text).expanduser().is_file()
    except (OSError, ValueError):
        return False


class EvaluationPanel(QWidget):
    example_chosen = Signal(object, str)  # (Predictor, text) when the user opens an example
    evaluated = Signal(dict)  # metrics after an evaluation
    outcome_ready = Signal(object)  # the whole EvalOutcome (the analysis panel builds on it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._predictor: Any = None
        self._predictor_spec: str | None = None  # the model field text the predictor belongs to
        self._mapping: ColumnMapping | None = None
        self._format: str | None = None
        self._data_from_run = False  # the data field was filled from the run's config
        self._held_out: HeldOut | None = None  # the run split its validation off the data file
        self._run_data: EvalData | None = None  # what the run offered, while the data field holds it
        self._outcome: EvalOutcome | None = None
        self._task = StoppableTask(self, on_progress=self._on_progress)
        self._runner = self._task.runner  # its busy state drives the controls
        self._exporter = TaskRunner(self)
        self._build()
        self._update_controls()
        self._update_results()

    # ---- public API -------------------------------------------------------------------

    def set_model(self, spec: str) -> None:
        """Evaluate ``spec`` (a run folder, model folder or hub id) from now on; loaded when evaluating.

        For a run folder the data field defaults to the data the run validated on:
        its validation file, or the part it held out of its training file.
        """
        spec = str(spec).strip()
        self.model_edit.setText(spec)
        if spec != self._predictor_spec:
            self._predictor = None
            self._predictor_spec = None
        self._fill_from_run(spec)
        self._hide_banner()
        self._update_status_idle()

    def set_predictor(self, predictor: Any) -> None:
        """Evaluate ``predictor`` (already loaded, e.g. the model just trained)."""
        self._predictor = predictor
        source = getattr(predictor, "source", None)
        spec = str(getattr(source, "spec", "") or "") if predictor is not None else ""
        self._predictor_spec = spec
        self.model_edit.setText(spec)
        self._fill_from_run(spec)
        self._hide_banner()
        self._update_status_idle()

    def set_data(self, path: str, mapping: Any = None) -> None:
        """The labelled file to evaluate on (``mapping``: a ColumnMapping or {text, text_pair, label})."""
        self.data_edit.setText(str(path))
        self._mapping = _mapping(mapping)
        self._format = None
        self._data_from_run = False
        self._run_data = None
        self._set_held_out(None)
        self._hide_banner()
        self._update_status_idle()

    def evaluate(self) -> None:
        """Load the model if needed, read and encode the data, evaluate: all in a worker."""
        spec = self.model_edit.text().strip()
        data = self.data_edit.text().strip()
        if self._predictor is None and not spec:
            self._show_error(self.tr("Choose a model first: a run folder, a model folder or a hub id."))
            return
        if not data:
            self._show_error(self.tr("Choose a labelled data file to evaluate on (Browse…)."))
            return
        if not _is_file(data):
            self._show_error(
                self.tr("{file} is not a file. Choose a labelled data file (Browse…).").format(
                    file=f"<b>{html.escape(data)}</b>"
                )
            )
            return
        self._hide_banner()
        stop, progress = self._task.begin()  # a running evaluation stops at its next batch
        show_started(self.progress_bar, self.status_label, self.tr("Starting…"))
        self.status_label.setToolTip(self._status_tip)
        source = self._source(str(Path(data).expanduser()))
        self._runner.run(
            _evaluate_job,
            self._predictor,
            spec,
            source.path,
            source.mapping,
            source.format,
            progress,
            stop,
            source,
            on_result=self._on_runner_result,
            on_error=self._on_runner_error,
            on_finished=self._on_runner_finished,
        )
        self._update_controls()

    def cancel(self) -> None:
        """Stop the running evaluation (it ends at its next batch; its results are dropped)."""
        if not self._task.cancel():
            return
        self.progress_bar.hide()
        self.status_label.setText(self.tr("Evaluation cancelled."))
        self._update_controls()

    def shutdown(self) -> None:
        self._task.shutdown()
        self._exporter.shutdown()

    @property
    def metrics(self) -> dict | None:
        return None if self._outcome is None else self._outcome.result.metrics

    @property
    def confusion(self) -> np.ndarray | None:
        metrics = self.metrics
        if not metrics or metrics.get("eval_confusion_matrix") is None:
            return None
        return np.asarray(metrics["eval_confusion_matrix"], dtype=np.int64)

    @property
    def outcome(self) -> EvalOutcome | None:
        return self._outcome

    @property
    def predictor(self) -> Any:
        return self._predictor

    @property
    def held_out(self) -> HeldOut | None:
        """The run's held-out split of the data file, when that is what the next evaluation uses."""
        if self._held_out is None or self.held_out_check.isHidden() or not self.held_out_check.isChecked():
            return None
        return self._held_out

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def click_cell(self, true_index: int, pred_index: int) -> None:
        """The same as a mouse click on that confusion-matrix cell."""
        self.confusion_view.click_cell(true_index, pred_index)

    def show_all(self) -> None:
        """Clear the cell filter: list every example again."""
        self._proxy.set_cell(None)
        self.confusion_view.set_selected(None)
        self._update_filter_label()

    def visible_examples(self) -> list[int]:
        """Example indices listed in the predictions table now, top to bottom."""
        return self._proxy.examples()

    # ---- UI ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText(self.tr("Run folder, model folder or hub id"))
        self.model_edit.setToolTip(self.tr(
            "The model to evaluate: a workbench run folder, a Hugging Face model folder or a hub id. "
            "A run folder also fills in its validation file."
        ))
        self.load_button = QPushButton(self.tr("Load…"))
        self.load_button.setToolTip(self.tr("Choose a run folder or a model folder on disk."))
        self.data_edit = QLineEdit()
        self.data_edit.setPlaceholderText(
            self.tr("Labelled file (CSV, TSV, JSONL, CoNLL…) in the training format")
        )
        self.data_edit.setToolTip(self.tr(
            "The labelled file to evaluate on, in the same format as the training data. "
            "Its labels must be among the model's labels."
        ))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.setToolTip(self.tr("Choose the labelled data file."))
        self.held_out_check = QCheckBox(self.tr("Held-out split only"))
        self.held_out_check.setChecked(True)
        self.held_out_check.setToolTip(self.tr(
            "Evaluate only the examples the run held out of this file for validation, not the "
            "ones the model trained on."
        ))  # replaced by the run's own fraction and seed when a run fills the field
        self.held_out_check.hide()  # shown for a run that split its validation off this file
        self.evaluate_button = QPushButton(self.tr("Evaluate"))
        self.evaluate_button.setToolTip(self.tr("Evaluate the model on the file (Ctrl+E)."))
        self.evaluate_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the running evaluation (it stops at the next batch)."))
        self.progress_bar = QProgressBar()
        self.progress_bar.setToolTip(self.tr("Examples evaluated so far."))
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.hide()
        self.status_label = QLabel()
        self._status_tip = self.tr("What the evaluation is doing, or what it found.")
        self.status_label.setToolTip(self._status_tip)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long path in the message must not widen the window: the line is cut instead.
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.export_csv_button = QPushButton(self.tr("Predictions CSV…"))
        self.export_csv_button.setToolTip(
            self.tr(
                "Save every example with its label, prediction, confidence, loss and class probabilities."
            )
        )
        self.export_json_button = QPushButton(self.tr("Report JSON…"))
        self.export_json_button.setToolTip(
            self.tr("Save the metrics (the same as `workbench eval --json`) and the worst mistakes as JSON.")
        )
        self.export_html_button = QPushButton(self.tr("Report HTML…"))
        self.export_html_button.setToolTip(self.tr(
            "Save a self-contained web page with the metrics, the confusion matrix and the worst mistakes."
        ))

        model_row = QHBoxLayout()
        model_label = QLabel(self.tr("Model:"))
        model_label.setToolTip(self.model_edit.toolTip())
        model_row.addWidget(model_label)
        model_row.addWidget(self.model_edit, 1)
        model_row.addWidget(self.load_button)
        data_row = QHBoxLayout()
        data_label = QLabel(self.tr("Data:"))
        data_label.setToolTip(self.data_edit.toolTip())
        model_label.setMinimumWidth(data_label.sizeHint().width())
        data_row.addWidget(data_label)
        data_row.addWidget(self.data_edit, 1)
        data_row.addWidget(self.held_out_check)
        data_row.addWidget(self.browse_button)
        action_row = QHBoxLayout()
        action_row.addWidget(self.evaluate_button)
        action_row.addWidget(self.cancel_button)
        action_row.addWidget(self.progress_bar)
        action_row.addWidget(self.status_label, 1)
        export_label = QLabel(self.tr("Export:"))
        export_label.setToolTip(self.tr("Save the results of the last evaluation."))
        action_row.addWidget(export_label)
        for button in (self.export_csv_button, self.export_json_button, self.export_html_button):
            action_row.addWidget(button)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(_ERROR_STYLE)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setToolTip(self.tr("What went wrong and what to do. The panel stays usable."))
        self.banner.hide()

        # metrics
        self.metrics_table = QTableWidget(0, 5)
        self.metrics_table.setHorizontalHeaderLabels(
            ["", self.tr("Precision"), self.tr("Recall"), self.tr("F1"), self.tr("Support")]
        )
        self.metrics_table.verticalHeader().hide()
        self.metrics_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.metrics_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.metrics_table.setAlternatingRowColors(True)
        self.metrics_table.setToolTip(self.tr(
            "Accuracy, precision, recall and F1 averaged over classes (macro: every class counts "
            "the same; weighted: by support), then per class. Support = examples of that class."
        ))
        header = self.metrics_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.metrics_table.verticalHeader().setDefaultSectionSize(22)

        # confusion matrix (or why there is none)
        self.confusion_view = ConfusionMatrixWidget()
        self._confusion_note = QLabel()
        self._confusion_note.setWordWrap(True)
        self._confusion_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._confusion_note.setStyleSheet(_NOTE_STYLE)
        self._confusion_note.setToolTip(self.tr("Where the confusion matrix appears after an evaluation."))
        self._confusion_stack = QStackedWidget()
        self._confusion_stack.addWidget(self._confusion_note)
        self._confusion_stack.addWidget(self.confusion_view)

        # predictions
        self._model = PredictionsModel(self)
        self._proxy = PredictionsProxy(self)
        self._proxy.setSourceModel(self._model)
        self.predictions_view = QTableView()
        self.predictions_view.setVerticalHeader(SampledRowHeader(self.predictions_view))
        self.predictions_view.setModel(self._proxy)
        self.predictions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.predictions_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.predictions_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.predictions_view.setWordWrap(False)
        self.predictions_view.setToolTip(self.tr(
            "Every example with the model's prediction; mistakes are shaded. Click a header to sort "
            "(Correct ascending = most confident mistakes first). Double-click or Enter opens an "
            "example in the prediction panel."
        ))
        columns = self.predictions_view.horizontalHeader()
        columns.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        metrics = self.predictions_view.fontMetrics()
        for col, sample in (
            (COL_LABEL, "label_name_long"),
            (COL_PRED, "label_name_long"),
            (COL_CONF, "Confidence ▼"),
            (COL_LOSS, "Loss ▼ 0.000"),
            (COL_CORRECT, "Correct ▼"),
        ):
            columns.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            columns.resizeSection(col, metrics.horizontalAdvance(sample) + 24)
        self.predictions_view.setSortingEnabled(True)
        self.predictions_view.sortByColumn(COL_CORRECT, Qt.SortOrder.AscendingOrder)
        self.predictions_view.installEventFilter(self)

        self.filter_label = QLabel()
        self.filter_label.setToolTip(self.tr("Which examples the table lists."))
        self.filter_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.show_all_button = QPushButton(self.tr("Show all"))
        self.show_all_button.setToolTip(
            self.tr("List every example again (clear the confusion-matrix cell filter).")
        )
        self.open_button = QPushButton(self.tr("Open in prediction"))
        self.open_button.setToolTip(
            self.tr("Open the selected example in the prediction panel (or double-click it, or press Enter).")
        )
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_label, 1)
        filter_row.addWidget(self.show_all_button)
        filter_row.addWidget(self.open_button)
        predictions_box = QWidget()
        box_layout = QVBoxLayout(predictions_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addLayout(filter_row)
        box_layout.addWidget(self.predictions_view, 1)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.metrics_table)
        top.addWidget(self._confusion_stack)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        top.setSizes([400, 700])
        top.setChildrenCollapsible(False)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        main.addWidget(predictions_box)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setSizes([450, 300])
        main.setChildrenCollapsible(False)
        self._splitters = (top, main)
        # Generated text has no labels to confuse: its own page (scores with intervals, outputs worst first).
        self.generation_view = Seq2SeqResults()
        self._results_stack = QStackedWidget()
        self._results_stack.addWidget(main)
        self._results_stack.addWidget(self.generation_view)

        layout = QVBoxLayout(self)
        layout.addLayout(model_row)
        layout.addLayout(data_row)
        layout.addLayout(action_row)
        layout.addWidget(self.banner)
        layout.addWidget(self._results_stack, 1)

        self.model_edit.textEdited.connect(self._on_model_edit_edited)
        self.model_edit.returnPressed.connect(self.evaluate)
        self.data_edit.textEdited.connect(self._on_data_edit_edited)
        self.data_edit.returnPressed.connect(self.evaluate)
        self.held_out_check.toggled.connect(self._on_held_out_check_toggled)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.evaluate_button.clicked.connect(self.evaluate)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_csv_button.clicked.connect(lambda: self._export("csv"))
        self.export_json_button.clicked.connect(lambda: self._export("json"))
        self.export_html_button.clicked.connect(lambda: self._export("html"))
        self.confusion_view.cell_clicked.connect(self._on_confusion_cell_clicked)
        self.show_all_button.clicked.connect(self.show_all)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.predictions_view.doubleClicked.connect(self._on_predictions_double_clicked)
        self.generation_view.example_opened.connect(self._on_generation_view_example_opened)
        self.predictions_view.selectionModel().selectionChanged.connect(self._update_controls)
        self._runner.busy_changed.connect(self._update_controls)
        shortcut = QShortcut(EVALUATE_KEYS, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.evaluate)
        # Linux desktops (X11, KDE and GNOME key schemes) bind Ctrl+E to "end of line" in a
        # line edit, which then claims the key before any shortcut: the fields hand it back.
        for edit in (self.model_edit, self.data_edit):
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched in (self.model_edit, self.data_edit)
            and isinstance(event, QKeyEvent)
            and event.keyCombination().toCombined() == EVALUATE_KEYS[0].toCombined()
        ):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.ignore()  # not the field's: the Ctrl+E shortcut gets it
                return True
            if event.type() == QEvent.Type.KeyPress:  # the override was claimed all the same
                self.evaluate()
                return True
        if (
            watched is self.predictions_view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._open_example(self.predictions_view.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # ---- slots ----------------------------------------------------------------------------

    def _on_model_edit_edited(self, text: str) -> None:
        if text.strip() != self._predictor_spec:
            self._predictor = None  # loaded from the field at the next evaluation
            self._predictor_spec = None

    def _on_data_edit_edited(self, _text: str) -> None:
        self._mapping, self._format, self._data_from_run = None, None, False
        self._run_data = None
        self._set_held_out(None)
        self._update_status_idle()

    def _on_held_out_check_toggled(self, _checked: bool) -> None:
        self._update_status_idle()

    def _on_load_button_clicked(self) -> None:
        settings = QSettings()
        start = start_folder(settings.value(_SETTINGS_MODEL_DIR), Path.cwd())
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a run folder or a model folder"), start
        )
        if folder:
            remember_folder(_SETTINGS_MODEL_DIR, Path(folder).parent, settings)
            self.set_model(folder)

    def _on_browse_button_clicked(self) -> None:
        settings = QSettings()
        start = start_folder(settings.value(_SETTINGS_DATA_DIR), Path.cwd())
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a labelled data file"), start, self.tr(DATA_FILTERS)
        )
        if path:
            remember_folder(_SETTINGS_DATA_DIR, Path(path).parent, settings)
            self.set_data(path)

    def _on_progress(self, text: str, done: int, total: int) -> None:
        if not self._runner.busy:
            return  # from a superseded or cancelled evaluation
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
            self.status_label.setText(
                self.tr("{text} {done} / {total} examples").format(text=text, done=done, total=total)
            )
        else:
            self.progress_bar.setRange(0, 0)
            self.status_label.setText(html.escape(text))

    def _on_runner_result(self, outcome: EvalOutcome) -> None:
        self._outcome = outcome
        # Keep the loaded model for the next evaluation, unless the field names another one now.
        if self._predictor is None and self.model_edit.text().strip() == outcome.model:
            self._predictor = outcome.predictor
            self._predictor_spec = outcome.model
        self._hide_banner()
        self._update_results()
        self.evaluated.emit(outcome.result.metrics)
        self.outcome_ready.emit(outcome)

    def _on_runner_error(self, message: str) -> None:
        self._show_error("<b>{}</b> {}".format(self.tr("Evaluation failed."), html.escape(message)))
        self.status_label.setText(self.tr("Evaluation failed: see the message above."))

    def _on_runner_finished(self) -> None:
        self.progress_bar.hide()
        self._update_controls()

    def _on_confusion_cell_clicked(self, true_index: int, pred_index: int) -> None:
        if self._outcome is None or self.confusion is None:
            return
        n = self.confusion.shape[0]
        if not (0 <= true_index < n and 0 <= pred_index < n):
            return
        self._proxy.set_cell(true_index, pred_index)
        self.confusion_view.set_selected((true_index, pred_index))
        self._update_filter_label()
        if self._proxy.rowCount():
            self.predictions_view.scrollToTop()

    def _on_predictions_double_clicked(self, index: Any) -> None:
        self._open_example(index)

    def _on_generation_view_example_opened(self, example: int) -> None:
        if self._outcome is not None and 0 <= example < len(self._outcome.examples.texts):
            self.example_chosen.emit(self._outcome.predictor, self._outcome.examples.texts[example])

    def _on_open_button_clicked(self) -> None:
        self._open_example(self.predictions_view.currentIndex())

    def _on_export_finished(self, path: str) -> None:
        self.status_label.setText(self.tr("Saved {path}").format(path=html.escape(path)))

    def _on_export_error(self, message: str) -> None:
        self._show_error("<b>{}</b> {}".format(self.tr("Could not export."), html.escape(message)))

    # ---- actions -------------------------------------------------------------------------

    def _open_example(self, index: Any) -> None:
        if self._outcome is None or index is None or not index.isValid():
            return
        example = self._model.example_at(self._proxy.mapToSource(index).row())
        self.example_chosen.emit(self._outcome.predictor, self._model.text(example))

    def _export(self, kind: str) -> None:
        if self._outcome is None:
            return
        stem = Path(self._outcome.data).stem or "evaluation"
        title, name, filters = {
            "csv": (
                self.tr("Export predictions as CSV"), f"{stem}_predictions.csv", self.tr("CSV file (*.csv)")
            ),
            "json": (
                self.tr("Export the report as JSON"), f"{stem}_report.json", self.tr("JSON file (*.json)")
            ),
            "html": (
                self.tr("Export the report as HTML"), f"{stem}_report.html", self.tr("Web page (*.html)")
            ),
        }[kind]
        settings = QSettings()
        path, _ = QFileDialog.getSaveFileName(self, title, start_path(settings.value(_SETTINGS_EXPORT_DIR), name),
                                              filters)
        if not path:
            return
        remember_folder(_SETTINGS_EXPORT_DIR, Path(path).parent, settings)
        self.status_label.setText(self.tr("Saving {path}…").format(path=html.escape(path)))
        self._exporter.run(
            _export_job,
            kind,
            path,
            self._outcome,
            on_result=self._on_export_finished,
            on_error=self._on_export_error,
        )

    def _fill_from_run(self, spec: str) -> None:
        """Default the data to what the run ``spec`` validated on, unless the user chose a file."""
        if not spec or (self.data_edit.text().strip() and not self._data_from_run):
            return
        found = run_eval_data(spec)
        if found is None:
            return
        self.data_edit.setText(found.path)
        self._mapping, self._format = found.mapping, found.format
        self._data_from_run = True
        self._run_data = found
        self._set_held_out(found.held_out)

    def _source(self, data: str) -> EvalData:
        """What the next evaluation reads: the run's data while the field holds it, else the file ``data``."""
        found = self._run_data
        if found is None or not self._data_from_run:
            return EvalData(data, self._mapping, self._format)
        if found.held_out is not None and self.held_out is None:
            return found.whole_file()  # "Held-out split only" unticked
        return found

    def _set_held_out(self, held_out: HeldOut | None) -> None:
        self._held_out = held_out
        check = self.held_out_check
        check.setVisible(held_out is not None)
        if held_out is None:
            return
        check.setChecked(True)
        check.setToolTip(self.tr(
            "The run held {share} of this file out of training (seed {seed}) and validated on it: "
            "evaluate exactly those examples. Unchecked: the whole file, including the examples "
            "the model trained on, which overstates its accuracy."
        ).format(share=f"{held_out.fraction:.0%}", seed=held_out.seed))

    # ---- refreshes -------------------------------------------------------------------------

    def _update_controls(self, *_: object) -> None:
        busy = self._runner.busy
        has = self._outcome is not None
        self.evaluate_button.setEnabled(True)  # a new evaluation supersedes a running one
        self.cancel_button.setEnabled(busy)
        for button in (self.export_csv_button, self.export_json_button, self.export_html_button):
            button.setEnabled(has)
        self.show_all_button.setEnabled(self._proxy.cell is not None)
        self.open_button.setEnabled(has and self.predictions_view.currentIndex().isValid())

    def _update_status_idle(self) -> None:
        if self._runner.busy:
            return
        spec = self.model_edit.text().strip()
        data = self.data_edit.text().strip()
        if not spec and self._predictor is None:
            self.status_label.setText(self.tr("Choose a model and a labelled file, then Evaluate (Ctrl+E)."))
        elif not data:
            self.status_label.setText(
                self.tr("Choose a labelled file to evaluate on, then Evaluate (Ctrl+E).")
            )
        elif self._held_out is not None and self.held_out_check.isChecked():
            self.status_label.setText(self.tr(
                "Ready (the held-out split of {file} the run validated on: {share}, seed {seed}): "
                "press Evaluate (Ctrl+E)."
            ).format(
                file=html.escape(Path(data).name), share=f"{self._held_out.fraction:.0%}",
                seed=self._held_out.seed,
            ))  # fmt: skip
        elif self._held_out is not None:
            self.status_label.setText(self.tr(
                "Ready (all of {file}, with the examples the model trained on: its accuracy will "
                "look better than it is): press Evaluate (Ctrl+E)."
            ).format(file=html.escape(Path(data).name)))
        elif self._data_from_run:
            self.status_label.setText(self.tr("Ready (the run's validation file): press Evaluate (Ctrl+E)."))
        else:
            self.status_label.setText(self.tr("Ready: press Evaluate (Ctrl+E)."))

    def _update_results(self) -> None:
        outcome = self._outcome
        generated = outcome is not None and outcome.view is EvaluationView.GENERATION
        self._results_stack.setCurrentWidget(self.generation_view if generated else self._splitters[1])
        if outcome is not None and generated:
            self._show_generation(outcome)
            return
        self._update_metrics_table()
        if outcome is None:
            self._confusion_note.setText(self.tr("Evaluate a model to see its confusion matrix here."))
            self._confusion_stack.setCurrentWidget(self._confusion_note)
            self._model.clear()
            self._update_filter_label()
            self._update_controls()
            return
        metrics = outcome.result.metrics
        if outcome.view is EvaluationView.CONFUSION_MATRIX and metrics.get("eval_confusion_matrix") is not None:
            names = [str(n) for n in metrics.get("label_names") or outcome.label_names]
            self.confusion_view.set_matrix(np.asarray(metrics["eval_confusion_matrix"]), names)
            self._confusion_stack.setCurrentWidget(self.confusion_view)
        elif outcome.view is EvaluationView.PER_LABEL:
            self.confusion_view.clear()
            self._confusion_note.setText(self.tr(
                "No confusion matrix for multi-label classification: each label is its own yes/no "
                "decision. See the per-label scores on the left and the examples below (those "
                "whose label set is wrong first)."
            ))
            self._confusion_stack.setCurrentWidget(self._confusion_note)
        else:
            self.confusion_view.clear()
            self._confusion_note.setText(self.tr(
                "No confusion matrix for token classification: a sentence has many tags, and "
                "entities are scored by type, start and end together. See the per-type scores on "
                "the left and the sentences below (those with wrong tags first)."
            ))
            self._confusion_stack.setCurrentWidget(self._confusion_note)
        self._update_predictions()
        self._proxy.set_cell(None)
        self.confusion_view.set_selected(None)
        self._update_filter_label()
        n = int(metrics.get("eval_examples", len(outcome.examples)))
        accuracy = metrics.get("eval_accuracy")
        tagging = outcome.view is EvaluationView.ENTITIES
        summary = ""
        if outcome.view is EvaluationView.PER_LABEL:
            summary = self.tr("micro F1 {value}").format(value=f"{metrics.get('eval_f1_micro', 0.0):.4f}")
        elif isinstance(accuracy, float):
            what = self.tr("token accuracy {value}") if tagging else self.tr("accuracy {value}")
            summary = what.format(value=f"{accuracy:.4f}")
        file = html.escape(Path(outcome.data).name)
        if outcome.held_out is not None:
            file = self.tr("the held-out split of {file}").format(file=file)
        done = (
            self.tr("Evaluated {count} sentences of {file} in {seconds} s") if tagging
            else self.tr("Evaluated {count} examples of {file} in {seconds} s")
        ).format(count=n, file=file, seconds=f"{outcome.seconds:.1f}")
        line = done + (f" · {summary}" if summary else "")
        if outcome.note:  # the engine's words (English, as its errors): how the labels were matched
            line += " · " + self.tr("Note: {note}").format(note=html.escape(outcome.note, quote=False))
        self.status_label.setText(line)
        # The line may be cut at the panel's edge; its tooltip has all of it.
        self.status_label.setToolTip(line if outcome.note else self._status_tip)
        self._update_controls()

    def _show_generation(self, outcome: EvalOutcome) -> None:
        """Generated text: corpus scores with intervals and the outputs worst first (no confusion matrix)."""
        task = get_task(outcome.task)
        headline = task.headline.name
        self.generation_view.set_results(outcome.result.metrics, outcome.intervals, outcome.rows,
                                         task.sentence_metric or "chrf", headline)
        self._model.clear()
        value = outcome.result.metrics.get(headline)
        file = html.escape(Path(outcome.data).name)
        if outcome.held_out is not None:
            file = self.tr("the held-out split of {file}").format(file=file)
        line = self.tr("Evaluated {count} examples of {file} in {seconds} s").format(
            count=len(outcome.examples), file=file, seconds=f"{outcome.seconds:.1f}")
        low_high = outcome.intervals.get(headline)
        if isinstance(value, float):
            name = metric_display_name(headline)
            line += f" · {name} {value:.2f}" + (f" [{low_high[0]:.2f}, {low_high[1]:.2f}]" if low_high else "")
        self.status_label.setText(line)
        self.status_label.setToolTip(self._status_tip)
        self._update_filter_label()
        self._update_controls()

    def _update_predictions(self) -> None:
        outcome = self._outcome
        assert outcome is not None
        result, examples = outcome.result, outcome.examples
        names = outcome.label_names
        self._model.set_lines(list(examples.lines), Path(outcome.data).name)
        if outcome.view is EvaluationView.PER_LABEL:
            from workbench.engine.tasks.multilabel import prediction_rows

            rows = prediction_rows(result, examples, names, getattr(outcome.predictor, "label_separator", "|"))
            self._model.set_label_sets(
                examples.texts,
                [r["label"] for r in rows],
                [r["predicted"] or "—" for r in rows],
                np.array([bool(r["correct"]) for r in rows]),
                confidence=np.array([r["confidence"] for r in rows]),
                loss=result.losses,
            )
        elif outcome.view is EvaluationView.ENTITIES:
            words = examples.words or []
            gold = examples.labels or []
            self._model.set_sequences(
                [" ".join(w) for w in words],
                [[names[t] for t in tags] for tags in gold],
                [[names[t] for t in tags] for tags in result.tag_predictions],
            )
        else:
            preds = np.asarray(result.predictions, dtype=np.int64)
            confidence = None
            if result.probabilities is not None:
                confidence = result.probabilities[np.arange(len(preds)), preds]
            self._model.set_predictions(
                examples.texts,
                np.asarray(examples.labels, dtype=np.int64),
                preds,
                names,
                confidence=confidence,
                loss=result.losses,
            )
        # Label columns as wide as the longest name (within reason); the tooltip has the rest.
        metrics = self.predictions_view.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in names), default=40)
        if outcome.view is EvaluationView.ENTITIES:
            widest = 220
        header = self.predictions_view.horizontalHeader()
        for col in (COL_LABEL, COL_PRED):
            header.resizeSection(
                col, min(max(widest, metrics.horizontalAdvance("Predicted ▼")) + 20, 200)
            )
        state = self._model.sort_state
        if state is not None:
            self.predictions_view.horizontalHeader().setSortIndicator(*state)

    def _update_filter_label(self) -> None:
        total = self._model.rowCount()
        shown = self._proxy.rowCount()
        cell = self._proxy.cell
        if self._outcome is None:
            self.filter_label.setText(self.tr("The examples appear here after an evaluation."))
        elif cell is None:
            wrong = int((~self._model.correct).sum())
            if self._model.sequences:
                self.filter_label.setText(
                    self.tr(
                        "All {total} sentences · {wrong} with a wrong tag · the most wrong tags first"
                    ).format(total=total, wrong=wrong)
                )
            else:
                self.filter_label.setText(
                    self.tr("All {total} examples · {wrong} wrong · most confident mistakes first").format(
                        total=total, wrong=wrong
                    )
                )
        else:
            names = self.confusion_view.plot.label_names
            t, p = cell
            verdict = self.tr("right") if t == p else self.tr("wrong")
            if shown == 1:
                line = self.tr(
                    "{count} example with label {label} predicted {predicted} ({verdict}) · of {total}"
                )
            else:
                line = self.tr(
                    "{count} examples with label {label} predicted {predicted} ({verdict}) · of {total}"
                )
            self.filter_label.setText(line.format(
                count=shown, label=f"<b>{html.escape(names[t])}</b>",
                predicted=f"<b>{html.escape(names[p])}</b>", verdict=verdict, total=total,
            ))
        self._update_controls()

    def _update_metrics_table(self) -> None:
        table = self.metrics_table
        table.clearSpans()
        table.setRowCount(0)
        outcome = self._outcome
        if outcome is None:
            return
        metrics = outcome.result.metrics
        if outcome.view is EvaluationView.ENTITIES:
            self._fill_tagging_metrics(metrics)
        elif outcome.view is EvaluationView.PER_LABEL:
            self._fill_multilabel_metrics(metrics, getattr(outcome.predictor, "thresholds", None))
        else:
            self._fill_classification_metrics(metrics)

    def _add_row(
        self,
        name: str,
        values: tuple[float | None, float | None, float | None] | float | None,
        support: int | None,
        *,
        tip: str = "",
        bold: bool = False,
    ) -> None:
        table = self.metrics_table
        row = table.rowCount()
        table.insertRow(row)
        font = QFont(table.font())
        font.setBold(bold)
        first = QTableWidgetItem(name)
        first.setFont(font)
        first.setToolTip(tip or name)
        table.setItem(row, 0, first)
        if isinstance(values, tuple):
            for col, value in enumerate(values, start=1):
                table.setItem(row, col, self._number_item(value, font))
        else:
            # One value over the three score columns (accuracy, loss).
            table.setSpan(row, 1, 1, 3)
            item = self._number_item(values, font)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(row, 1, item)
        support_item = QTableWidgetItem("" if support is None else str(support))
        support_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        table.setItem(row, 4, support_item)

    @staticmethod
    def _number_item(value: float | None, font: QFont) -> QTableWidgetItem:
        text = "" if value is None else f"{value:.4f}"
        item = QTableWidgetItem(text)
        item.setFont(font)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if value is not None:
            item.setData(Qt.ItemDataRole.UserRole, float(value))
        return item

    def _add_section(self, title: str) -> None:
        table = self.metrics_table
        row = table.rowCount()
        table.insertRow(row)
        item = QTableWidgetItem(title)
        font = QFont(table.font())
        font.setBold(True)
        item.setFont(font)
        item.setBackground(Qt.GlobalColor.lightGray)
        item.setToolTip(title)
        table.setItem(row, 0, item)
        table.setSpan(row, 0, 1, 5)

    def _fill_classification_metrics(self, metrics: dict[str, Any]) -> None:
        n = int(metrics.get("eval_examples", 0))
        self._add_row(
            self.tr("Accuracy"),
            metrics.get("eval_accuracy"),
            n,
            bold=True,
            tip=self.tr("Share of examples predicted right."),
        )
        self._add_row(
            self.tr("Macro average"),
            tuple(metrics.get(f"eval_{k}_macro") for k in ("precision", "recall", "f1")),  # type: ignore[arg-type]
            n,
            tip=self.tr("Mean over classes: every class counts the same, however rare."),
        )
        self._add_row(
            self.tr("Weighted average"),
            tuple(metrics.get(f"eval_{k}_weighted") for k in ("precision", "recall", "f1")),  # type: ignore[arg-type]
            n,
            tip=self.tr("Mean over classes weighted by their support (the number of true examples)."),
        )
        if metrics.get("eval_loss") is not None:
            self._add_row(
                self.tr("Loss"), metrics.get("eval_loss"), None,
                tip=self.tr("Mean cross-entropy of the true labels."),
            )
        per_class = metrics.get("eval_per_class") or {}
        if per_class:
            self._add_section(self.tr("Per class"))
            for name, row in per_class.items():
                self._add_row(
                    str(name),
                    (row.get("precision"), row.get("recall"), row.get("f1")),
                    int(row.get("support", 0)),
                    tip=self.tr(
                        "{name}: precision = right among predicted {name}; recall = found among true "
                        "{name}; support = {support} true examples."
                    ).format(name=name, support=row.get("support", 0)),
                )

    def _fill_tagging_metrics(self, metrics: dict[str, Any]) -> None:
        tokens = metrics.get("eval_num_tokens")
        self._add_row(
            self.tr("Token accuracy"),
            metrics.get("eval_accuracy"),
            int(tokens) if tokens is not None else None,
            bold=True,
            tip=self.tr("Share of words whose tag is right (support: words)."),
        )
        per_type = metrics.get("eval_per_type") or {}
        if "eval_entity_f1" in metrics:
            entities = sum(int(r.get("support", 0)) for r in per_type.values())
            self._add_row(
                self.tr("Entities (micro)"),
                (
                    metrics.get("eval_entity_precision"),
                    metrics.get("eval_entity_recall"),
                    metrics.get("eval_entity_f1"),
                ),
                entities,
                bold=True,
                tip=self.tr("An entity is right only if its type, start and end all match (conlleval)."),
            )
        if metrics.get("eval_loss") is not None:
            self._add_row(
                self.tr("Loss"), metrics.get("eval_loss"), None, tip=self.tr("Mean cross-entropy per word.")
            )
        if per_type:
            self._add_section(self.tr("Per entity type"))
            for name, row in per_type.items():
                self._add_row(
                    str(name),
                    (row.get("precision"), row.get("recall"), row.get("f1")),
                    int(row.get("support", 0)),
                    tip=self.tr("{name} entities: support = {support} true entities.").format(
                        name=name, support=row.get("support", 0)
                    ),
                )

    def _fill_multilabel_metrics(self, metrics: dict[str, Any], thresholds: list[float] | None) -> None:
        n = int(metrics.get("eval_examples", 0))
        for title, key, tip in (
            (self.tr("Micro average"), "micro",
             self.tr("Every (example, label) decision pooled: frequent labels weigh more.")),
            (self.tr("Macro average"), "macro",
             self.tr("Mean over labels: every label counts the same, however rare.")),
        ):
            self._add_row(
                title,
                tuple(metrics.get(f"eval_{k}_{key}") for k in ("precision", "recall", "f1")),  # type: ignore[arg-type]
                n,
                bold=key == "micro",
                tip=tip,
            )
        self._add_row(
            self.tr("Subset accuracy"), metrics.get("eval_subset_accuracy"), n,
            tip=self.tr("Share of examples whose whole label set is right (exact match)."),
        )  # fmt: skip
        self._add_row(
            self.tr("Hamming loss"), metrics.get("eval_hamming_loss"), None,
            tip=self.tr("Share of wrong yes/no decisions over all examples and labels (lower is better)."),
        )  # fmt: skip
        if metrics.get("eval_loss") is not None:
            self._add_row(
                self.tr("Loss"), metrics.get("eval_loss"), None,
                tip=self.tr("Mean binary cross-entropy per label."),
            )
        per_class = metrics.get("eval_per_class") or {}
        if per_class:
            self._add_section(self.tr("Per label"))
            cuts = dict(zip(per_class, thresholds)) if thresholds else {}
            for name, row in per_class.items():
                cut = f"{cuts[name]:.3f}" if name in cuts else "0.5"
                self._add_row(
                    str(name),
                    (row.get("precision"), row.get("recall"), row.get("f1")),
                    int(row.get("support", 0)),
                    tip=self.tr(
                        "{name}: chosen when its probability reaches its threshold {threshold}; "
                        "support = {support} examples that have it."
                    ).format(name=name, threshold=cut, support=row.get("support", 0)),
                )

    # ---- banner ----------------------------------------------------------------------------

    def _show_error(self, rich: str) -> None:
        self.banner.setText(rich)
        self.banner.show()

    def _hide_banner(self) -> None:
        self.banner.hide()
        self.banner.clear()

    @property
    def banner_text(self) -> str:
        """The banner's message ("" when hidden)."""
        return self.banner.text() if not self.banner.isHidden() else ""


def main(argv: list[str] | None = None) -> int:
    """Show the panel alone: ``python -m workbench.gui.panels.evaluation_panel [MODEL] [DATA]``."""
    from workbench.gui.app import create_app, exec_panel

    argv = list(sys.argv[1:] if argv is None else argv)
    create_app()
    panel = EvaluationPanel()
    if argv:
        panel.set_model(argv[0])
    if len(argv) > 1:
        panel.set_data(argv[1])
    if argv and panel.data_edit.text():
        panel.evaluate()
    return exec_panel(panel, translate("MainWindow", "Evaluation"))


if __name__ == "__main__":
    raise SystemExit(main())
