"""WhatIfPanel: typing an edit recomputes in a worker; labels, probability change and marks are shown."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from tests.gui.test_prediction_panel import classifier_run  # noqa: F401 - module fixture
from workbench.engine.inference import Predictor
from workbench.gui.panels.whatif_panel import (
    INSERTED_STYLE,
    WhatIfPanel,
    marked_saliency_html,
    summary_text,
)

WAIT_MS = 20_000
_SPANS = re.compile(r'<span style="([^"]*)"[^>]*>([^<]*)</span>')


@pytest.fixture
def panel(qtbot, classifier_run):  # noqa: F811
    panel = WhatIfPanel()
    qtbot.addWidget(panel)
    panel.set_predictor(Predictor.load(classifier_run))
    yield panel
    panel.shutdown()


def test_marked_saliency_html_styles_only_the_marked_spans() -> None:
    import numpy as np

    tokens = ["[CLS]", "a", "terri", "##ble", "film", "[SEP]"]
    special = np.array([True, False, False, False, False, True])
    text = marked_saliency_html(tokens, np.array([0, 0.1, -0.5, 0.2, 0.3, 0]), special, {1, 2})
    spans = _SPANS.findall(text)
    assert [t for _s, t in spans] == ["a", "terri", "ble", "film"]
    assert [INSERTED_STYLE in s for s, _t in spans] == [False, True, True, False]


def test_typing_an_edit_compares_both_sides(qtbot, panel: WhatIfPanel) -> None:
    with qtbot.waitSignal(panel.computed, timeout=WAIT_MS) as first:
        panel.set_original("a good film")
    assert first.args[0].original.text == first.args[0].edited.text == "a good film"
    assert first.args[0].token_ops == []
    assert panel.edited_text() == "a good film"

    edit = panel.edited_view.text_edit
    edit.selectAll()
    with qtbot.waitSignal(
        panel.computed, timeout=WAIT_MS, check_params_cb=lambda r: r.edited.text == "a terrible film"
    ) as blocker:
        qtbot.keyClicks(edit, "a terrible film")
    result = blocker.args[0]
    assert result is panel.result
    assert result.original.text == "a good film"

    # Probabilities and their change match two plain predict calls.
    predictor = panel.predictor
    p0, p1 = predictor.predict(["a good film"])[0], predictor.predict(["a terrible film"])[0]
    for name in predictor.label_names:
        assert result.probability_change[name] == pytest.approx(
            p1["probabilities"][name] - p0["probabilities"][name], abs=1e-9
        )

    # Both labels shown, and the summary line says what happened.
    assert p0["label"] in panel.original_view.label_view.text()
    assert p1["label"] in panel.edited_view.label_view.text()
    assert panel.summary.text() == summary_text(result)
    if result.label_changed:
        assert panel.summary.text() == f"label changed: {p0['label']} → {p1['label']}"
    else:
        assert panel.summary.text().startswith(f"same label ({p0['label']}); P({p0['label']}) ")
    assert panel.edited_view.bars.items()[0][0] == p1["label"]

    # "good" was replaced: exactly the tokens spelling "terrible" are underlined in the edited saliency.
    assert [op[0] for op in result.token_ops] == ["replace"]
    spans = _SPANS.findall(panel.edited_view.saliency_view.text())
    marked = "".join(t for s, t in spans if INSERTED_STYLE in s)
    assert marked == "terrible"
    assert [t for s, t in spans if INSERTED_STYLE not in s] == ["a", "film"]
    # ...and the replaced "good" is struck through on the original side.
    orig = _SPANS.findall(panel.original_view.saliency_view.text())
    assert "".join(t for s, t in orig if "line-through" in s) == "good"
    # Both attention maps are drawn (last layer, mean over heads).
    assert panel.edited_view.heatmap.matrix.shape == result.edited.attention.shape
    assert panel.original_view.heatmap.matrix.shape == result.original.attention.shape


def test_no_model_says_so_without_starting_a_worker(qtbot) -> None:
    panel = WhatIfPanel()
    qtbot.addWidget(panel)
    panel.set_original("a good film")
    assert panel.status.text() == "no model loaded"
    panel.edited_view.text_edit.setFocus()
    qtbot.keyClick(panel.edited_view.text_edit, Qt.Key.Key_X)
    assert panel._debounce.isActive()
    panel.shutdown()
    assert not panel._debounce.isActive()
