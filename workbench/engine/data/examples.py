"""From a raw :class:`Table` to training :class:`Examples`: column mapping and labels.

Task-free: a task describes its columns with :class:`ColumnRoles` and builds its
examples with the helpers here (``engine/tasks/*.py``; ``engine/task_data.py``
takes a task by name).

Labels become names (strings) first and ids second, so that a label written
``1`` in a CSV and ``1`` in JSONL, or ``1.0`` in a spreadsheet export, are the
same class ``"1"``. The label list is sorted (numerically when every label is
an integer) so that ids do not depend on row order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from workbench.engine.data.table import Table
from workbench.engine.errors import DatasetError

# Header names recognised case-insensitively, best first.
TEXT_NAMES = (
    "text", "sentence", "sentence1", "premise", "question", "question1", "review", "content",
    "utterance", "document", "tweet", "comment", "body", "query", "message", "input",
)  # fmt: skip
PAIR_NAMES = (
    "sentence2", "hypothesis", "text_b", "text2", "text_pair", "context", "question2", "passage",
)  # fmt: skip
# Column names that usually hold the label, most likely first.
LABEL_COLUMN_NAMES = (
    "label", "labels", "category", "class", "target", "intent", "sentiment", "y",
    "gold_label", "class_label", "emotion",
)  # fmt: skip
# Words and tags (one per word) of pre-tokenized data.
WORD_NAMES = ("tokens", "words", "token", "word", "text", "sentence")
TAG_NAMES = ("tags", "ner_tags", "pos_tags", "upos", "labels", "label", "ner", "tag")

MISSING = object()  # a JSONL row without the key at all
SAMPLE_ROWS = 2000  # rows looked at when guessing columns by content


@dataclass(frozen=True)
class ColumnMapping:
    """Which table columns hold the text, the optional second text, and the label."""

    text: str
    text_pair: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class ColumnRoles:
    """The columns a task reads, for guessing them from a table and checking a user's choice."""

    text_names: tuple[str, ...] = TEXT_NAMES  # header names of the text column, best first
    label_names: tuple[str, ...] | None = None  # of the label column; None: the task has no label
    pair: bool = False  # a second text may go with the first (sentence pairs)
    lists: bool = False  # words and labels are lists, one label per word
    conll: bool = True  # a CoNLL file serves the task (its tokens, and its tags when it has a label)
    # The label is a text of its own (a target to generate: a translation, a summary), not a
    # class: when no header names them, the text and the label are the first two columns
    # holding varied text, in file order (never the one with the fewest distinct values).
    label_is_text: bool = False

    @property
    def labelled(self) -> bool:
        return self.label_names is not None


@dataclass
class Examples:
    """Examples ready for tokenization, with the source line of each for error messages."""

    task: str
    texts: list[str]
    text_pairs: list[str] | None
    words: list[list[str]] | None
    labels: list[int] | list[list[int]] | None
    label_names: list[str]
    source: Path | None
    lines: list[int]
    # Texts to generate from each text (sequence-to-sequence): one or several references, the
    # first of which is the one a model trains on.
    targets: list[list[str]] | None = None
    # The turns of a conversation that came before each text, oldest first (dialogue data with
    # conversation and turn columns); [] for a conversation's first text.
    histories: list[list[str]] | None = None
    # Examples that share a group stay on one side of a train/validation split (a conversation).
    groups: list[str] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, indices: Sequence[int]) -> Examples:
        idx = list(indices)

        def pick(values: list | None) -> list | None:
            return None if values is None else [values[i] for i in idx]

        return Examples(
            task=self.task,
            texts=[self.texts[i] for i in idx],
            text_pairs=pick(self.text_pairs),
            words=pick(self.words),
            labels=pick(self.labels),
            label_names=list(self.label_names),
            source=self.source,
            lines=[self.lines[i] for i in idx],
            targets=pick(self.targets),
            histories=pick(self.histories),
            groups=pick(self.groups),
        )


# --------------------------------------------------------------------------- column mapping


def find_column(table: Table, name: str, role: str) -> str:
    """The table column called ``name`` (exact, else case-insensitive)."""
    if name in table.columns:
        return name
    folded = [c for c in table.columns if c.lower() == name.lower()]
    if len(folded) == 1:
        return folded[0]
    raise DatasetError(
        f"there is no column {name!r} for the {role}.",
        path=table.path,
        line=1,
        column=name,
        hint=f"The columns are: {', '.join(table.columns) or '(none)'}.",
    )


