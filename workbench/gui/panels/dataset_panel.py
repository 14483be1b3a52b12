"""The dataset panel: open a data file, map its columns, and see what training will get.

Everything that touches the disk or the tokenizer runs in a ``TaskRunner``
(one for reading/mapping, one for token lengths); the main thread only draws.
A new request supersedes the running one, so opening file B while file A is
still loading shows B, never A.

Run on its own: ``python -m workbench.gui.panels.dataset_panel [FILE]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.data import FORMATS, ColumnMapping, Examples, Table, read_table
from workbench.engine.data.preview import Preview, preview_table
from workbench.engine.data.sources import (
    dataset_splits,
    preview_worth_it,
    source_exists,
    with_sheet,
    workbook_sheets,
)

# The engine's own threshold and word count, so the live warning matches `workbench data`.
from workbench.engine.data.stats import TRUNCATION_WARN, word_count
from workbench.engine.errors import DatasetError
from workbench.engine.models.presets import PRESETS
from workbench.engine.runs import model_label
from workbench.engine.task_data import (
    DatasetBundle,
    bundle_from_table,
    complete_mapping,
    compute_stats,
    default_task,
)
from workbench.engine.tasks.registry import find_task, task_names
from workbench.engine.training.config import TrainConfig
from workbench.gui.dialog_folders import remember_folder, start_folder
from workbench.gui.i18n import translate
from workbench.gui.tasks import TaskView, view_for
from workbench.gui.widgets.charts import LabelBarChart, LengthHistogram
from workbench.gui.widgets.column_sizing import size_columns
from workbench.gui.widgets.error_banner import ErrorBanner
from workbench.gui.widgets.file_filters import file_filters
from workbench.gui.widgets.row_header import SampledRowHeader
from workbench.gui.widgets.table_model import TableModel
from workbench.gui.workers import TaskRunner

NO_COLUMN = "—"
# Format names; only "plain text" is a word to translate (where shown, with tr).
_FORMAT_NAMES = {
    "csv": "CSV",
    "tsv": "TSV",
    "jsonl": "JSON Lines",
    "text": QT_TRANSLATE_NOOP("DatasetPanel", "plain text"),
    "conll": "CoNLL",
    "conllu": "CoNLL-U",
    "squad": "SQuAD JSON",
    # Read by engine/data/sources.py (not choosable: detected from the file).
    "parquet": "Parquet",
    "arrow": "Arrow/Feather",
    "xlsx": QT_TRANSLATE_NOOP("DatasetPanel", "Excel workbook"),
    "dataset": QT_TRANSLATE_NOOP("DatasetPanel", "datasets folder"),
    "hub": QT_TRANSLATE_NOOP("DatasetPanel", "hub data set"),
}
_TOKENIZE_CHUNK = 2000  # texts per tokenizer call; the job checks for cancellation between chunks
_SETTINGS_DIR_KEY = "dataset_panel/last_dir"


# --------------------------------------------------------------------------- worker jobs
# Plain functions of engine calls only: they run in worker threads and touch no widget.


@dataclass(frozen=True)
class _LoadRequest:
    path: str
    validation: str | None
    format: str | None  # None = detect
    task: str
    text: str | None  # explicit column choices; None = detect
    text_pair: str | None
    label: str | None
    pair_off: bool  # the user chose "no second text" explicitly
    validation_fraction: float
    new_file: bool  # a file the user just opened: may switch to the file's own task
    seq: int = 0  # which request of the panel this is (newer requests supersede older ones)
    label_separator: str = TrainConfig.label_separator  # multi-label: splits the label cells


@dataclass
class _Loaded:
    request: _LoadRequest
    table: Table
    task: str  # the task the mapping was made for
    suggested: str  # default_task(table)
    mapping: ColumnMapping | None = None
    bundle: DatasetBundle | None = None
    stats: dict[str, Any] | None = None
    word_lengths: np.ndarray | None = None
    # The file was read but cannot be used as mapped: shown in the banner, table still shown.
    error: str | None = None
    # The error is that the task needs a label column and none was chosen or recognised
    # (choosing one would fix it): Start then says so in a few words.
    label_missing: bool = False
    # The table as the task reads it (Task.readable_table: a headerless file of pairs gets
    # column_1, column_2 ...): the preview and the column boxes show it.
    readable: Table | None = None
    # An Excel workbook's sheets (the sheet chooser shows when there are several).
    sheets: tuple[str, ...] = ()


def _word_lengths(examples: Examples) -> np.ndarray:
    lengths = [word_count(t) for t in examples.texts]
    if examples.text_pairs is not None:  # a pair counts as the sum of its parts, like the engine
        lengths = [a + word_count(b) for a, b in zip(lengths, examples.text_pairs)]
    return np.asarray(lengths, dtype=np.int64)


def _map(table: Table, req: _LoadRequest, task: str, explicit: bool) -> ColumnMapping:
    mapping = complete_mapping(
        table,
        task,
        text=req.text if explicit else None,
        text_pair=req.text_pair if explicit and not req.pair_off else None,
        label=req.label if explicit else None,
    )
    if explicit and req.pair_off and mapping.text_pair is not None:
        mapping = replace(mapping, text_pair=None)
    return mapping


def _build(table: Table, req: _LoadRequest, task: str, mapping: ColumnMapping) -> _Loaded:
    bundle = bundle_from_table(
        table,
        task,
        mapping=mapping,
        validation_path=req.validation,
        validation_fraction=req.validation_fraction,
        format=req.format,
        label_separator=req.label_separator,
    )
    # No max_length here: the truncated share follows the spin box live (see _update_warnings).
    stats = compute_stats(bundle.train, bundle.validation)
    return _Loaded(
        request=req,
        table=table,
        task=task,
        suggested=default_task(table),
        mapping=mapping,
        bundle=bundle,
        stats=stats,
        word_lengths=_word_lengths(bundle.train),
    )


def load_job(req: _LoadRequest, table: Table | None = None) -> _Loaded:
    """Read (unless ``table`` is given), map and split; a bad file raises DatasetError."""
    if table is None:
        table = read_table(req.path, req.format)
    result = _map_and_build(req, table)
    task = find_task(result.task)
    result.readable = task.readable_table(table) if task is not None else table
    result.sheets = tuple(workbook_sheets(req.path)) if table.format == "xlsx" else ()
    return result


def _map_and_build(req: _LoadRequest, table: Table) -> _Loaded:
    """The mapping and the bundle for the request's task (or the task the file suggests), else the error."""
    mapping: ColumnMapping | None = None
    try:
        mapping = _map(table, req, req.task, explicit=True)
        return _build(table, req, req.task, mapping)
    except DatasetError as first:
        suggested = default_task(table)
        if req.new_file and suggested != req.task:
            # A CoNLL file opened while "classification" is selected: use the file's own task
            # (task_suggested tells the rest of the window).
            try:
                return _build(table, req, suggested, _map(table, req, suggested, explicit=False))
            except DatasetError:
                pass
        label_missing = False
        if mapping is None:  # the columns could not be mapped: for want of a label column only?
            text = _text_without_label(table, req)
            label_missing = text is not None
            mapping = ColumnMapping(text) if text is not None else None
        # The mapping the error happened with (or its text alone) stays shown in the boxes.
        return _Loaded(
            request=req, table=table, task=req.task, suggested=suggested, mapping=mapping,
            error=str(first), label_missing=label_missing,
        )


