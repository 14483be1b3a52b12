"""ruff, with pyproject's rules (errors, import order, bugbear, a complexity cap), over the code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


def test_ruff_finds_nothing() -> None:
    try:
        import ruff  # noqa: F401  (the test extras install it)
    except ImportError:
        pytest.skip("ruff is not installed: pip install -e '.[test]'")
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "workbench", "tests", "bench"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
