"""The engine must never import Qt (GUIDE section 2): checked in a clean interpreter."""

from __future__ import annotations

import subprocess
import sys

ENGINE_MODULES = [
    "workbench.engine",
    "workbench.engine.data",
    "workbench.engine.metrics",
    "workbench.engine.encoding",
    "workbench.engine.evaluation",
    "workbench.engine.inference",
    "workbench.engine.models.loading",
    "workbench.engine.training.trainer",
    "workbench.cli",
]


def test_engine_imports_no_qt() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in ENGINE_MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the engine imported Qt modules: {out.stdout.strip()}"


def test_package_import_is_light() -> None:
    """``import workbench.engine`` alone must not pull in torch (the GUI starts before torch loads)."""
    code = "import sys, workbench.engine, workbench.engine.errors; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
