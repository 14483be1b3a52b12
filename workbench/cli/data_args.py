"""Options shared by the commands that read a data file (train, eval, data)."""

from __future__ import annotations

import argparse
from pathlib import Path

# What a data argument accepts besides CSV, TSV, JSONL, text, CoNLL and SQuAD files.
SOURCES_HELP = (
    "also Parquet, Arrow/Feather, Excel .xlsx (BOOK.xlsx#SHEET names a sheet), a folder saved by "
    "datasets' save_to_disk (a DatasetDict folder: its train split; FOLDER/validation names a split) "
    "or a hub data set hub:NAME[:CONFIG][#SPLIT]"
)


def add_sheet_option(parser: argparse.ArgumentParser, of: str = "--data") -> None:
    """``--sheet NAME``: which sheet of an Excel workbook ``of`` names."""
    parser.add_argument(
        "--sheet", metavar="NAME",
        help=f"Excel workbooks: the sheet of {of} to read (default: the first sheet that holds data; "
        f"the same as {of} BOOK.xlsx#NAME)",
    )  # fmt: skip


def with_sheet(path: str | Path | None, sheet: str | None) -> str | None:
    """``path`` naming ``sheet`` (``BOOK.xlsx#NAME``), as a config and read_table take it."""
    if path is None:
        return None
    from workbench.engine.data.sources import with_sheet as join

    return join(str(path), sheet)
