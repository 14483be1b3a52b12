"""Small things a new user trips over in the first hour: why Start is blocked, a label that is the
text, curves of several runs, the ETA of a run that ended, evaluations off the schedule."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from workbench.engine.training.config import TrainConfig
from workbench.gui.main_window import MainWindow
from workbench.gui.panels.training_panel import TrainingPanel
from workbench.gui.widgets.curves import TrainingCurves, read_run_history, run_display_name

LOAD_MS = 60_000
TEXTS = ["a gorgeous film", "dull and far too long", "I loved every minute", "a waste of time",
         "the cast is wonderful", "boring plot", "moving and funny", "nothing happens"]


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _open(qtbot, w: MainWindow, path: Path) -> None:
    d = w.dataset_panel
    d.open_file(str(path))
    qtbot.waitUntil(lambda: not d.busy and d.problems() != ["dataset: still loading"], timeout=LOAD_MS)


def _choose(combo, data: str) -> None:
    """Pick an item as a user does (the 'activated' signal follows a user's choice)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _blocked(w: MainWindow) -> str:
    return w.training_panel.blocked_label.text()


# ------------------------------------------------------------------ 1. Start says the real reason


def test_start_says_there_is_no_label_column_not_still_loading(qtbot, window: MainWindow, tmp_path: Path) -> None:
    w = window
    path = _write(tmp_path / "reviews.csv", "review", [f'"{t}"' for t in TEXTS * 5])
    _open(qtbot, w, path)
    qtbot.waitUntil(lambda: "no label column" in _blocked(w), timeout=LOAD_MS)
    assert "still loading" not in _blocked(w)
    assert "only one column (review)" in _blocked(w)
    assert w.training_panel.blocked_label.isVisibleTo(w.training_panel)
    assert not w.training_panel.start_button.isEnabled() and not w.start_action.isEnabled()
    # The Label box asks for a column instead of showing the text column as if it were chosen.
    d = w.dataset_panel
    assert d.label_combo.currentIndex() == -1 and d.label_combo.placeholderText() == "choose a column"
    assert d.text_combo.currentText() == "review"


def test_start_says_which_label_is_missing(qtbot, window: MainWindow, tmp_path: Path) -> None:
    w = window
    rows = [f'"{t}",{"" if i == 3 else ("pos" if i % 2 else "neg")}' for i, t in enumerate(TEXTS * 5)]
    _open(qtbot, w, _write(tmp_path / "gaps.csv", "text,label", rows))
    qtbot.waitUntil(lambda: "the label is missing" in _blocked(w), timeout=LOAD_MS)
    assert "line 5" in _blocked(w) and "column 'label'" in _blocked(w)  # row 4 is line 5 (the header is line 1)
    assert not w.training_panel.start_button.isEnabled()
    # The boxes keep showing the mapping the error is about.
    assert w.dataset_panel.label_combo.currentText() == "label"


# ------------------------------------------------------------------ 2. a label that is the text


def test_a_label_column_that_is_the_text_column_warns_and_blocks_start(qtbot, window: MainWindow,
                                                                       tmp_path: Path) -> None:
    w, d = window, window.dataset_panel
    rows = [f'"{t}",{i % 5 + 1}' for i, t in enumerate(TEXTS * 5)]
    _open(qtbot, w, _write(tmp_path / "stars.csv", "review,stars", rows))
    assert d.problems() == [] and d.label_combo.currentText() == "stars"

    with qtbot.waitSignal(d.dataset_loaded, timeout=LOAD_MS):
        _choose(d.label_combo, "review")
    qtbot.waitUntil(lambda: not d.busy, timeout=LOAD_MS)
    assert d.warnings()[0].startswith("The label column is also the text column (review)")
    assert d.problems() == [
        "dataset: the label column is also the text column (review): choose another Label column in the Dataset tab"
    ]
    qtbot.waitUntil(lambda: "also the text column (review)" in _blocked(w), timeout=5_000)
    assert not w.training_panel.start_button.isEnabled()

    with qtbot.waitSignal(d.dataset_loaded, timeout=LOAD_MS):
        _choose(d.label_combo, "stars")
    qtbot.waitUntil(lambda: not d.busy, timeout=LOAD_MS)
    assert d.problems() == [] and not any("also the text" in x for x in d.warnings())
    assert "also the text" not in _blocked(w)


def test_choosing_the_only_column_as_label_keeps_it_as_the_text_too(qtbot, window: MainWindow,
                                                                    tmp_path: Path) -> None:
    """After 'no label column', the user picks the one column: both roles, so Start names that."""
    w, d = window, window.dataset_panel
    _open(qtbot, w, _write(tmp_path / "one.csv", "review", [f'"{t}"' for t in TEXTS * 5]))
    with qtbot.waitSignal(d.dataset_loaded, timeout=LOAD_MS):
        _choose(d.label_combo, "review")
    qtbot.waitUntil(lambda: "the file's only column" in _blocked(w), timeout=LOAD_MS)
    assert d.text_combo.currentText() == "review" and d.label_combo.currentText() == "review"


# ------------------------------------------------------------------ 3. curves


def _curves(qtbot) -> TrainingCurves:
    c = TrainingCurves()
    qtbot.addWidget(c)
    c.resize(900, 600)
    c.show()
    return c


def _legend(plot) -> list[str]:  # a pyqtgraph PlotItem
    return [label.text for _sample, label in plot.legend.items]


def _fake_run(c: TrainingCurves, folder: str, evals: list[tuple[int, float, str]]) -> None:
    c.start_run("eval_accuracy", folder=folder)
    for step in range(1, 31):
        c.add_step(step, 1.0 / step, 1e-3)
    for step, value, reason in evals:
        c.add_eval(step, 1.0 - value, value, reason)


def test_a_new_run_turns_the_previous_one_into_an_overlay_named_by_its_folder(qtbot, tmp_path: Path) -> None:
    c = _curves(qtbot)
    _fake_run(c, "/runs/bert-tiny-20250101-120000", [(10, 0.6, "scheduled"), (20, 0.7, "scheduled")])
    _fake_run(c, "/runs/bert-tiny-20250101-130000", [(10, 0.65, "scheduled")])
    c.flush()
    assert [run.name for run in c.overlays] == ["bert-tiny-20250101-120000"]
    loss_names = _legend(c.loss_plot)
    assert loss_names == ["train loss", "validation loss", "train loss (bert-tiny-20250101-120000)",
                          "validation loss (bert-tiny-20250101-120000)"]
    assert _legend(c.metric_plot) == ["this run", "bert-tiny-20250101-120000"]

    # Two more runs, one in a folder of the same name elsewhere: every entry still unique.
    _fake_run(c, "/elsewhere/bert-tiny-20250101-120000", [])
    _fake_run(c, "/runs/bert-tiny-20250101-140000", [])
    c.flush()
    names = _legend(c.loss_plot)
    assert len(names) == len(set(names)) == 8
    assert [run.name for run in c.overlays] == ["bert-tiny-20250101-120000", "bert-tiny-20250101-130000",
                                                "elsewhere/bert-tiny-20250101-120000"]
    c.grab().save(str(tmp_path / "curves.png"))  # for a person to look at when this fails
    c.stop()


def test_the_legends_sit_outside_the_plots(qtbot) -> None:
    c = _curves(qtbot)
    _fake_run(c, "/runs/bert-tiny-20250101-120000", [(10, 0.6, "scheduled"), (23, 0.7, "epoch_end")])
    _fake_run(c, "/runs/a-run-with-a-rather-long-folder-name-for-the-legend", [(10, 0.65, "scheduled")])
    c.flush()
    qtbot.waitUntil(lambda: c.loss_plot.legend.columnCount > 1, timeout=5_000)  # laid out to fit the width
    for plot in (c.loss_plot, c.metric_plot):
        legend = plot.legend.sceneBoundingRect()
        view = plot.getViewBox().sceneBoundingRect()
        assert legend.height() > 0 and not legend.intersects(view), plot.titleLabel.text
        assert legend.top() >= view.bottom()
    # The legends do not widen the plots beyond the widget.
    assert c.loss_plot.sceneBoundingRect().right() <= c.view.width() + 1
    assert c.lr_plot.sceneBoundingRect().right() <= c.view.width() + 1
    c.stop()


def test_in_a_small_window_the_legend_sums_up_instead_of_squeezing_the_curves(qtbot) -> None:
    c = _curves(qtbot)
    c.resize(640, 420)
    for k in range(4):
        _fake_run(c, f"/runs/bert-tiny-2025010{k}-120000", [(10, 0.6, "scheduled")])
    c.flush()
    legend = c.loss_plot.legend
    qtbot.waitUntil(lambda: 0 < legend.shown < len(legend.items), timeout=5_000)
    assert legend.more.isVisible() and legend.more.text == f"+{len(legend.items) - legend.shown} more"
    qtbot.waitUntil(lambda: legend.sceneBoundingRect().height() <= 0.4 * c.loss_plot.sceneBoundingRect().height(),
                    timeout=5_000)
    c.stop()


def test_one_accuracy_point_is_shown_on_zero_to_one_not_up_to_1_2(qtbot) -> None:
    c = _curves(qtbot)
    c.start_run("eval_accuracy")
    c.add_eval(10, 0.5, 0.8)
    c.flush()
    (x0, x1), (y0, y1) = c.metric_plot.getViewBox().viewRange()
    assert -0.1 <= y0 <= 0.0 and 1.0 <= y1 <= 1.1
    assert x0 <= 0 and x1 >= 10  # the step from 0, not 9.5 to 10.5
    # From the second value on the plot follows the data again.
    c.add_eval(20, 0.4, 0.9)
    c.flush()
    qtbot.waitUntil(lambda: c.metric_plot.getViewBox().viewRange()[1][0] > 0.5, timeout=5_000)
    assert c.metric_plot.getViewBox().viewRange()[1][1] < 1.0
    c.stop()


def test_one_chrf_point_is_shown_on_sacrebleus_zero_to_hundred(qtbot) -> None:
    """Seq2seq metrics are 0..100 (as sacreBLEU prints them): a first chrF of 0.8 is nearly nothing."""
    c = _curves(qtbot)
    c.start_run("eval_chrf")
    c.add_eval(10, 3.0, 0.8)
    c.flush()
    y0, y1 = c.metric_plot.getViewBox().viewRange()[1]
    assert -10 <= y0 <= 0.0 and 100.0 <= y1 <= 110
    c.stop()


def test_one_perplexity_point_gets_a_range_around_it(qtbot) -> None:
    c = _curves(qtbot)
    c.start_run("eval_perplexity")
    c.add_eval(10, 3.7, 40.0)
    c.flush()
    y0, y1 = c.metric_plot.getViewBox().viewRange()[1]
    assert 34 < y0 < 40 < y1 < 46
    c.stop()


# ------------------------------------------------------------------ 5. evaluations off the schedule


def test_off_schedule_evaluations_get_their_own_marker_and_legend_entry(qtbot) -> None:
    c = _curves(qtbot)
    _fake_run(c, "/runs/r", [(10, 0.6, "scheduled"), (23, 0.7, "epoch_end"), (30, 0.8, "scheduled")])
    c.flush()
    run = c.current
    assert run is not None and run.metric.x.tolist() == [10, 23, 30]
    assert run.metric_extra.x.tolist() == [23] and run.val_loss_extra.x.tolist() == [23]
    x, _y = run.items["metric_extra"].getData()
    assert x.tolist() == [23] and run.items["metric_extra"].opts["symbol"] == "d"
    key = "off-schedule evaluation (epoch or run end)"
    assert key in _legend(c.metric_plot) and key in _legend(c.loss_plot)
    c.clear()
    c.flush()
    assert key not in _legend(c.metric_plot)
    c.stop()


def test_reading_a_run_folder_keeps_the_reasons_and_one_point_per_step(qtbot, tmp_path: Path) -> None:
    run = tmp_path / "baseline"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"model": "bilstm", "task": "classification"}))
    records = [{"event": "train_begin", "start_step": 0}]
    records += [{"event": "step", "step": s, "loss": 1.0 / s, "learning_rate": 1e-3} for s in range(1, 8)]
    records += [
        {"event": "eval", "step": 4, "metrics": {"eval_loss": 0.5, "eval_accuracy": 0.6}},  # written before reasons
        {"event": "eval", "step": 5, "metrics": {"eval_loss": 0.4, "eval_accuracy": 0.7}, "reason": "epoch_end"},
        {"event": "eval", "step": 7, "metrics": {"eval_loss": 0.3, "eval_accuracy": 0.8}, "reason": "final"},
        # The last step evaluated again (a resume at the end): one point, the newer one.
        {"event": "eval", "step": 7, "metrics": {"eval_loss": 0.3, "eval_accuracy": 0.81}, "reason": "final"},
    ]
    (run / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    history = read_run_history(run)
    assert history.eval_steps.tolist() == [4, 5, 7]
    assert history.eval_reasons == ["scheduled", "epoch_end", "final"]
    assert history.metric("eval_accuracy").tolist() == [0.6, 0.7, 0.81]

    c = _curves(qtbot)
    overlay = c.add_history(history, "eval_accuracy", run_display_name(history.folder, history.model))
    assert overlay.name == "baseline · bilstm"  # the folder's name, and its model since the name does not say it
    assert overlay.metric_extra.x.tolist() == [5, 7]
    assert run_display_name("/runs/bilstm-20250101-120000", "bilstm") == "bilstm-20250101-120000"
    c.stop()


# ------------------------------------------------------------------ 4 and 5 in a real run


@pytest.fixture
def panel(qtbot, tmp_path: Path, sst2_small: tuple[Path, Path]):
    settings: dict[str, int] = {"max_steps": 6}

    def config() -> TrainConfig:
        train, dev = sst2_small
        return TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32,
                           vocab_size=500, batch_size=16, eval_every=4, num_threads=1,
                           output=str(tmp_path / f"run{len(list(tmp_path.iterdir()))}"), **settings)

    p = TrainingPanel(config)
    p.settings = settings  # type: ignore[attr-defined] - the test changes the next run's length
    qtbot.addWidget(p)
    p.show()
    yield p
    if p.running:
        p.stop_and_wait()
    p.shutdown()


