"""``workbench eval RUN`` without ``--data``: the data the run validated on, as the app's evaluation panel picks it."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import shared
from workbench.cli import main
from workbench.engine.task_data import load_dataset

FRACTION, SEED = 0.2, 3


def _sst2_csv(path: Path, rows: list[str]) -> Path:
    lines = ["text,label"]
    for row in rows:
        text, label = row.rsplit("\t", 1)
        lines.append('"{}",{}'.format(text.strip().replace('"', "'"), "positive" if label.strip() == "1" else "negative"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """bert-tiny trained 4 steps on 100 SST-2 rows, validating on 20% of them held out (no validation file)."""
    root = tmp_path_factory.mktemp("heldout")
    rows = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:101]
    data = _sst2_csv(root / "train.csv", rows)
    out = root / "run"
    assert main(["train", "--data", str(data), "--model", "bert-tiny", "--max-steps", "4", "--batch-size", "16",
                 "--validation-fraction", str(FRACTION), "--seed", str(SEED), "--vocab-size", "1000",
                 "--num-threads", "2", "--output", str(out), "--quiet"]) == 0
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["validation"] is None and config["validation_fraction"] == FRACTION
    return out


def _validation_count(run: Path) -> int:
    begin = [json.loads(line) for line in (run / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
             if '"train_begin"' in line]
    return int(begin[-1]["num_validation_examples"])


def _data(run: Path) -> Path:
    return Path(json.loads((run / "config.json").read_text(encoding="utf-8"))["data"])


def test_eval_without_data_scores_exactly_the_held_out_split(run: Path, tmp_path: Path, capsys) -> None:
    predictions = tmp_path / "predictions.csv"
    assert main(["eval", str(run), "--json", "--predictions", str(predictions)]) == 0
    captured = capsys.readouterr()
    metrics = json.loads(captured.out)  # stdout is pure JSON: the "which data" line went to stderr
    expected = load_dataset(_data(run), "classification", validation_fraction=FRACTION, seed=SEED).validation
    assert metrics["eval_examples"] == _validation_count(run) == len(expected) == 20
    assert captured.err.splitlines() == [
        (f"workbench eval: evaluating on the run's held-out split of {_data(run)} (20%, seed {SEED}): "
         "the examples it validated on, not those it trained on")
    ]
    # The very examples the run held out, none it trained on, with their labels.
    with predictions.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["text"] for r in rows] == expected.texts
    assert [r["label"] for r in rows] == [expected.label_names[y] for y in expected.labels]
    matrix = metrics["eval_confusion_matrix"]
    assert [sum(r) for r in matrix] == [expected.labels.count(i) for i in range(2)]

    # A checkpoint of the run brings the same split.
    checkpoint = max((run / "checkpoints").glob("step-*"))
    assert main(["eval", str(checkpoint), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["eval_examples"] == 20
    assert "evaluating on the run's held-out split of" in captured.err


def test_a_changed_training_file_is_refused(run: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    changed = tmp_path / "train.csv"
    changed.write_text("\n".join(_data(run).read_text(encoding="utf-8").splitlines()[:-10]) + "\n", encoding="utf-8")
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    config["data"] = str(changed)
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert main(["eval", str(copy), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    error = captured.err.splitlines()[-1]
    assert error.startswith(f"workbench eval: error: {changed}: the file changed since the run trained on it: ")
    assert "the run validated on 20 examples, the split now has 18" in error
    assert "its training examples differ from the run's" in error
    assert "workbench eval RUN --data FILE" in error


def test_a_run_with_a_validation_file_is_evaluated_on_it(run: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    rows = shared("sst2", "dev.tsv").read_text(encoding="utf-8").splitlines()[1:31]
    dev = _sst2_csv(tmp_path / "dev.csv", rows)
    config = json.loads((copy / "config.json").read_text(encoding="utf-8"))
    config["validation"] = "../dev.csv"  # relative to the run folder, as a moved project may hold it
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    assert main(["eval", str(copy), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["eval_examples"] == 30
    assert captured.err.splitlines() == [f"workbench eval: evaluating on the run's validation file {copy / '../dev.csv'}"]
    assert (copy / "../dev.csv").resolve() == dev.resolve()


def test_without_a_run_data_is_needed(run: Path, capsys) -> None:
    assert main(["eval", str(run / "model")]) == 2  # a model folder has no data of its own
    err = capsys.readouterr().err
    assert "is not a run folder with validation data" in err and "give a labelled file with --data FILE" in err
    # Column options describe a --data file: without one they are refused, not ignored.
    assert main(["eval", str(run), "--text-column", "text"]) == 2
    assert "--text-column: these describe a --data file" in capsys.readouterr().err


def test_help_says_what_the_default_data_is(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["eval", "--help"])
    assert exited.value.code == 0
    text = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert "[--data DATA]" in text  # optional now
    assert ("default, for a run folder or one of its checkpoints: the data the run validated on, i.e. its "
            "validation file, or else the part of its training file it held out") in text
