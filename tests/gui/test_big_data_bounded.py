"""Main-thread work that must not grow with the data (issue 20, item 4).

A 5,000-column CSV measures a bounded number of columns; a 300,000-step run's history
is added with numpy (the arrays equal the file's numbers) and drawn decimated, keeping
the last point and every evaluation exact. No timings are asserted: the bounds are.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from workbench.gui.panels.dataset_panel import DatasetPanel
from workbench.gui.widgets.column_sizing import MAX_MEASURED_COLUMNS
from workbench.gui.widgets.curves import (
    MIN_BUCKETS,
    SMOOTHING,
    Series,
    TrainingCurves,
    decimate,
    read_run_history,
    smoothed,
)


def _loop_ema(values: list[float], weight: float, start: float | None = None) -> list[float]:
    """The smoothing as RunCurves.add_step computes it, one point at a time (the reference)."""
    out, ema = [], start
    for v in values:
        ema = v if ema is None else weight * ema + (1 - weight) * v
        out.append(ema)
    return out


@pytest.mark.parametrize("n", [1, 5, 63, 64, 65, 1000, 20_011])
@pytest.mark.parametrize("start", [None, 3.5])
def test_smoothed_equals_the_step_by_step_average(n, start):
    values = np.random.default_rng(n).lognormal(size=n)
    np.testing.assert_allclose(smoothed(values, SMOOTHING, start), _loop_ema(values.tolist(), SMOOTHING, start),
                               rtol=1e-12, atol=0)
    slow = 0.999  # a heavier smoothing: the carries between blocks fade slowly, still exact
    np.testing.assert_allclose(smoothed(values, slow, start), _loop_ema(values.tolist(), slow, start),
                               rtol=1e-10, atol=0)


def test_series_extend_equals_appending_one_by_one():
    rng = np.random.default_rng(0)
    a, b = Series(4), Series(4)
    for chunk in (3, 0, 10, 1000):
        xs, ys = rng.normal(size=chunk), rng.normal(size=chunk)
        a.extend(xs, ys)
        for x, y in zip(xs, ys):
            b.append(x, y)
    assert a.n == b.n == 1013
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)


@pytest.mark.parametrize("n", [10, 2 * 300 + 2, 2 * 300 + 3, 100_000, 100_001])
def test_decimate_keeps_first_last_and_extremes_of_real_points(n):
    rng = np.random.default_rng(n)
    x = np.arange(n, dtype=np.float64) * 2.0
    y = np.cumsum(rng.normal(size=n))
    dx, dy = decimate(x, y, 300)
    assert len(dx) <= 2 * 300 + 2
    assert dx[0] == x[0] and dx[-1] == x[-1] and dy[-1] == y[-1]  # the last point exact
    assert np.all(np.diff(dx) > 0)
    index = (dx / 2.0).astype(int)
    np.testing.assert_array_equal(dy, y[index])  # only real points
    assert dy.max() == y.max() and dy.min() == y.min()
    if n <= 2 * 300 + 2:
        assert len(dx) == n


def test_wide_csv_measures_a_bounded_number_of_columns(qtbot, tmp_path):
    columns, rows = 5_000, 40
    path = tmp_path / "wide.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(["text"] + [f"feature_{j}" for j in range(columns - 2)] + ["label"]) + "\n")
        for i in range(rows):
            f.write(",".join([f"a sentence, number {i}".replace(",", "")] + ["7"] * (columns - 2)
                             + [("pos", "neg")[i % 2]]) + "\n")
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    try:
        with qtbot.waitSignal(panel.dataset_loaded, timeout=60_000):
            panel.open_file(str(path))
        qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
        assert panel.table_model.columnCount() == columns
        assert 0 < panel.columns_measured <= MAX_MEASURED_COLUMNS
        header = panel.table_view.horizontalHeader()
        # A measured column fits its header ("feature_0" is wider than its values, "7").
        assert header.sectionSize(1) >= header.fontMetrics().horizontalAdvance("feature_0")
        # The columns past the measured ones keep the header's default width.
        assert {header.sectionSize(c) for c in range(MAX_MEASURED_COLUMNS + 1, columns - 1)} == {
            header.defaultSectionSize()}
    finally:
        panel.shutdown()


def _write_long_run(folder: Path, steps: int, eval_every: int) -> None:
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model": "bert-tiny", "task": "classification"}))
    rng = np.random.default_rng(1)
    loss = 1.0 / (1.0 + np.arange(1, steps + 1) * 1e-4) + rng.normal(scale=0.05, size=steps)
    lines = [json.dumps({"event": "train_begin", "start_step": 0})]
    for step in range(1, steps + 1):
        lines.append(f'{{"event": "step", "step": {step}, "loss": {float(loss[step - 1])!r}, "learning_rate": '
                     f'{5e-5 * (1 - step / steps)!r}}}')
        if step % eval_every == 0 or step == steps - 7:  # and one off the schedule
            reason = "scheduled" if step % eval_every == 0 else "epoch_end"
            lines.append(json.dumps({"event": "eval", "step": step, "reason": reason, "metrics": {
                "eval_loss": 0.5 + step / steps, "eval_accuracy": 0.5 + 0.4 * step / steps}}))
    (folder / "metrics.jsonl").write_text("\n".join(lines) + "\n")


def test_300k_step_history_is_added_whole_and_drawn_decimated(qtbot, tmp_path):
    steps, eval_every = 300_000, 1_000
    run = tmp_path / "long-run"
    _write_long_run(run, steps, eval_every)
    # The reference: the file's numbers, parsed independently of the app.
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    step_x = np.array([r["step"] for r in records if r["event"] == "step"], dtype=np.float64)
    step_loss = np.array([r["loss"] for r in records if r["event"] == "step"])
    step_lr = np.array([r["learning_rate"] for r in records if r["event"] == "step"])
    evals = [r for r in records if r["event"] == "eval"]
    eval_x = np.array([r["step"] for r in evals], dtype=np.float64)
    eval_acc = np.array([r["metrics"]["eval_accuracy"] for r in evals])

    curves = TrainingCurves()
    qtbot.addWidget(curves)
    curves.resize(900, 600)
    curves.show()
    overlay = curves.add_history(read_run_history(run), "eval_accuracy", "long-run")
    # Every point is kept, equal to the file.
    np.testing.assert_array_equal(overlay.loss.x, step_x)
    np.testing.assert_array_equal(overlay.loss.y, step_loss)
    np.testing.assert_array_equal(overlay.lr.y, step_lr)
    np.testing.assert_allclose(overlay.smooth.y, _loop_ema(step_loss.tolist(), SMOOTHING), rtol=1e-12)
    np.testing.assert_array_equal(overlay.metric.x, eval_x)
    np.testing.assert_array_equal(overlay.metric.y, eval_acc)
    assert overlay.metric_extra.x.tolist() == [steps - 7]  # the evaluation off the schedule
    curves.flush()

    # Drawn: at most two points per pixel, the last point exact; evaluations all and exact.
    width = int(curves.loss_plot.getViewBox().width())
    for key, series in (("loss", overlay.loss), ("smooth", overlay.smooth), ("lr", overlay.lr)):
        x, y = overlay.items[key].getData()
        assert len(x) <= 2 * max(width, MIN_BUCKETS) + 2 < steps
        assert (x[-1], y[-1]) == (series.x[-1], series.y[-1])
        assert y.max() == series.y.max() and y.min() == series.y.min()
    x, y = overlay.items["metric"].getData()
    np.testing.assert_array_equal(x, eval_x)
    np.testing.assert_array_equal(y, eval_acc)

    # Zoomed in, the dense curves are decimated again for the range shown: all its points.
    curves.loss_plot.getViewBox().setXRange(1000, 1500, padding=0)
    qtbot.waitUntil(lambda: len(overlay.items["loss"].getData()[0]) < 1000, timeout=5000)
    x, y = overlay.items["loss"].getData()
    inside = (step_x >= 1000) & (step_x <= 1500)
    assert set(step_x[inside]) <= set(x)
    np.testing.assert_array_equal(y, step_loss[(x - 1).astype(int)])

    # A live run keeps adding after the history (a resume): the smoothing continues from it.
    curves.start_run("eval_accuracy")
    live = curves.current
    live.add_history(read_run_history(run), "eval_accuracy")
    live.add_step(steps + 1, 2.0, None)
    assert live.smooth.y[-1] == pytest.approx(SMOOTHING * overlay.smooth.y[-1] + (1 - SMOOTHING) * 2.0)


def test_compare_table_lists_a_bounded_number_of_disagreements(qtbot):
    from workbench.engine.inspection.compare import Comparison
    from workbench.gui.panels.compare_panel import MAX_TABLE_ROWS, ComparePanel

    n = 3 * MAX_TABLE_ROWS
    rng = np.random.default_rng(0)
    conf = rng.uniform(0.5, 1.0, n).astype(np.float32)
    order = [int(i) for i in np.argsort(-conf)]  # every example a disagreement, most confident first
    comparison = Comparison("a", "b", {"eval_accuracy": 0.5}, {"eval_accuracy": 0.5}, ["neg", "pos"],
                            [f"text {i}" for i in range(n)], ["pos"] * n, ["neg"] * n, ["pos"] * n,
                            conf, conf, order)
    panel = ComparePanel()
    qtbot.addWidget(panel)
    try:
        panel.comparison = comparison
        panel._update_summary()
        panel._update_table()
        assert panel.table.rowCount() == MAX_TABLE_ROWS
        shown = [panel.table.item(r, 0).data(256) for r in range(MAX_TABLE_ROWS)]  # Qt.UserRole
        assert shown == order[:MAX_TABLE_ROWS]
        assert f"{n} of {n}" in panel.summary_label.text() and str(MAX_TABLE_ROWS) in panel.summary_label.text()
    finally:
        panel.shutdown()
