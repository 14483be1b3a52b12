"""Write a data file's rows again, some dropped and some relabeled, in the file's own format.

``write_cleaned`` writes ``NAME.cleaned.EXT`` beside the original (``NAME.cleaned-2.EXT`` when
that exists, and so on): the original is never touched, and the new file appears whole or not
at all (written to a temporary file and moved into place). ``write_rows`` is the shared part,
which label-error folds also use to write each fold's training rows.

Formats: CSV, TSV and JSONL are written as they were read; Parquet and Arrow/Feather with
pyarrow, a workbook as a workbook of the one sheet that was read (openpyxl). A ``datasets``
folder has no file to sit beside, so its cleaned copy is ``FOLDER.cleaned.jsonl``; a hub data set
has no folder of ours at all, and is refused with a message that names what can be written.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from workbench.engine.data import Table, read_table
from workbench.engine.errors import DatasetError

ACTIONS = ("keep", "relabel", "drop")
TEXT_FORMATS = ("csv", "tsv", "jsonl")
WRITABLE_FORMATS = (*TEXT_FORMATS, "parquet", "arrow", "xlsx", "dataset")


@dataclass(frozen=True)
class Decision:
    """What to do with the row that starts on file line ``line``; ``label``: the new one (relabel)."""

    line: int
    action: str = "keep"
    label: str | None = None


def _cell(original: object, label: str) -> object:
    """The new label in the original's JSON type (a number stays a number)."""
    if isinstance(original, bool):
        return label
    if isinstance(original, int):
        try:
            return int(label)
        except ValueError:
            return label
    if isinstance(original, float):
        try:
            return float(label)
        except ValueError:
            return label
    return label


def _render(table: Table, rows: list[dict[str, object]], fmt: str) -> str:
    if fmt == "jsonl":  # default=str: a Parquet date or decimal cell as the text it shows
        return "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows)
    buffer = io.StringIO()
    delimiter = table.delimiter or ("\t" if fmt == "tsv" else ",")
    writer = csv.writer(buffer, delimiter=delimiter, quotechar='"', lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([[row.get(c, "") for c in table.columns] for row in rows])
    return buffer.getvalue()


def _write_columnar(table: Table, rows: list[dict[str, object]], path: Path, fmt: str) -> None:
    from workbench.engine.data.columnar import pyarrow_module

    pa = pyarrow_module("Writing Parquet and Arrow files")
    data = pa.Table.from_pylist([{c: row.get(c) for c in table.columns} for row in rows])
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(data, path)
    else:
        import pyarrow.feather as feather

        feather.write_feather(data, path)


def _write_workbook(table: Table, rows: list[dict[str, object]], path: Path) -> None:
    from openpyxl import Workbook  # a core dependency (excel.py reads with it)

    book = Workbook()
    sheet = book.active
    sheet.title = (table.sheet or "Sheet1")[:31]  # Excel's limit on sheet names
    sheet.append(table.columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in table.columns])
    book.save(path)


def _save(table: Table, rows: list[dict[str, object]], path: Path, fmt: str) -> None:
    """``rows`` to ``path`` as ``fmt`` (a text format, parquet, arrow or xlsx)."""
    if fmt in TEXT_FORMATS:
        path.write_text(_render(table, rows, fmt), encoding="utf-8", newline="")
    elif fmt in ("parquet", "arrow"):
        _write_columnar(table, rows, path, fmt)
    else:
        _write_workbook(table, rows, path)


def output_format(table: Table) -> str:
    """The format a copy of ``table`` is written in: its own, or JSON Lines for a ``datasets`` folder."""
    if table.format not in WRITABLE_FORMATS:
        raise DatasetError(
            f"cannot write a cleaned copy of a {table.format} source.", path=table.path,
            hint="Cleaned copies are written for CSV, TSV, JSONL, Parquet, Arrow/Feather, Excel files and "
                 "datasets folders: save the data as one of these first.",
        )
    return "jsonl" if table.format == "dataset" else table.format


def write_rows(
    table: Table, path: Path, *, keep_lines: Iterable[int] | None = None,
    labels: Mapping[int, str] | None = None, label_column: str | None = None, format: str | None = None,
) -> None:
    """Write ``table``'s rows starting on ``keep_lines`` (None: all) to ``path`` in its columns and
    ``format`` (default: ``output_format(table)``), with ``labels`` (line -> new label) put in ``label_column``."""
    fmt = format or output_format(table)
    labels = dict(labels or {})
    if labels and (label_column is None or label_column not in table.columns):
        raise DatasetError(f"no label column {label_column!r} to relabel in.", path=table.path)
    keep = None if keep_lines is None else set(keep_lines)
    rows = []
    for row, line in zip(table.rows, table.lines):
        if keep is not None and line not in keep:
            continue
        if line in labels:
            row = {**row, label_column: _cell(row.get(label_column), labels[line])}  # type: ignore[dict-item]
        rows.append(row)
    _save(table, rows, path, fmt)


def cleaned_path(path: str | Path, suffix: str | None = None) -> Path:
    """``NAME.cleaned.EXT`` beside ``path``, or the first ``NAME.cleaned-N.EXT`` that does not exist
    (``suffix``: another EXT, for a copy in another format)."""
    path = Path(path)
    stem, ext = path.stem, path.suffix if suffix is None else suffix
    candidate = path.with_name(f"{stem}.cleaned{ext}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}.cleaned-{n}{ext}")
        n += 1
    return candidate


def write_cleaned(
    path: str | Path, decisions: Iterable[Decision], *, label_column: str | None = None,
    format: str | None = None,
) -> Path:
    """A new file beside ``path`` with the dropped rows left out and the relabeled ones changed.

    Same format (see the module docstring), columns and delimiter; never overwrites a file. Returns
    the new file's path. ``label_column``: where a relabel goes (needed only for relabels).
    """
    table = read_table(path, format)
    by_line: dict[int, Decision] = {}
    for decision in decisions:
        if decision.action not in ACTIONS:
            raise ValueError(f"unknown action {decision.action!r}; use one of {', '.join(ACTIONS)}")
        by_line[decision.line] = decision
    unknown = sorted(set(by_line) - set(table.lines))
    if unknown:
        raise DatasetError(f"no row starts on line {unknown[0]}: has the file changed since it was read?",
                           path=table.path, line=unknown[0])
    keep = [line for line in table.lines if by_line.get(line, Decision(line)).action != "drop"]
    labels = {d.line: str(d.label) for d in by_line.values() if d.action == "relabel" and d.label is not None}
    fmt = output_format(table)
    beside, suffix = table.path, (".jsonl" if fmt != table.format else None)  # table.path: no "#Sheet"
    target = cleaned_path(beside, suffix)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write_rows(table, tmp, keep_lines=keep, labels=labels, label_column=label_column, format=fmt)
        # os.link fails when the target appeared meanwhile: never overwrite, even then.
        while True:
            try:
                os.link(tmp, target)
                break
            except FileExistsError:
                target = cleaned_path(beside, suffix)
            except OSError:  # no hard links here (some network or FAT drives): check, then move
                os.replace(tmp, target)
                break
    finally:
        tmp.unlink(missing_ok=True)
    return target
