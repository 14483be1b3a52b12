"""``workbench label-errors``: the training rows most likely mislabeled, with the label they should have.

k-fold fine-tuning gives every row a prediction from a model that never saw it; confident
learning ranks the rows whose given label those predictions doubt (``engine/analysis/label_errors.py``).
Also lists texts that occur with different labels and, with ``--validation``, texts shared with
the validation file.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbench.cli.data_args import add_sheet_option, with_sheet
from workbench.engine.analysis.confident_learning import CONFIDENT, RANKINGS
from workbench.engine.analysis.label_errors import MIN_FOLD_STEPS, REPEATS
from workbench.engine.data import FORMATS

_TEXT_WIDTH = 60


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "label-errors",
        help="find mislabeled training rows (k-fold fine-tuning + confident learning)",
        description="Fine-tune MODEL k times, each time on all rows but one fold, predict that fold, then rank "
        "the rows whose label the out-of-sample predictions contradict (confident learning). Prints rank, row, "
        "line, text, given label, suggested label, confidence (the suggestion's out-of-fold probability, the lowest "
        "of the repeats) and score "
        "(label quality: lower = more likely wrong), plus "
        "texts duplicated with different labels and (--validation) texts the validation file shares.",
    )
    p.add_argument("--data", required=True, help="the labelled training data: any file or source workbench train reads "
                   "(CSV, TSV, JSONL, Parquet, Arrow, Excel, a datasets folder)")
    p.add_argument("--model", help="checkpoint, preset, model folder or run folder to fine-tune in each fold "
                   "(default: as for workbench train); a run trained on --data is refused: its weights have seen "
                   "the rows each fold holds out")
    p.add_argument("--folds", type=int, default=5, help="folds of k-fold (default 5)")
    p.add_argument("--repeats", type=int, default=REPEATS,
                   help=f"run the k folds this many times, each with its own split and seed, and average the "
                   f"probabilities (default {REPEATS}; 1 for a quick look): a steadier ranking, and a --min-confidence "
                   "every repeat must reach, for that many times the time")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--epochs", type=float, help=f"epochs per fold (default 2: a short schedule; at least "
                   f"{MIN_FOLD_STEPS} steps, so a small file's folds still learn)")
    g.add_argument("--max-steps", type=int, help="optimizer steps per fold (instead of --epochs)")
    p.add_argument("--validation", help="a validation file to check for leakage (texts found in both)")
    p.add_argument("--limit", type=int, help="print at most this many rows (--json: all)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--clean", choices=["relabel", "drop"],
                   help="also write NAME.cleaned.EXT beside --data with the flagged rows of --min-confidence "
                   "relabeled to their suggestion (or dropped); the original is never changed")
    p.add_argument("--min-confidence", type=float, default=CONFIDENT, metavar="P",
                   help=f"--clean acts only on flagged rows whose suggested label the fold models of every repeat "
                   f"gave at least this probability (default {CONFIDENT}; 0: every flagged row). Many flagged rows are "
                   "hard rows the fold models got wrong, not wrong labels: in our benchmark two thirds of the flagged "
                   "rows had right labels")
    p.add_argument("--ranking", choices=RANKINGS, default=RANKINGS[0],
                   help="what ranks the rows: the given label's out-of-fold probability minus the likeliest "
                   "other label's (normalized_margin, the default), or the given label's probability alone")
    add_sheet_option(p)
    p.add_argument("--format", choices=FORMATS, help="the --data file's format (default: detected)")
    p.add_argument("--text-column")
    p.add_argument("--text-pair-column")
    p.add_argument("--label-column")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--max-length", type=int, help="longest input in tokens (default 128)")
    p.add_argument("--seed", type=int, default=0, help="seeds the folds and the training")
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"])
    p.add_argument("--num-threads", "--threads", dest="num_threads", type=int)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    p.set_defaults(func=run)


def config_from_args(args: argparse.Namespace) -> Any:
    """The TrainConfig each fold trains with: ``workbench train``'s defaults, two epochs unless told."""
    from workbench.engine.analysis.label_errors import SHORT_EPOCHS
    from workbench.engine.training.config import TrainConfig

    config = TrainConfig(data=with_sheet(args.data, getattr(args, "sheet", None)) or "", epochs=SHORT_EPOCHS,
                         seed=args.seed)
    for name in ("model", "format", "text_column", "text_pair_column", "label_column", "batch_size", "lr",
                 "max_length", "device", "num_threads", "epochs", "max_steps"):
        value = getattr(args, name, None)
        if value is not None:
            setattr(config, name, value)
    config.validate()
    return config


def _progress(quiet: bool) -> Any:
    def show(p: Any) -> None:
        if quiet or (p.done not in (0, p.total) and p.done % 10):
            return
        verb = "training" if p.phase == "train" else "predicting"
        unit = "steps" if p.phase == "train" else "rows"
        print(f"\rfold {p.fold}/{p.folds}: {verb} {p.done}/{p.total} {unit}   ", end="", file=sys.stderr, flush=True)
        if p.phase == "predict" and p.done >= p.total:
            print(file=sys.stderr)

    return show


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_WIDTH else text[: _TEXT_WIDTH - 1] + "…"


