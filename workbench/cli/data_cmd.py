"""``workbench data FILE``: how the workbench reads a data file, and what is in it.

Prints the detected format, columns, column mapping, rows, labels with counts,
length percentiles, truncation share, duplicates, train/validation overlap and
warnings; ``--json`` prints the same as one JSON object. A DatasetError is left
to ``workbench.cli.main``, which prints it and exits with code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.cli.data_args import SOURCES_HELP, add_sheet_option, with_sheet
from workbench.engine.data import FORMATS, read_table
from workbench.engine.errors import ConfigError
from workbench.engine.task_data import (
    DatasetBundle,
    bundle_from_table,
    complete_mapping,
    compute_stats,
    default_task,
)
from workbench.engine.tasks.registry import TASKS, get_task

# Tokenize in chunks: one call over 67k texts builds one huge batch in memory.
_TOKENIZE_CHUNK = 2048


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "data",
        help="check a data file and show its statistics",
        description="Read a data file the way training would, and show its format, "
        "column mapping, labels, lengths, duplicates and warnings.",
    )
    parser.add_argument("file", type=Path, help="CSV, TSV, JSONL, text, CoNLL or CoNLL-U file; " + SOURCES_HELP)
    add_sheet_option(parser, "FILE")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--task",
        choices=TASKS,
        help="default: token-classification for CoNLL, causal-lm for plain text, "
        "else classification",
    )
    parser.add_argument("--text-column", metavar="C", help="column holding the text")
    parser.add_argument("--text-pair-column", metavar="C", help="column holding the second text")
    parser.add_argument("--label-column", metavar="C", help="column holding the label")
    parser.add_argument(
        "--label-separator", default="|", metavar="S",
        help="multi-label: what separates a row's labels (default '|', as in \"news|sport\")",
    )  # fmt: skip
    parser.add_argument("--validation", type=Path, metavar="FILE", help="validation file")
    parser.add_argument("--format", choices=FORMATS, help="override format detection")
    parser.add_argument(
        "--model",
        metavar="SPEC",
        help="count tokens with this model's tokenizer (folder or hub id)",
    )
    parser.add_argument(
        "--max-length",
        type=int,
        metavar="N",
        help="report the share of examples longer than N (default: the tokenizer's limit "
        "with --model)",
    )
    parser.set_defaults(func=run)


def _token_lengths(spec: str) -> tuple[Callable[[list[str]], list[int]], int | None]:
    # Imported here: transformers costs seconds and is only needed with --model.
    from workbench.engine.models.loading import load_tokenizer

    tokenizer = load_tokenizer(spec)

    def lengths(texts: list[str]) -> list[int]:
        out: list[int] = []
        for start in range(0, len(texts), _TOKENIZE_CHUNK):
            batch = tokenizer(texts[start : start + _TOKENIZE_CHUNK], truncation=False)
            out.extend(len(ids) for ids in batch["input_ids"])
        return out

    limit = getattr(tokenizer, "model_max_length", None)
    # Tokenizers without a limit report a huge sentinel (int(1e30)); that is no limit.
    return lengths, limit if isinstance(limit, int) and limit < 1_000_000 else None


def collect(args: argparse.Namespace) -> dict[str, Any]:
    """Everything ``run`` prints, as a JSON-serialisable dict."""
    if args.max_length is not None and args.max_length < 1:
        raise ConfigError(f"--max-length must be a positive number, not {args.max_length}.")
    table = read_table(with_sheet(args.file, args.sheet) or args.file, args.format)
    task = args.task or default_task(table)
    mapping = complete_mapping(
        table,
        task,
        text=args.text_column,
        text_pair=args.text_pair_column,
        label=args.label_column,
    )
    bundle: DatasetBundle = bundle_from_table(
        table,
        task,
        mapping=mapping,
        validation_path=args.validation,
        validation_fraction=0.0,  # only a --validation file is compared; no split here
        format=args.format,
        label_separator=args.label_separator,
    )
    token_lengths = None
    max_length = args.max_length
    if args.model:
        token_lengths, limit = _token_lengths(args.model)
        if max_length is None:
            max_length = limit
    stats = compute_stats(
        bundle.train, bundle.validation, token_lengths=token_lengths, max_length=max_length
    )
    return {
        "file": with_sheet(args.file, args.sheet),
        "validation_file": str(args.validation) if args.validation else None,
        "format": bundle.format,
        "delimiter": bundle.delimiter,
        "columns": bundle.columns,
        "mapping": {
            "text": mapping.text,
            "text_pair": mapping.text_pair,
            "label": mapping.label,
        },
        "model": args.model,
        **stats,
    }


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def render(info: dict[str, Any]) -> str:
    """The human-readable report."""
    out: list[str] = []
    add = out.append
    fmt = info["format"]
    if info["delimiter"] is not None:
        shown = "tab" if info["delimiter"] == "\t" else repr(info["delimiter"])
        fmt = f"{fmt} (delimiter {shown})"
    add(f"File:        {info['file']}")
    if info["validation_file"]:
        add(f"Validation:  {info['validation_file']}")
    add(f"Format:      {fmt}")
    add(f"Columns:     {', '.join(info['columns'])}")
    mapping = ", ".join(f"{k}={v!r}" for k, v in info["mapping"].items() if v is not None)
    add(f"Mapping:     {mapping}")
    add(f"Task:        {info['task']}")
    rows = f"{info['rows']}"
    if info["validation_rows"] is not None:
        rows += f" train, {info['validation_rows']} validation"
    add(f"Rows:        {rows}")
    counts = info["label_counts"]
    if counts is not None:
        kind = f"{get_task(info['task']).label_noun.capitalize()}s"  # "Tags" for a tag per word
        total = sum(counts.values()) or 1
        val_counts = info["validation_label_counts"]
        add(f"{kind} ({len(counts)}):")
        width = max(len(n) for n in counts)
        for name, count in counts.items():
            line = f"  {name:<{width}}  {count:>7}  {count / total:6.1%}"
            if val_counts is not None:
                line += f"   validation {val_counts.get(name, 0)}"
            add(line)
    if info.get("labels_per_row"):  # multi-label
        per_row = info["labels_per_row"]
        spread = ", ".join(f"{k}: {v}" for k, v in info["labels_per_row_counts"].items())
        add(f"Labels/row:  mean {per_row['mean']:g}, max {per_row['max']} (rows by count {spread})")
    unit = info["length_unit"]
    for key, title in (("lengths", "Length"), ("validation_lengths", "Val. length")):
        summary = info[key]
        if summary:
            parts = "  ".join(f"{k} {_fmt(v)}" for k, v in summary.items())
            add(f"{title} ({unit}): {parts}")
    if info["max_length"] is not None and info["truncated_share"] is not None:
        add(
            f"Truncated:   {info['truncated_share']:.1%} ({info['truncated']}) longer than "
            f"{info['max_length']} {unit}"
        )
    add(f"Duplicates:  {info['duplicates']}")
    if info["overlap"] is not None:
        add(f"Overlap:     {info['overlap']} validation example(s) also in train")
    if info["warnings"]:
        add("Warnings:")
        out.extend(f"  - {w}" for w in info["warnings"])
    else:
        add("Warnings:    none")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    info = collect(args)
    # A label or text can hold characters the terminal cannot show (or lone
    # surrogates from JSON escapes); show them escaped rather than crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        print(render(info))
    return 0
