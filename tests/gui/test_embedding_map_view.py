"""EmbeddingMapView: the map of a real evaluation equals the engine's, colours, box and lasso
selections driven with the mouse, opening an example, saving a slice, a typed sentence and its
neighbours, a second checkpoint beside the first, and 50,000 points with hover."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPolygonF
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from workbench.engine.analysis.example_table import ExampleTable, example_table
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer
from workbench.gui.panels.evaluation_panel import EvalOutcome
from workbench.gui.widgets.embedding_map_view import EmbeddingMapView, MapData, umap_available
from workbench.gui.widgets.map_scatter import MapScatter, PointGrid, points_in_polygon

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def run(sst2_small, tmp_path_factory) -> Path:
    """bert-tiny trained briefly on 600 SST-2 rows (a checkpoint at step 30 and the final model)."""
    train, dev = sst2_small
    out = tmp_path_factory.mktemp("map") / "run"
    config = TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", max_steps=60, lr=1e-3,
                         vocab_size=2000, max_length=64, output=str(out), num_threads=1, eval_every=30)
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


@pytest.fixture(scope="module")
def outcome(run, sst2_small) -> EvalOutcome:
    """The evaluation the Evaluation tab would hand over: the run's model on the 200 dev rows."""
    from workbench.engine.data import read_table
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor
    from workbench.engine.task_data import build_examples

    _, dev = sst2_small
    predictor = Predictor.load(run)
    examples = build_examples(read_table(dev), predictor.task, label_names=predictor.label_names)
    result = evaluate_model(predictor, examples)
    return EvalOutcome(predictor, examples, result, str(run), str(dev), 0.0)


@pytest.fixture
def view(qtbot):
    widget = EmbeddingMapView()
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def _computed(qtbot, view: EmbeddingMapView, outcome: EvalOutcome) -> EmbeddingMapView:
    view.set_outcome(outcome)
    with qtbot.waitSignal(view.map_ready, timeout=WAIT_MS):
        view.compute()
    assert view.banner.isHidden(), view.banner.text()
    return view


def _pixel(scatter: MapScatter, x: float, y: float) -> QPoint:
    """The viewport pixel of the view position (x, y)."""
    scene = scatter.view_box.mapViewToScene(QPointF(x, y))
    return scatter.plot.mapFromScene(scene)


def _view_pos(scatter: MapScatter, pixel: QPoint) -> tuple[float, float]:
    here = scatter.view_box.mapSceneToView(scatter.plot.mapToScene(pixel))
    return here.x(), here.y()


