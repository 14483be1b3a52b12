"""The first rows of any data source, reading no more of a large columnar file than they need.

The dataset panel shows a preview while the whole file is read in the background; a
2-million-row Parquet file previews from its first record batch (``bench/big_parquet.py``).
"""

from __future__ import annotations

from pathlib import Path

from workbench.engine.data.readers import read_table
from workbench.engine.data.sources import Preview, read_source

# Rows a preview reads by default: a screenful many times over, read in well under a second.
PREVIEW_ROWS = 1000


def preview_table(
    source: str | Path, rows: int = PREVIEW_ROWS, *, format: str | None = None, sheet: str | None = None
) -> Preview:
    """The first ``rows`` rows of ``source``, reading no more of a columnar source than they need.

    Text files (CSV, JSONL ...) are read whole by ``readers.read_table`` and cut.
    """
    if format is None or format.strip().lower() in ("", "auto"):
        preview = read_source(source, sheet=sheet, max_rows=rows)
        if preview is not None:
            return preview
    table = read_table(source, format)
    total = len(table)
    table.rows, table.lines = table.rows[:rows], table.lines[:rows]
    return Preview(table, total)
