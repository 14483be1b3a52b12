"""The runs panel's engine never deletes or moves more than the run the user sees, and a
dead run is recognised whatever its files look like (issue: robust under random use)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.engine import background
from workbench.engine.errors import CheckpointError
from workbench.engine.run_index import (
    FAILED,
    MetricsTail,
    archive_run,
    delete_run,
    find_runs,
    run_status,
    runs_inside,
    scan_workspace,
    workspace_problem,
)
from workbench.engine.runs import RunFolder
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig


def _run(path: Path, steps: int = 2, final: bool = True) -> Path:
    """A small but real run folder: config, steps, and (when ``final``) a finished event."""
    run = RunFolder(path)
    run.create()
    TrainConfig(data="train.tsv", model="bert-tiny", output=str(path)).save(run.config_path)
    for step in range(1, steps + 1):
        run.append_metric(ev.StepLogged(step, steps, 0.1 * step, 0.7, 1e-3, 1.0, 10.0, 0.1, 1.0).to_record())
    if final:
        run.append_metric(ev.TrainFinished(steps, {"eval_accuracy": 0.5}).to_record())
        run.write_summary({"status": "finished", "eval_accuracy": 0.5, "steps": steps})
    return path


def _dead_process(run: Path, log: str) -> None:
    """process.json naming a process that has already exited, and its log."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    info = background.ProcessInfo(child.pid, 0.0, ["workbench", "train"], 1, "")
    (run / background.PROCESS_FILE).write_text(json.dumps(info.to_dict()), encoding="utf-8")
    (run / background.PROCESS_LOG).write_text(log, encoding="utf-8")


def test_a_run_folder_or_a_folder_inside_one_cannot_be_the_workspace(tmp_path: Path) -> None:
    run = _run(tmp_path / "ws" / "finished-run")
    assert workspace_problem(tmp_path / "ws") is None
    assert workspace_problem(tmp_path / "ws" / "not-yet-made") is None  # created at the first Start
    problem = workspace_problem(run)
    assert problem and "is a run folder" in problem and str(tmp_path / "ws") in problem
    (run / "sub").mkdir()
    assert "inside the run folder" in (workspace_problem(run / "sub") or "")
    assert "inside the run folder" in (workspace_problem(run / "checkpoints" / "step-1") or "")


def test_a_folder_nobody_can_write_to_cannot_be_the_workspace(tmp_path: Path) -> None:
    problem = workspace_problem("/proc")
    assert problem and "cannot write" in problem


def test_runs_written_inside_another_run_are_listed_and_protect_it(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    outer = _run(ws / "outer")
    inner = _run(outer / "inner")  # an older version let "outer" be the workspace
    assert find_runs(ws) == [outer, inner]
    assert [info.name for info in scan_workspace(ws)] == ["outer", "inner"]
    assert runs_inside(outer) == [inner]

    with pytest.raises(CheckpointError, match=r"holds 1 other run\(s\) \(inner\)"):
        delete_run(outer, ws)
    with pytest.raises(CheckpointError, match="holds 1 other run"):
        archive_run(outer, ws)
    assert (inner / "metrics.jsonl").is_file() and (outer / "metrics.jsonl").is_file()  # nothing was lost

    delete_run(inner, ws)  # the inner one first, then the outer one goes alone
    delete_run(outer, ws)
    assert not outer.exists()


def test_the_workspace_itself_is_never_archived_or_deleted(tmp_path: Path) -> None:
    ws = _run(tmp_path / "ws")  # a workspace that is also a run folder (chosen by an older version)
    with pytest.raises(CheckpointError, match="workspace"):
        archive_run(ws, ws)  # was: shutil.Error "Cannot move a directory into itself"
    with pytest.raises(CheckpointError, match="workspace"):
        delete_run(ws, ws)
    assert (ws / "metrics.jsonl").is_file()


def test_a_torn_last_line_is_not_unread_data(tmp_path: Path) -> None:
    path = _run(tmp_path / "run", final=False) / "metrics.jsonl"
    with open(path, "ab") as handle:
        handle.write(b'{"event": "step", "step": 3, "loss"')  # the process died mid-write
    tail = MetricsTail(path)
    assert [r["step"] for r in tail.read()] == [1, 2]
    assert tail.at_end  # was False forever: the follow polled on a 0 ms timer and never ended
    assert tail.leftover() == b'{"event": "step", "step": 3, "loss"'
    with open(path, "ab") as handle:  # a live writer finishes its line: it is read then
        handle.write(b': 0.3}\n')
    assert not tail.at_end and [r["step"] for r in tail.read()] == [3] and tail.leftover() == b""


def test_a_run_refused_before_its_first_step_is_failed_with_its_reason(tmp_path: Path) -> None:
    run = tmp_path / "bf16-on-cpu"
    run.mkdir()
    TrainConfig(data="train.tsv", model="bert-tiny", precision="bf16", output=str(run)).save(run / "config.json")
    _dead_process(run, "--- 2026-12-06: workbench train ...\nworkbench train: error: precision: bf16 mixed "
                       "precision needs a GPU; use fp32 (or auto) on the CPU.\n")
    assert run_status(run) == FAILED  # was "crashed", with the reason only in process.log
    info = scan_workspace(tmp_path)[0]
    assert info.status == FAILED and "bf16 mixed precision needs a GPU" in info.problem


def test_a_process_that_died_without_a_word_is_crashed(tmp_path: Path) -> None:
    run = _run(tmp_path / "killed", final=False)
    _dead_process(run, "Killed\n")
    assert run_status(run) == "crashed"


def test_a_setting_the_engine_refuses_is_refused_before_a_process_or_folder_exists(tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("fp16 is allowed with a GPU")
    # fp16, not bf16: bf16 runs on CPUs with AVX-512 BF16 or AMX (issue 19).
    config = TrainConfig(data="train.tsv", model="bert-tiny", precision="fp16", output=str(tmp_path / "run"))
    with pytest.raises(Exception, match="needs a GPU"):
        background.launch_run(config)
    assert not (tmp_path / "run").exists()


def test_one_malformed_run_does_not_hide_the_others(tmp_path: Path) -> None:
    good = _run(tmp_path / "good")
    bad = _run(tmp_path / "bad", final=False)
    with open(bad / "metrics.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"event": "eval", "step": 2, "metrics": "not a dict"}) + "\n")
    runs = {info.name: info for info in scan_workspace(tmp_path)}
    assert set(runs) == {"good", "bad"} and runs["good"].metrics == {"eval_accuracy": 0.5}
    assert runs["bad"].metrics == {}
    assert good.exists()
