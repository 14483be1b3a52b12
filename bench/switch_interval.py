"""What does the app's 0.5 ms thread switch interval cost a training worker, and what does it buy the window?

``workbench.gui.app.switch_threads_quickly`` lowers Python's switch interval from 5 ms to 0.5 ms
so the GUI thread gets the interpreter lock back quickly from a busy worker. This runs, in one
process, MiniLM fine-tuning in a worker thread (as the app does) while the main thread runs a
Qt event loop with a 10 ms timer that does a little Python work per tick (as a Python table
model answering Qt does), once per interval and repeat, alternating the order. Prints per
interval the median training steps/s (after warm-up) and the timer's median p99 lateness.
Figures only, never a test:

    python bench/switch_interval.py [--steps 40] [--repeats 3] [--threads 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._finetune_sides import minilm_dir  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo" / "reviews.csv"
WARM_STEPS = 5  # the first steps include the model's load and the allocator's warm-up


def one_run(app: object, interval_s: float, steps: int, threads: int) -> tuple[float, float]:
    """(training steps/s after warm-up, p99 lateness in ms of a 10 ms main-thread timer)."""
    import numpy as np
    from PySide6.QtCore import QTimer

    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer
    from workbench.gui.workers import yield_cpu_to_the_gui

    sys.setswitchinterval(interval_s)
    step_times: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        config = TrainConfig(data=str(DEMO), model=str(minilm_dir()), max_steps=steps, num_threads=threads,
                             eval_every=10**9, output=out, batch_size=16, max_length=64)

        def train() -> None:
            yield_cpu_to_the_gui()  # as the app's training worker does
            for event in Trainer(config).run():
                if type(event).__name__ == "StepLogged":
                    step_times.append(time.perf_counter())

        worker = threading.Thread(target=train)
        lateness: list[float] = []
        last = [time.perf_counter()]
        timer = QTimer()
        timer.setInterval(10)

        def tick() -> None:
            now = time.perf_counter()
            if len(step_times) > WARM_STEPS:
                lateness.append((now - last[0]) * 1000 - 10)
            last[0] = now
            sum(i * i for i in range(2000))  # a little Python per tick, as a table model's answers
            if not worker.is_alive():
                app.quit()  # type: ignore[attr-defined]

        timer.timeout.connect(tick)
        worker.start()
        timer.start()
        app.exec()  # type: ignore[attr-defined]
        timer.stop()
        worker.join()
    timed = step_times[WARM_STEPS:]
    rate = (len(timed) - 1) / (timed[-1] - timed[0]) if len(timed) > 1 else float("nan")
    return rate, float(np.percentile(lateness, 99)) if lateness else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    intervals = {"python_default_5ms": 0.005, "app_0.5ms": 0.0005}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in intervals}
    for repeat in range(args.repeats):
        order = list(intervals) if repeat % 2 == 0 else list(reversed(intervals))
        for name in order:
            runs[name].append(one_run(app, intervals[name], args.steps, args.threads))
            print(f"repeat {repeat} {name}: {runs[name][-1][0]:.2f} steps/s, timer p99 late "
                  f"{runs[name][-1][1]:.1f} ms", file=sys.stderr)
    out: dict[str, object] = {"machine": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                              "steps": args.steps, "repeats": args.repeats}
    for name in intervals:
        out[f"{name}_steps_per_s"] = statistics.median(r[0] for r in runs[name])
        out[f"{name}_timer_p99_late_ms"] = statistics.median(r[1] for r in runs[name])
        out[f"{name}_runs"] = runs[name]
    out["steps_per_s_ratio_app_vs_default"] = out["app_0.5ms_steps_per_s"] / out["python_default_5ms_steps_per_s"]
    print(json.dumps(out, indent=2) if args.json else "\n".join(f"{k:40s} {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
