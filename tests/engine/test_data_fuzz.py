"""Property tests: any bytes give a Table/Examples or a DatasetError, never a crash;
CSV written by the csv module in any dialect reads back unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.engine.data import FORMATS, read_table
from workbench.engine.errors import DatasetError
from workbench.engine.task_data import build_examples, default_task
from workbench.engine.tasks.registry import TASKS

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that drive the parsers into their interesting branches.
STRUCTURAL = ',;\t|"{}[]:\n\r #-.0123456789abcOB\u00e9\u4e2d'


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check(path: Path, fmt: str | None) -> None:
    """Read and build under every task: only DatasetError may escape."""
    try:
        table = read_table(path, fmt)
    except DatasetError as exc:
        assert exc.path == path
        return
    assert len(table.rows) == len(table.lines)
    assert table.lines == sorted(table.lines) and all(n >= 1 for n in table.lines)
    for task in (default_task(table), *TASKS):
        try:
            examples = build_examples(table, task)
        except DatasetError as exc:
            assert exc.path == path
            continue
        assert len(examples.lines) == len(examples.texts)
        if examples.labels is not None:
            assert all(
                0 <= i < len(examples.label_names)
                for i in (
                    (x for seq in examples.labels for x in seq)  # type: ignore[union-attr]
                    if task in ("token-classification", "multi-label")  # a list of ids per row
                    else examples.labels
                )
            )


FORMAT_CHOICES = st.sampled_from([None, *FORMATS])
SUFFIXES = st.sampled_from([".csv", ".tsv", ".jsonl", ".txt", ".conll", ".conllu", ".dat"])


@FUZZ
@given(data=st.binary(max_size=400), fmt=FORMAT_CHOICES, suffix=SUFFIXES)
def test_random_bytes(workdir: Path, data: bytes, fmt: str | None, suffix: str) -> None:
    path = workdir / f"random{suffix}"
    path.write_bytes(data)
    check(path, fmt)


@FUZZ
@given(
    text=st.text(alphabet=STRUCTURAL, max_size=300),
    fmt=FORMAT_CHOICES,
    suffix=SUFFIXES,
    bom=st.booleans(),
)
def test_structured_text(workdir: Path, text: str, fmt: str | None, suffix: str, bom: bool) -> None:
    path = workdir / f"structured{suffix}"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    check(path, fmt)


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.just(""),
            st.builds(
                "\t".join,
                st.lists(st.text(alphabet="ab-_.0123456789", min_size=0, max_size=4), max_size=11),
            ),
            st.sampled_from(["# comment", "-DOCSTART- -X- O O", "word O", "\t"]),
        ),
        max_size=20,
    ),
    fmt=st.sampled_from([None, "conll", "conllu"]),
)
def test_conll_like_lines(workdir: Path, lines: list[str], fmt: str | None) -> None:
    path = workdir / "lines.data"
    path.write_text("\n".join(lines), encoding="utf-8")
    check(path, fmt)


@FUZZ
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=True, allow_infinity=True),
            st.text(max_size=8),
            st.lists(st.one_of(st.text(max_size=3), st.integers()), max_size=3),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_jsonl_label_values(workdir: Path, values: list[object]) -> None:
    import json

    path = workdir / "values.jsonl"
    lines = [json.dumps({"text": f"t{i}", "label": v, "tags": v}) for i, v in enumerate(values)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check(path, None)


# --------------------------------------------------------------------------- CSV round trip

# No "\r": line ends inside quoted fields are read back as "\n" (documented behaviour),
# and no NUL, which marks a file as binary.
FIELD = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    max_size=12,
)
QUOTING = st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], delimiter: str, quoting: int, crlf: bool
) -> None:
    buf = io.StringIO()
    writer = csv.writer(
        buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n" if crlf else "\n"
    )
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


@FUZZ
@given(
    ncols=st.integers(2, 4),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=QUOTING,
    crlf=st.booleans(),
)
def test_csv_dialect_round_trip(
    workdir: Path, ncols: int, data: st.DataObject, delimiter: str, quoting: int, crlf: bool
) -> None:
    header = [f"col{i}" for i in range(ncols)]
    rows = data.draw(
        st.lists(st.lists(FIELD, min_size=ncols, max_size=ncols), min_size=1, max_size=8)
    )
    path = workdir / "roundtrip.csv"
    write_csv(path, header, rows, delimiter, quoting, crlf)
    table = read_table(path, delimiter=delimiter)
    assert table.columns == header
    assert [[r[c] for c in header] for r in table.rows] == rows
    # Physical lines: each row starts after the lines of the rows before it.
    expected, line = [], 2
    for row in rows:
        expected.append(line)
        line += 1 + sum(field.count("\n") for field in row)
    assert table.lines == expected


PLAIN_FIELD = st.text(alphabet='abc xyz"\n\u00e9\u4e2d', max_size=12)


@FUZZ
@given(
    ncols=st.integers(2, 4),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=QUOTING,
    crlf=st.booleans(),
)
def test_csv_delimiter_is_sniffed(
    workdir: Path, ncols: int, data: st.DataObject, delimiter: str, quoting: int, crlf: bool
) -> None:
    header = [f"col{i}" for i in range(ncols)]
    rows = data.draw(
        st.lists(st.lists(PLAIN_FIELD, min_size=ncols, max_size=ncols), min_size=1, max_size=8)
    )
    path = workdir / "sniffed.csv"
    write_csv(path, header, rows, delimiter, quoting, crlf)
    table = read_table(path)
    assert table.delimiter == delimiter
    assert [[r[c] for c in header] for r in table.rows] == rows
