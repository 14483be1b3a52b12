"""AttentionPanel's model view, rollout and head statistics: drawn from the cached maps."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from tests.gui.test_attention_panel import TEXT, _computed, panel, predictor  # noqa: F401
from workbench.engine.inspection.aggregate import head_entropy, rollout
from workbench.gui.panels.attention_panel import ROLLOUT_TITLE
from workbench.gui.widgets.model_view import MAX_CELL_PIXELS, block_mean


def test_model_view_click_selects_head_without_recompute(qtbot, panel, predictor) -> None:  # noqa: F811
    maps = _computed(qtbot, panel, predictor)
    L, H = maps.attentions.shape[:2]
    assert panel.model_view.cell_count() == L * H == 8
    np.testing.assert_allclose(panel.model_view.cell_image(1, 3), maps.attentions[1, 3])
    computations = panel.computations
    panel.views.setCurrentWidget(panel.stats_view)  # switching tabs only redraws
    panel._mean.setChecked(True)
    panel.model_view.click(1, 2)
    assert panel._layer.value() == 1 and panel._head.value() == 2
    assert not panel._mean.isChecked()
    assert panel.views.currentWidget() is panel.heatmap
    np.testing.assert_allclose(panel.heatmap.matrix, maps.attentions[1, 2], atol=1e-6)
    assert panel.computations == computations
    qtbot.waitUntil(lambda: not panel._runner.busy, timeout=10_000)
    assert panel.computations == computations


def test_block_mean_keeps_long_maps_small() -> None:
    rng = np.random.default_rng(0)
    att = rng.random((2, 3, 300, 300)).astype(np.float32)
    att /= att.sum(-1, keepdims=True)
    small = block_mean(att)
    assert small.shape == (2, 3, 100, 100) and small.shape[-1] <= MAX_CELL_PIXELS
    np.testing.assert_allclose(small[1, 2, 0, 0], att[1, 2, :3, :3].mean(), rtol=1e-5)
    odd = block_mean(att[0, 0, :257, :257])  # k = 3, a last block of 2
    assert odd.shape == (86, 86)
    np.testing.assert_allclose(odd[-1, -1], att[0, 0, 255:257, 255:257].mean(), rtol=1e-5)
    assert block_mean(att[0, 0, :20, :20]).shape == (20, 20)


def test_rollout_matches_aggregate_and_hides_special(qtbot, panel, predictor) -> None:  # noqa: F811
    maps = _computed(qtbot, panel, predictor)
    T = len(maps.tokens)
    expected = rollout(maps.attentions)
    assert panel.rollout_matrix.shape == (T, T)
    np.testing.assert_allclose(panel.rollout_matrix, expected, atol=1e-6)
    np.testing.assert_allclose(panel.rollout_matrix.sum(1), 1.0, atol=1e-6)
    np.testing.assert_allclose(panel.rollout_view.matrix, expected, atol=1e-6)  # what is drawn
    assert ROLLOUT_TITLE in panel.rollout_view.plot.titleLabel.text
    assert "causal" not in panel.rollout_view.plot.titleLabel.text  # BERT is bidirectional

    panel._hide_special.setChecked(True)
    keep = ~maps.special
    assert panel.rollout_matrix.shape == (keep.sum(), keep.sum()) == (T - 2, T - 2)
    np.testing.assert_allclose(panel.rollout_matrix.sum(1), 1.0, atol=1e-5)
    sub = expected[np.ix_(keep, keep)]
    np.testing.assert_allclose(panel.rollout_matrix, sub / sub.sum(1, keepdims=True), atol=1e-5)
    assert panel.rollout_view.tokens == maps.tokens[1:-1]
    # The model view drops them too (renormalised), from the same cached maps.
    assert panel.model_view.displayed_side() == T - 2
    panel._hide_special.setChecked(False)
    assert panel.rollout_matrix.shape == (T, T)
    assert panel.computations == 1


def test_head_stats_table_and_double_click(qtbot, panel, predictor) -> None:  # noqa: F811
    panel.show()
    maps = _computed(qtbot, panel, predictor)
    qtbot.waitUntil(lambda: not panel._runner.busy, timeout=10_000)
    computations = panel.computations  # visible: _computed's set_input and refresh both ran
    view = panel.stats_view
    L, H = maps.attentions.shape[:2]
    assert view.row_count() == L * H
    entropy = head_entropy(maps.attentions)
    row = 1 * H + 3  # unsorted: rows in (layer, head) order
    assert view.row_head(row) == (1, 3)
    assert abs(view.value(row, "entropy") - entropy[1, 3]) < 1e-6
    for r in range(view.row_count()):
        layer, head = view.row_head(r)
        assert abs(view.value(r, "entropy") - entropy[layer, head]) < 1e-6
        assert 0.0 <= view.value(r, "previous") <= 1.0

    # Sort by entropy, descending: the most diffuse head first.
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    top_layer, top_head = view.row_head(0)
    assert entropy[top_layer, top_head] == entropy.max()
    values = [view.value(r, "entropy") for r in range(view.row_count())]
    assert values == sorted(values, reverse=True)

    # A real double-click on a row selects that head and shows the heatmap.
    panel.views.setCurrentWidget(view)
    target = 5
    layer, head = view.row_head(target)
    rect = view.table.visualItemRect(view.table.item(target, 2))
    # QTest's double-click alone carries no press; an item view needs the press first.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: panel.views.currentWidget() is panel.heatmap, timeout=5_000)
    assert (panel._layer.value(), panel._head.value()) == (layer, head)
    np.testing.assert_allclose(panel.current_matrix, panel.maps.attentions[layer, head], atol=1e-6)
    assert panel.computations == computations
