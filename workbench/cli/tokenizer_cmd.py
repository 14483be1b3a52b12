"""``workbench tokenizer train | show | compare``: the tokenizer workshop on the command line.

- ``train --data FILE --output DIR``: train a WordPiece, byte-level BPE or Unigram
  tokenizer on a data file's text and save it as a folder transformers loads;
- ``show DIR [--text T] [--data FILE]``: what a tokenizer is, how it splits a text,
  and its report (tokens per word, unknown-token rate ...) over a file;
- ``compare DIR_A DIR_B --data FILE``: both reports side by side and the sentences
  the two split differently.

DIR may also be a model folder, a run folder or a tokenizer.json file. Errors a
user can cause are WorkbenchErrors, which ``workbench.cli.main`` prints (exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from workbench.engine.data import FORMATS
from workbench.engine.models.presets import TOKENIZER_KINDS
from workbench.engine.models.tokenizer_workshop import (
    Comparison,
    SentenceSplit,
    TokenizerOptions,
    TokenizerReport,
    TokenizerTrained,
    TrainingProgress,
    WorkshopTokenizer,
    compare,
    load_tokenizer_folder,
    parse_special_tokens,
    read_corpus,
    report_rows,
    sample_texts,
    train_events,
)

# Reports look at this many texts of a larger file (spread over it): the numbers settle long before.
DEFAULT_MAX_TEXTS = 20_000
_REDRAW_S = 0.2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tokenizer",
        help="train, inspect and compare tokenizers",
        description="Train a WordPiece, byte-level BPE or Unigram tokenizer on your text, see how it "
        "splits sentences, and compare two tokenizers on the same text.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    train = actions.add_parser("train", help="train a tokenizer on a data file and save it")
    _data_args(train, required=True, sample=False)
    train.add_argument(
        "--kind",
        choices=TOKENIZER_KINDS,
        default="wordpiece",
        help="wordpiece (BERT; each CJK character its own token), bpe (GPT-2 byte-level, "
        "never unknown) or unigram (SentencePiece); default wordpiece",
    )
    train.add_argument("--vocab-size", type=int, default=8000, metavar="N", help="default 8000")
    train.add_argument(
        "--lowercase",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="lowercase the text first (default: yes for wordpiece, no for bpe and unigram)",
    )
    train.add_argument(
        "--special-tokens",
        metavar="LIST",
        help='comma-separated, in id order (default: "[PAD],[UNK],[CLS],[SEP],[MASK]"; '
        'bpe: "<|endoftext|>")',
    )
    train.add_argument(
        "--output", "-o", required=True, type=Path, metavar="DIR", help="folder to write"
    )
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    train.set_defaults(func=run_train)

    show = actions.add_parser("show", help="describe a tokenizer, split a text, report over a file")
    show.add_argument(
        "tokenizer", metavar="DIR", help="tokenizer folder, model or run folder, or tokenizer.json"
    )
    show.add_argument("--text", help="show how this text splits")
    _data_args(show, required=False)
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=run_show)

    comp = actions.add_parser("compare", help="compare two tokenizers on the same text")
    comp.add_argument("tokenizer_a", metavar="DIR_A")
    comp.add_argument("tokenizer_b", metavar="DIR_B")
    _data_args(comp, required=True)
    comp.add_argument("--text", help="also show how both split this text")
    comp.add_argument(
        "--examples",
        type=int,
        default=10,
        metavar="N",
        help="differently split sentences to show (default 10)",
    )
    comp.add_argument("--json", action="store_true", help="print one JSON object")
    comp.set_defaults(func=run_compare)


def _data_args(parser: argparse.ArgumentParser, *, required: bool, sample: bool = True) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        required=required,
        metavar="FILE",
        help="text, CSV, TSV, JSONL or CoNLL file (its text column is used)",
    )
    parser.add_argument(
        "--text-column", metavar="C", help="column holding the text (default: detected)"
    )
    parser.add_argument("--format", choices=FORMATS, help="override format detection")
    if sample:
        parser.add_argument(
            "--max-texts",
            type=int,
            default=DEFAULT_MAX_TEXTS,
            metavar="N",
            help=f"report over at most N texts, spread over the file (default {DEFAULT_MAX_TEXTS})",
        )


def _texts(args: argparse.Namespace) -> list[str]:
    return read_corpus(args.data, text_column=args.text_column, format=args.format)


def _print(args: argparse.Namespace, info: dict[str, Any], text: str) -> None:
    # Tokens can hold characters the terminal cannot show: escape them rather than crash.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")
    print(json.dumps(info, ensure_ascii=False, indent=2) if args.json else text)


# --------------------------------------------------------------------------- train


class _Progress:
    """One status line on stderr: texts read, then "learning" (tokenizers gives no steps there)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.interactive = sys.stderr.isatty()
        self._last = 0.0
        self._phase = ""

    def __call__(self, event: TrainingProgress) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if event.phase == self._phase and now - self._last < _REDRAW_S:
            return
        self._last = now
        if event.phase == "learning":
            text = f"learning the vocabulary from {event.total:,} texts..."
        else:
            text = f"reading texts {event.done:,}/{event.total:,}"
        if self.interactive:
            sys.stderr.write("\r\033[K" + text + ("\n" if event.phase == "learning" else ""))
        elif event.phase != self._phase:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()
        self._phase = event.phase


