"""Parquet, Arrow/Feather, Excel, ``datasets`` folders and hub ids read like the CSV they hold (issue 18).

SST-2 dev (872 rows) is written in each format by the format's own library (pyarrow,
openpyxl, ``datasets``); every copy must load, through the entry the app uses, to exactly the
rows, texts and labels of the TSV, and train to the same per-step losses.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import shared
from workbench.engine.data import read_table
from workbench.engine.data.excel import sheet_names
from workbench.engine.data.preview import preview_table
from workbench.engine.data.sources import data_fingerprint, dataset_splits, split_sheet, with_sheet
from workbench.engine.errors import DatasetError
from workbench.engine.extras import MissingExtraError
from workbench.engine.task_data import load_dataset

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
feather = pytest.importorskip("pyarrow.feather")
openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def tsv() -> Path:
    return shared("sst2", "dev.tsv")


@pytest.fixture(scope="module")
def columns(tsv: Path) -> dict[str, list]:
    """The TSV's columns, the label as integers (as a data frame or a hub data set holds it)."""
    table = read_table(tsv)
    return {
        "sentence": [r["sentence"] for r in table.rows],
        "label": [int(r["label"]) for r in table.rows],
    }


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory, columns: dict[str, list]) -> dict[str, Path]:
    """SST-2 dev in every format; the xlsx has a title row, a blank row and a second sheet."""
    datasets = pytest.importorskip("datasets")
    folder = tmp_path_factory.mktemp("columnar")
    arrow = pa.table(columns)
    out = {"parquet": folder / "dev.parquet", "feather": folder / "dev.feather", "xlsx": folder / "dev.xlsx"}
    pq.write_table(arrow, out["parquet"], row_group_size=300)  # several row groups
    feather.write_feather(arrow, out["feather"], chunksize=300)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "dev"
    sheet.append(["SST-2 dev, exported for review"])  # a title row above the header
    sheet.append([])
    sheet.append(["sentence", "label"])
    for sentence, label in zip(columns["sentence"], columns["label"]):
        sheet.append([sentence, label])
    second = book.create_sheet("first ten")
    second.append(["sentence", "label"])
    for sentence, label in zip(columns["sentence"][:10], columns["label"][:10]):
        second.append([sentence, label])
    book.create_sheet("empty")
    book.save(out["xlsx"])

    ds = datasets.Dataset.from_dict(columns)
    out["dataset"] = folder / "dev_dataset"
    ds.save_to_disk(str(out["dataset"]))
    out["dict"] = folder / "dev_dict"
    datasets.DatasetDict(
        train=ds, validation=ds.select(range(100)), test=ds.select(range(100, 150))
    ).save_to_disk(str(out["dict"]))
    out["classlabel"] = folder / "dev_classlabel"
    ds.cast_column("label", datasets.ClassLabel(names=["negative", "positive"])).save_to_disk(
        str(out["classlabel"])
    )
    return out


@pytest.mark.parametrize("kind", ["parquet", "feather", "xlsx", "dataset", "dict"])
def test_every_copy_reads_to_the_rows_and_labels_of_the_tsv(copies: dict[str, Path], tsv: Path, kind: str) -> None:
    expected = read_table(tsv)
    table = read_table(copies[kind])
    assert table.columns == expected.columns
    assert table.rows == expected.rows  # cells as CSV gives them: "1", not 1 or 1.0
    reference = load_dataset(tsv, "classification", validation_fraction=0.1, seed=3)
    bundle = load_dataset(copies[kind], "classification", validation_fraction=0.1, seed=3)
    assert bundle.mapping == reference.mapping
    assert bundle.label_names == reference.label_names == ["0", "1"]
    assert bundle.train.texts == reference.train.texts
    assert list(bundle.train.labels) == list(reference.train.labels)
    assert bundle.validation.texts == reference.validation.texts


def test_workbook_header_row_and_sheets(copies: dict[str, Path], columns: dict[str, list]) -> None:
    book = copies["xlsx"]
    assert sheet_names(book) == ["dev", "first ten", "empty"]
    table = read_table(book)
    assert (table.sheet, table.header_line, table.lines[:2]) == ("dev", 3, [4, 5])  # Excel's row numbers
    ten = read_table(f"{book}#first ten")
    assert ten.sheet == "first ten" and [r["sentence"] for r in ten.rows] == columns["sentence"][:10]
    assert read_table(book, sheet="first ten").rows == ten.rows
    assert split_sheet(with_sheet(str(book), "first ten")) == (str(book), "first ten")
    assert split_sheet(str(book)) == (str(book), None)


def test_datasetdict_splits_become_train_validation_test(copies: dict[str, Path], columns: dict[str, list]) -> None:
    splits = dataset_splits(copies["dict"])
    assert set(splits) == {"train", "validation", "test"}
    bundle = load_dataset(splits["train"], "classification", validation_path=splits["validation"])
    assert bundle.train.texts == columns["sentence"]
    assert bundle.validation.texts == columns["sentence"][:100]
    assert [r["sentence"] for r in read_table(splits["test"]).rows] == columns["sentence"][100:150]
    # The marker file a file dialog can pick stands for its folder.
    assert read_table(copies["dict"] / "dataset_dict.json").rows == read_table(copies["dict"]).rows
    assert dataset_splits(copies["parquet"]) == {}


