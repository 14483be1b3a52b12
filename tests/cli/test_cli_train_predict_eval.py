"""The command line as a user runs it: exit codes, JSON output (the training run in a real subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.cli_kit import run_workbench as workbench
from tests.cli_kit import run_workbench_process
from tests.conftest import minilm_dir


@pytest.mark.parametrize("command", [[], ["train"], ["predict"], ["eval"], ["data"]])
def test_help(command: list[str]) -> None:
    proc = workbench(*command, "--help", check=True)
    assert "usage: workbench" in proc.stdout


@pytest.fixture(scope="module")
def cli_run(sst2_small, tmp_path_factory) -> Path:
    train, dev = sst2_small
    out = tmp_path_factory.mktemp("cli") / "run"
    run_workbench_process("train", "--data", str(train), "--validation", str(dev), "--model", "bert-tiny",
                          "--max-steps", "12", "--batch-size", "16", "--vocab-size", "2000", "--output", str(out), check=True)
    return out


def test_train_writes_a_complete_run_folder(cli_run: Path) -> None:
    for name in ("config.json", "metrics.jsonl", "summary.json", "model/config.json", "model/model.safetensors",
                 "model/tokenizer.json", "checkpoints/latest"):
        assert (cli_run / name).exists(), name
    summary = json.loads((cli_run / "summary.json").read_text())
    assert summary["steps"] == 12 and summary["status"] == "finished"


def test_config_file_round_trip(cli_run: Path, tmp_path: Path) -> None:
    """A run's config.json given back with --config reproduces the run exactly."""
    out = tmp_path / "again"
    workbench("train", "--config", str(cli_run / "config.json"), "--output", str(out), check=True)
    first = [r["loss"] for r in map(json.loads, (cli_run / "metrics.jsonl").read_text().splitlines()) if r["event"] == "step"]
    second = [r["loss"] for r in map(json.loads, (out / "metrics.jsonl").read_text().splitlines()) if r["event"] == "step"]
    assert first == second and len(first) == 12


def test_predict_json_matches_plain_transformers(cli_run: Path, sst2_small) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    sentences = [line.split("\t")[0] for line in sst2_small[1].read_text().splitlines()[1:21]]
    proc = workbench("predict", str(cli_run), *sentences, "--json", check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 20
    model = AutoModelForSequenceClassification.from_pretrained(cli_run / "model").eval()
    tok = AutoTokenizer.from_pretrained(cli_run / "model")
    with torch.no_grad():
        for sentence, row in zip(sentences, rows):
            ref = torch.softmax(model(**tok(sentence, return_tensors="pt")).logits, -1)[0].tolist()
            got = [row["probabilities"][model.config.id2label[i]] for i in range(2)]
            assert max(abs(a - b) for a, b in zip(ref, got)) < 1e-5
            assert row["label"] == model.config.id2label[int(torch.tensor(ref).argmax())]


def test_eval_json_is_consistent(cli_run: Path, sst2_small) -> None:
    proc = workbench("eval", str(cli_run), "--data", str(sst2_small[1]), "--json", check=True)
    metrics = json.loads(proc.stdout)
    matrix = metrics["eval_confusion_matrix"]
    total = sum(map(sum, matrix))
    assert total == metrics["eval_examples"] == 200
    assert abs(sum(matrix[i][i] for i in range(2)) / total - metrics["eval_accuracy"]) < 1e-12
    # Row sums are the true class counts of the file.
    labels = [line.rsplit("\t", 1)[1] for line in sst2_small[1].read_text().splitlines()[1:]]
    assert [sum(row) for row in matrix] == [labels.count("0"), labels.count("1")]
    # And the final evaluation of training on the same file agrees.
    summary = json.loads((cli_run / "summary.json").read_text())
    assert abs(summary["eval_accuracy"] - metrics["eval_accuracy"]) < 1e-9


def test_resume_flag_continues_a_stopped_run(sst2_small, tmp_path: Path) -> None:
    train, dev = sst2_small
    out = tmp_path / "r"
    # --max-steps 4 then resume with a larger budget: the run continues from step 4.
    workbench("train", "--data", str(train), "--validation", str(dev), "--model", "bert-tiny", "--max-steps", "4",
              "--batch-size", "16", "--vocab-size", "2000", "--output", str(out), check=True)
    workbench("train", "--resume", str(out), "--max-steps", "8", check=True)
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in records if r["event"] == "step"] == list(range(1, 9))
    assert json.loads((out / "summary.json").read_text())["steps"] == 8


@pytest.mark.parametrize(
    "args, expected",
    [
        (["train", "--data", "missing.csv", "--max-steps", "1"], "missing.csv"),
        (["train", "--data", "{train}", "--label-column", "nope", "--text-column", "sentence"], "nope"),
        (["train", "--data", "{train}", "--batch-size", "0"], "batch_size"),
        (["train", "--data", "{train}", "--model", "./not/a/folder"], "not an existing folder"),
        (["predict", "./not/a/run", "hello"], "not an existing folder"),
        (["train", "--config", "{bad_config}"], "unknown setting"),
        (["train", "--data", "{train}", "--output", "{existing_run}"], "already holds a run"),
    ],
)
def test_bad_input_exits_2_without_traceback(args, expected, sst2_small, tmp_path: Path) -> None:
    bad_config = tmp_path / "bad.json"
    bad_config.write_text(json.dumps({"data": "x.csv", "learning_rate": 1}))
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "metrics.jsonl").write_text('{"event": "step"}\n')
    args = [a.format(train=sst2_small[0], bad_config=bad_config, existing_run=existing) for a in args]
    if args[0] == "train" and "--output" not in args:
        args += ["--output", str(tmp_path / "o")]
    proc = workbench(*args)
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr


def test_minilm_fine_tunes_from_the_cli(tmp_path: Path, sst2_small) -> None:
    """A real pre-trained checkpoint, a few steps: loss goes down and the head is saved with labels."""
    train, dev = sst2_small
    out = tmp_path / "minilm"
    workbench("train", "--data", str(train), "--validation", str(dev), "--model", str(minilm_dir()),
              "--max-steps", "15", "--lr", "1e-4", "--output", str(out), "--num-threads", "2", check=True)
    records = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    evals = [r for r in records if r["event"] == "eval"]
    assert evals[-1]["metrics"]["eval_loss"] < 0.69  # below chance-level cross-entropy (ln 2)
    config = json.loads((out / "model" / "config.json").read_text())
    assert config["id2label"] == {"0": "0", "1": "1"} and config["model_type"] == "bert"


def test_naming_only_the_label_column_detects_the_text(tmp_path: Path) -> None:
    data = tmp_path / "reviews.csv"
    rows = ["a fine film,good,x", "a dull film,bad,y"] * 20
    data.write_text("review,verdict,id\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "r"
    workbench("train", "--data", str(data), "--label-column", "verdict", "--model", "bert-tiny", "--max-steps", "2",
              "--vocab-size", "200", "--output", str(out), check=True)
    assert json.loads((out / "summary.json").read_text())["label_names"] == ["bad", "good"]
