"""What-if: edit a sentence and see, side by side, how the classifier's view changes.

Two columns, "Original" (read-only) and "Edited" (editable). Under each: the
predicted label and probability bars, the saliency as coloured words (both sides
explain the *original's* predicted label, named above the text, so colours mean
the same thing; a legend gives each side's scale) and the last layer's attention
averaged over heads. A summary line on top says whether
the label flipped, or how much the original label's probability moved. Words
the edit inserted or replaced (any of their tokens) are underlined on the edited
side; words it deleted or replaced are struck through on the original side.

The comparison runs in a worker (``TaskRunner``: the newest edit wins) 400 ms
after typing stops. This module imports no torch: the engine is imported inside
the worker function.

Run alone:  python -m workbench.gui.panels.whatif_panel RUN_OR_MODEL_DIR ["original text"]
"""

from __future__ import annotations

import html
import re
import sys
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.inspection.attention import display_tokens
from workbench.gui.i18n import translate
from workbench.gui.tasks import view_for
from workbench.gui.widgets.heatmap import AttentionHeatmap
from workbench.gui.widgets.prob_bars import ProbabilityBars
from workbench.gui.widgets.saliency_view import (
    SaliencyLegend,
    saliency_html,
    word_scale,
    words_html,
)
from workbench.gui.workers import TaskRunner

DEBOUNCE_MS = 400  # the brief's pause: a whole word is usually typed before a (costly, 2x IG) recompute
INSERTED_STYLE = "text-decoration: underline; font-weight: bold;"
DELETED_STYLE = "text-decoration: line-through;"
_SUMMARY_CHANGED = "background-color: #ffe08a; color: #5a3b00; padding: 4px; font-weight: bold;"
_SUMMARY_SAME = "padding: 4px;"
_SPAN = re.compile(r'<span style="')


