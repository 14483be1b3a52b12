"""engine/reports.py: predictions CSV, report JSON and HTML from an EvalResult (no Qt)."""

from __future__ import annotations

import csv
import html
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from workbench.engine import reports
from workbench.engine.data.examples import Examples
from workbench.engine.evaluation import EvalResult
from workbench.engine.metrics import classification_metrics
from workbench.engine.runs import json_safe

NAMES = ["<b>&", "plain", 'say "hi"']


def _classification() -> tuple[EvalResult, Examples]:
    texts = ["good <film>", "bad, <i>really</i>", 'a "quoted" line', "fine\nsecond line", "meh"]
    labels = [0, 1, 2, 0, 1]
    probs = np.array(
        [
            [0.7, 0.2, 0.1],  # right
            [0.1, 0.3, 0.6],  # wrong (2)
            [0.05, 0.05, 0.9],  # right
            [0.2, 0.75, 0.05],  # wrong (1), the most confident mistake
            [0.3, 0.4, 0.3],  # right
        ],
        dtype=np.float32,
    )
    preds = probs.argmax(axis=1)
    losses = -np.log(probs[np.arange(5), labels])
    report = classification_metrics(labels, preds.tolist(), NAMES)
    metrics = {
        "eval_loss": float(losses.mean()),
        "eval_accuracy": report["accuracy"],
        "eval_f1_macro": report["f1_macro"],
        "eval_per_class": report["per_class"],
        "eval_confusion_matrix": report["confusion_matrix"],
        "label_names": report["label_names"],
        "eval_examples": 5,
    }
    examples = Examples(
        "classification", texts, None, None, labels, NAMES, Path("data.csv"), [2, 3, 4, 5, 7]
    )
    return EvalResult(metrics, preds, probs, losses), examples


def test_predictions_csv_columns_and_rows(tmp_path) -> None:
    result, examples = _classification()
    path = tmp_path / "predictions.csv"
    reports.write_predictions_csv(path, result, examples, NAMES)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert header == [
        "example",
        "line",
        "text",
        "label",
        "predicted",
        "confidence",
        "loss",
        "correct",
        "p_<b>&",
        "p_plain",
        'p_say "hi"',
    ]
    assert [reports.probability_label(c) for c in header[-3:]] == NAMES
    assert len(body) == 5
    for i, row in enumerate(body):
        record = dict(zip(header, row))
        assert int(record["example"]) == i
        assert int(record["line"]) == examples.lines[i]
        assert record["text"] == examples.texts[i]  # commas, quotes and newlines survive
        assert record["label"] == NAMES[examples.labels[i]]
        assert record["predicted"] == NAMES[int(result.predictions[i])]
        assert float(record["confidence"]) == pytest.approx(result.probabilities[i].max(), abs=1e-5)
        assert float(record["loss"]) == pytest.approx(float(result.losses[i]), abs=1e-5)
        assert record["correct"] == str(int(examples.labels[i] == result.predictions[i]))
        probs = [float(record[f"p_{n}"]) for n in NAMES]
        assert probs == result.probabilities[i].tolist()  # written exactly
    # A file exported before the formats became one (p(<label>)) still names its labels.
    assert reports.probability_label("p(<b>&)") == "<b>&" and reports.probability_label("text") is None


def test_report_json_round_trip_and_mistakes(tmp_path) -> None:
    result, examples = _classification()
    report = reports.build_report(
        result, examples, label_names=NAMES, task="classification", model="runs/x", data="dev.csv"
    )
    assert report["metrics"] == json_safe(result.metrics)
    # Mistakes: most confident first (example 3 at 0.75, then example 1 at 0.6).
    assert [m["example"] for m in report["mistakes"]] == [3, 1]
    path = tmp_path / "report.json"
    reports.write_report_json(path, report)
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded == json.loads(json.dumps(report))
    assert loaded["metrics"]["eval_confusion_matrix"] == result.metrics["eval_confusion_matrix"]
    assert loaded["label_names"] == NAMES
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left no temporary file


def test_html_report_escapes_every_label(tmp_path) -> None:
    result, examples = _classification()
    report = reports.build_report(result, examples, label_names=NAMES, task="classification")
    path = tmp_path / "report.html"
    reports.write_report_html(path, report)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "http" not in page  # self-contained
    assert f"{result.metrics['eval_accuracy']:.4f}" in page
    assert "<table" in page
    for name in NAMES:
        assert html.escape(name) in page
    assert "<b>&" not in page
    # The mistakes are listed with their text escaped.
    assert "bad, &lt;i&gt;really&lt;/i&gt;" in page and "<i>" not in page
    # The confusion matrix is an HTML table with one row per class and the counts in it.
    matrix = result.metrics["eval_confusion_matrix"]
    assert page.count('<th class="row">') == len(NAMES)
    for row in matrix:
        for count in row:
            assert f">{count}</td>" in page


def test_tagging_rows_and_report(tmp_path) -> None:
    names = ["B-PER", "I-PER", "O"]
    words = [["Ann", "Lee", "runs"], ["Bob", "sleeps"]]
    gold = [[0, 1, 2], [0, 2]]
    predicted = [[0, 1, 2], [2, 2]]
    metrics = {
        "eval_accuracy": 0.8,
        "eval_num_tokens": 5,
        "eval_entity_f1": 0.6667,
        "eval_per_type": {"PER": {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}},
    }
    result = EvalResult(metrics, tag_predictions=predicted)
    examples = Examples(
        "token-classification", [" ".join(w) for w in words], None, words, gold, names, None, [1, 5]
    )
    rows = reports.prediction_rows(result, examples, names)
    assert [r["correct"] for r in rows] == [True, False]
    assert rows[1]["predicted"] == "O O" and rows[1]["label"] == "B-PER O"
    assert rows[1]["tags_correct"] == 1 and rows[1]["tags_total"] == 2
    path = tmp_path / "tags.csv"
    reports.write_predictions_csv(path, result, examples, names)
    lines = path.read_text(encoding="utf-8").splitlines()
    # One row per word (as workbench eval --predictions writes it).
    assert lines == [
        "example,line,word,label,predicted",
        "0,1,Ann,B-PER,B-PER", "0,1,Lee,I-PER,I-PER", "0,1,runs,O,O",
        "1,5,Bob,B-PER,O", "1,5,sleeps,O,O",
    ]
    report = reports.build_report(result, examples, label_names=names, task="token-classification")
    page = reports.report_html(report)
    assert "no confusion matrix" in page.lower() and "PER" in page
    assert [m["example"] for m in report["mistakes"]] == [1]


def test_reports_import_no_qt_and_no_torch() -> None:
    code = (
        "import sys, workbench.engine.reports\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'torch')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fixed_decimals_never_read_minus_zero() -> None:
    assert reports.fixed(-0.00004, 3) == "0.000" and reports.fixed(-0.0006, 3) == "-0.001"
    assert reports.fixed(0.12346, 4) == "0.1235"
    assert reports.format_value(-0.00001) == "0.0000" and reports.format_value(float("nan")) == "–"
