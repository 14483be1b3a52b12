"""``workbench slices``: the task's metrics on named groups of examples, with bootstrap intervals.

The data is read as ``workbench eval`` reads it (``EvalData``: a named file, or without
``--data`` the data a run validated on) and evaluated once (``evaluate_model``); then each
slice's size, metrics, interval and gap to the whole set (``engine/analysis/slices.py``).
A run folder keeps its slices in ``RUN/slices.json``: they are read back and evaluated again
next time, together with the ``--slice`` ones (a ``--slice`` of the same name replaces one).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from workbench.cli.data_args import add_eval_data_options, eval_source
from workbench.engine.errors import ConfigError, DatasetError
from workbench.engine.tasks.registry import TASKS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "slices",
        help="metrics per slice of the data (regex, keyword, column, length, label, ids) with confidence intervals",
        description="Evaluates the model once, then scores each slice with the task's own metrics, a bootstrap "
        "confidence interval of the headline metric and its gap to the whole set; slices whose interval leaves out "
        "the whole set's value are flagged. Slices per gold label and per length quartile are added unless "
        "--no-suggestions. A run folder saves its slices in RUN/slices.json and reads them back next time.",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("--data", help="labelled file, read as workbench eval reads it (default, for a run folder: "
                   "the data it validated on)")
    p.add_argument("--slice", dest="slices", action="append", default=[], metavar="NAME=REGEX",
                   help="a slice: NAME=REGEX (case-insensitive), or NAME:KIND=VALUE with KIND keyword (words, "
                   "comma-separated), column (COLUMN=VALUE), length (LO-HI words), gold or predicted (a label), "
                   "ids (line numbers or ids, comma-separated, or a file of them), selection (example indices); "
                   "repeat for several")
    p.add_argument("--samples", type=int, default=1000, help="bootstrap resamples per slice (default 1000)")
    p.add_argument("--confidence", type=float, default=0.95, help="the interval's confidence (default 0.95)")
    p.add_argument("--seed", type=int, default=0, help="the bootstrap's seed (default 0)")
    p.add_argument("--no-suggestions", dest="suggest", action="store_false",
                   help="leave out the slices per gold label and per length quartile")
    p.add_argument("--no-save", dest="save", action="store_false",
                   help="do not write RUN/slices.json (nor read the slices saved there)")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.add_argument("--task", choices=TASKS)
    add_eval_data_options(p)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--device", default="cpu")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.add_argument("--trust-remote-code", action="store_true")
    p.set_defaults(func=run)


def _check_numbers(args: argparse.Namespace) -> None:
    if args.samples < 0:
        raise ConfigError(f"--samples {args.samples}: give 0 (no intervals) or more resamples.")
    if not 0.0 < args.confidence < 1.0:
        raise ConfigError(f"--confidence {args.confidence}: give a fraction between 0 and 1, e.g. 0.95.")


def _merged(saved: list[Any], given: list[Any]) -> list[Any]:
    """The saved slices, those named again on the command line replaced, then the new ones."""
    by_name = {spec.name: spec for spec in saved}
    by_name.update({spec.name: spec for spec in given})
    return list(by_name.values())


def run(args: argparse.Namespace) -> int:
    from types import SimpleNamespace

    from workbench.engine.analysis.slices import load_slices, parse_slice, save_slices, slice_report
    from workbench.engine.eval_data import run_folder_of
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor

    _check_numbers(args)
    given = [parse_slice(text) for text in args.slices]  # before loading: a typo fails fast
    source = eval_source(args)
    run_dir = run_folder_of(args.model) if args.save else None
    specs = _merged(load_slices(run_dir) if run_dir else [], given)
    predictor = Predictor.load(args.model, task=args.task, allow_pickle=args.allow_pickle,
                               trust_remote_code=args.trust_remote_code, device=args.device)
    if args.data is None:
        print(f"workbench slices: evaluating on {source.description}", file=sys.stderr)
    labelled = predictor.task_spec.labelled
    examples, note = source.examples(predictor.task, predictor.label_names if labelled else None,
                                     label_separator=predictor.label_separator)
    if note:
        print(f"workbench slices: note: {note}", file=sys.stderr)
    if labelled and examples.labels is None:
        raise DatasetError("no label column found; slices need labels (use --label-column).", path=source.path)
    result = evaluate_model(predictor, examples, batch_size=args.batch_size)
    outcome = SimpleNamespace(predictor=predictor, examples=examples, result=result)
    rows = slice_report(outcome, specs, samples=args.samples, confidence=args.confidence, seed=args.seed,
                        suggest=args.suggest)
    saved = save_slices(run_dir, specs, rows) if run_dir else None
    if args.json:
        report = {"headline": rows[0].headline, "confidence": args.confidence, "samples": args.samples,
                  "seed": args.seed, "saved": str(saved) if saved else None,
                  "slices": [row.to_dict() for row in rows]}
        json.dump(report, sys.stdout, ensure_ascii=False)
        print()
        return 0
    _print_table(rows, args.confidence)
    if saved:
        print(f"\nslices saved in {saved}")
    return 0


def _print_table(rows: list[Any], confidence: float) -> None:
    def figure(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    print(f"{'slice':24s} {'size':>6s} {rows[0].headline:>16s} {f'{confidence:.0%} interval':>19s} {'gap':>8s}")
    for row in rows:
        interval = f"[{figure(row.low)}, {figure(row.high)}]" if row.low is not None else ""
        gap = "" if row.gap is None or row.spec.kind == "all" else f"{row.gap:+.4f}"
        mark = "  FLAGGED" if row.flagged else ""
        print(f"{row.spec.name[:24]:24s} {row.size:6d} {figure(row.value):>16s} {interval:>19s} {gap:>8s}{mark}")