def test_a_finished_run_shows_no_eta_and_marks_its_final_evaluation(qtbot, panel: TrainingPanel) -> None:
    evals = []
    panel.run_event.connect(lambda e: evals.append(e) if type(e).__name__ == "EvalDone" else None)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as finished:
        panel.start()
    assert finished.args[0] == "finished"
    text = panel.progress_label.text()
    assert "ETA" not in text and text.startswith("Step 6 of 6") and text.endswith("Finished")
    # Evaluated at step 4 (eval_every) and at the end (6): the end is marked as the extra one.
    assert [(e.step, e.reason) for e in evals] == [(4, "scheduled"), (6, "final")]
    run = panel.curves.current
    assert run is not None and run.metric.x.tolist() == [4, 6] and run.metric_extra.x.tolist() == [6]
    assert "Step 6 (end of the run): validation" in panel.log.toPlainText()


def test_a_stopped_run_shows_no_eta(qtbot, panel: TrainingPanel) -> None:
    panel.settings["max_steps"] = 10_000  # type: ignore[attr-defined]
    steps = []
    panel.run_event.connect(lambda e: steps.append(e) if type(e).__name__ == "StepLogged" else None)
    with qtbot.waitSignal(panel.run_finished, timeout=120_000) as finished:
        panel.start()
        qtbot.waitUntil(lambda: len(steps) >= 2, timeout=60_000)
        assert "ETA" in panel.progress_label.text()  # while it runs
        panel.stop()
    assert finished.args[0] == "cancelled"
    text = panel.progress_label.text()
    assert "ETA" not in text and "Cancelled at step" in text
    assert np.isfinite(steps[-1].eta_s)
