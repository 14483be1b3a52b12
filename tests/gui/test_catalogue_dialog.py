"""Browse models… against a stand-in hub on 127.0.0.1: download with progress, cancel and resume, offline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests import hub_standin
from tests.hub_standin import (
    REPO_ID,
    Throttle,
    closed_port,
    point_hub_at,
    set_offline,
)
from workbench.engine.models.catalogue import CATALOGUE, CatalogueEntry
from workbench.engine.models.hub_download import download, partial_bytes
from workbench.gui.panels.model_panel import ModelPanel

# The stand-in hub's fixtures (tests/hub_standin.py), shared with other test modules.
standin_hub = hub_standin.standin_hub
tiny_model_folder = hub_standin.tiny_model_folder

WAIT_MS = 30_000
# The stand-in's tiny model as a catalogue row (its sizes need not be exact: they are only shown).
TINY = CatalogueEntry(
    REPO_ID, "Tiny BERT (stand-in)", "bert", "en", 50_000, 120_000, 32, 2, 400, 128,
    ("classification",), "A 2-layer, 32-wide test model.",
)  # fmt: skip
HERE_COLUMN = 6


@pytest.fixture
def panel(qtbot):
    from workbench.gui.workers import ensure_heavy_imports

    ensure_heavy_imports()  # what the window's warm-up does at start: workers then start at once
    p = ModelPanel()
    qtbot.addWidget(p)
    yield p
    p.shutdown()


def _open(panel: ModelPanel, qtbot):
    dialog = panel.open_catalogue(entries=(TINY, *CATALOGUE))
    qtbot.waitUntil(lambda: dialog.online is not None, timeout=WAIT_MS)
    return dialog


def test_choosing_a_model_downloads_it_with_progress_and_sets_it(qtbot, panel, standin_hub):
    standin_hub.state.throttle = Throttle(chunk=4096, delay_s=0.01)
    dialog = _open(panel, qtbot)
    assert dialog.online is True and "Online" in dialog.status_label.text()
    assert dialog.table.rowCount() == len(CATALOGUE) + 1
    dialog.table.selectRow(0)
    assert dialog.use_button.text().replace("&", "") == "Download and use"
    values: list[int] = []
    dialog.progress_bar.valueChanged.connect(values.append)
    with qtbot.waitSignal(dialog.model_chosen, timeout=WAIT_MS) as chosen:
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert chosen.args == [REPO_ID]
    assert panel.model_spec == REPO_ID
    assert any(0 < v < 1000 for v in values) and values[-1] == 1000  # the bar moved, then filled
    assert not dialog.isVisible()
    assert REPO_ID in panel.model_specs()  # listed under "Downloaded" from now on
    assert "in the Hugging Face cache" in panel.model_info.text()
    # Opened again, the row says it is here and the button only uses it.
    dialog = _open(panel, qtbot)
    dialog.select(REPO_ID)
    assert dialog.table.item(0, HERE_COLUMN).text() == "in cache"
    assert dialog.use_button.text().replace("&", "") == "Use"


def test_cancel_keeps_the_partial_download_and_the_next_try_resumes(qtbot, panel, standin_hub):
    before = panel.model_spec
    standin_hub.state.throttle = Throttle(chunk=1024, delay_s=0.02)  # the weights take seconds
    dialog = _open(panel, qtbot)
    dialog.select(REPO_ID)
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "model.safetensors" in dialog.progress_label.text(), timeout=WAIT_MS)
    assert dialog.cancel_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.downloading, timeout=WAIT_MS)
    assert dialog.progress_label.text().startswith("Cancelled")
    kept = partial_bytes(REPO_ID)
    assert 0 < kept < len(standin_hub.files["model.safetensors"])
    assert panel.model_spec == before and dialog.isVisible()
    assert dialog.table.item(0, HERE_COLUMN).text().startswith("partly downloaded")

    standin_hub.state.throttle = None
    standin_hub.state.range_requests.clear()
    with qtbot.waitSignal(dialog.model_chosen, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert standin_hub.state.range_requests == [("model.safetensors", f"bytes={kept}-")]
    assert panel.model_spec == REPO_ID


def test_offline_the_dialog_says_so_and_stays_browsable(qtbot, panel, standin_hub, monkeypatch):
    set_offline(monkeypatch)
    dialog = panel.open_catalogue(entries=(TINY, *CATALOGUE))
    assert dialog.online is False  # HF_HUB_OFFLINE is known at once: no probe
    assert dialog.status_label.text().startswith("Offline")
    assert dialog.table.rowCount() == len(CATALOGUE) + 1
    dialog.select(REPO_ID)
    assert not dialog.use_button.isEnabled()  # not here, and no way to fetch it
    if any(
        dialog.table.item(r, HERE_COLUMN).text() == "installed"
        for r in range(dialog.table.rowCount())
    ):
        dialog.select("sentence-transformers/all-MiniLM-L6-v2")
        assert dialog.use_button.isEnabled() and dialog.use_button.text().replace("&", "") == "Use"
        with qtbot.waitSignal(dialog.model_chosen, timeout=WAIT_MS) as chosen:
            qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
        assert chosen.args[0].endswith("model") and panel.model_spec == chosen.args[0]


def test_an_unreachable_hub_is_reported_within_three_seconds(qtbot, panel, tmp_path, monkeypatch):
    point_hub_at(monkeypatch, f"http://127.0.0.1:{closed_port()}", tmp_path / "home")
    dialog = panel.open_catalogue(entries=(TINY, *CATALOGUE))
    with qtbot.waitSignal(dialog.hub_checked, timeout=3000) as checked:
        pass
    assert checked.args == [False]
    assert (
        dialog.status_label.text().startswith("Offline")
        and "cannot be reached" in dialog.status_label.text()
    )
    assert dialog.table.rowCount() == len(CATALOGUE) + 1


def test_the_model_list_picks_up_a_download_when_it_opens(qtbot, panel, standin_hub):
    assert REPO_ID not in panel.model_specs()
    download(REPO_ID)  # e.g. by another program while the app runs
    assert REPO_ID not in panel.model_specs()
    panel.model_combo.showPopup()
    panel.model_combo.hidePopup()
    assert REPO_ID in panel.model_specs()


def test_the_rows_estimate_memory_and_time_for_the_loaded_data(qtbot, panel, monkeypatch):
    from workbench.engine.advice import DataFacts
    from workbench.engine.models import catalogue as cat

    set_offline(monkeypatch)
    panel.set_data_facts(DataFacts(rows=10_000, texts=("a gorgeous, witty film",) * 10))
    dialog = panel.open_catalogue()
    rows = {
        dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole): r
        for r in range(dialog.table.rowCount())
    }
    large, small = (
        rows["google-bert/bert-large-uncased"],
        rows["sentence-transformers/all-MiniLM-L6-v2"],
    )
    qtbot.waitUntil(lambda: dialog.table.item(small, 5).text() not in ("…", "—"), timeout=WAIT_MS)
    assert (
        "10,000 training rows" in dialog.estimate_label.text()
        and "GFLOP/s" in dialog.estimate_label.text()
    )
    flops = cat.cached_flops("cpu")  # measured by the dialog's probe
    assert flops is not None
    entry = cat.catalogue_entry("google-bert/bert-large-uncased")
    expected = cat.facts_memory_bytes(cat.entry_facts(entry), 32, 128)
    assert dialog.table.item(large, 4).text() == cat.human_bytes(expected)
    seconds = cat.epoch_seconds(
        cat.entry_facts(entry), 10_000, (4 * cat.TOKENS_PER_WORD + 2), 128, flops
    )
    assert dialog.table.item(large, 5).text() == cat.human_duration(seconds)
