"""``workbench probe``: bias probes of a classifier (term swaps, one word inserted or removed, templates).

Each text of ``--data`` (default: the data the run validated on) that holds a term is re-predicted
with the term swapped (``--swap gender``), or with a word added or deleted (``--insert W``,
``--remove W``); ``--template`` sentences need no data. The report gives the flip rate and the mean
shift of the predicted label's probability per pair of groups, with the examples that flip.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.engine.analysis.probes import BUILTIN_LISTS
from workbench.engine.data import FORMATS
from workbench.engine.errors import ConfigError
from workbench.engine.reports import fixed


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "probe",
        help="bias probes: how often predictions change when terms are swapped, a word is added or removed",
        description="Re-predict every text that holds a term of a list with it swapped for each other group's "
        "term (gender, nationality, religion, or a JSON file of the same shape), or with one word inserted or "
        "removed: the flip rate and the mean shift of the predicted label's probability per pair of groups, and "
        "the examples that flip. --template fills sentences with each group's terms instead (no data needed).",
    )
    p.add_argument("model", metavar="RUN_OR_MODEL_DIR")
    p.add_argument("--data", help="labelled file to probe (default, for a run folder: the data it validated on)")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--swap", metavar="LIST", help=f"a term list: {', '.join(BUILTIN_LISTS)} or FILE.json")
    what.add_argument("--insert", metavar="WORD", help="prepend WORD to every text that lacks it")
    what.add_argument("--remove", metavar="WORD", help="delete WORD from every text that has it")
    what.add_argument("--template", metavar="SENTENCE", action="append",
                      help='a sentence with {term}, e.g. "{term} is a great doctor." (repeatable; "default": the '
                      "built-in templates); filled with the --terms list's groups")
    p.add_argument("--terms", default="gender", help="the term list templates use (default: gender)")
    p.add_argument("--language", choices=("en", "zh"),
                   help="match every text as English (whole words) or Chinese (substrings); default: per text")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.add_argument("--html", metavar="OUT.html", help="also write the report as a self-contained HTML page")
    p.add_argument("--show", type=int, default=5, metavar="N", help="flipping examples printed per pair (default 5)")
    p.add_argument("--format", choices=FORMATS, help="the --data file's format (default: detected)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--device", default="cpu")
    p.add_argument("--allow-pickle-weights", dest="allow_pickle", action="store_true")
    p.set_defaults(func=run)


def _texts(args: argparse.Namespace, predictor: Any) -> tuple[list[str], str]:
    from workbench.engine.eval_data import EvalData, default_eval_data

    source = default_eval_data(args.model) if args.data is None else EvalData(args.data, None, args.format)
    if args.data is None:
        print(f"workbench probe: probing {source.description}", file=sys.stderr)
    examples, _note = source.examples(predictor.task, predictor.label_names, label_separator=None)
    if examples.text_pairs is not None:
        raise ConfigError("bias probes read one text per example; this data has text pairs.")
    return list(examples.texts), str(source.path)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\rworkbench probe: {done}/{total} texts predicted", end="" if done < total else "\n",
              file=sys.stderr)


def _print_report(report: Any, show: int) -> None:
    if report.probe == "template":
        for t in report.templates:
            print(t.template)
            for group, means in t.means.items():
                print(f"  {group:16s} " + "  ".join(f"p({n})={v:.3f}" for n, v in means.items()))
            print(f"  {'gap':16s} " + "  ".join(f"{n}={fixed(v, 3)}" for n, v in t.gaps.items()))
        return
    print(f"{'from':18s} {'to':18s} {'examples':>8s} {'flips':>6s} {'flip rate':>9s} {'mean shift':>10s}")
    for p in report.pairs:
        print(f"{p.from_group[:18]:18s} {p.to_group[:18]:18s} {p.examples:8d} {p.flips:6d} {p.flip_rate:9.3f} "
              f"{fixed(p.mean_shift, 4):>10s}")
    if not report.pairs:
        print("no text held a term of the list")
    print(f"\nflip rate over all pairs: {report.flip_rate:.4f} ({report.num_texts} texts)")
    for p in report.pairs:
        for f in p.flipped[:show]:
            print(f"\n[{p.from_group} -> {p.to_group}] #{f.index} {f.label} ({f.probability:.3f}) -> "
                  f"{f.swapped_label} (p({f.label})={f.swapped_probability:.3f})\n  {f.text}\n  {f.swapped}")


def run(args: argparse.Namespace) -> int:
    from workbench.engine.analysis import probes
    from workbench.engine.inference import Predictor
    from workbench.engine.runs import atomic_write_text, json_safe

    predictor = Predictor.load(args.model, allow_pickle=args.allow_pickle, device=args.device)
    probes.check_predictor(predictor)  # before reading any data
    options: dict[str, Any] = {"batch_size": args.batch_size, "progress": _progress}
    data = ""
    if args.template:
        templates = None if args.template == ["default"] else args.template
        report = probes.template_probe(predictor, templates, args.terms, language=args.language, **options)
    else:
        texts, data = _texts(args, predictor)
        if args.swap:
            report = probes.swap_probe(predictor, texts, args.swap, language=args.language, **options)
        else:
            report = probes.token_probe(predictor, texts, args.insert or args.remove, insert=bool(args.insert),
                                        **options)
    report.model, report.data = str(args.model), data
    if args.html:
        atomic_write_text(Path(args.html), probes.report_html(report))
    if args.json:
        json.dump(json_safe(report.as_json()), sys.stdout, ensure_ascii=False)
        print()
    else:
        _print_report(report, args.show)
    return 0
