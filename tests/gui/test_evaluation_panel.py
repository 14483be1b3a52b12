"""EvaluationPanel: metrics equal to `workbench eval`, the confusion matrix, the cell filter,
the mistakes-first order, opening an example, exports, errors and cancelling."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import REPO, shared
from workbench.engine.runs import json_safe
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer
from workbench.gui.panels.evaluation_panel import EvaluationPanel
from workbench.gui.widgets.predictions_model import COL_LOSS
from workbench.gui.workers import running_workers

WAIT_MS = 60_000


def _train(config: TrainConfig) -> Path:
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return Path(config.output or "")


@pytest.fixture(scope="module")
def sst2_run(sst2_small, tmp_path_factory) -> Path:
    """bert-tiny trained briefly on 600 SST-2 rows, validated on 200 dev rows.

    80 steps is about 4 epochs: enough to leave the "one class for everything"
    stage (accuracy ~0.6, every confusion cell non-empty) in a few seconds. One
    thread: on shared cores more threads only wait for each other.
    """
    train, dev = sst2_small
    out = tmp_path_factory.mktemp("eval") / "run"
    return _train(
        TrainConfig(
            data=str(train),
            validation=str(dev),
            model="bert-tiny",
            max_steps=80,
            lr=1e-3,
            vocab_size=2000,
            max_length=64,
            output=str(out),
            num_threads=1,
            eval_every=1000,
        )
    )


@pytest.fixture
def panel(qtbot):
    widget = EvaluationPanel()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _evaluate(qtbot, panel: EvaluationPanel) -> dict:
    with qtbot.waitSignal(panel.evaluated, timeout=WAIT_MS) as blocker:
        panel.evaluate()
    assert panel.banner_text == ""
    return blocker.args[0]


def _engine_result(run: Path, data: Path):
    """The same evaluation straight through the engine, in the test's thread."""
    from workbench.engine.data import read_table
    from workbench.engine.evaluation import encode, evaluate
    from workbench.engine.inference import Predictor
    from workbench.engine.task_data import build_examples

    predictor = Predictor.load(run)
    examples = build_examples(read_table(data), "classification", label_names=predictor.label_names)
    encoded = encode(examples, predictor.tokenizer, "classification", predictor.max_length)
    result = evaluate(
        predictor.model,
        predictor.tokenizer,
        "classification",
        encoded,
        label_names=predictor.label_names,
    )
    return result, examples


