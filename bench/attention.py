"""How long does the attention panel take to redraw when the head changes on a long input?

Loads MiniLM (or --model), computes the attention of a 512-token input once in the
panel's worker, then switches the head 24 times and times each switch until the
panel has been painted again (``grab()`` forces a full paint). Prints median and
max in ms, plus the one-off computation time. Figures only, never a test.

    python bench/attention.py [--json] [--model SPEC] [--tokens 512]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--model")
    parser.add_argument("--tokens", type=int, default=512)
    parser.add_argument("--switches", type=int, default=24)
    args = parser.parse_args()

    from workbench.engine.inference import Predictor
    from workbench.engine.models.loading import installed_checkpoints
    from workbench.gui.app import create_app
    from workbench.gui.panels.attention_panel import AttentionPanel

    app = create_app()
    spec = args.model or str(installed_checkpoints()[0])
    predictor = Predictor.load(spec, task="classification")
    predictor.max_length = args.tokens
    words = ("the film is a patient , moving and often funny portrait of a family " * 80).split()
    text = " ".join(words)
    n_tokens = len(predictor.tokenizer(text, truncation=True, max_length=args.tokens)["input_ids"])

    panel = AttentionPanel()
    panel.resize(1400, 900)
    panel.show()
    done: list[float] = []
    panel.attention_ready.connect(lambda maps: done.append(time.perf_counter()))
    start = time.perf_counter()
    panel.set_input(predictor, text)
    while not done:
        app.processEvents()
        time.sleep(0.005)
    compute_s = done[0] - start
    panel.grab()  # first full paint

    heads = panel.maps.attentions.shape[1]
    times = []
    for i in range(args.switches):
        t0 = time.perf_counter()
        panel._head.setValue((i + 1) % heads)  # what a click on the spin box does
        panel.grab()  # paint everything that changed
        times.append((time.perf_counter() - t0) * 1000)
    panel.shutdown()
    result = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "model": Path(spec).parent.name if Path(spec).name == "model" else spec,
        "tokens": n_tokens,
        "compute_s": round(compute_s, 3),
        "head_switch_median_ms": round(statistics.median(times), 1),
        "head_switch_max_ms": round(max(times), 1),
        "switches": len(times),
    }
    print(json.dumps(result) if args.json else "\n".join(f"{k:24s} {v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
