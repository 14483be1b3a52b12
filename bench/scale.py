"""How training cost grows with sequence length and batch size: ours and the reference side by side.

For each maximum sequence length (64, 128, 256, 512) and batch size (8, 16, 32), a pool
of ``--steps`` batches' worth of examples with lengths drawn uniformly from
[length/8, length] (a realistic spread; token ids random) feeds MiniLM classification
training steps (forward, backward, gradient clipping, AdamW step). Both sides take
one step per batch over the whole pool, so they train on the same real tokens (the
trainer groups lengths within 50 batches, so the small pool here understates how little
it pads):

- ``ref``: what ``transformers.Trainer`` does: batches drawn at random from the pool
  and padded to their longest example (``DataCollatorWithPadding``), the model as
  ``from_pretrained`` makes it, and its default optimizer (``AdamW(fused=True)``);
- ``ours``: the engine's path: length-grouped batches (``epoch_batches``) padded by
  ``pad_batch``, the model as ``load_pretrained`` makes it, ``build_optimizer``.

Each (side, length, batch) runs in a fresh process, so its peak memory (resident set
on the CPU, ``max_memory_allocated`` on a GPU) is its own. Reports step time (mean over
the pool, after one warm-up step), real (non-padding) tokens per second, the
padding fraction and peak memory; writes ``scale.json`` and ``scale.png`` (two panels:
step time and peak memory against length, one line per batch size, ours solid,
reference dashed) into ``--out``.

    python bench/scale.py [--json] [--quick] [--out DIR] [--lengths 64,128,256,512]
                          [--batches 8,16,32] [--steps 6] [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

def pool(length: int, batch: int, batches: int, seed: int = 0) -> list[list[int]]:
    """Random token ids ([CLS] ... [SEP]) with lengths uniform in [length/8, length]."""
    rng = random.Random(seed * 1000 + length + batch)
    out = []
    for _ in range(batch * batches):
        n = rng.randint(max(length // 8, 3), length)
        out.append([101] + [rng.randint(1000, 29000) for _ in range(n - 2)] + [102])
    return out


def one(side: str, length: int, batch: int, steps: int, device: str) -> dict[str, Any]:
    """Run in a fresh process: time ``steps`` training steps of one configuration."""
    import torch

    from bench.finetune import minilm_dir

    examples = pool(length, batch, steps)
    lengths = [len(x) for x in examples]
    labels = [i % 2 for i in range(len(examples))]
    folder = minilm_dir()
    if side == "ref":
        from transformers import (
            AutoModelForSequenceClassification,
            AutoTokenizer,
            DataCollatorWithPadding,
        )

        model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=2).to(device)
        collator = DataCollatorWithPadding(AutoTokenizer.from_pretrained(folder))
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01, fused=True)
        order = list(range(len(examples)))
        random.Random(1).shuffle(order)
        batches = [order[i : i + batch] for i in range(0, len(order), batch)]

        def make(indices: list[int]) -> dict[str, Any]:
            return collator([{"input_ids": examples[i], "labels": labels[i]} for i in indices])
    else:
        from workbench.engine.models.loading import load_pretrained, resolve_spec
        from workbench.engine.training.batching import epoch_batches, pad_batch
        from workbench.engine.training.optim import build_optimizer

        model = load_pretrained(resolve_spec(str(folder)), "classification", ["neg", "pos"]).to(device)
        optimizer = build_optimizer(model, 1e-4, 0.01, torch.device(device))
        batches = epoch_batches(lengths, batch, seed=0, epoch=0)

        def make(indices: list[int]) -> dict[str, Any]:
            return pad_batch([{"input_ids": examples[i], "labels": labels[i]} for i in indices], 0)

    model.train()
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if device == "cuda"
                else torch.autocast("cpu", enabled=False))

    def step(indices: list[int]) -> int:
        inputs = {k: v.to(device) for k, v in make(indices).items()}
        with autocast:
            loss = model(**inputs).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return int(inputs["input_ids"].numel())

    step(batches[0])  # warm-up: allocations, kernels chosen
    sync()
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    chosen = batches  # the whole pool: both sides see the same real tokens
    t0 = time.perf_counter()
    padded = sum(step(b) for b in chosen)
    sync()
    seconds = (time.perf_counter() - t0) / len(chosen)
    real = sum(lengths[i] for b in chosen for i in b)
    peak = (torch.cuda.max_memory_allocated() / 2**20 if device == "cuda"
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return {"side": side, "length": length, "batch": batch, "step_ms": round(seconds * 1000, 1),
            "real_tokens_per_s": round(real / len(chosen) / seconds, 1),
            "padding_fraction": round(1 - real / padded, 3), "peak_mb": round(peak, 1)}


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Step time and peak memory against length; one colour per batch size, ours solid, ref dashed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    import pyqtgraph.exporters
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # pyqtgraph draws through Qt
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    layout = pg.GraphicsLayoutWidget()
    layout.resize(1200, 500)
    batches = sorted({r["batch"] for r in rows})
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    for column, (key, title) in enumerate((("step_ms", "step time (ms)"), ("peak_mb", "peak memory (MB)"))):
        item = layout.addPlot(row=0, col=column, title=title)
        item.setLabel("bottom", "sequence length (tokens)")
        item.getAxis("left").setWidth(60)
        item.addLegend(offset=(10, 10))
        item.showGrid(x=True, y=True, alpha=0.3)
        for i, batch in enumerate(batches):
            for side, style in (("ours", Qt.PenStyle.SolidLine), ("ref", Qt.PenStyle.DashLine)):
                points = sorted((r["length"], r[key]) for r in rows if r["batch"] == batch and r["side"] == side)
                if points:
                    pen = pg.mkPen(colours[i % len(colours)], width=2, style=style)
                    item.plot([p[0] for p in points], [p[1] for p in points], pen=pen, symbol="o",
                              symbolSize=6, symbolBrush=colours[i % len(colours)], name=f"{side} batch {batch}")
    layout.show()  # lay out at full size before exporting (offscreen: nothing appears)
    app.processEvents()
    exporter = pyqtgraph.exporters.ImageExporter(layout.scene())
    exporter.parameters()["width"] = 1200
    exporter.export(str(path))
    layout.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--quick", action="store_true", help="lengths 64,128, batch 8, two steps: a smoke check")
    parser.add_argument("--out", default="scale-out", help="folder for scale.json and scale.png")
    parser.add_argument("--lengths", default="64,128,256,512")
    parser.add_argument("--batches", default="8,16,32")
    parser.add_argument("--steps", type=int, default=6, help="batches in the pool (steps timed per configuration)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--one", nargs=3, metavar=("SIDE", "LENGTH", "BATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # the child process
        side, length, batch = args.one
        print(json.dumps(one(side, int(length), int(batch), args.steps, args.device)))
        return 0

    from bench.finetune import machine_info

    lengths = [64, 128] if args.quick else [int(x) for x in args.lengths.split(",")]
    batches = [8] if args.quick else [int(x) for x in args.batches.split(",")]
    steps = 2 if args.quick else args.steps
    rows = []
    for length in lengths:
        for batch in batches:
            for side in ("ref", "ours"):
                out = subprocess.run(
                    [sys.executable, __file__, "--one", side, str(length), str(batch), "--steps", str(steps),
                     "--device", args.device],
                    capture_output=True, text=True, env={**os.environ, "TRANSFORMERS_VERBOSITY": "error"},
                )
                if out.returncode != 0:
                    sys.exit(f"{side} {length}x{batch} failed:\n{out.stderr[-2000:]}")
                rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
                if not args.json:
                    print(rows[-1], flush=True)
    outdir = Path(args.out)
    outdir.mkdir(parents=True, exist_ok=True)
    result = {"machine": machine_info(), "device": args.device, "steps": steps, "rows": rows,
              "png": str(outdir / "scale.png")}
    (outdir / "scale.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    plot(rows, outdir / "scale.png")
    if args.json:
        print(json.dumps(result))
    else:
        print(f"wrote {outdir / 'scale.json'} and {outdir / 'scale.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
