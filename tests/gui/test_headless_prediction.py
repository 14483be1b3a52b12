"""The prediction panel with a checkpoint that has no task head (MiniLM): one sentence, and attention still works."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import minilm_dir
from workbench.engine.inspection.attention import compute_attention
from workbench.gui.panels.attention_panel import AttentionPanel
from workbench.gui.panels.prediction_panel import PredictionPanel

WAIT_MS = 60_000
TEXT = "the film is a charming , often hilarious ride"


@pytest.fixture
def panels(qtbot):
    prediction, attention = PredictionPanel(), AttentionPanel()
    for widget in (prediction, attention):
        qtbot.addWidget(widget)
        widget.resize(900, 600)
        widget.show()
    prediction.prediction_ready.connect(attention.set_input)  # as the main window wires them
    yield prediction, attention
    prediction.shutdown()
    attention.shutdown()


def test_minilm_shows_the_no_head_sentence_and_its_attention(qtbot, panels) -> None:
    prediction, attention = panels
    with qtbot.waitSignal(prediction.model_loaded, timeout=WAIT_MS) as loaded:
        prediction.set_model(str(minilm_dir()))
    bare = loaded.args[0]
    assert bare.task is None
    # Said at once, before any text: what it cannot do and how to fine-tune it.
    assert prediction.banner.isVisible()
    assert "has no task head, so it cannot predict or explain; fine-tune it first" in prediction.banner.text()
    assert "attention only" in prediction.status_label.text()
    assert "Attention tab" in prediction.text_edit.placeholderText()

    with qtbot.waitSignal(attention.attention_ready, timeout=WAIT_MS) as ready:
        prediction.set_text(TEXT)  # typing: after the debounce, the text goes to the attention panel
    maps = ready.args[0]
    expected = compute_attention(bare.model, bare.tokenizer, TEXT, max_length=bare.max_length)
    assert maps.tokens == expected.tokens and maps.attentions.shape[:2] == (6, 12)
    np.testing.assert_allclose(maps.attentions, expected.attentions, atol=1e-6)
    np.testing.assert_allclose(attention.current_matrix.sum(axis=1), 1.0, atol=1e-5)
    # No prediction was made up, and the sentence is still there.
    assert prediction.last_result is None
    assert "has no task head" in prediction.banner.text() and prediction.banner.isVisible()
    qtbot.waitUntil(lambda: not attention._runner.busy, timeout=WAIT_MS)
