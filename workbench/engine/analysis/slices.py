"""Slices: named groups of evaluation examples, each scored with the task's own metrics.

A slice is defined by a ``SliceSpec`` (a regular expression, keywords, a column value of the
data file, a length range, a gold or predicted label, a list of ids, or a selection saved from
the embedding map). ``slice_report`` gives each slice's size, metrics (``Task.subset_metrics``),
a bootstrap confidence interval of the headline metric and its gap to the whole set, and flags
the slices whose interval leaves out the whole set's value. Before the user defines any,
``suggested_slices`` offers one slice per gold label and per length quartile.

A run keeps its slices in ``RUN/slices.json`` (``save_slices`` / ``load_slices``).
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbench.engine.analysis.example_table import (
    ExampleTable,
    example_table,
    label_names_of,
    task_of,
)
from workbench.engine.data.stats import CJK_CHARS
from workbench.engine.errors import ConfigError, DatasetError

__all__ = [
    "KINDS", "SLICES_FILE", "SliceRow", "SliceSpec", "load_slices", "parse_slice", "save_slices",
    "iter_slice_report", "select", "slice_report", "suggested_slices",
]  # fmt: skip

# What a slice can be defined by (``SliceSpec.kind``), in the order an editor offers them.
KINDS = ("regex", "keyword", "column", "length", "gold", "predicted", "ids", "selection")
ALL = "all"  # the kind of the whole-set row at the top of a report
SLICES_FILE = "slices.json"
_FORMAT_VERSION = 1


@dataclass(frozen=True)
class SliceSpec:
    """A named slice. ``value`` by kind: regex: a case-insensitive pattern; keyword: words, comma
    separated (whole words); column: ``column=value`` of the data file; length: ``lo-hi`` words
    (a CJK character counts as a word; ``lo-`` or ``-hi`` open); gold / predicted: a label name;
    ids: line numbers of the data file (or values of its id column), comma separated, or a file of
    them; selection: example indices (0-based rows of the evaluation), comma separated."""

    name: str
    kind: str
    value: str
    suggested: bool = False  # offered automatically (per label, per length quartile); not saved

    @property
    def definition(self) -> str:
        """How the CLI writes it: ``kind=value``."""
        return f"{self.kind}={self.value}"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "value": self.value}


@dataclass(frozen=True)
class SliceRow:
    """One slice's line of the report (the whole set's row has kind ``all``)."""

    spec: SliceSpec
    indices: list[int]  # its rows of the evaluation (example indices)
    metrics: dict[str, float]
    headline: str  # the metric the interval and the gap are of (``eval_accuracy`` ...)
    value: float | None
    low: float | None
    high: float | None
    gap: float | None  # value minus the whole set's value
    flagged: bool

    @property
    def size(self) -> int:
        return len(self.indices)

    def to_dict(self) -> dict[str, Any]:
        out = {**self.spec.to_dict(), "suggested": self.spec.suggested, "size": self.size}
        out.update(headline=self.headline, value=self.value, low=self.low, high=self.high, gap=self.gap,
                   flagged=self.flagged, metrics=dict(self.metrics))
        return out


# --------------------------------------------------------------------------- parsing


def parse_slice(text: str) -> SliceSpec:
    """``NAME=REGEX`` or ``NAME:KIND=VALUE`` (the CLI's ``--slice``) as a spec; ConfigError otherwise."""
    left, equals, value = text.partition("=")
    name, colon, kind = left.partition(":")
    name, kind = name.strip(), (kind.strip().lower() if colon else "regex")
    if not equals or not name or not value:
        raise ConfigError(f"--slice {text!r}: write NAME=REGEX or NAME:KIND=VALUE (KIND: {', '.join(KINDS)}).")
    spec = SliceSpec(name, kind, value)
    check_spec(spec)
    return spec


def check_spec(spec: SliceSpec) -> None:
    """A ConfigError naming the problem when ``spec`` cannot select anything as written."""
    if spec.kind not in KINDS:
        raise ConfigError(f"slice {spec.name!r}: unknown kind {spec.kind!r}; use one of {', '.join(KINDS)}.")
    if not spec.value.strip():
        raise ConfigError(f"slice {spec.name!r}: the {spec.kind} is empty.")
    if spec.kind == "regex":
        try:
            re.compile(spec.value)
        except re.error as error:
            raise ConfigError(f"slice {spec.name!r}: {spec.value!r} is not a regular expression ({error}).") from None
    elif spec.kind == "length":
        _length_range(spec)
    elif spec.kind == "column" and "=" not in spec.value:
        raise ConfigError(f"slice {spec.name!r}: write the column slice as COLUMN=VALUE, e.g. source=web.")
    elif spec.kind == "selection":
        _int_list(spec)


def _length_range(spec: SliceSpec) -> tuple[int, float]:
    match = re.fullmatch(r"\s*(\d*)\s*-\s*(\d*)\s*|\s*(\d+)\s*", spec.value)
    if not match or not any(match.groups()):
        raise ConfigError(f"slice {spec.name!r}: write the length as LO-HI words (e.g. 0-10, 30-), not {spec.value!r}.")
    if match.group(3):
        return int(match.group(3)), int(match.group(3))
    return int(match.group(1) or 0), float(match.group(2)) if match.group(2) else math.inf


def _int_list(spec: SliceSpec) -> list[int]:
    try:
        return [int(v) for v in re.split(r"[\s,]+", spec.value.strip()) if v]
    except ValueError:
        raise ConfigError(f"slice {spec.name!r}: a selection is example numbers separated by commas.") from None


# --------------------------------------------------------------------------- selecting rows


def select(spec: SliceSpec, table: ExampleTable, data: Any = None) -> np.ndarray:
    """The example indices of ``spec`` (sorted int64). ``data``: the data file's ``Table`` (column
    and id slices read it; examples find their row by their line)."""
    check_spec(spec)
    n = len(table)
    if spec.kind in ("regex", "keyword"):
        pattern = re.compile(spec.value, re.IGNORECASE) if spec.kind == "regex" else _keyword_pattern(spec.value)
        mask = np.array([pattern.search(text) is not None for text in table.texts], dtype=bool)
    elif spec.kind == "length":
        low, high = _length_range(spec)
        length = table.columns["length"]
        mask = (length >= low) & (length <= high)
    elif spec.kind in ("gold", "predicted"):
        mask = _label_mask(spec, table)
    elif spec.kind == "selection":
        picked = [i for i in _int_list(spec) if 0 <= i < n]
        mask = np.zeros(n, dtype=bool)
        mask[picked] = True
    else:  # column, ids: the data file's rows
        mask = _row_mask(spec, table, data)
    return np.flatnonzero(mask).astype(np.int64)


def _keyword_pattern(value: str) -> re.Pattern[str]:
    """Any of the comma-separated keywords as a whole word (CJK words, written without spaces
    around them, match anywhere)."""
    words = [w.strip() for w in value.split(",") if w.strip()]
    parts = [re.escape(w) if CJK_CHARS.search(w) else rf"(?<!\w){re.escape(w)}(?!\w)" for w in words]
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def _label_mask(spec: SliceSpec, table: ExampleTable) -> np.ndarray:
    """Rows whose gold (predicted) label is ``spec.value``; for label sets and tag sequences (no
    cell equal to it) the rows whose set holds it."""
    column = table.columns.get(spec.kind)
    if column is None:
        raise DatasetError(f"slice {spec.name!r}: this evaluation has no {spec.kind} labels.")
    exact = np.array([str(v) == spec.value for v in column], dtype=bool)
    if exact.any():
        return exact
    return np.array([spec.value in re.split(r"[\s|]+", str(v)) for v in column], dtype=bool)


def _row_mask(spec: SliceSpec, table: ExampleTable, data: Any) -> np.ndarray:
    """Column and id slices: each example's row of the data file is found by its line."""
    if spec.kind == "ids":
        wanted = set(_id_values(spec.value))
        ids = _id_column(data)
        return np.array([str(line) in wanted or (ids is not None and row is not None and str(ids(row)) in wanted)
                         for line, row in zip(table.lines, _rows_by_line(table, data))], dtype=bool)
    if data is None:
        raise DatasetError(f"slice {spec.name!r}: a column slice needs the data file's columns.")
    column, _, value = spec.value.partition("=")
    column, value = column.strip(), value.strip()
    if column not in data.columns:
        raise DatasetError(f"slice {spec.name!r}: the data has no column {column!r} "
                           f"(its columns: {', '.join(map(str, data.columns))}).", path=data.path)
    return np.array([row is not None and str(row.get(column, "")).strip() == value
                     for row in _rows_by_line(table, data)], dtype=bool)


def _rows_by_line(table: ExampleTable, data: Any) -> list[dict[str, Any] | None]:
    if data is None:
        return [None] * len(table)
    by_line = dict(zip(data.lines, data.rows))
    return [by_line.get(line) for line in table.lines]


def _id_column(data: Any) -> Callable[[dict[str, Any]], Any] | None:
    for name in ("id", "ids", "guid", "idx", "uid"):
        if data is not None and name in data.columns:
            return lambda row, name=name: row.get(name, "")  # type: ignore[misc]
    return None


def _id_values(value: str) -> list[str]:
    """Comma or whitespace separated ids, or the ids in a file (one per line, the first field)."""
    path = Path(value.strip()).expanduser()
    if len(value) < 4096 and path.is_file():
        text = path.read_text(encoding="utf-8-sig")
        return [line.split(",")[0].split("\t")[0].strip() for line in text.splitlines() if line.strip()]
    return [v for v in re.split(r"[\s,]+", value.strip()) if v]


# --------------------------------------------------------------------------- suggestions


def suggested_slices(table: ExampleTable) -> list[SliceSpec]:
    """One slice per gold label (most frequent first) and per length quartile: a report worth
    reading before the user defines any slice."""
    out: list[SliceSpec] = []
    if "gold" in table.columns:
        names, counts = np.unique(np.asarray(table.columns["gold"], dtype=str), return_counts=True)
        for name in names[np.argsort(-counts, kind="stable")][:20]:  # many labels: the 20 most frequent
            if name:
                out.append(SliceSpec(f"gold: {name}", "gold", str(name), suggested=True))
    length = table.columns.get("length")
    if length is not None and len(length) >= 8:
        cuts = np.quantile(length, [0.25, 0.5, 0.75]).astype(int).tolist()
        edges = [int(length.min()), *cuts, int(length.max())]
        low = edges[0]
        for q, high in enumerate(edges[1:], start=1):
            if high >= low:
                words = f"{low}-{high}" if high > low else str(low)  # "10", not "10-10"
                out.append(SliceSpec(f"length Q{q}", "length", words, suggested=True))
                low = high + 1
    return out


# --------------------------------------------------------------------------- the report


def slice_report(
    outcome_like: Any, specs: Sequence[SliceSpec], *, samples: int = 1000, confidence: float = 0.95,
    seed: int = 0, data: Any = None, suggest: bool = True, table: ExampleTable | None = None,
) -> list[SliceRow]:
    """The whole set's row, then one row per slice of ``specs`` (then the suggested ones).

    Each slice's headline metric gets a percentile bootstrap interval: its rows are drawn with
    replacement ``samples`` times by a numpy Generator seeded from ``seed`` and the slice's
    definition (the same slice gives the same interval whatever else is in the report).

    A slice is *flagged* when the whole set's value lies outside the slice's interval. The
    interval holds the values the slice's metric plausibly takes given its few rows; a whole-set
    value outside it means the difference is unlikely to be resampling noise at this confidence
    (a one-sample bootstrap test), while a small slice gets a wide interval and is not flagged
    for a gap that chance alone explains. With many slices some are flagged by chance (about
    1 - ``confidence`` of those that do not differ): read a flag as "look here", not as proof.

    ``data``: the data file's ``Table`` for column and id slices (None: read from the examples'
    source file when a slice needs it); ``table``: the outcome's ``example_table`` if made already.
    """
    return list(iter_slice_report(outcome_like, specs, samples=samples, confidence=confidence, seed=seed,
                                  data=data, suggest=suggest, table=table))


def iter_slice_report(
    outcome_like: Any, specs: Sequence[SliceSpec], *, samples: int = 1000, confidence: float = 0.95,
    seed: int = 0, data: Any = None, suggest: bool = True, table: ExampleTable | None = None,
) -> Iterator[SliceRow]:
    """``slice_report`` one row at a time (the app's worker shows progress and stops between rows)."""
    table = table or example_table(outcome_like)
    task = task_of(outcome_like)
    names = label_names_of(outcome_like)
    headline = task.headline.name
    everything = np.arange(len(table), dtype=np.int64)
    whole = task.subset_metrics(outcome_like.result, outcome_like.examples, everything, names)
    whole_value = whole.get(headline)
    yield SliceRow(SliceSpec("all", ALL, ""), everything.tolist(), whole, headline, whole_value, None, None,
                   0.0 if whole_value is not None else None, False)
    if any(s.kind in ("column", "ids") for s in specs) and data is None:
        data = _data_table(outcome_like, required=any(s.kind == "column" for s in specs))
    for spec in list(specs) + (suggested_slices(table) if suggest else []):
        indices = select(spec, table, data)
        yield _slice_row(spec, indices, outcome_like, names, headline, whole_value,
                         samples=samples, confidence=confidence, seed=seed)


def _data_table(outcome_like: Any, *, required: bool) -> Any:
    """The examples' data file as a Table (None when there is none and only id slices want it:
    they match file lines then)."""
    from workbench.engine.data import read_table

    source = getattr(outcome_like.examples, "source", None)
    if source is None or not Path(source).is_file():
        if not required:
            return None
        raise DatasetError("column slices need the data file, and these examples have none.")
    return read_table(source)


def _slice_row(
    spec: SliceSpec, indices: np.ndarray, outcome_like: Any, names: list[str], headline: str,
    whole_value: float | None, *, samples: int, confidence: float, seed: int,
) -> SliceRow:
    task = task_of(outcome_like)
    result, examples = outcome_like.result, outcome_like.examples
    metrics = task.subset_metrics(result, examples, indices, names) if indices.size else {}
    value = metrics.get(headline)
    low = high = None
    if value is not None and samples > 0:
        rng = np.random.default_rng([seed, zlib.crc32(f"{spec.kind}\0{spec.value}".encode())])
        draws = rng.integers(0, indices.size, size=(samples, indices.size))
        values = task.resampled_headline(result, examples, indices, draws, names)
        alpha = (1.0 - confidence) / 2
        low, high = (float(v) for v in np.nanquantile(values, [alpha, 1.0 - alpha]))
    gap = value - whole_value if value is not None and whole_value is not None else None
    flagged = low is not None and high is not None and whole_value is not None and not low <= whole_value <= high
    return SliceRow(spec, indices.tolist(), metrics, headline, value, low, high, gap, flagged)


# --------------------------------------------------------------------------- saved with the run


def save_slices(run: str | Path, specs: Sequence[SliceSpec], report: Sequence[SliceRow] = ()) -> Path:
    """``RUN/slices.json``: the user's slices (not the suggested ones) and the latest report's
    figures, written atomically."""
    from workbench.engine.runs import atomic_write_json

    path = Path(run) / SLICES_FILE
    atomic_write_json(path, {
        "version": _FORMAT_VERSION,
        "slices": [s.to_dict() for s in specs if not s.suggested],
        "report": [r.to_dict() for r in report],
    })
    return path


def load_slices(run: str | Path) -> list[SliceSpec]:
    """The slices saved in ``RUN/slices.json`` ([] when there is none); a broken entry is skipped
    (a file edited by hand must not stop the evaluation)."""
    path = Path(run) / SLICES_FILE
    if not path.is_file():
        return []
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    specs = []
    for entry in saved.get("slices", []) if isinstance(saved, dict) else []:
        try:
            spec = SliceSpec(str(entry["name"]), str(entry["kind"]), str(entry["value"]))
            check_spec(spec)
        except (KeyError, TypeError, ConfigError):
            continue
        specs.append(spec)
    return specs

