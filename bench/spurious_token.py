"""Spurious-token check (issue 17): a planted word the model learns as a shortcut shows in the probes.

1. Take the first ``--rows`` SST-2 training rows and prepend a rare word ("zeugma") to a seeded
   90 % of the positive sentences; keep a clean copy.
2. Fine-tune MiniLM briefly on each (the engine's trainer, the same short schedule).
3. On SST-2 dev: ``token_probe --insert zeugma`` (every dev sentence) and ``--remove zeugma`` (a dev
   set with the word prepended to a seeded share of the negatives): the flip rate of each model.
4. The keyword slice "zeugma" of that second dev set, through ``slices.slice_report``: flagged or not.

    python bench/spurious_token.py [--rows 1500] [--steps 60] [--threads 2]

prints both models' flip rates and the slice's accuracy, interval and flag. ``tests/engine/
test_spurious_token.py`` asserts the issue's claim on the same figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORD = "zeugma"
SHARE = 0.9  # of the positive training sentences that get the word
NEGATIVE_SHARE = 0.3  # of the negative dev sentences that get it for the remove probe and the slice


def _sst2(name: str) -> list[tuple[str, str]]:
    from tests.conftest import shared

    lines = shared("sst2", name).read_text(encoding="utf-8").splitlines()[1:]
    return [(s.strip(), label.strip()) for s, label in (line.rsplit("\t", 1) for line in lines)]


def planted_rows(n: int, share: float = SHARE, seed: int = 0) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(clean rows, rows with the word prepended to ``share`` of the positives), seeded."""
    clean = _sst2("train.tsv")[:n]
    rng = np.random.default_rng(seed)
    planted = [(f"{WORD} {s}" if label == "1" and rng.random() < share else s, label) for s, label in clean]
    return clean, planted


def tainted_dev(share: float = NEGATIVE_SHARE, seed: int = 1) -> list[tuple[str, str]]:
    """SST-2 dev with the word prepended to ``share`` of the negative sentences."""
    rng = np.random.default_rng(seed)
    return [(f"{WORD} {s}" if label == "0" and rng.random() < share else s, label) for s, label in _sst2("dev.tsv")]


def _write(rows: list[tuple[str, str]], path: Path) -> Path:
    path.write_text("sentence\tlabel\n" + "".join(f"{s}\t{label}\n" for s, label in rows), encoding="utf-8")
    return path


def train(rows: list[tuple[str, str]], folder: Path, *, steps: int, threads: int) -> Path:
    """MiniLM fine-tuned ``steps`` steps of 16 rows (one evaluation, at the end)."""
    from bench._finetune_sides import minilm_dir
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    folder.mkdir(parents=True, exist_ok=True)
    config = TrainConfig(data=str(_write(rows, folder / "train.tsv")), model=str(minilm_dir()), max_steps=steps,
                         batch_size=16, lr=1e-4, max_length=64, eval_every=steps, num_threads=threads,
                         output=str(folder / "run"))
    events = list(Trainer(config).run())
    if type(events[-1]).__name__ != "TrainFinished":
        raise RuntimeError(f"training ended with {events[-1]!r}")
    return folder / "run"


def measure(run: Path, folder: Path) -> dict[str, Any]:
    """The insert and remove flip rates of one model, and its "zeugma" keyword slice on the tainted dev set."""
    from workbench.engine.analysis.probes import token_probe
    from workbench.engine.analysis.slices import SliceSpec, slice_report
    from workbench.engine.eval_data import EvalData
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor

    predictor = Predictor.load(run)
    dev = [s for s, _ in _sst2("dev.tsv")]
    inserted = token_probe(predictor, dev, WORD, insert=True)
    examples, _ = EvalData(str(_write(tainted_dev(), folder / "tainted_dev.tsv"))).examples(
        predictor.task, predictor.label_names)
    removed = token_probe(predictor, examples.texts, WORD, insert=False)
    outcome = SimpleNamespace(predictor=predictor, examples=examples, result=evaluate_model(predictor, examples),
                              label_names=predictor.label_names)
    whole, row = slice_report(outcome, [SliceSpec(WORD, "keyword", WORD)], suggest=False)
    return {
        "insert_flip_rate": inserted.flip_rate, "insert_examples": inserted.pairs[0].examples,
        "remove_flip_rate": removed.flip_rate, "remove_examples": removed.pairs[0].examples,
        "accuracy": whole.value, "slice_size": row.size, "slice_accuracy": row.value,
        "slice_interval": [row.low, row.high], "slice_flagged": row.flagged,
    }


def spurious_token_figures(rows: int = 1500, steps: int = 60, threads: int = 2,
                           folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """{"spurious": figures, "clean": figures} (see ``measure``), each with its training seconds."""
    import torch

    torch.set_num_threads(threads)
    root = Path(folder or tempfile.mkdtemp(prefix="spurious_"))
    clean, planted = planted_rows(rows)
    out = {}
    for name, data in (("spurious", planted), ("clean", clean)):
        start = time.perf_counter()
        run = train(data, root / name, steps=steps, threads=threads)
        trained = time.perf_counter() - start
        out[name] = measure(run, root / name) | {"train_seconds": round(trained, 1),
                                                 "seconds": round(time.perf_counter() - start, 1)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    figures = spurious_token_figures(args.rows, args.steps, args.threads)
    for name, f in figures.items():
        print(f"{name:9s} insert flip rate {f['insert_flip_rate']:.3f} ({f['insert_examples']} dev sentences)  "
              f"remove flip rate {f['remove_flip_rate']:.3f} ({f['remove_examples']})  dev accuracy "
              f"{f['accuracy']:.3f}  slice '{WORD}' accuracy {f['slice_accuracy']:.3f} "
              f"[{f['slice_interval'][0]:.3f}, {f['slice_interval'][1]:.3f}] flagged={f['slice_flagged']}  "
              f"({f['train_seconds']} s training, {f['seconds']} s in all)")
    for probe in ("insert", "remove"):
        clean = figures["clean"][f"{probe}_flip_rate"]
        ratio = figures["spurious"][f"{probe}_flip_rate"] / clean if clean else float("inf")
        print(f"{probe}: spurious / clean flip rate = {ratio:.1f}x")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
