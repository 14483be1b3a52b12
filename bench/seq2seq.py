"""Translation in a time budget: our engine against ``transformers.Seq2SeqTrainer`` and a retrieval baseline.

Tatoeba English -> Chinese (``../shared/data/tatoeba_en_zh/cmn.txt``). The translation task's
own split holds out ``--held-out`` pairs (default 1,000; every row of one English sentence on
the same side, its alternative translations being references of one another). One
from-scratch ``t5-tiny`` and its tokenizer (trained on both sides of the training pairs) are
built once, seeded, and saved; both sides start from that folder:

1. ours: ``workbench.engine.training.Trainer`` through its ``TrainConfig`` (``max_minutes``:
   the budget; the learning-rate schedule re-planned to end at it);
2. the reference: ``transformers.Seq2SeqTrainer`` with ``DataCollatorForSeq2Seq`` (random
   batches) and its own AdamW, the same batch size, learning rate, weight decay, gradient
   clipping and warmup, the same schedule (ours' ``Schedule``, re-planned by a
   ``TrainerCallback`` from the measured speed as ours re-plans) and a stop at the budget.

Both read the same token ids (``encode_seq2seq``); ours batches them by length. A run ends
at the budget or when the re-planned steps are done, whichever comes first. Training time is
the loop's wall clock: ours' step time (data collation included), the reference's from
``on_train_begin`` to the end of its last step. Both models are then scored alike on the
held-out pairs: greedy generation with the engine's ``generate_for`` (the same
``max_new_tokens``: the longest held-out target), sacreBLEU BLEU and chrF (``zh`` tokenizer)
by ``generation_metrics.corpus_scores``. The retrieval baseline answers each held-out source
with the target of the most similar training source (TF-IDF of character 1-4-grams, cosine).

Prints the machine, ``<side>_samples_per_s``, ``<side>_bleu``, ``<side>_chrf``,
``<side>_steps``, ``<side>_train_s`` (medians over ``--repeats``), ``ratio`` (of the
samples/s), ``retrieval_bleu``, ``retrieval_chrf``, and five held-out sentences translated
by each system.

    python bench/seq2seq.py [--json] [--minutes M] [--repeats N] [--held-out N] [--threads T]
                            [--batch-size B] [--lr LR] [--ref-first] [--only ours|ref]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.finetune import machine_info  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "tatoeba_en_zh" / "cmn.txt"
HYPER = {"batch_size": 32, "lr": 1e-3, "warmup_ratio": 0.06, "weight_decay": 0.01, "max_grad_norm": 1.0,
         "max_length": 64, "seed": 0}
# Enough epochs that the clock, never the plan, ends both runs.
EPOCHS = 100.0
METRICS = ("bleu", "chrf")
SHOWN = 5  # held-out sentences printed with each system's translation


# ---- data ----------------------------------------------------------------------------

def split_pairs(data: Path, held_out: int, seed: int) -> tuple[Any, Any, list[list[str]]]:
    """(train examples, held-out examples, held-out references), split by the translation task.

    The task's split holds out whole English sentences until at least ``held_out`` rows are;
    the held-out set is then cut to ``held_out`` rows (a cut group's rows train nobody). The
    references are every target of the same source, counted before the cut.
    """
    from workbench.engine.data import read_table
    from workbench.engine.task_data import build_examples
    from workbench.engine.tasks.registry import get_task
    from workbench.engine.tasks.seq2seq import references_by_source

    task = get_task("translation")
    examples = build_examples(read_table(data), "translation")
    train, held = task.split(examples, held_out / len(examples), seed)
    references = references_by_source(held)
    keep = list(range(min(held_out, len(held))))
    return train, held.subset(keep), [references[i] for i in keep]


def write_jsonl(path: Path, examples: Any) -> None:
    """The training pairs as ``{"source", "target"}`` rows (what ours reads; no quoting rules to meet)."""
    with path.open("w", encoding="utf-8") as f:
        for text, refs in zip(examples.texts, examples.targets):
            f.write(json.dumps({"source": text, "target": refs[0]}, ensure_ascii=False) + "\n")


def build_initial_model(train: Any, folder: Path, seed: int) -> None:
    """The seeded from-scratch ``t5-tiny`` and its tokenizer, saved: both sides start from it."""
    import torch

    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.tasks.registry import get_task

    torch.manual_seed(seed)
    model, tokenizer = build_from_scratch("t5-tiny", "translation", get_task("translation").tokenizer_texts(train),
                                          [], seed=seed)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


# ---- the two runs --------------------------------------------------------------------

def run_ours(train_file: Path, init: Path, minutes: float, batch_size: int, lr: float) -> dict[str, Any]:
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.events import StepLogged
    from workbench.engine.training.trainer import Trainer

    config = TrainConfig(
        data=str(train_file), validation=None, validation_fraction=0.0, task="translation", model=str(init),
        epochs=EPOCHS, max_minutes=minutes, batch_size=batch_size, lr=lr, warmup_ratio=HYPER["warmup_ratio"],
        weight_decay=HYPER["weight_decay"], max_grad_norm=HYPER["max_grad_norm"], max_length=HYPER["max_length"],
        seed=HYPER["seed"], device="cpu", precision="fp32", output=None,
    )
    trainer = Trainer(config)
    last: StepLogged | None = None
    for event in trainer.run():
        if isinstance(event, StepLogged):
            last = event
    assert last is not None
    return {"model": trainer.model, "tokenizer": trainer.tokenizer, "steps": last.step, "seconds": last.elapsed_s,
            "samples_per_s": last.samples_per_second}


def budget_callback(schedule: Any, budget_s: float, planned_steps: int) -> Any:
    """A ``TrainerCallback`` that re-plans ``schedule`` from the measured speed and stops at the budget.

    The same rule as our Trainer's ``_replan``: after 5, 20 and every 50 steps, the steps that
    fit in the rest of the budget at the speed so far become the schedule's total, so the
    learning rate reaches zero when the time is up.
    """
    from transformers import TrainerCallback

    from workbench.engine.training.trainer import _BUDGET_REPLAN_EVERY  # the same cadence as ours

    class Budget(TrainerCallback):
        began = 0.0
        seconds = 0.0

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self.began = time.perf_counter()

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            step = state.global_step
            self.seconds = time.perf_counter() - self.began
            if step in (5, 20) or step % _BUDGET_REPLAN_EVERY == 0:
                fits = step + int((budget_s - self.seconds) / (self.seconds / step))
                schedule.total_steps = max(step + 1, min(planned_steps, fits))
            if self.seconds >= budget_s or step >= schedule.total_steps:
                control.should_training_stop = True

    return Budget()


def samples_seen(steps: int, examples: int, batch_size: int) -> int:
    """Samples in ``steps`` batches of ``batch_size`` over epochs of ``examples`` (each epoch's last batch the rest).

    Counted, not collated: accelerate's data loader collates one batch ahead of the step.
    """
    per_epoch = math.ceil(examples / batch_size)
    epochs, rest = divmod(steps, per_epoch)
    return epochs * examples + min(rest * batch_size, examples)


def run_reference(train_features: list[dict[str, Any]], init: Path, attn: str, minutes: float, batch_size: int,
                  lr: float, tmp: Path) -> dict[str, Any]:
    import torch
    from transformers import (
        AutoModelForSeq2SeqLM,
        AutoTokenizer,
        DataCollatorForSeq2Seq,
        Seq2SeqTrainer,
        Seq2SeqTrainingArguments,
        set_seed,
    )

    from workbench.engine.training.optim import Schedule

    set_seed(HYPER["seed"])
    tokenizer = AutoTokenizer.from_pretrained(init)
    model = AutoModelForSeq2SeqLM.from_pretrained(init, attn_implementation=attn)
    dataset = [{"input_ids": f["input_ids"], "labels": f["target_ids"]} for f in train_features]
    planned = math.ceil(EPOCHS * math.ceil(len(dataset) / batch_size))
    schedule = Schedule(planned, HYPER["warmup_ratio"])

    class BudgetTrainer(Seq2SeqTrainer):
        def create_scheduler(self, num_training_steps: int, optimizer: Any = None) -> Any:
            # Our schedule (warmup, linear decay), re-planned to the budget by the callback.
            if self.lr_scheduler is None:
                self.lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer or self.optimizer, schedule.factor)
            return self.lr_scheduler

    args = Seq2SeqTrainingArguments(
        output_dir=str(tmp / "ref"), per_device_train_batch_size=batch_size, learning_rate=lr,
        weight_decay=HYPER["weight_decay"], max_grad_norm=HYPER["max_grad_norm"], num_train_epochs=EPOCHS,
        seed=HYPER["seed"], report_to="none", save_strategy="no", eval_strategy="no", logging_strategy="no",
        disable_tqdm=True, use_cpu=True,
    )
    collator = DataCollatorForSeq2Seq(tokenizer, model=model)
    budget = budget_callback(schedule, minutes * 60, planned)
    trainer = BudgetTrainer(model=model, args=args, train_dataset=dataset, data_collator=collator,
                            processing_class=tokenizer, callbacks=[budget])
    with contextlib.redirect_stdout(sys.stderr):  # its closing summary line: --json stays one line
        trainer.train()
    steps = trainer.state.global_step
    seconds = budget.seconds  # at the end of the last step, as ours counts
    return {"model": trainer.model, "tokenizer": tokenizer, "steps": steps, "seconds": seconds,
            "samples_per_s": samples_seen(steps, len(dataset), batch_size) / seconds}


# ---- scoring -------------------------------------------------------------------------

def translate(model: Any, tokenizer: Any, held: Any) -> list[str]:
    """Greedy outputs for every held-out source, by the engine's own evaluation generator."""
    import torch

    from workbench.engine.eval_loop import EvalOptions
    from workbench.engine.tasks.seq2seq import SourceFormat, encode_seq2seq, generate_for

    model.eval()
    encoded = encode_seq2seq(held, tokenizer, HYPER["max_length"], SourceFormat())
    with torch.inference_mode():
        out = generate_for(model, tokenizer, encoded, range(len(encoded)),  # type: ignore[arg-type]
                           EvalOptions(batch_size=64, device=torch.device("cpu")))
    return [out[i] for i in range(len(encoded))]


def retrieval_outputs(train: Any, held: Any) -> list[str]:
    """The target of the training source most like each held-out source (TF-IDF, character 1-4-grams)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), lowercase=True, sublinear_tf=True)
    train_matrix = vectorizer.fit_transform(train.texts)
    best = linear_kernel(vectorizer.transform(held.texts), train_matrix).argmax(axis=1)  # rows are L2-normalised
    return [train.targets[int(i)][0] for i in best]


def scores(outputs: list[str], references: list[list[str]]) -> dict[str, float]:
    from workbench.engine.generation_metrics import corpus_scores

    return {name: round(value, 2) for name, value in corpus_scores(outputs, references, lang="zh",
                                                                   metrics=METRICS).items()}


# ---- main ----------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--minutes", type=float, default=10.0, help="training budget per run (default 10)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each side; medians are printed")
    parser.add_argument("--held-out", type=int, default=1000, help="held-out pairs (default 1000)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for both sides (default 2)")
    parser.add_argument("--batch-size", type=int, default=HYPER["batch_size"])
    parser.add_argument("--lr", type=float, default=HYPER["lr"])
    parser.add_argument("--data", type=Path, default=DATA, help="Tatoeba-style pairs file")
    parser.add_argument("--ref-first", action="store_true", help="run the reference before ours")
    parser.add_argument("--only", choices=("ours", "ref"), help="run one side only")
    return parser.parse_args(argv)


def run_side(side: str, args: argparse.Namespace, files: dict[str, Any], held: Any,
             references: list[list[str]]) -> dict[str, Any]:
    if side == "ours":
        run = run_ours(files["train_file"], files["init"], args.minutes, args.batch_size, args.lr)
    else:
        run = run_reference(files["features"], files["init"], files["attn"], args.minutes, args.batch_size, args.lr,
                            files["tmp"])
    outputs = translate(run["model"], run["tokenizer"], held)
    return {"samples_per_s": run["samples_per_s"], "steps": run["steps"], "train_s": run["seconds"],
            **scores(outputs, references), "outputs": outputs}


def prepare(args: argparse.Namespace, tmp: Path, train: Any) -> dict[str, Any]:
    """The training file, the initial model folder, its token ids and attention implementation."""
    from workbench.engine.models.loading import load_pretrained, load_tokenizer, resolve_spec
    from workbench.engine.tasks.seq2seq import SourceFormat, encode_seq2seq

    files: dict[str, Any] = {"tmp": tmp, "train_file": tmp / "train.jsonl", "init": tmp / "init"}
    write_jsonl(files["train_file"], train)
    build_initial_model(train, files["init"], HYPER["seed"])
    source = resolve_spec(str(files["init"]))
    # The attention kernel ours loads the folder with: the reference loads it alike.
    files["attn"] = load_pretrained(source, "translation").config._attn_implementation
    tokenizer = load_tokenizer(source)
    files["features"] = encode_seq2seq(train, tokenizer, HYPER["max_length"], SourceFormat()).features
    return files


def shown_indices(n: int) -> list[int]:
    """``SHOWN`` held-out examples spread over the set (its start holds the shortest sentences)."""
    return sorted({i * n // SHOWN for i in range(min(SHOWN, n))})


def median_figures(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("samples_per_s", "bleu", "chrf", "steps", "train_s")
    medians = {key: round(statistics.median(r[key] for r in runs), 2) for key in keys}
    # Each run's figures too: a median of three hides how far apart the runs were.
    medians["each_samples_per_s"] = [round(r["samples_per_s"], 1) for r in runs]
    medians["each_chrf"] = [round(r["chrf"], 2) for r in runs]
    return medians


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import torch

    threads_before = torch.get_num_threads()
    torch.set_num_threads(args.threads)  # our Trainer keeps the process's setting (num_threads=None)
    try:
        results = measure(args)
    finally:
        torch.set_num_threads(threads_before)  # process-wide: the caller's (a test's) setting comes back
    print_results(results, args.json)
    return 0


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Both sides ``args.repeats`` times, the retrieval baseline and the examples: the printed figures."""
    train, held, references = split_pairs(args.data, args.held_out, HYPER["seed"])
    results: dict[str, Any] = {
        "machine": machine_info(), "minutes": args.minutes, "repeats": args.repeats, "threads": args.threads,
        "train_pairs": len(train), "held_out_pairs": len(held), **{k: HYPER[k] for k in ("max_length", "seed")},
        "batch_size": args.batch_size, "lr": args.lr,
    }
    sides = [args.only] if args.only else (["ref", "ours"] if args.ref_first else ["ours", "ref"])
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(prefix="bench-seq2seq-") as tmp_name:
        files = prepare(args, Path(tmp_name), train)
        for _ in range(args.repeats):
            for side in sides:
                runs[side].append(run_side(side, args, files, held, references))
    for side, side_runs in runs.items():
        results.update({f"{side}_{key}": value for key, value in median_figures(side_runs).items()})
    if "ours" in runs and "ref" in runs:
        results["ratio"] = round(results["ours_samples_per_s"] / results["ref_samples_per_s"], 3)
    retrieval = retrieval_outputs(train, held)
    results.update({f"retrieval_{key}": value for key, value in scores(retrieval, references).items()})
    results["examples"] = [
        {"source": held.texts[i], "reference": references[i][0], "retrieval": retrieval[i],
         **{side: side_runs[-1]["outputs"][i] for side, side_runs in runs.items()}}
        for i in shown_indices(len(held))
    ]
    results["machine"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    return results


def print_results(results: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(results, ensure_ascii=False))
        return
    for key, value in results.items():
        if key != "examples":
            print(f"{key:24s} {value}")
    for example in results["examples"]:
        print()
        for key, value in example.items():
            print(f"  {key:10s} {value}")


if __name__ == "__main__":
    sys.exit(main())
