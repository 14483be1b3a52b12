"""``workbench slices``: one evaluation, per-slice metrics that match the predictions file, and the
slices saved with the run and read back."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from tests.conftest import shared
from workbench.cli import main


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, Path]:
    """bert-tiny trained 20 steps on 300 SST-2 rows; a 150-row dev CSV with a ``source`` column."""
    root = tmp_path_factory.mktemp("slices")
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:451]

    def write(path: Path, rows: list[str]) -> Path:
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["text", "label", "source"])
            for i, row in enumerate(rows):
                text, label = row.rsplit("\t", 1)
                out.writerow([text.strip(), "positive" if label.strip() == "1" else "negative", "ab"[i % 2]])
        return path

    train, dev = write(root / "train.csv", lines[:300]), write(root / "dev.csv", lines[300:])
    run = root / "run"
    assert main(["train", "--data", str(train), "--model", "bert-tiny", "--max-steps", "20", "--batch-size", "16",
                 "--lr", "1e-3", "--vocab-size", "1000", "--num-threads", "1", "--output", str(run), "--quiet"]) == 0
    return run, dev


def test_slices_json_matches_the_predictions(trained, tmp_path: Path, capsys) -> None:
    sk = pytest.importorskip("sklearn.metrics")
    run, dev = trained
    predictions = tmp_path / "p.csv"
    assert main(["eval", str(run), "--data", str(dev), "--json", "--predictions", str(predictions)]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert main(["slices", str(run), "--data", str(dev), "--slice", "the=\\bthe\\b", "--slice", "b:column=source=b",
                 "--samples", "200", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["name"]: r for r in report["slices"]}
    assert report["headline"] == "eval_accuracy"
    assert rows["all"]["value"] == pytest.approx(whole["eval_accuracy"])
    with predictions.open(encoding="utf-8") as handle:
        pred_rows = list(csv.DictReader(handle))
    for name, keep in (("the", lambda r, i: re.search(r"\bthe\b", r["text"], re.I)), ("b", lambda r, i: i % 2)):
        chosen = [r for i, r in enumerate(pred_rows) if keep(r, i)]
        row = rows[name]
        assert row["size"] == len(chosen) > 10
        y, p = [r["label"] for r in chosen], [r["predicted"] for r in chosen]
        assert row["value"] == pytest.approx(sk.accuracy_score(y, p))
        assert row["metrics"]["eval_f1_macro"] == pytest.approx(
            sk.f1_score(y, p, labels=["negative", "positive"], average="macro", zero_division=0))
        assert row["low"] <= row["value"] <= row["high"]
        assert row["flagged"] == (not row["low"] <= rows["all"]["value"] <= row["high"])
    assert {"gold: negative", "gold: positive", "length Q1"} <= set(rows)
    # Saved with the run and read back: the next call scores the same slices without --slice.
    saved = json.loads((run / "slices.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in saved["slices"]] == ["the", "b"]
    assert main(["slices", str(run), "--data", str(dev), "--samples", "0", "--no-suggestions", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in again["slices"]] == ["all", "the", "b"]
    assert again["slices"][1]["value"] == rows["the"]["value"] and again["slices"][1]["low"] is None


def test_bad_slice_is_a_readable_error(trained, capsys) -> None:
    run, dev = trained
    assert main(["slices", str(run), "--data", str(dev), "--slice", "x:colour=red"]) != 0
    err = capsys.readouterr().err
    assert "unknown kind 'colour'" in err and "Traceback" not in err