def test_class_label_features_give_the_label_names(copies: dict[str, Path], tmp_path: Path, columns) -> None:
    table = read_table(copies["classlabel"])
    names = ["negative", "positive"]
    assert [r["label"] for r in table.rows] == [names[i] for i in columns["label"]]
    # ... also from the metadata `datasets` writes into a Parquet file.
    datasets = pytest.importorskip("datasets")
    parquet = tmp_path / "named.parquet"
    datasets.load_from_disk(str(copies["classlabel"])).to_parquet(str(parquet))
    assert read_table(parquet).rows == table.rows


def test_list_and_null_cells_read_as_json_lines_gives_them(tmp_path: Path) -> None:
    path = tmp_path / "tags.parquet"
    pq.write_table(pa.table({
        "tokens": [["Paris", "is", "big"], ["Hi"]],
        "tags": [["B-LOC", "O", "O"], ["O"]],
        "score": [1.5, None],
        "n": [2, 3],
    }), path)  # fmt: skip
    table = read_table(path)
    assert table.rows == [
        {"tokens": ["Paris", "is", "big"], "tags": ["B-LOC", "O", "O"], "score": "1.5", "n": "2"},
        {"tokens": ["Hi"], "tags": ["O"], "score": "", "n": "3"},
    ]
    assert table.lines == [1, 2]


def test_preview_reads_only_the_first_rows(copies: dict[str, Path]) -> None:
    preview = preview_table(copies["parquet"], 50)
    assert len(preview.table) == 50 and preview.total_rows == 872 and not preview.complete
    assert preview.table.rows == read_table(copies["parquet"]).rows[:50]
    for kind in ("feather", "xlsx", "dataset"):
        assert preview_table(copies[kind], 7).table.rows == preview.table.rows[:7]


def test_fingerprint_names_the_data(copies: dict[str, Path], tmp_path: Path) -> None:
    assert data_fingerprint(copies["dataset"]) == data_fingerprint(copies["dataset"])
    assert data_fingerprint(f"{copies['xlsx']}#first ten") == data_fingerprint(copies["xlsx"])
    assert data_fingerprint(copies["parquet"]) != data_fingerprint(copies["feather"])


# --------------------------------------------------------------------------- errors


def test_truncated_parquet_is_a_readable_error(copies: dict[str, Path], tmp_path: Path) -> None:
    cut = tmp_path / "cut.parquet"
    data = copies["parquet"].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DatasetError, match=r"cut\.parquet: cannot read this Parquet file .*truncated"):
        read_table(cut)


def test_broken_workbooks_are_readable_errors(copies: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"dev\.xlsx: the sheet 'empty' is empty"):
        read_table(f"{copies['xlsx']}#empty")
    with pytest.raises(DatasetError, match=r"no sheet 'nope'.*'dev', 'first ten', 'empty'"):
        read_table(copies["xlsx"], sheet="nope")
    blank = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(blank)
    with pytest.raises(DatasetError, match=r"blank\.xlsx: every sheet of the workbook is empty"):
        read_table(blank)
    # An encrypted workbook is an OLE2 container, not a ZIP file (as Excel writes it with a password).
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    with pytest.raises(DatasetError, match=r"locked\.xlsx: this workbook is password-protected"):
        read_table(locked)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(copies["xlsx"].read_bytes()[:2000])
    with pytest.raises(DatasetError, match=r"cut\.xlsx: cannot read this workbook"):
        read_table(cut)


def test_folder_without_dataset_info_is_a_readable_error(copies: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in copies["dataset"].glob("*.arrow"):
        (broken / f.name).write_bytes(f.read_bytes())
    with pytest.raises(DatasetError, match=r"broken: this folder has \.arrow files but no dataset_info\.json"):
        read_table(broken)
    with pytest.raises(DatasetError, match="no dataset_info.json"):
        read_table(tmp_path / "broken" / "..")


def test_missing_extra_names_it(copies: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.compute", None)  # as if pyarrow were not installed
    with pytest.raises(MissingExtraError, match=r"needs pyarrow: pip install 'transformer-workbench\[data\]'"):
        read_table(copies["parquet"])


def test_hub_id_offline_fails_within_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("datasets")
    constants = pytest.importorskip("huggingface_hub.constants")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on port 9
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with pytest.raises(DatasetError, match=r"hub data set glue: the hub \(http://127\.0\.0\.1:9\) cannot be reached"):
        read_table("hub:glue:sst2#validation")  # the probe answers at once: no minute of retries
    with pytest.raises(DatasetError, match=r"not a hub data set id.*hub:NAME\[:CONFIG\]\[#SPLIT\]"):
        read_table("hub:a b")


# --------------------------------------------------------------------------- training


def _step_losses(data: Path, out: Path) -> list[float]:
    from workbench.engine.runs import RunFolder
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    config = TrainConfig(
        data=str(data), model="bert-tiny", max_steps=4, batch_size=16, eval_every=100, seed=0,
        output=str(out), vocab_size=500, num_threads=1, layers=1, hidden=32, heads=2,
    )  # fmt: skip
    list(Trainer(config).run())
    return [r["loss"] for r in RunFolder(out).read_metrics() if r["event"] == "step"]


def test_training_from_parquet_gives_the_losses_of_the_tsv(copies: dict[str, Path], tsv: Path, tmp_path: Path) -> None:
    from_tsv = _step_losses(tsv, tmp_path / "tsv")
    from_parquet = _step_losses(copies["parquet"], tmp_path / "parquet")
    assert len(from_tsv) == 4
    assert from_parquet == from_tsv
