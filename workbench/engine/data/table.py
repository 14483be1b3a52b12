"""The raw content of one data file, as every reader returns it (``readers.py``, ``squad.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Table:
    """The raw content of one data file.

    ``rows[i]`` maps column name -> value (``str`` for csv/tsv/text, JSON values
    for jsonl, ``list[str]`` for conll/conllu ``tokens``/``tags``); ``lines[i]``
    is the 1-based physical line where row ``i`` starts.
    """

    path: Path
    format: str
    columns: list[str]
    rows: list[dict[str, object]]
    lines: list[int]
    delimiter: str | None = None  # csv/tsv only: the delimiter that was used
    header_line: int | None = None  # csv/tsv only: the physical line of the header row
    # conll/conllu only: the physical line of every token, for errors about one tag
    token_lines: list[list[int]] | None = None
    # xlsx only: the sheet that was read (``lines`` are its row numbers)
    sheet: str | None = None

    def __len__(self) -> int:
        return len(self.rows)
