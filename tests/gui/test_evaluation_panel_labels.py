"""The evaluation panel with a plain Hugging Face classifier saved without label names (LABEL_0, LABEL_1).

Data labelled 0/1 is read by position (the status line says so); other labels are
refused in the error banner, naming both label lists, and the panel stays usable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument

from tests.engine.test_eval_labels import TEXTS, plain_classifier
from workbench.engine.inference import Predictor
from workbench.gui.panels.evaluation_panel import EvaluationPanel

WAIT_MS = 30_000
LABELS = ["1", "0", "1", "0", "1", "0"]


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return plain_classifier(tmp_path_factory.mktemp("plain") / "model")


@pytest.fixture
def panel(qtbot):
    widget = EvaluationPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _shown(rich: str) -> str:
    """What a rich-text label shows for ``rich`` (entities decoded, tags gone)."""
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def _csv(path: Path, labels: list[str]) -> Path:
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS, labels)), encoding="utf-8")
    return path


def test_a_label_i_model_on_0_1_data_gets_an_accuracy_and_the_note(qtbot, panel, model, tmp_path) -> None:
    data = _csv(tmp_path / "dev.csv", LABELS)
    panel.set_model(str(model))
    panel.set_data(str(data))
    with qtbot.waitSignal(panel.evaluated, timeout=WAIT_MS) as blocker:
        panel.evaluate()
    metrics = blocker.args[0]
    assert panel.banner_text == ""
    # The accuracy of the model's own predictions against 0/1 read as LABEL_0/LABEL_1.
    predicted = [row["label"] for row in Predictor.load(model).predict(TEXTS)]
    expected = sum(p == f"LABEL_{y}" for p, y in zip(predicted, LABELS)) / len(LABELS)
    assert metrics["eval_accuracy"] == pytest.approx(expected)
    assert panel.metrics_table.item(0, 1).text() == f"{expected:.4f}"
    assert panel.confusion.sum() == len(TEXTS) and panel.confusion_view.plot.label_names == ["LABEL_0", "LABEL_1"]
    status = panel.status_label.text()
    assert "Evaluated 6 examples of dev.csv" in status and f"accuracy {expected:.4f}" in status
    note = ("Note: the model's labels are LABEL_0, LABEL_1 and the data's are 0, 1: they are read as the same "
            "classes by position (LABEL_i is i).")
    assert note in status and note in panel.status_label.toolTip()  # the tooltip has all of a cut line
    assert panel.outcome.note is not None and panel.outcome.examples.labels == [int(y) for y in LABELS]


def test_labels_it_cannot_match_are_refused_in_the_banner(qtbot, panel, model, tmp_path) -> None:
    named = _csv(tmp_path / "named.csv", ["pos" if y == "1" else "neg" for y in LABELS])
    panel.set_model(str(model))
    panel.set_data(str(named))
    panel.evaluate()
    qtbot.waitUntil(lambda: panel.banner_text != "" and not panel.busy, timeout=WAIT_MS)
    banner = _shown(panel.banner_text)
    assert banner.startswith(f"Evaluation failed. {named}: ")
    assert "the model's labels are LABEL_0, LABEL_1 (a checkpoint saved without label names)" in banner
    assert "the data's are neg, pos" in banner and "does not occur in the training data" not in banner
    assert panel.outcome is None
    # Still usable: the same model on data it can read.
    panel.set_data(str(_csv(tmp_path / "dev.csv", LABELS)))
    assert panel.banner_text == ""
    with qtbot.waitSignal(panel.evaluated, timeout=WAIT_MS):
        panel.evaluate()
    assert panel.banner_text == "" and panel.outcome is not None and "LABEL_i is i" in panel.status_label.text()
