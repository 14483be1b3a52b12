"""AttentionPanel: computed once in a worker, redrawn per layer/head, exported as CSV and PNG."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from tests.conftest import shared
from workbench.engine.inference import Predictor
from workbench.engine.inspection.attention import compute_attention
from workbench.engine.models.loading import ModelSource
from workbench.gui.panels.attention_panel import AttentionPanel

WAIT_MS = 20_000
TEXT = "the film is a charming , often hilarious ride"
# ~40 tokens: every one must get its own label on a 1100 x 750 panel.
LONG = (
    "it is a gorgeous , witty , seductive movie that moves along at a nice clip and never "
    "loses its way , even when the plot turns into a shaggy dog story at the very end"
)


@pytest.fixture(scope="module")
def predictor() -> Predictor:
    """A random tiny BERT (2 layers, 4 heads) with a WordPiece tokenizer trained on SST-2 text."""
    from transformers import BertConfig, BertForSequenceClassification

    from workbench.engine.models.presets import train_tokenizer

    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:500]
    tok = train_tokenizer("bert", [line.split("\t")[0] for line in lines], 600)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        pad_token_id=tok.pad_token_id,
        num_labels=2,
    )
    model = BertForSequenceClassification._from_config(config, attn_implementation="sdpa").eval()
    return Predictor(
        model, tok, "classification", ["neg", "pos"], 128, ModelSource("folder", "tiny")
    )


@pytest.fixture
def panel(qtbot):
    widget = AttentionPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 750)
    yield widget
    widget.shutdown()


def _computed(qtbot, panel: AttentionPanel, predictor: Predictor, text: str = TEXT):
    with qtbot.waitSignal(panel.attention_ready, timeout=WAIT_MS) as blocker:
        panel.set_input(predictor, text)
        panel.refresh()
    return blocker.args[0]


def test_matrix_matches_engine_and_redraws_without_recompute(qtbot, panel, predictor) -> None:
    maps = _computed(qtbot, panel, predictor)
    engine = compute_attention(predictor.model, predictor.tokenizer, TEXT)
    assert panel.computations == 1
    T = len(engine.tokens)
    assert panel.current_tokens == engine.tokens
    assert panel.current_matrix.shape == (T, T)
    np.testing.assert_allclose(panel.current_matrix, engine.attentions[0, 0], atol=1e-6)
    assert predictor.model.config._attn_implementation == "sdpa"  # prediction keeps its fast path

    panel._layer.setValue(1)
    panel._head.setValue(2)
    np.testing.assert_allclose(panel.current_matrix, engine.attentions[1, 2], atol=1e-6)
    before = panel.current_matrix.copy()
    panel._head.setValue(3)
    assert not np.allclose(panel.current_matrix, before)
    np.testing.assert_allclose(panel.current_matrix, engine.attentions[1, 3], atol=1e-6)
    np.testing.assert_allclose(panel.heatmap.matrix, panel.current_matrix)  # what is drawn
    # A thumbnail click selects its head; still no new computation.
    assert panel.heads.head_count == 4
    panel.heads.click_head(1)
    assert panel._head.value() == 1
    np.testing.assert_allclose(panel.current_matrix, engine.attentions[1, 1], atol=1e-6)
    assert panel.computations == 1
    # The worker's "finished" arrives just after its result; then nothing is left running.
    qtbot.waitUntil(lambda: not panel._runner.busy, timeout=10_000)
    assert panel.computations == 1
    assert maps.attentions.shape == engine.attentions.shape


def test_mean_over_heads_and_hide_special(qtbot, panel, predictor) -> None:
    maps = _computed(qtbot, panel, predictor)
    panel._layer.setValue(1)
    panel._mean.setChecked(True)
    assert not panel._head.isEnabled()
    np.testing.assert_allclose(panel.current_matrix, maps.attentions[1].mean(0), atol=1e-6)

    panel._hide_special.setChecked(True)
    tokens = panel.current_tokens
    assert "[CLS]" not in tokens and "[SEP]" not in tokens
    assert tokens == maps.tokens[1:-1]
    assert panel.current_matrix.shape == (len(tokens), len(tokens))
    np.testing.assert_allclose(panel.current_matrix.sum(1), 1.0, atol=1e-5)
    sub = maps.attentions[1].mean(0)[1:-1, 1:-1]
    np.testing.assert_allclose(panel.current_matrix, sub / sub.sum(1, keepdims=True), atol=1e-5)
    panel._hide_special.setChecked(False)
    assert panel.current_tokens == maps.tokens
    assert panel.computations == 1


def test_export_csv_and_png(qtbot, panel, predictor, tmp_path, monkeypatch) -> None:
    panel.show()
    _computed(qtbot, panel, predictor)
    panel._head.setValue(2)
    target = tmp_path / "att.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    panel._export_csv.click()
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    tokens = panel.current_tokens
    assert rows[0] == ["query \\ key", *tokens]
    assert [r[0] for r in rows[1:]] == tokens
    values = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    np.testing.assert_allclose(values, panel.current_matrix, atol=1e-5)

    png = tmp_path / "att.png"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(png), ""))
    )
    panel._export_png.click()
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 200 and image.height() > 200
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20  # the map, the colour bar and the labels, not a blank widget


def test_computes_only_when_visible(qtbot, panel, predictor) -> None:
    panel.set_input(predictor, TEXT)
    assert panel.computations == 0 and panel.current_matrix is None
    with qtbot.waitSignal(panel.attention_ready, timeout=WAIT_MS):
        panel.show()
    assert panel.computations == 1
    # Visible: a new input is computed at once.
    with qtbot.waitSignal(panel.attention_ready, timeout=WAIT_MS) as blocker:
        panel.set_input(predictor, "a second sentence")
    assert panel.computations == 2
    assert blocker.args[0].tokens == predictor.tokenizer.convert_ids_to_tokens(
        predictor.tokenizer("a second sentence")["input_ids"]
    )


def test_labels_and_hover_readout(qtbot, panel, predictor) -> None:
    panel.show()
    words = LONG.split()
    text = " ".join(
        words[
            : next(
                n
                for n in range(1, len(words) + 1)
                if len(predictor.tokenizer(" ".join(words[:n]))["input_ids"]) >= 40
            )
        ]
    )
    maps = _computed(qtbot, panel, predictor, text)
    assert 40 <= len(maps.tokens) <= 44
    assert panel.heatmap.label_step() == 1  # every token labelled at this size
    view = panel.heatmap.view
    panel.heatmap._on_scene_mouse_moved(view.mapViewToScene(QPointF(2, 1)))  # column 2, row 1
    tokens = maps.tokens
    expected = f"{tokens[1]} → {tokens[2]}: {maps.attentions[0, 0, 1, 2]:.3f}"
    assert panel.heatmap.readout.text == expected
    # Much longer inputs: every k-th label, so they never overlap.
    with qtbot.waitSignal(panel.attention_ready, timeout=WAIT_MS):
        panel.set_input(predictor, " ".join([LONG] * 3))
    assert panel.heatmap.label_step() >= 2


def test_errors_are_shown_and_panel_recovers(qtbot, panel, predictor) -> None:
    panel.show()
    panel.set_input(predictor, "   ")
    assert panel.computations == 0 and "No text" in panel._status.text()
    broken = SimpleNamespace(model=predictor.model, tokenizer=None, max_length=128)
    panel.set_input(broken, TEXT)
    qtbot.waitUntil(lambda: "could not be computed" in panel._status.text(), timeout=WAIT_MS)
    _computed(qtbot, panel, predictor)
    assert panel.current_matrix is not None and "tokens" in panel._status.text()


def test_chinese_characters_stand_upright_on_the_key_axis(qtbot) -> None:
    from workbench.gui.widgets.heatmap import AttentionHeatmap, upright

    assert upright("猫") and upright("，") and not upright("[CLS]") and not upright("cat") and not upright("")
    heatmap = AttentionHeatmap()
    qtbot.addWidget(heatmap)
    tokens = ["[CLS]", *"我喜欢猫", "[SEP]"]
    heatmap.set_matrix(np.full((6, 6), 1 / 6, dtype=np.float32), tokens)
    axis = heatmap._x_axis
    assert [t for _, t in axis.shown_labels()] == tokens
    # The axis is as tall as the longest label needs: "[CLS]" turned on its side, not
    # a character stacked on its own line.
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(axis.style["tickFont"])
    assert axis.height() >= metrics.horizontalAdvance("[CLS]")


def test_stretch_colours_scales_each_map_to_its_largest_weight_and_both_choices_are_remembered(qtbot, panel, predictor) -> None:
    _computed(qtbot, panel, predictor)
    assert panel.heatmap.levels == (0.0, 1.0)  # softmax weights on the fixed scale by default

    panel._stretch.setChecked(True)
    top = float(panel.current_matrix.max())
    assert top < 0.9  # else stretching would show nothing new
    assert panel.heatmap.levels == pytest.approx((0.0, top))
    assert tuple(panel.heatmap.image.getLevels()) == pytest.approx((0.0, top))  # what is drawn
    for image, matrix in zip(panel.heads._images, panel._layer_maps()):  # each small map its own
        assert tuple(image.getLevels()) == pytest.approx((0.0, float(matrix.max())))
    cell = panel.model_view._images[1][2]
    assert tuple(cell.getLevels()) == pytest.approx((0.0, float(cell.image.max())))
    assert panel.rollout_view.levels == pytest.approx((0.0, float(panel.rollout_matrix.max())))
    panel._head.setValue(2)  # another head: the scale follows it
    assert panel.heatmap.levels == pytest.approx((0.0, float(panel.current_matrix.max())))

    panel._hide_special.setChecked(True)
    again = AttentionPanel()  # both choices are remembered
    qtbot.addWidget(again)
    assert again._stretch.isChecked() and again._hide_special.isChecked()
    again.shutdown()
    panel._stretch.setChecked(False)
    assert panel.heatmap.levels == (0.0, 1.0)
    assert tuple(panel.heads._images[0].getLevels()) == (0.0, 1.0)