def _send(scatter: MapScatter, kind: QEvent.Type, pixel: QPoint, button: Qt.MouseButton,
          buttons: Qt.MouseButton, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    viewport = scatter.plot.viewport()
    event = QMouseEvent(kind, QPointF(pixel), QPointF(viewport.mapToGlobal(pixel)), button, buttons, modifiers)
    QApplication.sendEvent(viewport, event)


def _drag(scatter: MapScatter, pixels: list[QPoint], modifiers: Qt.KeyboardModifier) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _send(scatter, QEvent.Type.MouseButtonPress, pixels[0], left, left, modifiers)
    for pixel in pixels[1:]:
        QTest.qWait(12)  # pyqtgraph drops moves closer than 10 ms apart (mouseRateLimit), as a hand is slower
        _send(scatter, QEvent.Type.MouseMove, pixel, none, left, modifiers)
    _send(scatter, QEvent.Type.MouseButtonRelease, pixels[-1], left, none, modifiers)


def _brush_colours(scatter: MapScatter) -> list[str]:
    """Each example's colour, in the examples' order (the scatter draws them in another)."""
    colours = [""] * len(scatter.draw_order)
    for index, brush in zip(scatter.draw_order, scatter.scatter.data["brush"]):
        colours[index] = brush.color().name()
    return colours


def test_the_map_is_the_engines_and_colours_by_correct(qtbot, view, outcome) -> None:
    from workbench.engine.inspection.embeddings import embed_examples, project

    view.layer_spin.setValue(1)  # the controls reach the engine: layer 1, mean pooling
    view.pooling_combo.setCurrentIndex(view.pooling_combo.findData("mean"))
    _computed(qtbot, view, outcome)
    vectors = embed_examples(outcome.predictor, outcome.examples, layer=1, pooling="mean").vectors
    assert view.map.embeddings.layer == 1 and view.map.embeddings.pooling == "mean"
    expected = project(vectors, "pca").coords
    np.testing.assert_allclose(view.map.coords, expected, rtol=1e-5, atol=1e-5)
    assert len(view.plot.scatter.data) == len(outcome.examples) == 200
    view.set_colour_by("correct")
    correct = example_table(outcome).columns["correct"]
    assert 0 < correct.sum() < len(correct)  # both colours in use
    colours = np.array(_brush_colours(view.plot))
    assert set(colours[correct]) == {"#2ca02c"} and set(colours[~correct]) == {"#d62728"}
    assert f"({int(correct.sum())})" in view.legend.text() and f"({int((~correct).sum())})" in view.legend.text()
    view.set_colour_by("confidence")  # continuous: a colour bar and the range in words
    assert view.colour_bar.isVisible()
    lo = float(example_table(outcome).columns["confidence"].min())
    assert f"{lo:.3g}" in view.legend.text()


def test_the_empty_map_says_what_to_do_and_the_first_map_colours_by_correct(qtbot, view, outcome) -> None:
    hint = view.plot.hint
    assert hint.isVisible() and "Evaluation tab" in hint.text()  # nothing evaluated yet
    assert hint.geometry().size() == view.plot.size()  # over the whole plot, not clipped to a corner
    view.set_outcome(outcome)
    assert hint.isVisible() and "Compute" in hint.text() and "200" in hint.text()
    view.set_slices({"short": [0, 1, 2]})  # the Slices tab reports before any map is drawn
    with qtbot.waitSignal(view.map_ready, timeout=WAIT_MS):
        view.compute()
        assert "Embedding the 200 examples" in hint.text()
    assert hint.isHidden()
    assert view.colour_combo.currentData() == "correct"  # the slices did not become the default colouring
    combo = view.colour_combo
    qtbot.waitUntil(lambda: combo.width() > combo.fontMetrics().horizontalAdvance(combo.currentText()),
                    timeout=5_000)  # laid out again for its choices: "Correct or not" is not clipped
    assert view.colour_combo.findData("slice:short") >= 0
    assert view.colour_combo.itemText(view.colour_combo.findData("slice:short")) == "Slice: short"


def test_box_and_lasso_selections_list_exactly_the_points_inside(qtbot, view, outcome) -> None:
    _computed(qtbot, view, outcome)
    scatter, coords = view.plot, view.map.coords.astype(np.float64)
    # A box from the centre of the points to beyond the top right (Shift+drag), by the mouse.
    cx, cy = np.median(coords, axis=0)
    corner = coords.max(axis=0) + 0.01
    a, b = _pixel(scatter, cx, cy), _pixel(scatter, *corner)
    steps = [a + (b - a) * (i / 6) for i in range(7)]
    _drag(scatter, steps, Qt.KeyboardModifier.ShiftModifier)
    (x0, y0), (x1, y1) = _view_pos(scatter, steps[0]), _view_pos(scatter, steps[-1])
    inside = np.flatnonzero((coords[:, 0] >= min(x0, x1)) & (coords[:, 0] <= max(x0, x1))
                            & (coords[:, 1] >= min(y0, y1)) & (coords[:, 1] <= max(y0, y1)))
    assert 0 < len(inside) < len(coords)
    assert view.selection_model.indices.tolist() == inside.tolist()
    assert view.selection_model.rowCount() == len(inside)
    assert view.selection_label.text() == f"{len(inside)} examples selected"
    # The table shows each example's text and labels.
    table = example_table(outcome)
    first = view.selection_model.index(0, 1)
    assert view.selection_model.data(first) == table.texts[inside[0]]
    assert view.selection_model.data(view.selection_model.index(0, 2)) == table.columns["gold"][inside[0]]
    # A lasso in lasso mode: a triangle over the lower left, checked with Qt's own polygon test.
    view.set_mode("lasso")
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    corners = [lo - 0.01, (hi[0], lo[1] - 0.01), (lo[0] - 0.01, hi[1])]
    pixels = []
    for start, end in zip(corners, corners[1:] + corners[:1]):
        p, q = _pixel(scatter, *start), _pixel(scatter, *end)
        pixels += [p + (q - p) * (i / 8) for i in range(8)]
    _drag(scatter, pixels, Qt.KeyboardModifier.NoModifier)
    polygon = QPolygonF([QPointF(*_view_pos(scatter, p)) for p in pixels])
    inside = [i for i, (x, y) in enumerate(coords)
              if polygon.containsPoint(QPointF(x, y), Qt.FillRule.OddEvenFill)]
    assert 0 < len(inside) < len(coords)
    assert view.selection_model.indices.tolist() == inside


def test_a_selected_example_opens_and_the_selection_saves_as_a_slice(qtbot, view, outcome, monkeypatch) -> None:
    _computed(qtbot, view, outcome)
    coords = view.map.coords
    chosen = view.plot.select_box(coords.min(axis=0), np.median(coords, axis=0))
    assert len(chosen)
    table_view = view.selection_view
    index = view.selection_model.index(1, 1)
    centre = table_view.visualRect(index).center()
    with qtbot.waitSignal(view.example_chosen, timeout=5_000) as blocker:
        qtbot.mouseClick(table_view.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a double-click's first press
        qtbot.mouseDClick(table_view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args[0] is outcome.predictor
    assert blocker.args[1] == outcome.examples.texts[int(chosen[1])]
    table_view.setFocus()
    table_view.setCurrentIndex(view.selection_model.index(0, 0))
    with qtbot.waitSignal(view.example_chosen, timeout=5_000) as blocker:
        qtbot.keyClick(table_view, Qt.Key.Key_Return)
    assert blocker.args[1] == outcome.examples.texts[int(chosen[0])]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("lower left", True))
    with qtbot.waitSignal(view.selection_saved, timeout=5_000) as blocker:
        qtbot.mouseClick(view.save_slice_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["lower left", [int(i) for i in chosen]]
    # The Slices tab sends the saved slice back after its own, which overlap it (every other example).
    every_other = list(range(0, len(view.map.coords), 2))
    view.set_slices({"every other": every_other, "lower left": [int(i) for i in chosen]})
    assert view.colour_combo.currentData() == "correct"  # the choice made before stays
    view.set_colour_by("slice:lower left")
    assert view.colour_combo.currentData() == "slice:lower left"
    colours = np.array(_brush_colours(view.plot))
    assert len(set(colours[chosen])) == 1 and colours[chosen[0]] not in set(np.delete(colours, chosen))
    # The slice's few points are drawn last, over the grey ones, each where its example lies.
    drawn = view.plot.scatter.data
    assert len(chosen) < len(colours) / 2 and set(view.plot.draw_order[-len(chosen):]) == set(chosen.tolist())
    assert np.allclose(np.c_[drawn["x"], drawn["y"]], view.map.coords[view.plot.draw_order])
    view.set_slices({"every other": every_other})  # the slice shown was removed: back to the default
    assert view.colour_combo.currentData() == "correct"
    view.plot.selection_changed.emit(np.array([5]))  # a box around one point
    assert view.selection_label.text() == "1 example selected" and view.selection_model.rowCount() == 1
    view.plot.setFocus()
    qtbot.keyClick(view.plot, Qt.Key.Key_Escape)  # lets go of the selection
    assert view.selection_model.rowCount() == 0 and len(view.plot.selected) == 0
    assert view.selection_label.text().startswith("Select examples with a box")


def test_a_typed_sentence_lands_with_the_engines_nearest_neighbours(qtbot, view, outcome) -> None:
    from workbench.engine.inspection.embeddings import embed_examples, embed_texts, nearest

    _computed(qtbot, view, outcome)
    sentence = "a gorgeous, witty, seductive movie"
    view.search_edit.setText(sentence)
    with qtbot.waitSignal(view.neighbours_ready, timeout=WAIT_MS):
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    query = embed_texts(outcome.predictor, [sentence])
    expected = nearest(embed_examples(outcome.predictor, outcome.examples).vectors, query[0], k=10)
    assert [i for i, _ in view.query_neighbours] == [i for i, _ in expected]
    np.testing.assert_allclose([s for _, s in view.query_neighbours], [s for _, s in expected], rtol=1e-5)
    np.testing.assert_allclose(view.query_point, view.map.projection.transform(query)[0], rtol=1e-5, atol=1e-5)
    star = view.plot.query.data
    assert len(star) == 1 and star["x"][0] == pytest.approx(view.query_point[0])
    assert view.neighbours_table.rowCount() == 10
    assert view.neighbours_table.item(0, 2).text() == example_table(outcome).texts[expected[0][0]]


def test_a_second_checkpoint_is_drawn_beside_with_the_same_colours(qtbot, view, outcome, run) -> None:
    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.embeddings import embed_examples, project

    _computed(qtbot, view, outcome)
    view.set_colour_by("predicted")
    checkpoint = sorted((run / "checkpoints").iterdir())[0]
    with qtbot.waitSignal(view.map_ready, timeout=WAIT_MS):
        view.compare_with(str(checkpoint))
    assert view.banner.isHidden(), view.banner.text()
    assert view.compare_box.isVisible()
    other = project(embed_examples(Predictor.load(checkpoint), outcome.examples).vectors).coords
    np.testing.assert_allclose(view.compared.coords, other, rtol=1e-5, atol=1e-5)
    assert not np.allclose(view.compared.coords, view.map.coords)  # another model, another map
    assert _brush_colours(view.compare_plot) == _brush_colours(view.plot)
    chosen = view.compare_plot.select_box(other.min(axis=0), np.median(other, axis=0))
    assert len(chosen) and view.plot.selected.tolist() == chosen.tolist()  # ringed in the first map too
    assert len(view.plot.rings.data) == len(chosen)


def test_fifty_thousand_points_draw_and_hover_finds_the_nearest(qtbot, view) -> None:
    rng = np.random.default_rng(0)
    n = 50_000
    coords = rng.normal(size=(n, 2)).astype(np.float32)
    texts = [f"example {i}" for i in range(n)]
    table = ExampleTable(texts, list(range(2, n + 2)), {
        "gold": np.array(["neg", "pos"], dtype=object)[rng.integers(0, 2, n)],
        "confidence": rng.uniform(0.5, 1.0, n),
    })
    view.show_map(MapData(table, coords))
    view.set_colour_by("confidence")
    scatter = view.plot
    assert len(scatter.scatter.data) == n
    QApplication.processEvents()
    # The mouse a few pixels off a point at the edge of the cloud (few neighbours there).
    target = int(np.argmax(coords[:, 0]))
    pixel = _pixel(scatter, *coords[target]) + QPoint(2, 1)
    _send(scatter, QEvent.Type.MouseMove, pixel, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    mx, my = _view_pos(scatter, pixel)
    px, py = scatter.view_box.viewPixelSize()
    distance = np.hypot((coords[:, 0] - mx) / px, (coords[:, 1] - my) / py)  # in pixels, brute force
    expected = int(np.argmin(distance))
    assert distance[expected] <= 10
    qtbot.waitUntil(lambda: scatter.hovered_index == expected, timeout=5_000)
    assert scatter.hover_text.textItem.toPlainText() == texts[expected]


def test_point_in_polygon_and_the_grid_agree_with_brute_force() -> None:
    rng = np.random.default_rng(1)
    points = rng.uniform(-1, 1, size=(3000, 2))
    angles = np.sort(rng.uniform(0, 2 * np.pi, 40))
    radii = rng.uniform(0.2, 1.0, 40)  # a star-shaped, non-convex polygon
    polygon = np.c_[radii * np.cos(angles), radii * np.sin(angles)]
    qt_polygon = QPolygonF([QPointF(x, y) for x, y in polygon])
    expected = [qt_polygon.containsPoint(QPointF(x, y), Qt.FillRule.OddEvenFill) for x, y in points]
    assert points_in_polygon(points, polygon).tolist() == expected
    grid = PointGrid(points)
    for x, y in rng.uniform(-1.1, 1.1, size=(200, 2)):
        d = np.hypot((points[:, 0] - x) / 0.05, (points[:, 1] - y) / 0.02)
        best = int(np.argmin(d))
        assert grid.nearest(x, y, 0.05, 0.02) == (best if d[best] <= 1 else None)


def test_cancel_drops_the_map_and_a_bad_layer_is_a_readable_error(qtbot, view, outcome) -> None:
    from workbench.gui.workers import running_workers

    view.set_outcome(outcome)
    view.layer_spin.setValue(-1)
    view.compute()
    assert view.cancel_button.isEnabled() and not view.compute_button.isEnabled()
    view.cancel()
    qtbot.waitUntil(lambda: not running_workers(), timeout=WAIT_MS)
    assert view.map is None and view.compute_button.isEnabled() and not view.cancel_button.isEnabled()
    view.layer_spin.setValue(40)  # bert-tiny has hidden states 0..2
    view.compute()
    qtbot.waitUntil(lambda: not view.banner.isHidden(), timeout=WAIT_MS)
    assert "layer 40" in view.banner.text() and "Traceback" not in view.banner.text()
    assert view.map is None
    umap_item = view.method_combo.model().item(1)
    assert umap_item.isEnabled() == umap_available()
