"""The evaluation panel on a trained translation run (issue 16 item 6): outputs worst first with
their sentence chrF, corpus scores with bootstrap intervals, progress to exactly 100%, a row
opened in the playground, the CSV and the HTML report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import shared
from workbench.engine.generation_metrics import bootstrap_interval, corpus_scores, sentence_score
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer
from workbench.gui.panels.evaluation_panel import EvaluationPanel
from workbench.gui.tasks import EvaluationView, view_for

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def translation_run(tmp_path_factory) -> Path:
    """A from-scratch t5-tiny, 40 steps on 300 Tatoeba rows; it holds out a fifth of them (by English sentence)."""
    folder = tmp_path_factory.mktemp("seq2seq_eval")
    data = folder / "cmn.txt"
    lines = shared("tatoeba_en_zh", "cmn.txt").read_text(encoding="utf-8").splitlines(True)[:300]
    data.write_text("".join(lines), encoding="utf-8")
    config = TrainConfig(data=str(data), task="translation", model="t5-tiny", max_steps=40, batch_size=16,
                         lr=3e-3, max_length=32, vocab_size=1500, layers=1, hidden=64, heads=2,
                         validation_fraction=0.2, eval_every=1000, eval_generate_samples=4, num_threads=2,
                         source_prefix="en-zh: ", output=str(folder / "run"))
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return folder / "run"


@pytest.fixture
def panel(qtbot):
    widget = EvaluationPanel()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def test_translation_is_evaluated_with_outputs_worst_first_and_intervals(qtbot, panel, translation_run,
                                                                       monkeypatch, tmp_path) -> None:
    assert view_for("translation").evaluation is EvaluationView.GENERATION
    panel.set_model(str(translation_run))
    assert panel.held_out is not None  # the run's own held-out split of cmn.txt
    progress: list[tuple[int, int]] = []
    panel._task.relay.progressed.connect(lambda args: progress.append(tuple(args[1:])) if args[2] else None)
    with qtbot.waitSignal(panel.evaluated, timeout=WAIT_MS) as blocker:
        panel.evaluate()
    assert panel.banner_text == "", panel.banner_text
    metrics = blocker.args[0]
    outcome = panel.outcome
    assert outcome is not None and panel._results_stack.currentWidget() is panel.generation_view
    n = len(outcome.examples)
    assert metrics["eval_generated"] == metrics["eval_examples"] == n > 20
    # Progress: every example scored, then generated for; it ends at exactly 100%, never beyond.
    assert progress[-1] == (2 * n, 2 * n) and all(d <= t == 2 * n for d, t in progress)

    # The table: every output, the lowest sentence chrF first, each equal to sentence_score.
    view = panel.generation_view
    rows = [view.outputs.row(i) for i in range(view.outputs.rowCount())]
    assert len(rows) == n and view.row_examples() == [r["example"] for r in rows]
    scores = [r["chrf"] for r in rows]
    assert scores == sorted(scores)
    for row in rows:
        refs = json.loads(row["references"])
        assert row["prediction"] == outcome.result.generated[row["example"]]
        assert row["chrf"] == sentence_score(row["prediction"], refs, lang="zh", metric="chrf")
        assert row["source"] == outcome.examples.texts[row["example"]]

    # Corpus scores as evaluate computed them, each inside its bootstrap interval.
    predictions = [outcome.result.generated[r["example"]] for r in sorted(rows, key=lambda r: r["example"])]
    references = [json.loads(r["references"]) for r in sorted(rows, key=lambda r: r["example"])]
    assert corpus_scores(predictions, references, metrics=("chrf",))["chrf"] == pytest.approx(metrics["eval_chrf"])
    assert outcome.intervals["eval_chrf"] == bootstrap_interval(predictions, references, "chrf")
    for key in ("eval_bleu", "eval_chrf", "eval_exact_match"):
        low, high = outcome.intervals[key]
        assert low <= metrics[key] <= high, key
        assert view.metrics_table.findItems(f"{low:.2f} – {high:.2f}", Qt.MatchFlag.MatchExactly) != []
    assert "chrF" in panel.status_label.text()

    # Double-clicking the worst row opens its source in the playground.
    with qtbot.waitSignal(panel.example_chosen, timeout=5000) as chosen:
        view.open_row(0)
    assert chosen.args[0] is outcome.predictor and chosen.args[1] == rows[0]["source"]

    assert panel.grab().save(str(tmp_path / "seq2seq_evaluation.png"))  # for a person to look at when this fails

    # Exports: the task's prediction table as CSV, and the HTML report with the rows.
    targets = {"csv": tmp_path / "p.csv", "html": tmp_path / "r.html"}
    buttons = {"csv": panel.export_csv_button, "html": panel.export_html_button}
    for kind, path in targets.items():
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, _p=path, **k: (str(_p), ""))
        buttons[kind].click()
        qtbot.waitUntil(path.exists, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not panel._exporter.busy, timeout=WAIT_MS)
    with open(targets["csv"], encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["example", "line", "source", "reference", "references", "prediction", "chrf", "loss"]
    assert len(table) == n
    by_example = {int(r["example"]): r for r in table}
    for row in rows:
        written = by_example[row["example"]]
        assert float(written["chrf"]) == row["chrf"] and written["prediction"] == row["prediction"]
    page = targets["html"].read_text(encoding="utf-8")
    assert "<script" not in page and "Lowest-scored outputs" in page and "95% interval" in page
    worst = rows[0]
    assert page.count('<tr><td class="num">') == min(n, 25)  # TOP_MISTAKES rows
    assert f'<td class="num">{worst["example"]}</td>' in page


def test_cli_eval_json_reports_the_intervals_the_panel_shows(translation_run, capsys) -> None:
    from workbench.cli import main

    assert main(["eval", str(translation_run), "--json"]) == 0  # on the run's held-out split
    metrics = json.loads(capsys.readouterr().out)
    for key in ("eval_bleu", "eval_chrf", "eval_exact_match"):
        low, high = metrics[f"{key}_ci"]
        assert low <= metrics[key] <= high, key
