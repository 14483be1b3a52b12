"""Saliency in the prediction panel: coloured tokens equal to the engine's integrated gradients."""

from __future__ import annotations

import numpy as np
import pytest

from tests.gui.test_prediction_panel import classifier_run  # noqa: F401 - a module fixture
from workbench.engine.inference import Predictor
from workbench.engine.inspection.saliency import integrated_gradients
from workbench.gui.panels.prediction_panel import PredictionPanel
from workbench.gui.widgets.saliency_view import saliency_html


@pytest.fixture
def panel(qtbot, classifier_run):  # noqa: F811
    p = PredictionPanel()
    qtbot.addWidget(p)
    p.set_predictor(Predictor.load(classifier_run))
    yield p
    p.shutdown()


def test_switching_saliency_on_colours_the_tokens(qtbot, panel) -> None:
    text = "a gorgeous , witty film"
    with qtbot.waitSignal(panel.prediction_ready, timeout=20_000):
        panel.set_text(text)
    with qtbot.waitSignal(panel.saliency_ready, timeout=30_000) as blocker:
        panel.saliency.enabled_check.setChecked(True)
    shown = blocker.args[0]
    engine = integrated_gradients(panel.predictor, text)
    assert shown.tokens == engine.tokens
    np.testing.assert_allclose(shown.attributions, engine.attributions, rtol=1e-5, atol=1e-7)
    assert shown.target == panel.last_result["label"]
    html_text = panel.saliency.text_view.text()
    # One span per word: word pieces ("go", "##r", ...) are joined, their attributions summed.
    assert html_text.count("<span") == len(engine.words) == len(text.split())
    assert "background-color: rgba(" in html_text
    assert "delta" in panel.saliency.delta_view.text()


def test_choosing_another_label_explains_that_label(qtbot, panel) -> None:
    panel.saliency.enabled_check.setChecked(True)
    with qtbot.waitSignal(panel.saliency_ready, timeout=30_000):
        panel.set_text("a dull film")
    predicted = panel.last_result["label"]
    other = next(name for name in panel.predictor.label_names if name != predicted)
    combo = panel.saliency.target_combo
    index = combo.findText(other)
    with qtbot.waitSignal(panel.saliency_ready, timeout=30_000) as blocker:
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
    assert blocker.args[0].target == other


def test_saliency_html_joins_word_pieces_and_escapes() -> None:
    tokens = ["[CLS]", "un", "##real", "<b>", "[SEP]"]
    html_text = saliency_html(tokens, np.array([0.0, 1.0, -0.5, 0.25, 0.0]), np.array([1, 0, 0, 0, 1], bool))
    assert html_text.count("<span") == 3
    assert "&lt;b&gt;" in html_text and "[CLS]" not in html_text
    assert "rgba(46,160,67,1.00)" in html_text  # the strongest token fully coloured
    assert "rgba(215,48,39,0.50)" in html_text  # a negative one half as strong
