"""How responsive is the main thread? Prints figures; never used as a timed test.

Measures, on this machine:
- window_shown_s: from starting ``python`` to the main window shown (median of 3 launches);
- timer lateness of a 10 ms QTimer on the main thread (p50, p99, max in ms) while
  (a) idle, (b) a model trains in the app's worker thread, (d) a 200,000-point curve is on screen.

    python bench/gui.py [--json] [--model SPEC] [--steps N]

The model defaults to the MiniLM checkpoint when installed (else bert-tiny).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_SHOW_SNIPPET = """
import time, sys
t0 = float(sys.argv[1])
from workbench.gui.app import create_app
app = create_app()
from workbench.gui.main_window import MainWindow
w = MainWindow(demo=True)
w.show()
app.processEvents()
print(time.time() - t0)
w.close()
"""


def window_shown_s(runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", _SHOW_SNIPPET, str(t0)], capture_output=True, text=True,
                             check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def lateness(app, duration_s: float, until=None) -> dict[str, float]:
    """Run a 10 ms timer for duration_s (or until ``until()``); return lateness percentiles in ms."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer

    clock = QElapsedTimer()
    samples: list[float] = []
    last = [0.0]
    timer = QTimer()
    timer.setInterval(10)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    loop = QEventLoop()

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        samples.append(now - last[0] - 10.0)
        last[0] = now
        if (until is not None and until()) or now > duration_s * 1000:
            loop.quit()

    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    loop.exec()
    timer.stop()
    samples = sorted(max(s, 0.0) for s in samples[1:]) or [0.0]
    return {
        "p50_ms": round(samples[len(samples) // 2], 2),
        "p99_ms": round(samples[min(int(len(samples) * 0.99), len(samples) - 1)], 2),
        "max_ms": round(samples[-1], 2),
        "ticks": len(samples),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--model")
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings

    from workbench.engine.models.loading import installed_checkpoints
    from workbench.gui.app import create_app

    results: dict[str, object] = {"machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}"}
    results["window_shown_s"] = round(window_shown_s(), 3)

    app = create_app()
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from workbench.gui.main_window import MainWindow
    from workbench.gui.settings import Settings

    settings = Settings()
    settings.set_workspace(tmp / "runs")
    window = MainWindow(demo=True, settings=settings)
    window.resize(1280, 860)
    window.show()
    d, m, t = window.dataset_panel, window.model_panel, window.training_panel
    deadline = time.monotonic() + 60
    while (d.busy or d.problems()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    results["idle"] = lateness(app, 3.0)

    config = window.current_config()
    installed = installed_checkpoints()
    config.model = args.model or (str(installed[0]) if installed else "bert-tiny")
    config.max_steps = args.steps
    config.eval_every = max(args.steps // 3, 1)
    m.load_from(config)
    app.processEvents()
    window.show_panel("Training")
    t.start()
    results["model"] = Path(config.model).parent.name if Path(config.model).name == "model" else Path(config.model).name
    results["training"] = lateness(app, 600.0, until=lambda: not t.running)

    # (d) a 200,000-point curve on screen while the window keeps redrawing.
    t.curves.start_run("eval_accuracy")
    for i in range(200_000):
        t.curves.add_step(i, 1.0 / (1 + i * 1e-4), 1e-4)
    results["curve_200k"] = lateness(app, 3.0)
    window.close()
    app.processEvents()

    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:16s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
