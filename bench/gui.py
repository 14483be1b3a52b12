"""How responsive is the main thread? Prints figures; never used as a timed test.

Measures, on this machine:
- window_shown_s: from starting ``python`` to the main window shown (median of 3 launches);
- timer lateness of a 10 ms QTimer on the main thread (p50, p99, max in ms) while
  (a) idle, (b) a model trains in the app's worker thread (the first half of the steps),
  (c) text is typed into the prediction panel while it trains (the second half: one key
  every 150 ms, so the panel predicts live from snapshots of the weights), (d) a
  200,000-point curve is on screen, (e) the embedding map draws 50,000 points while it is
  panned and zoomed and the mouse hovers over it (``--only map`` runs this one alone), (f) a CSV
  with 5,000 columns is opened in the dataset panel, (g) a run with 300,000 logged steps is
  selected in the runs panel and overlaid in the training panel (``--only big`` runs f and g alone);
- first_prediction_s: from starting ``python`` to the first prediction shown in the
  prediction panel for the model just trained (median of 3 launches).

    python bench/gui.py [--json] [--model SPEC] [--steps N] [--only map|big]

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


def map_50k(app, seconds: float = 5.0) -> dict[str, float]:
    """(e) Timer lateness while 50,000 map points are panned, zoomed and hovered, 60 times a second."""
    import numpy as np
    from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from workbench.engine.analysis.example_table import ExampleTable
    from workbench.gui.widgets.embedding_map_view import EmbeddingMapView, MapData

    rng = np.random.default_rng(0)
    n = 50_000
    centres = rng.normal(scale=4.0, size=(8, 2))
    labels = rng.integers(0, 8, n)
    coords = (centres[labels] + rng.normal(size=(n, 2))).astype(np.float32)  # 8 clusters, as a real map
    table = ExampleTable([f"example sentence number {i}" for i in range(n)], list(range(2, n + 2)), {
        "gold": np.array([f"label {k}" for k in range(8)], dtype=object)[labels],
        "confidence": rng.uniform(0.5, 1.0, n),
    })
    view = EmbeddingMapView()
    view.resize(1280, 860)
    view.show()
    view.show_map(MapData(table, coords))
    box, viewport = view.plot.view_box, view.plot.plot.viewport()
    app.processEvents()
    tick = [0]

    def move() -> None:  # what a hand does: drag a little, wheel a little, the pointer over points
        tick[0] += 1
        i = tick[0]
        box.translateBy(x=0.15 * np.cos(i / 15), y=0.15 * np.sin(i / 15))
        box.scaleBy((0.99, 0.99) if (i // 60) % 2 else (1 / 0.99, 1 / 0.99))
        pos = QPointF(viewport.width() * (0.5 + 0.3 * np.cos(i / 7)), viewport.height() * (0.5 + 0.3 * np.sin(i / 9)))
        QApplication.sendEvent(viewport, QMouseEvent(QEvent.Type.MouseMove, pos, viewport.mapToGlobal(pos),
                                                     Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                                     Qt.KeyboardModifier.NoModifier))

    timer = QTimer()
    timer.setInterval(16)
    timer.timeout.connect(move)
    timer.start()
    result = lateness(app, seconds)
    timer.stop()
    view.shutdown()
    view.close()
    return {**result, "frames": tick[0]}


def _write_wide_csv(path: Path, columns: int = 5_000, rows: int = 200) -> None:
    """A CSV as an export from a spreadsheet makes it: one text column, then thousands of numbers."""
    head = ["text"] + [f"feature_{j}" for j in range(columns - 1)]
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(head) + "\n")
        for i in range(rows):
            f.write(",".join([f"sentence number {i} of a wide file"] + [str((i * j) % 97) for j in range(columns - 1)]))
            f.write("\n")


def _write_long_run(folder: Path, steps: int = 300_000, eval_every: int = 1_000) -> None:
    """A run folder whose metrics.jsonl logs ``steps`` training steps and an evaluation every ``eval_every``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"model": "bert-tiny", "task": "classification",
                                                     "max_steps": steps, "eval_every": eval_every}))
    with (folder / "metrics.jsonl").open("w", encoding="utf-8") as f:
        f.write(json.dumps({"event": "train_begin", "start_step": 0, "total_steps": steps}) + "\n")
        for step in range(1, steps + 1):
            f.write(json.dumps({"event": "step", "step": step, "loss": 1.0 / (1 + step * 1e-4),
                                "learning_rate": 5e-5 * (1 - step / steps)}) + "\n")
            if step % eval_every == 0:
                f.write(json.dumps({"event": "eval", "step": step, "reason": "scheduled", "metrics": {
                    "eval_loss": 0.5 / (1 + step * 1e-4), "eval_accuracy": 0.5 + 0.4 * step / steps}}) + "\n")
        f.write(json.dumps({"event": "train_end", "step": steps}) + "\n")


