"""Text typed where a path or a model goes may be anything: 100,000 characters, a NUL, emoji.

Found by the monkey (tests/gui/test_monkey.py): ``Path.exists()`` raises for a name too
long to look up ("File name too long") and reading a file with a NUL in its name raises
ValueError, so such text in the model field or the evaluation data field reached the
excepthook from a slot and "Unexpected error" from the advice and prediction workers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.engine.errors import WorkbenchError

HUGE = "word " * 20_000
NUL = "a\x00b control \x7f"


@pytest.mark.parametrize("text", [HUGE, NUL], ids=["too long", "NUL"])
def test_engine_model_lookups_answer_typed_junk(text: str) -> None:
    from workbench.engine.models.catalogue import model_facts
    from workbench.engine.models.hub_download import cached_snapshot
    from workbench.engine.models.loading import resolve_spec
    from workbench.engine.typed_paths import names_existing, names_folder

    assert not names_existing(Path(text)) and not names_folder(Path(text))
    assert cached_snapshot(text) is None
    try:
        resolve_spec(text)  # a hub id to try, or a readable refusal: never an OSError
    except WorkbenchError:
        pass
    model_facts(text)  # facts or None: the advice worker must not fail on it


@pytest.mark.parametrize("text", [HUGE, NUL], ids=["too long", "NUL"])
def test_reading_a_typed_data_path_says_why(text: str) -> None:
    """Compare › data file with junk typed in: a DatasetError for the panel, not an OSError."""
    from workbench.engine.data import read_table
    from workbench.engine.errors import DatasetError

    with pytest.raises(DatasetError, match="cannot read the file"):
        read_table(text, None)


@pytest.mark.parametrize("text", [HUGE, NUL], ids=["too long", "NUL"])
def test_model_and_evaluation_fields_take_typed_junk(qtbot, text: str) -> None:
    """pytest-qt fails the test on any exception in a slot; the advice worker must not fail."""
    import logging

    from workbench.gui.panels.evaluation_panel import EvaluationPanel
    from workbench.gui.panels.model_panel import ModelPanel

    failures: list[str] = []

    class Record(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            failures.append(record.getMessage()[:300])

    handler = Record(logging.ERROR)
    logging.getLogger("workbench.gui.workers").addHandler(handler)
    try:
        panel = ModelPanel()
        qtbot.addWidget(panel)
        panel.show()
        panel.model_combo.setEditText(text)
        panel.model_combo.lineEdit().editingFinished.emit()
        panel.max_length_spin.setValue(panel.max_length_spin.maximum())  # validates the spec again
        panel.problems()  # asked on every edit: an answer, not an exception
        qtbot.wait(1500)  # the advice worker and the size timer run on the typed spec
        panel.shutdown()

        evaluation = EvaluationPanel()
        qtbot.addWidget(evaluation)
        evaluation.model_edit.setText("bert-tiny")
        evaluation.data_edit.setText(text)
        evaluation.evaluate()  # "… is not a file": a message in the panel
        evaluation.shutdown()
    finally:
        logging.getLogger("workbench.gui.workers").removeHandler(handler)
    assert not failures, failures
