"""Data sources besides text files: Parquet, Arrow/Feather, Excel, ``datasets`` folders, hub ids.

A *source* is what a data path may name (``--data``, ``--validation``, a config's ``data``):

- a file: ``train.parquet``, ``train.feather`` / ``.arrow`` / ``.ipc``, ``book.xlsx``;
- a sheet of a workbook: ``book.xlsx#Reviews`` (without one: the first sheet that holds data);
- a folder written by ``Dataset.save_to_disk``, or by ``DatasetDict.save_to_disk`` (its
  ``train`` split; ``folder/validation`` names that split's folder);
- a hub data set: ``hub:NAME[:CONFIG][#SPLIT]`` (see ``hub_datasets``).

:func:`read_source` reads one of these (all of it, or the first rows) or returns None for a
text file (``readers.py`` reads those); :func:`data_fingerprint` says which data a run
learned from. ``preview.py`` previews any source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from workbench.engine.data import columnar, excel, hf_folders, hub_datasets
from workbench.engine.data.table import Table

# Formats these readers give Table.format; the text formats are readers.FORMATS.
SOURCE_FORMATS = ("parquet", "arrow", "xlsx", "dataset", "hub")
_HASH_CHUNK = 1 << 20
# Extensions that promise a text file (readers._EXTENSIONS, plus .json): never sniffed as binary.
_TEXT_SUFFIXES = (
    ".csv", ".tsv", ".jsonl", ".ndjson", ".txt", ".conll", ".bio", ".iob", ".bioes", ".conllu", ".json",
)


def split_sheet(source: str | Path) -> tuple[str, str | None]:
    """``book.xlsx#Sheet 2`` -> (``book.xlsx``, ``Sheet 2``); anything else -> (source, None).

    A file whose own name holds ``#`` stays a file: the sheet is split off only when the
    whole name is not an existing file and the part before the last ``#`` is a workbook.
    """
    text = str(source)
    base, mark, sheet = text.rpartition("#")
    if not mark or hub_datasets.is_hub_source(text) or Path(text).exists():
        return text, None
    if Path(base).suffix.lower() in excel.EXCEL_SUFFIXES and sheet:
        return base, sheet
    return text, None


def with_sheet(source: str, sheet: str | None) -> str:
    """``source`` naming ``sheet`` of its workbook (``--sheet NAME`` folded into the path)."""
    if not sheet:
        return source
    return f"{split_sheet(source)[0]}#{sheet}"


def source_kind(source: str | Path) -> str | None:
    """The reader a source needs (one of SOURCE_FORMATS), or None for a text file."""
    from workbench.engine.typed_paths import names_file

    text = str(source)
    if hub_datasets.is_hub_source(text):
        return "hub"
    path = Path(split_sheet(text)[0])
    if hf_folders.folder_of(path) is not None:
        return "dataset"
    if not names_file(path):  # typed text too long to look up counts as missing
        # Missing: the extension decides; readers.py words the error for the rest.
        suffix = path.suffix.lower()
        if suffix in excel.EXCEL_SUFFIXES:
            return "xlsx"
        return columnar.columnar_kind(path) if suffix in (*columnar.PARQUET_SUFFIXES, *columnar.ARROW_SUFFIXES) else None
    if path.suffix.lower() in _TEXT_SUFFIXES:
        return None  # a renamed binary file: readers.py says what it is and what to do
    kind = columnar.columnar_kind(path)
    if kind is not None:
        return kind
    return "xlsx" if excel.is_workbook(path) else None


@dataclass
class Preview:
    """The first rows of a source; ``total_rows`` when the source says how many it has in all."""

    table: Table
    total_rows: int | None

    @property
    def complete(self) -> bool:
        return self.total_rows is not None and self.total_rows <= len(self.table)


def read_source(
    source: str | Path, *, sheet: str | None = None, max_rows: int | None = None
) -> Preview | None:
    """A non-text source (see the module docstring) as a Table; None when ``source`` is a text file."""
    kind = source_kind(source)
    if kind is None:
        return None
    if kind == "hub":
        table = hub_datasets.read_hub_dataset(hub_datasets.parse_hub_source(source), max_rows=max_rows)
        return Preview(table, None)
    file, named = split_sheet(source)
    path = Path(file)
    if kind == "dataset":
        folder = hf_folders.folder_of(path)
        assert folder is not None
        return Preview(hf_folders.read_dataset_folder(folder, max_rows=max_rows), None)
    if kind == "xlsx":
        return Preview(excel.read_workbook(path, sheet or named, max_rows=max_rows), None)
    table, total = columnar.read_columnar(path, kind, max_rows=max_rows)
    return Preview(table, total)


def dataset_splits(source: str | Path) -> dict[str, str]:
    """For a DatasetDict folder: ``{"train": ..., "validation": ..., "test": ...}`` (the splits it has)."""
    folder = hf_folders.folder_of(Path(str(source)))
    if folder is None:
        return {}
    return {role: str(path) for role, path in hf_folders.split_roles(folder).items()}


def data_fingerprint(source: str | Path) -> str:
    """SHA-256 of the data a source names: the file, every file of a folder, or a hub id's text."""
    text = str(source)
    if hub_datasets.is_hub_source(text):
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    path = Path(split_sheet(text)[0])
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        with open(file, "rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def source_exists(source: str | Path) -> bool:
    """Whether the file or folder a source names is there (a hub id: assumed, the hub says later)."""
    text = str(source)
    return hub_datasets.is_hub_source(text) or Path(split_sheet(text)[0]).exists()


def workbook_sheets(source: str | Path) -> list[str]:
    """The sheet names when ``source`` is an Excel workbook (for a sheet chooser); else []."""
    if source_kind(source) != "xlsx":
        return []
    return excel.sheet_names(split_sheet(source)[0])


def preview_worth_it(source: str | Path) -> bool:
    """Whether a first-rows preview is much cheaper than reading the source (columnar and folders)."""
    return source_kind(source) in ("parquet", "arrow", "dataset")
