"""Multi-label classification in the app: the label bars, the dataset panel's separator, and
the whole flow (load a multi-label CSV, train a few steps, predict, evaluate) with qtbot."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor

from tests.engine.test_multilabel import TOPICS, write_topics_csv
from tests.gui.test_main_window import configure_tiny_run  # window: tests/gui/conftest.py
from workbench.gui.main_window import MainWindow
from workbench.gui.widgets.multilabel_view import MultiLabelView
from workbench.gui.widgets.prob_bars import BAR_COLOR, BAR_TOP_COLOR, GAP, ROW_H

RESULT = {
    "text": "x",
    "labels": ["b", "c"],
    "probabilities": {"a": 0.3, "b": 0.8, "c": 0.45},
    "thresholds": {"a": 0.5, "b": 0.5, "c": 0.4},
}


def _close(color: QColor, expected: QColor) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(color.getRgb()[:3], expected.getRgb()[:3]))


def test_label_bars_mark_thresholds_and_highlight_chosen_labels(qtbot) -> None:
    view = MultiLabelView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    view.set_result(RESULT)
    bars = view.bars
    assert [r[0] for r in bars.rows()] == ["b", "c", "a"]  # most probable first
    assert view.chosen() == ["b", "c"]
    assert "b" in view.summary.text() and "2 of 3 labels" in view.summary.text()
    image = bars.grab().toImage()
    _, bar_x, bar_w = bars._geometry()

    def pixel(row: int, fraction: float) -> QColor:
        y = GAP + row * (ROW_H + GAP) + ROW_H // 2
        return image.pixelColor(int(bar_x + fraction * bar_w), y)

    assert _close(pixel(0, 0.2), BAR_TOP_COLOR) and _close(pixel(1, 0.2), BAR_TOP_COLOR)  # chosen: orange
    assert _close(pixel(2, 0.2), BAR_COLOR)  # not chosen: blue
    assert pixel(1, 0.4).lightness() < 80  # the threshold tick of "c", drawn on its bar
    middle_of_row_1 = QPoint(bar_x + 5, GAP + (ROW_H + GAP) + ROW_H // 2)
    assert bars.tooltip_at(middle_of_row_1) == "c: probability 0.4500, threshold 0.4000 (chosen)"
    view.set_result({**RESULT, "labels": [], "probabilities": {"a": 0.1, "b": 0.2, "c": 0.3}})
    assert view.chosen() == [] and "No label reaches its threshold" in view.summary.text()


def test_dataset_panel_separator_field_and_label_statistics(qtbot, tmp_path: Path) -> None:
    from workbench.engine.training.config import TrainConfig
    from workbench.gui.panels.dataset_panel import DatasetPanel

    path = write_topics_csv(tmp_path / "semicolons.csv", 200, seed=2, separator=";")
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.separator_edit.isHidden()  # classification: no separator to set
    panel.set_task("multi-label")
    assert not panel.separator_edit.isHidden() and panel.separator_edit.text() == "|"
    with qtbot.waitSignal(panel.dataset_loaded, timeout=30_000):
        panel.open_file(str(path))
    # read with "|", every row holds one "label" such as "food;sport": the panel says so
    assert any("did you mean classification" in w and "';'" in w for w in panel.warnings())
    panel.separator_edit.setText(";")
    with qtbot.waitSignal(panel.dataset_loaded, timeout=30_000):
        panel.separator_edit.editingFinished.emit()
    assert panel.bundle.label_names == sorted(TOPICS)
    assert not any("did you mean" in w for w in panel.warnings())
    stats = panel.stats
    assert sum(stats["labels_per_row_counts"].values()) == stats["rows"]
    assert "labels per row" in panel.summary_label.text()
    config = TrainConfig()
    panel.apply_to(config)
    assert config.label_separator == ";"
    config.label_separator = "|"
    panel.load_from(config)
    assert panel.separator_edit.text() == "|"
    panel.shutdown()


def test_load_train_predict_and_evaluate_multilabel(
    qtbot, window: MainWindow, tmp_path: Path  # noqa: F811 - the imported fixture
) -> None:
    w = window
    data = write_topics_csv(tmp_path / "topics.csv", 200, seed=0)
    with qtbot.waitSignal(w.dataset_panel.dataset_loaded, timeout=30_000):
        w.dataset_panel.open_file(str(data))
    # The file's "food|sport" cells make the app suggest the multi-label task.
    qtbot.waitUntil(lambda: w.dataset_panel.task == "multi-label" and w.dataset_panel.bundle is not None
                    and w.dataset_panel.bundle.train.task == "multi-label", timeout=30_000)
    m = w.model_panel
    assert m.task_combo.currentData() == "multi-label"
    assert not w.dataset_panel.separator_edit.isHidden()
    assert w.dataset_panel.bundle.label_names == sorted(TOPICS)

    configure_tiny_run(w, steps=12, eval_every=6)
    for spin, value in ((m.layers_spin, 1), (m.hidden_spin, 32), (m.vocab_spin, 400), (m.batch_spin, 32)):
        spin.setValue(value)
    qtbot.waitUntil(lambda: w.training_panel.start_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(w.prediction_panel.model_loaded, timeout=120_000):
        w.training_panel.start()
    out = Path(w.training_panel.output_dir)
    meta = json.loads((out / "model" / "workbench_model.json").read_text())
    assert meta["task"] == "multi-label" and set(meta["thresholds"]) == set(TOPICS)
    assert w.training_panel._metric_name == "eval_f1_micro"

    # The playground: one bar per label, with the tuned thresholds, chosen ones highlighted.
    p = w.prediction_panel
    w.show_panel("Prediction")
    with qtbot.waitSignal(p.prediction_ready, timeout=30_000):
        qtbot.keyClicks(p.text_edit, "pizza and soup in the rain")
    assert p.results.currentWidget() is p.multilabel_view
    rows = p.multilabel_view.bars.rows()
    assert sorted(name for name, _, _ in rows) == sorted(TOPICS)
    assert {name: t for name, _, t in rows} == meta["thresholds"]
    assert p.multilabel_view.chosen() == p.last_result["labels"]
    assert "multi-label" in p.status_label.text()

    # Evaluation: micro/macro numbers and one row per label.
    e = w.evaluation_panel
    w.show_panel("Evaluation")
    e.set_data(str(data))
    with qtbot.waitSignal(e.evaluated, timeout=60_000) as blocker:
        e.evaluate()
    metrics = blocker.args[0]
    table = e.metrics_table
    first_column = [table.item(r, 0).text() for r in range(table.rowCount())]
    for title in ("Micro average", "Macro average", "Subset accuracy", "Hamming loss", "Per label"):
        assert title in first_column
    assert set(TOPICS) <= set(first_column)
    micro = first_column.index("Micro average")
    assert table.item(micro, 3).text() == f"{metrics['eval_f1_micro']:.4f}"
    assert len(e.visible_examples()) == 200
    assert "micro F1" in e.status_label.text()
