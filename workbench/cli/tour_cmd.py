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
    # The options live with the tour (``python -m workbench.gui.tour`` takes the same ones);
    # that module imports Qt only when the tour runs.
    from workbench.gui.tour import add_arguments

    add_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.gui.tour import run_from_args

    return run_from_args(args)
