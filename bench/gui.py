"""How responsive is the main thread? Prints figures; never used as a timed test.

Measures, on this machine:
- window_shown_s: from starting ``python`` to the main window shown (median of 3 launches);
- timer lateness of a 10 ms QTimer on the main thread (p50, p99, max in ms) while
  (a) idle, (b) a model trains in the app's worker thread (the first half of the steps),
  (c) text is typed into the prediction panel while it trains (the second half: one key
  every 150 ms, so the panel predicts live from snapshots of the weights), (d) a
  200,000-point curve is on screen;
- first_prediction_s: from starting ``python`` to the first prediction shown in the
  prediction panel for the model just trained (median of 3 launches).

    python bench/gui.py [--json] [--model SPEC] [--steps N]

The model defaults to the MiniLM checkpoint when installed (else bert-tiny).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
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


_FIRST_PREDICTION_SNIPPET = """
import time, sys
t0 = float(sys.argv[1])
from workbench.gui.app import create_app
app = create_app()
from workbench.gui.main_window import MainWindow
w = MainWindow(demo=True)
w.show()
shown = time.time() - t0
panel = w.prediction_panel
done = []
panel.prediction_ready.connect(lambda *a: done.append(time.time() - t0))
w.show_panel("Prediction")
panel.set_text("a gorgeous, witty, seductive movie")
panel.set_model(sys.argv[2])
while not done and time.time() - t0 < 300:
    app.processEvents()
    time.sleep(0.002)
print(shown, done[0] if done else -1)
w.close()
"""


def first_prediction_s(model: str, runs: int = 3) -> float:
    """Launch to the first prediction on screen for ``model`` (a run folder), median of ``runs``."""
    times = []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", _FIRST_PREDICTION_SNIPPET, str(t0), model],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        times.append(float(out.stdout.strip().splitlines()[-1].split()[1]))
    return statistics.median(times)


class Typist:
    """Types ``text`` into ``widget`` one key every ``interval_ms`` (wrapping around), as a person would.

    After each word it pauses ``pause_keys`` key intervals, so the panel's debounce
    (it predicts once typing pauses) fires and predictions run while training goes on.
    """

    def __init__(self, widget, text: str, interval_ms: int = 120, pause_keys: int = 4) -> None:
        from PySide6.QtCore import QTimer

        self.widget, self.text, self.keys, self.pause_keys, self._paused = widget, text, 0, pause_keys, 0
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._type)

    def _type(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        if self._paused:
            self._paused -= 1
            return
        ch = self.text[self.keys % len(self.text)]
        if self.keys and self.keys % len(self.text) == 0:
            self.widget.clear()  # start the sentence again
        if ch == " ":
            QTest.keyClick(self.widget, Qt.Key.Key_Space)
            self._paused = self.pause_keys
        else:
            QTest.keyClicks(self.widget, ch)
        self.keys += 1

    def start(self) -> None:
        self.widget.setFocus()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


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
    # (b) training alone for the first half of the steps, then (c) typing into the
    # prediction panel (live predictions from snapshots) until the run ends.
    results["training"] = lateness(app, 600.0, until=lambda: not t.running or t.progress.value() >= args.steps // 2)
    p = window.prediction_panel
    predictions: list[float] = []
    p.prediction_ready.connect(lambda *_: predictions.append(time.monotonic()))
    window.show_panel("Prediction")
    typist = Typist(p.text_edit, "a gorgeous, witty, seductive movie that never quite lands ")
    typist.start()
    results["typing_while_training"] = lateness(app, 600.0, until=lambda: not t.running)
    typist.stop()
    results["typing_while_training"].update(keys=typist.keys, predictions=len(predictions))
    window.show_panel("Training")

    # (d) a 200,000-point curve on screen while the window keeps redrawing.
    t.curves.start_run("eval_accuracy")
    for i in range(200_000):
        t.curves.add_step(i, 1.0 / (1 + i * 1e-4), 1e-4)
    results["curve_200k"] = lateness(app, 3.0)
    run_folder = t.output_dir  # the panel stamps its own run folder when it starts
    window.close()
    app.processEvents()
    if run_folder and (Path(run_folder) / "model").is_dir():
        results["first_prediction_s"] = round(first_prediction_s(run_folder), 3)
    shutil.rmtree(tmp, ignore_errors=True)  # the run folder and settings of this measurement

    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key:16s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