def marked_saliency_html(
    tokens: list[str],
    attributions: np.ndarray,
    special: np.ndarray | None,
    marked: set[int],
    style: str = INSERTED_STYLE,
    words: list[Any] | None = None,
) -> str:
    """Saliency as rich text with extra ``style`` on the content tokens whose index is in ``marked``.

    Indices count non-special tokens, as ``WhatIf.token_ops`` does. With ``words``
    (``Attribution.words``) the text is drawn word by word and a word is marked when
    any of its tokens is; without, token by token (``saliency_html``).
    """
    if words is not None:
        content = [i for i in range(len(tokens)) if special is None or not special[i]]
        positions = {content[k] for k in marked if 0 <= k < len(content)}
        chosen = {w for w, word in enumerate(words) if positions.intersection(word.tokens)}
        return words_html(words, chosen, style)
    text = saliency_html(tokens, attributions, special)
    if not marked:
        return text
    count = -1

    def _mark(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return match.group(0) + style + " " if count in marked else match.group(0)

    return _SPAN.sub(_mark, text)


def _signed(value: float) -> str:
    return f"{value:+.3f}".replace("-", "−")  # a real minus sign; 3 places: small edits move little


def summary_text(result: Any) -> str:
    """"label changed: positive → negative" or "same label (positive); P(positive) −0.23"."""
    before, after = result.original.label, result.edited.label
    if result.label_changed:
        return translate("WhatIfPanel", "label changed: {before} → {after}").format(before=before, after=after)
    change = result.probability_change.get(before, 0.0)
    return translate("WhatIfPanel", "same label ({label}); P({label}) {change}").format(
        label=before, change=_signed(change)
    )


def _compute_whatif(predictor: Any, original: str, edited: str) -> Any:
    from workbench.engine.inspection.whatif import what_if

    return what_if(predictor, original, edited)


class _SideView(QWidget):
    """One column: text box, predicted label, probability bars, saliency text, attention map."""

    def __init__(self, title: str, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(f"<b>{title}</b>")
        self.text_edit = QPlainTextEdit()
        self.text_edit.setReadOnly(not editable)
        self.text_edit.setFixedHeight(64)
        self.label_view = QLabel("—")
        self.label_view.setTextFormat(Qt.TextFormat.RichText)
        self.label_view.setToolTip(self.tr("The label the model predicts for this text, with its probability."))
        self.bars = ProbabilityBars(top=5)
        self.saliency_title = QLabel()
        self.saliency_title.setTextFormat(Qt.TextFormat.RichText)
        self.saliency_title.setToolTip(self.tr(
            "The label the saliency below explains: the original's prediction, on both sides."
        ))
        self.saliency_view = QLabel()
        self.saliency_view.setTextFormat(Qt.TextFormat.RichText)
        self.saliency_view.setWordWrap(True)
        self.saliency_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saliency_view.setFrameShape(QFrame.Shape.StyledPanel)
        self.saliency_view.setMinimumHeight(40)
        self.saliency_view.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.saliency_view.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.legend = SaliencyLegend()
        self.legend.hide()  # until there is a saliency to explain
        self.heatmap = AttentionHeatmap()
        self.heatmap.set_empty_hint(self.tr("Give a sentence to compare to see its attention here."))
        self.heatmap.setMinimumHeight(220)
        self.heatmap.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.label_view)
        layout.addWidget(self.bars)
        layout.addWidget(self.saliency_title)
        layout.addWidget(self.saliency_view)
        layout.addWidget(self.legend)
        layout.addWidget(self.heatmap, 1)

    def show_side(self, side: Any, marked: set[int], style: str) -> None:
        self.label_view.setText(
            self.tr("predicted: {label} ({probability})").format(
                label=f"<b>{html.escape(side.label)}</b>", probability=f"{side.probabilities[side.label]:.1%}"
            )
        )
        self.bars.set_items(side.probabilities.items())
        a = side.attribution
        words = a.words
        self.saliency_title.setText(
            self.tr("Saliency for: {label}").format(label=f"<b>{html.escape(a.target)}</b>")
        )
        self.saliency_view.setText(
            marked_saliency_html(a.tokens, a.attributions, a.special, marked, style, words)
        )
        self.legend.set_scale(word_scale(words), a.target)
        self.legend.show()
        self.heatmap.setVisible(side.attention is not None)
        if side.attention is not None:
            self.heatmap.set_matrix(side.attention, display_tokens(side.tokens))
            self.heatmap.set_title(self.tr("last layer, mean over heads"))

    def clear(self) -> None:
        self.label_view.setText("—")
        self.bars.clear()
        self.saliency_title.setText("")
        self.saliency_view.setText("")
        self.legend.hide()
        # AttentionHeatmap.clear() (not GraphicsLayoutWidget's, which empties the layout for good).
        self.heatmap.clear()


class WhatIfPanel(QWidget):
    """Compare a sentence with an edited version of it: label, probabilities, saliency, attention."""

    computed = Signal(object)  # the WhatIf of the newest edit

    def __init__(self, predictor: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._predictor: Any = None
        self.result: Any = None
        self._runner = TaskRunner(self)
        self._debounce = QTimer(self)
        self._debounce.setObjectName("whatif debounce")
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)

        self.summary = QLabel(self.tr("Load a classifier and give a sentence to compare."))
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet(_SUMMARY_SAME)
        self.summary.setToolTip(self.tr(
            "Whether the edit changed the predicted label; if not, how much the original label's "
            "probability moved (edited − original)."
        ))
        self.status = QLabel("")
        self.status.setStyleSheet("color: gray;")
        self.status.setToolTip(self.tr("Progress and errors of the comparison."))
        self.compute_button = QPushButton(self.tr("Compare"))
        self.compute_button.setToolTip(self.tr(
            "Recompute now (it also runs {ms} ms after you stop typing in the edited box)."
        ).format(ms=DEBOUNCE_MS))

        self.original_view = _SideView(self.tr("Original"), editable=False)
        self.edited_view = _SideView(self.tr("Edited"), editable=True)
        self.original_view.text_edit.setToolTip(self.tr(
            "The sentence as given (read-only). Struck-through tokens below were deleted or replaced by the edit."
        ))
        self.edited_view.text_edit.setToolTip(self.tr(
            "Edit the sentence here; the comparison updates when you stop typing."
        ))
        self.edited_view.text_edit.setPlaceholderText(self.tr("Type an edited version of the sentence…"))
        saliency_tip = self.tr(
            "Integrated-gradients saliency for the original's predicted label on both sides, so the colours "
            "are comparable. Green: pushed towards that label; red: away from it."
        )
        self.original_view.saliency_view.setToolTip(
            saliency_tip + "\n" + self.tr("Struck through: deleted or replaced by the edit.")
        )
        self.edited_view.saliency_view.setToolTip(
            saliency_tip + "\n" + self.tr("Underlined bold: inserted or replaced by the edit.")
        )
        for view in (self.original_view, self.edited_view):
            view.heatmap.setToolTip(self.tr(
                "Attention of the last layer, averaged over heads: each row is a token attending (query), "
                "each column a token attended to (key). Rows sum to 1."
            ))

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.status)
        top.addWidget(self.compute_button)
        columns = QGridLayout()
        columns.addWidget(self.original_view, 0, 0)
        columns.addWidget(self.edited_view, 0, 1)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(columns, 1)

        self.edited_view.text_edit.textChanged.connect(self._on_edited_text_changed)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.compute_button.clicked.connect(self._on_compute_button_clicked)
        if predictor is not None:
            self.set_predictor(predictor)

    # ---- API ----------------------------------------------------------------------------

    @property
    def predictor(self) -> Any:
        return self._predictor

    def set_predictor(self, predictor: Any) -> None:
        self._predictor = predictor
        if self.original_text():
            self.compute()

    def set_original(self, text: str) -> None:
        """Show ``text`` as the original and copy it into the edited box, then compare."""
        self.original_view.text_edit.setPlainText(text)
        edit = self.edited_view.text_edit
        edit.blockSignals(True)  # one comparison now, not another one 400 ms later
        edit.setPlainText(text)
        edit.blockSignals(False)
        self.compute()

    def original_text(self) -> str:
        return self.original_view.text_edit.toPlainText()

    def edited_text(self) -> str:
        return self.edited_view.text_edit.toPlainText()

    def compute(self) -> None:
        """Compare the original with the edited text in a worker; ``computed`` carries the result."""
        self._debounce.stop()
        if self._predictor is None:
            self.status.setText(self.tr("no model loaded"))
            return
        view = view_for(getattr(self._predictor, "task", "classification"))
        if view is None or not view.explains:  # what-if compares saliency towards a label
            self._show_error(self.tr("What-if needs a classification model; this one is for {task}.").format(
                task=self._predictor.task))
            return
        self.status.setText(self.tr("comparing…"))
        self._runner.run(
            _compute_whatif,
            self._predictor,
            self.original_text(),
            self.edited_text(),
            on_result=self._on_worker_result,
            on_error=self._on_worker_error,
        )

    def shutdown(self) -> None:
        self._debounce.stop()
        self._runner.shutdown()

    # ---- slots --------------------------------------------------------------------------

    def _on_edited_text_changed(self) -> None:
        self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        self.compute()

    def _on_compute_button_clicked(self) -> None:
        self.compute()

    def _on_worker_result(self, result: Any) -> None:
        self.result = result
        self.status.setText("")
        self._update_summary()
        self.original_view.show_side(result.original, result.original_changed(), DELETED_STYLE)
        self.edited_view.show_side(result.edited, result.edited_changed(), INSERTED_STYLE)
        self.computed.emit(result)

    def _on_worker_error(self, message: str) -> None:
        self._show_error(message)

    # ---- refresh ------------------------------------------------------------------------

    def _update_summary(self) -> None:
        result = self.result
        self.summary.setText(summary_text(result))
        self.summary.setStyleSheet(_SUMMARY_CHANGED if result.label_changed else _SUMMARY_SAME)

    def _show_error(self, message: str) -> None:
        self.status.setText("")
        self.summary.setText(message)
        self.summary.setStyleSheet("color: #b00020; padding: 4px;")


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    argv = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication(sys.argv[:1])
    panel = WhatIfPanel()
    if argv:
        from workbench.engine.inference import Predictor

        panel.set_predictor(Predictor.load(argv[0]))
        panel.set_original(argv[1] if len(argv) > 1 else "a good film with a clever story")
    panel.resize(1300, 800)
    panel.show()
    code = app.exec()
    panel.shutdown()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
