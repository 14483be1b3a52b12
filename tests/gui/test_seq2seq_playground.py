"""The prediction panel with a real encoder-decoder: type a source, see the generated output (issue 16)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch

from workbench.engine.inference import Predictor
from workbench.engine.models.loading import ModelSource
from workbench.engine.models.presets import PRESETS, preset_config, train_tokenizer
from workbench.gui.panels.prediction_panel import PredictionPanel

WAIT_MS = 20_000


@pytest.fixture
def predictor() -> Predictor:
    """A random one-layer t5-tiny with the presets' own tokenizer (what a fresh run would save)."""
    from transformers import AutoModelForSeq2SeqLM

    tokenizer = train_tokenizer("t5", ["I have to go to work.", "我得去工作了。", "Good night.", "晚安。"] * 5, 300)
    config = preset_config(PRESETS["t5-tiny"].with_overrides(layers=1, hidden=32, heads=2), tokenizer)
    torch.manual_seed(0)
    model = AutoModelForSeq2SeqLM.from_config(config).eval()
    # Random weights may choose only special tokens (nothing to show): generation leaves them out.
    model.generation_config.suppress_tokens = list(tokenizer.all_special_ids)
    return Predictor(model, tokenizer, "translation", [], 32, ModelSource("folder", "t5-tiny run"))


@pytest.fixture
def panel(qtbot) -> Iterator[PredictionPanel]:
    widget = PredictionPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    widget.shutdown()


def test_typing_a_source_shows_the_generated_output(qtbot, panel, predictor) -> None:
    panel.set_predictor(predictor)
    assert panel.max_new_spin.isVisibleTo(panel) and not panel.generate_button.isVisibleTo(panel)
    panel.max_new_spin.setValue(5)
    with qtbot.waitSignal(panel.prediction_ready, timeout=WAIT_MS):
        panel.set_text("I have to go to work.")  # live: the prediction follows the typing
    assert panel.results.currentWidget() is panel.output_view
    expected = predictor.predict(["I have to go to work."], max_new_tokens=5)[0]["output"]
    assert expected and panel.output_view.toPlainText() == expected
    assert panel.last_result is not None and panel.last_result["output"] == expected
