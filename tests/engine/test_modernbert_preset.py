"""The modernbert-mini preset: a masked LM from scratch that learns from its neighbours quickly.

BERT's learned absolute positions keep a from-scratch masked LM at the unigram
solution for thousands of steps (issue 5's tinyshakespeare runs); ModernBERT's
rotary positions let it use the neighbouring tokens within a few hundred. The
preset must also behave like every other model in the workbench: a saved run
that plain transformers loads with the same outputs, fine-tuning heads,
attention maps and saliency.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch

from workbench.engine.inference import Predictor
from workbench.engine.inspection.attention import compute_attention
from workbench.engine.inspection.saliency import explain
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import EvalDone
from workbench.engine.training.trainer import Trainer

WORDS = [f"w{i}" for i in range(24)]


def cyclic_corpus(path: Path, lines: int, seed: int) -> Path:
    """Lines that walk the word cycle w0 w1 ... w23 w0 from a random start: a masked word is
    fixed by its neighbours, while word frequencies alone guess right 1 time in 24."""
    rng = random.Random(seed)
    rows = []
    for _ in range(lines):
        start = rng.randrange(len(WORDS))
        rows.append(" ".join(WORDS[(start + k) % len(WORDS)] for k in range(12)))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def small(data: Path, out: Path | None, **overrides) -> TrainConfig:
    values = dict(
        data=str(data), task="masked-lm", model="modernbert-mini", layers=2, heads=2, hidden=64,
        vocab_size=200, max_length=16, batch_size=32, lr=3e-3, num_threads=1,
        output=str(out) if out else None,
    )
    values.update(overrides)
    return TrainConfig(**values)


def test_modernbert_preset_learns_masked_words_from_their_neighbours(tmp_path: Path) -> None:
    """150 steps: modernbert-mini fills the cycle (0.78 here); a BERT of the same size is
    still near word frequencies (0.075; it gets there by about 300 steps)."""
    train = cyclic_corpus(tmp_path / "train.txt", 400, seed=0)
    held_out = cyclic_corpus(tmp_path / "dev.txt", 80, seed=1)
    accuracy = {}
    for model in ("modernbert-mini", "bert-tiny"):
        out = tmp_path / model
        config = small(train, out, model=model, validation=str(held_out), max_steps=150, eval_every=150)
        metrics = [e.metrics for e in Trainer(config).run() if isinstance(e, EvalDone)][-1]
        assert metrics["eval_unigram_masked_accuracy"] < 0.1
        accuracy[model] = metrics["eval_masked_accuracy"]
    assert accuracy["modernbert-mini"] > 0.6, accuracy
    assert accuracy["modernbert-mini"] > accuracy["bert-tiny"] + 0.3, accuracy

    fillers = Predictor.load(tmp_path / "modernbert-mini").predict(["w5 w6 w7 [MASK] w9 w10"])[0]["fillers"]
    assert fillers[0]["token"] == "w8", fillers


def test_saved_modernbert_run_predicts_what_transformers_computes(tmp_path: Path) -> None:
    from transformers import AutoModelForMaskedLM, AutoTokenizer, ModernBertForMaskedLM

    out = tmp_path / "run"
    list(Trainer(small(cyclic_corpus(tmp_path / "train.txt", 60, seed=0), out, max_steps=3)).run())
    model = AutoModelForMaskedLM.from_pretrained(out / "model").eval()
    assert isinstance(model, ModernBertForMaskedLM)
    tok = AutoTokenizer.from_pretrained(out / "model")
    assert "token_type_ids" not in tok("w1 w2", "w3")  # ModernBERT has no segment embeddings

    text = "w1 w2 [MASK] w4"
    ours = Predictor.load(out).predict([text], top_k=3)[0]["fillers"]
    enc = tok(text, return_tensors="pt")
    with torch.no_grad():
        probs = model(**enc).logits[0, enc["input_ids"][0].tolist().index(tok.mask_token_id)].softmax(-1)
    top = probs.topk(3)
    assert [f["token"] for f in ours] == tok.convert_ids_to_tokens(top.indices.tolist())
    assert [f["score"] for f in ours] == pytest.approx(top.values.tolist(), abs=1e-5)


@pytest.mark.parametrize("task", ["classification", "token-classification"])
def test_modernbert_preset_fine_tunes_and_explains(task: str, tmp_path: Path) -> None:
    if task == "classification":
        data = tmp_path / "train.csv"
        rows = [("a good film", "pos"), ("a bad film", "neg"), ("truly great", "pos"), ("dull and slow", "neg")]
        data.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in rows * 10), encoding="utf-8")
    else:
        data = tmp_path / "train.conll"
        data.write_text("Paris B-LOC\nis O\nlovely O\n\nAnna B-PER\nsings O\n\n" * 10, encoding="utf-8")
    out = tmp_path / "run"
    events = list(Trainer(TrainConfig(data=str(data), task=task, model="modernbert-mini", layers=2, heads=2,
                                      hidden=64, vocab_size=100, max_steps=4, batch_size=8, num_threads=1,
                                      output=str(out))).run())
    assert events[-1].summary["status"] == "finished"
    predictor = Predictor.load(out)
    text = "a good film" if task == "classification" else "Paris is lovely"
    maps = compute_attention(predictor.model, predictor.tokenizer, text)
    assert maps.num_layers == 2 and maps.num_heads == 2
    assert maps.attentions.sum(-1) == pytest.approx(1.0, abs=1e-5)  # every query's weights sum to one
    if task == "classification":
        attribution = explain(predictor, text, "ig", steps=64)
        assert len(attribution.attributions) == len(attribution.tokens) == len(maps.tokens)
        # Completeness: the attributions add up to the logit's change from the baseline.
        assert abs(attribution.delta) < 0.05 * max(1.0, float(abs(attribution.attributions).sum()))
