"""The command line starts without importing torch where a command does not need it.

``workbench --help`` once took 12 s on busy cores: building the parser imported the
embedding module for its option names, and that imported torch through the evaluation
loop. Reading a data file needs no model either.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"

CHECK = """
import contextlib, io, sys
from workbench.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit_:
        code = exit_.code
heavy = sorted(name for name in ("torch", "transformers", "onnx") if name in sys.modules)
print(code, ",".join(heavy) or "-")
"""


def imports_after(*args: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", CHECK, *args], capture_output=True, text=True, timeout=120, check=True)
    code, heavy = done.stdout.split()
    return code, heavy


def test_help_imports_no_torch() -> None:
    assert imports_after("--help") == ("0", "-")


def test_data_report_imports_no_torch() -> None:
    assert imports_after("data", str(GOOD / "label_first.csv")) == ("0", "-")
