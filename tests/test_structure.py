"""Issue 15's structure contracts ("one home per task", layers without cycles), on the source.

- Task names are compared, and tables keyed by them kept, only in the task homes
  (``workbench/engine/tasks/``, ``workbench/gui/tasks/``); everything else asks the
  ``Task`` object (``get_task(name).something``) or its view.
- No import cycle among the workbench's modules. Every import counts, those inside
  functions and under ``if TYPE_CHECKING:`` too: a function-level import is still a
  dependency, only a hidden one.
- ``workbench.engine.data`` imports nothing from ``workbench.engine.tasks`` (data sits below
  the tasks).
- pyproject's import-linter contracts hold (``lint-imports``, run below like ruff in
  test_lint.py).
- No engine function is longer than 80 lines.

The GUI-imports-no-CLI rule, the Qt-free engine, panels apart and private names are
tests/engine/test_layers.py's; its scan of the imports is reused here. The package itself
is not imported, only the task registry (for the task names). Each failure lists its
places as ``path:line``.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.engine.test_layers import ALL as IMPORTS
from tests.engine.test_layers import PACKAGE, Import
from workbench.engine.tasks.registry import all_tasks

TASK_NAMES = frozenset(task.name for task in all_tasks())
TASK_HOMES = ("workbench/engine/tasks/", "workbench/gui/tasks/")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


FILES = sorted(PACKAGE.rglob("*.py"))
MODULES = frozenset(_module_name(path) for path in FILES)


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


# --- task names outside the task homes -------------------------------------------------


def _strings(node: ast.AST) -> set[str]:
    """The string constants a comparison operand or dict key is, or holds (``in ("a", "b")``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def task_name_uses(tree: ast.AST, names: frozenset[str]) -> list[int]:
    """Lines that compare with a task name, key a dict by one, or match on one."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            hit = any(_strings(operand) & names for operand in (node.left, *node.comparators))
        elif isinstance(node, ast.Dict):
            hit = any(key is not None and _strings(key) & names for key in node.keys)
        elif isinstance(node, ast.MatchValue):  # also each value of ``case "a" | "b":``
            hit = bool(_strings(node.value) & names)
        else:
            continue
        if hit:
            lines.append(node.lineno)
    return sorted(lines)


def test_the_task_name_scan_finds_each_form():
    # Guards against a scan that silently finds nothing and passes.
    source = (
        'if task == "multi-label":\n'  # 1
        '    pass\n'
        'HEADS = {"causal-lm": 1, "other": 2}\n'  # 3
        'ok = task not in ("masked-lm", "causal-lm")\n'  # 4
        'match task:\n'
        '    case "classification" | "x":\n'  # 6
        '        pass\n'
        'default = "classification"\n'  # an assignment: fine
        'get_task("classification")\n'  # asking the registry: fine
        'fine = task == "summary"\n'  # not a task name
    )
    assert task_name_uses(ast.parse(source), TASK_NAMES) == [1, 3, 4, 6]
    assert {"classification", "multi-label", "question-answering"} <= TASK_NAMES


def test_no_task_names_outside_the_task_homes():
    places = []
    for path in FILES:
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(TASK_HOMES):
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        places += [
            f"{rel}:{line}: {lines[line - 1].strip()}"
            for line in task_name_uses(ast.parse(source, filename=rel), TASK_NAMES)
        ]
    assert not places, (
        f"{len(places)} comparisons with task names, or tables keyed by them, outside "
        f"{' and '.join(TASK_HOMES)} (ask the Task object instead):\n" + "\n".join(places)
    )


# --- import cycles -----------------------------------------------------------------------


def _targets(imp: Import) -> set[str]:
    """The workbench modules an import statement names: ``from pkg import mod`` names pkg.mod."""
    named = [f"{imp.target}.{name}" for name in imp.names] or [imp.target]
    found = set()
    for name in named:
        if name not in MODULES:
            name = imp.target
        while name and name not in MODULES:  # an attribute path: its nearest module
            name = name.rpartition(".")[0]
        if name and name != imp.module:
            found.add(name)
    return found


def import_graph(imports: list[Import]) -> dict[str, dict[str, list[Import]]]:
    """module -> imported module -> the statements that import it."""
    graph: dict[str, dict[str, list[Import]]] = {module: defaultdict(list) for module in MODULES}
    for imp in imports:
        if _is_under(imp.target, "workbench"):
            for target in _targets(imp):
                graph[imp.module][target].append(imp)
    return graph


def strongly_connected(graph: dict[str, dict[str, list[Import]]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that import one another (more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def test_cycle_finder_finds_a_hidden_cycle():
    a, b, c = "workbench.engine.errors", "workbench.engine.runs", "workbench.gui.app"
    graph: dict[str, dict[str, list[Import]]] = {m: {} for m in (a, b, c)}
    graph[a][b] = graph[b][a] = graph[c][a] = []
    assert strongly_connected(graph) == [sorted([a, b])]


def registry_imports() -> list[Import]:
    """The task modules the registry imports at run time (pkgutil finds them), which no import statement names."""
    registry = "workbench.engine.tasks.registry"
    path = "workbench/engine/tasks/registry.py"
    line = next(n for n, text in enumerate((REPO / path).read_text(encoding="utf-8").splitlines(), 1)
                if "importlib.import_module(" in text)
    return [Import(registry, path, line, module, ()) for module in sorted(MODULES)
            if _is_under(module, "workbench.engine.tasks") and module.count(".") == 3 and module != registry]


def test_no_import_cycles():
    graph = import_graph([*IMPORTS, *registry_imports()])
    reports = []
    for group in strongly_connected(graph):
        members = set(group)
        statements = sorted(
            {str(imp) for module in group for target, imps in graph[module].items()
             if target in members for imp in imps}
        )
        reports.append(f"{len(group)} modules import one another: {', '.join(group)}\n  "
                       + "\n  ".join(statements))
    assert not reports, f"import cycles: {len(reports)}\n" + "\n".join(reports)


# --- layers -------------------------------------------------------------------------------


def test_data_does_not_import_the_tasks():
    bad = [
        imp for imp in IMPORTS
        if _is_under(imp.module, "workbench.engine.data")
        and (_is_under(imp.target, "workbench.engine.tasks")
             or imp.target == "workbench.engine" and "tasks" in imp.names)
    ]
    assert not bad, "workbench.engine.data must not import workbench.engine.tasks:\n" + "\n".join(
        str(imp) for imp in bad
    )


def test_import_linter_contracts():
    try:
        import importlinter  # noqa: F401  (the test extras install it)
    except ImportError:
        pytest.skip("import-linter is not installed: pip install -e '.[test]'")
    # The console script beside this interpreter (a venv's bin/ need not be on PATH).
    script = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports"
    )
    assert script, "import-linter is installed but its lint-imports script is not found"
    # --no-cache: no .import_linter_cache folder in the work tree (the graph takes 0.3 s).
    proc = subprocess.run([script, "--no-cache", "--no-logo"], cwd=REPO, capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


ENGINE_FUNCTION_LINES = 80  # issue 15: "no function over 80 lines in the engine"


def test_no_long_functions_in_the_engine():
    """Long units hide several steps: an engine function over 80 lines is split into named ones."""
    long = []
    for path in sorted((REPO / "workbench" / "engine").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > ENGINE_FUNCTION_LINES:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "\n".join(long)
