"""``workbench tour OUTDIR``: drive the real app offscreen and save one picture per panel."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "tour",
        help="run the app offscreen on its demo and save a PNG per panel",
        description="Starts the real app offscreen, loads the demo data set, fine-tunes for a few dozen steps, "
        "types a sentence into the prediction panel, shows its attention, and saves one PNG of the whole window "
        "per panel into OUTDIR.",
    )
    p.add_argument("outdir", metavar="OUTDIR")
    p.add_argument("--steps", type=int, default=40, help="training steps (default 40)")
    p.add_argument("--model", help="model spec (default: the demo's model)")
    p.add_argument("--language", choices=["en", "zh_CN"], help="interface language (default en)")
    p.add_argument("--data", help="a data set to use instead of the built-in demo")
    p.add_argument("--sentence", help="the sentence typed into the prediction panel")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.gui.tour import run_tour

    run_tour(args.outdir, steps=args.steps, model=args.model, language=args.language, data=args.data,
             sentence=args.sentence)
    return 0
