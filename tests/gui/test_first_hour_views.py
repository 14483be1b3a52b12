"""What a new user tripped over in the first hour, each fixed and checked as they would see it.

Ctrl+E in the evaluation's data field; the evaluation defaulting to a run's held-out split
(and numbering its rows by file line, as the Dataset tab does); saliency joined into words
with a legend, and the what-if naming the label it explains; the tokenizer's sample as a
placeholder; no stale selection frame in the head grids; no meaningless axes on an empty map.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QImage

from tests.conftest import minilm_dir, shared
from tests.gui.test_prediction_panel import classifier_run  # noqa: F401 - a module fixture
from workbench.engine.inference import Predictor
from workbench.gui.panels.evaluation_panel import EvaluationPanel

WAIT_MS = 30_000


# --------------------------------------------------------------------------- helpers


def _orange_pixels(image: QImage, rect: tuple[int, int, int, int]) -> int:
    """Pixels of the selected head's orange (#e8772e) inside ``rect`` (left, top, width, height)."""
    left, top, width, height = rect
    count = 0
    for y in range(max(top, 0), min(top + height, image.height())):
        for x in range(max(left, 0), min(left + width, image.width())):
            c = QColor(image.pixel(x, y))
            if abs(c.red() - 0xE8) < 20 and abs(c.green() - 0x77) < 25 and abs(c.blue() - 0x2E) < 25:
                count += 1
    return count


def _on_screen(widget, box) -> tuple[QImage, tuple[int, int, int, int]]:
    """What the window shows now (its backing store, not a fresh render) and ``box``'s rectangle."""
    image = widget.screen().grabWindow(widget.winId()).toImage()
    rect = widget.mapFromScene(box.sceneBoundingRect()).boundingRect().adjusted(-3, -3, 3, 3)
    return image, (rect.left(), rect.top(), rect.width(), rect.height())


def _picture(widget, name: str) -> None:
    """Save what ``widget`` looks like when WORKBENCH_TEST_PICTURES names a folder (to look at)."""
    folder = os.environ.get("WORKBENCH_TEST_PICTURES")
    if folder:
        assert widget.grab().save(str(Path(folder) / f"{name}.png"))


def _non_white(image: QImage) -> int:
    return sum(
        image.pixelColor(x, y).name() != "#ffffff"
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
    )


@pytest.fixture
def evaluation(qtbot):
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    with qtbot.waitExposed(panel):
        panel.show()
    yield panel
    panel.shutdown()


