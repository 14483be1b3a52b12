"""DatasetPanel with Excel workbooks, Parquet files and saved ``datasets`` folders (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.engine.task_data import DatasetBundle
from workbench.engine.training.config import TrainConfig
from workbench.gui.panels.dataset_panel import DatasetPanel

openpyxl = pytest.importorskip("openpyxl")

LOAD_MS = 20_000
REVIEWS = [
    ("a wonderful, moving film", "pos"), ("dull and far too long", "neg"), ("I loved every minute", "pos"),
    ("a waste of an evening", "neg"), ("sharp, funny and warm", "pos"), ("nothing works here", "neg"),
]  # fmt: skip
TWEETS = [("great phone", "happy"), ("battery died again", "angry"), ("works fine", "happy"), ("awful support", "angry")]


@pytest.fixture
def panel(qtbot):
    p = DatasetPanel()
    qtbot.addWidget(p)
    p.show()
    yield p
    p.shutdown()


def _open(qtbot, panel: DatasetPanel, path: str) -> DatasetBundle:
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS) as blocker:
        panel.open_file(path)
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    return blocker.args[0]


def _book(path: Path, sheets: dict[str, list[tuple[str, str]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(["text", "label"])
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def test_sheet_chooser_switches_sheets(qtbot, panel: DatasetPanel, tmp_path: Path) -> None:
    book = _book(tmp_path / "feedback.xlsx", {"reviews": REVIEWS, "tweets": TWEETS})
    bundle = _open(qtbot, panel, str(book))
    assert panel.sheet_combo.isVisible()
    assert [panel.sheet_combo.itemText(i) for i in range(panel.sheet_combo.count())] == ["reviews", "tweets"]
    assert panel.sheet_combo.currentText() == "reviews"
    assert sorted(bundle.label_names) == ["neg", "pos"]

    panel.sheet_combo.setCurrentIndex(1)
    with qtbot.waitSignal(panel.dataset_loaded, timeout=LOAD_MS) as blocker:
        panel.sheet_combo.activated.emit(1)
    qtbot.waitUntil(lambda: not panel.busy, timeout=LOAD_MS)
    assert sorted(blocker.args[0].label_names) == ["angry", "happy"]
    assert panel.sheet_combo.currentText() == "tweets"
    assert [row["text"] for row in panel.table.rows] == [t for t, _ in TWEETS]
    config = TrainConfig()
    panel.apply_to(config)
    assert config.data == f"{book}#tweets"  # the run reads the same sheet

    # A config naming the sheet restores it (and the chooser).
    other = DatasetPanel()
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.dataset_loaded, timeout=LOAD_MS):
        other.load_from(config)
    assert other.sheet_combo.currentText() == "tweets"
    other.shutdown()


def test_single_sheet_workbook_has_no_chooser(qtbot, panel: DatasetPanel, tmp_path: Path) -> None:
    book = _book(tmp_path / "one.xlsx", {"only": REVIEWS})
    _open(qtbot, panel, str(book))
    assert not panel.sheet_combo.isVisible()
    assert len(panel.table) == len(REVIEWS)


def test_datasetdict_folder_opens_with_its_validation_split(qtbot, panel: DatasetPanel, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    rows = REVIEWS * 3
    data = {"text": [t for t, _ in rows], "label": [lab for _, lab in rows]}
    folder = tmp_path / "dd"
    datasets.DatasetDict(
        train=datasets.Dataset.from_dict(data),
        validation=datasets.Dataset.from_dict({k: v[:4] for k, v in data.items()}),
    ).save_to_disk(str(folder))
    bundle = _open(qtbot, panel, str(folder / "dataset_dict.json"))  # as picked in the file dialog
    assert len(bundle.train) == 18 and len(bundle.validation) == 4
    config = TrainConfig()
    panel.apply_to(config)
    assert (config.data, config.validation) == (str(folder / "train"), str(folder / "validation"))


def test_parquet_file_previews_then_loads_every_row(qtbot, panel: DatasetPanel, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = REVIEWS * 500  # 3,000 rows: more than the preview's 1,000
    path = tmp_path / "reviews.parquet"
    pq.write_table(pa.table({"text": [t for t, _ in rows], "label": [lab for _, lab in rows]}), path)
    previews = []  # the row counts the table showed: the preview's first
    panel.table_model.modelReset.connect(lambda: previews.append(panel.table_model.rowCount()))
    bundle = _open(qtbot, panel, str(path))
    assert previews[:1] == [1000] and len(panel.table) == 3000
    assert sorted(bundle.label_names) == ["neg", "pos"]
    assert panel.summary_label.text().startswith("<b>3,000</b> rows · Parquet")
