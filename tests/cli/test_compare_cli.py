"""``workbench compare`` as a user runs it: JSON that agrees with ``workbench eval``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_kit import run_workbench as workbench
from tests.engine.test_compare import compare_runs


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    return compare_runs(tmp_path_factory)


def test_json_agrees_with_eval(runs) -> None:
    proc = workbench("compare", str(runs["a"]), str(runs["b"]), "--data", str(runs["dev"]), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for key, spec in (("metrics_a", runs["a"]), ("metrics_b", runs["b"])):
        ev = workbench("eval", str(spec), "--data", str(runs["dev"]), "--json")
        metrics = json.loads(ev.stdout)
        assert out[key]["accuracy"] == metrics["eval_accuracy"]
        assert out[key]["f1_macro"] == metrics["eval_f1_macro"]
        assert out[key]["loss"] == metrics["eval_loss"]
    rows = out["disagreements"]
    assert rows and all(r["a"] != r["b"] for r in rows)
    assert set(rows[0]) == {"index", "text", "label", "a", "b", "conf_a", "conf_b"}
    dev_texts = [line.split("\t")[0] for line in runs["dev"].read_text().splitlines()[1:]]
    assert all(dev_texts[r["index"]] == r["text"] for r in rows)


def test_plain_report_and_bad_input(runs, tmp_path) -> None:
    proc = workbench("compare", str(runs["first_checkpoint"]), str(runs["b"]), "--data", str(runs["dev"]))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("accuracy") == 2 and "examples predicted differently" in proc.stdout
    missing = workbench("compare", str(runs["a"]), str(tmp_path / "nope"), "--data", str(runs["dev"]))
    assert missing.returncode == 2 and "workbench compare: error:" in missing.stderr
