"""SlicesView from a real evaluation of a tiny classifier: the report, a regex slice added in the
editor, its examples in the filtered table, a double-click that opens one, slices saved with the run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer
from workbench.gui.panels.evaluation_panel import EvalOutcome
from workbench.gui.widgets.slices_view import COL_FLAG, COL_GAP, COL_METRIC, COL_SIZE, SlicesView

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def outcome(sst2_small, tmp_path_factory) -> EvalOutcome:
    """bert-tiny trained 30 steps on 600 SST-2 rows, evaluated on 200 dev rows through the engine."""
    from workbench.engine.data import read_table
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor
    from workbench.engine.task_data import build_examples

    train, dev = sst2_small
    out = tmp_path_factory.mktemp("slices_gui") / "run"
    config = TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", max_steps=30, lr=1e-3,
                         vocab_size=2000, max_length=64, output=str(out), num_threads=1, eval_every=1000)
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    predictor = Predictor.load(str(out))
    examples = build_examples(read_table(dev), "classification", label_names=predictor.label_names)
    result = evaluate_model(predictor, examples)
    return EvalOutcome(predictor, examples, result, str(out), str(dev), 0.0)


@pytest.fixture
def view(qtbot):
    widget = SlicesView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _wait_idle(qtbot, view: SlicesView) -> None:
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.banner.isHidden(), view.banner.message


def test_regex_slice_flow(qtbot, view: SlicesView, outcome: EvalOutcome) -> None:
    (Path(outcome.model) / "slices.json").unlink(missing_ok=True)
    view.samples_spin.setValue(200)
    with qtbot.waitSignal(view.slices_changed, timeout=WAIT_MS) as first:
        view.set_outcome(outcome)
    _wait_idle(qtbot, view)
    names = [row.spec.name for row in view.rows]
    assert names[0] == "all" and "length Q1" in names and set(first.args[0]) == set(names[1:])
    whole = view.rows[0]
    assert whole.size == 200 and whole.value == pytest.approx(outcome.result.metrics["eval_accuracy"])
    table = view.slice_table
    for column in (COL_METRIC, COL_GAP):  # the value and its interval are read whole, not elided
        header = table.horizontalHeaderItem(column).text()
        cells = [table.item(r, column).text() for r in range(table.rowCount())]
        widest = max(table.fontMetrics().horizontalAdvance(t) for t in [header, *cells])
        assert table.columnWidth(column) >= widest, (column, header)

    # Add a regex slice from the editor row.
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("regex"))
    qtbot.keyClicks(view.value_edit, r"\bthe\b")
    qtbot.keyClicks(view.name_edit, "has the")
    with qtbot.waitSignal(view.slices_changed, timeout=WAIT_MS) as changed:
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, view)
    expected = [i for i, t in enumerate(outcome.examples.texts) if re.search(r"\bthe\b", t, re.I)]
    assert changed.args[0]["has the"] == expected
    row_index = [row.spec.name for row in view.rows].index("has the")
    row = view.rows[row_index]
    assert row.size == len(expected) > 20 and row.low <= row.value <= row.high
    assert view.slice_table.item(row_index, COL_SIZE).text() == str(len(expected))
    assert (view.slice_table.item(row_index, COL_FLAG).text() != "") == row.flagged

    # Choosing it filters the predictions table to its examples; a double-click opens one.
    view.slice_table.selectRow(row_index)
    assert view.proxy.rowCount() == len(expected)
    index = view.proxy.index(0, 0)
    rect = view.predictions_view.visualRect(index)
    assert rect.isValid()
    # A real double-click is a click followed by a double-click event (QTest sends only the latter).
    qtbot.mouseClick(view.predictions_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.example_chosen, timeout=5000) as chosen:
        qtbot.mouseDClick(view.predictions_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    predictor, text = chosen.args
    assert predictor is outcome.predictor and re.search(r"\bthe\b", text, re.I)
    # Rows are headed by the file line, as in the Evaluation and Dataset tabs (a TSV with a header: line = example + 2).
    first = view.predictions.example_at(view.proxy.mapToSource(index).row())
    header = view.proxy.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)
    assert header == str(outcome.examples.lines[first]) == str(first + 2)

    # Saved with the run, read back by a new view of the same run.
    saved = json.loads((Path(outcome.model) / "slices.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in saved["slices"]] == ["has the"]
    view.add_selection("picked", [3, 1, 4])
    _wait_idle(qtbot, view)
    assert [r.indices for r in view.rows if r.spec.name == "picked"] == [[1, 3, 4]]
    other = SlicesView()
    qtbot.addWidget(other)
    other.samples_spin.setValue(0)
    other.set_outcome(outcome)
    assert [s.name for s in other.specs] == ["has the", "picked"]
    _wait_idle(qtbot, other)
    other.shutdown()


def test_a_bad_slice_is_a_readable_message_and_none_clears(qtbot, view: SlicesView, outcome: EvalOutcome) -> None:
    view.samples_spin.setValue(0)
    view.set_outcome(outcome)
    _wait_idle(qtbot, view)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("length"))
    view.value_edit.setText("ten to twenty")
    view.add_from_editor()
    assert not view.banner.isHidden() and "LO-HI" in view.banner.message
    with qtbot.waitSignal(view.slices_changed) as cleared:
        view.set_outcome(None)
    assert cleared.args[0] == {} and view.slice_table.rowCount() == 0


def test_an_ids_slice_from_a_chosen_file(qtbot, view: SlicesView, outcome: EvalOutcome, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    view.samples_spin.setValue(0)
    view.set_outcome(outcome)
    _wait_idle(qtbot, view)
    assert view.ids_file_button.isHidden()  # only the "Ids or lines" kind reads a file
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("ids"))
    assert view.ids_file_button.isVisible()
    ids = tmp_path / "lines.txt"
    ids.write_text("2\n5\n9\n", encoding="utf-8")  # file lines of the dev TSV: examples 0, 3 and 7
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(ids), ""))
    qtbot.mouseClick(view.ids_file_button, Qt.MouseButton.LeftButton)
    assert view.value_edit.text() == str(ids)
    view.name_edit.setText("from a file")
    with qtbot.waitSignal(view.slices_changed, timeout=WAIT_MS) as changed:
        qtbot.keyClick(view.value_edit, Qt.Key.Key_Return)
    _wait_idle(qtbot, view)
    assert changed.args[0]["from a file"] == [0, 3, 7]
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("regex"))
    assert view.ids_file_button.isHidden()
    (Path(outcome.model) / "slices.json").unlink(missing_ok=True)  # the module's other tests start without it
