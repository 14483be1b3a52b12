"""``workbench train / predict / eval / data`` for multi-label classification.

The commands run in-process through ``workbench.cli.main`` (the same parser,
dispatch and error handling as the console script) to keep this fast; the data
uses ';' between labels so ``--label-separator`` is exercised throughout.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.engine.test_multilabel import TOPICS, write_topics_csv
from workbench.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def cli_multilabel_run(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("ml-cli")
    train = write_topics_csv(folder / "train.csv", 300, seed=0, separator=";")
    dev = write_topics_csv(folder / "dev.csv", 80, seed=1, separator=";")
    out = folder / "run"
    code = main([
        "train", "--data", str(train), "--validation", str(dev), "--task", "multi-label",
        "--label-separator", ";", "--model", "bert-tiny", "--layers", "1", "--hidden", "32",
        "--heads", "2", "--vocab-size", "400", "--max-length", "32", "--max-steps", "12",
        "--batch-size", "32", "--num-threads", "1", "--quiet", "--output", str(out),
    ])  # fmt: skip
    assert code == 0
    return out, dev


def test_train_records_the_separator_and_thresholds(cli_multilabel_run) -> None:
    out, _ = cli_multilabel_run
    config = json.loads((out / "config.json").read_text())
    assert config["task"] == "multi-label" and config["label_separator"] == ";"
    meta = json.loads((out / "model" / "workbench_model.json").read_text())
    assert meta["label_separator"] == ";" and set(meta["thresholds"]) == set(TOPICS)
    summary = json.loads((out / "summary.json").read_text())
    for key in ("eval_f1_micro", "eval_f1_macro", "eval_subset_accuracy", "eval_hamming_loss"):
        assert isinstance(summary[key], float)


def test_predict_json_and_text(cli_multilabel_run, capsys) -> None:
    out, _ = cli_multilabel_run
    meta = json.loads((out / "model" / "workbench_model.json").read_text())
    code, stdout, _ = run_cli(capsys, "predict", str(out), "pizza and rain", "a bank loan", "--json")
    assert code == 0
    rows = [json.loads(line) for line in stdout.splitlines()]
    assert [r["text"] for r in rows] == ["pizza and rain", "a bank loan"]
    for r in rows:
        assert r["thresholds"] == meta["thresholds"]
        assert set(r["probabilities"]) == set(TOPICS)
        assert r["labels"] == sorted(
            (n for n, p in r["probabilities"].items() if p >= r["thresholds"][n]),
            key=lambda n: -r["probabilities"][n],
        )
    code, stdout, _ = run_cli(capsys, "predict", str(out), "pizza and rain")
    chosen, probs, text = stdout.rstrip("\n").split("\t")
    assert text == "pizza and rain" and chosen == (", ".join(rows[0]["labels"]) or "(none)")
    assert probs.count("/") == len(TOPICS)  # probability/threshold for every label


def test_eval_reports_metrics_and_writes_label_sets(cli_multilabel_run, capsys, tmp_path: Path) -> None:
    out, dev = cli_multilabel_run
    summary = json.loads((out / "summary.json").read_text())
    predictions = tmp_path / "predictions.csv"
    code, stdout, _ = run_cli(capsys, "eval", str(out), "--data", str(dev), "--json",
                              "--predictions", str(predictions))
    assert code == 0
    metrics = json.loads(stdout)
    for key in ("eval_f1_micro", "eval_f1_macro", "eval_subset_accuracy", "eval_hamming_loss"):
        assert 0 <= metrics[key] <= 1
    # the CLI evaluates at the model's tuned thresholds: the training run's tuned scores
    assert metrics["eval_f1_micro"] == pytest.approx(summary["eval_f1_micro_tuned"], abs=1e-6)
    assert set(metrics["eval_per_class"]) == set(TOPICS)

    with predictions.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with dev.open(encoding="utf-8", newline="") as f:
        gold = list(csv.DictReader(f))
    assert [r["label"] for r in rows] == [g["labels"] for g in gold]  # joined with ';' again
    exact = sum(int(r["correct"]) for r in rows) / len(rows)
    assert exact == pytest.approx(metrics["eval_subset_accuracy"])
    meta = json.loads((out / "model" / "workbench_model.json").read_text())
    for r in rows:
        chosen = [n for n in sorted(TOPICS) if float(r[f"p_{n}"]) >= meta["thresholds"][n]]
        assert r["predicted"] == ";".join(chosen)

    code, stdout, _ = run_cli(capsys, "eval", str(out), "--data", str(dev))
    assert "eval_f1_micro" in stdout and "eval_hamming_loss" in stdout
    assert all(name in stdout for name in TOPICS)  # the per-label table


def test_unknown_label_and_empty_separator_are_readable_errors(cli_multilabel_run, capsys, tmp_path) -> None:
    out, dev = cli_multilabel_run
    bad = tmp_path / "bad.csv"
    bad.write_text("text,labels\npizza,food\nrain,weather;cinema\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "eval", str(out), "--data", str(bad))
    assert code == 2 and "'cinema'" in err and "line 3" in err
    code, _, err = run_cli(capsys, "train", "--data", str(dev), "--task", "multi-label",
                           "--label-separator", "", "--output", str(tmp_path / "x"))
    assert code == 2 and "label_separator" in err


def test_data_command_counts_labels_per_row(cli_multilabel_run, capsys) -> None:
    _, dev = cli_multilabel_run
    code, stdout, _ = run_cli(capsys, "data", str(dev), "--task", "multi-label", "--label-separator", ";",
                              "--json")
    assert code == 0
    info = json.loads(stdout)
    assert sorted(info["label_names"]) == sorted(TOPICS)
    assert sum(info["labels_per_row_counts"].values()) == info["rows"] == 80
    code, stdout, _ = run_cli(capsys, "data", str(dev), "--task", "multi-label", "--label-separator", ";")
    assert "Labels/row:" in stdout
