"""Analysis › Label errors: find, review with the keyboard, save the cleaned file, retrain from it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from tests.conftest import shared
from workbench.engine.data import read_table
from workbench.engine.task_data import load_dataset
from workbench.gui import i18n
from workbench.gui.widgets.label_errors_view import LabelErrorsView


def _data(tmp_path: Path) -> Path:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:161]
    text, label = lines[1].split("\t")
    path = tmp_path / "train.tsv"
    path.write_text("\n".join([*lines, f"{text}\t{1 - int(label)}"]) + "\n", encoding="utf-8")
    return path


def test_find_review_save_and_retrain(qtbot, tmp_path) -> None:
    data = _data(tmp_path)
    view = LabelErrorsView()
    qtbot.addWidget(view)
    view.show()
    view.set_sources(str(data), "bert-tiny")
    assert view.data_edit.text() == str(data) and view.model_edit.text() == "bert-tiny"
    assert not view.save_button.isEnabled() and not view.train_button.isEnabled()
    view.folds_spin.setValue(2)
    view.repeats_spin.setValue(2)
    view.epochs_spin.setValue(0.1)
    seen: list[int] = []
    view.progress_bar.valueChanged.connect(seen.append)
    qtbot.mouseClick(view.find_button, Qt.MouseButton.LeftButton)
    assert view.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: view.report is not None and not view._task.busy, timeout=120_000)
    # two repeats of two folds: progress reached the second repeat's last fold
    assert view.progress_bar.maximum() == 4000 and max(seen) > 3000
    assert view.report.out_of_fold.folds.shape[0] == 2
    assert view.confident_button.isEnabled()
    model = view.model
    assert model.rowCount() == len(view.report.issues) >= 3
    assert view.tabs.tabText(1).endswith("(1)")  # the planted duplicate with the other label
    assert view.duplicates_table.rowCount() == 2
    rows = len(view.report.out_of_fold.examples)
    assert view.status_label.text() == (f"Rows that look mislabeled: {model.rowCount()} of {rows}. Duplicate groups "
                                        "with different labels: 1. Shared with the validation file: 0.")

    # Row 0 is selected: R relabels it, D drops the next, K keeps the third.
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    qtbot.keyClick(view.table, Qt.Key.Key_K)
    assert model.decisions[:3] == ["relabel", "drop", "keep"]
    assert model.index(0, 7).data() == f"relabel to {model.issues[0].suggested}"
    relabeled, dropped = model.issues[0], model.issues[1]

    # Enter on a row opens it in the Prediction tab with the Evaluation tab's model, once there is one.
    view.table.setCurrentIndex(model.index(1, 2))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.status_label.text().startswith("Evaluate a model in the Evaluation tab")
    evaluated = SimpleNamespace(predictor=object())  # the view passes the model on, never calls it
    view.set_outcome(evaluated)
    with qtbot.waitSignal(view.example_chosen, timeout=5_000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [evaluated.predictor, dropped.text]

    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.cleaned_path is not None, timeout=20_000)
    cleaned = Path(view.cleaned_path)
    assert cleaned.name == "train.cleaned.tsv" and str(cleaned) in view.status_label.text()
    with qtbot.waitSignal(view.retrain_requested, timeout=5_000) as signal:
        qtbot.mouseClick(view.train_button, Qt.MouseButton.LeftButton)
    assert signal.args == [str(cleaned)]

    original, table = read_table(data), read_table(cleaned)
    expected = [{**row, "label": relabeled.suggested} if line == relabeled.line else row
                for line, row in zip(original.lines, original.rows) if line != dropped.line]
    assert table.rows == expected
    bundle = load_dataset(cleaned)  # the engine's reader takes it as training data
    assert len(bundle.train) + len(bundle.validation) == len(original.rows) - 1
    view.shutdown()


def test_cancel_stops_the_search(qtbot, tmp_path) -> None:
    view = LabelErrorsView()
    qtbot.addWidget(view)
    view.set_sources(str(_data(tmp_path)), "bert-tiny")
    view.folds_spin.setValue(2)
    view.epochs_spin.setValue(5.0)
    view.find()
    qtbot.waitUntil(lambda: "training, step" in view.status_label.text(), timeout=60_000)
    view.cancel()
    assert view.status_label.text() == "Search cancelled." and view.find_button.isEnabled()
    view.shutdown()  # waits for the worker, which stops at its next training step
    assert view.report is None


def test_browse_fills_the_files_and_the_next_dialog_opens_where_the_last_file_was(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    data = _data(tmp_path)
    view = LabelErrorsView()
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    asked: list[str] = []

    def choose(_parent, _title, folder, _filters):
        asked.append(folder)
        return str(data), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    qtbot.mouseClick(view.data_browse, Qt.MouseButton.LeftButton)
    assert view.data_edit.text() == str(data)
    qtbot.mouseClick(view.validation_browse, Qt.MouseButton.LeftButton)
    assert view.validation_edit.text() == str(data)
    view.data_edit.clear()
    view.validation_edit.clear()
    qtbot.mouseClick(view.data_browse, Qt.MouseButton.LeftButton)
    assert asked[0] != str(tmp_path) and asked[1:] == [str(tmp_path)] * 2
    # The schedule's three small numbers sit in small boxes on one line, and the buttons keep their size.
    spins = (view.folds_spin, view.repeats_spin, view.epochs_spin)
    assert all(spin.width() < 200 for spin in spins) and len({spin.y() for spin in spins}) == 1
    assert view.find_button.width() < 400


def test_find_without_a_file_says_so(qtbot) -> None:
    view = LabelErrorsView()
    qtbot.addWidget(view)
    view.find()
    assert view.status_label.text() == "Choose a labelled training file first."
    assert not view._task.busy


def test_select_confident_then_drop_decides_exactly_those_rows(qtbot) -> None:
    from workbench.engine.analysis.label_errors import LabelIssue

    view = LabelErrorsView()
    qtbot.addWidget(view)
    view.show()
    confidences = [0.99, 0.62, 0.93, 0.9, 0.55]
    view.model.set_issues([LabelIssue(r + 1, r, r + 2, f"text {r}", "neg", "pos", 1 - c, c)
                           for r, c in enumerate(confidences)])
    assert view.confidence_spin.value() == 0.9
    assert view.model.index(0, 5).data() == "0.990"  # the Confidence column
    tip = view.model.headerData(5, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "lowest any repeat" in tip
    view.select_confident()
    assert sorted(i.row() for i in view.table.selectionModel().selectedRows()) == [0, 2, 3]
    assert view.status_label.text().startswith("3 rows")
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    assert view.model.decisions == ["drop", "keep", "drop", "drop", "keep"]
    assert [d.line for d in view.model.chosen()] == [2, 4, 5]
    view.confidence_spin.setValue(0.95)
    view.select_confident()
    assert view.status_label.text() == ("1 row with a confidence of 0.95 or more is selected: "
                                        "R relabels it, D drops it.")


def test_the_review_table_speaks_chinese(qtbot) -> None:
    """Its headers, header tips and decisions come from the catalogue (they were once behind a
    wrapper pyside6-lupdate could not see, and stayed English)."""
    from workbench.engine.analysis.label_errors import LabelIssue

    view = LabelErrorsView()
    qtbot.addWidget(view)
    view.model.set_issues([LabelIssue(1, 0, 2, "text", "neg", "pos", 0.1, 0.95),
                           LabelIssue(2, 1, 3, "text", "pos", "neg", 0.2, 0.91)])
    view.model.decisions = ["relabel", "drop"]
    english = [*view.model.headers(), view.model.decision_text(0), view.model.decision_text(1)]
    tips = [view.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) for c in (5, 6)]
    try:
        if not i18n.install_language("zh_CN"):
            pytest.skip("the zh_CN catalogue is not installed")
        chinese = [*view.model.headers(), view.model.decision_text(0), view.model.decision_text(1)]
        chinese_tips = [view.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
                        for c in (5, 6)]
    finally:
        i18n.install_language("en")
    assert all(zh != en for zh, en in zip(chinese, english, strict=True)), chinese
    assert chinese[8] == "改标为 pos" and all(zh != en for zh, en in zip(chinese_tips, tips, strict=True))
