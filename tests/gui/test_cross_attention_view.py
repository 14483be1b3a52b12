"""The attention panel with an encoder-decoder (issue 16): a (target, source) cross-attention
heatmap with layer/head choosers, the encoder's and decoder's self-attention in the usual views,
the alignment, and the source coloured by integrated gradients when a generated token is clicked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from workbench.engine.inference import Predictor
from workbench.engine.inspection.cross_attention import (
    predictor_attention,
    predictor_integrated_gradients,
)
from workbench.engine.models.presets import PRESETS, preset_config, train_tokenizer
from workbench.gui.panels.attention_panel import AttentionPanel

WAIT_MS = 30_000
SOURCE = "I have to go to work."


@pytest.fixture(scope="module")
def predictor(tmp_path_factory: pytest.TempPathFactory) -> Predictor:
    """A random two-layer t5-tiny with the presets' tokenizer, saved as a folder and loaded back."""
    from transformers import AutoModelForSeq2SeqLM

    tokenizer = train_tokenizer("t5", ["I have to go to work.", "我得去工作了。", "Good night.", "晚安。"] * 5, 300)
    config = preset_config(PRESETS["t5-tiny"].with_overrides(layers=2, hidden=32, heads=2), tokenizer)
    config.finetuning_task = "translation"
    torch.manual_seed(0)
    model = AutoModelForSeq2SeqLM.from_config(config).eval()
    model.generation_config.suppress_tokens = list(tokenizer.all_special_ids)  # random weights: show words
    model.generation_config.max_new_tokens = 8
    folder = tmp_path_factory.mktemp("s2s") / "model"
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    loaded = Predictor.load(folder)
    assert loaded.task_spec.sequence_to_sequence
    return loaded


@pytest.fixture
def panel(qtbot):
    widget = AttentionPanel()
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    yield widget
    widget.shutdown()


def test_cross_attention_heatmap_alignment_and_coloured_source(qtbot, panel, predictor, tmp_path: Path) -> None:
    with qtbot.waitSignal(panel.attention_ready, timeout=WAIT_MS):
        panel.set_input(predictor, SOURCE)
    maps = panel.seq2seq_maps
    assert maps is not None
    view = panel.cross_view
    assert panel.views.currentWidget() is view and view.isVisible()
    T, S = len(maps.target_tokens), len(maps.source_tokens)
    expected = predictor_attention(predictor, SOURCE)
    assert maps.target_ids == expected.target_ids
    # Layer 0, head 0 first; then the mean over the heads of layer 1.
    assert view.current_matrix.shape == (T, S) and view.heatmap.matrix.shape == (T, S)
    np.testing.assert_allclose(view.current_matrix, expected.cross_attentions[0, 0], atol=1e-6)
    view._layer.setValue(1)
    view._mean.setChecked(True)
    np.testing.assert_allclose(view.current_matrix, expected.cross_attentions[1].mean(axis=0), atol=1e-6)
    assert view.heatmap.tokens == maps.target_tokens and view.heatmap.source_tokens == maps.source_tokens
    # The alignment links every generated token to its heaviest non-special source tokens.
    assert len(view.alignment.links) == T
    for row, links in zip(view.current_matrix, view.alignment.links):
        assert links[0][0] == int(np.argmax(np.where(maps.source_special, -1, row)))
    # The usual views show the encoder's self-attention, then the decoder's.
    assert panel.maps.tokens == maps.source_tokens and panel.current_matrix.shape == (S, S)
    panel._side.setCurrentIndex(1)
    assert panel.maps.attentions.shape[-1] == T and panel.maps.note  # causal
    # Clicking a generated token colours the source by integrated gradients.
    assert view.coloured_tokens == 0
    view.target_buttons[1].click()
    qtbot.waitUntil(lambda: view.coloured_tokens == S, timeout=WAIT_MS)
    reference = predictor_integrated_gradients(predictor, SOURCE, 1)
    assert f"delta {reference.delta:+.4f}" in view.source_view.text() and view.target_buttons[1].isChecked()
    path = tmp_path / "cross_attention.png"  # to look at: the labels must be readable
    panel.grab().save(str(path))
    assert path.stat().st_size > 0


def test_the_maps_are_of_the_output_shown_and_export_what_the_tab_draws(qtbot, panel, predictor, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A beam-search output of 3 new tokens (not the panel's own greedy 40) is what the maps show; the mean
    over the output is one row summing to 1; Export CSV/PNG on the Cross-attention tab write that map; the
    integrated-gradients controls set the explanation's steps and baseline."""
    import csv

    from PySide6.QtWidgets import QFileDialog

    result = predictor.predict([SOURCE], num_beams=3, max_new_tokens=3)[0]
    with qtbot.waitSignal(panel.attention_ready, timeout=WAIT_MS):
        panel.set_input(predictor, SOURCE, result)
    maps = panel.seq2seq_maps
    assert maps.target_ids == result["output_ids"][1:] and len(maps.target_ids) <= 3
    assert maps.target_ids != predictor_attention(predictor, SOURCE).target_ids  # greedy 40 would differ
    view = panel.cross_view
    T, S = len(maps.target_tokens), len(maps.source_tokens)
    view._whole.setChecked(True)
    assert view.current_matrix.shape == (1, S) and view.current_rows == [f"all {T} generated"]
    np.testing.assert_allclose(view.current_matrix[0], maps.cross_attentions[0, 0].mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(view.current_matrix.sum(), 1.0, atol=1e-5)
    view._whole.setChecked(False)

    saved = tmp_path / "cross.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    panel._export_csv.click()
    rows = list(csv.reader(saved.open(encoding="utf-8")))
    assert rows[0] == ["generated \\ source", *maps.source_tokens]
    assert [r[0] for r in rows[1:]] == maps.target_tokens
    np.testing.assert_allclose(np.array([[float(v) for v in r[1:]] for r in rows[1:]]),
                               maps.cross_attentions[0, 0], atol=1e-5)
    image = tmp_path / "cross.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(image), ""))
    panel._export_png.click()
    assert image.stat().st_size > 0

    view._steps.setValue(16)
    view._baseline.setCurrentIndex(view._baseline.findData("zero"))
    view.target_buttons[0].click()
    qtbot.waitUntil(lambda: view.coloured_tokens == S, timeout=WAIT_MS)
    reference = predictor_integrated_gradients(predictor, SOURCE, 0, output_ids=result["output_ids"], steps=16,
                                               baseline="zero")
    assert "over 16 steps" in view.source_view.text() and f"delta {reference.delta:+.4f}" in view.source_view.text()
