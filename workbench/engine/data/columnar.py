"""Parquet and Arrow IPC / Feather files -> :class:`Table`, read in record batches with pyarrow.

Cells become what the CSV reader gives (strings: ``0`` not ``0.0``, an empty string for a
null), so that column detection, statistics and labels do not depend on the file format;
list columns (tokens, tags, several references) become lists of strings, as JSON Lines gives
them. Integer columns that the file's Hugging Face metadata declares as class labels become
the label names (``positive``, ``B-PER``), as the data set's card shows them; a negative
class id (``-1``, an unlabelled test row) becomes an empty cell.

``Table.lines`` holds the 1-based row number: a columnar file has no lines, and the row
number is what a data viewer shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from workbench.engine.data.table import Table
from workbench.engine.errors import DatasetError
from workbench.engine.extras import require

# Rows per record batch: large enough for pyarrow's vectorised casts, small enough that a
# preview of the first rows reads one batch only.
BATCH_ROWS = 16_384

PARQUET_SUFFIXES = (".parquet", ".pq")
ARROW_SUFFIXES = (".arrow", ".feather", ".ipc")

_HINT_DAMAGED = (
    "The file may be truncated (an interrupted download or copy) or damaged; download or "
    "export it again."
)


def pyarrow_module(feature: str) -> Any:
    """pyarrow (with ``pyarrow.compute`` loaded), or a readable error naming the ``data`` extra."""
    require("pyarrow.compute", "data", feature)
    return require("pyarrow", "data", feature)


# --------------------------------------------------------------------------- cells


def hf_class_names(features: dict[str, Any] | None) -> dict[str, list[str]]:
    """Column -> class names for the ``ClassLabel`` columns (or lists of them) in a features dict."""
    out: dict[str, list[str]] = {}
    for column, feature in (features or {}).items():
        if not isinstance(feature, dict):
            continue
        inner = feature.get("feature") if feature.get("_type") in ("Sequence", "List", "LargeList") else feature
        if isinstance(inner, dict) and inner.get("_type") == "ClassLabel" and inner.get("names"):
            out[column] = [str(name) for name in inner["names"]]
    return out


def schema_class_names(schema: Any) -> dict[str, list[str]]:
    """Class names from the ``huggingface`` metadata that ``datasets`` writes into Parquet/Arrow files."""
    raw = (schema.metadata or {}).get(b"huggingface")
    if not raw:
        return {}
    try:
        info = json.loads(raw)
    except ValueError:
        return {}  # metadata is a convenience: a file with broken metadata still reads
    return hf_class_names((info.get("info") or {}).get("features"))


def _name(names: list[str], value: object) -> str:
    """A class id as its name; a negative or unknown id (an unlabelled row) as an empty cell."""
    if isinstance(value, int) and 0 <= value < len(names):
        return names[value]
    return ""


def _scalar_type(pa: Any, t: Any) -> bool:
    types = pa.types
    return (
        types.is_integer(t) or types.is_floating(t) or types.is_boolean(t) or types.is_decimal(t)
        or types.is_temporal(t) or types.is_string(t) or types.is_large_string(t)
        or types.is_dictionary(t)
    )


def column_cells(pa: Any, array: Any, names: list[str] | None = None) -> list[object]:
    """One column of a record batch as table cells (see the module docstring).

    Only casts and ``to_pylist``: building an Arrow scalar or array from Python values
    makes pyarrow import pandas (hundreds of MB, most of a preview's time).
    """
    types = pa.types
    t = array.type
    is_list = types.is_list(t) or types.is_large_list(t)
    if names is not None and types.is_integer(t):
        return [_name(names, v) for v in array.to_pylist()]
    if names is not None and is_list and types.is_integer(t.value_type):
        return [None if v is None else [_name(names, x) for x in v] for v in array.to_pylist()]
    if _scalar_type(pa, t):
        text = array if types.is_string(t) else array.cast(pa.string())
        values = text.to_pylist()
        return [("" if v is None else v) for v in values] if array.null_count else values
    if is_list and _scalar_type(pa, t.value_type):
        return array.cast(pa.list_(pa.string())).to_pylist()
    return array.to_pylist()  # structs and deeper nesting: as JSON Lines would give them


def batches_to_table(
    path: Path,
    fmt: str,
    schema: Any,
    batches: Iterable[Any],
    *,
    max_rows: int | None = None,
    class_names: dict[str, list[str]] | None = None,
) -> Table:
    """Record batches -> Table; stops reading after ``max_rows`` rows."""
    pa = pyarrow_module("Reading Parquet and Arrow files")
    columns = [str(name) for name in schema.names]
    _check_columns(path, columns)
    names = schema_class_names(schema) if class_names is None else class_names
    rows: list[dict[str, object]] = []
    for batch in batches:
        if max_rows is not None and len(rows) + batch.num_rows > max_rows:
            batch = batch.slice(0, max_rows - len(rows))
        cells = [column_cells(pa, batch.column(i), names.get(c)) for i, c in enumerate(columns)]
        rows.extend(dict(zip(columns, values)) for values in zip(*cells))
        if max_rows is not None and len(rows) >= max_rows:
            break
    if not rows:
        raise DatasetError(
            f"the file has columns ({', '.join(columns)}) but no rows.",
            path=path,
            hint="Choose a file that contains data.",
        )
    return Table(path, fmt, columns, rows, list(range(1, len(rows) + 1)))


def _check_columns(path: Path, columns: list[str]) -> None:
    if not columns:
        raise DatasetError("the file has no columns.", path=path, hint="Choose a file that contains data.")
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise DatasetError(
                f"the file names column {name!r} twice.",
                path=path,
                column=name,
                hint="Rename one of them so that every column has its own name.",
            )
        seen.add(name)


# --------------------------------------------------------------------------- files


def _damaged(path: Path, what: str, exc: BaseException) -> DatasetError:
    reason = str(exc).strip().rstrip(".") or type(exc).__name__
    return DatasetError(f"cannot read this {what} file ({reason}).", path=path, hint=_HINT_DAMAGED)


def _open_parquet(path: Path, batch_rows: int) -> tuple[Any, Iterator[Any], int]:
    pa = pyarrow_module("Reading Parquet files")
    pq = require("pyarrow.parquet", "data", "Reading Parquet files")
    try:
        reader = pq.ParquetFile(str(path), memory_map=True)
    except (pa.ArrowException, OSError) as exc:
        raise _damaged(path, "Parquet", exc) from None
    return reader.schema_arrow, reader.iter_batches(batch_size=batch_rows), reader.metadata.num_rows


def _open_ipc(path: Path) -> tuple[Any, Iterator[Any], int | None]:
    """An Arrow IPC *file* (Feather v2, ``ARROW1``) or *stream* (what ``datasets`` writes)."""
    pa = pyarrow_module("Reading Arrow and Feather files")
    try:
        source = pa.memory_map(str(path))
        try:
            reader = pa.ipc.open_file(source)
        except pa.ArrowInvalid:
            stream = pa.ipc.open_stream(pa.memory_map(str(path)))
            return stream.schema, iter(stream), None
    except (pa.ArrowException, OSError) as exc:
        raise _damaged(path, "Arrow/Feather", exc) from None
    batches = (reader.get_batch(i) for i in range(reader.num_record_batches))
    return reader.schema, batches, None


def _guarded(path: Path, what: str, batches: Iterator[Any]) -> Iterator[Any]:
    """The batches, with a damaged page or record batch turned into a DatasetError."""
    pa = pyarrow_module(f"Reading {what} files")
    try:
        yield from batches
    except (pa.ArrowException, OSError) as exc:
        raise _damaged(path, what, exc) from None


def columnar_kind(path: Path) -> str | None:
    """'parquet' or 'arrow' from the extension, else from the first bytes; None for other files."""
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix in ARROW_SUFFIXES:
        return "arrow"
    try:
        with open(path, "rb") as handle:
            head = handle.read(6)
    except OSError:
        return None  # read_table reports a missing or unreadable file
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"ARROW1"):
        return "arrow"
    return None


def read_columnar(path: Path, kind: str, *, max_rows: int | None = None) -> tuple[Table, int | None]:
    """A Parquet (``kind='parquet'``) or Arrow IPC file as a Table, and its row count when the file says."""
    if kind == "parquet":
        schema, batches, total = _open_parquet(path, min(BATCH_ROWS, max_rows or BATCH_ROWS))
        what = "Parquet"
    else:
        schema, batches, total = _open_ipc(path)
        what = "Arrow/Feather"
    table = batches_to_table(path, kind, schema, _guarded(path, what, batches), max_rows=max_rows)
    return table, total