def column_by_name(columns: list[str], names: Sequence[str], taken: set[str]) -> str | None:
    """The first column not in ``taken`` whose name is one of ``names`` (ignoring case), if any."""
    lower: dict[str, str] = {}
    for c in columns:
        lower.setdefault(c.strip().lower(), c)
    for name in names:
        c = lower.get(name)
        if c is not None and c not in taken:
            return c
    return None


def avg_str_len(table: Table, column: str) -> float:
    """Mean length of the column's strings (a list of words counts its words and spaces)."""
    values = [row.get(column) for row in table.rows[:SAMPLE_ROWS]]
    total = 0
    for v in values:
        if isinstance(v, str):
            total += len(v)
        elif isinstance(v, list):
            total += sum(len(x) + 1 for x in v if isinstance(x, str))
    return total / max(1, len(values))


def distinct_values(table: Table, column: str) -> int:
    """How many different values the column holds in the first ``SAMPLE_ROWS`` rows."""
    return len({repr(row.get(column)) for row in table.rows[:SAMPLE_ROWS]})


def is_list_column(table: Table, column: str) -> bool:
    """Whether the column holds lists (JSON arrays, CoNLL tokens) in the rows looked at."""
    sample = [row.get(column, MISSING) for row in table.rows[:50]]
    return bool(sample) and all(isinstance(v, list) for v in sample)


def complete_mapping(
    table: Table,
    roles: ColumnRoles,
    *,
    text: str | None = None,
    text_pair: str | None = None,
    label: str | None = None,
) -> ColumnMapping:
    """A full mapping from the parts the user gave (each checked) plus detection for the rest."""
    if text is not None:
        text = find_column(table, text, "text")
    if text_pair is not None:
        text_pair = find_column(table, text_pair, "second text")
    if label is not None:
        label = find_column(table, label, "label")
    if table.format in ("conll", "conllu"):
        return _conll_mapping(table, roles, text, label)

    columns = table.columns
    taken = {c for c in (text, text_pair, label) if c}
    if text is None:
        text = column_by_name(columns, roles.text_names, taken)
        if text:
            taken.add(text)
    if label is None and roles.label_names is not None:
        label = column_by_name(columns, roles.label_names, taken)
        if label:
            taken.add(label)
    if text_pair is None and roles.pair and text is not None:
        text_pair = column_by_name(columns, PAIR_NAMES, taken)
        if text_pair:
            taken.add(text_pair)

    if roles.label_is_text:
        return _text_pair_by_position(table, roles, text, label, taken)
    # Fallbacks by content: the text is the column with the longest strings; the
    # label is the one with the fewest distinct values.
    if text is None:
        text = _text_by_content(table, roles, taken)
    if label is None and roles.labelled:
        label = _label_by_content(table, roles, text, taken)
    return ColumnMapping(text, text_pair, label)


def _text_by_content(table: Table, roles: ColumnRoles, taken: set[str]) -> str:
    """The untaken column with the longest strings (lists of words first, for a task of lists); taken now."""
    candidates = [c for c in table.columns if c not in taken]
    if roles.lists:
        candidates = [c for c in candidates if is_list_column(table, c)] or candidates
    if not candidates:
        raise no_column_error(table, "text", "--text-column")
    text = max(candidates, key=lambda c: avg_str_len(table, c))
    taken.add(text)
    return text


def _text_pair_by_position(
    table: Table, roles: ColumnRoles, text: str | None, label: str | None, taken: set[str]
) -> ColumnMapping:
    """A text and a target text not named by the header: the first two columns of varied text, in order.

    Position, not length: a source file's columns come as the data set ships them (Tatoeba's
    english, chinese, attribution; CSL's constant prompt, abstract, title), and the longest
    column may well be an attribution. A column is of varied text when it holds strings (or
    lists of them) that are not all numbers and not all the same.
    """
    for role in ("text", "label"):
        if (text if role == "text" else label) is not None:
            continue
        found = next((c for c in table.columns if c not in taken and _varied_text(table, c)), None)
        if found is None:
            raise no_column_error(table, "target" if role == "label" else "text",
                                  "--target-column" if role == "label" else "--text-column",
                                  names=roles.label_names if role == "label" else roles.text_names)
        taken.add(found)
        text, label = (found, label) if role == "text" else (text, found)
    assert text is not None
    return ColumnMapping(text, None, label)


