"""Run ``workbench ARGS`` for a test: in this process, or as a real subprocess.

In-process is the default: a subprocess spends about 3 s importing torch and
transformers before it does anything, and the suite runs hundreds of commands. A
traceback in-process is an exception that fails the test, which is stricter than
looking for "Traceback" in a subprocess's stderr. Each command family keeps one
subprocess check of the real entry point (``python -m workbench``).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from workbench.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _checked(done: subprocess.CompletedProcess[str], check: bool) -> subprocess.CompletedProcess[str]:
    if check and done.returncode != 0:
        raise AssertionError(
            f"workbench {' '.join(done.args[1:])} exited {done.returncode}\n"
            f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    return done


def run_workbench(*args: str | os.PathLike[str], check: bool = False) -> subprocess.CompletedProcess[str]:
    """``workbench ARGS`` through ``workbench.cli.main``, its output captured."""
    argv = [os.fspath(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors and --help
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return _checked(subprocess.CompletedProcess(["workbench", *argv], code, out.getvalue(), err.getvalue()), check)


def run_workbench_process(
    *args: str | os.PathLike[str], check: bool = False, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``python -m workbench ARGS`` as a user's terminal runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "workbench", *map(os.fspath, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    done.args = ["workbench", *map(os.fspath, args)]
    return _checked(done, check)
