"""A data file with one 1 MB cell opens without main-thread work that grows with the cell.

The monkey test froze for 8.5 s after opening such a file: the model advice estimated the
texts' token counts with a Python loop per character, on the main thread, when the data set
arrived. The counts are now the regex engine's; the preview shows capped texts. No timings
are asserted: the results and the caps are.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workbench.engine.models import catalogue as cat
from workbench.gui.panels.dataset_panel import DatasetPanel
from workbench.gui.panels.model_panel import ModelPanel
from workbench.gui.widgets.table_model import _CELL_CHARS, _TOOLTIP_CHARS

WORDS = 200_000  # "word " 200,000 times: a 1 MB cell


@pytest.fixture
def huge_cell(tmp_path: Path) -> Path:
    path = tmp_path / "huge_cell.csv"
    path.write_text('sentence,label\n"' + "word " * WORDS + '",pos\nshort,neg\n', encoding="utf-8")
    return path


def test_a_1mb_cell_is_shown_capped_and_counted_whole(qtbot, huge_cell: Path) -> None:
    data, model = DatasetPanel(), ModelPanel()
    for panel in (data, model):
        qtbot.addWidget(panel)
        panel.show()
    data.dataset_loaded.connect(model.set_dataset)  # as the main window wires them
    try:
        with qtbot.waitSignal(data.dataset_loaded, timeout=60_000):
            data.open_file(str(huge_cell))
        qtbot.waitUntil(lambda: not data.busy, timeout=60_000)

        # The advice's estimate counts every word of the cell (and the short row).
        facts = model.data_facts
        assert facts is not None and facts.rows == 2
        assert facts.mean_tokens == pytest.approx((WORDS * cat.TOKENS_PER_WORD + 2 + cat.TOKENS_PER_WORD + 2) / 2)

        # The preview draws a few hundred characters of it, the tooltip a few thousand.
        table = data.table_model
        row = next(r for r in range(table.rowCount()) if table.data(table.index(r, 1)) == "pos")
        shown = table.data(table.index(row, 0))
        tip = table.data(table.index(row, 0), Qt.ItemDataRole.ToolTipRole)
        assert shown.startswith("word word") and len(shown) == _CELL_CHARS + 1 and shown.endswith("…")
        assert tip.startswith("word word") and len(tip) == _TOOLTIP_CHARS + 1
    finally:
        data.shutdown()
        model.shutdown()


def test_a_flagged_1mb_text_is_shown_capped_in_the_label_errors_table(qtbot) -> None:
    from workbench.engine.analysis.label_errors import LabelIssue
    from workbench.gui.widgets.label_errors_view import IssuesModel

    model = IssuesModel()
    model.set_issues([LabelIssue(1, 0, 2, "word\n  " * WORDS, "pos", "neg", 0.1, 0.9),
                      LabelIssue(2, 1, 3, "a  short\ttext", "neg", "pos", 0.2, 0.8)])
    shown = model.data(model.index(0, 2))
    tip = model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert shown == "word " * 60 + "…" and len(shown) == _CELL_CHARS + 1
    assert tip.startswith("word\n  word") and len(tip) == _TOOLTIP_CHARS + 1
    assert model.data(model.index(1, 2)) == "a short text"  # whitespace runs collapse, nothing cut
