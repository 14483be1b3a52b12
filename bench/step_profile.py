"""A/B of one training-step change, interleaved in one process (the machine may be loaded).

MiniLM, batch 32 x 48 tokens (40 real), bf16 CPU autocast, fused AdamW, gradient clipping:
the step our trainer takes on SST-2. ``--ab heap``: glibc's default thresholds (A) against
``workbench.engine.training.heap``'s run thresholds (B), ``--pairs`` pairs of ``--steps``
steps each, same data and weights; prints every pair's milliseconds, the medians and the
per-pair B/A ratios. ``--ab compile``: the eager model (A) against ``torch.compile(model)`` (B, ``--shapes dynamic``
or ``static``), with the compile time; ``--lengths`` cycles batch widths to show how often it
compiles. Measured on 2 AMD EPYC cores, bf16, torch 2.13: dynamic shapes (widths 24, 40, 64)
compile in 134 s and step 1.06x slower than eager; static shapes (width 48) compile in 36 s and
step 0.99x as long. Neither pays on this CPU, so the trainer does not compile.
``--profile N``: the top operators of N steps (self CPU), shapes apart.

    OMP_NUM_THREADS=1 python bench/step_profile.py --ab heap --pairs 6
    OMP_NUM_THREADS=1 python bench/step_profile.py --ab compile --lengths 24,40,64 --pairs 4
    OMP_NUM_THREADS=1 python bench/step_profile.py --profile 5
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._finetune_sides import minilm_dir  # noqa: E402
from workbench.engine.training import heap  # noqa: E402
from workbench.engine.training.optim import build_optimizer  # noqa: E402


def make_step(precision: str, compiled: str = "", lengths: tuple[int, ...] = (48,)) -> Callable[[], None]:
    """One training step; each call takes the next of ``lengths`` (padded batch widths) in turn.
    ``compiled``: "" eager, "dynamic" or "static" ``torch.compile`` shapes."""
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(minilm_dir(), num_labels=2, attn_implementation="sdpa")
    model.train()
    optimizer = build_optimizer(model, 1e-4, 0.01, torch.device("cpu"))
    forward = torch.compile(model, dynamic=compiled == "dynamic") if compiled else model
    batches = []
    for width in lengths:
        ids = torch.randint(1000, 30000, (32, width))
        mask = torch.ones_like(ids)
        mask[:, width * 5 // 6:] = 0
        batches.append((ids, mask))
    labels = torch.randint(0, 2, (32,))
    turn = [0]

    def step() -> None:
        ids, mask = batches[turn[0] % len(batches)]
        turn[0] += 1
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
            loss = forward(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.float().backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.grad is not None], 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def ab_heap(step: Callable[[], None], pairs: int, steps: int) -> None:
    modes = {"A glibc default": (32 << 20, 64 << 20), "B heap.py run": (heap._RUN_MMAP, heap._RUN_TRIM)}
    times: dict[str, list[float]] = {name: [] for name in modes}
    faults: dict[str, list[int]] = {name: [] for name in modes}  # minor page faults a step: load-proof
    for _ in range(pairs):
        for name, (mmap_bytes, trim_bytes) in modes.items():
            heap.set_thresholds(mmap_bytes, trim_bytes)
            step()  # one step to settle the heap under these thresholds
            start, faults_before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            for _ in range(steps):
                step()
            times[name].append((time.perf_counter() - start) / steps * 1e3)
            faults[name].append((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before) // steps)
    print_pairs(times, {name: f"; page faults/step median {statistics.median(v):.0f}" for name, v in faults.items()})


def print_pairs(times: dict[str, list[float]], notes: dict[str, str] | None = None) -> None:
    """Each side's milliseconds per step (and its median), then the per-pair B/A ratios and theirs."""
    for name, values in times.items():
        print(f"{name}: ms/step {[round(v) for v in values]} median {statistics.median(values):.0f}"
              + (notes or {}).get(name, ""))
    a, b = times.values()
    ratios = [y / x for x, y in zip(a, b)]
    print(f"B/A per pair {[round(r, 3) for r in ratios]} median {statistics.median(ratios):.3f}")


def ab_compile(precision: str, pairs: int, steps: int, lengths: tuple[int, ...], shapes: str) -> None:
    """Eager (A) against ``torch.compile`` (B): the compile time once, then steps."""
    eager = make_step(precision, "", lengths)
    start = time.perf_counter()
    compiled = make_step(precision, shapes, lengths)
    for _ in lengths:
        compiled()  # compiles: once for dynamic shapes (maybe twice), once per width for static ones
    print(f"B compile and first steps: {time.perf_counter() - start:.1f} s")
    for _ in lengths:
        eager()
    times: dict[str, list[float]] = {"A eager": [], "B compiled": []}
    for _ in range(pairs):
        for name, step in (("A eager", eager), ("B compiled", compiled)):
            start = time.perf_counter()
            for _ in range(steps):
                step()
            times[name].append((time.perf_counter() - start) / steps * 1e3)
    print_pairs(times)


def profile(step: Callable[[], None], n: int) -> None:
    from torch.profiler import profile as torch_profile

    with torch_profile(record_shapes=True) as prof:
        for _ in range(n):
            step()
    print(prof.key_averages(group_by_input_shape=True).table(
        sort_by="self_cpu_time_total", row_limit=25, max_name_column_width=28, max_shapes_column_width=60))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ab", choices=["heap", "compile"], help="the change to measure")
    parser.add_argument("--shapes", choices=["dynamic", "static"], default="dynamic", help="--ab compile's shapes")
    parser.add_argument("--lengths", default="48", help="padded batch widths the steps cycle through (e.g. 24,40,64)")
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--steps", type=int, default=3, help="steps per side of a pair")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--precision", choices=["bf16", "fp32"], default="bf16")
    args = parser.parse_args()
    lengths = tuple(int(w) for w in args.lengths.split(","))
    if args.ab == "compile":
        ab_compile(args.precision, args.pairs, args.steps, lengths, args.shapes)
        return
    step = make_step(args.precision, lengths=lengths)
    for _ in range(2):
        step()  # warm-up
    if args.ab == "heap":
        ab_heap(step, args.pairs, args.steps)
    if args.profile:
        profile(step, args.profile)


if __name__ == "__main__":
    main()