def _varied_text(table: Table, column: str) -> bool:
    """Whether the column's sampled values are texts (or lists of texts), not all numbers, not all alike."""
    values = [row.get(column) for row in table.rows[:SAMPLE_ROWS]]
    texts = [" ".join(v) if isinstance(v, list) and all(isinstance(x, str) for x in v) else v for v in values]
    if not all(isinstance(v, str) for v in texts):
        return False
    numeric = all(v.strip().lstrip("+-").replace(".", "", 1).isdigit() for v in texts)  # type: ignore[union-attr]
    return not numeric and len(set(texts)) > 1


def _conll_mapping(
    table: Table, roles: ColumnRoles, text: str | None, label: str | None
) -> ColumnMapping:
    """A CoNLL file's fixed columns: its tokens, and its tags for a task with labels."""
    if not roles.conll:
        raise DatasetError(
            "this is a CoNLL file with one tag per token; sentence classification "
            "needs one label per example.",
            path=table.path,
            line=table.lines[0] if table.lines else 1,
            hint="Use the token-classification task, or masked-lm / causal-lm to "
            "pre-train on its text.",
        )
    return ColumnMapping(text or "tokens", None, (label or "tags") if roles.labelled else None)


def _label_by_content(table: Table, roles: ColumnRoles, text: str, taken: set[str]) -> str:
    """The untaken column with the fewest distinct values (lists beside a list of words)."""
    candidates = [c for c in table.columns if c not in taken]
    if roles.lists and is_list_column(table, text):
        candidates = [c for c in candidates if is_list_column(table, c)]
    if not candidates:
        raise no_column_error(table, "label", "--label-column")
    label = min(candidates, key=lambda c: distinct_values(table, c))
    sample = min(len(table.rows), SAMPLE_ROWS)
    # Per-word tags repeat few values; one label per row with that many values is not a label.
    if not roles.lists and distinct_values(table, label) > max(10, sample // 2):
        raise no_column_error(table, "label", "--label-column")
    return label


def no_column_error(
    table: Table, role: str, option: str, *, names: Sequence[str] | None = None
) -> DatasetError:
    """The column for ``role`` cannot be told: name the columns and how to choose one (``names``:
    the header names the role is found by, when not the usual text or label names)."""
    if table.format == "text" and role == "label":
        return DatasetError(
            "a plain-text file has no labels, so it cannot train a classifier.",
            path=table.path,
            line=1,
            hint="Use CSV, TSV or JSONL with a text and a label column (a delimited file "
            "named .txt can be read with the format set to csv or tsv), or the masked-lm / "
            "causal-lm task to pre-train on this text.",
        )
    names = ", ".join((names or (LABEL_COLUMN_NAMES if role == "label" else TEXT_NAMES))[:6])
    return DatasetError(
        f"cannot tell which column holds the {role}; the columns are: {', '.join(table.columns)}.",
        path=table.path,
        line=1,
        hint=f"Name it one of {names} ..., or choose it explicitly "
        f"({option} on the command line, the column mapping in the app).",
    )


def check_mapping(table: Table, roles: ColumnRoles, mapping: ColumnMapping) -> ColumnMapping:
    """A user's mapping with each column checked, and the label detected when a task needs one."""
    text = find_column(table, mapping.text, "text")
    pair = find_column(table, mapping.text_pair, "second text") if mapping.text_pair else None
    label = find_column(table, mapping.label, "label") if mapping.label else None
    if label is None and roles.labelled:
        label = complete_mapping(table, roles, text=text, text_pair=pair).label
    return replace(mapping, text=text, text_pair=pair, label=label)


# --------------------------------------------------------------------------- values


def text_value(table: Table, value: object, line: int, column: str) -> str:
    """One cell as a text: numbers and booleans written out, pre-tokenized words joined."""
    if isinstance(value, str):
        return value
    if value is MISSING or value is None:
        what = "has no field" if value is MISSING else "has null in"
        raise DatasetError(
            f"the row {what} the text column {column!r}.",
            path=table.path,
            line=line,
            column=column,
            hint="Give every row a text (a string), or remove the row.",
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(value)  # pre-tokenized words
    raise DatasetError(
        f"the text in column {column!r} is a JSON {type(value).__name__}, not a string.",
        path=table.path,
        line=line,
        column=column,
        hint="Write the text as a JSON string.",
    )


class Labeler:
    """Raw label values -> label names, with a cache: labels repeat, checks are per value."""

    def __init__(self, table: Table, column: str, kind: str = "label") -> None:
        self.table, self.column, self.kind = table, column, kind
        self.cache: dict[str, str] = {}

    def error(self, message: str, line: int, hint: str) -> DatasetError:
        return DatasetError(message, path=self.table.path, line=line, column=self.column, hint=hint)

    def __call__(self, value: object, line: int) -> str:
        if isinstance(value, str):
            name = self.cache.get(value)
            if name is None:
                name = self.cache[value] = self._from_string(value, line)
            return name
        if value is MISSING or value is None:
            raise self.error(
                f"the {self.kind} is missing"
                + (" (no such field in this row)." if value is MISSING else " (null)."),
                line,
                f"Give every row a {self.kind}, or remove the row.",
            )
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return self._from_float(value, line)
        raise self.error(
            f"the {self.kind} is a JSON {'array' if isinstance(value, list) else 'object'}; "
            "one row with several labels is multi-label classification.",
            line,
            f"Give each row exactly one {self.kind} (a string or an integer), or choose the "
            "multi-label task (--task multi-label) for label lists.",
        )

    def _from_float(self, value: float, line: int) -> str:
        if math.isnan(value) or math.isinf(value):
            raise self.error(
                f"the {self.kind} is {value!r} (not a number), which counts as missing.",
                line,
                f"Give every row a real {self.kind}, or remove the row.",
            )
        if value.is_integer():
            return str(int(value))  # 1.0 from a spreadsheet export is the class 1
        raise self.error(
            f"the {self.kind} {value!r} is not a whole number; regression (predicting a "
            "number) is not supported.",
            line,
            "Use class names or integer class ids as labels.",
        )

    def _from_string(self, value: str, line: int) -> str:
        text = value.strip()
        if not text:
            raise self.error(
                f"the {self.kind} is missing (empty cell).",
                line,
                f"Fill in a {self.kind} for every row, or remove the row.",
            )
        if text.lower() == "nan":  # how pandas/numpy print a missing value, never a class name
            raise self.error(
                f"the {self.kind} is {text!r} (not a number), which counts as missing.",
                line,
                f"Give every row a real {self.kind}, or remove the row.",
            )
        if len(text) < 40:  # longer strings are names, not numbers (and int() has limits)
            body = text[1:] if text[0] in "+-" else text
            if body.isascii() and body.isdigit():  # ASCII only: int() rejects "²"
                return str(int(text))  # "01" and "1" are the same class as JSON 1
            if body[:1].isdigit() or body[:1] == ".":
                try:
                    number = float(text)
                except ValueError:
                    return text
                if math.isfinite(number):
                    return self._from_float(number, line)
        return text


def sorted_label_names(names: set[str]) -> list[str]:
    """Label names in a stable order: numerically when all are integers, else alphabetically."""

    def is_int(name: str) -> bool:
        body = name[1:] if name[:1] == "-" else name
        return 0 < len(body) < 40 and body.isascii() and body.isdigit()

    if names and all(is_int(n) for n in names):
        return sorted(names, key=int)
    return sorted(names)


def label_ids(
    table: Table,
    column: str,
    names: list[str],
    lines: list[int],
    label_names: Sequence[str] | None,
    kind: str,
) -> tuple[list[str], dict[str, int]]:
    """The label list (given, or sorted from the data) and the name -> id map."""
    if label_names is not None:
        known = list(label_names)
        ids = {n: i for i, n in enumerate(known)}
        for name, line in zip(names, lines):
            if name not in ids:
                shown = ", ".join(repr(n) for n in known[:40])
                more = f" and {len(known) - 40} more" if len(known) > 40 else ""
                raise DatasetError(
                    f"the {kind} {name!r} does not occur in the training data.",
                    path=table.path,
                    line=line,
                    column=column,
                    hint=f"Known {kind}s: {shown}{more}. Fix the {kind}, or add examples of "
                    "it to the training data.",
                )
        return known, ids
    found = sorted_label_names(set(names))
    if len(found) < 2:
        raise DatasetError(
            f"every {'token' if kind == 'tag' else 'row'} has the same {kind} "
            f"{found[0] if found else ''!r}; training needs at least two classes.",
            path=table.path,
            line=lines[0] if lines else 1,
            column=column,
            hint=f"Add examples of other classes, or check that the {kind} column is the "
            "right one.",
        )
    return found, {n: i for i, n in enumerate(found)}




# --------------------------------------------------------------------------- building blocks
# What the tasks build their examples from (``Task.read_examples`` in engine/tasks/).


@dataclass
class TextRows:
    """The texts read from a table, with the line and the row index of each."""

    texts: list[str]
    pairs: list[str] | None  # the second texts, when a column holds them
    lines: list[int]
    rows: list[int]


def read_texts(
    table: Table, column: str, pair_column: str | None = None, *, skip_empty: bool = False
) -> TextRows:
    """The text (and second text) of each row; an error when every text is empty.

    ``skip_empty`` leaves out rows whose text is blank (nothing to learn from them
    without a label).
    """
    texts: list[str] = []
    lines: list[int] = []
    rows: list[int] = []
    for i, (row, line) in enumerate(zip(table.rows, table.lines)):
        text = text_value(table, row.get(column, MISSING), line, column)
        if skip_empty and not text.strip():
            continue
        texts.append(text)
        lines.append(line)
        rows.append(i)
    if not any(t.strip() for t in texts):
        raise DatasetError(
            f"the text column {column!r} is empty in every row.",
            path=table.path,
            line=table.lines[0] if table.lines else 1,
            column=column,
            hint="Choose the column that holds the text (--text-column on the command line, "
            "the column mapping in the app).",
        )
    pairs = None
    if pair_column:
        pairs = [
            text_value(table, table.rows[i].get(pair_column, MISSING), line, pair_column)
            for i, line in zip(rows, lines)
        ]
    return TextRows(texts, pairs, lines, rows)


def read_labels(
    table: Table,
    column: str,
    rows: Sequence[int],
    lines: Sequence[int],
    label_names: Sequence[str] | None,
) -> tuple[list[int], list[str]]:
    """One label id per row of ``rows``, and the label list (``label_names``, else from the data)."""
    labeler = Labeler(table, column)
    names = [labeler(table.rows[i].get(column, MISSING), line) for i, line in zip(rows, lines)]
    known, ids = label_ids(table, column, names, list(lines), label_names, "label")
    return [ids[n] for n in names], known


def sequence_value(
    table: Table, value: object, line: int, column: str, what: str
) -> list[object]:
    """A cell of words or tags as a list: a JSON list, or a space-separated string."""
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return value.split()  # "w1 w2 w3" / "O B-PER I-PER" in a CSV cell
    raise DatasetError(
        f"the {what} in column {column!r} must be a list or a space-separated string, "
        f"not {'nothing' if value is MISSING or value is None else type(value).__name__}.",
        path=table.path,
        line=line,
        column=column,
        hint=f'Write the {what} as a JSON list, e.g. ["Paris", "is", "nice"].',
    )


def read_targets(
    table: Table, column: str, rows: Sequence[int], lines: Sequence[int]
) -> list[list[str]]:
    """The target texts of each row of ``rows``: a string is one reference, a JSON list of strings several.

    Every row needs at least one non-blank target: an empty one would teach a model to stop at once.
    """
    out = []
    for i, line in zip(rows, lines):
        value = table.rows[i].get(column, MISSING)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            targets = [v for v in value if v.strip()]
        else:
            targets = [text_value(table, value, line, column)]
            targets = [t for t in targets if t.strip()]
        if not targets:
            raise DatasetError(
                f"the target in column {column!r} is empty.",
                path=table.path,
                line=line,
                column=column,
                hint="Give every row a target text (a string, or a JSON list of reference texts), "
                "or remove the row.",
            )
        out.append(targets)
    return out
