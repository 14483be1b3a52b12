"""HeadView: links between query and key tokens, hover isolation, threshold, long inputs."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint

from workbench.gui.widgets.head_view import DEFAULT_TOP_K, MARGIN, ROW_HEIGHT, SIDE_ROOM, HeadView


def _softmax_rows(n: int, seed: int = 0, sharpness: float = 3.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n, n)) * sharpness
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)  # (T, T), rows sum to 1


@pytest.fixture
def view(qtbot):
    widget = HeadView()
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


TOKENS = ["[CLS]", "the", "cat", "sat", "on", "mat", "[SEP]"]


def test_hover_isolates_the_links_of_one_token(qtbot, view) -> None:
    matrix = _softmax_rows(len(TOKENS))
    view.set_maps(TOKENS, matrix)
    view.set_threshold(0.1)
    assert view.top_k == DEFAULT_TOP_K and DEFAULT_TOP_K > len(TOKENS)  # top-k does not bind here
    # Not hovering: every link at or above the threshold (all rows are on screen).
    assert len(view.visible_rows()) == len(TOKENS)
    assert view.visible_links() == int((matrix >= 0.1).sum())
    for i in range(len(TOKENS)):
        view.hover_token("left", i)
        assert view.hovered_token == i and view.hovered_side == "left"
        assert view.visible_links() == int((matrix[i] >= 0.1).sum())
    view.hover_token("right", 3)
    assert view.visible_links() == int((matrix[:, 3] >= 0.1).sum())
    # The strongest weights of the hovered token are listed, strongest first.
    view.hover_token("left", 2)
    top = view.top_weights("left", 2)
    assert [j for j, _ in top] == list(np.argsort(-matrix[2], kind="stable")[: len(top)])
    assert f"{top[0][1]:.3f}" in view._info.text()
    view.clear_hover()
    assert view.hovered_token is None


def test_mouse_hover_picks_the_token_under_the_cursor(qtbot, view) -> None:
    view.set_maps(TOKENS, _softmax_rows(len(TOKENS)))
    canvas = view._canvas
    y = MARGIN + 4 * ROW_HEIGHT + ROW_HEIGHT // 2
    with qtbot.waitSignal(view.hover_changed, timeout=2000) as blocker:
        qtbot.mouseMove(canvas, QPoint(SIDE_ROOM + 10, y))
    assert blocker.args == [("left", 4)]
    assert view.hovered_token == 4
    right_x = canvas.width() - SIDE_ROOM - 10
    with qtbot.waitSignal(view.hover_changed, timeout=2000):
        qtbot.mouseMove(canvas, QPoint(right_x, MARGIN + ROW_HEIGHT // 2))
    assert (view.hovered_side, view.hovered_token) == ("right", 0)
    with qtbot.waitSignal(view.hover_changed, timeout=2000):  # the gap between the columns
        qtbot.mouseMove(canvas, QPoint(canvas.width() // 2, y))
    assert view.hovered_token is None


def test_threshold_and_top_k_reduce_links(qtbot, view) -> None:
    matrix = _softmax_rows(20, seed=1, sharpness=1.0)
    tokens = [f"t{i}" for i in range(20)]
    view.set_maps(tokens, matrix)
    view.set_top_k(None)
    view.set_threshold(0.0)
    rows = view.visible_rows()
    everything = view.visible_links()
    assert everything == 20 * len(rows)  # every weight of every visible query
    view.set_threshold(0.08)
    strong = view.visible_links()
    assert strong == int((matrix[rows.start : rows.stop] >= 0.08).sum()) < everything
    view.set_threshold(0.0)
    view.set_top_k(3)
    assert view.visible_links() == 3 * len(rows)
    assert view._top_k_spin.value() == 3  # the control follows the API


def test_long_input_draws_only_visible_rows(qtbot, view) -> None:
    n = 600
    tokens = [f"token{i}" for i in range(n)]
    matrix = _softmax_rows(n, seed=2)
    start = time.perf_counter()
    view.set_maps(tokens, matrix)
    image = view.grab()
    first_paint = time.perf_counter() - start
    assert not image.isNull()
    rows = view.visible_rows()
    assert 0 < len(rows) < 60
    assert 0 < view.visible_links() <= len(rows) * DEFAULT_TOP_K
    assert view.last_paint_links == view.visible_links()
    # Scrolled to the end: other rows, still bounded.
    bar = view._scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    start = time.perf_counter()
    view.grab()
    scrolled_paint = time.perf_counter() - start
    rows = view.visible_rows()
    assert rows.stop == n
    assert 0 < view.last_paint_links <= len(rows) * DEFAULT_TOP_K
    view.hover_token("right", n - 1)  # a key: all of its links, from any query
    top = np.argsort(-matrix, axis=1)[:, :DEFAULT_TOP_K]  # (T, k) each query's strongest keys
    assert view.visible_links() == int((top == n - 1).sum())
    print(
        f"\n600 tokens: set_maps + first paint {first_paint * 1000:.0f} ms, "
        f"scrolled paint {scrolled_paint * 1000:.0f} ms, {len(rows)} rows on screen"
    )


def test_rejects_a_matrix_of_the_wrong_shape(qtbot, view) -> None:
    with pytest.raises(ValueError):
        view.set_maps(["a", "b"], np.zeros((3, 3)))
    view.set_maps(["a", "b"], np.full((2, 2), 0.5))
    with pytest.raises(IndexError):
        view.hover_token("left", 2)
    with pytest.raises(ValueError):
        view.hover_token("middle", 0)
