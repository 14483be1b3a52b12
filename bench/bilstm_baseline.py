"""What does a transformer buy over a BiLSTM? The two from-scratch presets, same data, same steps.

Trains the ``bilstm`` preset and a transformer preset (``bert-tiny`` by default) with
the engine's defaults (each preset's automatic learning rate) on the first
``--train-rows`` SST-2 training sentences, or on UD English EWT UPOS tags
(``--task token-classification``: dev sentences to train, test sentences to
evaluate), then prints validation accuracy, training samples per second and size.
Figures only, never a test.

    python bench/bilstm_baseline.py [--steps 300] [--train-rows 5000] [--task classification]
        [--models bilstm bert-tiny] [--threads 1] [--device auto] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _slice(task: str, rows: int, folder: Path) -> tuple[Path, Path]:
    if task == "classification":
        train = folder / "train.tsv"
        lines = (DATA / "sst2" / "train.tsv").read_text(encoding="utf-8").splitlines()[: rows + 1]
        train.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return train, DATA / "sst2" / "dev.tsv"  # all 872 dev sentences
    train = folder / "train.conllu"
    blocks = (DATA / "ud_english_ewt" / "en_ewt-ud-dev.conllu").read_text(encoding="utf-8").split("\n\n")
    train.write_text("\n\n".join(blocks[:rows]) + "\n\n", encoding="utf-8")
    return train, DATA / "ud_english_ewt" / "en_ewt-ud-test.conllu"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--train-rows", type=int, default=5000, help="sentences to train on")
    parser.add_argument("--task", choices=["classification", "token-classification"], default="classification")
    parser.add_argument("--models", nargs="+", default=["bilstm", "bert-tiny"])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on 2 shared cores)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        train, validation = _slice(args.task, args.train_rows, Path(tmp))
        for model in args.models:
            config = TrainConfig(
                data=str(train), validation=str(validation), task=args.task, model=model,
                max_steps=args.steps, batch_size=args.batch_size, eval_every=args.steps,
                num_threads=args.threads, device=args.device, output=str(Path(tmp) / model),
            )  # fmt: skip
            t0 = time.perf_counter()
            summary = list(Trainer(config).run())[-1].summary
            rows.append({
                "model": model, "accuracy": summary.get("eval_accuracy"),
                "samples_per_s": summary["train_samples_per_second"], "parameters": summary["num_parameters"],
                "wall_s": time.perf_counter() - t0, "device": summary["device"],
            })  # fmt: skip
    if args.json:
        print(json.dumps({"task": args.task, "steps": args.steps, "train_rows": args.train_rows, "runs": rows}))
        return 0
    print(f"{args.task}, {args.train_rows} training rows, {args.steps} steps of {args.batch_size}, "
          f"{args.threads} thread(s), {platform.processor() or platform.machine()}")
    for r in rows:
        print(f"  {r['model']:<10} accuracy {r['accuracy']:.3f}  {r['samples_per_s']:7.0f} samples/s  "
              f"{r['parameters'] / 1e6:.2f}M params  {r['wall_s']:.0f} s  ({r['device']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