def big_files(app, window, tmp: Path) -> dict[str, object]:
    """(f) a 5,000-column CSV opened; (g) a 300,000-step run selected in Runs, then overlaid in Training."""
    results: dict[str, object] = {}
    csv = tmp / "wide.csv"
    _write_wide_csv(csv)
    run = Path(window.runs_panel.workspace) / "long-run-300k"
    _write_long_run(run)
    d = window.dataset_panel
    window.show_panel("Dataset")
    app.processEvents()
    t0 = time.monotonic()
    d.open_file(str(csv))
    done: list[float] = []

    def loaded() -> bool:  # the table is on screen, then one more second of the panel's life
        table = d.table
        if not done and not d.busy and table is not None and len(table.columns) >= 5_000:
            done.append(time.monotonic())
        return bool(done) and time.monotonic() - done[0] > 1.0

    results["csv_5000_columns"] = {**lateness(app, 120.0, until=loaded),
                                   "loaded_s": round(done[0] - t0, 2) if done else -1}
    r = window.runs_panel
    window.show_panel("Runs")
    drawn: list[float] = []
    r.curves_drawn.connect(lambda *_: drawn.append(time.monotonic()))
    scanned: list[int] = []
    r.scanned.connect(scanned.append)
    r.refresh()
    deadline = time.monotonic() + 60
    while not scanned and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    t0 = time.monotonic()
    r.select_paths([str(run)])

    def shown(events: list[float]):
        return lambda: bool(events) and time.monotonic() - events[0] > 1.0

    results["run_300k_selected"] = {**lateness(app, 120.0, until=shown(drawn)),
                                    "drawn_s": round(drawn[0] - t0, 2) if drawn else -1}
    t = window.training_panel
    window.show_panel("Training")
    overlaid: list[float] = []
    t.overlay_added.connect(lambda *_: overlaid.append(time.monotonic()))
    t0 = time.monotonic()
    t.open_run(run)
    results["run_300k_overlaid"] = {**lateness(app, 120.0, until=shown(overlaid)),
                                    "drawn_s": round(overlaid[0] - t0, 2) if overlaid else -1}
    return results


def _big_only(args: argparse.Namespace) -> int:
    """``--only big``: scenarios f and g in a fresh window (no training)."""
    import tempfile

    from PySide6.QtCore import QSettings

    from workbench.gui.app import create_app

    app = create_app()
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
    results: dict[str, object] = {"machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}"}
    results.update(big_files(app, window, tmp))
    window.close()
    app.processEvents()
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(results) if args.json else "\n".join(f"{k:18s} {v}" for k, v in results.items()))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--model")
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--only", choices=["map", "big"], help="run one scenario (or the big-file pair) alone")
    args = parser.parse_args()

    from PySide6.QtCore import QSettings

    from workbench.engine.models.loading import installed_checkpoints
    from workbench.gui.app import create_app

    results: dict[str, object] = {"machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}"}
    if args.only == "big":
        return _big_only(args)
    if args.only == "map":
        results["map_50k_pan_zoom"] = map_50k(create_app())
        print(json.dumps(results) if args.json else "\n".join(f"{k:16s} {v}" for k, v in results.items()))
        return 0
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
    results["map_50k_pan_zoom"] = map_50k(app)
    results.update(big_files(app, window, tmp))
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
