"""``workbench compare``: two classifiers on one labelled file, and where they disagree."""

from __future__ import annotations

import argparse
import json
import sys

# The plain-text report lists this many disagreements (--json lists all of them).
SHOWN_DISAGREEMENTS = 20
TEXT_WIDTH = 60  # characters of each text in the plain-text table


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "compare",
        help="compare two classifiers on a labelled file",
        description="Evaluate two models (run folders, checkpoint folders or model folders) with the same "
        "labels on one file: both accuracies, and the examples where their predictions differ, the most "
        "confident first.",
    )
    p.add_argument("model_a", metavar="A", help="first run, checkpoint or model folder (e.g. an early checkpoint)")
    p.add_argument("model_b", metavar="B", help="second run, checkpoint or model folder (e.g. the final model)")
    p.add_argument("--data", required=True, help="labelled file in the same format as for training")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object: metrics_a, metrics_b and every disagreement")
    p.add_argument("--format", choices=["csv", "tsv", "jsonl"])
    p.add_argument("--text-column")
    p.add_argument("--text-pair-column")
    p.add_argument("--label-column")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--device", default="cpu")
    p.set_defaults(func=run)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run(args: argparse.Namespace) -> int:
    from workbench.engine.data import ColumnMapping
    from workbench.engine.inspection.compare import compare_models

    mapping = None
    if args.text_column:
        mapping = ColumnMapping(args.text_column, args.text_pair_column, args.label_column)
    comparison = compare_models(args.model_a, args.model_b, args.data, mapping=mapping,
                                batch_size=args.batch_size, format=args.format, device=args.device)
    a, b = comparison.summary("a"), comparison.summary("b")
    if args.json:
        out = {
            "a": comparison.spec_a, "b": comparison.spec_b, "examples": len(comparison),
            "metrics_a": a, "metrics_b": b,
            "disagreements": comparison.disagreement_rows(),
        }
        json.dump(out, sys.stdout, ensure_ascii=False)
        print()
        return 0
    n = len(comparison)
    print(f"A  {comparison.spec_a}\n   accuracy {a['accuracy']:.4f}  f1_macro {a['f1_macro']:.4f}  loss {a['loss']:.4f}")
    print(f"B  {comparison.spec_b}\n   accuracy {b['accuracy']:.4f}  f1_macro {b['f1_macro']:.4f}  loss {b['loss']:.4f}")
    print(f"\n{len(comparison.disagreements)} of {n} examples predicted differently")
    rows = comparison.disagreement_rows(SHOWN_DISAGREEMENTS)
    if rows:
        print(f"\n{'text':{TEXT_WIDTH}s}  {'label':12s} {'A':12s} {'B':12s} {'conf A':>6s} {'conf B':>6s}")
        for row in rows:
            print(f"{_cut(row['text'], TEXT_WIDTH):{TEXT_WIDTH}s}  {row['label'][:12]:12s} {row['a'][:12]:12s} "
                  f"{row['b'][:12]:12s} {row['conf_a']:6.3f} {row['conf_b']:6.3f}")
        if len(comparison.disagreements) > SHOWN_DISAGREEMENTS:
            print(f"… and {len(comparison.disagreements) - SHOWN_DISAGREEMENTS} more (--json lists all)")
    return 0
