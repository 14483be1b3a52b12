"""Type text and watch the model's prediction change as you type.

Predictions run in a worker (``TaskRunner``: the newest input wins, stale
results are dropped), 250 ms after the last keystroke. Causal language models
generate only on request (the Generate button or Ctrl+Enter): generation takes
long enough that regenerating on every keystroke would just queue work.

This module imports no torch: ``Predictor`` is imported inside the worker
functions, so the panel can be built before any model code is loaded.

Run alone:  python -m workbench.gui.panels.prediction_panel [RUN_OR_MODEL_DIR]
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.errors import WorkbenchError
from workbench.gui.dialog_folders import remember_folder, start_folder
from workbench.gui.i18n import translate
from workbench.gui.tasks import (
    ATTENTION_ONLY_PLACEHOLDER,
    NO_MODEL_PLACEHOLDER,
    Playground,
    TaskView,
    labelled,
    view_for,
)
from workbench.gui.widgets.chat_view import ChatView
from workbench.gui.widgets.generation_view import GenerationControls
from workbench.gui.widgets.multilabel_view import MultiLabelView
from workbench.gui.widgets.prob_bars import ProbabilityBars
from workbench.gui.widgets.qa_playground import QAPlayground
from workbench.gui.widgets.saliency_view import SaliencyView
from workbench.gui.widgets.seq2seq_playground import Seq2SeqControls
from workbench.gui.workers import TaskRunner

DEBOUNCE_MS = 250  # long enough to skip most keystrokes of a word, short enough to feel live
DEFAULT_TOP_K = 5
DEFAULT_NEW_TOKENS = 40
_SETTINGS_DIR = "prediction/model_dir"

# Light backgrounds (dark text stays readable on all), one per entity type in label order.
TAG_COLOURS = (
    "#ffd8a8",
    "#b2f2bb",
    "#a5d8ff",
    "#fcc2d7",
    "#d0bfff",
    "#ffec99",
    "#99e9f2",
    "#eebefa",
    "#c0eb75",
    "#ffc9c9",
    "#bac8ff",
    "#96f2d7",
)
_BIO_PREFIXES = ("B-", "I-", "E-", "S-", "L-", "U-")

_ERROR_STYLE = (
    "QLabel { background: #ffe3e3; color: #8a1c1c; padding: 6px 8px; border-radius: 3px; }"
)
_HINT_STYLE = (
    "QLabel { background: #fff4d6; color: #5a4500; padding: 6px 8px; border-radius: 3px; }"
)


def entity_type(tag: str) -> str:
    for prefix in _BIO_PREFIXES:
        if tag.startswith(prefix):
            return tag[len(prefix) :]
    return tag


def _load_job(spec: str) -> Any:
    """Worker: load a model (reads files, builds torch modules); one without a task head, for attention only."""
    from workbench.engine.inspection.attention import load_for_inspection

    return load_for_inspection(spec)


def _predict_job(
    predictor: Any,
    live_source: Callable[[], Any] | None,
    text: str,
    top_k: int,
    max_new_tokens: int,
) -> tuple[Any, str, dict[str, Any], float]:
    """Worker: (predictor used, text, result, milliseconds)."""
    if live_source is not None:
        fresh = live_source()  # e.g. a snapshot of the model being trained: the latest weights
        if fresh is not None:
            predictor = fresh
    if predictor is None:
        # Written by the GUI, not the engine: translated (translate() is thread-safe).
        raise WorkbenchError(
            translate("PredictionPanel", "No model loaded yet: load a run or model folder first.")
        )
    start = time.perf_counter()
    result = predictor.predict([text], top_k=top_k, max_new_tokens=max_new_tokens)[0]
    return predictor, text, result, (time.perf_counter() - start) * 1000.0


def _explain_job(predictor: Any, text: str, target: int | None) -> Any:
    """Worker: integrated-gradients attributions for ``text`` (the engine's defaults)."""
    from workbench.engine.inspection.saliency import integrated_gradients

    return integrated_gradients(predictor, text, target)


def run_model_origin(spec: str, status: str | None = None) -> str:
    """The line that says which weights ``spec`` is: "Model: RUN — checkpoint step-0000120 (run cancelled)".

    ``status`` is the run's (``engine.run_index`` statuses); read from its folder when not given.
    A spec outside any run (a model folder, a hub id) is named as it is.
    """
    from workbench.engine.errors import ModelError
    from workbench.engine.models.run_weights import choose_weights
    from workbench.gui.widgets.runs_model import status_text

    try:  # the same rule as loading (final model, else the newest intact checkpoint)
        chosen = choose_weights(spec)
    except ModelError:
        chosen = None
    if chosen is None or chosen.run_dir is None:
        return translate("PredictionPanel", "Model: {spec}").format(spec=spec)
    run = chosen.run_dir
    what = (translate("PredictionPanel", "checkpoint {name}").format(name=chosen.folder.name)
            if chosen.from_checkpoint else translate("PredictionPanel", "final model"))
    if status is None:
        from workbench.engine.run_index import run_status

        status = run_status(run)
    return translate("PredictionPanel", "Model: {run} — {what} (run {status})").format(
        run=run.name, what=what, status=status_text(status))


class ModelOriginLabel(QLabel):
    """The model line ("Model: RUN — checkpoint step-0000120 (run cancelled)"), drawn by a callable:
    after a language switch (View ▸ Language calls ``retranslate``) it is drawn again with its values."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._render: Callable[[], str] | None = None

    def show_line(self, render: Callable[[], str]) -> None:
        self._render = render
        self.setText(render())

    def retranslate(self) -> None:
        if self._render is not None:
            self.setText(self._render())


def model_name(predictor: Any) -> str:
    source = getattr(predictor, "source", None)
    spec = str(getattr(source, "spec", "") or "")
    if not spec:
        return translate("PredictionPanel", "model")
    path = Path(spec)
    if getattr(source, "kind", "") == "folder" and path.name == "model" and path.parent.name:
        return path.parent.name
    return path.name or spec


class PredictionPanel(QWidget):
    # (Predictor, text, result dict or None) after each successful prediction: the attention panel inspects it.
    prediction_ready = Signal(object, str, object)
    model_loaded = Signal(object)  # Predictor, after set_model() loaded it
    saliency_ready = Signal(object)  # an engine Attribution, when saliency is switched on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._predictor: Any = None
        self._live_source: Callable[[], Any] | None = None
        self._task: str | None = None
        self._view: TaskView | None = None  # the GUI view of the loaded model's task (gui/tasks)
        self.last_result: dict[str, Any] | None = None
        self.last_text: str | None = None
        self.tag_chips: list[tuple[str, str]] = []  # (word, tag) of the coloured chips drawn
        self._pending_origin: Callable[[], str] | None = None  # draws the model line of the model being loaded
        self._model_origin: Callable[[], str] | None = None  # ... of the loaded model (not of live weights)
        self._loader = TaskRunner(self)
        self._predictions = TaskRunner(self)
        self._explanations = TaskRunner(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self._build()
        self._update_task_ui()

    # ---- public API -------------------------------------------------------------------

    def set_model(self, spec: str, origin: Callable[[], str] | None = None, *, drop_current: bool = False) -> None:
        """Load ``spec`` (run folder, model folder or hub id) in a worker; errors shown in the panel.

        ``origin`` draws the model line shown once it is loaded (which run, which weights; e.g.
        ``lambda: run_model_origin(spec, status)``). ``drop_current``: unload the current model at
        once, so a load that fails leaves no model rather than a stale one (used when a run stops).
        """
        spec = str(spec).strip()
        if self.model_edit.text() != spec:
            self.model_edit.setText(spec)
        if not spec:
            self._show_error(self.tr("Give a run folder, a model folder or a hub id to load."))
            return
        if drop_current:
            self.set_predictor(None)
        pending = origin or (lambda: self.tr("Model: {spec}").format(spec=spec))
        self._pending_origin = pending
        if drop_current or self._predictor is None:
            self.origin_label.show_line(lambda: self.tr("Loading {origin}…").format(origin=pending()))
        self._hide_banner()
        self.status_label.setText(self.tr("Loading {spec}…").format(spec=html.escape(spec)))
        self.load_button.setEnabled(False)
        self._loader.run(
            _load_job,
            spec,
            on_result=self._on_loader_result,
            on_error=self._on_loader_error,
            on_finished=lambda: self.load_button.setEnabled(True),
        )

    def clear_model(self, reason: Callable[[], str]) -> None:
        """Unload the model (and a load under way); ``reason`` draws the model line (and a hint),
        followed by the line of the model that was unloaded, if there was one."""
        earlier = self._model_origin
        self._loader.cancel()
        self.load_button.setEnabled(True)
        self.set_predictor(None)

        def line() -> str:
            if earlier is None:
                return reason()
            return "{} {}".format(reason(), self.tr("The model loaded before was unloaded: {earlier}").format(
                earlier=earlier()))

        self.origin_label.show_line(line)
        self._show_hint(html.escape(line()))

    @property
    def model_origin(self) -> str:
        """The model line of the loaded model ("" when none is loaded; live weights do not count)."""
        return self._model_origin() if self._model_origin is not None else ""

    def set_predictor(self, predictor: Any) -> None:
        """Predict with ``predictor`` from now on (e.g. a snapshot of the model being trained)."""
        self._predictions.cancel()  # a result of the previous model must not land after this
        self.generation.cancel()
        self.seq2seq.cancel()
        self._predictor = predictor
        self._model_origin = None if predictor is None else (lambda: self._origin_of(predictor))
        self.origin_label.show_line(lambda: self._origin_of(predictor))
        self._hide_banner()
        self._update_task_ui()
        self._update_status_idle()
        if getattr(predictor, "task", "") is None:  # a checkpoint without a task head: say what it can do
            self._show_hint(html.escape(predictor.no_head_message))
        if predictor is not None and (self._view is None or self._view.live) and self.text().strip():
            self._debounce.start()

    def set_live_source(self, fn: Callable[[], Any] | None) -> None:
        """``fn`` runs in the worker before each prediction; a Predictor it returns replaces the current one."""
        self._live_source = fn
        self.qa_playground.set_live_source(fn)
        if fn is not None:
            self.origin_label.show_line(lambda: self.tr("Model: the run in training (its weights as of the latest step)"))

    def set_text(self, text: str) -> None:
        self.text_edit.setPlainText(text)

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def predict_now(self) -> None:
        self._debounce.stop()
        text = self.text()
        if self._predictor is None and self._live_source is None:
            self.status_label.setText(self.tr("No model yet: load a run or model folder above."))
            return
        if not text.strip() and not self._playground(Playground.GENERATION):  # a prompt may be empty
            self._clear_results()
            self.status_label.setText(self.tr("Type something to see a prediction."))
            return
        if self._predictor is not None and getattr(self._predictor, "task", "") is None:
            # No task head (MiniLM): nothing to predict, but the attention panel shows this text's attention.
            self._show_hint(html.escape(self._predictor.no_head_message))
            self.prediction_ready.emit(self._predictor, text, None)
            return
        if self._playground(Playground.GENERATION) and self.generation.can_stream(self._predictor, self._live_source):
            # Streamed token by token with sampling settings and Stop (generation_view.py).
            self.generation.start(self._predictor, self._live_source, text, self.max_new_spin.value())
            return
        if self._playground(Playground.OUTPUT):
            # Streamed token by token with the decoding settings and Stop (seq2seq_playground.py).
            history = self.chat_view.history if self._view is not None and self._view.chat else []
            self.status_label.setText(self.tr("generating…"))
            self.seq2seq.start(self._predictor, self._live_source, text, history)
            return
        self.status_label.setText(self.tr("predicting…"))
        self._predictions.run(
            _predict_job,
            self._predictor,
            self._live_source,
            text,
            self.top_k_spin.value(),
            self.max_new_spin.value(),
            on_result=self._on_predictions_result,
            on_error=self._on_predictions_error,
        )

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the result drawn again, its words in the new language."""
        if self.last_result is not None:
            self._update_results(self.last_result)

    def shutdown(self) -> None:
        self._debounce.stop()
        self._loader.shutdown()
        self._predictions.shutdown()
        self._explanations.shutdown()
        self.generation.shutdown()
        self.seq2seq.shutdown()
        self.qa_playground.shutdown()

    @property
    def predictor(self) -> Any:
        return self._predictor

    # ---- UI ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.model_edit = QLineEdit()
        self.model_edit.setPlaceholderText(
            self.tr("Run folder, model folder or hub id (e.g. runs/sst2 or bert-base-uncased)")
        )
        self.model_edit.setToolTip(self.tr(
            "A workbench run folder, a Hugging Face model folder (with config.json), or a hub id. "
            "Press Enter or Load."
        ))
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setToolTip(self.tr("Load the model named in the field."))
        self.browse_button = QPushButton(self.tr("Load model…"))
        self.browse_button.setToolTip(self.tr("Choose a run folder or a model folder on disk and load it."))
        model_row = QHBoxLayout()
        model_row.addWidget(QLabel(self.tr("Model:")))
        model_row.addWidget(self.model_edit, 1)
        model_row.addWidget(self.load_button)
        model_row.addWidget(self.browse_button)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setToolTip(self.tr("What went wrong and what to do. The panel stays usable."))
        self.banner.hide()

        self.status_label = QLabel()
        self.status_label.setToolTip(
            self.tr("The model in use, its task, and how long the last prediction took.")
        )
        # Which weights the predictions come from (a run's final model or which checkpoint), so a
        # stopped run's checkpoint is never taken for an earlier model, or the other way round.
        self.origin_label = ModelOriginLabel()
        self.origin_label.show_line(lambda: self.tr("No model loaded"))
        self.origin_label.setTextFormat(Qt.TextFormat.PlainText)
        self.origin_label.setWordWrap(True)
        self.origin_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.origin_label.setToolTip(self.tr("Which weights the predictions come from"))

        self.text_edit = QPlainTextEdit()
        self.text_edit.setToolTip(
            self.tr("Your input. Predictions update as you type; Ctrl+Enter predicts at once.")
        )
        self.text_edit.setMaximumHeight(120)

        self.top_k_spin = QSpinBox()
        self.top_k_spin.setRange(1, 50)
        self.top_k_spin.setValue(DEFAULT_TOP_K)
        self.top_k_spin.setPrefix(self.tr("Top "))
        self.top_k_spin.setToolTip(self.tr("How many candidate words to show for each [MASK]."))
        self.max_new_spin = QSpinBox()
        self.max_new_spin.setRange(1, 512)
        self.max_new_spin.setValue(DEFAULT_NEW_TOKENS)
        self.max_new_spin.setSuffix(self.tr(" new tokens"))
        self.max_new_spin.setToolTip(
            self.tr("The most tokens to generate after the prompt (Stop or Esc ends it sooner).")
        )
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.setToolTip(self.tr("Continue the prompt (Ctrl+Enter)."))
        options = QHBoxLayout()
        options.addWidget(self.top_k_spin)
        options.addWidget(self.max_new_spin)
        options.addWidget(self.generate_button)
        options.addStretch(1)

        self.results = QStackedWidget()
        self.results.setToolTip(self.tr("The model's prediction for the text above."))
        self._empty_page = QLabel(self.tr("Load a model and type a sentence to see its prediction."))
        self._empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty_page.setStyleSheet("color: gray;")
        self.results.addWidget(self._empty_page)

        # classification
        page = QWidget()
        layout = QVBoxLayout(page)
        self.label_view = QLabel()
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), 9) + 10)
        font.setBold(True)
        self.label_view.setFont(font)
        self.label_view.setToolTip(self.tr("The predicted label (the most probable one)."))
        self.label_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score_view = QLabel()
        self.score_view.setToolTip(self.tr("The predicted label's probability."))
        self.probability_bars = ProbabilityBars()
        bars_scroll = QScrollArea()
        bars_scroll.setWidget(self.probability_bars)
        bars_scroll.setWidgetResizable(True)
        bars_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.saliency = SaliencyView()
        self.saliency.settings_changed.connect(self._on_saliency_settings_changed)
        layout.addWidget(self.label_view)
        layout.addWidget(self.score_view)
        layout.addWidget(self.saliency)
        layout.addWidget(bars_scroll, 1)
        self._classification_page = page
        self.results.addWidget(page)

        # multi-label: a bar per label with its threshold (widgets/multilabel_view.py)
        self.multilabel_view = MultiLabelView()
        self.results.addWidget(self.multilabel_view)

        # token classification
        self.tags_view = QLabel()
        self.tags_view.setWordWrap(True)
        self.tags_view.setTextFormat(Qt.TextFormat.RichText)
        self.tags_view.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.tags_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tags_view.setToolTip(
            self.tr("Each word with its predicted tag; words tagged O (outside any entity) are plain.")
        )
        tags_scroll = QScrollArea()
        tags_scroll.setWidget(self.tags_view)
        tags_scroll.setWidgetResizable(True)
        tags_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._tags_page = tags_scroll
        self.results.addWidget(tags_scroll)

        # masked LM: one group of bars per [MASK], rebuilt for each result
        self._fillers_box = QWidget()
        self._fillers_layout = QVBoxLayout(self._fillers_box)
        self._fillers_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._fillers_bars: list[ProbabilityBars] = []
        fill_scroll = QScrollArea()
        fill_scroll.setWidget(self._fillers_box)
        fill_scroll.setWidgetResizable(True)
        fill_scroll.setFrameShape(QFrame.Shape.NoFrame)
        fill_scroll.setToolTip(self.tr("The most likely words for each [MASK], with their probabilities."))
        self._fillers_page = fill_scroll
        self.results.addWidget(fill_scroll)

        # causal LM
        self.continuation_view = QTextBrowser()
        self.continuation_view.setToolTip(
            self.tr("The prompt, followed by the generated text (highlighted).")
        )
        self._causal_page = self.continuation_view
        self.results.addWidget(self.continuation_view)
        # Sampling settings, Stop (Esc) and token-by-token streaming into the view above.
        self.generation = GenerationControls(
            self.continuation_view, max_new_spin=self.max_new_spin, shortcut_host=self
        )
        self.generation.finished.connect(self._on_predictions_result)
        self.generation.failed.connect(self._on_predictions_error)
        options.insertWidget(options.count() - 1, self.generation)

        # sequence to sequence: the text generated from the input (a translation, a summary, a reply)
        self.output_view = QTextBrowser()
        self.output_view.setToolTip(self.tr("The text the model generated from yours."))
        self.results.addWidget(self.output_view)
        # Decoding settings, Stop (Esc) and the output streamed into the view above.
        self.seq2seq = Seq2SeqControls(self.output_view, max_new_spin=self.max_new_spin, shortcut_host=self)
        self.seq2seq.finished.connect(self._on_seq2seq_result)
        self.seq2seq.failed.connect(self._on_predictions_error)
        options.insertWidget(options.count() - 1, self.seq2seq)
        # A conversation (TaskView.chat): the turns so far, which each reply follows.
        self.chat_view = ChatView()
        self.chat_view.cleared.connect(self._clear_results)

        layout = QVBoxLayout(self)
        layout.addLayout(model_row)
        layout.addWidget(self.origin_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.chat_view, 1)
        layout.addWidget(self.text_edit)
        layout.addLayout(options)
        layout.addWidget(self.status_label)
        layout.addWidget(self.results, 1)
        # Question answering: a context box and a question line instead of one text (shown per task).
        self.qa_playground = QAPlayground()
        layout.addWidget(self.qa_playground, 1)

        self.model_edit.returnPressed.connect(self._on_load_button_clicked)
        self.load_button.clicked.connect(self._on_load_button_clicked)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.text_edit.textChanged.connect(self._on_text_edit_changed)
        self.generate_button.clicked.connect(self.predict_now)
        self.top_k_spin.valueChanged.connect(self._on_options_changed)
        # Ctrl+Enter in the text box itself (an event filter: works without window focus rules) ...
        self.text_edit.installEventFilter(self)
        # ... and anywhere else in the panel.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.predict_now)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.predict_now()
            return True
        return super().eventFilter(watched, event)

    # ---- slots ----------------------------------------------------------------------------

    def _on_load_button_clicked(self) -> None:
        self.set_model(self.model_edit.text())

    def _on_browse_button_clicked(self) -> None:
        settings = QSettings()
        start = start_folder(settings.value(_SETTINGS_DIR), Path.cwd())
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a run folder or a model folder"), start
        )
        if folder:
            remember_folder(_SETTINGS_DIR, Path(folder).parent, settings)
            self.set_model(folder)

    def _on_text_edit_changed(self) -> None:
        if self._view is not None and not self._view.live:
            return  # e.g. generation: on request only
        self._debounce.start()  # restarts: only a pause in typing predicts

    def _on_debounce_timeout(self) -> None:
        self.predict_now()

    def _on_options_changed(self, _value: int) -> None:
        if self._view is not None and self._view.top_k and self.text().strip():
            self._debounce.start()

    def _on_loader_result(self, predictor: Any) -> None:
        self.set_predictor(predictor)
        if self._pending_origin is not None:
            self.origin_label.show_line(self._pending_origin)
            self._model_origin = self._pending_origin
        self._pending_origin = None
        self.model_loaded.emit(predictor)

    def _on_loader_error(self, message: str) -> None:
        self._show_error("<b>{}</b> {}".format(self.tr("Could not load the model."), html.escape(message)))
        if self._predictor is None:  # else the line still names the model in use
            self.origin_label.show_line(lambda: self.tr("No model loaded"))
        self._pending_origin = None
        self._update_status_idle()

    def _on_predictions_result(self, value: tuple[Any, str, dict[str, Any], float]) -> None:
        predictor, text, result, ms = value
        if predictor is not self._predictor:  # the live source handed over newer weights
            self._predictor = predictor
            self._update_task_ui()
        self._hide_banner()
        self.last_result, self.last_text = result, text
        self._update_results(result)
        self.status_label.setText(f"{self._model_line()} · {ms:.0f} ms")
        self._explain(predictor, text)
        self.prediction_ready.emit(predictor, text, result)

    def _on_seq2seq_result(self, value: tuple[Any, str, dict[str, Any], float]) -> None:
        predictor, text, result, _ms = value
        if self._view is not None and self._view.chat:
            # The turn and its reply join the conversation; the box is free for the next turn.
            self.chat_view.add_exchange(text, result["output"], getattr(predictor, "meta", {}) or {})
            self.text_edit.blockSignals(True)
            self.text_edit.clear()
            self.text_edit.blockSignals(False)
        self._on_predictions_result(value)

    def _explain(self, predictor: Any, text: str) -> None:
        """Saliency for the text just predicted, when asked for (a second worker: prediction stays fast)."""
        view = view_for(getattr(predictor, "task", None))
        if not self.saliency.enabled or view is None or not view.explains:
            return
        self.saliency.set_labels(list(predictor.label_names))
        self.saliency.show_busy()
        self._explanations.run(
            _explain_job, predictor, text, self.saliency.target,
            on_result=self._on_explanations_result, on_error=self.saliency.show_error,
        )

    def _on_explanations_result(self, attribution: Any) -> None:
        self.saliency.show_attribution(attribution)
        self.saliency_ready.emit(attribution)

    def _on_saliency_settings_changed(self) -> None:
        if self.last_text is not None and self._predictor is not None:
            self._explain(self._predictor, self.last_text)

    def _on_predictions_error(self, message: str) -> None:
        self._show_hint(html.escape(message))
        self._update_status_idle()

    # ---- refreshes -------------------------------------------------------------------------

    def _origin_of(self, predictor: Any) -> str:
        """The model line for a predictor handed over as it is (no run status known)."""
        if predictor is None:
            return self.tr("No model loaded")
        spec = str(getattr(getattr(predictor, "source", None), "spec", "") or "")
        return self.tr("Model: {spec}").format(spec=spec or model_name(predictor))

    def _model_line(self) -> str:
        p = self._predictor
        if p is None:
            return self.tr("No model loaded")
        view = view_for(p.task)
        task = view.title() if view is not None else (p.task or self.tr("attention only"))
        line = f"<b>{html.escape(model_name(p))}</b> · {task}"
        if labelled(p.task) and p.label_names:
            line += " · " + self.tr("{count} labels").format(count=len(p.label_names))
        return line

    def _update_status_idle(self) -> None:
        if self._predictor is None and self._live_source is None:
            self.status_label.setText(
                self.tr("No model loaded: give a run folder, a model folder or a hub id above.")
            )
        else:
            self.status_label.setText(self._model_line())

    def _update_task_ui(self) -> None:
        task = getattr(self._predictor, "task", None)
        changed = task != self._task
        self._task = task
        view = self._view = view_for(task)
        if view is not None:
            placeholder = view.placeholder
        elif self._predictor is None:
            placeholder = NO_MODEL_PLACEHOLDER
        elif task is None:
            placeholder = ATTENTION_ONLY_PLACEHOLDER
        else:  # a task this GUI has no view for: the plain text box still predicts
            placeholder = view_for("classification").placeholder
        self.text_edit.setPlaceholderText(self.tr(placeholder))
        self.top_k_spin.setVisible(view is not None and view.top_k)
        generation = self._playground(Playground.GENERATION)
        output = self._playground(Playground.OUTPUT)
        self.max_new_spin.setVisible(generation or output)
        self.generate_button.setVisible(generation or (output and view is not None and not view.live))
        self.generation.setVisible(generation)
        self.seq2seq.setVisible(output)
        chat = output and view is not None and view.chat
        self.chat_view.setVisible(chat)
        if changed:
            self.chat_view.clear()  # another task: another conversation
        qa = self._playground(Playground.QUESTION_ANSWERING)
        self.qa_playground.setVisible(qa)
        self.qa_playground.set_predictor(self._predictor if qa else None)
        self.text_edit.setVisible(not qa)
        self.results.setVisible(not qa)
        if changed:
            self._clear_results()

    def _playground(self, playground: Playground) -> bool:
        """Whether the loaded model's task shows its prediction in ``playground``."""
        return self._view is not None and self._view.playground is playground

    def _clear_results(self) -> None:
        self.last_result = self.last_text = None
        self.results.setCurrentWidget(self._empty_page)
        self.probability_bars.clear()
        self.label_view.clear()
        self.score_view.clear()
        self.tags_view.clear()
        self.tag_chips = []
        self.continuation_view.clear()
        self.output_view.clear()
        self._set_fillers([])
        self.multilabel_view.clear()

    def _update_results(self, result: dict[str, Any]) -> None:
        """Draw ``result`` in the result page of the task's playground (the QA playground draws its own)."""
        draw = {
            Playground.LABEL_BARS: self._show_label_bars,
            Playground.LABEL_SET: self._show_label_set,
            Playground.TAG_CHIPS: self._show_tag_chips,
            Playground.FILLERS: self._show_fillers,
            Playground.GENERATION: self._show_generation,
            Playground.OUTPUT: self._show_output,
        }.get(self._view.playground) if self._view is not None else None
        if draw is not None:
            draw(result)

    def _show_label_bars(self, result: dict[str, Any]) -> None:
        self.label_view.setText(html.escape(str(result["label"])))
        self.score_view.setText(
            self.tr("probability {probability}").format(probability=f"{result['score']:.1%}")
        )
        self.probability_bars.set_items(result["probabilities"].items())
        self.results.setCurrentWidget(self._classification_page)

    def _show_label_set(self, result: dict[str, Any]) -> None:
        self.multilabel_view.set_result(result)
        self.results.setCurrentWidget(self.multilabel_view)

    def _show_tag_chips(self, result: dict[str, Any]) -> None:
        self.tags_view.setText(self._tags_html(result["words"], result["tags"]))
        self.results.setCurrentWidget(self._tags_page)

    def _show_fillers(self, result: dict[str, Any]) -> None:
        self._set_fillers(result["masks"])
        self.results.setCurrentWidget(self._fillers_page)

    def _show_generation(self, result: dict[str, Any]) -> None:
        prompt = html.escape(result.get("text", self.last_text or ""))
        generated = html.escape(result["continuation"])
        self.continuation_view.setHtml(
            f"<p style='font-size:12pt; white-space:pre-wrap'>{prompt}"
            f"<span style='background-color:#d3f9d8; color:#1b4d2b'>{generated}</span></p>"
        )
        self.results.setCurrentWidget(self._causal_page)

    def _show_output(self, result: dict[str, Any]) -> None:
        output = html.escape(result["output"]) or "<i>{}</i>".format(html.escape(self.tr("(nothing: the model ended at once)")))
        self.output_view.setHtml(f"<p style='font-size:13pt; white-space:pre-wrap'>{output}</p>")
        self.results.setCurrentWidget(self.output_view)

    def _set_fillers(self, masks: list[list[dict[str, Any]]]) -> None:
        while self._fillers_layout.count():
            item = self._fillers_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._fillers_bars = []
        for index, fillers in enumerate(masks, start=1):
            title = QLabel(f"<b>[MASK] {index}</b>" if len(masks) > 1 else "<b>[MASK]</b>")
            bars = ProbabilityBars(top=max(len(fillers), 1))
            bars.set_items((f["token"] or "∅", f["score"]) for f in fillers)
            bars.setToolTip(
                self.tr("The model's most likely words for this [MASK] and their probabilities.")
            )
            self._fillers_layout.addWidget(title)
            self._fillers_layout.addWidget(bars)
            self._fillers_bars.append(bars)

    def filler_bars(self) -> list[ProbabilityBars]:
        """The bar charts shown for the masks, in order (for tests and the tour)."""
        return list(self._fillers_bars)

    def _tags_html(self, words: list[str], tags: list[str]) -> str:
        types = []
        for name in getattr(self._predictor, "label_names", []) or []:
            kind = entity_type(name)
            if name != "O" and kind not in types:
                types.append(kind)
        colours = {kind: TAG_COLOURS[i % len(TAG_COLOURS)] for i, kind in enumerate(types)}
        parts = []
        self.tag_chips = []
        for word, tag in zip(words, tags):
            w = html.escape(word)
            if tag in ("O", ""):
                style = "color:#999" if tag == "" else ""
                title = " " + self.tr("(cut off: beyond the model's maximum length)") if tag == "" else ""
                parts.append(f"<span style='{style}'>{w}{title}</span>")
                continue
            colour = colours.get(entity_type(tag), "#e9ecef")
            self.tag_chips.append((word, tag))
            parts.append(
                f"<span style='background-color:{colour}; color:#111'>&nbsp;{w}&nbsp;"
                f"<span style='font-size:small; color:#444'>{html.escape(tag)}</span>&nbsp;</span>"
            )
        legend = " ".join(
            f"<span style='background-color:{c}'>&nbsp;{html.escape(k)}&nbsp;</span>"
            for k, c in colours.items()
        )
        body = " ".join(parts) or "<i>{}</i>".format(self.tr("no words"))
        types_line = self.tr("Entity types: {legend}").format(legend=legend or self.tr("none"))
        return (
            f"<p style='font-size:13pt; line-height:170%'>{body}</p>"
            f"<p style='color:#666'>{types_line}</p>"
        )

    def _show_error(self, rich: str) -> None:
        self.banner.setStyleSheet(_ERROR_STYLE)
        self.banner.setText(rich)
        self.banner.show()

    def _show_hint(self, rich: str) -> None:
        self.banner.setStyleSheet(_HINT_STYLE)
        self.banner.setText(rich)
        self.banner.show()

    def _hide_banner(self) -> None:
        self.banner.hide()
        self.banner.clear()


def main(argv: list[str] | None = None) -> int:
    """Show the panel on its own: ``python -m workbench.gui.panels.prediction_panel [MODEL] [TEXT]``."""
    from workbench.gui.app import create_app, exec_panel

    argv = list(sys.argv[1:] if argv is None else argv)
    create_app()
    panel = PredictionPanel()
    if argv:
        panel.set_model(argv[0])
    if len(argv) > 1:
        panel.set_text(argv[1])
    return exec_panel(panel, translate("MainWindow", "Prediction"), (900, 650))


if __name__ == "__main__":
    raise SystemExit(main())