def _text_without_label(table: Table, req: _LoadRequest) -> str | None:
    """The text column, when the task needs a label, none was chosen, and choosing one would map the file.

    Tries each column as the label (the text may be the only column, so even that one);
    None when the mapping fails for another reason too (a CoNLL file for a sentence task ...).
    """
    if req.task not in task_names(lambda t: t.labelled) or req.label is not None:
        return None
    columns = list(table.columns)

    def mean_length(column: str) -> float:  # over the first rows: the text is the long column
        values = [row.get(column) for row in table.rows[:200]]
        return sum(len(v) for v in values if isinstance(v, str)) / max(len(values), 1)

    # The short columns first: trying them as the label leaves the long one to be the text.
    for label in sorted([c for c in columns if c != req.text], key=mean_length) or columns[:1]:
        text = req.text or (label if len(columns) == 1 else None)
        try:
            return complete_mapping(table, req.task, text=text, label=label).text
        except DatasetError:
            continue
    return None


@dataclass
class _TokenLengths:
    spec: str
    tokenizer: Any
    lengths: np.ndarray
    max_positions: int | None


def token_lengths_job(spec: str, tokenizer: Any, texts: list[str], pairs: list[str] | None):
    """Generator: load the tokenizer (unless cached), then measure in chunks; yields the result last.

    A generator so a superseded job stops at the next chunk instead of finishing
    100,000 texts nobody will see.
    """
    if tokenizer is None:
        # Imported here: transformers costs seconds and must stay off the GUI's start-up path.
        from workbench.engine.models.loading import load_tokenizer

        tokenizer = load_tokenizer(spec)
    out: list[int] = []
    for start in range(0, len(texts), _TOKENIZE_CHUNK):
        chunk = texts[start : start + _TOKENIZE_CHUNK]
        if pairs is not None:
            enc = tokenizer(chunk, pairs[start : start + _TOKENIZE_CHUNK], truncation=False)
        else:
            enc = tokenizer(chunk, truncation=False)
        out.extend(len(ids) for ids in enc["input_ids"])
        yield ("progress", len(out), len(texts))
    limit = getattr(tokenizer, "model_max_length", None)
    # Tokenizers without a limit report a huge sentinel (int(1e30)).
    limit = limit if isinstance(limit, int) and limit < 1_000_000 else None
    yield ("done", _TokenLengths(spec, tokenizer, np.asarray(out, dtype=np.int64), limit))


# --------------------------------------------------------------------------- the panel