def _run_config(run: Path) -> dict:
    return json.loads((run / "config.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- 1. Ctrl+E


class _LinuxLineEditKeys(QObject):
    """What a line edit does under the X11, KDE and GNOME key schemes: Ctrl+E means "end of
    line", so the field claims the key (accepts the ShortcutOverride) before any shortcut.
    The offscreen platform uses the Windows scheme, so the test puts this behaviour back."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and event.key() == Qt.Key.Key_E
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()
        return False


def test_ctrl_e_in_the_data_field_evaluates(qtbot, evaluation, classifier_run) -> None:  # noqa: F811
    evaluation.set_model(str(classifier_run))
    field = evaluation.data_edit
    linux_keys = _LinuxLineEditKeys(field)
    field.installEventFilter(linux_keys)
    evaluation.activateWindow()
    qtbot.waitActive(evaluation)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=5_000)
    with qtbot.waitSignal(evaluation.evaluated, timeout=WAIT_MS):
        qtbot.keyClick(field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert evaluation.outcome is not None and evaluation.banner_text == ""


# --------------------------------------------------------------------------- 2. held-out split


def test_a_run_without_a_validation_file_evaluates_its_held_out_split(
    qtbot, evaluation, classifier_run  # noqa: F811
) -> None:
    from workbench.engine.task_data import load_dataset

    config = _run_config(classifier_run)
    assert not config["validation"] and config["validation_fraction"] > 0  # the run split its file
    train = Path(config["data"])
    evaluation.set_model(str(classifier_run))
    # The training file, offered as its held-out split only.
    assert evaluation.data_edit.text() == str(train)
    assert evaluation.held_out_check.isVisible() and evaluation.held_out_check.isChecked()
    assert "held-out split of train.csv" in evaluation.status_label.text()

    with qtbot.waitSignal(evaluation.evaluated, timeout=WAIT_MS):
        evaluation.evaluate()
    outcome = evaluation.outcome
    assert evaluation.banner_text == "" and outcome.held_out is not None
    expected = load_dataset(
        train, "classification", validation_fraction=config["validation_fraction"], seed=config["seed"]
    ).validation
    # Exactly the examples the run validated on, not the whole file.
    assert outcome.examples.texts == expected.texts and outcome.examples.lines == expected.lines
    begin = next(
        json.loads(line)
        for line in (classifier_run / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
        if '"train_begin"' in line
    )
    assert len(outcome.examples) == begin["num_validation_examples"] < 60
    assert "held-out split of train.csv" in evaluation.status_label.text()
    _picture(evaluation, "evaluation_held_out")

    # Unticked: the whole file (with the examples the model trained on), and the status says so.
    qtbot.waitUntil(lambda: not evaluation.busy, timeout=WAIT_MS)
    evaluation.held_out_check.setChecked(False)
    assert "trained on" in evaluation.status_label.text()
    with qtbot.waitSignal(evaluation.evaluated, timeout=WAIT_MS):
        evaluation.evaluate()
    assert len(evaluation.outcome.examples) == 60 and evaluation.outcome.held_out is None

    # A checkpoint of the run (what the app loads from a run stopped before its final model)
    # brings the same split; a file the user chose is never replaced.
    checkpoint = sorted((classifier_run / "checkpoints").glob("step-*"))[-1]
    evaluation.set_data(str(train))
    evaluation.set_model(str(checkpoint))
    assert not evaluation.held_out_check.isVisible()  # the user's choice stands
    evaluation.data_edit.clear()
    evaluation.set_model(str(checkpoint))
    assert evaluation.data_edit.text() == str(train) and evaluation.held_out_check.isVisible()


def test_evaluation_rows_are_numbered_like_the_dataset_tab(
    qtbot, evaluation, classifier_run  # noqa: F811
) -> None:
    from workbench.gui.panels.dataset_panel import DatasetPanel

    train = Path(_run_config(classifier_run)["data"])
    evaluation.set_model(str(classifier_run))
    with qtbot.waitSignal(evaluation.evaluated, timeout=WAIT_MS):
        evaluation.evaluate()
    dataset = DatasetPanel()
    qtbot.addWidget(dataset)
    with qtbot.waitSignal(dataset.dataset_loaded, timeout=WAIT_MS):
        dataset.open_file(str(train))
    shown = dataset.table_model
    number_of = {  # the Dataset tab's row header -> that row's text
        shown.headerData(r, Qt.Orientation.Vertical): shown.data(shown.index(r, 0))
        for r in range(shown.rowCount())
    }
    view = evaluation.predictions_view
    model = view.model()
    assert model.rowCount() == len(evaluation.outcome.examples) > 0
    for row in range(model.rowCount()):
        number = model.headerData(row, Qt.Orientation.Vertical)
        text = model.data(model.index(row, 0))
        assert number_of[number] == text, (row, number)
        assert "Dataset tab" in model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    dataset.shutdown()


def test_a_changed_training_file_is_refused_not_split_differently(
    qtbot, evaluation, classifier_run, tmp_path  # noqa: F811
) -> None:
    run = tmp_path / "run"
    shutil.copytree(classifier_run, run)
    config = _run_config(run)
    lines = Path(config["data"]).read_text(encoding="utf-8").splitlines()
    changed = tmp_path / "train.csv"
    changed.write_text("\n".join(lines[:-10]) + "\n", encoding="utf-8")  # ten rows fewer
    config["data"] = str(changed)
    (run / "config.json").write_text(json.dumps(config), encoding="utf-8")
    evaluation.set_model(str(run))
    assert evaluation.held_out_check.isVisible()
    evaluation.evaluate()
    qtbot.waitUntil(lambda: "changed since the run" in evaluation.banner_text, timeout=WAIT_MS)
    assert evaluation.outcome is None


# --------------------------------------------------------------------------- 3. saliency


def test_saliency_view_shows_words_with_summed_pieces_and_a_legend(qtbot) -> None:
    from transformers import AutoTokenizer

    from workbench.engine.inspection.saliency import Attribution, token_words
    from workbench.gui.widgets.saliency_view import SaliencyView

    tok = AutoTokenizer.from_pretrained(str(minilm_dir()))
    text = "Unbelievably moving, truly"
    enc = tok(text, return_offsets_mapping=True, return_special_tokens_mask=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"])
    assert tokens[1:3] == ["un", "##bel"]  # the word is split into pieces
    special = np.array(enc["special_tokens_mask"], dtype=bool)
    values = np.linspace(-0.3, 0.6, len(tokens))
    keys, spans = token_words(enc)
    attribution = Attribution(tokens, values, "positive", 1, "grad-x-input", special=special,
                              word_keys=keys, word_spans=spans, texts=(text,))
    view = SaliencyView()
    qtbot.addWidget(view)
    view.resize(520, 160)
    view.show()
    view.enabled_check.setChecked(True)
    view.show_attribution(attribution)
    rich = view.text_view.text()
    assert rich.count("<span") == 4  # Unbelievably, moving, ",", truly
    assert ">Unbelievably</span>" in rich and "##" not in rich
    pieces = [i for i, t in enumerate(tokens) if 1 <= i <= 5]  # un ##bel ##ie ##va ##bly
    assert f'title="{values[pieces].sum():+.4f}"' in rich
    words = attribution.words
    assert view.legend.isVisible()
    assert view.legend.scale == pytest.approx(max(abs(w.attribution) for w in words))
    assert "positive" in view.legend.caption.text()
    _picture(view, "saliency_view")


def test_what_if_names_the_label_its_saliency_explains(qtbot, classifier_run) -> None:  # noqa: F811
    from workbench.gui.panels.whatif_panel import WhatIfPanel

    panel = WhatIfPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    panel.set_predictor(Predictor.load(classifier_run))
    with qtbot.waitSignal(panel.computed, timeout=WAIT_MS) as blocker:
        panel.set_original("a gorgeous , witty film")
    result = blocker.args[0]
    for side in (panel.original_view, panel.edited_view):
        assert side.saliency_title.text() == f"Saliency for: <b>{result.target}</b>"
        assert side.legend.isVisible() and result.target in side.legend.caption.text()
        shown = side.saliency_view.text()
        assert shown.count("<span") == len(result.original.attribution.words)
    _picture(panel, "whatif")
    panel.shutdown()


# --------------------------------------------------------------------------- 4. tokenizer sample


def test_tokenizer_sample_is_a_placeholder_not_the_first_row(qtbot, tmp_path) -> None:
    from workbench.gui.panels.tokenizer_panel import TokenizerPanel

    corpus = tmp_path / "corpus.txt"
    rows = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:200]
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")
    first = next(r for r in rows if r.strip())
    panel = TokenizerPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 750)
    panel.show()
    panel.set_corpus(str(corpus))
    with qtbot.waitSignal(panel.report_ready, timeout=WAIT_MS):
        panel.load_tokenizer(str(minilm_dir()))
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    edit = panel.sample_edit
    assert edit.text() == "" and edit.placeholderText() == first  # nothing to delete before typing
    expected = [p.display for p in panel.tokenizer.split(first).pieces]
    assert panel.chips.chip_texts() == expected  # the placeholder's split is shown
    _picture(panel, "tokenizer")
    qtbot.keyClicks(edit, "thou art")
    assert panel.chips.chip_texts() == [p.display for p in panel.tokenizer.split("thou art").pieces]
    edit.clear()
    assert panel.chips.chip_texts() == expected
    panel.shutdown()


# --------------------------------------------------------------------------- 5. head grids


def test_head_grid_leaves_no_stale_selection_frame(qtbot) -> None:
    from workbench.gui.widgets.heatmap import HeadGrid

    grid = HeadGrid()
    qtbot.addWidget(grid)
    grid.resize(400, 500)
    with qtbot.waitExposed(grid):  # on screen first, as in the app: then only parts repaint
        grid.show()
    rng = np.random.default_rng(0)
    grid.set_maps(rng.random((6, 5, 5)).astype(np.float32), 0)

    def framed() -> list[bool]:
        return [_orange_pixels(*_on_screen(grid, box)) > 0 for box in grid._boxes]

    qtbot.waitUntil(lambda: framed() == [True] + [False] * 5, timeout=5_000)
    grid.set_selected(1)  # another head: head 0's frame goes
    qtbot.waitUntil(lambda: framed() == [False, True] + [False] * 4, timeout=5_000)
    grid.set_maps(rng.random((6, 7, 7)).astype(np.float32), 2)  # a new input
    qtbot.waitUntil(lambda: framed() == [False, False, True] + [False] * 3, timeout=5_000)


def test_model_view_leaves_no_stale_selection_frame(qtbot) -> None:
    from workbench.gui.widgets.model_view import ModelView

    view = ModelView()
    qtbot.addWidget(view)
    view.resize(500, 500)
    with qtbot.waitExposed(view):
        view.show()
    view.set_maps(np.random.default_rng(0).random((2, 3, 5, 5)).astype(np.float32))
    view.set_selected((0, 0))
    first, last = view._boxes[0][0], view._boxes[1][2]
    qtbot.waitUntil(lambda: _orange_pixels(*_on_screen(view, first)) > 1000, timeout=5_000)
    view.set_selected((1, 2))
    # Inside the first box (the frame of a neighbour may reach its margin): no orange left.
    qtbot.waitUntil(
        lambda: _orange_pixels(*_on_screen(view, last)) > 1000
        and _orange_pixels(*_on_screen(view, first)) < 20,
        timeout=5_000,
    )


# --------------------------------------------------------------------------- 6. empty heatmap


def test_empty_heatmap_shows_a_hint_not_axes_and_survives_clear(qtbot) -> None:
    from workbench.gui.widgets.heatmap import AttentionHeatmap

    heatmap = AttentionHeatmap()
    qtbot.addWidget(heatmap)
    heatmap.resize(500, 450)
    with qtbot.waitExposed(heatmap):
        heatmap.show()

    def axes_shown() -> list[bool]:
        return [heatmap.plot.getAxis(side).isVisible() for side in ("bottom", "left")] + [
            heatmap.colorbar.isVisible()
        ]

    assert heatmap.empty and axes_shown() == [False, False, False]
    assert heatmap.hint.isVisible() and "Prediction tab" in heatmap.hint.text()
    _picture(heatmap, "heatmap_empty")
    matrix = np.full((4, 4), 0.25, dtype=np.float32)
    heatmap.set_matrix(matrix, ["[CLS]", "a", "film", "[SEP]"])
    assert not heatmap.empty and axes_shown() == [True, True, True] and not heatmap.hint.isVisible()
    drawn = _non_white(heatmap.grab().toImage())
    # clear() empties the map only: a new matrix draws again (pyqtgraph's own clear() left it blank).
    heatmap.clear()
    assert heatmap.empty and heatmap.hint.isVisible() and axes_shown() == [False, False, False]
    heatmap.set_matrix(matrix, ["[CLS]", "a", "film", "[SEP]"])
    assert heatmap.plot in heatmap.ci.items and heatmap.colorbar in heatmap.ci.items
    assert _non_white(heatmap.grab().toImage()) == drawn


# --------------------------------------------------------------------------- 7. row names on the first paint


def _drawn_tick_texts(axis) -> list[str]:
    from PySide6.QtGui import QPainter, QPicture

    picture = QPicture()
    painter = QPainter(picture)
    try:
        return [text for _rect, _flags, text in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()


def test_matrix_row_names_are_all_drawn_on_the_first_paint(qtbot) -> None:
    """pyqtgraph widens a left axis only after drawing it, and skips a name that does not fit:
    the confusion matrix's "negative" row was blank until the next layout."""
    from workbench.gui.widgets.confusion import ConfusionPlot
    from workbench.gui.widgets.heatmap import AttentionHeatmap

    plot = ConfusionPlot()
    heatmap = AttentionHeatmap()
    for widget in (plot, heatmap):
        qtbot.addWidget(widget)
        widget.resize(480, 420)
    plot.set_matrix(np.array([[50, 5], [8, 60]]), ["negative", "positive"])
    tokens = ["[CLS]", "surprisingly", "good", "[SEP]"]
    heatmap.set_matrix(np.full((4, 4), 0.25, dtype=np.float32), tokens)
    for widget in (plot, heatmap):
        widget.show()
        widget.grab()  # the first paint, nothing processed after it
    assert _drawn_tick_texts(plot._y_axis) == ["negative", "positive"]
    assert _drawn_tick_texts(heatmap._y_axis) == tokens
    # Shorter names give the room back (pyqtgraph's own sizing only ever grows).
    wide = plot._y_axis.width()
    plot.set_matrix(np.array([[1, 0], [0, 1]]), ["no", "yes"])
    qtbot.waitUntil(lambda: plot._y_axis.width() < wide, timeout=5_000)
    assert _drawn_tick_texts(plot._y_axis) == ["no", "yes"]
