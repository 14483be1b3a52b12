"""Format detection and raw readers: one data file -> one :class:`Table`.

A reader only checks what the *file* says (encoding, quoting, field counts,
JSON syntax, CoNLL columns); which column is the text and which the label is
decided later by :mod:`workbench.engine.data.examples`. Every problem a user
can cause raises :class:`DatasetError` with the file, the 1-based *physical*
line (the line an editor shows, also inside multi-line quoted CSV fields) and
what to do about it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.engine.data.squad import parse_squad, read_squad
from workbench.engine.data.table import Table
from workbench.engine.errors import DatasetError

# "squad": SQuAD question-answering JSON (one document), read by squad.py
FORMATS = ("csv", "tsv", "jsonl", "text", "conll", "conllu", "squad")

# Extension -> format. ".csv" still has its delimiter sniffed: Excel in many
# locales writes ";"-separated files and calls them .csv.
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".conll": "conll",
    ".bio": "conll",
    ".iob": "conll",
    ".bioes": "conll",
    ".conllu": "conllu",
}

_FORMAT_ALIASES = {
    "json": "jsonl",
    "ndjson": "jsonl",
    "txt": "text",
    "plain": "text",
    "bio": "conll",
    "iob": "conll",
    "bioes": "conll",
}

# Candidate delimiters, in the order ties are broken.
_DELIMITERS = (",", "\t", ";", "|")

# How much of a file the sniffers look at; enough for a stable guess, small
# enough to stay instant on a 100 MB file.
_SNIFF_LINES = 200

_CONLLU_COLUMNS = "ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC"

# The csv module refuses fields over 128 KiB by default; a 1 MB review is a
# legitimate (if unusual) example that the tokenizer will truncate later.
# Process-wide, but only ever raised, never lowered.
if csv.field_size_limit() < 2**31 - 1:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


# --------------------------------------------------------------------------- bytes -> text

# (magic prefix, what it is, what to do). Checked before decoding so that a
# renamed spreadsheet gets a useful message instead of "invalid UTF-8 byte".
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x1f\x8b", "a gzip-compressed file", "Decompress it first (e.g. `gunzip FILE`)."),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Excel (.xls) or other Microsoft Office file",
        "Open it in Excel or LibreOffice and export it as 'CSV UTF-8'.",
    ),
    (b"%PDF", "a PDF document", "Export the data as CSV, TSV or JSONL."),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "Decompress it first (e.g. `unxz FILE`)."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Extract it first."),
    (b"PAR1", "a Parquet file", "Name it .parquet: Parquet files are read as they are."),
    (b"ARROW1", "an Arrow/Feather file", "Name it .feather or .arrow: Arrow files are read as they are."),
    (b"SQLite format 3\x00", "an SQLite database", "Export the table as CSV."),
    (b"\x89PNG", "a PNG image", "Choose the data file (CSV, TSV, JSONL, CoNLL or text)."),
    (b"\xff\xd8\xff", "a JPEG image", "Choose the data file (CSV, TSV, JSONL, CoNLL or text)."),
)

_UTF8_HINT = (
    "Re-save it as UTF-8 (Excel: 'CSV UTF-8 (Comma delimited)'; a text editor: "
    "'Save with encoding UTF-8')."
)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _check_binary(data: bytes, path: Path) -> None:
    """Reject content that is not text, saying what it looks like."""
    # UTF-16/32 with a byte-order mark are decoded by read_text before this check.
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        head = data[:4096]
        if b"xl/" in head or (b"[Content_Types].xml" in head and b"word/" not in head):
            what = "an Excel workbook (.xlsx, which is a ZIP file)"
            hint = "Name it .xlsx (workbooks are read as they are), or export the sheet as 'CSV UTF-8'."
        elif b"word/" in head:
            what = "a Word document (.docx, a ZIP file)"
            hint = "Export the data as CSV, TSV or JSONL."
        elif b"opendocument.spreadsheet" in head:
            what = "a LibreOffice spreadsheet (.ods, a ZIP file)"
            hint = "Export the sheet as CSV (UTF-8)."
        else:
            what = "a ZIP archive"
            hint = "Extract it, or if it is a spreadsheet export it as CSV."
        raise DatasetError(
            f"this looks like {what}, not a text data file.", path=path, line=1, hint=hint
        )
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        raise DatasetError(
            "this looks like a bzip2-compressed file, not a text data file.",
            path=path,
            line=1,
            hint="Decompress it first (e.g. `bunzip2 FILE`).",
        )
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise DatasetError(
                f"this looks like {what}, not a text data file.", path=path, line=1, hint=hint
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        # UTF-16 without a BOM puts a NUL next to every ASCII character.
        sample = data[:4096]
        if sample.count(b"\x00") * 3 >= len(sample):
            raise DatasetError(
                f"NUL bytes from byte offset {nul} on: this looks like UTF-16 text without "
                "a byte-order mark, not UTF-8.",
                path=path,
                line=_line_of(data, nul),
                hint=_UTF8_HINT,
            )
        raise DatasetError(
            f"a NUL byte at byte offset {nul}: this looks like a binary file, not text.",
            path=path,
            line=_line_of(data, nul),
            hint="Choose a CSV, TSV, JSONL, CoNLL or plain-text file (UTF-8).",
        )


# Byte-order marks that name their encoding without doubt (Excel's "Unicode Text" and
# Windows Notepad write UTF-16 LE with a BOM). UTF-32 first: its LE mark starts with UTF-16's.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def _wide_encoding(data: bytes) -> tuple[int, str, str] | None:
    """(BOM length, codec, name) for UTF-16/UTF-32 text that starts with a byte-order mark."""
    for bom, codec, name in _WIDE_BOMS:
        if data.startswith(bom):
            return len(bom), codec, name
    return None


def _decode_wide(data: bytes, path: Path, bom: int, codec: str, name: str) -> str:
    try:
        return data[bom:].decode(codec)
    except UnicodeDecodeError as exc:
        # The line is counted in the characters that did decode.
        good = data[bom : bom + exc.start].decode(codec, errors="replace")
        raise DatasetError(
            f"the file starts with a {name} byte-order mark, but the bytes at byte offset "
            f"{bom + exc.start} are not valid {name} ({exc.reason}); the file may be cut off "
            "or mix two encodings.",
            path=path,
            line=good.count("\n") + 1,
            hint=_UTF8_HINT,
        ) from None


# What a data file sometimes turns out to be instead: (how it starts, what, what to do). Markup
# counts only as a whole tag on the first line ("<html>", "<html lang=...>"): a line of text that
# merely begins "<HTML" is text.
_NOT_DATA = (
    (
        re.compile(re.escape("version https://git-lfs.github.com/spec/")),
        "a Git LFS pointer (a small placeholder), not the data itself",
        "Fetch the real file with `git lfs pull` in its repository, or download it from the "
        "dataset's page.",
    ),
    (
        re.compile(r"<!doctype html(\s[^>\n]*)?>"),
        "an HTML web page, not a data file; it was probably saved from a browser",
        "Download the raw file instead (GitHub: the 'Raw' button; Hugging Face: the download "
        "icon next to the file).",
    ),
    (re.compile(r"<html(\s[^>\n]*)?>"), "an HTML web page, not a data file", "Download the raw file instead of the page."),
    (re.compile(r"<\?xml\s[^\n]*\?>"), "an XML document, not a data file", "Export the data as CSV, TSV or JSONL."),
)


def markup_or_pointer(text: str) -> bool:
    """Whether ``text`` starts as a web page, an XML document or a Git LFS pointer (never data)."""
    head = text[:200].lstrip().lower()
    return any(start.match(head) for start, _, _ in _NOT_DATA)


def _check_text(text: str, path: Path) -> str:
    """Reject decoded text that is not a data file (a web page, an LFS pointer, NULs)."""
    head = text[:200].lstrip().lower()
    for start, what, hint in _NOT_DATA:
        if start.match(head):
            line = text[: len(text) - len(text.lstrip())].count("\n") + 1
            raise DatasetError(f"this is {what}.", path=path, line=line, hint=hint)
    nul = text.find("\x00")
    if nul >= 0:  # only reachable from UTF-16/32: NUL bytes are caught before UTF-8 decoding
        raise DatasetError(
            f"a NUL character at character {nul}: this looks like a binary file, not text.",
            path=path,
            line=text.count("\n", 0, nul) + 1,
            hint="Choose a CSV, TSV, JSONL, CoNLL or plain-text file.",
        )
    return text


def read_text(path: Path) -> str:
    """Read ``path`` as UTF-8 (BOM optional), with DatasetErrors for the usual traps."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError("the file does not exist.", path=path, hint="Check the path.") from None
    except IsADirectoryError:
        raise DatasetError(
            "this is a folder, not a data file.", path=path, hint="Choose a file inside it."
        ) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in a typed name
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DatasetError(f"cannot read the file ({reason}).", path=path) from None
    wide = _wide_encoding(data)
    if wide is not None:
        return _check_text(_decode_wide(data, path, *wide), path)
    _check_binary(data, path)
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return _check_text(str(memoryview(data)[start:], "utf-8"), path)
    except UnicodeDecodeError as exc:
        offset = exc.start + start
        in_line = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise DatasetError(
            f"byte 0x{data[offset]:02x} at byte offset {offset} (byte {in_line} of the line) "
            "is not valid UTF-8; the file is probably saved in another encoding "
            "(Windows-1252/Latin-1, GBK, Shift-JIS ...).",
            path=path,
            line=_line_of(data, offset),
            hint=_UTF8_HINT,
        ) from None


