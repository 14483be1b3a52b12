"""bench/predict.py's fp32-vs-bf16 figures (issue 19, item 4): their building blocks work."""

from __future__ import annotations

import pytest
import torch

from bench.predict import bf16_difference, precision_pair, sentence_of
from workbench.engine.inference import Predictor
from workbench.engine.models.loading import ModelSource, build_from_scratch
from workbench.engine.training import precision_probe

_TEXTS = ["a gorgeous , witty , seductive movie .", "the plot is nothing but boilerplate clichés",
          "an absorbing and unsettling psychological drama", "it never quite lands"] * 20


def _predictor() -> Predictor:
    torch.manual_seed(0)
    model, tokenizer = build_from_scratch("bert-tiny", "classification", _TEXTS, ["neg", "pos"],
                                          layers=2, hidden=64, heads=2, vocab_size=300)
    return Predictor(model.eval(), tokenizer, "classification", ["neg", "pos"], 128,
                     ModelSource("folder", "scratch"))


@pytest.mark.skipif(not precision_probe.cpu_bf16_supported(), reason="this CPU has no native bf16")
def test_fp32_and_bf16_side_by_side_and_their_largest_difference() -> None:
    predictor = _predictor()
    text = sentence_of(predictor.tokenizer, 32)
    pair = precision_pair(predictor, text, calls=3, warmup=1)
    for precision in ("fp32", "bf16"):
        for key in ("plain", "with_attention"):
            assert 0 < pair[precision][key]["p50_ms"] <= pair[precision][key]["p95_ms"]
    assert predictor.precision == "fp32"  # given back as it was
    diff = bf16_difference(predictor, _TEXTS[:4] + [text])
    assert diff["sentences"] == 5
    assert 0 < diff["max_prob_diff"] < 0.05 and diff["mean_prob_diff"] <= diff["max_prob_diff"]
    assert 0 <= diff["label_changes"] <= 5


def test_a_cpu_without_bf16_is_skipped_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: False)
    predictor = _predictor()
    pair = precision_pair(predictor, sentence_of(predictor.tokenizer, 16), calls=2, warmup=0)
    assert "bf16 needs a CPU that computes in bfloat16" in pair["bf16"]["skipped"]
    assert pair["fp32"]["plain"]["p50_ms"] > 0
