"""The model panel's advice before Start: shown beside the model, with a button to switch."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import Qt

from tests.conftest import minilm_dir, shared
from workbench.engine.advice import DataFacts
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.model_panel import ModelPanel

WAIT_MS = 30_000


@pytest.fixture
def panel(qtbot):
    p = ModelPanel()
    qtbot.addWidget(p)
    p.show()
    yield p
    p.shutdown()


def _sst2(n: int) -> list[str]:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1 : n + 1]
    return [line.split("\t")[0] for line in lines]


def test_from_scratch_on_little_data_offers_the_installed_checkpoint(qtbot, panel):
    folder = str(minilm_dir())
    panel.set_data_facts(DataFacts.from_texts(_sst2(160)))
    panel.set_model("bert-tiny")
    qtbot.waitUntil(lambda: panel.advice_button.isVisible(), timeout=WAIT_MS)
    assert [a.kind for a in panel.advice] == ["small-data"]
    assert "160" in panel.advice_label.text() and panel.advice_label.isVisible()
    assert panel.advice_button.text() == "Use all-MiniLM-L6-v2"
    qtbot.mouseClick(panel.advice_button, Qt.MouseButton.LeftButton)
    assert panel.model_spec == folder
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)
    assert (
        panel.advice == ()
        and not panel.advice_label.isVisible()
        and not panel.advice_button.isVisible()
    )


def test_a_dataset_bundle_feeds_the_advice(qtbot, panel):
    from workbench.engine.task_data import load_dataset

    bundle = load_dataset(shared("sst2", "dev.tsv"))
    panel.set_model("bert-mini")
    panel.set_dataset(bundle)
    assert panel.data_facts.rows == len(bundle.train) < 3000
    qtbot.waitUntil(lambda: bool(panel.advice), timeout=WAIT_MS)
    assert panel.advice[0].kind == "small-data"


def test_an_english_model_on_chinese_text_points_to_the_chinese_one_in_the_catalogue(qtbot, panel):
    minilm_dir()
    with shared("zh_chnsenticorp_htl", "ChnSentiCorp_htl_all.csv").open(
        encoding="utf-8", newline=""
    ) as fh:
        texts = [row["review"] for row, _ in zip(csv.DictReader(fh), range(500))]
    panel.set_data_facts(DataFacts.from_texts(texts))
    panel.set_model("sentence-transformers/all-MiniLM-L6-v2")  # the installed folder, by its hub id
    qtbot.waitUntil(lambda: panel.advice_button.isVisible(), timeout=WAIT_MS)
    assert panel.advice[0].kind == "language"
    assert panel.advice_button.text() == "Use BERT base (Chinese)"
    # Not downloaded (and offline in tests): the button opens the catalogue on its row.
    qtbot.mouseClick(panel.advice_button, Qt.MouseButton.LeftButton)
    dialog = panel.catalogue_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.selected_repo() == "google-bert/bert-base-chinese"
    assert panel.model_spec == "sentence-transformers/all-MiniLM-L6-v2"


def test_the_time_budget_round_trips_and_feeds_the_advice(qtbot, panel):
    panel.minutes_spin.setValue(1)
    config = TrainConfig(data="x")
    panel.apply_to(config)
    assert config.max_minutes == 1
    panel.minutes_spin.setValue(0)
    panel.apply_to(config)
    assert config.max_minutes is None
    panel.load_from(TrainConfig(data="x", model="google-bert/bert-large-uncased", max_minutes=1))
    assert panel.minutes_spin.value() == 1
    panel.set_data_facts(DataFacts(rows=10_000, texts=tuple(_sst2(400))))
    qtbot.waitUntil(lambda: any(a.kind == "slow" for a in panel.advice), timeout=WAIT_MS)
    assert "max_minutes=1" in panel.advice_label.text()
