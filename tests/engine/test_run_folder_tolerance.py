"""Malformed run folders are data, not errors (issue 20, item 3).

Every reader of a run folder meets a workspace of broken folders built here
(tests/broken_runs.py): the scan lists each with what is wrong, the two intact runs
read as if alone, and nothing raises anything but the project's readable errors.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.broken_runs import BROKEN, GOOD, build_workspace
from workbench.engine.background import read_process
from workbench.engine.errors import CheckpointError, ModelError
from workbench.engine.eval_data import reported_validation_size
from workbench.engine.run_index import (
    MetricsTail,
    archive_run,
    describe_run,
    model_spec,
    run_status,
    scan_workspace,
)
from workbench.engine.runs import RunFolder, parse_json_lines, read_json_object

# The file each broken folder's problem must name (folders whose damage the scan does not
# read - a torn last line while a run writes, an eval record of the wrong shape, a bad model/ -
# are listed without one).
NAMED_FILE = {
    "metrics-not-utf8": "metrics.jsonl", "metrics-wrong-types": "metrics.jsonl",
    "metrics-binary": "metrics.jsonl", "metrics-is-a-folder": "metrics.jsonl",
    "config-bad-json": "config.json", "config-a-list": "config.json", "config-wrong-types": "config.json",
    "config-not-utf8": "config.json", "empty-files": "config.json",
    "summary-a-list": "summary.json", "summary-wrong-types": "summary.json", "summary-not-utf8": "summary.json",
    "process-wrong-types": "process.json", "process-not-utf8": "process.json",
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_workspace(tmp_path_factory.mktemp("tolerance") / "ws")
    old = time.time() - 3600  # long quiet: no folder passes for a run still writing
    for file in root.rglob("*"):
        os.utime(file, (old, old))
    return root


def test_the_scan_lists_every_folder_and_names_what_is_wrong(workspace: Path) -> None:
    runs = {info.name: info for info in scan_workspace(workspace)}
    assert set(runs) == {*GOOD, *BROKEN}
    for name in GOOD:
        assert runs[name].status == "finished" and runs[name].problem == "" and runs[name].steps == 4
    assert runs["good-a"].metrics == {"eval_accuracy": 0.75} and runs["good-b"].metrics == {"eval_accuracy": 0.5}
    for name, file in NAMED_FILE.items():
        assert file in runs[name].problem, (name, runs[name].problem)
        assert "cannot be read (" not in runs[name].problem or file == "metrics.jsonl"  # not the scan's catch-all
    # Wrong types leave the fields blank, the rest of the run stands (was: ValueError, the run "crashed").
    wrong = runs["summary-wrong-types"]
    assert wrong.status == "finished" and wrong.steps == 4 and wrong.task == "classification"
    assert wrong.metrics == {"eval_loss": 0.5, "eval_accuracy": 0.75}  # from the last eval record
    assert "steps" in wrong.problem and "train_runtime_s" in wrong.problem
    assert runs["config-wrong-types"].model == "" and runs["config-wrong-types"].task == ""
    assert runs["metrics-not-utf8"].steps == 5 and "not UTF-8" in runs["metrics-not-utf8"].problem
    assert runs["metrics-wrong-types"].problem.endswith("5 line(s) skipped (not a JSON object)")
    assert runs["eval-metrics-not-a-dict"].metrics == {}


@pytest.mark.parametrize("name", [*GOOD, *BROKEN])
def test_each_reader_of_a_folder_answers_or_says_why(workspace: Path, name: str) -> None:
    """describe_run itself (not the scan's safety net), the status, the follower, the curves'
    record reader, process.json, the held-out size and the weights to open never raise
    anything but a readable error."""
    folder = workspace / name
    assert describe_run(folder).name == name
    assert run_status(folder) in ("finished", "crashed", "not started", "failed", "cancelled")
    records = RunFolder(folder).read_metrics()
    assert all(isinstance(r, dict) for r in records)
    assert all(isinstance(r, dict) for r in MetricsTail(folder / "metrics.jsonl").read())
    read_process(folder)
    reported_validation_size(folder)
    assert model_spec(folder) is None  # no folder holds loadable weights
    try:
        RunFolder(folder).read_summary()
    except CheckpointError as exc:
        assert "summary.json" in str(exc)


def test_bad_lines_are_skipped_and_counted(workspace: Path) -> None:
    lines = RunFolder(workspace / "metrics-not-utf8").metrics_lines()  # was UnicodeDecodeError
    assert [r["step"] for r in lines.records] == [1, 2, 3, 4, 5] and lines.replaced and not lines.skipped
    lines = RunFolder(workspace / "metrics-wrong-types").metrics_lines()
    assert lines.skipped == 5 and not lines.torn  # a list, a number, a string, null, bad JSON
    torn = RunFolder(workspace / "metrics-torn-last-line").metrics_lines()
    assert torn.torn and torn.problem("m") is None and len(torn.records) == 3
    assert RunFolder(workspace / "metrics-is-a-folder").metrics_lines().problem("m").startswith("m: cannot be read")
    assert MetricsTail(workspace / "metrics-is-a-folder" / "metrics.jsonl").read() == []  # was IsADirectoryError
    # U+2028 inside a record is text, not a line break.
    record = {"event": "step", "step": 1, "text": "a\u2028b\u2029c\x85d"}
    assert parse_json_lines((json.dumps(record, ensure_ascii=False) + "\n").encode()).records == [record]


def test_a_json_object_file_reads_as_the_object_or_a_problem(tmp_path: Path) -> None:
    cases = {b'{"a": 1}': None, b"[1]": "holds a JSON list", b"3": "holds a JSON int", b"": "not valid JSON",
             b'{"a": "\xff"}': "not UTF-8", b"{": "not valid JSON"}
    for i, (raw, expected) in enumerate(cases.items()):
        path = tmp_path / f"{i}.json"
        path.write_bytes(raw)
        data, problem = read_json_object(path)
        if expected is None:
            assert data == {"a": 1} and problem is None
        else:
            assert data is None and expected in problem and str(path) in problem
    assert read_json_object(tmp_path / "missing.json") == (None, None)
    data, problem = read_json_object(tmp_path)
    assert data is None and "cannot be read" in problem


def test_opening_a_broken_run_for_prediction_says_why(workspace: Path) -> None:
    from workbench.engine.inference import Predictor

    for name in ("model-config-bad", "config-not-utf8", "metrics-binary"):
        with pytest.raises(ModelError):
            Predictor.load(str(workspace / name))


def test_the_workspace_holding_broken_runs_is_never_archived_into_itself(workspace: Path) -> None:
    with pytest.raises(CheckpointError, match="workspace"):  # was: shutil.Error "Cannot move a directory into itself"
        archive_run(workspace, workspace)
    assert {p.name for p in workspace.iterdir()} == {*GOOD, *BROKEN}
