"""Excel workbooks (``.xlsx``/``.xlsm``) -> :class:`Table`, with openpyxl in read-only mode.

One sheet is one table: the sheet asked for, else the first sheet that holds anything. The
header is the first row, after leading empty rows and title rows, whose cells are mostly
text; the rows below it are the data. Cells become what the CSV reader gives for the same
sheet exported as CSV (``1`` not ``1.0``; an empty string for an empty cell), and
``Table.lines`` holds the row numbers Excel shows, so an error points at the row to fix.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.engine.data.table import Table
from workbench.engine.errors import DatasetError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")

# The header is looked for among the first rows that hold anything (after title rows).
_HEADER_SCAN_ROWS = 20
# What an encrypted (password-protected) .xlsx starts with: an OLE2 container, not a ZIP file.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_workbook(path: Path) -> bool:
    """Whether ``path`` is an .xlsx workbook: by extension, else a ZIP file with an ``xl/`` folder."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return True
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.startswith(b"PK\x03\x04") and b"xl/" in head


def _open(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise DatasetError("the file does not exist.", path=path, hint="Check the path.") from None
    except OSError as exc:
        raise DatasetError(f"cannot read the file ({exc.strerror}).", path=path) from None
    if head.startswith(_OLE2_MAGIC):
        raise DatasetError(
            "this workbook is password-protected (encrypted) or is an old-style .xls file; "
            "neither can be read.",
            path=path,
            hint="Open it in Excel or LibreOffice, remove the password (Excel: File › Info › "
            "Protect Workbook) and save it as .xlsx, or export the sheet as 'CSV UTF-8'.",
        )
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises zip, XML and key errors for a damaged file
        raise DatasetError(
            f"cannot read this workbook ({type(exc).__name__}: {exc}).",
            path=path,
            hint="The file may be damaged or truncated, or not an .xlsx workbook; open it in Excel "
            "or LibreOffice and save it again as .xlsx.",
        ) from None


def sheet_names(path: str | Path) -> list[str]:
    """The workbook's sheet names, in the order Excel shows them."""
    book = _open(Path(path))
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A cell as the CSV export of the sheet would write it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return str(value)


def _rows(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text without trailing empty cells) for every row that holds anything."""
    sheet.reset_dimensions()  # some writers record a wrong size (A1:A1): read what is there
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = [cell_text(v) for v in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells:
            yield number, cells


def _header(path: Path, cells: list[str], line: int) -> list[str]:
    """Column names from the header row: blanks named ``column_N``, duplicates refused (as for CSV)."""
    header = [cell.strip() or f"column_{i + 1}" for i, cell in enumerate(cells)]
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            raise DatasetError(
                f"the header names column {name!r} twice (columns {seen[name] + 1} and {i + 1}).",
                path=path,
                line=line,
                column=name,
                hint="Rename one of them so that every column has its own name.",
            )
        seen[name] = i
    return header


def _is_header(cells: list[str], width: int) -> bool:
    """Mostly text: more than half of the table's width holds text that is not a number."""
    texts = sum(1 for c in cells if c.strip() and not _is_number(c))
    return texts * 2 > width


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _choose_sheet(path: Path, book: Any, sheet: str | None) -> tuple[Any, Iterator[tuple[int, list[str]]], list]:
    """The sheet (its rows iterator, and the rows already looked at) to read."""
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise DatasetError(
                f"the workbook has no sheet {sheet!r}.",
                path=path,
                hint=f"Its sheets: {', '.join(repr(s) for s in book.sheetnames)}.",
            )
        ws = book[sheet]
        rows = _rows(ws)
        first = next(rows, None)
        if first is None:
            raise DatasetError(
                f"the sheet {sheet!r} is empty.", path=path, hint="Choose a sheet that holds the data."
            )
        return ws, rows, [first]
    for ws in book.worksheets:
        rows = _rows(ws)
        first = next(rows, None)
        if first is not None:
            return ws, rows, [first]
    raise DatasetError(
        "every sheet of the workbook is empty.", path=path, hint="Choose a workbook that holds the data."
    )


def read_workbook(path: Path, sheet: str | None = None, *, max_rows: int | None = None) -> Table:
    """One sheet of an .xlsx workbook as a Table (``max_rows``: stop after that many data rows)."""
    book = _open(path)
    try:
        ws, rows, head = _choose_sheet(path, book, sheet)
        head.extend(row for _, row in zip(range(_HEADER_SCAN_ROWS - 1), rows))
        width = max(len(cells) for _, cells in head)
        at = next((i for i, (_, cells) in enumerate(head) if _is_header(cells, width)), 0)
        header_line, header_cells = head[at]
        header = _header(path, header_cells, header_line)
        table_rows: list[dict[str, object]] = []
        lines: list[int] = []
        for number, cells in _chain(head[at + 1 :], rows):
            if max_rows is not None and len(table_rows) >= max_rows:
                break
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                raise DatasetError(
                    f"row {number} has a value in column {len(cells)}, right of the header's "
                    f"last column ({len(header)}: {header[-1]!r}).",
                    path=path,
                    line=number,
                    hint="Give that column a header name, or delete the stray value.",
                )
            cells = cells + [""] * (len(header) - len(cells))
            table_rows.append(dict(zip(header, cells)))
            lines.append(number)
        name = ws.title
    except DatasetError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DatasetError(
            f"cannot read this workbook ({type(exc).__name__}: {exc}).",
            path=path,
            hint="The file may be damaged; open it in Excel or LibreOffice and save it again.",
        ) from None
    finally:
        book.close()
    if not table_rows:
        raise DatasetError(
            f"the sheet {name!r} has a header ({', '.join(header)}) but no data rows.",
            path=path,
            line=header_line,
            hint="Add at least one row of data below the header.",
        )
    return Table(path, "xlsx", header, table_rows, lines, header_line=header_line, sheet=name)


def _chain(
    first: list[tuple[int, list[str]]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from first
    yield from rest