def _as_json(report: Any, cleaned: str | None, cleaned_rows: int) -> dict[str, Any]:
    learning = report.learning
    ex = report.out_of_fold.examples
    return {
        "data": report.out_of_fold.table.path.as_posix(),
        "rows": len(ex), "label_names": report.out_of_fold.label_names,
        "estimated_issues": learning.estimated_issues,
        "thresholds": learning.thresholds.tolist(),
        "confident_joint": learning.confident_joint.tolist(),
        "issues": [vars(i) for i in report.issues],
        "duplicates": [{"rows": list(g.rows), "lines": [ex.lines[r] for r in g.rows], "exact": g.exact}
                       for g in report.duplicates],
        "leakage": [{"train_lines": [ex.lines[r] for r in g.train_rows],
                     "validation_lines": [report.validation_lines[r] for r in g.validation_rows], "exact": g.exact}
                    for g in report.leakage],
        "cleaned": cleaned,
        "cleaned_rows": cleaned_rows,  # the flagged rows --clean acted on (those of --min-confidence)
    }


def _print_text(report: Any, limit: int | None, cleaned: str | None, cleaned_note: str) -> None:
    ex = report.out_of_fold.examples
    issues = report.issues if limit is None else report.issues[:limit]
    print(f"{len(report.issues)} of {len(ex)} rows look mislabeled "
          f"(the calibrated joint estimates {report.learning.estimated_issues}).")
    print(f"{'rank':>4s} {'row':>6s} {'line':>6s}  {'text':{_TEXT_WIDTH}s}  {'given':>10s} {'suggested':>10s} "
          f"{'conf.':>6s} {'score':>6s}")
    for i in issues:
        print(f"{i.rank:4d} {i.row:6d} {i.line:6d}  {_short(i.text):{_TEXT_WIDTH}s}  {i.given[:10]:>10s} "
              f"{i.suggested[:10]:>10s} {i.confidence:6.3f} {i.score:6.3f}")
    if len(issues) < len(report.issues):
        print(f"... {len(report.issues) - len(issues)} more (--limit, or --json for all)")
    groups = len(report.duplicates)
    print(f"\n{groups} group{'' if groups == 1 else 's'} of duplicate texts with different labels")
    for g in report.duplicates[: limit or 10]:
        print("  lines " + ", ".join(str(ex.lines[r]) for r in g.rows) + ("" if g.exact else " (near)")
              + f": {_short(ex.texts[g.rows[0]])}")
    if report.validation_texts:
        groups = len(report.leakage)
        print(f"{groups} group{'' if groups == 1 else 's'} of texts in both the training and the validation file")
        for g in report.leakage[: limit or 10]:
            print("  training lines " + ", ".join(str(ex.lines[r]) for r in g.train_rows) + "; validation lines "
                  + ", ".join(str(report.validation_lines[r]) for r in g.validation_rows))
    if cleaned:
        print(f"\ncleaned data written to {cleaned}: {cleaned_note}")
    elif cleaned_note:
        print(f"\n{cleaned_note}")


def _clean_note(args: argparse.Namespace, cleaned_rows: int, flagged: int) -> str:
    """What --clean did, in words ("" without it)."""
    if not args.clean:
        return ""
    if not cleaned_rows:
        return (f"no cleaned file written: none of the {flagged} flagged rows has a confidence of "
                f"{args.min_confidence:g} or more (--min-confidence)")
    verb = "relabeled" if args.clean == "relabel" else "dropped"
    return (f"{cleaned_rows} of the {flagged} flagged rows {verb} (those of confidence "
            f"{args.min_confidence:g} or more; --min-confidence)")


def run(args: argparse.Namespace) -> int:
    from workbench.engine.analysis.label_errors import find_label_errors, write_cleaned
    from workbench.engine.errors import ConfigError

    if args.folds < 2:
        raise ConfigError(f"--folds: at least 2 are needed (got {args.folds}).")
    if args.repeats < 1:
        raise ConfigError(f"--repeats: at least 1 is needed (got {args.repeats}).")
    if not 0.0 <= args.min_confidence <= 1.0:
        raise ConfigError(f"--min-confidence: a probability from 0 to 1 is needed (got {args.min_confidence}).")
    config = config_from_args(args)
    report = find_label_errors(config, args.folds, repeats=args.repeats, validation=args.validation, ranking=args.ranking,
                               progress=_progress(args.quiet or args.json))
    cleaned, decisions = None, []
    if args.clean:
        decisions = report.decisions_from_suggestions(args.clean, args.min_confidence)
        if decisions:  # else the copy would equal the original
            cleaned = str(write_cleaned(config.data, decisions, label_column=report.label_column, format=args.format))
    if args.json:
        from workbench.engine.runs import json_safe

        print(json.dumps(json_safe(_as_json(report, cleaned, len(decisions))), ensure_ascii=False, indent=2))
    else:
        _print_text(report, args.limit, cleaned, _clean_note(args, len(decisions), len(report.issues)))
    return 0
