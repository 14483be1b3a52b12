"""Layers as contracts (issue 15, item 4): the import rules the architecture
relies on, checked on the source with ``ast`` so no Qt is needed.

Every import counts, including those inside functions: a function-level import
is still a dependency, only a hidden one.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "workbench"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    path: str  # its file, relative to the repository root
    line: int
    target: str  # the imported module, absolute and dotted
    names: tuple[str, ...]  # names taken with ``from target import ...``

    def __str__(self) -> str:
        what = f"from {self.target} import {', '.join(self.names)}" if self.names else (
            f"import {self.target}"
        )
        return f"{self.path}:{self.line}: {what}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of a (possibly relative) ``from`` import."""
    if level == 0:
        return target or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _imports(path: Path) -> list[Import]:
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    rel = str(path.relative_to(ROOT))
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=rel)):
        if isinstance(node, ast.Import):
            found.extend(Import(module, rel, node.lineno, alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node.level, node.module)
            found.append(
                Import(module, rel, node.lineno, target, tuple(a.name for a in node.names))
            )
    return found


def _all_imports() -> list[Import]:
    return [imp for path in sorted(PACKAGE.rglob("*.py")) for imp in _imports(path)]


ALL = _all_imports()


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _report(bad: list[Import]) -> str:
    return "\n".join(str(imp) for imp in bad)


def test_the_scan_sees_the_package():
    # Guards against a scan that silently finds nothing and passes every rule.
    modules = {imp.module for imp in ALL}
    assert "workbench.engine.training.trainer" in modules
    assert "workbench.gui.main_window" in modules
    assert any(_is_under(imp.target, "PySide6") for imp in ALL)


@pytest.mark.parametrize("forbidden", ["PySide6", "pyqtgraph", "workbench.gui", "workbench.cli"])
def test_engine_imports_no_qt_gui_or_cli(forbidden):
    bad = [
        imp
        for imp in ALL
        if _is_under(imp.module, "workbench.engine") and _is_under(imp.target, forbidden)
    ]
    assert not bad, f"the engine must not import {forbidden}:\n{_report(bad)}"


def test_gui_imports_no_cli():
    bad = [
        imp
        for imp in ALL
        if _is_under(imp.module, "workbench.gui") and _is_under(imp.target, "workbench.cli")
        # ``from workbench import cli`` names the package through its parent.
        or _is_under(imp.module, "workbench.gui") and imp.target == "workbench"
        and "cli" in imp.names
    ]
    assert not bad, f"the GUI must not import the CLI:\n{_report(bad)}"


def test_panels_do_not_import_each_other():
    panels = "workbench.gui.panels"
    bad = [
        imp
        for imp in ALL
        if imp.module.startswith(panels + ".")
        and (
            imp.target.startswith(panels + ".")
            and imp.target != imp.module
            or imp.target == panels
            and any(name != "__init__" for name in imp.names)
        )
    ]
    assert not bad, (
        "panels must not import each other (shared widgets live in workbench/gui/widgets/):\n"
        + _report(bad)
    )


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_module_imports_anothers_private_names():
    bad = [
        imp
        for imp in ALL
        if imp.target != imp.module
        and _is_under(imp.target, "workbench")
        and any(_is_private(name) for name in imp.names)
    ]
    assert not bad, f"private names imported across modules:\n{_report(bad)}"
