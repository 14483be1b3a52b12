"""``workbench label-errors --json`` on 200 SST-2 rows with a from-scratch preset, 2 folds, a few steps."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared
from workbench.cli import main
from workbench.engine.data import read_table


def test_label_errors_json_lists_issues_duplicates_and_leakage(tmp_path, capsys) -> None:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:201]
    first_text, first_label = lines[1].split("\t")
    # Plant a duplicate with the other label (file line 202) and a validation file sharing line 3's text.
    rows = [*lines, f"{first_text}\t{1 - int(first_label)}"]
    data = tmp_path / "train.tsv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    validation = tmp_path / "dev.tsv"
    validation.write_text(f"sentence\tlabel\nsomething new entirely\t1\n{lines[2]}\n", encoding="utf-8")

    args = ["label-errors", "--data", str(data), "--model", "bert-tiny", "--folds", "2", "--max-steps", "3",
            "--max-length", "32", "--validation", str(validation), "--json", "--clean", "relabel",
            "--min-confidence", "0.5", "--repeats", "1"]  # one run's suggestion is its argmax: every flagged row
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"] == 201 and out["label_names"] == ["0", "1"]
    issues = out["issues"]
    assert [i["rank"] for i in issues] == list(range(1, len(issues) + 1))
    assert [i["score"] for i in issues] == sorted(i["score"] for i in issues)
    table = read_table(data)
    by_line = {line: row for line, row in zip(table.lines, table.rows)}
    for issue in issues:
        row = by_line[issue["line"]]
        assert row["sentence"] == issue["text"] and row["label"] == issue["given"] != issue["suggested"]
        assert table.lines[issue["row"]] == issue["line"]
    assert {"lines": [2, 202], "rows": [0, 200], "exact": True} in out["duplicates"]
    assert out["leakage"] == [{"train_lines": [3], "validation_lines": [3], "exact": True}]
    assert sum(map(sum, out["confident_joint"])) <= 201

    assert out["cleaned_rows"] == len(issues)  # 0.5: every flagged row
    cleaned = read_table(out["cleaned"])
    assert out["cleaned"].endswith("train.cleaned.tsv") and len(cleaned.rows) == 201
    flagged = {i["line"]: i["suggested"] for i in issues}
    for line, before, after in zip(table.lines, table.rows, cleaned.rows):
        assert after["sentence"] == before["sentence"]
        assert after["label"] == flagged.get(line, before["label"])


def test_clean_that_reaches_no_row_writes_no_copy_and_says_why(tmp_path, capsys) -> None:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:61]
    data = tmp_path / "train.tsv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["label-errors", "--data", str(data), "--model", "bert-tiny", "--folds", "2", "--max-steps", "2",
            "--max-length", "32", "--repeats", "1", "--quiet", "--clean", "drop", "--min-confidence", "1"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "no cleaned file written: none of the" in out and "confidence of 1 or more" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.tsv"]  # no copy equal to the original
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["cleaned"] is None and report["cleaned_rows"] == 0 and report["issues"]


@pytest.mark.parametrize(("option", "message"), [(["--folds", "1"], "--folds: at least 2"),
                                               (["--repeats", "0"], "--repeats: at least 1"),
                                               (["--min-confidence", "1.5"], "--min-confidence: a probability")])
def test_label_errors_refuses_bad_numbers(tmp_path, capsys, option, message) -> None:
    data = tmp_path / "d.csv"
    data.write_text("text,label\na,x\nb,y\n", encoding="utf-8")
    assert main(["label-errors", "--data", str(data), "--model", "bert-tiny", *option]) != 0
    assert message in capsys.readouterr().err


def test_sheet_picks_the_workbooks_sheet_and_the_cleaned_copy_keeps_it(tmp_path, capsys) -> None:
    from openpyxl import Workbook

    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:61]
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["written by hand, no labels here"])
    reviews = book.create_sheet("Reviews")
    reviews.append(["sentence", "label"])
    for line in lines:
        text, label = line.split("\t")
        reviews.append([text, int(label)])
    data = tmp_path / "data.xlsx"
    book.save(data)
    args = ["label-errors", "--data", str(data), "--sheet", "Reviews", "--model", "bert-tiny", "--folds", "2",
            "--max-steps", "2", "--max-length", "32", "--repeats", "1", "--json", "--clean", "drop",
            "--min-confidence", "0"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"] == 60 and out["cleaned_rows"] == len(out["issues"]) > 0
    cleaned = read_table(out["cleaned"])
    assert out["cleaned"].endswith("data.cleaned.xlsx") and cleaned.sheet == "Reviews"
    assert len(cleaned.rows) == 60 - len(out["issues"])


def test_a_run_trained_on_the_data_is_refused_with_the_model_to_use(tmp_path, capsys) -> None:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:41]
    data = tmp_path / "train.tsv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = tmp_path / "run"
    assert main(["train", "--data", str(data), "--model", "bert-tiny", "--max-steps", "1", "--max-length", "16",
                 "--output", str(run), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["label-errors", "--data", str(data), "--model", str(run), "--folds", "2"]) == 2
    err = capsys.readouterr().err
    assert "was fine-tuned on" in err and "Use the checkpoint it started from instead: bert-tiny." in err
    assert "Traceback" not in err
