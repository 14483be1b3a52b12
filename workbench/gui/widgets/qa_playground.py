"""The question-answering playground: paste a context, ask a question, see the answer in place.

The answer is highlighted inside the context box itself (an extra selection, so
the text stays editable), with its score; when "no answer" wins, the panel says
so with the null score, and the best rejected span is marked in grey so the
user sees what the model almost said. Answers are computed in a worker
(``TaskRunner``): asking again supersedes a running question, and nothing
heavier than drawing happens on the main thread.

The prediction panel shows this widget instead of its text box when the model
is a question-answering model. Run alone:
``python -m workbench.gui.widgets.qa_playground RUN_OR_MODEL_DIR``.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.errors import WorkbenchError
from workbench.gui.i18n import translate
from workbench.gui.workers import TaskRunner

ANSWER_COLOUR = "#ffe066"  # yellow marker: the answer
CANDIDATE_COLOUR = "#dee2e6"  # grey: the best span, rejected in favour of "no answer"
_SETTINGS_CONTEXT = "qa_playground/context"
_SETTINGS_QUESTION = "qa_playground/question"
# A context longer than this is not remembered between launches (the settings file is no archive).
_REMEMBER_CHARS = 20_000
_ERROR_STYLE = "QLabel { background: #ffe3e3; color: #8a1c1c; padding: 6px 8px; border-radius: 3px; }"


def answer_job(
    predictor: Any, live_source: Callable[[], Any] | None, question: str, context: str,
    threshold: float | None,
) -> tuple[Any, str, str, dict[str, Any], float]:
    """Worker: (predictor used, question, context, result, milliseconds)."""
    if live_source is not None:
        fresh = live_source()  # a snapshot of the model being trained: the latest weights
        if fresh is not None:
            predictor = fresh
    if predictor is None:
        # Written by the GUI, not the engine: translated (translate() is thread-safe).
        raise WorkbenchError(translate(
            "QAPlayground", "No model loaded yet: load a question-answering run or model folder first."
        ))
    start = time.perf_counter()
    result = predictor.predict_answer(question, context, null_threshold=threshold)
    return predictor, question, context, result, (time.perf_counter() - start) * 1000.0


def load_job(spec: str) -> Any:
    """Worker: load a model (reads files, builds torch modules)."""
    from workbench.engine.inference import Predictor

    return Predictor.load(spec)


def utf16_offset(text: str, index: int) -> int:
    """Python's code-point index -> Qt's position (UTF-16 units: emoji count twice)."""
    if text.isascii():
        return index
    return len(text[:index].encode("utf-16-le")) // 2


class QAPlayground(QWidget):
    """Context box, question line, Ask (Enter); the answer highlighted in the context with its score."""

    answer_ready = Signal(object)  # the engine's answer dict, after each successful question

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._predictor: Any = None
        self._live_source: Callable[[], Any] | None = None
        self._runner = TaskRunner(self)
        self._loader = TaskRunner(self)  # only for load() (the prediction panel loads its own models)
        self._runner.busy_changed.connect(self._on_runner_busy_changed)
        self.last_result: dict[str, Any] | None = None
        # The margin in use: the model's own (exact, not the spin box's rounding) until the user sets one.
        self.threshold = 0.0
        # (start, end, "answer" | "candidate") of the span marked in the context, in Python indices
        self.highlight: tuple[int, int, str] | None = None
        self._build()
        self._restore()

    # ---- public API -------------------------------------------------------------------

    def set_predictor(self, predictor: Any) -> None:
        """Answer with ``predictor`` (a question-answering ``Predictor``) from now on; None to clear."""
        changed = predictor is not self._predictor
        if changed:
            self._runner.cancel()  # an answer of the previous model must not land after this
        self._predictor = predictor
        if changed and predictor is not None:
            self.threshold = float(getattr(predictor, "null_threshold", 0.0))
            self.threshold_spin.blockSignals(True)
            self.threshold_spin.setValue(self.threshold)
            self.threshold_spin.blockSignals(False)
        self._update_enabled()

    def set_live_source(self, fn: Callable[[], Any] | None) -> None:
        """``fn`` runs in the worker before each question; a Predictor it returns replaces the current one."""
        self._live_source = fn
        self._update_enabled()

    def set_context(self, text: str) -> None:
        self.context_edit.setPlainText(text)

    def context(self) -> str:
        return self.context_edit.toPlainText()

    def set_question(self, text: str) -> None:
        self.question_edit.setText(text)

    def question(self) -> str:
        return self.question_edit.text()

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def ask(self) -> None:
        """Answer the question from the context in a worker (Enter in the question line, or Ask)."""
        question, context = self.question().strip(), self.context()
        if self._predictor is None and self._live_source is None:
            self._show_status(self.tr("No model yet: load a question-answering run or model folder above."))
            return
        if not context.strip():
            self._show_status(self.tr("Paste a context first: the text the answer should be found in."))
            self.context_edit.setFocus()
            return
        if not question:
            self._show_status(self.tr("Type a question about the context, then press Enter."))
            self.question_edit.setFocus()
            return
        self._remember(question, context)
        self._show_status(self.tr("Answering…"))
        self._runner.run(
            answer_job, self._predictor, self._live_source, question, context, self.threshold,
            on_result=self._on_runner_result, on_error=self._on_runner_error,
        )

    def cancel(self) -> None:
        """Drop the question being answered (Esc)."""
        if self._runner.busy:
            self._runner.cancel()
            self._show_status(self.tr("Cancelled."))

    def load(self, spec: str) -> None:
        """Load ``spec`` (run folder, model folder) in a worker and answer with it."""
        self._show_status(self.tr("Loading {spec}…").format(spec=spec))
        self._loader.run(load_job, spec, on_result=self._on_loader_result, on_error=self._on_runner_error)

    def shutdown(self) -> None:
        self._runner.shutdown()
        self._loader.shutdown()

    def highlighted_text(self) -> str:
        """The characters marked in the context ("" when nothing is)."""
        if self.highlight is None:
            return ""
        start, end, _kind = self.highlight
        return self.context()[start:end]

    # ---- UI ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.context_edit = QPlainTextEdit()
        self.context_edit.setPlaceholderText(
            self.tr("Paste a context here: the paragraph the answer should be found in…")
        )
        self.context_edit.setToolTip(self.tr(
            "The text to search. Paste any length: long texts are read in overlapping windows. "
            "The answer is highlighted here in yellow (grey: the best span, when 'no answer' won). "
            "Ctrl+Enter asks."
        ))
        self.question_edit = QLineEdit()
        self.question_edit.setPlaceholderText(self.tr("Ask a question about the context, then press Enter"))
        self.question_edit.setToolTip(self.tr("Your question. Enter asks it; Esc cancels a running answer."))
        self.ask_button = QPushButton(self.tr("Ask"))
        self.ask_button.setToolTip(
            self.tr("Find the answer in the context (Enter in the question, or Ctrl+Enter)")
        )
        self.threshold_spin = QDoubleSpinBox()
        self.threshold_spin.setRange(-100.0, 100.0)
        self.threshold_spin.setDecimals(2)
        self.threshold_spin.setSingleStep(0.5)
        self.threshold_spin.setPrefix(self.tr("no-answer margin "))
        self.threshold_spin.setToolTip(self.tr(
            "Answer 'no answer' when the no-answer score beats the best span's score by more than this. "
            "Higher: answers more often. Starts at the model's own value (tuned on its validation data "
            "when the run had some)."
        ))
        question_row = QHBoxLayout()
        question_row.addWidget(QLabel(self.tr("Question:")))
        question_row.addWidget(self.question_edit, 1)
        question_row.addWidget(self.threshold_spin)
        question_row.addWidget(self.ask_button)

        self.answer_label = QLabel()
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), 9) + 6)
        font.setBold(True)
        self.answer_label.setFont(font)
        self.answer_label.setWordWrap(True)
        self.answer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer_label.setToolTip(self.tr("The answer the model found in the context."))
        self.score_label = QLabel()
        self.score_label.setWordWrap(True)
        self.score_label.setToolTip(self.tr(
            "score: start + end logit of the answer span; probability: its share among the top "
            "candidates and 'no answer'; no-answer score: start + end logit of the [CLS] position."
        ))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setToolTip(
            self.tr("What the playground is doing, and how long the last answer took.")
        )

        title = QLabel("<b>{}</b>".format(self.tr("Context")))
        title.setBuddy(self.context_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.context_edit, 1)
        layout.addLayout(question_row)
        layout.addWidget(self.answer_label)
        layout.addWidget(self.score_label)
        layout.addWidget(self.status_label)

        self.question_edit.returnPressed.connect(self.ask)
        self.ask_button.clicked.connect(self.ask)
        self.context_edit.textChanged.connect(self._on_context_edit_changed)
        self.threshold_spin.valueChanged.connect(self._on_threshold_spin_changed)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.ask)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancel)
        self._update_enabled()

    def _restore(self) -> None:
        settings = QSettings()
        self.context_edit.setPlainText(str(settings.value(_SETTINGS_CONTEXT, "") or ""))
        self.question_edit.setText(str(settings.value(_SETTINGS_QUESTION, "") or ""))

    @staticmethod
    def _remember(question: str, context: str) -> None:
        settings = QSettings()
        settings.setValue(_SETTINGS_QUESTION, question)
        if len(context) <= _REMEMBER_CHARS:
            settings.setValue(_SETTINGS_CONTEXT, context)

    # ---- slots ----------------------------------------------------------------------------

    def _on_context_edit_changed(self) -> None:
        if self.highlight is not None:  # the offsets belong to the old text
            self._set_highlight(None)
            self.answer_label.clear()
            self.score_label.setText(self.tr("The context changed: ask again."))

    def _on_threshold_spin_changed(self, value: float) -> None:
        self.threshold = float(value)
        if self.last_result is not None:  # re-answer with the new margin (supersedes a running one)
            self.ask()

    def _on_loader_result(self, predictor: Any) -> None:
        self.set_predictor(predictor)
        self._show_status(
            self.tr("Loaded a {task} model. Paste a context and ask.").format(task=predictor.task)
        )

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.ask_button.setText(self.tr("Answering…") if busy else self.tr("Ask"))

    def _on_runner_result(self, value: tuple[Any, str, str, dict[str, Any], float]) -> None:
        predictor, _question, context, result, ms = value
        self._predictor = predictor
        self.last_result = result
        self.status_label.setStyleSheet("")
        self.status_label.setText(
            self.tr("{windows} window(s) · {ms} ms").format(windows=result["windows"], ms=f"{ms:.0f}")
        )
        if context != self.context():  # edited while the model read it: the offsets no longer fit
            self._set_highlight(None)
            self.answer_label.clear()
            self.score_label.setText(self.tr("The context changed while answering: ask again."))
            return
        self._update_answer(result)
        self.answer_ready.emit(result)

    def _on_runner_error(self, message: str) -> None:
        self.status_label.setStyleSheet(_ERROR_STYLE)
        self.status_label.setText(html.escape(message))

    # ---- refreshes -------------------------------------------------------------------------

    def _update_enabled(self) -> None:
        has_model = self._predictor is not None or self._live_source is not None
        self.ask_button.setEnabled(has_model)
        if not has_model:
            self.status_label.setText(self.tr("Load a question-answering model to ask questions."))

    def _show_status(self, text: str) -> None:
        self.status_label.setStyleSheet("")
        self.status_label.setText(text)

    def _update_answer(self, result: dict[str, Any]) -> None:
        best = result.get("best_span") or {}
        if result["no_answer"]:
            self.answer_label.setText(
                "<span style='color:#868e96'><i>{}</i></span>".format(self.tr("No answer in this context"))
            )
            null = f"{result['null_score']:.2f}"
            if best.get("text"):
                text = self.tr(
                    "no-answer score {null} beats the best span “{span}” ({score}) by {margin}, "
                    "more than the margin {threshold}"
                ).format(
                    null=null, span=html.escape(best["text"]), score=f"{result['score']:.2f}",
                    margin=f"{result['null_score'] - result['score']:.2f}",
                    threshold=f"{result['null_threshold']:.2f}",
                )
                self._set_highlight((best["start"], best["end"], "candidate"))
            else:
                text = self.tr("no-answer score {null}").format(null=null)
                self._set_highlight(None)
            self.score_label.setText(text)
            return
        self.answer_label.setText(html.escape(result["answer"]))
        self.score_label.setText(
            self.tr("score {score} · probability {probability} · no-answer score {null}").format(
                score=f"{result['score']:.2f}", probability=f"{result['probability']:.0%}",
                null=f"{result['null_score']:.2f}",
            )
        )
        self._set_highlight((result["start"], result["end"], "answer"))

    def _set_highlight(self, span: tuple[int, int, str] | None) -> None:
        self.highlight = span
        if span is None:
            self.context_edit.setExtraSelections([])
            return
        start, end, kind = span
        text = self.context()
        cursor = QTextCursor(self.context_edit.document())
        cursor.setPosition(utf16_offset(text, start))
        cursor.setPosition(utf16_offset(text, end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor  # type: ignore[attr-defined]
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(ANSWER_COLOUR if kind == "answer" else CANDIDATE_COLOUR))
        if kind == "answer":
            fmt.setFontWeight(QFont.Weight.Bold)
        selection.format = fmt  # type: ignore[attr-defined]
        self.context_edit.setExtraSelections([selection])
        # Scroll to the answer without selecting it (the user's own selection stays).
        view = QTextCursor(self.context_edit.document())
        view.setPosition(utf16_offset(text, start))
        self.context_edit.setTextCursor(view)
        self.context_edit.ensureCursorVisible()


def main(argv: list[str] | None = None) -> int:
    """Show the playground on its own: ``python -m workbench.gui.widgets.qa_playground MODEL``."""
    from workbench.gui.app import create_app, exec_panel

    argv = list(sys.argv[1:] if argv is None else argv)
    create_app()
    playground = QAPlayground()
    if argv:
        playground.load(argv[0])
    return exec_panel(playground, translate("QAPlayground", "Question answering"), (900, 650))


if __name__ == "__main__":
    raise SystemExit(main())
