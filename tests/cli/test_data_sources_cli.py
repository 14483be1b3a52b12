"""`--sheet` and the other data sources on the command line (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import build_parser, main
from workbench.cli.train_cmd import config_from_args

openpyxl = pytest.importorskip("openpyxl")

ROWS = [("a wonderful, moving film", "pos"), ("dull and far too long", "neg"), ("I loved it", "pos"),
        ("a waste of an evening", "neg")]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "notes"
    workbook.active.append(["nothing to see"])
    sheet = workbook.create_sheet("reviews")
    sheet.append(["text", "label"])
    for row in ROWS:
        sheet.append(list(row))
    workbook.create_sheet("empty")
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    return path


def test_data_reads_the_sheet_named_by_sheet(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", str(book), "--sheet", "reviews", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["file"] == f"{book}#reviews" and info["format"] == "xlsx"
    assert info["rows"] == 4 and sorted(info["label_names"]) == ["neg", "pos"]


def test_empty_sheet_exits_2_with_a_message(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", str(book), "--sheet", "empty"]) == 2
    err = capsys.readouterr().err
    assert "book.xlsx: the sheet 'empty' is empty" in err and "Traceback" not in err


def test_train_folds_the_sheet_into_the_config(book: Path, tmp_path: Path) -> None:
    args = build_parser().parse_args(["train", "--data", str(book), "--sheet", "reviews", "-o", str(tmp_path / "r")])
    assert config_from_args(args).data == f"{book}#reviews"  # config.json records which sheet
