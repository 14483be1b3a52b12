"""The dataset, tokenizer, prediction and evaluation panels and the QA playground, translated.

As in test_i18n_panels.py, a marker translator ("<source>") stands in for a language: what the
user reads comes back marked, what code matches on (field prefixes of problems, data such as
column and label names, the engine's own error messages) comes back as it was. The flows run
on real engine code (a tokenizer trained on a small corpus, a tiny model trained for a few
steps); only the prediction and QA views use stub predictors, for drawing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.gui.conftest import install_marker_translator
from workbench.engine.models.tokenizer_workshop import report_rows
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer
from workbench.gui.panels.dataset_panel import DatasetPanel
from workbench.gui.panels.evaluation_panel import EvaluationPanel
from workbench.gui.panels.prediction_panel import PredictionPanel
from workbench.gui.panels.tokenizer_panel import REPORT_MEASURES, TokenizerPanel
from workbench.gui.widgets.qa_playground import QAPlayground

WAIT_MS = 60_000
_CONTEXTS = {"DatasetPanel", "TokenizerPanel", "PredictionPanel", "EvaluationPanel", "QAPlayground"}
_POSITIVE = ["房间很干净", "服务很周到", "早餐很好吃", "位置很方便", "床很舒服"]
_NEGATIVE = ["房间很脏", "服务太差", "早餐难吃", "隔音很差", "空调坏了"]


@pytest.fixture
def marked(qapp) -> Iterator[None]:
    translator = install_marker_translator(qapp, _CONTEXTS)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture(scope="module")
def reviews(tmp_path_factory) -> Path:
    """A learnable two-class Chinese CSV: the label is whether a positive phrase was used."""
    path = tmp_path_factory.mktemp("zh") / "reviews.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["label", "review"])
        for i in range(120):
            good = i % 2 == 0
            phrases = _POSITIVE if good else _NEGATIVE
            text = f"{phrases[i % 5]}，{phrases[(i // 2) % 5]}。第{i}次入住"
            writer.writerow(["正面" if good else "负面", text])
    return path


def test_report_measures_are_the_engines_word_for_word() -> None:
    # The panel lists the engine's measure names as literals for lupdate; a renamed measure
    # would otherwise show untranslated.
    assert [name for name, _ in report_rows([])] == list(REPORT_MEASURES)


def test_dataset_panel_translates_its_words_but_not_the_data(qtbot, marked, reviews, tmp_path) -> None:
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    assert panel.problems() == ["dataset: <no file loaded>"]  # the field name stays: code matches on it

    panel.open_file(str(reviews))
    qtbot.waitUntil(lambda: not panel.busy and panel.bundle is not None, timeout=WAIT_MS)
    assert panel.problems() == []
    assert (panel.text_combo.currentText(), panel.label_combo.currentText()) == ("review", "label")
    summary = panel.summary_label.text()
    assert summary.startswith("<<b>120</b> rows · ") and "<task: classification>" in summary
    # (the marker wraps even "CSV"; a real catalogue has no entry for it and leaves it as it is)
    assert panel.format_combo.itemText(0) == "<auto ({format})>".format(format="<CSV>")

    ragged = tmp_path / "ragged.csv"
    ragged.write_text("label,review\n正面,好,多一列\n", encoding="utf-8")
    panel.open_file(str(ragged))
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.problems()), timeout=WAIT_MS)
    message = panel.error_banner.message  # the engine's DatasetError: English, as in the CLI
    assert "ragged.csv" in message and not message.startswith("<")
    assert panel.problems() == [f"dataset: {message}"]
    panel.shutdown()


def test_tokenizer_status_ends_its_progress_line_in_any_language(qtbot, marked, reviews) -> None:
    panel = TokenizerPanel()
    qtbot.addWidget(panel)
    assert panel._problems()[0] == "corpus: <choose a file to train on>"
    assert panel.problems_label.isHidden()  # the corpus problem is shown by the button, not the list

    panel.set_corpus(str(reviews))
    panel.vocab_spin.setValue(300)
    with qtbot.waitSignal(panel.report_ready, timeout=WAIT_MS):
        panel.train()
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    tok = panel.tokenizer
    assert tok is not None
    # The marked progress lines do not end in "…": the end of the job still replaces them.
    assert panel.status_label.text() == "<Ready: {name}>".format(name=tok.name)
    first_column = [panel.report_table.item(r, 0).text() for r in range(panel.report_table.rowCount())]
    assert first_column == [f"<{m}>" for m in REPORT_MEASURES]
    used = panel.report.vocab_used
    assert panel.report_table.item(len(REPORT_MEASURES) - 1, 1).text() == (
        "<{used} of {size}>".format(used=f"{used:,}", size=f"{tok.vocab_size:,}")
    )
    panel.set_sample_text("房间很干净")
    assert re.fullmatch(r"<\d+ tokens for 5 words>(<.*>)?", panel.split_label.text())
    panel.shutdown()


def _stub_classifier() -> SimpleNamespace:
    return SimpleNamespace(
        task="classification",
        label_names=["正面", "负面"],
        source=SimpleNamespace(spec="stub", kind="folder"),
        predict=lambda texts, **kw: [
            {"text": texts[0], "label": "正面", "score": 0.9, "probabilities": {"正面": 0.9, "负面": 0.1}}
        ],
    )


def test_prediction_panel_translates_the_status_not_the_label(qtbot, marked) -> None:
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    assert panel.text_edit.placeholderText().startswith("<Load a model first")
    panel.set_predictor(_stub_classifier())
    assert panel.text_edit.placeholderText() == "<Type a sentence… the prediction updates as you type.>"
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.set_text("房间很干净")
    assert panel.label_view.text() == "正面"  # a label of the data
    assert panel.score_view.text() == "<probability {probability}>".format(probability="90.0%")
    status = panel.status_label.text()
    assert "<text classification>" in status and "<{count} labels>".format(count=2) in status
    panel.shutdown()


def test_qa_playground_translates_the_scores_not_the_answer(qtbot, marked) -> None:
    context = "清华大学成立于1911年，位于北京市海淀区。"
    start = context.index("北京市海淀区")
    answer = {"answer": "北京市海淀区", "start": start, "end": start + 6, "score": 7.3, "probability": 0.82,
              "null_score": -1.2, "no_answer": False, "windows": 1}
    stub = SimpleNamespace(task="question-answering", null_threshold=0.0,
                           predict_answer=lambda question, ctx, null_threshold=None: dict(answer))
    playground = QAPlayground()
    qtbot.addWidget(playground)
    playground.set_predictor(stub)
    playground.set_context(context)
    playground.set_question("清华大学位于哪里？")
    with qtbot.waitSignal(playground.answer_ready, timeout=WAIT_MS):
        playground.ask()
    assert playground.answer_label.text() == playground.highlighted_text() == "北京市海淀区"
    scores = "<score {score} · probability {probability} · no-answer score {null}>"
    assert playground.score_label.text() == scores.format(score="7.30", probability="82%", null="-1.20")
    assert playground.status_label.text().startswith("<1 window(s) · ")
    playground.shutdown()


def test_evaluation_panel_translates_the_table_but_not_the_class_names(qtbot, marked, reviews, tmp_path) -> None:
    run = tmp_path / "run"
    config = TrainConfig(data=str(reviews), model="bert-tiny", layers=1, heads=2, hidden=32, vocab_size=300,
                         max_steps=3, max_length=32, output=str(run), num_threads=1, eval_every=1000)
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    panel.set_model(str(run))
    panel.set_data(str(reviews))
    with qtbot.waitSignal(panel.evaluated, timeout=WAIT_MS):
        panel.evaluate()
    table = panel.metrics_table
    first_column = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert first_column[:3] == ["<Accuracy>", "<Macro average>", "<Weighted average>"]
    assert "<Per class>" in first_column and {"正面", "负面"} <= set(first_column)
    assert table.horizontalHeaderItem(1).text() == "<Precision>"
    status = panel.status_label.text()
    assert status.startswith("<Evaluated 120 examples of reviews.csv in ")
    assert status.endswith(" s> · <accuracy {value}>".format(value=f"{panel.metrics['eval_accuracy']:.4f}"))
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    panel.shutdown()
