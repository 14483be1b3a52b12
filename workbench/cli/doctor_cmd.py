"""``workbench doctor``: what this machine gives the workbench, and the fix for what it lacks.

Prints one line per check (Qt's system libraries, display, Chinese font, torch and
its devices, disk, memory, hub, installed checkpoints), marked OK, WARNING or
PROBLEM, with the fix under each; ``--json`` prints one JSON object instead. It is a
report: the exit code is 0 whatever it finds. The checks live in
``workbench.engine.system_check`` (the app's Help ▸ System check… shows the same).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "doctor",
        help="check this machine: Qt's system libraries, display, fonts, torch, GPU, disk, hub",
        description="Check what the workbench needs from this machine and say how to fix what is missing: "
        "the system libraries Qt's window needs, a display, a font with Chinese characters, the torch build "
        "and its devices, free disk and memory, the model hub, and the installed pre-trained checkpoints. "
        "Exits with 0 whatever it finds.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object: the checks and the raw facts")
    p.add_argument("--workspace", type=Path, metavar="DIR",
                   help="where your runs go, for the free-disk check (default: the current folder)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.engine.system_check import run_checks

    report = run_checks(args.workspace)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(report.to_text())
    return 0