def split_lines(text: str) -> list[str]:
    """Physical lines without their ends; ``\\r\\n``, ``\\n`` and lone ``\\r`` all end a line.

    Not ``str.splitlines``: that also breaks on U+2028, form feeds and the like,
    which would shift line numbers against what an editor shows and break JSON.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the final line end does not start a new line
    return lines


# --------------------------------------------------------------------------- detection


def _normalize_format(format: str, path: Path) -> str:
    name = format.strip().lower()
    name = _FORMAT_ALIASES.get(name, name)
    if name not in FORMATS:
        raise DatasetError(
            f"unknown format {format!r}.", path=path, hint=f"Choose one of: {', '.join(FORMATS)}."
        )
    return name


def _field_counts(sample: list[str], delimiter: str) -> list[int]:
    reader = csv.reader((line + "\n" for line in sample), delimiter=delimiter, strict=False)
    try:
        rows = [len(row) for row in reader if row]
    except csv.Error:
        return []
    if len(rows) > 1:
        rows.pop()  # may be cut in the middle of a quoted multi-line field
    return rows


def sniff_delimiter(lines: list[str], preferred: str = ",") -> str | None:
    """The delimiter among ``, TAB ; |`` that splits the first lines most consistently.

    Returns None when no candidate gives at least two fields. Chosen by: the
    header has the usual field count, then the share of rows with that count,
    then ``preferred``. csv.Sniffer is not used: it is easily fooled by commas
    inside quoted text (banking77) and is slow on long samples.
    """
    sample = [line for line in lines[:_SNIFF_LINES] if line.strip()]
    if not sample:
        return None
    best: tuple[tuple[bool, float, bool], str] | None = None
    for delimiter in _DELIMITERS:
        counts = _field_counts(sample, delimiter)
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (counts[0] == mode, freq / len(counts), delimiter == preferred)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return best[1] if best else None


def _looks_like_conll(sample: list[str]) -> str | None:
    """'conllu', 'conll' or None from the tab structure of the first lines."""
    content = [line for line in sample if line.strip() and not line.startswith(("#", "-DOCSTART-"))]
    if not content:
        return None
    tabs = [line.count("\t") for line in content]
    if all(n == 9 for n in tabs):
        return "conllu"
    if all(n == 1 for n in tabs):
        # Two tab columns alone could be a plain TSV; blank lines between blocks
        # (sentence boundaries) make it CoNLL. wnut17 uses a lone tab as blank line.
        blank = [not line.strip() for line in sample]
        first, last = blank.index(False), len(blank) - 1 - blank[::-1].index(False)
        if any(blank[first:last]):
            return "conll"
    return None


def _sniff_format(lines: list[str]) -> tuple[str, str | None]:
    sample = lines[:_SNIFF_LINES]
    content = [line for line in sample if line.strip()]
    if not content:
        return "text", None
    if all(line.lstrip().startswith("{") for line in content):
        return "jsonl", None
    conll = _looks_like_conll(sample)
    if conll:
        return conll, None
    delimiter = sniff_delimiter(lines)
    if delimiter is None:
        return "text", None
    return ("tsv" if delimiter == "\t" else "csv"), delimiter


def _resolve_format(
    path: Path, lines: list[str], format: str | None, delimiter: str | None
) -> tuple[str, str | None]:
    if format is not None and format.strip().lower() not in ("", "auto"):
        fmt = _normalize_format(format, path)
    elif delimiter is not None:
        fmt = "tsv" if delimiter == "\t" else "csv"  # a delimiter only makes sense there
    else:
        fmt = _EXTENSIONS.get(path.suffix.lower())
        if fmt is None:
            return _sniff_format(lines)
    if fmt not in ("csv", "tsv"):
        return fmt, None
    if delimiter is None:
        if fmt == "tsv":
            delimiter = "\t"  # the extension or the caller said so: no guessing
        else:
            delimiter = sniff_delimiter(lines, ",") or ","
    return ("tsv" if delimiter == "\t" else "csv"), delimiter


def detect_format(path: str | Path) -> str:
    """The format ``read_table`` would use for ``path``: by extension, else by content."""
    from workbench.engine.data.sources import source_kind

    other = source_kind(path)  # parquet, arrow, xlsx, dataset or hub
    if other is not None:
        return other
    path = Path(path)
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is not None and fmt != "csv":
        return fmt
    text = read_text(path)
    if _squad_table(path, text, None, None, parse_only=True) is not None:
        return "squad"
    return _resolve_format(path, split_lines(text), None, None)[0]


# --------------------------------------------------------------------------- readers


def _squad_table(
    path: Path, text: str, format: str | None, delimiter: str | None, *, parse_only: bool = False
) -> Any:
    """A SQuAD file (one JSON document, not lines) as a Table; None for every other format."""
    forced = format is not None and format.strip().lower() not in ("", "auto")
    if forced and _normalize_format(format, path) != "squad":  # type: ignore[arg-type]
        return None
    if not forced and (delimiter is not None or not text.lstrip().startswith("{")):
        return None  # the cheap test first: most files are not JSON documents
    document = None if forced else parse_squad(text)
    if not forced and document is None:
        return None
    if parse_only:
        return document
    if _SURROGATE_ESCAPE.search(text):  # the JSONL reader's check, for the one document
        try:
            parsed = document if document is not None else json.loads(text)
        except (ValueError, RecursionError):
            parsed = None  # read_squad reports the syntax error with its line
        where = _lone_surrogate(parsed) if parsed is not None else None
        if where:
            match = _LONE_SURROGATE_ESCAPE.search(text)
            raise _surrogate_error(path, text.count("\n", 0, match.start()) + 1 if match else 1, "a text")
    return read_squad(path, text, document)


def read_table(
    path: str | Path, format: str | None = None, *, delimiter: str | None = None, sheet: str | None = None
) -> Table:
    """Read one data file. ``format``/``delimiter`` override detection.

    ``path`` may also name a Parquet/Arrow/Feather file, a workbook (``book.xlsx#Sheet``, or
    ``sheet``), a ``datasets`` folder or ``hub:NAME[:CONFIG][#SPLIT]``: see ``sources.py``.
    """
    if (format is None or format.strip().lower() in ("", "auto")) and delimiter is None:
        from workbench.engine.data.sources import read_source

        other = read_source(path, sheet=sheet)
        if other is not None:
            return other.table
    path = Path(path)
    if delimiter is not None and (
        len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum()
    ):
        raise DatasetError(
            f"cannot use {delimiter!r} as a delimiter.",
            path=path,
            hint="Use a single character such as ',', ';', '|' or a tab.",
        )
    text = read_text(path)
    if not text:
        raise DatasetError(
            "the file is empty.", path=path, line=1, hint="Choose a file that contains data."
        )
    if not text.strip():
        raise DatasetError(
            "the file contains only whitespace and blank lines.",
            path=path,
            line=1,
            hint="Choose a file that contains data.",
        )
    squad = _squad_table(path, text, format, delimiter)
    if squad is not None:
        return squad
    lines = split_lines(text)
    named = format.strip().lower() if format else _EXTENSIONS.get(path.suffix.lower(), "")
    if _excel_separator(lines) and named in ("", "auto", "csv", "tsv"):
        # Excel's "sep=;" first line names the delimiter and is not the header; blanked
        # (not removed) so that every later row keeps its physical line number.
        delimiter = delimiter or lines[0][4]
        lines[0] = ""
    fmt, delim = _resolve_format(path, lines, format, delimiter)
    if fmt in ("csv", "tsv"):
        assert delim is not None
        return _read_delimited(path, lines, fmt, delim)
    if fmt == "jsonl":
        return _read_jsonl(path, lines)
    if fmt == "text":
        return _read_text_lines(path, lines)
    if fmt == "conll":
        return _read_conll(path, lines)
    return _read_conllu(path, lines)


def _excel_separator(lines: list[str]) -> bool:
    """Whether the first line is Excel's delimiter hint, e.g. ``sep=;``."""
    first = lines[0] if lines else ""
    return len(first) == 5 and first[:4].lower() == "sep=" and first[4] in _DELIMITERS


def _with_ends(lines: list[str]) -> Iterator[str]:
    for line in lines:
        yield line + "\n"


def _read_delimited(path: Path, lines: list[str], fmt: str, delimiter: str) -> Table:
    reader = csv.reader(_with_ends(lines), delimiter=delimiter, quotechar='"', strict=False)
    header: list[str] | None = None
    header_line = 1
    rows: list[dict[str, object]] = []
    starts: list[int] = []
    end = 0  # last physical line consumed so far
    start = 1
    last_end = 0  # last physical line of the last data row
    name = "TSV" if delimiter == "\t" else "CSV"
    shown = "a tab" if delimiter == "\t" else repr(delimiter)
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            # Blank and whitespace-only lines separate nothing in CSV: skip them.
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if header is None:
                header, header_line = _make_header(path, row, start), start
                continue
            if len(row) != len(header):
                # Excel pads rows with trailing empty fields; those carry nothing.
                while len(row) > len(header) and not row[-1].strip():
                    row.pop()
                if len(row) != len(header):
                    raise _ragged(path, header, row, start, end, shown)
            rows.append(dict(zip(header, row)))
            starts.append(start)
            last_end = end
    except csv.Error as exc:  # pragma: no cover - defensive: strict=False rarely raises
        raise DatasetError(f"{name} syntax error: {exc}.", path=path, line=end + 1) from None
    if header is None:  # pragma: no cover - the blank-file checks come first
        raise DatasetError("the file has no header row.", path=path, line=1)
    if not rows:
        raise DatasetError(
            f"the file has a header ({', '.join(header)}) but no data rows.",
            path=path,
            line=header_line,
            hint="Add at least one row of data below the header.",
        )
    last_start = starts[-1]
    if last_end > last_start and "".join(lines[last_start - 1 :]).count('"') % 2:
        # The last row ran to the end of the file inside quotes: an opening quote
        # was never closed, and everything after it became one field.
        raise DatasetError(
            f"a quoted field in the row on line {last_start} is never closed: the rest of "
            "the file was read as part of it.",
            path=path,
            line=last_start,
            hint='Add the missing closing quote ("), or write a quote inside a quoted text '
            'as two quotes ("").',
        )
    return Table(path, fmt, header, rows, starts, delimiter, header_line=header_line)


# A header names its columns in a few words; a first row with a cell this long, or one ending
# a sentence in CJK punctuation, is data (a headerless TSV such as Tatoeba's or CSL's).
_LONGEST_HEADER_NAME = 40
_SENTENCE_ENDS = ("。", "？", "！")


def as_headerless(table: Table) -> Table | None:
    """``table`` read again as a file without a header row, when it looks like one; else None.

    - a plain-text table whose every line holds a tab: the tab-separated fields of each line
      (a ``.txt`` file of pairs, such as Tatoeba's ``cmn.txt`` or LCCC's ``toy_train.txt``);
    - a CSV/TSV table whose header has a cell longer than a column name gets, or ending a
      sentence in CJK punctuation: that header row becomes the first data row.

    The columns are then ``column_1``, ``column_2``, ... Not applied when reading: which files
    are pairs is the caller's knowledge (a text corpus may hold tabs; a header may be long).
    """
    if table.format == "text":
        split = [str(row["text"]).split("\t") for row in table.rows]
        if not split or any(len(fields) < 2 for fields in split):
            return None
        width = max(len(fields) for fields in split)
        columns = [f"column_{i + 1}" for i in range(width)]
        rows: list[dict[str, object]] = [dict(zip(columns, fields)) for fields in split]
        return Table(table.path, "tsv", columns, rows, list(table.lines), "\t")
    if table.format not in ("csv", "tsv") or not any(
        len(name) > _LONGEST_HEADER_NAME or name.endswith(_SENTENCE_ENDS) for name in table.columns
    ):
        return None
    columns = [f"column_{i + 1}" for i in range(len(table.columns))]
    # A blank header cell was named column_i by the reader: as data it is empty.
    first = {new: ("" if old == new else old) for new, old in zip(columns, table.columns)}
    rows = [first, *({new: row.get(old) for new, old in zip(columns, table.columns)} for row in table.rows)]
    line = table.header_line or 1
    return Table(table.path, table.format, columns, rows, [line, *table.lines], table.delimiter)


def _make_header(path: Path, row: list[str], line: int) -> list[str]:
    header = []
    for i, cell in enumerate(row):
        name = cell.strip()
        header.append(name or f"column_{i + 1}")  # pandas writes an unnamed index column
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            raise DatasetError(
                f"the header names column {name!r} twice (fields {seen[name] + 1} and {i + 1}).",
                path=path,
                line=line,
                column=name,
                hint="Rename one of them so that every column has its own name.",
            )
        seen[name] = i
    return header


def _ragged(
    path: Path, header: list[str], row: list[str], start: int, end: int, shown: str
) -> DatasetError:
    hint = f"If a text contains {shown} (the delimiter), put that text in double quotes."
    if len(row) < len(header):
        hint = (
            "A value is missing in this row, or the header names more columns than the "
            "rows have (then remove the extra names from the header)."
        )
    if end > start:
        hint = (
            f"This row runs from line {start} to line {end}: a quoted text may be missing "
            'its closing quote ("). ' + hint
        )
    return DatasetError(
        f"expected {len(header)} fields as in the header ({', '.join(header)}), found {len(row)}.",
        path=path,
        line=start,
        hint=hint,
    )


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


# A JSON escape of a UTF-16 surrogate; only such lines can hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


# An escaped high surrogate not followed by a low one, or a low one without a high one before.
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _surrogate_error(path: Path, line: int, where: str) -> DatasetError:
    # Valid JSON, but not text: the tokenizer and every UTF-8 writer reject it later.
    return DatasetError(
        f"{where} contains an unpaired surrogate escape (\\ud800-\\udfff), which is "
        "half of an emoji or other character, not a character itself.",
        path=path,
        line=line,
        hint="The file was probably cut or written by a tool that split a character; "
        "re-export it, or remove the broken escape.",
    )


def _lone_surrogate(value: object) -> str | None:
    """Where in a decoded JSON value a string holds an unpaired surrogate, or None.

    json.loads joins escaped surrogate pairs into one character, so any surrogate
    left in a string is unpaired. Iterative: the value may be nested ~1000 deep.
    """
    stack: list[tuple[object, str]] = [(value, "the row")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and any("\ud800" <= c <= "\udfff" for c in item):
                return where
        elif isinstance(item, list):
            stack.extend((x, where) for x in item)
        elif isinstance(item, dict):
            for key, x in item.items():
                stack.append((key, "a key"))
                stack.append((x, f"the field {key!r}" if where == "the row" else where))
    return None


def _read_jsonl(path: Path, lines: list[str]) -> Table:
    rows: list[dict[str, object]] = []
    starts: list[int] = []
    columns: dict[str, None] = {}  # ordered set: keys in order of first appearance
    decode = json.JSONDecoder().decode
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            continue
        try:
            value = decode(stripped)
        except json.JSONDecodeError as exc:
            # The line was stripped; report the column in the line as the file has it.
            column = exc.colno + (len(line) - len(line.lstrip()))
            hint = 'Each line must hold one complete JSON object, e.g. {"text": ..., "label": ...}.'
            if number == 1 and stripped in ("[", "{"):
                hint = (
                    "The file looks like one pretty-printed JSON document, not JSON Lines; "
                    "convert it to one object per line (e.g. `jq -c '.[]' FILE.json > FILE.jsonl`)."
                )
            elif stripped.startswith(("{'", "{ '")):
                hint = (
                    "This line looks like a Python dict written with print() or str(): JSON "
                    "needs double quotes and true/false/null. Write each row with json.dumps()."
                )
            raise DatasetError(
                f"invalid JSON: {exc.msg}.", path=path, line=number, column=column, hint=hint
            ) from None
        except (ValueError, RecursionError) as exc:  # e.g. an integer with 5000 digits
            raise DatasetError(
                f"cannot read this JSON line ({type(exc).__name__}: {exc}).",
                path=path,
                line=number,
            ) from None
        if not isinstance(value, dict):
            hint = 'Each line must hold one JSON object, e.g. {"text": ..., "label": ...}.'
            if number == 1 and isinstance(value, list):
                hint += (
                    " If the file is one JSON array of objects, write one object per line "
                    "(e.g. `jq -c '.[]' FILE.json > FILE.jsonl`)."
                )
            raise DatasetError(
                f"expected a JSON object {{...}}, found a JSON {_json_kind(value)}.",
                path=path,
                line=number,
                hint=hint,
            )
        if _SURROGATE_ESCAPE.search(stripped) and (where := _lone_surrogate(value)):
            raise _surrogate_error(path, number, where)
        for key in value:
            columns[key] = None
        rows.append(value)
        starts.append(number)
    return Table(path, "jsonl", list(columns), rows, starts)


def _read_text_lines(path: Path, lines: list[str]) -> Table:
    rows: list[dict[str, object]] = []
    starts: list[int] = []
    for number, line in enumerate(lines, 1):
        if line.strip():  # blank lines separate paragraphs; they are not examples
            rows.append({"text": line})
            starts.append(number)
    return Table(path, "text", ["text"], rows, starts)


class _Sentences:
    """Collects token/tag sentences with the line of every token (CoNLL and CoNLL-U)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, object]] = []
        self.starts: list[int] = []  # the line where each sentence starts
        self.token_lines: list[list[int]] = []
        self._tokens: list[str] = []
        self._tags: list[str] = []
        self._lines: list[int] = []

    def add(self, token: str, tag: str, line: int) -> None:
        if not self._tokens:
            self.starts.append(line)
        self._tokens.append(token)
        self._tags.append(tag)
        self._lines.append(line)

    def end(self) -> None:
        """Close the sentence in progress (at a blank line, or the end of the file)."""
        if self._tokens:
            self.rows.append({"tokens": self._tokens, "tags": self._tags})
            self.token_lines.append(self._lines)
            self._tokens, self._tags, self._lines = [], [], []

    def table(self, path: Path, fmt: str) -> Table:
        return Table(path, fmt, ["tokens", "tags"], self.rows, self.starts, token_lines=self.token_lines)


def _read_conll(path: Path, lines: list[str]) -> Table:
    sentences = _Sentences()
    for number, line in enumerate(lines, 1):
        if not line.strip():  # blank (or a lone tab, as in wnut17): end of sentence
            sentences.end()
            continue
        if line.startswith("-DOCSTART-"):
            continue
        if "\t" in line:
            parts = line.split("\t")
            while len(parts) > 2 and not parts[-1].strip():
                parts.pop()  # a stray trailing tab adds no column
            sep = "<TAB>"
        else:
            parts = line.split()  # "token tag": a single space when there is no tab
            sep = " "
        if len(parts) != 2:
            raise DatasetError(
                f"expected 2 columns (token{sep}tag), found {len(parts)}: {line[:80]!r}.",
                path=path,
                line=number,
                hint="CoNLL files hold one token and its tag per line, separated by a tab, "
                "with a blank line between sentences.",
            )
        token, tag = parts[0].strip(), parts[1].strip()
        if not token or not tag:
            raise DatasetError(
                f"the {'token' if not token else 'tag'} is empty: {line[:80]!r}.",
                path=path,
                line=number,
                hint="Every token line needs a token and a tag, e.g. 'Paris<TAB>B-LOC'.",
            )
        sentences.add(token, tag, number)
    sentences.end()
    if not sentences.rows:
        raise DatasetError(
            "no sentences found (only -DOCSTART- and blank lines).",
            path=path,
            line=1,
            hint="Add token<TAB>tag lines, with a blank line between sentences.",
        )
    return sentences.table(path, "conll")


def _read_conllu(path: Path, lines: list[str]) -> Table:
    sentences = _Sentences()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            sentences.end()
            continue
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 10:
            raise DatasetError(
                f"expected 10 tab-separated columns ({_CONLLU_COLUMNS}), found {len(parts)}.",
                path=path,
                line=number,
                hint="Check that the columns are separated by tabs, not spaces.",
            )
        word_id = parts[0]
        if "-" in word_id or "." in word_id:
            continue  # multiword ranges (3-4) and empty nodes (8.1) are not surface tokens
        if not word_id.isdigit():
            raise DatasetError(
                f"the ID {word_id!r} is not a word number.",
                path=path,
                line=number,
                hint="The first column must be 1, 2, 3 ... (or a range 3-4 / an empty node 8.1).",
            )
        if not parts[1] or not parts[3]:
            raise DatasetError(
                f"the {'FORM' if not parts[1] else 'UPOS'} column is empty.",
                path=path,
                line=number,
                hint="Write '_' for an unknown value.",
            )
        sentences.add(parts[1], parts[3], number)
    sentences.end()
    if not sentences.rows:
        raise DatasetError(
            "no sentences found (only comments and blank lines).",
            path=path,
            line=1,
            hint="Add word lines with 10 tab-separated columns.",
        )
    return sentences.table(path, "conllu")