def test_metrics_match_the_cli_and_the_confusion_matrix(qtbot, panel, sst2_run, sst2_small) -> None:
    _, dev = sst2_small
    panel.set_model(str(sst2_run))
    assert panel.data_edit.text() == str(dev)  # the run's validation file by default
    metrics = _evaluate(qtbot, panel)
    assert metrics == panel.metrics
    confusion = panel.confusion
    n = 200
    assert confusion.shape == (2, 2) and int(confusion.sum()) == n
    assert metrics["eval_accuracy"] == pytest.approx(np.trace(confusion) / n, abs=1e-12)
    # Row sums are the label counts of the file.
    with open(dev, encoding="utf-8", newline="") as handle:
        counts = Counter(row["label"] for row in csv.DictReader(handle, delimiter="\t"))
    names = metrics["label_names"]
    assert confusion.sum(axis=1).tolist() == [counts[name] for name in names]
    # The command line gives the same accuracy on the same run and file.
    out = subprocess.run(
        [sys.executable, "-m", "workbench", "eval", str(sst2_run), "--data", str(dev), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    cli = json.loads(out.stdout.strip().splitlines()[-1])
    assert cli["eval_accuracy"] == metrics["eval_accuracy"]
    assert cli["eval_confusion_matrix"] == metrics["eval_confusion_matrix"]
    # The metrics table shows the same numbers, then one row per class.
    table = panel.metrics_table
    assert table.item(0, 0).text() == "Accuracy"
    assert table.item(0, 1).text() == f"{metrics['eval_accuracy']:.4f}"
    first_column = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert first_column[-2:] == names
    assert "Macro average" in first_column and "Weighted average" in first_column
    assert panel.confusion_view.plot.cell_texts() == [str(v) for v in confusion.flatten()]


def test_cell_filter_sort_and_opening_an_example(qtbot, panel, sst2_run, sst2_small) -> None:
    _, dev = sst2_small
    panel.set_model(str(sst2_run))
    _evaluate(qtbot, panel)
    result, examples = _engine_result(sst2_run, dev)
    labels = np.asarray(examples.labels)
    preds = np.asarray(result.predictions)
    confidence = result.probabilities[np.arange(len(preds)), preds]
    assert preds.tolist() == panel.outcome.result.predictions.tolist()

    # Default order: the most confident mistake first, all mistakes before the right ones.
    shown = panel.visible_examples()
    assert sorted(shown) == list(range(200))
    wrong = np.flatnonzero(preds != labels)
    assert len(wrong) > 0 and len(wrong) < 200
    assert shown[0] == int(wrong[np.argmax(confidence[wrong])])
    assert set(shown[: len(wrong)]) == set(wrong.tolist())
    assert np.all(np.diff(confidence[shown[: len(wrong)]]) <= 1e-7)

    # A cell: exactly the examples with label 0 predicted 1.
    panel.click_cell(0, 1)
    expected = np.flatnonzero((labels == 0) & (preds == 1)).tolist()
    assert expected  # the model is not constant: the cell has examples
    assert sorted(panel.visible_examples()) == expected
    assert f"{len(expected)} example" in panel.filter_label.text()
    assert panel.show_all_button.isEnabled()
    panel.click_cell(1, 1)
    assert sorted(panel.visible_examples()) == np.flatnonzero((labels == 1) & (preds == 1)).tolist()
    panel.show_all_button.click()
    assert len(panel.visible_examples()) == 200 and not panel.show_all_button.isEnabled()

    # Sorting by loss (a header click does the same): the largest loss first.
    panel.predictions_view.sortByColumn(COL_LOSS, Qt.SortOrder.DescendingOrder)
    by_loss = panel.visible_examples()
    assert by_loss[0] == int(np.argmax(result.losses))
    assert np.all(np.diff(result.losses[by_loss]) <= 1e-6)

    # Double-click and Enter open the example in the prediction panel.
    view = panel.predictions_view
    index = panel._proxy.index(0, 0)
    rect = view.visualRect(index)
    # A real double-click is a click followed by a double-click event (QTest sends only the latter).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(panel.example_chosen, timeout=2000) as blocker:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    predictor, text = blocker.args
    assert predictor is panel.predictor and predictor.task == "classification"
    assert text == examples.texts[by_loss[0]]
    view.setCurrentIndex(panel._proxy.index(1, 0))
    with qtbot.waitSignal(panel.example_chosen, timeout=2000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args[1] == examples.texts[by_loss[1]]


def test_exports_write_csv_json_and_html(qtbot, panel, sst2_run, monkeypatch, tmp_path) -> None:
    panel.set_model(str(sst2_run))
    metrics = _evaluate(qtbot, panel)
    targets = {
        "csv": tmp_path / "out" / "predictions.csv",
        "json": tmp_path / "out" / "report.json",
        "html": tmp_path / "out" / "report.html",
    }
    buttons = {
        "csv": panel.export_csv_button,
        "json": panel.export_json_button,
        "html": panel.export_html_button,
    }
    for kind, path in targets.items():
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, _p=path, **k: (str(_p), ""))
        assert buttons[kind].isEnabled()
        buttons[kind].click()
        qtbot.waitUntil(path.exists, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not panel._exporter.busy, timeout=WAIT_MS)
        assert "Saved" in panel.status_label.text()
    with open(targets["csv"], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 200
    assert sum(int(r["correct"]) for r in rows) == round(metrics["eval_accuracy"] * 200)  # 1/0 per example
    report = json.loads(targets["json"].read_text(encoding="utf-8"))
    assert report["metrics"] == json.loads(json.dumps(json_safe(metrics)))
    page = targets["html"].read_text(encoding="utf-8")
    assert f"{metrics['eval_accuracy']:.4f}" in page and "<table" in page


def test_bad_data_shows_the_banner_and_a_later_evaluation_works(
    qtbot, panel, sst2_run, sst2_small, tmp_path
) -> None:
    _, dev = sst2_small
    panel.set_model(str(sst2_run))
    panel.set_data(str(tmp_path / "missing.tsv"))
    panel.evaluate()  # checked before any work starts
    assert "is not a file" in panel.banner_text
    bad = tmp_path / "bad.tsv"
    bad.write_text("sentence\tlabel\na fine film\t1\nnot a label I know\tmaybe\n", encoding="utf-8")
    panel.set_data(str(bad))
    assert panel.banner_text == ""
    panel.evaluate()
    qtbot.waitUntil(lambda: panel.banner_text != "", timeout=WAIT_MS)
    assert "maybe" in panel.banner_text and "bad.tsv" in panel.banner_text
    assert panel.metrics is None and panel.evaluate_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    panel.set_data(str(dev))
    metrics = _evaluate(qtbot, panel)
    assert metrics["eval_examples"] == 200
    assert not panel.banner.isVisible()


def test_cancel_drops_the_evaluation(qtbot, panel, sst2_run) -> None:
    panel.set_model(str(sst2_run))
    seen: list[dict] = []
    panel.evaluated.connect(seen.append)
    panel.evaluate()
    assert panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    assert not panel.busy and not panel.cancel_button.isEnabled()
    assert "cancelled" in panel.status_label.text().lower()
    qtbot.waitUntil(lambda: not running_workers(), timeout=WAIT_MS)
    QCoreApplication.sendPostedEvents()  # a stale result would land now
    assert seen == [] and panel.metrics is None and panel.banner_text == ""


def test_token_classification_shows_entity_scores_and_no_matrix(qtbot, panel, tmp_path) -> None:
    sentences = (
        shared("wnut17", "emerging.dev.conll").read_text(encoding="utf-8").split("\n\n")[:60]
    )
    conll = tmp_path / "tags.conll"
    conll.write_text("\n\n".join(sentences).strip() + "\n", encoding="utf-8")
    run = _train(
        TrainConfig(
            data=str(conll),
            task="token-classification",
            model="bert-tiny",
            max_steps=5,
            vocab_size=1000,
            output=str(tmp_path / "run"),
            num_threads=1,
            validation_fraction=0,
        )
    )
    panel.set_model(str(run))
    panel.set_data(str(conll))
    metrics = _evaluate(qtbot, panel)
    assert panel.confusion is None
    assert "No confusion matrix" in panel._confusion_note.text()
    assert panel._confusion_stack.currentWidget() is panel._confusion_note
    table = panel.metrics_table
    first_column = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert first_column[0] == "Token accuracy"
    assert table.item(0, 1).text() == f"{metrics['eval_accuracy']:.4f}"
    assert "Entities (micro)" in first_column and "Per entity type" in first_column
    assert set(metrics["eval_per_type"]) <= set(first_column)
    sentences_evaluated = metrics["eval_examples"]
    assert len(panel.visible_examples()) == sentences_evaluated
    first = panel.visible_examples()[0]
    assert not panel._model.correct[first]  # sentences with a wrong tag come first


def test_cancel_lands_inside_the_model_loop(sst2_run, sst2_small) -> None:
    """The forward hook stops the evaluation at the next batch and is removed afterwards."""
    import threading

    from workbench.engine.inference import Predictor
    from workbench.gui.panels.evaluation_panel import EvaluationCancelled, _evaluate_job

    _, dev = sst2_small
    predictor = Predictor.load(sst2_run)
    cancel = threading.Event()
    calls: list[tuple[str, int, int]] = []

    def progress(text: str, done: int, total: int) -> None:
        calls.append((text, done, total))
        if total and done >= 64:  # after the first batch: the user presses Cancel
            cancel.set()

    with pytest.raises(EvaluationCancelled):
        _evaluate_job(predictor, str(sst2_run), str(dev), None, None, progress, cancel)
    evaluated = [c for c in calls if c[2]]
    assert [c[1] for c in evaluated] == [0, 64]  # stopped before the third batch
    assert not predictor.model._forward_pre_hooks  # the hook is gone: the model is shared
    # Without Cancel, every example is counted.
    calls.clear()
    outcome = _evaluate_job(
        predictor,
        str(sst2_run),
        str(dev),
        None,
        None,
        lambda *a: calls.append(a),
        threading.Event(),
    )
    assert calls[-1][1:] == (200, 200) and len(outcome.result.predictions) == 200


def test_every_control_has_a_tooltip_and_ctrl_e_evaluates(qtbot, panel, tmp_path) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QProgressBar

    controls = [
        w
        for kind in (QAbstractButton, QLineEdit, QAbstractItemView, QProgressBar)
        for w in panel.findChildren(kind)
        if w.parent() is not None and type(w).__name__ != "QTableCornerButton"
    ]
    assert len(controls) >= 12
    missing = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        for w in controls
        if not w.toolTip() and not w.parent().toolTip()
    ]
    assert not missing, f"controls without a tooltip: {missing}"
    panel.set_model("some/run")
    panel.set_data(str(tmp_path / "nowhere.tsv"))
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.data_edit.setFocus()
    qtbot.keyClick(panel.data_edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert "is not a file" in panel.banner_text  # Ctrl+E ran evaluate(), which checked the file
