"""The benchmark scripts' building blocks work (bench/ itself is figures, never timed tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from bench.finetune import non_embedding_parameters, padded_tokens_random, side_order, summarise
from bench.predict import measure, sentence_of
from tests.conftest import shared
from workbench.engine.inference import Predictor
from workbench.engine.models.loading import ModelSource, build_from_scratch

_TEXTS = ["a gorgeous , witty , seductive movie .", "the plot is nothing but boilerplate clichés",
          "an absorbing and unsettling psychological drama", "it never quite lands"] * 20


def test_predict_bench_measures_a_32_token_prediction_with_all_layers_attention() -> None:
    torch.manual_seed(0)
    model, tokenizer = build_from_scratch("bert-tiny", "classification", _TEXTS, ["neg", "pos"],
                                          layers=2, hidden=64, heads=2, vocab_size=300)
    predictor = Predictor(model.eval(), tokenizer, "classification", ["neg", "pos"], 128,
                          ModelSource("folder", "scratch"))
    text = sentence_of(tokenizer, 32)
    figures = measure(predictor, text, calls=3, warmup=1)
    assert figures["tokens"] == 32
    assert figures["attention_shape"] == [2, 2, 32, 32]  # every layer and head, one pass
    for key in ("plain", "with_attention", "two_pass", "ref_forward", "ref_forward_attention"):
        assert 0 < figures[key]["p50_ms"] <= figures[key]["p95_ms"] <= figures[key]["max_ms"]


def test_finetune_bench_counts() -> None:
    # Random batches of lengths 2 and 10: every batch of two pads the short one to 10 or not at all.
    ids = [[1] * 2, [1] * 10] * 4
    fraction = padded_tokens_random(ids, 2)
    assert 0 < fraction < 1 - 48 / 80 + 1e-9  # at most every batch mixed: 48 real of 80 slots
    model, _ = build_from_scratch("bert-tiny", "classification", _TEXTS, ["neg", "pos"],
                                  layers=1, hidden=32, heads=2, vocab_size=300)
    embeddings = sum(p.numel() for p in model.base_model.embeddings.parameters())
    assert non_embedding_parameters(model) == sum(p.numel() for p in model.parameters()) - embeddings
    assert 0 < non_embedding_parameters(model) < embeddings  # a tiny model is mostly vocabulary



def test_finetune_bench_alternates_the_sides_and_takes_ratios_within_a_repeat() -> None:
    sides = ["ref_default", "ref_tuned", "ours", "bert_base_tuned", "bert_base_ours"]
    assert side_order(sides, 0, False) == sides
    assert side_order(sides, 1, False) == ["ours", "ref_tuned", "ref_default", "bert_base_ours", "bert_base_tuned"]
    assert side_order(sides, 0, True) == side_order(sides, 1, False)

    def repeat(default: float, tuned: float, ours: float) -> dict:
        return {"ref_default": {"samples_per_s": default, "dev_accuracy": 0.85, "precision": "fp32"},
                "ref_tuned": {"samples_per_s": tuned, "dev_accuracy": 0.84, "precision": "bf16"},
                "ours": {"samples_per_s": ours, "dev_accuracy": 0.845, "precision": "bf16", "mfu_flops": 1.0}}

    # A repeat on a busy machine slows every side: ratios within a repeat stay put, a ratio of medians would not.
    out = summarise([repeat(10, 20, 30), repeat(5, 10, 15), repeat(12, 24, 36)])
    assert out["ratio_vs_default_runs"] == [3.0, 3.0, 3.0] and out["ratio_vs_default"] == 3.0
    assert out["ratio_vs_tuned"] == 1.5 and out["ours_samples_per_s"] == 30
    assert out["ours_samples_per_s_runs"] == [30, 15, 36] and out["ours_precision"] == "bf16"
    assert out["accuracy_gap_vs_default_points"] == 0.5 and out["accuracy_gap_vs_tuned_points"] == -0.5
    assert "ours_mfu_flops" not in out and "bert_base_ratio_vs_tuned" not in out

def test_seq2seq_bench_prints_both_sides_figures_and_the_retrieval_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """A tiny budget on a slice of Tatoeba: every figure prints, in one JSON line.

    The reference side (transformers' Seq2SeqTrainer) needs accelerate, which the ``bench``
    extra installs and the ``test`` extra does not: without it only our side runs.
    """
    import importlib.util

    from bench import seq2seq

    sides = ("ours", "ref") if importlib.util.find_spec("accelerate") else ("ours",)
    data = tmp_path / "cmn.txt"
    data.write_text("".join(shared("tatoeba_en_zh", "cmn.txt").read_text(encoding="utf-8").splitlines(True)[:1500]),
                    encoding="utf-8")
    threads = torch.get_num_threads()
    only = [] if len(sides) == 2 else ["--only", "ours"]
    assert seq2seq.main(["--data", str(data), "--minutes", "0.02", "--held-out", "50", "--threads", "1",
                         "--json", *only]) == 0
    assert torch.get_num_threads() == threads  # the process-wide setting is given back
    results = json.loads(capsys.readouterr().out)  # one line: the reference's own summary went to stderr
    assert results["held_out_pairs"] == 50 and results["machine"]["torch"] == torch.__version__
    for side in sides:
        assert results[f"{side}_samples_per_s"] > 0 and results[f"{side}_steps"] >= 1
        assert 0 <= results[f"{side}_bleu"] <= 100 and 0 <= results[f"{side}_chrf"] <= 100
    assert results["retrieval_chrf"] > 0 and (len(sides) == 1 or results["ratio"] > 0)
    assert len(results["examples"]) == 5 and {"source", "reference", "retrieval", *sides} <= set(
        results["examples"][0])