def run_train(args: argparse.Namespace) -> int:
    options = TokenizerOptions(
        kind=args.kind,
        vocab_size=args.vocab_size,
        lowercase=args.lowercase,
        special_tokens=parse_special_tokens(args.special_tokens)
        if args.special_tokens is not None
        else None,
    )
    options.validate()  # before reading a large file
    texts = _texts(args)
    progress = _Progress(args.quiet or args.json)
    trained: TokenizerTrained | None = None
    for event in train_events(texts, options, corpus=str(args.data), name=args.output.name):
        if isinstance(event, TrainingProgress):
            progress(event)
        else:
            trained = event
    assert trained is not None
    tokenizer = trained.tokenizer
    folder = tokenizer.save(args.output)
    report = tokenizer.report(sample_texts(texts, DEFAULT_MAX_TEXTS))
    info = {
        "output": str(folder),
        "seconds": round(trained.seconds, 3),
        "tokenizer": tokenizer.describe(),
        "report": report.to_dict(),
    }
    lines = [
        f"Saved {folder} ({trained.seconds:.1f} s)",
        *_describe_lines(tokenizer),
        "",
        *_report_lines(report),
    ]
    _print(args, info, "\n".join(lines))
    return 0


# --------------------------------------------------------------------------- show


def run_show(args: argparse.Namespace) -> int:
    tokenizer = load_tokenizer_folder(args.tokenizer)
    info: dict[str, Any] = {"tokenizer": tokenizer.describe()}
    lines = _describe_lines(tokenizer)
    if args.data is not None:
        texts = sample_texts(_texts(args), args.max_texts)
        report = tokenizer.report(texts)
        info["data"] = str(args.data)
        info["report"] = report.to_dict()
        lines += ["", f"Over {len(texts):,} texts of {args.data}:", *_report_lines(report)]
    if args.text is not None:
        split = tokenizer.split(args.text)
        info["split"] = split.to_dict()
        lines += ["", *_split_lines(split)]
    _print(args, info, "\n".join(lines))
    return 0


def _describe_lines(tok: WorkshopTokenizer) -> list[str]:
    how = [tok.kind]
    if tok.byte_level:
        how.append("byte-level")
    how.append("lowercasing" if tok.lowercase else "cased")
    lines = [
        f"Tokenizer:   {tok.source or tok.name}",
        f"Kind:        {', '.join(how)}",
        f"Vocabulary:  {tok.vocab_size:,} tokens",
        f"Specials:    {' '.join(tok.special_tokens()) or 'none'}",
    ]
    if tok.corpus:
        lines.append(
            f"Trained on:  {tok.corpus}"
            + (f" ({tok.trained_on:,} texts)" if tok.trained_on else "")
        )
    return lines


def _report_lines(r: TokenizerReport) -> list[str]:
    rows = [(m, v[0]) for m, v in report_rows([r]) if m != "kind"]
    rows.append(("most frequent", "  ".join(f"{t} {c:,}" for t, c in r.top_tokens[:12])))
    return [f"  {m:<16} {v}" for m, v in rows]


def _split_line(split: SentenceSplit) -> str:
    """Tokens joined by " | "; an unknown token shows the text it stands for as <text?>."""
    return " | ".join(
        f"<{split.text[p.start : p.end]}?>" if p.unknown else p.display for p in split.pieces
    )


def _split_lines(split: SentenceSplit) -> list[str]:
    lines = [
        f"Split of {split.text!r} ({len(split.pieces)} tokens; <text?> = unknown):",
        "  " + _split_line(split),
    ]
    lines.append(f"  {'#':>3}  {'token':<16} {'id':>7}  {'word':<14} chars")
    for i, p in enumerate(split.pieces):
        word = "" if p.word is None else split.text[slice(*split.words[p.word])]
        flag = " special" if p.special else " UNKNOWN" if p.unknown else ""
        lines.append(f"  {i:>3}  {p.display:<16} {p.id:>7}  {word:<14} {p.start}-{p.end}{flag}")
    return lines


# --------------------------------------------------------------------------- compare


def run_compare(args: argparse.Namespace) -> int:
    a = load_tokenizer_folder(args.tokenizer_a)
    b = load_tokenizer_folder(args.tokenizer_b)
    if a.name == b.name:  # two "model" folders: tell them apart in the table
        a.name, b.name = f"A: {a.name}", f"B: {b.name}"
    texts = sample_texts(_texts(args), args.max_texts)
    result = compare(a, b, texts, max_examples=max(args.examples, 0))
    info: dict[str, Any] = {
        "data": str(args.data),
        "tokenizer_a": a.describe(),
        "tokenizer_b": b.describe(),
        **result.to_dict(),
    }
    lines = _comparison_lines(result, str(args.data))
    if args.text is not None:
        split_a, split_b = a.split(args.text), b.split(args.text)
        info["split"] = {"a": split_a.to_dict(), "b": split_b.to_dict()}
        lines += [
            "",
            f"Split of {args.text!r}:",
            f"  A  {_split_line(split_a)}",
            f"  B  {_split_line(split_b)}",
        ]
    _print(args, info, "\n".join(lines))
    return 0


def _comparison_lines(c: Comparison, data: str) -> list[str]:
    rows = [("", c.a.name, c.b.name), *((m, *v) for m, v in report_rows([c.a, c.b]))]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    lines = [f"Over {c.sentences:,} texts of {data} ({c.a.words:,} words):"]
    lines += [f"  {m:<{w0}}  {x:<{w1}}  {y}" for m, x, y in rows]
    lines += ["", f"{c.differing:,} of {c.sentences:,} texts split differently."]
    for x, y in c.examples:
        lines += ["", f"  {x.text}", f"  A  {_split_line(x)}", f"  B  {_split_line(y)}"]
    return lines
