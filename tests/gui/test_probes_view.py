"""The bias-probes tab end to end on a tiny trained classifier: run, read the tables, open a flip, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.probe_kit import gendered_dev_sentences, train_tiny_classifier
from workbench.engine.analysis.probes import load_term_list, swap_probe
from workbench.engine.eval_data import EvalData
from workbench.engine.evaluation import evaluate_model
from workbench.engine.inference import Predictor
from workbench.gui.panels.evaluation_panel import EvalOutcome
from workbench.gui.widgets.probes_view import (
    INSERT,
    TEMPLATE,
    ProbesView,
    TermListDialog,
    user_lists_dir,
)


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> EvalOutcome:
    folder = tmp_path_factory.mktemp("probes_view")
    run = train_tiny_classifier(folder)
    data = folder / "probe.tsv"
    data.write_text("sentence\tlabel\n" + "".join(f"{t}\t1\n" for t in gendered_dev_sentences(60)),
                    encoding="utf-8")
    predictor = Predictor.load(run)
    examples, _ = EvalData(str(data)).examples(predictor.task, predictor.label_names)
    return EvalOutcome(predictor, examples, evaluate_model(predictor, examples), str(run), str(data), 0.0)


def _run(qtbot, view: ProbesView):
    with qtbot.waitSignal(view.report_ready, timeout=60_000) as blocker:
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.cancel_button.isEnabled(), timeout=10_000)
    return blocker.args[0]


def test_swap_flow_tables_open_and_export(qtbot, outcome: EvalOutcome, tmp_path: Path) -> None:
    view = ProbesView()
    qtbot.addWidget(view)
    assert not view.run_button.isEnabled()  # no model yet
    view.set_outcome(outcome)
    assert view.run_button.isEnabled()
    report = _run(qtbot, view)
    expected = swap_probe(outcome.predictor, outcome.examples.texts, "gender")
    assert [(p.from_group, p.flips, p.examples) for p in report.pairs] == [
        (p.from_group, p.flips, p.examples) for p in expected.pairs]
    table = view.pairs_table
    assert table.rowCount() == len(report.pairs)
    for row, pair in enumerate(report.pairs):
        assert table.item(row, 4).text() == f"{pair.flip_rate:.3f}"
        assert float(table.item(row, 5).text()) == pytest.approx(pair.mean_shift, abs=5e-4)
    report.pairs[0].mean_shift = -0.00004  # less sure by a hair: shown as no shift, without a minus
    view._show_report()
    assert table.item(0, 5).text() == "0.000"
    flipping = next(i for i, p in enumerate(report.pairs) if p.flipped)  # the tiny model flips a few
    table.selectRow(flipping)
    assert view.flips_table.rowCount() == len(report.pairs[flipping].flipped)
    pair = report.pairs[flipping]
    told = f"{pair.flips} texts changed their" if pair.flips > 1 else "1 text changed its"
    assert view.flips_label.text().startswith(f"{pair.from_group} → {pair.to_group}: {told} predicted label")
    still = [i for i, p in enumerate(report.pairs) if not p.flips]
    if still:  # a pair with no flip says so above its empty table
        table.selectRow(still[0])
        assert view.flips_table.rowCount() == 0 and "no text changed" in view.flips_label.text()
        table.selectRow(flipping)
    with qtbot.waitSignal(view.example_chosen) as chosen:
        view.flips_table.cellDoubleClicked.emit(0, 1)
    assert chosen.args == [outcome.predictor, report.pairs[flipping].flipped[0].swapped]
    view.export(tmp_path / "r.json")
    view.export(tmp_path / "r.html")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["data"] == outcome.data
    assert "Bias probe" in (tmp_path / "r.html").read_text(encoding="utf-8")
    one = report.pairs[0]  # a pair with one flip is told in the singular
    one.flips, one.flipped = 1, report.pairs[flipping].flipped[:1]
    view._show_report()
    table.selectRow(0)
    assert view.flips_label.text() == (f"{one.from_group} → {one.to_group}: 1 text changed its predicted label "
                                       "(double-click it to open it).")
    view.shutdown()


def test_insert_cancel_and_templates_with_a_model_only(qtbot, outcome: EvalOutcome) -> None:
    view = ProbesView()
    qtbot.addWidget(view)
    view.set_outcome(outcome)
    view.kind_combo.setCurrentIndex(INSERT)
    assert not view.run_button.isEnabled()  # the word is missing
    view.word_edit.setText("awful")
    view.run_probe()
    view.cancel()
    qtbot.waitUntil(lambda: not view.cancel_button.isEnabled(), timeout=10_000)
    assert view.report is None and "cancelled" in view.status_label.text()
    report = _run(qtbot, view)
    assert report.probe == "insert" and report.pairs[0].from_group == "without awful"
    view.set_predictor(outcome.predictor)
    view.kind_combo.setCurrentIndex(TEMPLATE)
    view.templates_edit.setPlainText("{term} is a great doctor.")
    report = _run(qtbot, view)
    assert len(report.templates) == 1 and view.status_label.text() == "1 template filled."
    assert view.pairs_table.rowCount() == 3  # male, female and the gap
    view.shutdown()


def test_edited_term_list_is_saved_and_offered(qtbot, tmp_path: Path) -> None:
    view = ProbesView()
    qtbot.addWidget(view)
    dialog = TermListDialog(load_term_list("gender"), view)
    dialog.text_edit.setPlainText('{"en": {"a": ["nurse"]}}')
    dialog.save()
    assert dialog.saved_path is None and "two groups" in dialog.error_label.text()
    dialog.name_edit.setText("jobs")
    dialog.text_edit.setPlainText('{"en": {"a": ["nurse"], "b": ["engineer"]}}')
    dialog.save()
    assert dialog.saved_path == user_lists_dir() / "jobs.json" and dialog.saved_path.is_file()
    view.set_term_list(str(dialog.saved_path))
    assert view.list_combo.currentText() == "jobs"
    view.shutdown()


def test_a_model_without_class_probabilities_is_explained(qtbot, outcome: EvalOutcome) -> None:
    import dataclasses

    view = ProbesView()
    qtbot.addWidget(view)
    tagger = dataclasses.replace(outcome.predictor, task="token-classification")
    view.set_outcome(dataclasses.replace(outcome, predictor=tagger))
    assert not view.run_button.isEnabled()
    assert "token classification" in view.status_label.text()
    view.shutdown()
