"""``workbench attention | explain | eval --predictions`` as a user runs them: files, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from tests.cli_kit import run_workbench as workbench
from tests.conftest import shared
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer

TEXT = "a gorgeous , witty , seductive movie ."


def _train(out: Path, data: Path, **overrides) -> Path:
    values = {"data": str(data), "model": "bert-tiny", "max_steps": 10, "vocab_size": 1000, "output": str(out),
              "batch_size": 16, "eval_every": 10, "num_threads": 1}
    values.update(overrides)
    events = list(Trainer(TrainConfig(**values)).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


@pytest.fixture(scope="module")
def classifier(sst2_small, tmp_path_factory) -> Path:
    train, _ = sst2_small
    return _train(tmp_path_factory.mktemp("cls") / "run", train)


@pytest.fixture(scope="module")
def masked_lm(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mlm")
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:400]
    text = folder / "corpus.txt"
    text.write_text("\n".join(line.split("\t")[0] for line in lines) + "\n", encoding="utf-8")
    return _train(folder / "run", text, task="masked-lm", max_steps=2, max_length=64)


def _conll_sentences(path: Path, n: int) -> str:
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")[:n]
    return "\n\n".join(blocks) + "\n"


@pytest.fixture(scope="module")
def tagger(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tag")
    source = shared("wnut17", "emerging.dev.conll")
    train = folder / "train.conll"
    train.write_text(_conll_sentences(source, 200), encoding="utf-8")
    dev = folder / "dev.conll"
    dev.write_text(_conll_sentences(source, 40), encoding="utf-8")
    return _train(folder / "run", train, task="token-classification", max_steps=5), dev


# --------------------------------------------------------------------------- attention


def test_attention_npz_loads_without_pickle_and_is_consistent(classifier: Path, tmp_path: Path) -> None:
    out = tmp_path / "maps.npz"
    proc = workbench("attention", str(classifier), TEXT, "--out", str(out), check=True)
    config = json.loads((classifier / "model" / "config.json").read_text())
    with np.load(out, allow_pickle=False) as npz:
        tokens, att, roll, special = npz["tokens"], npz["attentions"], npz["rollout"], npz["special"]
    assert tokens.dtype.kind == "U" and att.dtype == np.float32 and roll.dtype == np.float32
    T = len(tokens)
    assert att.shape == (config["num_hidden_layers"], config["num_attention_heads"], T, T)
    assert roll.shape == (T, T) and special.shape == (T,)
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]" and special[0] and special[-1]
    np.testing.assert_allclose(att.sum(-1), 1.0, atol=1e-5)
    np.testing.assert_allclose(roll.sum(-1), 1.0, atol=1e-5)
    assert f"{att.shape[0]} layers x {att.shape[1]} heads x {T} tokens" in proc.stdout
    assert not list(tmp_path.glob(".maps.npz.*"))  # no temporary file left beside it


def test_attention_text_pair_and_max_length(classifier: Path, tmp_path: Path) -> None:
    out = tmp_path / "pair.npz"
    workbench("attention", str(classifier), TEXT, "--text-pair", "not bad at all", "--max-length", "8",
              "--out", str(out), check=True)
    with np.load(out, allow_pickle=False) as npz:
        tokens = npz["tokens"]
        assert npz["attentions"].shape[-1] == len(tokens) == 8
    assert list(tokens).count("[SEP]") == 2


# --------------------------------------------------------------------------- explain


def test_explain_json_has_one_score_per_token(classifier: Path) -> None:
    proc = workbench("explain", str(classifier), TEXT, "the film is not bad", "--json", "--steps", "16", check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 2
    for row in rows:
        assert row["method"] == "ig" and row["steps"] == 16 and row["baseline"] == "pad"
        assert len(row["attributions"]) == len(row["tokens"]) and row["tokens"][0] == "[CLS]"
        assert isinstance(row["delta"], float) and row["target"] in ("0", "1")
        assert abs(row["delta"]) <= 0.05 * abs(sum(row["attributions"])) + 1e-6


def test_explain_grad_x_input_target_and_human_output(classifier: Path) -> None:
    proc = workbench("explain", str(classifier), TEXT, "--method", "grad-x-input", "--target", "0", "--json",
                     check=True)
    row = json.loads(proc.stdout)
    assert row["method"] == "grad-x-input" and row["target"] == "0" and "delta" not in row
    assert len(row["attributions"]) == len(row["tokens"])
    human = workbench("explain", str(classifier), TEXT, "--target", "1", check=True).stdout.splitlines()
    assert human[0] == TEXT and "target 1" in human[1] and "delta" in human[1]
    # One signed score per token, [CLS] first.
    scores = human[2:]
    assert len(scores) == len(row["tokens"]) and scores[0].split()[1] == "[CLS]"
    assert all(line.split()[0][0] in "+-" for line in scores)


def test_explain_a_whole_file(classifier: Path, sst2_small) -> None:
    data = sst2_small[1].parent / "few.tsv"
    data.write_text("\n".join(sst2_small[1].read_text().splitlines()[:6]) + "\n", encoding="utf-8")
    proc = workbench("explain", str(classifier), "--file", str(data), "--method", "grad-x-input", check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    texts = [line.split("\t")[0] for line in data.read_text().splitlines()[1:]]
    assert [r["text"] for r in rows] == texts
    assert [r["line"] for r in rows] == [2, 3, 4, 5, 6]
    assert all(len(r["attributions"]) == len(r["tokens"]) for r in rows)


@pytest.mark.parametrize(
    "extra, expected",
    [
        (["--target", "great"], "unknown target 'great'"),
        (["--steps", "0"], "--steps"),
        (["--file", "missing.tsv"], "missing.tsv"),
    ],
)
def test_explain_bad_input_exits_2(classifier: Path, extra: list[str], expected: str) -> None:
    args = ["explain", str(classifier), *([] if "--file" in extra else [TEXT]), *extra]
    proc = workbench(*args)
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr and "Traceback" not in proc.stderr


def test_explain_on_a_masked_lm_exits_2_with_a_clear_message(masked_lm: Path) -> None:
    proc = workbench("explain", str(masked_lm), TEXT)
    assert proc.returncode == 2
    assert "saliency is available for classification models" in proc.stderr
    assert "masked-lm" in proc.stderr and "Traceback" not in proc.stderr
    # Attention, though, works for every task.
    workbench("attention", str(masked_lm), TEXT, "--out", str(masked_lm / "maps.npz"), check=True)


# --------------------------------------------------------------------------- eval --predictions


def test_eval_predictions_csv_agrees_with_the_metrics(classifier: Path, sst2_small, tmp_path: Path) -> None:
    dev = sst2_small[1]
    out = tmp_path / "pred.csv"
    proc = workbench("eval", str(classifier), "--data", str(dev), "--json", "--predictions", str(out), check=True)
    metrics = json.loads(proc.stdout)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = metrics["label_names"]
    assert list(rows[0]) == (["example", "line", "text", "label", "predicted", "confidence", "loss", "correct"]
                             + [f"p_{n}" for n in names])
    file_rows = dev.read_text(encoding="utf-8").splitlines()[1:]
    assert len(rows) == len(file_rows) == metrics["eval_examples"]
    assert [r["text"] for r in rows] == [line.split("\t")[0] for line in file_rows]
    assert [r["label"] for r in rows] == [line.rsplit("\t", 1)[1] for line in file_rows]
    correct = [int(r["correct"]) for r in rows]
    assert sum(correct) / len(correct) == pytest.approx(metrics["eval_accuracy"], abs=1e-12)
    assert np.mean([float(r["loss"]) for r in rows]) == pytest.approx(metrics["eval_loss"], rel=1e-5)
    # The confusion matrix counted from the CSV is the one eval --json reports.
    counts = [[0] * len(names) for _ in names]
    for r in rows:
        counts[names.index(r["label"])][names.index(r["predicted"])] += 1
    assert counts == metrics["eval_confusion_matrix"]
    for r in rows:
        probs = [float(r[f"p_{n}"]) for n in names]
        assert sum(probs) == pytest.approx(1.0, abs=1e-5)
        assert float(r["confidence"]) == max(probs) and r["predicted"] == names[probs.index(max(probs))]


def test_eval_predictions_for_a_tagger_has_one_row_per_word(tagger: tuple[Path, Path], tmp_path: Path) -> None:
    run, dev = tagger
    out = tmp_path / "tags.csv"
    proc = workbench("eval", str(run), "--data", str(dev), "--json", "--predictions", str(out), check=True)
    metrics = json.loads(proc.stdout)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["example", "line", "word", "label", "predicted"]
    words = [line.split("\t") for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [(r["word"], r["label"]) for r in rows] == [(w, t) for w, t in words]
    assert len({r["example"] for r in rows}) == metrics["eval_examples"] == 40
    predicted = [r for r in rows if r["predicted"]]
    accuracy = sum(r["predicted"] == r["label"] for r in predicted) / len(predicted)
    assert accuracy == pytest.approx(metrics["eval_accuracy"], abs=1e-9)


def test_eval_predictions_refused_for_language_models(masked_lm: Path, tmp_path: Path) -> None:
    corpus = masked_lm.parent / "corpus.txt"
    proc = workbench("eval", str(masked_lm), "--data", str(corpus), "--predictions", str(tmp_path / "p.csv"))
    assert proc.returncode == 2 and "--predictions is for classification" in proc.stderr
    assert not (tmp_path / "p.csv").exists()


def test_help_lists_the_new_commands() -> None:
    out = workbench("--help", check=True).stdout
    assert "attention" in out and "explain" in out
    for command in ("attention", "explain"):
        assert "usage: workbench " + command in workbench(command, "--help", check=True).stdout
