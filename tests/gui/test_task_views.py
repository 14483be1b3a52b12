"""GUI task views (workbench/gui/tasks): one per engine task, translated, and the prediction panel asks them."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from workbench.engine.tasks.registry import all_tasks
from workbench.gui import i18n
from workbench.gui.panels.prediction_panel import PredictionPanel
from workbench.gui.tasks import Playground, all_views, view_for

WAIT_MS = 20_000

# One result per task, in the shape its engine Task.predict returns (drawing only: stub predictors).
RESULTS: dict[str, dict[str, Any]] = {
    "classification": {"label": "positive", "score": 0.75, "probabilities": {"positive": 0.75, "negative": 0.25}},
    "multi-label": {
        "labels": ["sports"], "probabilities": {"sports": 0.8, "politics": 0.1}, "thresholds": {"sports": 0.5, "politics": 0.5},
    },
    "token-classification": {"words": ["Alice", "flew"], "tags": ["B-person", "O"]},
    "masked-lm": {"masks": [[{"token": "big", "score": 0.6}, {"token": "red", "score": 0.3}]]},
    "causal-lm": {"text": "Once", "continuation": " upon a time"},
    "translation": {"output": "从前", "tokens": ["从", "前"]},
    "summarization": {"output": "A short story.", "tokens": ["A", " short", " story", "."]},
    "dialogue": {"output": "Hello!", "tokens": ["Hello", "!"]},
}  # fmt: skip
LABELS = {
    "classification": ["negative", "positive"],
    "multi-label": ["sports", "politics"],
    "token-classification": ["O", "B-person", "I-person"],
}


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    if not i18n.catalogue("zh_CN").is_file():
        pytest.skip("the zh_CN catalogue is not compiled (python -m workbench.gui.i18n update)")
    assert i18n.install_language("zh_CN")
    yield
    i18n.install_language("en")


@pytest.fixture
def panel(qtbot) -> Iterator[PredictionPanel]:
    widget = PredictionPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    widget.shutdown()


def _stub(task: str) -> SimpleNamespace:
    def predict(texts: list[str], **_options: Any) -> list[dict[str, Any]]:
        return [dict(RESULTS[task], text=texts[0])]

    return SimpleNamespace(
        task=task, label_names=LABELS.get(task, []), source=SimpleNamespace(spec=f"stub-{task}", kind="hub"),
        thresholds=[0.5, 0.5], label_separator="|", null_threshold=0.0, predict=predict,
    )  # fmt: skip


def test_every_engine_task_has_a_view() -> None:
    names = [task.name for task in all_tasks()]
    assert [view.name for view in all_views()] == names
    for task in all_tasks():
        view = view_for(task.name)
        assert view is not None and view.name == task.name
        assert view.display_name == task.display_name  # the engine's English name is the source text
        assert view.placeholder.strip()
    assert view_for(None) is None and view_for("no-such-task") is None
    # Every playground page shows some task's predictions (QA's playground is its own widget);
    # tasks whose predictions look alike share one (translation, summarisation, dialogue: the output).
    assert {view.playground for view in all_views()} == set(Playground)


def test_names_and_placeholders_are_translated(chinese) -> None:
    for view in all_views():
        title, hint = view.title(), view.hint()
        assert title and title != view.display_name, view.name
        assert hint and hint != view.placeholder, view.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title + hint), (title, hint)


@pytest.mark.parametrize("task", sorted(RESULTS))
def test_panel_shows_the_tasks_playground(qtbot, panel, task: str) -> None:
    view = view_for(task)
    assert view is not None
    pages = {
        Playground.LABEL_BARS: panel._classification_page,
        Playground.LABEL_SET: panel.multilabel_view,
        Playground.TAG_CHIPS: panel._tags_page,
        Playground.FILLERS: panel._fillers_page,
        Playground.GENERATION: panel._causal_page,
        Playground.OUTPUT: panel.output_view,
    }
    panel.set_predictor(_stub(task))
    assert panel.text_edit.placeholderText() == view.hint()
    assert view.title() in panel.status_label.text()
    assert panel.top_k_spin.isVisibleTo(panel) == (task == "masked-lm")
    assert panel.generate_button.isVisibleTo(panel) == (not view.live)  # on request: generation, a chat turn
    assert not panel.qa_playground.isVisibleTo(panel) and panel.results.isVisibleTo(panel)
    if view.playground is Playground.OUTPUT:
        # Seq2seq output streams through the task's generate (a real model): test_seq2seq_playground.py.
        assert panel.seq2seq.isVisibleTo(panel) and panel.chat_view.isVisibleTo(panel) == view.chat
        return
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.set_text("Once")
        panel.predict_now()
    assert panel.results.currentWidget() is pages[view.playground]
    if task == "classification":
        assert panel.label_view.text() == "positive"
        assert dict(panel.probability_bars.items()) == RESULTS[task]["probabilities"]
    elif task == "token-classification":
        assert panel.tag_chips == [("Alice", "B-person")]
    elif task == "masked-lm":
        assert [t for t, _ in panel.filler_bars()[0].items()] == ["big", "red"]
    elif task == "causal-lm":
        assert panel.continuation_view.toPlainText() == "Once upon a time"


def test_question_answering_shows_its_playground(panel) -> None:
    stub = _stub("question-answering")
    panel.set_predictor(stub)
    assert panel.qa_playground.isVisibleTo(panel)
    assert not panel.text_edit.isVisibleTo(panel) and not panel.results.isVisibleTo(panel)
    assert view_for("question-answering").title() in panel.status_label.text()
    panel.set_predictor(_stub("classification"))  # back to the text box
    assert not panel.qa_playground.isVisibleTo(panel) and panel.text_edit.isVisibleTo(panel)


def test_panel_names_the_task_in_chinese(chinese, panel) -> None:
    panel.set_predictor(_stub("multi-label"))
    view = view_for("multi-label")
    assert view.title() != view.display_name
    assert view.title() in panel.status_label.text()
    assert panel.text_edit.placeholderText() == view.hint() != view.placeholder
