"""The accuracy targets on full data sets (minutes each): ``python -m pytest -m slow``.

Each runs the real CLI exactly as the README shows and reads ``summary.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import minilm_dir, shared

pytestmark = pytest.mark.slow


def train(*args: str) -> dict:
    out = Path(args[args.index("--output") + 1])
    proc = subprocess.run([sys.executable, "-m", "workbench", "train", *args, "--quiet"],
                          capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "summary.json").read_text())


def test_bert_tiny_from_scratch_on_sst2(tmp_path: Path) -> None:
    summary = train("--data", str(shared("sst2", "train.tsv")), "--validation", str(shared("sst2", "dev.tsv")),
                    "--model", "bert-tiny", "--max-steps", "600", "--seed", "0", "--output", str(tmp_path / "r"))
    assert summary["eval_accuracy"] >= 0.76


def test_minilm_on_4000_sst2_sentences(tmp_path: Path) -> None:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()
    subset = tmp_path / "train4k.tsv"
    subset.write_text("\n".join(lines[:4001]) + "\n", encoding="utf-8")
    summary = train("--data", str(subset), "--validation", str(shared("sst2", "dev.tsv")),
                    "--model", str(minilm_dir()), "--epochs", "2", "--batch-size", "32", "--lr", "1e-4",
                    "--output", str(tmp_path / "r"))
    assert summary["eval_accuracy"] >= 0.84


def test_minilm_upos_tagging(tmp_path: Path) -> None:
    summary = train("--data", str(shared("ud_english_ewt", "en_ewt-ud-dev.conllu")),
                    "--validation", str(shared("ud_english_ewt", "en_ewt-ud-test.conllu")),
                    "--task", "token-classification", "--model", str(minilm_dir()), "--epochs", "2",
                    "--output", str(tmp_path / "r"))
    assert summary["eval_accuracy"] >= 0.92


def test_minilm_banking77(tmp_path: Path) -> None:
    summary = train("--data", str(shared("banking77", "train.csv")), "--validation", str(shared("banking77", "test.csv")),
                    "--model", str(minilm_dir()), "--epochs", "3", "--output", str(tmp_path / "r"))
    assert summary["eval_accuracy"] >= 0.85