class DatasetPanel(QWidget):
    """Open a training file (and optionally a validation file), map columns, inspect the data."""

    dataset_loaded = Signal(object)  # DatasetBundle after a successful load
    task_suggested = Signal(str)  # default_task of a newly opened file
    changed = Signal()  # any edit of file, validation file, format, mapping
    # problems() changed (a load ended, failed, or started): what keeps Start disabled.
    validity_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._path: str | None = None
        self._validation: str | None = None
        self._task = "classification"
        self._model_spec: str | None = None
        self._max_length = TrainConfig.max_length
        self._separator = TrainConfig.label_separator  # multi-label label cells: "news|sport"
        # Explicit column choices (from the combos or a loaded config); None = auto-detect.
        self._explicit: dict[str, str | None] = {"text": None, "text_pair": None, "label": None}
        self._pair_off = False
        self._table: Table | None = None  # as read (a re-map starts from it)
        self._readable: Table | None = None  # as the task reads it: previewed and mapped
        self._bundle: DatasetBundle | None = None
        self._stats: dict[str, Any] | None = None
        self._word_lengths: np.ndarray | None = None
        self._token_lengths: np.ndarray | None = None
        # The histogram's axis label says what a length is counted in, and why words when
        # it is not tokens; the longer explanation goes into its tooltip.
        self._length_note: str = self.tr("length in words")
        self._length_tip: str = ""
        self._error: str | None = None
        self._label_missing = False  # the error is only that no label column is mapped
        # What the column boxes show: the bundle's mapping, or the one a failed load had.
        self._shown_mapping: ColumnMapping | None = None
        self._problems: list[str] = []  # as last emitted by validity_changed
        self._tokenizers: dict[str, Any] = {}  # spec -> tokenizer, loaded once per session
        self._closed = False
        self._loading = False  # a read/map request is outstanding
        self._load_seq = 0
        self.columns_measured = 0  # columns the last sizing fitted to their content (bounded)

        self._loader = TaskRunner(self)
        self._tokenizer_runner = TaskRunner(self)
        self._previewer = TaskRunner(self)  # the first rows of a large columnar file, before all are read
        self._previewer.busy_changed.connect(self._on_runner_busy_changed)
        self._loader.busy_changed.connect(self._on_runner_busy_changed)
        self._tokenizer_runner.busy_changed.connect(self._on_runner_busy_changed)

        self._build_ui()
        self._update_summary()
        self._update_busy()

    # ================================================================== UI
    def _build_ui(self) -> None:
        # --- file row
        self.open_button = QPushButton(self.tr("Open…"))
        self.open_button.setToolTip(self.tr(
            "Open a training file: CSV, TSV, JSON Lines, plain text (one example per line), "
            "CoNLL, CoNLL-U, Parquet, Arrow/Feather, an Excel workbook, or a folder saved by "
            "datasets (choose its dataset_info.json). You can also drop a file onto this panel."
        ))
        self.open_button.clicked.connect(self.open_dialog)
        self.path_label = QLabel(self.tr("No file — open one or drop it here"))
        self.path_label.setToolTip(self.tr("The training file"))
        self.path_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.validation_button = QPushButton(self.tr("Validation file…"))
        self.validation_button.setToolTip(self.tr(
            "Use a separate validation file (same format and columns). Without one, a seeded, "
            "stratified share of the training file is held out (the validation fraction)."
        ))
        self.validation_button.clicked.connect(self.open_validation_dialog)
        self.validation_label = QLabel(self.tr("held out from the training file"))
        self.validation_label.setToolTip(self.tr("Where the validation examples come from"))
        self.validation_label.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.clear_validation_button = QToolButton()
        self.clear_validation_button.setText("✕")
        self.clear_validation_button.setToolTip(
            self.tr("Stop using the validation file; hold out a share of the training file instead")
        )
        self.clear_validation_button.clicked.connect(self._on_clear_validation_clicked)
        self.clear_validation_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # indeterminate: reading has no useful percentage
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.setToolTip(self.tr("Working…"))
        self.busy_label = QLabel()
        self.busy_label.setToolTip(self.tr("What the panel is doing in the background"))

        file_row = QHBoxLayout()
        file_row.addWidget(self.open_button)
        file_row.addWidget(self.path_label, 3)
        file_row.addSpacing(12)
        file_row.addWidget(self.validation_button)
        file_row.addWidget(self.validation_label, 2)
        file_row.addWidget(self.clear_validation_button)
        file_row.addWidget(self.busy_label)
        file_row.addWidget(self.progress)

        # --- format + mapping row
        # Excel workbooks with several sheets only: which sheet is the data.
        self.sheet_combo = QComboBox()
        self.sheet_combo.setToolTip(self.tr("The sheet of the workbook to read"))
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.format_combo = QComboBox()
        self.format_combo.addItem(self.tr("auto"), None)
        for fmt in FORMATS:
            self.format_combo.addItem(self.tr(_FORMAT_NAMES[fmt]), fmt)
        self.format_combo.setToolTip(self.tr(
            "File format. 'auto' decides from the extension and the content (a .csv file may "
            "still use ';' or tabs). Choose one to override detection."
        ))
        # Grows with "auto (CoNLL-U)" once the detected format is known.
        self.format_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.format_combo.activated.connect(self._on_format_combo_activated)
        self.text_combo = QComboBox()
        self.text_combo.setToolTip(self.tr(
            "The column with the text (the words, for token classification). Detected from the "
            "header names and contents; change it if the guess is wrong."
        ))
        self.pair_combo = QComboBox()
        self.pair_combo.setToolTip(self.tr(
            "Optional second text for sentence-pair tasks (premise/hypothesis, question/passage). "
            "'{none}' = single sentences."
        ).format(none=NO_COLUMN))
        self.label_combo = QComboBox()
        self.label_combo.setToolTip(self.tr(
            "The column with the label (the tags, for token classification). Not used for "
            "language-model pre-training."
        ))
        # Shown when no column looks like labels (and none was chosen).
        self.label_combo.setPlaceholderText(self.tr("choose a column"))
        for role, combo in (
            ("text", self.text_combo),
            ("text_pair", self.pair_combo),
            ("label", self.label_combo),
        ):
            combo.setMinimumContentsLength(10)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.activated.connect(lambda _i, r=role: self._on_mapping_combo_activated(r))
        self.fraction_spin = QDoubleSpinBox()
        self.fraction_spin.setRange(0.0, 0.5)
        self.fraction_spin.setSingleStep(0.05)
        self.fraction_spin.setDecimals(2)
        self.fraction_spin.setValue(TrainConfig.validation_fraction)
        self.fraction_spin.setToolTip(self.tr(
            "Share of the training file held out for validation (seeded and stratified by "
            "label) when no validation file is given. 0 = no validation."
        ))
        self.fraction_spin.valueChanged.connect(self._on_fraction_spin_changed)

        map_row = QHBoxLayout()
        self._combo_labels: dict[QComboBox, QLabel] = {}  # the task names the text and label roles
        for text, widget in (
            (self.tr("Sheet"), self.sheet_combo),
            (self.tr("Format"), self.format_combo),
            (self.tr("Text"), self.text_combo),
            (self.tr("Text pair"), self.pair_combo),
            (self.tr("Label"), self.label_combo),
            (self.tr("Validation fraction"), self.fraction_spin),
        ):
            label = QLabel(text)
            label.setToolTip(widget.toolTip())
            label.setBuddy(widget)
            self._combo_labels[widget] = label
            map_row.addWidget(label)
            map_row.addWidget(widget)
            map_row.addSpacing(8)
        self._show_sheets(())
        # Multi-label only (shown for that task): what splits "news|sport" into two labels.
        self.separator_edit = QLineEdit(self._separator)
        self.separator_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("MMMM") + 12)
        self.separator_edit.setToolTip(self.tr(
            "Multi-label: the character(s) between a row's labels in the label column, e.g. '|' "
            "for \"news|sport\". Labels are stripped; an empty cell means no labels (Alt+S)."
        ))
        self.separator_edit.editingFinished.connect(self._on_separator_edit_finished)
        self.separator_label = QLabel(self.tr("Label &separator"))
        self.separator_label.setToolTip(self.separator_edit.toolTip())
        self.separator_label.setBuddy(self.separator_edit)
        map_row.addWidget(self.separator_label)
        map_row.addWidget(self.separator_edit)
        map_row.addStretch(1)

        # --- banner + summary
        self.error_banner = ErrorBanner()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setToolTip(self.tr("What was read and how it will be used"))
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # --- preview, warnings, charts
        self.table_model = TableModel(parent=self)
        self.table_view = QTableView()
        self.table_view.setVerticalHeader(SampledRowHeader(self.table_view))
        self.table_view.setModel(self.table_model)
        self.table_view.setToolTip(
            self.tr("Every row of the file as read (the row header is the line in the file)")
        )
        self.table_view.setWordWrap(False)
        self.table_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        hheader = self.table_view.horizontalHeader()
        hheader.setStretchLastSection(False)
        hheader.setMinimumSectionSize(40)
        hheader.setResizeContentsPrecision(50)  # a double-click on a divider measures 50 rows, not all
        hheader.setDefaultSectionSize(100)  # columns past the measured ones (column_sizing)

        self.warnings_list = QListWidget()
        self.warnings_list.setToolTip(self.tr(
            "Things worth checking before training: duplicates, train/validation overlap, a "
            "single class, strong imbalance, heavy truncation, empty texts"
        ))
        self.warnings_list.setWordWrap(True)
        self.warnings_list.setMinimumHeight(60)
        self.bar_chart = LabelBarChart()
        self.histogram = LengthHistogram()

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table_view)
        warn_box = QWidget()
        warn_layout = QVBoxLayout(warn_box)
        warn_layout.setContentsMargins(0, 0, 0, 0)
        warn_title = QLabel("<b>{}</b>".format(self.tr("Warnings")))
        warn_title.setToolTip(self.warnings_list.toolTip())
        warn_layout.addWidget(warn_title)
        warn_layout.addWidget(self.warnings_list)
        left.addWidget(warn_box)
        left.setStretchFactor(0, 4)
        left.setStretchFactor(1, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.bar_chart)
        right.addWidget(self.histogram)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(0, 5)
        main.setStretchFactor(1, 4)
        main.setSizes([560, 460])
        left.setSizes([480, 120])
        self.splitter = main

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(map_row)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.summary_label)
        layout.addWidget(main, 1)
        self._update_mapping_combos()
        self._update_warnings()

    # ================================================================== public API
    @property
    def busy(self) -> bool:
        return self._loader.busy or self._tokenizer_runner.busy or self._previewer.busy

    @property
    def table(self) -> Table | None:
        return self._table

    @property
    def bundle(self) -> DatasetBundle | None:
        return self._bundle

    @property
    def stats(self) -> dict[str, Any] | None:
        return self._stats

    @property
    def task(self) -> str:
        return self._task

    @property
    def truncated_share(self) -> float | None:
        return self.histogram.truncated_share

    def open_file(self, path: str, validation: str | None = None) -> None:
        """Read ``path`` in the background; a running load is superseded."""
        splits = dataset_splits(path)  # a DatasetDict folder: train on its train split, validate on its own
        if splits:
            path, validation = splits["train"], validation or splits.get("validation")
        self._path = str(path)
        self._validation = str(validation) if validation else None
        self._explicit = {"text": None, "text_pair": None, "label": None}
        self._pair_off = False
        # A format forced for the last file rarely fits the next one.
        self.format_combo.setCurrentIndex(0)
        self._update_paths()
        self._start_load(new_file=True)
        self.changed.emit()

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open training data"), self._start_dir(), file_filters()
        )
        if path:
            self._remember_dir(path)  # chosen in the dialog: a typed path is never remembered
            self.open_file(path)

    def open_validation_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open validation data"), self._start_dir(), file_filters()
        )
        if path:
            self.set_validation_file(path)

    def set_validation_file(self, path: str | None) -> None:
        self._validation = str(path) if path else None
        self._update_paths()
        if self._path:
            self._start_load(reuse_table=True)
        self.changed.emit()

    def set_task(self, task: str) -> None:
        """Re-map the columns for ``task`` (the explicit column choices are for the old task)."""
        if task == self._task:
            return
        self._task = task
        self._explicit = {"text": None, "text_pair": None, "label": None}
        self._pair_off = False
        if self._path:
            self._start_load(reuse_table=True)
        else:
            self._update_mapping_combos()

    def set_model_spec(self, spec: str) -> None:
        """Measure lengths with ``spec``'s tokenizer (words for presets or when it cannot load)."""
        if spec == self._model_spec:
            return
        self._model_spec = spec
        self._token_lengths = None
        self._start_token_lengths()

    def set_max_length(self, n: int) -> None:
        self._max_length = int(n)
        self.histogram.set_max_length(self._max_length)
        self._update_warnings()
        self._update_summary()

    def apply_to(self, config: TrainConfig) -> None:
        config.data = self._path or ""
        config.validation = self._validation
        config.format = self.format_combo.currentData()
        mapping = self._current_mapping()
        config.text_column = mapping.text if mapping else self._explicit["text"]
        config.text_pair_column = mapping.text_pair if mapping else self._explicit["text_pair"]
        config.label_column = mapping.label if mapping else self._explicit["label"]
        config.validation_fraction = round(self.fraction_spin.value(), 4)
        config.label_separator = self._separator

    def load_from(self, config: TrainConfig) -> None:
        """Restore the data fields of ``config``; opens the file when it exists."""
        self._loader.cancel()
        self._previewer.cancel()
        self._tokenizer_runner.cancel()
        self._path = config.data or None
        self._validation = config.validation or None
        self._task = config.task
        self._max_length = config.max_length
        self.histogram.set_max_length(self._max_length)
        self._explicit = {
            "text": config.text_column,
            "text_pair": config.text_pair_column,
            "label": config.label_column,
        }
        # A config written by this panel names every column it used: no pair means none.
        self._pair_off = config.text_column is not None and config.text_pair_column is None
        index = self.format_combo.findData(config.format) if config.format else 0
        self.format_combo.setCurrentIndex(max(index, 0))
        self.fraction_spin.blockSignals(True)
        self.fraction_spin.setValue(config.validation_fraction)
        self.fraction_spin.blockSignals(False)
        self._separator = config.label_separator or TrainConfig.label_separator
        self.separator_edit.setText(self._separator)
        self._update_paths()
        if self._path and source_exists(self._path):
            self._start_load()
        else:
            self._loading = False
            self._set_data(None)
            self._error = None
            self._label_missing = False
            if self._path:
                self._error = self.tr("the training file {path} does not exist.").format(path=self._path)
            if self._error:
                self.error_banner.show_message(self._error)
            else:
                self.error_banner.hide()
            self._update_summary()
            self._update_validity()

    def problems(self) -> list[str]:
        # "dataset: " names the field (code matches on it); the reason after it is translated.
        if self._path is None:
            return ["dataset: " + self.tr("no file loaded")]
        if self._loading:
            return ["dataset: " + self.tr("still loading")]
        if self._error and self._label_missing:
            return ["dataset: " + self._no_label_reason()]
        if self._error:
            return [f"dataset: {self._error}"]
        if self._bundle is None:
            return ["dataset: " + self.tr("no file loaded")]
        if (shared := self._label_shared_with()) is not None:
            return ["dataset: " + self._shared_label_reason(shared)]
        return []

    def _no_label_reason(self) -> str:
        """Why Start is blocked when the task needs labels and no column holds them, in a few words."""
        columns = list(self._readable.columns) if self._readable is not None else []
        if len(columns) == 1:
            return self.tr(
                "no label column: the file has only one column ({column}). Add a label column to the "
                "file, or choose a task that learns from the text alone in the Model tab."
            ).format(column=columns[0])
        return self.tr(
            "no label column: choose one under Label in the Dataset tab (none of {columns} "
            "looks like labels)"
        ).format(columns=", ".join(columns))

    def _label_shared_with(self) -> str | None:
        """The text role ("text" or "text pair") the label column is also mapped to, if any.

        Labels read from the text itself would make every example its own class, so
        this blocks Start (the engine accepts it: a column may be named twice).
        """
        mapping = self._current_mapping()
        if mapping is None or mapping.label is None or self._task not in task_names(lambda t: t.labelled):
            return None
        if mapping.label == mapping.text:
            return "text"
        if mapping.label == mapping.text_pair:
            return "text pair"
        return None

    def _shared_label_reason(self, role: str, *, here: bool = False) -> str:
        """The reason in words; ``here``: for this panel's warnings (the Label box is right above)."""
        mapping = self._current_mapping()
        assert mapping is not None and mapping.label is not None
        column = mapping.label
        if self._readable is not None and len(self._readable.columns) == 1:
            text = self.tr(
                "the label column is also the text column ({column}), the file's only column: every "
                "text would be its own label. Add a label column to the file, or choose a task that "
                "learns from the text alone in the Model tab."
            )
        elif role == "text pair" and here:
            text = self.tr(
                "the label column is also the text pair column ({column}): the model would read the "
                "answer. Choose another Label or Text pair column above."
            )
        elif role == "text pair":
            text = self.tr(
                "the label column is also the text pair column ({column}): choose another Label or "
                "Text pair column in the Dataset tab"
            )
        elif here:
            text = self.tr(
                "the label column is also the text column ({column}): every text would be its own "
                "label. Choose another Label column above."
            )
        else:
            text = self.tr(
                "the label column is also the text column ({column}): choose another Label column in "
                "the Dataset tab"
            )
        text = text.format(column=column)
        return text[:1].upper() + text[1:] if here else text  # a warning is a sentence

    def _update_validity(self) -> None:
        """Tell the window when the reasons that block Start change (a load ending, say)."""
        problems = self.problems()
        if problems != self._problems:
            self._problems = problems
            self.validity_changed.emit(list(problems))

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the notes kept for later, and the texts
        formatted from the data (summary, charts, warnings, problems)."""
        from workbench.gui.retranslate import retranslated

        self._length_note = retranslated(self._length_note, self)
        self._length_tip = retranslated(self._length_tip, self)
        if self._error:  # ours translated, the engine's English (and then left as it is)
            self._error = retranslated(self._error, self)
        self._update_charts()
        self._update_warnings()
        self._update_summary()
        self._update_validity()

    def shutdown(self) -> None:
        self._closed = True
        self._loading = False
        self._loader.shutdown()
        self._tokenizer_runner.shutdown()
        self._previewer.shutdown()

    # ================================================================== drag and drop
    @staticmethod
    def _local_file(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and Path(url.toLocalFile()).exists():  # a folder may be a saved data set
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._local_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_file(path)

    # ================================================================== slots
    def _on_sheet_combo_activated(self, _index: int) -> None:
        if self._path:
            self.open_file(with_sheet(self._path, self.sheet_combo.currentText()), self._validation)

    def _show_sheets(self, sheets: tuple[str, ...], current: str | None = None) -> None:
        """The sheet chooser: only for a workbook with several sheets."""
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(sheets))
        if current in sheets:
            self.sheet_combo.setCurrentText(current)
        several = len(sheets) > 1
        self.sheet_combo.setVisible(several)
        self._combo_labels[self.sheet_combo].setVisible(several)

    def _on_preview_result(self, preview: Preview) -> None:
        # Only until the whole file is read, and only for the file being read.
        if self._closed or not self._loading or self._table is not None or preview.table.path != Path(self._path or ""):
            return
        self.table_model.set_table(preview.table)
        if preview.total_rows is not None:
            self.busy_label.setText(self.tr("Showing the first {rows} rows; reading all {total}…").format(
                rows=f"{len(preview.table):,}", total=f"{preview.total_rows:,}"))

    def _on_format_combo_activated(self, _index: int) -> None:
        if self._path:
            self._start_load()
        self.changed.emit()

    def _on_mapping_combo_activated(self, role: str) -> None:
        combo = {"text": self.text_combo, "text_pair": self.pair_combo, "label": self.label_combo}[
            role
        ]
        value = combo.currentData()
        self._explicit[role] = value
        if role == "text_pair":
            self._pair_off = value is None
        # Keep the other roles as they are shown now, so one change does not re-guess the rest
        # (after a failed load too: choosing the missing label keeps the text shown).
        mapping = self._shown_mapping
        if mapping is not None:
            for other in ("text", "text_pair", "label"):
                if other != role and self._explicit[other] is None:
                    self._explicit[other] = getattr(mapping, other)
            if role != "text_pair" and mapping.text_pair is None:
                self._pair_off = True
        if self._path:
            self._start_load(reuse_table=True)
        self.changed.emit()

    def _on_separator_edit_finished(self) -> None:
        text = self.separator_edit.text()
        if not text:  # an empty separator splits nothing: keep the last one
            self.separator_edit.setText(self._separator)
            return
        if text == self._separator:
            return
        self._separator = text
        if self._path and self._task in task_names(lambda t: t.label_separator_option):
            self._start_load(reuse_table=True)
        self.changed.emit()

    def _on_fraction_spin_changed(self, _value: float) -> None:
        if self._path and not self._validation:
            self._start_load(reuse_table=True)
        self.changed.emit()

    def _on_clear_validation_clicked(self) -> None:
        self.set_validation_file(None)

    def _on_runner_busy_changed(self, _busy: bool) -> None:
        self._update_busy()

    def _on_loader_result(self, result: _Loaded) -> None:
        if self._closed:
            return
        req = result.request
        self._loading = False
        self._task = result.task
        readable = result.readable or result.table
        # The same file read the same way keeps its preview (and scroll position) on a re-map.
        same = result.table is self._table and self._readable is not None and (
            readable.columns == self._readable.columns and len(readable) == len(self._readable)
        )
        self._table = result.table
        if not same:
            self._readable = readable
            self.table_model.set_table(readable)
        self._show_sheets(result.sheets, result.table.sheet)
        self._error = result.error
        self._label_missing = result.label_missing
        if result.error:
            self.error_banner.show_message(result.error)
        else:
            self.error_banner.hide()
        self._set_data(result)
        self._update_validity()
        if req.new_file:
            self.task_suggested.emit(result.suggested)
        # A slot of task_suggested may have asked for a re-map already: that result will follow.
        if result.bundle is not None and req.seq == self._load_seq:
            self.dataset_loaded.emit(result.bundle)

    def _on_loader_error(self, message: str) -> None:
        if self._closed:
            return
        self._loading = False
        self._table = self._readable = None
        self.table_model.set_table(None)
        self._error = message
        self._label_missing = False
        self._set_data(None)
        self.error_banner.show_message(message)
        self._update_validity()

    def _on_tokenizer_event(self, item: tuple) -> None:
        if self._closed:
            return
        kind = item[0]
        if kind == "progress":
            done, total = item[1], item[2]
            self.busy_label.setText(
                self.tr("Tokenizing… {done}/{total}").format(done=f"{done:,}", total=f"{total:,}")
            )
            return
        result: _TokenLengths = item[1]
        self._tokenizers[result.spec] = result.tokenizer
        self._token_lengths = result.lengths
        name = _spec_name(result.spec)
        self._length_note = self.tr("length in tokens ({name} tokenizer)").format(name=name)
        self._length_tip = self.tr(
            "Counted with the {name} tokenizer, special tokens ([CLS], [SEP] ...) included."
        ).format(name=name)
        self._update_histogram()
        self._update_warnings()
        self._update_summary()

    def _on_tokenizer_error(self, message: str) -> None:
        if self._closed:
            return
        self._token_lengths = None
        name = _spec_name(self._model_spec or "")
        self._length_note = self.tr("length in words ({name}: tokenizer not loaded)").format(name=name)
        self._length_tip = self.tr("Counted in words: the tokenizer could not be loaded. {message}").format(
            message=message
        )
        self._update_histogram()
        self._update_warnings()

    # ================================================================== work
    def _start_load(self, *, new_file: bool = False, reuse_table: bool = False) -> None:
        assert self._path is not None
        req = _LoadRequest(
            path=self._path,
            validation=self._validation,
            format=self.format_combo.currentData(),
            task=self._task,
            text=self._explicit["text"],
            text_pair=self._explicit["text_pair"],
            label=self._explicit["label"],
            pair_off=self._pair_off,
            validation_fraction=0.0 if self._validation else round(self.fraction_spin.value(), 4),
            new_file=new_file,
            seq=self._load_seq + 1,
            label_separator=self._separator,
        )
        self._load_seq = req.seq
        self._loading = True
        self._update_validity()  # "still loading" until the result is in
        table = self._table if reuse_table else None
        self._tokenizer_runner.cancel()  # its lengths belong to the data being replaced
        self.busy_label.setText(
            self.tr("Reading {file}…").format(file=Path(self._path).name) if table is None
            else self.tr("Mapping columns…")
        )

        def read_all() -> None:
            self._loader.run(
                load_job, req, table, on_result=self._on_loader_result, on_error=self._on_loader_error
            )

        if table is None and preview_worth_it(self._path):
            # A large columnar file: its first rows first (a fraction of a second), then all of it.
            self._loader.cancel()
            self._table = self._readable = None
            self._previewer.run(preview_table, self._path, on_result=self._on_preview_result, on_finished=read_all)
        else:
            self._previewer.cancel()
            read_all()

    def _start_token_lengths(self) -> None:
        """Token lengths for the current data under the current model (words when impossible)."""
        self._tokenizer_runner.cancel()
        spec = self._model_spec
        bundle = self._bundle
        if not spec:
            self._length_note = self.tr("length in words")
            self._length_tip = self.tr("Counted in words: choose a model to count its tokens.")
        elif spec in PRESETS:
            self._length_note = self.tr("length in words ({name}: no tokenizer yet)").format(name=spec)
            self._length_tip = self.tr(
                "Counted in words: {name} is built from scratch and its tokenizer is trained "
                "on this data when training starts, so there is no tokenizer to count with yet. "
                "Its WordPiece/BPE tokens will be somewhat more than the words."
            ).format(name=spec)
        if not spec or spec in PRESETS or bundle is None:
            self._token_lengths = None
            self._update_histogram()
            self._update_warnings()
            return
        self._length_note = self.tr("length in words (counting {name} tokens…)").format(
            name=_spec_name(spec)
        )
        self._length_tip = self.tr("Counted in words until the tokenizer has measured every example.")
        self._update_histogram()
        self.busy_label.setText(self.tr("Loading the {name} tokenizer…").format(name=_spec_name(spec)))
        self._tokenizer_runner.run(
            token_lengths_job,
            spec,
            self._tokenizers.get(spec),
            bundle.train.texts,
            bundle.train.text_pairs,
            on_event=self._on_tokenizer_event,
            on_error=self._on_tokenizer_error,
        )

    # ================================================================== refreshes
    def _set_data(self, result: _Loaded | None) -> None:
        self._bundle = result.bundle if result else None
        self._shown_mapping = result.mapping if result else None
        self._stats = result.stats if result else None
        self._word_lengths = result.word_lengths if result else None
        self._token_lengths = None
        self._update_mapping_combos(result.mapping if result else None)
        self._update_charts()
        self._start_token_lengths()
        self._update_warnings()
        self._update_summary()

    def _current_mapping(self) -> ColumnMapping | None:
        return self._bundle.mapping if self._bundle is not None else None

    def _update_paths(self) -> None:
        if self._path:
            self.path_label.setText(f"<b>{Path(self._path).name}</b>")
            self.path_label.setToolTip(self._path)
        else:
            self.path_label.setText(self.tr("No file — open one or drop it here"))
            self.path_label.setToolTip(self.tr("The training file"))
        if self._validation:
            self.validation_label.setText(Path(self._validation).name)
            self.validation_label.setToolTip(self._validation)
        else:
            self.validation_label.setText(self.tr("held out from the training file"))
            self.validation_label.setToolTip(self.tr("Where the validation examples come from"))
        self.clear_validation_button.setEnabled(bool(self._validation))
        self.fraction_spin.setEnabled(not self._validation)

    def _update_mapping_combos(self, mapping: ColumnMapping | None = None) -> None:
        columns = list(self._readable.columns) if self._readable is not None else []
        needs_label = self._task in task_names(lambda t: t.roles.labelled)  # a label, or a target text
        chosen = {
            "text": mapping.text if mapping else self._explicit["text"],
            "text_pair": mapping.text_pair if mapping else self._explicit["text_pair"],
            "label": mapping.label if mapping else self._explicit["label"],
        }
        for role, combo in (
            ("text", self.text_combo),
            ("text_pair", self.pair_combo),
            ("label", self.label_combo),
        ):
            combo.blockSignals(True)
            combo.clear()
            if role == "text_pair" or (role == "label" and not needs_label):
                combo.addItem(NO_COLUMN, None)
            for c in columns:
                combo.addItem(c, c)
            index = (
                combo.findData(chosen[role])
                if chosen[role] is not None
                else (0 if combo.count() else -1)
            )
            if role == "label" and not needs_label:
                index = 0
            elif role == "label" and chosen[role] is None:
                index = -1  # none recognised: the placeholder asks for one, never a guess shown as chosen
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.text_combo.setEnabled(bool(columns))
        paired = self._task in task_names(lambda t: t.roles.pair and not t.fixed_columns)
        self.pair_combo.setEnabled(bool(columns) and paired)
        separated = self._task in task_names(lambda t: t.label_separator_option)
        self.separator_label.setVisible(separated)
        self.separator_edit.setVisible(separated)
        self.label_combo.setEnabled(bool(columns) and needs_label)
        view = view_for(self._task)
        for combo, text in zip((self.text_combo, self.label_combo),
                               view.mapping_labels if view is not None else TaskView.mapping_labels):
            self._combo_labels[combo].setText(TaskView.dataset_text(text))  # "Source", "Target" ...
        roles = {}
        if mapping is not None:
            text_role, label_role = view.column_roles if view is not None else TaskView.column_roles
            roles[mapping.text] = text_role
            if mapping.text_pair:
                roles[mapping.text_pair] = "text pair"
            if mapping.label:
                roles[mapping.label] = label_role
        self.table_model.set_roles(roles)
        self._size_columns(mapping)
        # Show what "auto" detected, so the user sees what they would override.
        fmt = self._table.format if self._table is not None else None
        auto = self.tr("auto")
        if fmt:
            auto = self.tr("auto ({format})").format(format=self.tr(_FORMAT_NAMES[fmt]))
        self.format_combo.setItemText(0, auto)

    def _size_columns(self, mapping: ColumnMapping | None) -> None:
        """Short columns fit their content; the text column(s) take the rest of the width."""
        columns = list(self._readable.columns) if self._readable is not None else []
        texts = {mapping.text, mapping.text_pair} if mapping is not None else set()
        if columns and not texts & set(columns):
            # Nothing mapped yet: the column with the longest values is most likely the text.
            texts = {columns[-1]}
        # Bounded: the first columns from a sample of rows, the rest a fixed width (5,000 columns
        # measured one by one froze the window for seconds).
        self.columns_measured = size_columns(self.table_view, {col for col, name in enumerate(columns) if name in texts})

    def _update_charts(self) -> None:
        stats = self._stats
        view = view_for(stats["task"]) if stats is not None else None
        if view is not None and view.example_counts is not None and self._bundle is not None:
            train, val = self._bundle.train, self._bundle.validation
            self.bar_chart.set_counts(
                view.example_counts(train), view.example_counts(val) if val is not None else None,
                title=view.dataset_text(view.example_chart).format(
                    count=f"{len(train) + (len(val) if val is not None else 0):,}"
                ),
            )
            self._update_histogram()
            return
        if stats is None or stats.get("label_counts") is None:
            if stats is not None:
                title = self.tr("No labels: {task} learns from the text alone").format(task=stats["task"])
            else:
                title = self.tr("Label distribution")
            self.bar_chart.set_counts({}, title=title)
        else:
            counts = stats["label_counts"]
            val = stats.get("validation_label_counts")
            n = len([c for c in counts.values()])
            title = TaskView.dataset_text(view.label_chart if view is not None else TaskView.label_chart)
            total = sum(counts.values()) + sum((val or {}).values())
            title = title.format(count=n, total=f"{total:,}")
            self.bar_chart.set_counts(
                counts,
                val,
                title=title + (self.tr(" (top 30 shown)") if n > 31 else ""),
            )
        self._update_histogram()

    def _update_histogram(self) -> None:
        if self._word_lengths is None:
            self.histogram.set_max_length(self._max_length)
            self.histogram.clear_lengths(self.tr("Example lengths"))
            return
        if self._token_lengths is not None and len(self._token_lengths) == len(self._word_lengths):
            lengths, unit = self._token_lengths, "tokens"
        else:
            lengths, unit = self._word_lengths, "words"
        self.histogram.set_lengths(
            lengths, unit=unit, axis_label=self._length_note, max_length=self._max_length
        )
        self.histogram.setToolTip(self.tr(
            "How long the training examples are. The dashed line is max_length: red bars are "
            "examples that will be cut to it. {detail}"
        ).format(detail=self._length_tip))

    def _length_unit(self) -> str:
        """The unit lengths are counted in, as the user reads it."""
        return self.tr("tokens") if self._token_lengths is not None else self.tr("words")

    def _update_warnings(self) -> None:
        self.warnings_list.clear()
        messages: list[str] = []
        if (shared := self._label_shared_with()) is not None:
            # First: it blocks Start, and every other figure (the label chart) follows from it.
            messages.append(self._shared_label_reason(shared, here=True))
        if self._stats is not None:
            messages.extend(self._stats.get("warnings", []))
            share, cut = self.histogram.truncated_share, self.histogram.truncated
            windowed = self._task in task_names(lambda t: t.windows_inputs)
            if share is not None and share >= TRUNCATION_WARN and windowed:
                messages.append(  # QA cuts long contexts into windows instead of truncating them
                    self.tr(
                        "{share} of the questions ({count}) come with a context longer than max_length "
                        "{max_length} {unit}: it will be read in overlapping windows."
                    ).format(share=f"{share:.1%}", count=f"{cut:,}", max_length=self._max_length,
                             unit=self._length_unit())
                )
            elif share is not None and share >= TRUNCATION_WARN:
                messages.append(
                    self.tr(
                        "{share} of the training examples ({count}) are longer than max_length "
                        "{max_length} {unit} and will be truncated; consider a larger max_length."
                    ).format(share=f"{share:.1%}", count=f"{cut:,}", max_length=self._max_length,
                             unit=self._length_unit())
                )
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for text in messages:
            item = QListWidgetItem(icon, text)
            item.setToolTip(text)
            self.warnings_list.addItem(item)
        if not messages:
            if self._stats is not None:
                text = self.tr("No problems found.")
            elif self._error:
                text = self.tr("Nothing to check until the problem above is fixed.")
            else:
                text = self.tr("Open a file to check it.")
            item = QListWidgetItem(text)
            item.setForeground(self.palette().color(self.palette().ColorRole.PlaceholderText))
            self.warnings_list.addItem(item)

    def warnings(self) -> list[str]:
        """The warnings shown (for tests and the main window's status)."""
        items = [self.warnings_list.item(i) for i in range(self.warnings_list.count())]
        return [i.text() for i in items if not i.icon().isNull()]

    def _update_summary(self) -> None:
        bundle, stats, table = self._bundle, self._stats, self._readable
        if table is None:
            if not self._path:
                text = self.tr("No data loaded.")
            elif self._loading:
                text = self.tr("Reading…")
            else:
                text = self.tr("The file could not be read (see above).")
            self.summary_label.setText(text)
            return
        fmt = self.tr(_FORMAT_NAMES[table.format]) if table.format in _FORMAT_NAMES else table.format
        if table.delimiter and table.format in ("csv", "tsv"):
            delim = {
                "\t": self.tr("tab"), ",": self.tr("comma"), ";": self.tr("semicolon"), "|": self.tr("pipe")
            }.get(table.delimiter, table.delimiter)
            fmt = self.tr("{format}, {delimiter}-separated").format(format=fmt, delimiter=delim)
        rows = self.tr("{rows} row · {format}") if len(table) == 1 else self.tr("{rows} rows · {format}")
        parts = [rows.format(rows=f"<b>{len(table):,}</b>", format=fmt)]
        if bundle is not None and stats is not None:
            val_rows = stats.get("validation_rows")
            if val_rows is not None:
                split = (
                    self.tr("{train} train + {validation} validation (validation file)") if self._validation
                    else self.tr("{train} train + {validation} validation (held out)")
                )
                parts.append(split.format(train=f"{stats['rows']:,}", validation=f"{val_rows:,}"))
            else:
                parts.append(self.tr("{train} train, no validation").format(train=f"{stats['rows']:,}"))
            if stats.get("label_names"):
                view = view_for(self._task)
                kinds = TaskView.dataset_text(view.label_count if view is not None else TaskView.label_count)
                parts.append(kinds.format(count=f"<b>{len(stats['label_names'])}</b>"))
            per_row = stats.get("labels_per_row")
            if per_row:  # multi-label
                parts.append(
                    self.tr("{mean} labels per row (max {max}), {rows} rows without a label").format(
                        mean=f"{per_row['mean']:.2f}",
                        max=per_row["max"],
                        rows=f"{stats['rows_without_labels']:,}",
                    )
                )
            parts.append(self.tr("task: {task}").format(task=self._task))
            lengths = self._token_lengths if self._token_lengths is not None else self._word_lengths
            if lengths is not None and lengths.size:
                parts.append(
                    self.tr("median length {median} {unit}, max {max}").format(
                        median=f"{float(np.median(lengths)):g}",
                        unit=self._length_unit(),
                        max=f"{int(lengths.max()):,}",
                    )
                )
        else:
            parts.append(self.tr("not usable for {task} as mapped").format(task=self._task))
        self.summary_label.setText(" · ".join(parts))

    def _update_busy(self) -> None:
        busy = self.busy
        self.progress.setVisible(busy)
        self.busy_label.setVisible(busy)
        self._update_summary()
        self._update_validity()

    # ================================================================== settings
    def _start_dir(self) -> str:
        return start_folder(Path(self._path).parent if self._path else None, QSettings().value(_SETTINGS_DIR_KEY))

    @staticmethod
    def _remember_dir(path: str) -> None:
        remember_folder(_SETTINGS_DIR_KEY, Path(path).parent)


def _spec_name(spec: str) -> str:
    return model_label(spec) if spec else spec


def main(argv: list[str] | None = None) -> int:
    """Show the panel on its own: ``python -m workbench.gui.panels.dataset_panel [FILE] [MODEL]``."""
    from workbench.gui.app import DEMO_DATASET, create_app, exec_panel

    argv = sys.argv[1:] if argv is None else argv
    create_app()
    panel = DatasetPanel()
    panel.task_suggested.connect(panel.set_task)
    panel.open_file(argv[0] if argv else str(DEMO_DATASET))
    if len(argv) > 1:
        panel.set_model_spec(argv[1])
    return exec_panel(panel, translate("MainWindow", "Dataset"))


if __name__ == "__main__":
    raise SystemExit(main())
