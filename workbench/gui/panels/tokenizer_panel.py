"""The tokenizer workshop: train a tokenizer on a corpus, watch it split a sentence, compare, save.

Reading the corpus, training, loading, reports, comparisons and saving run in
``TaskRunner`` workers; the main thread draws. The one exception is splitting the
sample sentence as the user types: encoding one sentence with a `tokenizers`
object takes microseconds, less than repainting the chips, and a thread per
keystroke would cost more than the work.

Run on its own: ``python -m workbench.gui.panels.tokenizer_panel [CORPUS]``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.errors import ConfigError
from workbench.engine.models.presets import DEFAULT_LOWERCASE, DEFAULT_SPECIALS, TOKENIZER_KINDS
from workbench.engine.models.tokenizer_workshop import (
    Comparison,
    TokenizerOptions,
    TokenizerReport,
    TrainingProgress,
    WorkshopTokenizer,
    compare,
    load_tokenizer_folder,
    parse_special_tokens,
    read_corpus,
    report_rows,
    sample_texts,
    train_events,
)
from workbench.gui.dialog_folders import remember_folder, start_folder
from workbench.gui.i18n import translate
from workbench.gui.widgets.error_banner import ErrorBanner
from workbench.gui.widgets.file_filters import file_filters
from workbench.gui.widgets.token_chips import TokenChips
from workbench.gui.widgets.vocab_model import VocabularyModel, VocabularyProxy
from workbench.gui.workers import TaskRunner

# Reports and comparisons look at this many corpus texts, spread over the file (as the CLI does).
REPORT_TEXTS = 20_000
# Differently split sentences listed in the comparison.
COMPARE_EXAMPLES = 50
# The longest vocabulary search text (tokens are far shorter).
SEARCH_MAX_CHARS = 200
_KIND_TIPS = {  # English sources, translated where shown
    "wordpiece": QT_TRANSLATE_NOOP(
        "TokenizerPanel",
        "WordPiece, as BERT: BERT's normaliser (each Chinese character its own token), "
        "'##' marks a piece that continues a word; rare words may become [UNK]",
    ),
    "bpe": QT_TRANSLATE_NOOP(
        "TokenizerPanel",
        "Byte-level BPE, as GPT-2: works on UTF-8 bytes, so it never produces an unknown token",
    ),
    "unigram": QT_TRANSLATE_NOOP(
        "TokenizerPanel",
        "Unigram, as SentencePiece: '▁' marks a word start; learns multi-character Chinese words",
    ),
}
# The measure names of the engine's report_rows (shared with the CLI, which prints them in
# English), listed here so lupdate finds them; the panel shows them translated.
REPORT_MEASURES = (
    QT_TRANSLATE_NOOP("TokenizerPanel", "kind"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "vocabulary"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "words"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "tokens"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "tokens per word"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "chars per token"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "unknown tokens"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "words split"),
    QT_TRANSLATE_NOOP("TokenizerPanel", "vocab used"),
)
_S = "tokenizer_panel/"  # QSettings key prefix


@dataclass(frozen=True)
class _Job:
    """What a worker builds: a trained tokenizer (options) or a loaded one (folder)."""

    corpus: str | None
    text_column: str | None
    texts: list[str] | None  # the corpus already read, or None to read it
    options: TokenizerOptions | None = None
    folder: str | None = None


# --------------------------------------------------------------------------- worker jobs
# Plain generators of engine calls: they run in worker threads and touch no widget.


def tokenizer_job(job: _Job, other: WorkshopTokenizer | None = None) -> Iterator[tuple[str, Any]]:
    """Read the corpus (if needed), train or load, then report (or compare with ``other``).

    The status lines are the panel's own words, translated here (translate() is thread-safe).
    """
    texts = job.texts
    if texts is None and job.corpus:
        yield ("status", translate("TokenizerPanel", "Reading {file}…").format(file=Path(job.corpus).name))
        texts = read_corpus(job.corpus, text_column=job.text_column)
        yield ("texts", (job.corpus, job.text_column, texts))
    if job.folder is not None:
        yield ("status", translate("TokenizerPanel", "Loading {folder}…").format(folder=job.folder))
        tokenizer = load_tokenizer_folder(job.folder)
    else:
        if not texts:
            raise ConfigError(
                translate("TokenizerPanel", "Choose a corpus file to train the tokenizer on (Corpus…).")
            )
        assert job.options is not None
        tokenizer = None
        for event in train_events(texts, job.options, corpus=job.corpus):
            if isinstance(event, TrainingProgress):
                yield ("progress", event)
            else:
                tokenizer = event.tokenizer
        assert tokenizer is not None
    yield ("tokenizer", tokenizer)
    sample = sample_texts(texts, REPORT_TEXTS) if texts else []
    if other is None:
        yield ("vocabulary", tokenizer.vocabulary())
        if sample:
            yield ("status", translate("TokenizerPanel", "Counting tokens…"))
            yield ("report", tokenizer.report(sample))
    elif sample:
        yield ("status", translate("TokenizerPanel", "Comparing…"))
        yield ("comparison", compare(other, tokenizer, sample, max_examples=COMPARE_EXAMPLES))
    else:
        # A note, not a progress line: it stays when the job ends.
        yield ("note", translate("TokenizerPanel", "B is loaded: choose a corpus to compare the two reports"))


def report_job(
    tokenizer: WorkshopTokenizer, corpus: str, text_column: str | None, texts: list[str] | None
) -> Iterator[tuple[str, Any]]:
    """The report of ``tokenizer`` over a corpus (read here unless given)."""
    if texts is None:
        texts = read_corpus(corpus, text_column=text_column)
        yield ("texts", (corpus, text_column, texts))
    yield ("report", tokenizer.report(sample_texts(texts, REPORT_TEXTS)))


def save_job(tokenizer: WorkshopTokenizer, folder: str) -> str:
    return str(tokenizer.save(folder))


# --------------------------------------------------------------------------- the panel


_ROW_HEIGHT = 22
# The split shown is of a sentence: a corpus whose first row is a whole book (or 100,000
# characters pasted into the field) is split on the main thread only this far, so drawing
# its chips never grows with the data.
_MAX_SAMPLE_CHARS = 1000


def _table(columns: list[str], tip: str, *, stretch: bool = False) -> QTableWidget:
    """A read-only table; ``stretch`` shares the width between the columns (long texts elide)."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(_ROW_HEIGHT)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    if stretch:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
    table.setToolTip(tip)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], *, fit: bool = False) -> None:
    """Set the rows; ``fit`` makes a short table exactly as tall as its rows (no scroll bar)."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            item.setToolTip(value if len(value) > 40 else "")
            table.setItem(r, c, item)
    if fit:
        table.setFixedHeight(
            table.horizontalHeader().sizeHint().height()
            + _ROW_HEIGHT * len(rows)
            + 2 * table.frameWidth()
        )


class TokenizerPanel(QWidget):
    """Train or load a tokenizer, see its vocabulary, splits and report; compare two; save one."""

    tokenizer_ready = Signal(object)  # WorkshopTokenizer, after training or loading
    report_ready = Signal(object)  # TokenizerReport of the current tokenizer over the corpus
    compared = Signal(object)  # Comparison with the second tokenizer
    saved = Signal(str)  # the folder written
    failed = Signal(str)  # a readable message (also in the banner)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._corpus: str | None = None
        self._text_column: str | None = None
        self._corpus_chosen = (
            False  # the user picked it: the dataset panel's file does not replace it
        )
        self._texts: tuple[str, str | None, list[str]] | None = (
            None  # (corpus, column, texts) read once
        )
        self.tokenizer: WorkshopTokenizer | None = None
        self.other: WorkshopTokenizer | None = None
        self.report: TokenizerReport | None = None
        self.comparison: Comparison | None = None
        # The corpus's first row: the sample field's placeholder, split while the field is empty
        # (the user's field stays theirs: nothing is written into it for them to delete).
        self._sample_default = ""
        self._closed = False
        # The status line shows work in progress ("Training…"): the end of the job replaces it.
        # A flag, not a test of the text: translations need not end in "…".
        self._status_working = False

        self._runner = TaskRunner(self)  # the current tokenizer: train / load, and its report
        self._compare_runner = TaskRunner(self)  # the second tokenizer and the comparison
        self._save_runner = TaskRunner(self)
        for runner in (self._runner, self._compare_runner, self._save_runner):
            runner.busy_changed.connect(self._on_runner_busy_changed)

        self._build_ui()
        self._restore()
        self._update_controls()

    # ================================================================== UI
    def _build_ui(self) -> None:
        # --- corpus
        self.corpus_button = QPushButton(self.tr("C&orpus…"))
        self.corpus_button.setToolTip(self.tr(
            "Choose the text to train on: a plain-text file (one text per line), or a CSV, TSV, "
            "JSONL or CoNLL file (its text column). Default: the file open in the Dataset tab."
        ))
        self.corpus_button.clicked.connect(self.choose_corpus)
        self.corpus_label = QLabel(
            self.tr("No corpus — choose a file, or open a dataset in the Dataset tab")
        )
        self.corpus_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.corpus_label.setToolTip(self.tr("The corpus the tokenizer is trained on and measured against"))

        # --- options
        self.kind_combo = QComboBox()
        for kind in TOKENIZER_KINDS:
            self.kind_combo.addItem(
                {"wordpiece": "WordPiece", "bpe": self.tr("Byte-level BPE"), "unigram": "Unigram"}[kind],
                kind,
            )
            self.kind_combo.setItemData(
                self.kind_combo.count() - 1, self.tr(_KIND_TIPS[kind]), Qt.ItemDataRole.ToolTipRole
            )
        self.kind_combo.setToolTip(self.tr("The tokenizer model to train (hover an entry for what it does)"))
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.vocab_spin = QSpinBox()
        self.vocab_spin.setRange(50, 500_000)
        self.vocab_spin.setSingleStep(1000)
        self.vocab_spin.setValue(8000)
        self.vocab_spin.setToolTip(self.tr(
            "Vocabulary size, special tokens included. A small corpus may give fewer tokens; every "
            "character of the corpus needs a place, so Chinese text needs a few thousand at least."
        ))
        self.vocab_spin.valueChanged.connect(self._update_controls)
        self.lowercase_check = QCheckBox(self.tr("Lo&wercase"))
        self.lowercase_check.setToolTip(self.tr(
            "Lowercase the text before splitting (BERT uncased does; GPT-2 and SentencePiece keep case)"
        ))
        self.specials_edit = QLineEdit()
        self.specials_edit.setToolTip(self.tr(
            "Special tokens, in id order, separated by spaces or commas. Recognised roles: [PAD]/<pad>, "
            "[UNK]/<unk>, [CLS]/<s>, [SEP]/</s>, [MASK]/<mask>, <|endoftext|>; others become extra special tokens."
        ))
        self.specials_edit.textChanged.connect(self._update_controls)
        self.train_button = QPushButton(self.tr("&Train"))
        self.train_button.setToolTip(
            self.tr("Train a tokenizer on the corpus with these settings (Ctrl+Return)")
        )
        self.train_button.clicked.connect(self.train)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr(
            "Stop the running task (Esc). Reading stops at once; the final learning step of "
            "`tokenizers` cannot be interrupted and ends in the background."
        ))
        self.cancel_button.clicked.connect(self.cancel)
        self.load_button = QPushButton(self.tr("&Load…"))
        self.load_button.setToolTip(
            self.tr("Inspect an existing tokenizer: a folder saved here, a model folder or a run folder")
        )
        self.load_button.clicked.connect(self.choose_tokenizer)
        self.save_button = QPushButton(self.tr("&Save…"))
        self.save_button.setToolTip(self.tr(
            "Save the tokenizer as a folder (tokenizer.json, tokenizer_config.json, special_tokens_map.json) "
            "that transformers' AutoTokenizer loads, and that from-scratch presets can use (Ctrl+Shift+S)"
        ))
        self.save_button.clicked.connect(self.choose_save_folder)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setToolTip(
            self.tr("Texts handed to the trainer; then the vocabulary is learned (no steps to show)")
        )
        self.progress.hide()
        self.status_label = QLabel("")
        self.status_label.setToolTip(self.tr("What the panel is doing"))
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b00020;")
        self.problems_label.hide()
        self.error_banner = ErrorBanner()

        options = QGroupBox(self.tr("Train a tokenizer"))
        grid = QGridLayout(options)
        grid.addWidget(self.corpus_button, 0, 0)
        grid.addWidget(self.corpus_label, 0, 1, 1, 6)
        grid.addWidget(self._buddy(self.tr("&Kind"), self.kind_combo), 1, 0)
        grid.addWidget(self.kind_combo, 1, 1)
        grid.addWidget(self._buddy(self.tr("Vocab si&ze"), self.vocab_spin), 1, 2)
        grid.addWidget(self.vocab_spin, 1, 3)
        grid.addWidget(self.lowercase_check, 1, 4)
        grid.addWidget(self._buddy(self.tr("S&pecial tokens"), self.specials_edit), 2, 0)
        grid.addWidget(self.specials_edit, 2, 1, 1, 4)
        buttons = QHBoxLayout()
        for button in (self.train_button, self.cancel_button, self.load_button, self.save_button):
            buttons.addWidget(button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.status_label, 1)
        grid.addLayout(buttons, 3, 0, 1, 7)
        grid.addWidget(self.problems_label, 4, 0, 1, 7)
        grid.setColumnStretch(6, 1)

        # --- vocabulary
        self.vocab_model = VocabularyModel(self)
        self.vocab_proxy = VocabularyProxy(self.vocab_model, self)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search tokens (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        # No token is longer: a pasted book would only make Qt warn once per row it filters.
        self.search_edit.setMaxLength(SEARCH_MAX_CHARS)
        self.search_edit.setToolTip(self.tr("Show only tokens containing this text (case-insensitive)"))
        self.search_edit.textChanged.connect(self.vocab_proxy.setFilterFixedString)
        self.vocab_view = QTableView()
        self.vocab_view.setModel(self.vocab_proxy)
        self.vocab_view.setSortingEnabled(True)
        self.vocab_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.vocab_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.vocab_view.verticalHeader().hide()
        self.vocab_view.verticalHeader().setDefaultSectionSize(
            22
        )  # fixed rows: no per-row measuring
        header = self.vocab_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 60)  # fixed: measuring 30,000 rows to fit would stall the view
        header.resizeSection(2, 70)
        self.vocab_view.setToolTip(
            self.tr("The vocabulary; click a header to sort (by count: the most frequent first)")
        )
        self.vocab_label = QLabel(self.tr("Vocabulary"))
        vocab_box = QWidget()
        vocab_layout = QVBoxLayout(vocab_box)
        vocab_layout.setContentsMargins(0, 0, 0, 0)
        vocab_layout.addWidget(self.vocab_label)
        vocab_layout.addWidget(self.search_edit)
        vocab_layout.addWidget(self.vocab_view, 1)

        # --- sample sentence + inspect tab
        self.sample_edit = QLineEdit()
        self.sample_edit.setPlaceholderText(self.tr("Type a sentence to see how it splits"))
        self.sample_edit.setToolTip(self.tr(
            "The split below follows as you type; unknown tokens are red. While the field is empty, "
            "the corpus's first row (shown greyed) is split"
        ))
        self.sample_edit.textChanged.connect(self._update_splits)
        self.chips = TokenChips(self.tr("Train or load a tokenizer to see the split"))
        self.chips.setToolTip("")  # per-chip tooltips: token, id, characters, word
        self.split_label = QLabel()
        self.split_label.setToolTip(
            self.tr("Tokens of the sentence (special tokens included) and the words they cover")
        )
        self.report_table = _table(
            [self.tr("Measure"), self.tr("Value")],
            self.tr("The tokenizer over the corpus sample (specials not counted)"),
        )
        self.top_label = QLabel()
        self.top_label.setWordWrap(True)
        self.top_label.setToolTip(self.tr("The most frequent tokens in the corpus sample"))
        inspect = QWidget()
        inspect_layout = QVBoxLayout(inspect)
        inspect_layout.addWidget(self.chips)
        inspect_layout.addWidget(self.split_label)
        inspect_layout.addWidget(self.report_table)
        inspect_layout.addWidget(self.top_label)
        inspect_layout.addStretch(1)

        # --- compare tab
        self.compare_button = QToolButton()
        self.compare_button.setText(self.tr("Co&mpare with…"))
        self.compare_button.setToolTip(self.tr(
            "Compare the current tokenizer (A) with a second one (B) on the same corpus: load a "
            "folder, or train one with the settings above (change the kind or size first)"
        ))
        self.compare_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.compare_button)
        self.compare_folder_action = menu.addAction(
            self.tr("Tokenizer folder…"), self.choose_other_tokenizer
        )
        self.compare_folder_action.setToolTip(self.tr("A folder saved here, a model folder or a run folder"))
        self.compare_train_action = menu.addAction(
            self.tr("Train with the settings above"), self.train_other
        )
        self.compare_train_action.setToolTip(
            self.tr("Train B on the same corpus with the kind, size and options above")
        )
        self.compare_button.setMenu(menu)
        self.other_label = QLabel(self.tr("B: none"))
        self.other_label.setToolTip(self.tr("The tokenizer compared with the current one"))
        self.chips_a = TokenChips("A")
        self.chips_b = TokenChips(self.tr("B: choose one with Compare with…"))
        self.compare_table = _table(
            [self.tr("Measure"), "A", "B"], self.tr("Both tokenizers over the same corpus sample")
        )
        self.diff_label = QLabel()
        self.diff_label.setToolTip(self.tr("Sentences whose token boundaries (or unknown tokens) differ"))
        self.diff_table = _table(
            [self.tr("Text"), "A", "B"],
            self.tr("Sentences split differently; click one to show its chips above"),
            stretch=True,
        )
        self.diff_table.itemSelectionChanged.connect(self._on_diff_table_selection_changed)
        compare_tab = QWidget()
        compare_layout = QVBoxLayout(compare_tab)
        top = QHBoxLayout()
        top.addWidget(self.compare_button)
        top.addWidget(self.other_label, 1)
        compare_layout.addLayout(top)
        compare_layout.addWidget(QLabel("A"))
        compare_layout.addWidget(self.chips_a)
        compare_layout.addWidget(QLabel("B"))
        compare_layout.addWidget(self.chips_b)
        compare_layout.addWidget(self.compare_table)
        compare_layout.addWidget(self.diff_label)
        compare_layout.addWidget(self.diff_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(inspect, self.tr("Inspect"))
        self.tabs.addTab(compare_tab, self.tr("Compare"))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._buddy(self.tr("Sampl&e sentence"), self.sample_edit))
        right_layout.addWidget(self.sample_edit)
        right_layout.addWidget(self.tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(vocab_box)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([330, 870])

        layout = QVBoxLayout(self)
        layout.addWidget(options)
        layout.addWidget(self.error_banner)
        layout.addWidget(splitter, 1)

        # Panel-wide keys; Ctrl+S belongs to the main window (save a training checkpoint).
        for keys, slot in (
            ("Ctrl+Return", self.train),
            ("Ctrl+Enter", self.train),
            ("Escape", self.cancel),
            ("Ctrl+Shift+S", self.choose_save_folder),
            ("Ctrl+F", self._focus_search),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        label.setToolTip(widget.toolTip())
        return label

    # ================================================================== public API
    @property
    def busy(self) -> bool:
        return self._runner.busy or self._compare_runner.busy or self._save_runner.busy

    @property
    def corpus(self) -> str | None:
        return self._corpus

    def options(self) -> TokenizerOptions:
        return TokenizerOptions(
            kind=self.kind_combo.currentData(),
            vocab_size=self.vocab_spin.value(),
            lowercase=self.lowercase_check.isChecked(),
            special_tokens=parse_special_tokens(self.specials_edit.text()),
        )

    def set_options(self, options: TokenizerOptions) -> None:
        opts = options.resolved()
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(opts.kind), 0))
        self.vocab_spin.setValue(opts.vocab_size)
        self.lowercase_check.setChecked(bool(opts.lowercase))
        self.specials_edit.setText(" ".join(opts.special_tokens or ()))

    def set_corpus(self, path: str, text_column: str | None = None, *, chosen: bool = True) -> None:
        """Train on ``path`` (its ``text_column``, or the detected one)."""
        self._corpus, self._text_column = str(path), text_column
        self._corpus_chosen = chosen
        self._update_corpus_label()
        if chosen:
            QSettings().setValue(_S + "corpus", self._corpus)
            QSettings().setValue(_S + "text_column", text_column or "")
        if (
            self.tokenizer is not None and not self._runner.busy
        ):  # measure the tokenizer on the new corpus
            self._runner.run(
                report_job,
                self.tokenizer,
                self._corpus,
                text_column,
                self._cached_texts(),
                on_event=self._on_job_event,
                on_error=self._on_job_error,
                on_finished=self._on_job_finished,
            )
        self._update_controls()

    def set_dataset(self, bundle: Any) -> None:
        """The Dataset tab loaded a file: use it as the corpus unless the user chose another one."""
        source = getattr(getattr(bundle, "train", None), "source", None)
        if not source or self._corpus_chosen:
            return
        mapping = getattr(bundle, "mapping", None)
        self.set_corpus(str(source), getattr(mapping, "text", None), chosen=False)

    def set_sample_text(self, text: str) -> None:
        self.sample_edit.setText(text)

    def train(self) -> None:
        """Train the current tokenizer (A) with the settings above."""
        if self._problems():
            return
        job = _Job(self._corpus, self._text_column, self._cached_texts(), options=self.options())
        self._remember_options()
        self.error_banner.hide()
        self._start_progress(self.tr("Training…"))
        self._runner.run(
            tokenizer_job,
            job,
            on_event=self._on_job_event,
            on_error=self._on_job_error,
            on_finished=self._on_job_finished,
        )

    def load_tokenizer(self, folder: str) -> None:
        """Inspect an existing tokenizer folder (a model or run folder works too) as A."""
        job = _Job(self._corpus, self._text_column, self._cached_texts(), folder=str(folder))
        self.error_banner.hide()
        self._start_progress(self.tr("Loading {folder}…").format(folder=folder))
        self._runner.run(
            tokenizer_job,
            job,
            on_event=self._on_job_event,
            on_error=self._on_job_error,
            on_finished=self._on_job_finished,
        )

    def compare_with(self, folder: str) -> None:
        """Load ``folder`` as B and compare it with A on the corpus."""
        self._start_compare(
            _Job(self._corpus, self._text_column, self._cached_texts(), folder=str(folder))
        )

    def train_other(self) -> None:
        """Train B with the settings above and compare it with A."""
        if self._problems():
            return
        self._start_compare(
            _Job(self._corpus, self._text_column, self._cached_texts(), options=self.options())
        )

    def save_to(self, folder: str) -> None:
        if self.tokenizer is None:
            return
        self.error_banner.hide()
        self._set_status(self.tr("Saving {folder}…").format(folder=folder), working=True)
        self._save_runner.run(
            save_job,
            self.tokenizer,
            str(folder),
            on_result=self._on_saved,
            on_error=self._on_job_error,
        )

    def cancel(self) -> None:
        if not self.busy:
            return
        self._runner.cancel()
        self._compare_runner.cancel()
        self.progress.hide()
        self._set_status(self.tr("Cancelled"))
        self._update_controls()

    def shutdown(self) -> None:
        self._closed = True
        for runner in (self._runner, self._compare_runner, self._save_runner):
            runner.shutdown()

    # ================================================================== dialogs
    def _start_dir(self) -> str:
        return start_folder(QSettings().value(_S + "last_dir"))

    def _remember_dir(self, path: str) -> None:
        remember_folder(_S + "last_dir", path)

    def choose_corpus(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a corpus"), self._start_dir(), file_filters()
        )
        if path:
            self._remember_dir(path)
            self.set_corpus(path)

    def choose_tokenizer(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Load a tokenizer, model or run folder"), self._start_dir()
        )
        if folder:
            self._remember_dir(folder)
            self.load_tokenizer(folder)

    def choose_other_tokenizer(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Compare with a tokenizer folder"), self._start_dir()
        )
        if folder:
            self._remember_dir(folder)
            self.compare_with(folder)

    def choose_save_folder(self) -> None:
        if self.tokenizer is None or self.busy:
            return
        default = str(
            Path(self._start_dir()) / f"tokenizer-{self.tokenizer.kind}-{self.tokenizer.vocab_size}"
        )
        folder, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the tokenizer as a folder"),
            default,
            self.tr("Tokenizer folder (*)"),
            options=QFileDialog.Option.ShowDirsOnly,
        )
        if folder:
            self._remember_dir(str(Path(folder).parent))
            self.save_to(folder)

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # ================================================================== slots
    def _on_kind_combo_changed(self, _index: int) -> None:
        kind = self.kind_combo.currentData()
        # Follow the kind's defaults unless the user edited them (they still equal another kind's default).
        if (
            parse_special_tokens(self.specials_edit.text()) in DEFAULT_SPECIALS.values()
            or not self.specials_edit.text()
        ):
            self.specials_edit.setText(" ".join(DEFAULT_SPECIALS[kind]))
        self.lowercase_check.setChecked(DEFAULT_LOWERCASE[kind])
        self._update_controls()

    def _on_runner_busy_changed(self, _busy: bool) -> None:
        self._update_controls()

    def _on_job_event(self, item: tuple[str, Any]) -> None:
        kind, value = item
        if kind == "status":
            self._set_status(value, working=True)
        elif kind == "note":
            self._set_status(value)
        elif kind == "texts":
            self._texts = value
            self._set_sample_default(value[2][0] if value[2] else "")
        elif kind == "progress":
            self._show_progress(value)
        elif kind == "tokenizer":
            self._set_tokenizer(value)
        elif kind == "vocabulary":
            tok = self.tokenizer
            assert tok is not None
            self.vocab_model.set_vocabulary(
                value, readable=tok.readable, specials=set(tok.special_tokens())
            )
            self.vocab_label.setText(
                self.tr("Vocabulary: {count} tokens ({name})").format(count=f"{len(value):,}", name=tok.name)
            )
        elif kind == "report":
            self._set_report(value)
        elif kind == "comparison":
            self._set_comparison(value)

    def _on_compare_event(self, item: tuple[str, Any]) -> None:
        kind, value = item
        if kind == "tokenizer":
            self.other = value
            self.other_label.setText(
                self.tr("B: {name} ({kind}, {size} tokens)").format(
                    name=value.name, kind=value.kind, size=f"{value.vocab_size:,}"
                )
            )
            self._update_splits()
        else:
            self._on_job_event(item)

    def _on_job_error(self, message: str) -> None:
        self.progress.hide()
        self._set_status(self.tr("Failed"))
        self.error_banner.show_message(message)
        self.failed.emit(message)

    def _on_job_finished(self) -> None:
        self.progress.hide()
        if self._status_working:  # not "Failed" or a note: say what is loaded now
            tok = self.tokenizer
            if tok is None:
                self._set_status(self.tr("Ready"))
            elif tok.source:
                self._set_status(self.tr("Ready: {name} ({kind}, {size} tokens)").format(
                    name=tok.name, kind=tok.kind, size=f"{tok.vocab_size:,}"
                ))
            else:  # a trained tokenizer's name already says its kind and size ("wordpiece 7968")
                self._set_status(self.tr("Ready: {name}").format(name=tok.name))
        self._update_controls()

    def _on_saved(self, folder: str) -> None:
        self._set_status(self.tr("Saved {folder}").format(folder=folder))
        if self.tokenizer is not None:
            self.vocab_label.setText(
                self.tr("Vocabulary: {count} tokens ({name})").format(
                    count=f"{self.tokenizer.vocab_size:,}", name=self.tokenizer.name
                )
            )
        self.saved.emit(folder)

    def _on_diff_table_selection_changed(self) -> None:
        rows = self.diff_table.selectionModel().selectedRows()
        if rows and self.comparison is not None and rows[0].row() < len(self.comparison.examples):
            self.sample_edit.setText(self.comparison.examples[rows[0].row()][0].text)

    # ================================================================== updates
    def _cached_texts(self) -> list[str] | None:
        if self._texts is not None and self._texts[:2] == (self._corpus, self._text_column):
            return self._texts[2]
        return None

    def _problems(self) -> list[str]:
        problems = self.options().problems()
        if not self._corpus:
            # "corpus:" names the field (_update_controls matches on it); the reason is translated.
            problems.insert(0, "corpus: " + self.tr("choose a file to train on"))
        return problems

    def _set_status(self, text: str, *, working: bool = False) -> None:
        self.status_label.setText(text)
        self._status_working = working

    def _start_progress(self, text: str) -> None:
        self._set_status(text, working=True)
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.progress.show()
        self._update_controls()

    def _start_compare(self, job: _Job) -> None:
        if self.tokenizer is None:
            self.error_banner.show_message(
                self.tr("Train or load a tokenizer first: it is A, the one B is compared with.")
            )
            return
        self.error_banner.hide()
        self.tabs.setCurrentIndex(1)
        self._start_progress(self.tr("Preparing the comparison…"))
        self._compare_runner.run(
            tokenizer_job,
            job,
            self.tokenizer,
            on_event=self._on_compare_event,
            on_error=self._on_job_error,
            on_finished=self._on_job_finished,
        )

    def _show_progress(self, event: TrainingProgress) -> None:
        if event.phase == "learning":
            self.progress.setRange(0, 0)
            self._set_status(
                self.tr("Learning the vocabulary from {count} texts…").format(count=f"{event.total:,}"),
                working=True,
            )
        else:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
            self.progress.setFormat(self.tr("%v / %m texts"))
            self._set_status(self.tr("Reading the corpus…"), working=True)

    def _set_tokenizer(self, tokenizer: WorkshopTokenizer) -> None:
        self.tokenizer = tokenizer
        self.report = None
        self.report_table.setRowCount(0)
        self.top_label.clear()
        if tokenizer.options is not None:
            self.set_options(tokenizer.options)
        self._update_splits()
        self._update_controls()
        self.tokenizer_ready.emit(tokenizer)

    def _set_report(self, report: TokenizerReport) -> None:
        self.report = report
        _fill(self.report_table, self._report_rows([report]), fit=True)
        self.top_label.setText(
            self.tr("Most frequent: {tokens}").format(
                tokens="   ".join(f"{t} ({c:,})" for t, c in report.top_tokens)
            )
        )
        self.vocab_model.set_counts(report.counts)
        self.report_ready.emit(report)

    def _report_rows(self, reports: list[TokenizerReport]) -> list[list[str]]:
        """The engine's report_rows, its measure names (and its one worded value) translated."""
        rows = []
        for measure, values in report_rows(reports):
            if measure == "vocab used":  # the engine writes "1,234 of 8,000"
                values = [
                    self.tr("{used} of {size}").format(used=f"{r.vocab_used:,}", size=f"{r.vocab_size:,}")
                    for r in reports
                ]
            rows.append([self.tr(measure), *values])
        return rows

    def _set_comparison(self, comparison: Comparison) -> None:
        self.comparison = comparison
        _fill(
            self.compare_table,
            self._report_rows([comparison.a, comparison.b]),
            fit=True,
        )
        differ = self.tr("{differing} of {sentences} texts split differently").format(
            differing=f"{comparison.differing:,}", sentences=f"{comparison.sentences:,}"
        )
        if comparison.examples:
            differ += self.tr(" (the first {count} below)").format(count=len(comparison.examples))
        self.diff_label.setText(differ)
        _fill(
            self.diff_table,
            [
                [
                    a.text,
                    " | ".join(p.display for p in a.pieces),
                    " | ".join(p.display for p in b.pieces),
                ]
                for a, b in comparison.examples
            ],
        )
        self.compared.emit(comparison)

    def _set_sample_default(self, text: str) -> None:
        """Offer ``text`` (the corpus's first row) as the placeholder; split it while the field is empty."""
        # One line (a placeholder shows no line breaks), and a sentence's length, not a whole row's.
        self._sample_default = " ".join(text[: _MAX_SAMPLE_CHARS * 2].split())[:_MAX_SAMPLE_CHARS]
        self.sample_edit.setPlaceholderText(
            self._sample_default or self.tr("Type a sentence to see how it splits")
        )
        self._update_splits()

    @property
    def sample_text(self) -> str:
        """The sentence split below: the field's text, else its placeholder (the corpus's first row)."""
        return self.sample_edit.text() or self._sample_default

    def _update_splits(self) -> None:
        text = self.sample_text[:_MAX_SAMPLE_CHARS]
        split = self.tokenizer.split(text) if self.tokenizer is not None and text else None
        self.chips.set_split(split)
        self.chips_a.set_split(split)
        self.chips_b.set_split(self.other.split(text) if self.other is not None and text else None)
        if split is None:
            self.split_label.clear()
            return
        inner = [p for p in split.pieces if not p.special]
        unknown = sum(p.unknown for p in inner)
        words = len(split.words)
        if words == 1:
            line = self.tr("{tokens} tokens for {words} word")
        else:
            line = self.tr("{tokens} tokens for {words} words")
        line = line.format(tokens=len(inner), words=words)
        if words:
            line += self.tr(" ({ratio} per word)").format(ratio=f"{len(inner) / words:.2f}")
        if unknown:
            line += self.tr(", {unknown} unknown").format(unknown=unknown)
        if len(self.sample_text) > _MAX_SAMPLE_CHARS:
            line += self.tr(" (the first {count} characters)").format(count=_MAX_SAMPLE_CHARS)
        self.split_label.setText(line)

    def _update_corpus_label(self) -> None:
        if not self._corpus:
            return
        column = ""
        if self._text_column:
            column = self.tr(", column {column}").format(column=repr(self._text_column))
        source = "" if self._corpus_chosen else self.tr(" (from the Dataset tab)")
        self.corpus_label.setText(f"{Path(self._corpus).name}{column}{source}")
        self.corpus_label.setToolTip(self._corpus)

    def _update_controls(self) -> None:
        problems = self._problems()
        busy = self._runner.busy or self._compare_runner.busy
        self.train_button.setEnabled(not problems and not self._runner.busy)
        self.cancel_button.setEnabled(busy)
        self.save_button.setEnabled(self.tokenizer is not None and not self._save_runner.busy)
        self.compare_button.setEnabled(self.tokenizer is not None)
        self.compare_train_action.setEnabled(not problems)
        shown = [p for p in problems if not p.startswith("corpus:")]
        self.problems_label.setText("; ".join(shown))
        self.problems_label.setVisible(bool(shown))

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the texts this panel joins from pieces and values."""
        self._update_splits()
        self._update_corpus_label()
        self._update_controls()
        if self.report is not None:
            _fill(self.report_table, self._report_rows([self.report]), fit=True)
        if self.comparison is not None:
            _fill(self.compare_table, self._report_rows([self.comparison.a, self.comparison.b]), fit=True)
            differ = self.tr("{differing} of {sentences} texts split differently").format(
                differing=f"{self.comparison.differing:,}", sentences=f"{self.comparison.sentences:,}"
            )
            if self.comparison.examples:
                differ += self.tr(" (the first {count} below)").format(count=len(self.comparison.examples))
            self.diff_label.setText(differ)

    # ================================================================== remembered state
    def _remember_options(self) -> None:
        settings = QSettings()
        opts = self.options()
        settings.setValue(_S + "kind", opts.kind)
        settings.setValue(_S + "vocab_size", opts.vocab_size)
        settings.setValue(_S + "lowercase", bool(opts.lowercase))
        settings.setValue(_S + "special_tokens", " ".join(opts.special_tokens or ()))

    def _restore(self) -> None:
        settings = QSettings()
        kind = str(settings.value(_S + "kind", "wordpiece"))
        if kind not in TOKENIZER_KINDS:
            kind = "wordpiece"
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self._on_kind_combo_changed(0)  # the kind's defaults first, then what was remembered
        self.vocab_spin.setValue(int(settings.value(_S + "vocab_size", 8000)))
        if settings.contains(_S + "lowercase"):
            self.lowercase_check.setChecked(str(settings.value(_S + "lowercase")).lower() == "true")
        if settings.contains(_S + "special_tokens"):
            self.specials_edit.setText(str(settings.value(_S + "special_tokens")))
        corpus = str(settings.value(_S + "corpus", ""))
        if corpus and Path(corpus).is_file():
            self._corpus, self._text_column = (
                corpus,
                str(settings.value(_S + "text_column", "")) or None,
            )
            self._corpus_chosen = True
            self._update_corpus_label()


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    args = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication(sys.argv[:1])
    panel = TokenizerPanel()
    if args:
        panel.set_corpus(args[0])
    panel.resize(1200, 800)
    panel.show()
    code = app.exec()
    panel.shutdown()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
