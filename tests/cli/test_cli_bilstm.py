"""``workbench train --model bilstm`` as a user runs it: it learns SST-2 and UPOS tags; predict, eval, compare work;
attention and language-model tasks are refused with a readable message (exit code 2)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import torch

from tests.cli_kit import run_workbench as workbench
from tests.conftest import shared


def _head(src: Path, dst: Path, rows: int) -> Path:
    lines = src.read_text(encoding="utf-8").splitlines()[: rows + 1]  # header + rows
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def _sentences(src: Path, dst: Path, n: int) -> Path:
    """The first ``n`` sentences of a CoNLL-U file (blocks separated by blank lines)."""
    blocks = src.read_text(encoding="utf-8").split("\n\n")[:n]
    dst.write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def sst2(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bilstm_sst2")
    train = _head(shared("sst2", "train.tsv"), folder / "train.tsv", 2000)
    dev = _head(shared("sst2", "dev.tsv"), folder / "dev.tsv", 300)
    out = folder / "run"
    # 1.3 epochs of 2,000 sentences, half the preset's width, one thread (two shared cores);
    # the preset's learning rate and the rest of its defaults.
    workbench("train", "--data", str(train), "--validation", str(dev), "--model", "bilstm", "--hidden", "128",
              "--max-steps", "80", "--batch-size", "32", "--num-threads", "1", "--quiet", "--output", str(out),
              check=True)
    return {"train": train, "dev": dev, "run": out}


@pytest.fixture(scope="module")
def upos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bilstm_upos")
    train = _sentences(shared("ud_english_ewt", "en_ewt-ud-dev.conllu"), folder / "train.conllu", 1000)
    dev = _sentences(shared("ud_english_ewt", "en_ewt-ud-test.conllu"), folder / "dev.conllu", 300)
    out = folder / "run"
    workbench("train", "--data", str(train), "--validation", str(dev), "--task", "token-classification",
              "--model", "bilstm", "--hidden", "128", "--max-steps", "80", "--batch-size", "32",
              "--num-threads", "1", "--quiet", "--output", str(out), check=True)
    return {"train": train, "dev": dev, "run": out}


def _majority_share(labels: list[str]) -> float:
    return Counter(labels).most_common(1)[0][1] / len(labels)


def test_classification_learns_well_above_the_majority_baseline(sst2: dict[str, Path]) -> None:
    summary = json.loads((sst2["run"] / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["steps"] == 80
    config = json.loads((sst2["run"] / "model" / "config.json").read_text())
    assert config["model_type"] == "workbench-bilstm" and "auto_map" not in config
    majority = _majority_share([line.rsplit("\t", 1)[1] for line in sst2["dev"].read_text().splitlines()[1:]])
    assert summary["eval_accuracy"] >= majority + 0.12, (summary["eval_accuracy"], majority)


def test_predict_matches_the_model_loaded_by_transformers(sst2: dict[str, Path]) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from workbench.engine.models.loading import register_architectures

    sentences = [line.split("\t")[0] for line in sst2["dev"].read_text().splitlines()[1:11]]
    proc = workbench("predict", str(sst2["run"]), *sentences, "--json", check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    register_architectures()
    model = AutoModelForSequenceClassification.from_pretrained(sst2["run"] / "model").eval()
    tok = AutoTokenizer.from_pretrained(sst2["run"] / "model")
    with torch.no_grad():
        for sentence, row in zip(sentences, rows, strict=True):
            ref = torch.softmax(model(**tok(sentence, return_tensors="pt")).logits, -1)[0].tolist()
            got = [row["probabilities"][model.config.id2label[i]] for i in range(2)]
            assert max(abs(a - b) for a, b in zip(ref, got)) < 1e-5


def test_eval_reproduces_the_runs_final_evaluation(sst2: dict[str, Path]) -> None:
    metrics = json.loads(workbench("eval", str(sst2["run"]), "--data", str(sst2["dev"]), "--json", check=True).stdout)
    summary = json.loads((sst2["run"] / "summary.json").read_text())
    assert metrics["eval_examples"] == 300
    assert abs(metrics["eval_accuracy"] - summary["eval_accuracy"]) < 1e-9


def test_tagging_learns_upos(upos: dict[str, Path]) -> None:
    summary = json.loads((upos["run"] / "summary.json").read_text())
    tags = [line.split("\t")[3] for line in upos["dev"].read_text().splitlines()
            if line and not line.startswith("#") and line.split("\t")[0].isdigit()]
    majority = _majority_share(tags)  # NOUN, about 0.17
    assert summary["eval_accuracy"] >= majority + 0.4, (summary["eval_accuracy"], majority)
    metrics = json.loads(workbench("eval", str(upos["run"]), "--data", str(upos["dev"]), "--json", check=True).stdout)
    assert abs(metrics["eval_accuracy"] - summary["eval_accuracy"]) < 1e-9
    proc = workbench("predict", str(upos["run"]), "The cat sat on the mat .", "--json", check=True)
    row = json.loads(proc.stdout)
    assert row["words"] == ["The", "cat", "sat", "on", "the", "mat", "."]
    assert row["tags"][0] == "DET" and row["tags"][-1] == "PUNCT"


def test_attention_is_refused_and_writes_nothing(sst2: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "maps.npz"
    proc = workbench("attention", str(sst2["run"]), "a witty movie", "--out", str(out))
    assert proc.returncode == 2
    assert "a BiLSTM has no attention" in proc.stderr and "explain" in proc.stderr
    assert not out.exists()
    # Saliency is the inspection that does apply.
    proc = workbench("explain", str(sst2["run"]), "a witty and gorgeous movie", "--json", check=True)
    assert len(json.loads(proc.stdout.splitlines()[0])["tokens"]) >= 5


@pytest.mark.slow  # three more subprocesses and a second training run (~15 s idle, ~45 s on busy cores)
def test_compare_with_a_transformer(sst2: dict[str, Path], tmp_path: Path) -> None:
    """The BiLSTM as one side of `workbench compare`, a bert-tiny run of the same data as the other.

    (tests/gui/test_bilstm_flow.py runs the same engine comparison in CI through the compare panel.)
    """
    bert = tmp_path / "bert"
    workbench("train", "--data", str(sst2["train"]), "--validation", str(sst2["dev"]), "--model", "bert-tiny",
              "--max-steps", "10", "--batch-size", "16", "--vocab-size", "2000", "--num-threads", "1", "--quiet",
              "--output", str(bert), check=True)
    proc = workbench("compare", str(sst2["run"]), str(bert), "--data", str(sst2["dev"]), "--json", check=True)
    out = json.loads(proc.stdout)
    metrics = json.loads(workbench("eval", str(sst2["run"]), "--data", str(sst2["dev"]), "--json", check=True).stdout)
    assert out["examples"] == 300 and out["metrics_a"]["accuracy"] == metrics["eval_accuracy"]
    assert all(r["a"] != r["b"] for r in out["disagreements"])


@pytest.mark.parametrize("task", ["masked-lm", "causal-lm"])
def test_language_model_tasks_are_refused(task: str, tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    text.write_text("a few words\nof plain text\n", encoding="utf-8")
    proc = workbench("train", "--data", str(text), "--task", task, "--model", "bilstm", "--output", str(tmp_path / "r"))
    assert proc.returncode == 2
    assert f"cannot learn {task}" in proc.stderr and "classification or token-classification" in proc.stderr
    assert not (tmp_path / "r").exists()
