"""Question answering's done-when: MiniLM fine-tuned on four SQuAD articles, evaluated on the fifth.

Minutes on two CPU cores (about 290 optimizer steps at 384 tokens): ``python -m pytest -m slow -s
tests/slow/test_qa_acceptance.py``. Prints exact match and F1 (fractions; the official script
prints them x100). Run through the real CLI, as a user would.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import minilm_dir, shared

pytestmark = pytest.mark.slow

SQUAD = ("squad_v2_dev_subset", "dev-v2.0-first5articles.json")


def workbench(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, timeout=7200)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_minilm_trained_on_four_articles_evaluated_on_the_fifth(tmp_path: Path) -> None:
    data = shared(*SQUAD)
    out = tmp_path / "run"
    # No --validation: the trainer holds out whole articles, the last first (Victoria_(Australia)).
    workbench("train", "--data", str(data), "--task", "question-answering", "--model", str(minilm_dir()),
              "--epochs", "4", "--batch-size", "16", "--seed", "0", "--output", str(out), "--quiet")
    summary = json.loads((out / "summary.json").read_text())
    keys = ("eval_exact", "eval_f1", "eval_has_ans_exact", "eval_has_ans_f1", "eval_no_ans_exact",
            "eval_best_exact", "eval_best_f1", "eval_best_f1_thresh", "eval_loss")
    print("\nSQuAD v2, trained on 4 articles, evaluated on the 5th:",
          {k: round(summary[k], 4) for k in keys}, f"({summary['train_runtime_s']:.0f} s of training)")
    assert summary["status"] == "finished"
    assert (summary["eval_examples"], summary["eval_has_ans_total"], summary["eval_no_ans_total"]) == (247, 124, 123)
    assert 0 <= summary["eval_exact"] <= summary["eval_f1"] <= 1
    # It answers some questions right (not "no answer" everywhere) and keeps most of the
    # unanswerable ones unanswered: together at least the all-"no answer" score, 123/247.
    assert summary["eval_has_ans_f1"] > 0.02 and summary["eval_no_ans_exact"] > 0.7
    assert summary["eval_best_f1"] >= 123 / 247

    # The fifth article on its own through `workbench eval`: the model's stored null threshold is
    # the one tuned on it, so its F1 is the training run's best-threshold F1.
    doc = json.loads(data.read_text(encoding="utf-8"))
    doc["data"] = doc["data"][4:]
    fifth = tmp_path / "fifth.json"
    fifth.write_text(json.dumps(doc), encoding="utf-8")
    metrics = json.loads(workbench("eval", str(out), "--data", str(fifth), "--json"))
    print("workbench eval on the 5th article (tuned null threshold):",
          {k: round(metrics[k], 4) for k in ("eval_exact", "eval_f1", "eval_null_threshold")})
    assert metrics["eval_examples"] == 247
    assert metrics["eval_f1"] == pytest.approx(summary["eval_best_f1"], abs=1e-6)
