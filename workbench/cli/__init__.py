"""The headless command line: ``workbench train | predict | eval | data ...``.

Each sub-command lives in its own module with ``register(subparsers)``, which
adds a parser whose ``func`` default is ``run(args) -> int``. ``main`` turns the
project's own errors into a one-paragraph message on stderr and exit code 2;
anything else is a bug and keeps its traceback.

With no arguments, ``workbench`` opens the desktop app.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from workbench import __version__
from workbench.engine.errors import WorkbenchError

# Sub-command modules, in the order ``--help`` lists them.
_COMMANDS = (
    "train", "predict", "eval", "compare", "attention", "explain", "embed", "slices", "probe", "label-errors",
    "export", "push", "data", "tokenizer", "tour", "doctor",
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Fine-tune, pre-train and inspect transformer language models. "
        "Run without arguments to open the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        module = importlib.import_module(f"workbench.cli.{name.replace('-', '_')}_cmd")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        from workbench.gui.start import main as gui_main

        return gui_main([])
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or EXIT_OK)
    except WorkbenchError as exc:
        print(f"workbench {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"workbench {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
