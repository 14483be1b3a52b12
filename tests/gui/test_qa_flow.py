"""Question answering in the app: open a SQuAD file, train a few steps, ask in the playground."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from tests.conftest import shared
from tests.gui.test_main_window import choose  # window: tests/gui/conftest.py
from workbench.gui.main_window import MainWindow
from workbench.gui.widgets.qa_playground import ANSWER_COLOUR, QAPlayground, utf16_offset

CONTEXT = (
    "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy, "
    "a region in France. They were descended from Norse raiders and pirates from Denmark, Iceland "
    "and Norway who, under their leader Rollo, agreed to swear fealty to King Charles III."
)


@pytest.fixture
def squad_small(tmp_path: Path) -> Path:
    doc = json.loads(shared("squad_v2_dev_subset", "dev-v2.0-first5articles.json").read_text(encoding="utf-8"))
    doc["data"] = [{"title": a["title"], "paragraphs": a["paragraphs"][:2]} for a in doc["data"][:2]]
    path = tmp_path / "squad small.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def ask(qtbot, playground: QAPlayground, question: str) -> dict:
    playground.question_edit.clear()
    with qtbot.waitSignal(playground.answer_ready, timeout=30_000) as blocker:
        qtbot.keyClicks(playground.question_edit, question)
        qtbot.keyClick(playground.question_edit, Qt.Key.Key_Return)
    return blocker.args[0]


def test_open_train_and_ask(qtbot, window: MainWindow, squad_small: Path) -> None:  # noqa: F811
    w = window
    d, m = w.dataset_panel, w.model_panel
    with qtbot.waitSignal(d.dataset_loaded, timeout=30_000):
        d.open_file(str(squad_small))
    qtbot.waitUntil(lambda: m.task_combo.currentData() == "question-answering", timeout=10_000)
    qtbot.waitUntil(lambda: d.task == "question-answering" and not d.busy, timeout=30_000)
    # The file shows one row per question, with its answer and context; two articles: train on
    # the first, validate on the second (whole articles, never half a paragraph).
    bundle = d.bundle
    assert d.table.format == "squad" and d.problems() == []
    assert d.table_model.rowCount() == len(bundle.train) + len(bundle.validation)
    headers = [d.table_model.headerData(i, Qt.Orientation.Horizontal) for i in range(d.table_model.columnCount())]
    assert "question  [text]" in headers and "context  [text pair]" in headers and "answer" in headers
    assert set(bundle.validation.titles) == {"Computational_complexity_theory"}
    assert "SQuAD" in d.summary_label.text() and "question-answering" in d.summary_label.text()
    assert m.max_length_spin.value() == 384  # QA's own default, since it was at the general one

    # A tiny run: a one-layer BERT from scratch, a few steps.
    choose(m.model_combo, "bert-tiny")
    m.layers_spin.setValue(1)
    m.vocab_spin.setValue(600)
    m.max_length_spin.setValue(64)
    m.steps_radio.click()
    m.steps_spin.setValue(4)
    m.batch_spin.setValue(16)
    qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=10_000)
    p = w.prediction_panel
    with qtbot.waitSignal(p.model_loaded, timeout=180_000):
        qtbot.mouseClick(w.training_panel.start_button, Qt.MouseButton.LeftButton)
    assert w.status_label.text() == "Finished"
    assert p.predictor.task == "question-answering"

    # The prediction panel is now the playground: context box + question line.
    w.show_panel("Prediction")
    playground = p.qa_playground
    assert playground.isVisible() and not p.text_edit.isVisible()
    assert playground.threshold == p.predictor.null_threshold  # the model's own, tuned on validation
    assert playground.threshold_spin.value() == pytest.approx(p.predictor.null_threshold, abs=0.01)
    playground.context_edit.setPlainText(CONTEXT)

    # A margin no null score beats: the best span is the answer, highlighted in the context.
    playground.threshold_spin.setValue(100.0)
    result = ask(qtbot, playground, "Who was the leader of the Normans?")
    assert not result["no_answer"] and result["answer"]
    assert playground.highlight == (result["start"], result["end"], "answer")
    assert playground.highlighted_text() == result["answer"] == CONTEXT[result["start"] : result["end"]]
    selection = playground.context_edit.extraSelections()[0]
    assert selection.cursor.selectedText() == result["answer"]
    assert selection.format.background().color().name() == ANSWER_COLOUR
    assert playground.answer_label.text() == result["answer"] and "score" in playground.score_label.text()

    # A margin every null score beats: "no answer in this context", with the null score.
    with qtbot.waitSignal(playground.answer_ready, timeout=30_000) as blocker:
        playground.threshold_spin.setValue(-100.0)  # changing the margin asks again
    none = blocker.args[0]
    assert none["no_answer"] and "No answer in this context" in playground.answer_label.text()
    assert f"{none['null_score']:.2f}" in playground.score_label.text()
    assert playground.highlight is not None and playground.highlight[2] == "candidate"

    # Editing the context drops the stale highlight; the question and context are remembered.
    playground.context_edit.appendPlainText(" More text.")
    assert playground.highlight is None and playground.context_edit.extraSelections() == []
    assert QSettings().value("qa_playground/question") == "Who was the leader of the Normans?"
    assert QSettings().value("qa_playground/context") == CONTEXT


def test_playground_asks_nothing_without_input(qtbot) -> None:
    playground = QAPlayground()
    qtbot.addWidget(playground)
    playground.ask()
    assert "load a question-answering" in playground.status_label.text().lower()
    assert not playground.ask_button.isEnabled() and not playground.busy
    playground.shutdown()


def test_highlight_lands_on_the_answer_after_emoji(qtbot, tmp_path: Path) -> None:
    """Qt counts UTF-16 units, Python code points: the marked text is still exactly the answer."""
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.models.saving import save_model_folder

    context = "🙂🙂 Rollo 🚀 ruled Normandy, 𝔞 region in France, from 911 on."
    model, tokenizer = build_from_scratch("bert-tiny", "question-answering", [context] * 4, [],
                                          vocab_size=200, layers=1, hidden=32, heads=2, seed=0)
    save_model_folder(tmp_path / "model", model, tokenizer, {"task": "question-answering", "max_length": 48})
    playground = QAPlayground()
    qtbot.addWidget(playground)
    playground.load(str(tmp_path / "model"))
    qtbot.waitUntil(playground.ask_button.isEnabled, timeout=30_000)
    playground.threshold_spin.setValue(100.0)  # always answer with the best span
    playground.set_context(context)
    result = ask(qtbot, playground, "Who ruled Normandy?")
    assert result["answer"] == context[result["start"] : result["end"]] != ""
    assert utf16_offset(context, result["start"]) > result["start"]  # the emoji do shift Qt's positions
    assert playground.context_edit.extraSelections()[0].cursor.selectedText() == result["answer"]
    playground.shutdown()
