"""The compare panel: a comparison in a worker, the disagreement table, the B − A heatmap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.engine.test_compare import compare_runs
from workbench.gui.panels.compare_panel import ComparePanel


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    return compare_runs(tmp_path_factory)


@pytest.fixture
def panel(qtbot):
    widget = ComparePanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget
    widget.shutdown()


def test_compare_fills_the_table_and_draws_a_difference(qtbot, panel, runs, tmp_path) -> None:
    panel.set_models(str(runs["a"]), str(runs["b"]))
    panel.set_data(str(runs["dev"]))
    with qtbot.waitSignal(panel.compared, timeout=60_000) as blocker:
        panel.compare()
    comparison = blocker.args[0]
    assert panel.table.rowCount() == len(comparison.disagreements) > 0
    assert f"{len(comparison.disagreements)} of 100" in panel.summary_label.text()
    assert panel.layer_spin.maximum() == 1 and panel.head_spin.maximum() == 1  # bert-tiny: 2 x 2

    panel.layer_spin.setValue(1)
    with qtbot.waitSignal(panel.difference_shown, timeout=30_000) as shown:
        panel.table.selectRow(2)
    tokens, diff = shown.args[0]
    assert panel.selected_index() == comparison.disagreements[2]
    assert diff.shape == (len(tokens), len(tokens)) and np.abs(diff).max() > 0
    assert panel.heatmap.matrix is not None and panel.heatmap.matrix.shape == diff.shape
    low, high = panel.heatmap.image.getLevels()
    assert low == pytest.approx(-high) and high == pytest.approx(np.abs(diff).max())

    with qtbot.waitSignal(panel.difference_shown, timeout=30_000) as other:
        panel.head_spin.setValue(1)
    assert not np.allclose(other.args[0][1], diff)  # another head, another map
    panel.grab().save(str(tmp_path / "compare_panel.png"))


def test_error_is_shown_and_panel_stays_usable(qtbot, panel, runs, tmp_path) -> None:
    panel.set_models(str(runs["a"]), str(tmp_path / "missing"))
    panel.set_data(str(runs["dev"]))
    with qtbot.waitSignal(panel.failed, timeout=30_000) as blocker:
        panel.compare()
    assert "missing" in blocker.args[0] and panel.error_label.isVisibleTo(panel)
    qtbot.waitUntil(lambda: panel.compare_button.isEnabled(), timeout=10_000)
