"""Hostile files through every engine load path (issue 7, item 5): no code runs, a clear refusal.

Paths: ``load_pretrained`` (what the GUI's model panel and training use),
``Predictor.load`` (prediction, evaluation, attention, the GUI's prediction
panel) and resuming a run whose latest checkpoint is hostile. Also a scan of
the source: no ``torch.load`` without ``weights_only=True``, no remote code by
default, no pickle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.reliability_kit import (
    HOSTILE_KINDS,
    hostile_run_folder,
    make_hostile,
    sst2_slice,
    tiny_classifier,
)
from workbench.engine.errors import WorkbenchError
from workbench.engine.inference import Predictor
from workbench.engine.models.loading import load_pretrained, resolve_spec
from workbench.engine.models.safetensors_check import safetensors_problems
from workbench.engine.training.trainer import Trainer

# What each refusal must say (and so what the user can do about it).
EXPLAINS = {
    "pickle_weights": "pickle",
    "auto_map_model": "auto_map",
    "auto_map_tokenizer": "auto_map",
    "header_past_eof": "past the end of the file",
    "enormous_header": "over the",
    "bad_json_header": "not valid JSON",
    "overlapping_offsets": "overlap",
    "shape_size_mismatch": "needs",
}


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
def test_hostile_model_folder_runs_no_code(kind: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    folder = make_hostile(kind, tmp_path / "model", sentinel)
    for load in (
        lambda: load_pretrained(resolve_spec(str(folder)), "classification", ["a", "b"]),
        lambda: Predictor.load(str(folder)),
    ):
        with pytest.raises(WorkbenchError, match=re.escape(EXPLAINS[kind])):
            load()
    assert not sentinel.exists()


@pytest.mark.parametrize("kind", ["pickle_weights", "auto_map_model", "overlapping_offsets", "enormous_header"])
def test_hostile_checkpoint_is_refused_on_resume(kind: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    train, dev = sst2_slice(tmp_path / "data")
    run = hostile_run_folder(kind, tmp_path / "run", sentinel, tiny_classifier(train, dev, tmp_path / "run"))
    with pytest.raises(WorkbenchError) as info:
        list(Trainer(tiny_classifier(train, dev, run), resume_from=run).run())
    assert "step-0000004" in str(info.value)
    assert not sentinel.exists()


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_opt_in_is_explicit_and_still_safe_for_pickle(tmp_path: Path) -> None:
    """Even with --allow-pickle-weights, transformers unpickles with weights_only=True: no code runs."""
    sentinel = tmp_path / "sentinel"
    folder = make_hostile("pickle_weights", tmp_path / "model", sentinel)
    with pytest.raises(WorkbenchError, match="objects other than tensors"):
        load_pretrained(resolve_spec(str(folder)), "classification", ["a", "b"], allow_pickle=True)
    assert not sentinel.exists()


def test_valid_safetensors_pass_the_check(tmp_path: Path) -> None:
    import torch
    from safetensors.torch import save_file

    path = tmp_path / "ok.safetensors"
    save_file({"a": torch.zeros(3, 4), "b": torch.ones(2, dtype=torch.int64), "empty": torch.zeros(0)}, str(path))
    assert safetensors_problems(path) == []
    path.write_bytes(b"\x01\x02")
    assert "too short" in safetensors_problems(path)[0]


# --- the source scan -------------------------------------------------------------------------

SOURCES = sorted([*(REPO / "workbench").rglob("*.py"), *(REPO / "bench").glob("*.py")])


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return f"{_name(func.value)}.{func.attr}"
    return func.id if isinstance(func, ast.Name) else "?"


def unsafe_loading(source: str, where: str) -> list[str]:
    """Every call or default in ``source`` that could unpickle or run a model's own code."""
    tree = ast.parse(source)
    problems = []
    for call in _calls(tree):
        name = _name(call.func)
        keywords = {k.arg: k.value for k in call.keywords}
        if name.endswith("torch.load"):
            value = keywords.get("weights_only")
            if not (isinstance(value, ast.Constant) and value.value is True):
                problems.append(f"{where}:{call.lineno}: torch.load without weights_only=True")
        if name in ("pickle.load", "pickle.loads", "dill.load", "joblib.load"):
            problems.append(f"{where}:{call.lineno}: {name} (unpickling runs code)")
        value = keywords.get("trust_remote_code")
        if isinstance(value, ast.Constant) and value.value is True:
            problems.append(f"{where}:{call.lineno}: trust_remote_code=True")
        value = keywords.get("allow_pickle")
        if name in ("numpy.load", "np.load") and isinstance(value, ast.Constant) and value.value is True:
            problems.append(f"{where}:{call.lineno}: np.load(allow_pickle=True)")
    risky = ("trust_remote_code", "allow_pickle")
    for node in ast.walk(tree):  # defaults: def f(trust_remote_code=True), a dataclass field = True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            pairs = list(zip(args.args[len(args.args) - len(args.defaults):], args.defaults))
            pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
            problems += [f"{where}:{node.lineno}: {a.arg} defaults to True" for a, d in pairs
                         if a.arg in risky and isinstance(d, ast.Constant) and d.value is True]
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id in risky
                and isinstance(node.value, ast.Constant) and node.value.value is True):
            problems.append(f"{where}:{node.lineno}: {node.target.id} defaults to True")
    return problems


def test_source_has_no_unsafe_loading() -> None:
    assert len(SOURCES) > 50  # the scan did look at the project
    problems = [p for path in SOURCES for p in unsafe_loading(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))]
    assert problems == []


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan can fail: it flags each kind of unsafe code."""
    bad = (
        "import torch, pickle\n"
        "x = torch.load('f.pt')\n"
        "y = torch.load('f.pt', weights_only=False)\n"
        "z = pickle.load(open('f', 'rb'))\n"
        "def f(trust_remote_code: bool = True): pass\n"
        "AutoModel.from_pretrained('m', trust_remote_code=True)\n"
        "class C:\n    allow_pickle: bool = True\n"
        "ok = torch.load('f.pt', weights_only=True)\n"
    )
    found = unsafe_loading(bad, "bad.py")
    assert [p.split(":")[1] for p in found] == ["2", "3", "4", "6", "5", "8"], found
