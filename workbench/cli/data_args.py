"""Options shared by the commands that read a data file (train, eval, data, embed, slices, export)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

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


def add_eval_data_options(parser: argparse.ArgumentParser, *, format_flag: str = "--format") -> None:
    """How a ``--data`` file to evaluate on is read: its sheet, format and columns (eval, embed, slices, export)."""
    from workbench.engine.data import FORMATS

    add_sheet_option(parser)
    parser.add_argument(format_flag, dest="data_format", choices=FORMATS,
                        help="the --data file's format (default: detected)")
    parser.add_argument("--text-column", "--source-column", dest="text_column",
                        help="the column of the text (sequence to sequence: of the source)")
    parser.add_argument("--text-pair-column")
    parser.add_argument("--label-column", "--target-column", dest="label_column",
                        help="the column of the label (sequence to sequence: of the reference text)")
    parser.set_defaults(format_flag=format_flag)  # how eval_source names it in a message


def eval_source(args: argparse.Namespace, *, run_default: bool = True) -> Any:
    """The ``EvalData`` those options describe. Without ``--data``: the data the run validated on, read as
    the run read it (``run_default``), else None; column options without ``--data`` are refused, not ignored."""
    from workbench.engine.data import ColumnMapping
    from workbench.engine.errors import ConfigError
    from workbench.engine.eval_data import EvalData, default_eval_data

    if args.data is None:
        flags = {"data_format": getattr(args, "format_flag", "--format"), "text_column": "--text-column",
                 "text_pair_column": "--text-pair-column", "label_column": "--label-column", "sheet": "--sheet"}
        given = [flag for name, flag in flags.items() if getattr(args, name, None)]
        if given:
            raise ConfigError(f"{', '.join(given)}: these describe a --data file; give --data FILE with them. "
                              "Without them the data the run validated on is read as the run read it.")
        return default_eval_data(args.model) if run_default else None
    mapping = ColumnMapping(args.text_column, args.text_pair_column, args.label_column) if args.text_column else None
    return EvalData(with_sheet(args.data, getattr(args, "sheet", None)), mapping, args.data_format)
