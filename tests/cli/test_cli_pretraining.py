"""``workbench train`` for pre-training: next-sentence prediction, baselines in the summary, continued pre-training."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from tests.cli.test_cli_train_predict_eval import workbench
from tests.conftest import minilm_dir, shared


def corpus(tmp_path: Path, lines: int, name: str = "corpus.txt", start: int = 0) -> Path:
    text = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[start : start + lines]
    path = tmp_path / name
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


TINY = ["--max-steps", "4", "--eval-every", "2", "--batch-size", "8", "--max-length", "48", "--vocab-size", "600",
        "--layers", "1", "--hidden", "64", "--num-threads", "1"]


def test_next_sentence_prediction_from_the_command_line(tmp_path) -> None:
    out = tmp_path / "nsp"
    proc = workbench("train", "--task", "masked-lm", "--model", "bert-tiny", "--next-sentence-prediction",
                     "--data", str(corpus(tmp_path, 400)), *TINY, "--output", str(out), check=True)
    summary = json.loads((out / "summary.json").read_text())
    assert 0 <= summary["eval_nsp_accuracy"] <= 1
    # The end-of-run summary compares the model with the unigram baseline and reports NSP accuracy.
    line = next(line for line in proc.stderr.splitlines() if line.startswith("model vs. baselines:"))
    assert f"masked accuracy {summary['eval_masked_accuracy']:.4g} (unigram {summary['eval_unigram_masked_accuracy']:.4g})" in line
    assert f"perplexity {summary['eval_perplexity']:.4g} (unigram {summary['eval_unigram_perplexity']:.4g})" in line
    assert f"next-sentence accuracy {summary['eval_nsp_accuracy']:.4g}" in line
    assert json.loads((out / "config.json").read_text())["next_sentence_prediction"] is True
    # The saved model fills masks through `workbench predict`, the task inferred from the folder.
    predicted = workbench("predict", str(out), "the king [MASK] here", "--json", check=True)
    row = json.loads(predicted.stdout.splitlines()[0])
    assert len(row["fillers"]) == 5 and all(0 <= f["score"] <= 1 for f in row["fillers"])


def test_masked_lm_from_a_bert_preset_points_to_modernbert_which_trains_and_fills(tmp_path) -> None:
    data = corpus(tmp_path, 300)
    bert = workbench("train", "--task", "masked-lm", "--model", "bert-tiny", "--data", str(data), *TINY,
                     "--output", str(tmp_path / "bert"), check=True)
    assert "modernbert-mini (rotary positions)" in bert.stderr
    out = tmp_path / "modern"
    proc = workbench("train", "--task", "masked-lm", "--model", "modernbert-mini", "--heads", "2", "--data", str(data),
                     *TINY, "--output", str(out), check=True)
    assert "modernbert-mini (rotary positions)" not in proc.stderr
    assert json.loads((out / "model" / "config.json").read_text())["model_type"] == "modernbert"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["eval_loss"] > 0 and "eval_unigram_masked_accuracy" in summary
    row = json.loads(workbench("predict", str(out), "the king [MASK] here", "--json", check=True).stdout.splitlines()[0])
    assert len(row["fillers"]) == 5 and all(0 <= f["score"] <= 1 for f in row["fillers"])


def test_causal_lm_summary_shows_the_next_token_baseline(tmp_path) -> None:
    out = tmp_path / "gpt"
    proc = workbench("train", "--task", "causal-lm", "--model", "gpt-tiny", "--data", str(corpus(tmp_path, 300)),
                     *TINY, "--output", str(out), check=True)
    summary = json.loads((out / "summary.json").read_text())
    line = next(line for line in proc.stderr.splitlines() if line.startswith("model vs. baselines:"))
    assert f"(unigram {summary['eval_unigram_next_token_accuracy']:.4g})" in line
    assert "next-sentence" not in line


def test_command_line_round_trips_the_option() -> None:
    from workbench.cli import build_parser
    from workbench.cli.train_cmd import config_from_args
    from workbench.engine.training.command import command_line
    from workbench.engine.training.config import TrainConfig

    config = TrainConfig(data="corpus.txt", task="masked-lm", model="bert-tiny", next_sentence_prediction=True,
                         whole_word_masking=True, output="runs/x")
    text = command_line(config)
    assert "--next-sentence-prediction" in text and "--whole-word-masking" in text
    args = build_parser().parse_args(shlex.split(text)[1:])
    assert config_from_args(args).to_dict() == config.to_dict()
    assert "--next-sentence-prediction" not in command_line(TrainConfig(data="x.csv", output="runs/y"))


def test_bad_nsp_requests_exit_2_with_a_reason(tmp_path) -> None:
    data = corpus(tmp_path, 50)
    proc = workbench("train", "--task", "causal-lm", "--model", "gpt-tiny", "--next-sentence-prediction",
                     "--data", str(data), "--output", str(tmp_path / "a"))
    assert proc.returncode == 2 and "next_sentence_prediction: only for masked-lm" in proc.stderr
    proc = workbench("train", "--task", "masked-lm", "--model", "gpt-tiny", "--next-sentence-prediction",
                     "--data", str(data), "--output", str(tmp_path / "b"))
    assert proc.returncode == 2 and "next-sentence head" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_continued_pretraining_of_a_bert_checkpoint(tmp_path) -> None:
    """Domain adaptation from the command line: MiniLM (no MLM head) continues on Shakespeare."""
    out = tmp_path / "adapt"
    proc = workbench("train", "--task", "masked-lm", "--model", str(minilm_dir()),
                     "--data", str(corpus(tmp_path, 600)), "--validation", str(corpus(tmp_path, 200, "dev.txt", 700)),
                     "--max-steps", "10", "--eval-every", "5", "--batch-size", "8", "--max-length", "32",
                     "--lr", "1e-3", "--warmup-ratio", "0", "--num-threads", "1", "--output", str(out), check=True)
    assert "has no masked-LM head" in proc.stderr and "random weights" in proc.stderr
    evals = [r["metrics"] for r in map(json.loads, (out / "metrics.jsonl").read_text().splitlines())
             if r["event"] == "eval"]
    assert evals[-1]["eval_masked_accuracy"] > evals[0]["eval_masked_accuracy"]
    assert "model vs. baselines:" in proc.stderr
