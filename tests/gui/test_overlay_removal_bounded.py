"""Removing overlays costs one legend layout pass per plot, whatever their number.

With 15 overlaid runs, "Remove overlay › All overlays" rebuilt both legends once per run
removed and laid them out once per entry added: 4.4 s of frozen window in the monkey test.
These tests check the bounded behaviour (passes counted, entries kept), not a time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.training_panel import TrainingPanel

RUNS = 15


def _write_run(folder: Path, steps: int) -> Path:
    """A finished run's metrics.jsonl as the trainer writes it: steps, two evaluations, the end."""
    folder.mkdir(parents=True)
    records = [{"event": "train_begin", "total_steps": steps, "device": "cpu"}]
    for step in range(1, steps + 1):
        records.append({"event": "step", "step": step, "total_steps": steps, "loss": 0.7 - step / 100,
                        "learning_rate": 1e-4})
        if step % 5 == 0:
            records.append({"event": "eval", "step": step, "metrics": {"eval_loss": 0.6, "eval_accuracy": 0.5 + step / 100}})
    records.append({"event": "finished", "step": steps, "summary": {}})
    (folder / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


@pytest.fixture
def panel(qtbot, tmp_path: Path) -> TrainingPanel:
    p = TrainingPanel(lambda: TrainConfig(data=str(tmp_path / "unused.csv"), output=str(tmp_path / "live")))
    qtbot.addWidget(p)
    p.show()
    for k in range(RUNS):
        with qtbot.waitSignal(p.overlay_added, timeout=30_000):
            p.open_run(_write_run(tmp_path / f"run-{k:02d}", steps=10 + k))
    yield p
    p.shutdown()


def _labels(plot) -> list[object]:
    return [label for _sample, label in plot.legend.items]


def test_all_overlays_go_in_one_legend_pass_per_plot(panel: TrainingPanel) -> None:
    curves = panel.curves
    assert len(panel.overlay_names()) == RUNS and len(_labels(curves.loss_plot)) == 2 * RUNS
    before = {plot: plot.legend.fits for plot in (curves.loss_plot, curves.metric_plot, curves.lr_plot)}

    menu = panel.remove_overlay_button.menu()
    next(a for a in menu.actions() if a.text() == "All overlays").trigger()

    assert panel.overlay_names() == [] and not panel.remove_overlay_button.isEnabled()
    assert _labels(curves.loss_plot) == [] and _labels(curves.metric_plot) == []
    assert curves.loss_plot.listDataItems() == [] and curves.metric_plot.listDataItems() == []
    # One layout pass per legend (not one per run removed, nor one per entry re-added).
    assert {plot: plot.legend.fits - n for plot, n in before.items()} == {plot: 1 for plot in before}


def test_removing_one_overlay_keeps_the_other_legend_entries(panel: TrainingPanel) -> None:
    curves = panel.curves
    kept = {id(label): label.text for label in _labels(curves.loss_plot)}
    fits = curves.loss_plot.legend.fits
    victim = panel.overlay_names()[3]

    assert panel.remove_overlay(victim)

    labels = _labels(curves.loss_plot)
    assert len(labels) == 2 * (RUNS - 1) and victim not in panel.overlay_names()
    assert all(victim not in label.text for label in labels)
    # The entries left are the very same label items (no label made anew), laid out once.
    assert all(kept.get(id(label)) == label.text for label in labels)
    assert curves.loss_plot.legend.fits - fits == 1
