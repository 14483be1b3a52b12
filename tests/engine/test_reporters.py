"""Experiment tracking: a real run's metrics read back with TensorBoard's and MLflow's own readers."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from workbench.engine.errors import ConfigError
from workbench.engine.runs import RunFolder
from workbench.engine.training.command import command_line
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import Status, StepLogged, TrainFinished
from workbench.engine.training.reporters import parse_report_to, scalars
from workbench.engine.training.trainer import Trainer

pytest.importorskip("tensorboard")
pytest.importorskip("mlflow")

STEPS = 12


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "OMP_NUM_THREADS": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                          timeout=600, env=full_env)


@pytest.fixture(scope="module")
def tracked_run(sst2_small, tmp_path_factory) -> tuple[Path, str]:
    """One short from-scratch run from the command line, reported to TensorBoard and an MLflow file store."""
    train, dev = sst2_small
    root = tmp_path_factory.mktemp("tracking")
    uri = (root / "mlflow store").as_uri()  # a space, as in a user's folder names
    run = root / "runs" / "tiny"
    proc = _cli("train", "--data", str(train), "--validation", str(dev), "--model", "bert-tiny",
                "--max-steps", str(STEPS), "--eval-every", "4", "--batch-size", "16", "--vocab-size", "1000",
                "--num-threads", "1", "--report-to", "tensorboard,mlflow", "-o", str(run), "-q",
                env={"MLFLOW_TRACKING_URI": uri, "MLFLOW_EXPERIMENT_NAME": "workbench-tests"})
    assert proc.returncode == 0, proc.stderr
    return run, uri


def _logged(run: Path) -> dict[tuple[str, int], float]:
    """What metrics.jsonl holds, under the reporters' names: (name, step) -> value."""
    from workbench.engine.training.events import EvalDone

    out: dict[tuple[str, int], float] = {}
    for record in RunFolder(run).read_metrics():
        if record["event"] == "step":
            event = StepLogged(**{k: v for k, v in record.items() if k != "event"})
        elif record["event"] == "eval":
            event = EvalDone(**{k: v for k, v in record.items() if k != "event"})
        else:
            continue
        # json null (a non-finite value) is left out by both, as by scalars()
        out.update({(name, event.step): value for name, value in scalars(event).items()})
    return out


def test_tensorboard_holds_every_logged_step(tracked_run) -> None:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    run, _ = tracked_run
    assert list(run.glob("events.out.tfevents.*")), "the event files live in the run folder"
    acc = EventAccumulator(str(run), size_guidance={"scalars": 0, "tensors": 0})
    acc.Reload()
    board = {(tag, e.step): e.value for tag in acc.Tags()["scalars"] for e in acc.Scalars(tag)}
    logged = _logged(run)
    steps = {step for name, step in logged if name == "train/loss"}
    assert steps == set(range(1, STEPS + 1))
    assert {step for name, step in logged if name == "eval/accuracy"} == {4, 8, 12}
    # Every value of metrics.jsonl, as TensorBoard stores scalars (float32).
    assert board.keys() == logged.keys()
    assert all(board[key] == np.float32(value) for key, value in logged.items())
    # The config as text, the same settings as config.json.
    text = acc.Tensors("config/text_summary")[0].tensor_proto.string_val[0].decode()
    shown = json.loads("\n".join(line[4:] for line in text.splitlines()))
    assert shown == json.loads((run / "config.json").read_text(encoding="utf-8"))


def test_mlflow_run_holds_the_metrics_and_params(tracked_run, monkeypatch) -> None:
    from mlflow.tracking import MlflowClient

    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")  # MLflow 3 asks before opening a file store
    run, uri = tracked_run
    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("workbench-tests")
    found = client.search_runs([experiment.experiment_id])
    assert len(found) == 1
    mlrun = found[0]
    assert mlrun.info.run_name == "tiny" and mlrun.info.status == "FINISHED"
    assert mlrun.data.tags["workbench.run_folder"] == str(run.resolve())
    config = json.loads((run / "config.json").read_text(encoding="utf-8"))
    params = mlrun.data.params
    assert params["model"] == "bert-tiny" and params["max_steps"] == str(STEPS)
    assert json.loads(params["report_to"]) == ["tensorboard", "mlflow"] == config["report_to"]
    assert set(params) == set(config)
    logged = _logged(run)
    for name in {name for name, _ in logged}:
        history = {m.step: m.value for m in client.get_metric_history(mlrun.info.run_id, name)}
        assert history == {step: value for (n, step), value in logged.items() if n == name}, name


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_an_unreachable_mlflow_server_warns_once_and_the_run_goes_on(sst2_small, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")  # fail at once instead of backing off for minutes
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "5")
    train, dev = sst2_small
    config = TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", max_steps=6, eval_every=3,
                         batch_size=16, vocab_size=1000, num_threads=1, output=str(tmp_path / "run"),
                         report_to=("mlflow", "tensorboard"))
    events = list(Trainer(config).run())
    warnings = [e.message for e in events if isinstance(e, Status) and "reporting stopped" in e.message]
    assert len(warnings) == 1 and warnings[0].startswith("MLflow reporting stopped")
    assert "run goes on" in warnings[0]
    assert isinstance(events[-1], TrainFinished) and events[-1].summary["status"] == "finished"
    # The run folder has every step, and the other reporter was not disturbed.
    assert [r["step"] for r in RunFolder(tmp_path / "run").read_metrics() if r["event"] == "step"] == list(range(1, 7))
    assert list((tmp_path / "run").glob("events.out.tfevents.*"))


def test_unknown_reporter_names_are_readable_errors(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"unknown reporter 'wandb'; choose from tensorboard, mlflow"):
        TrainConfig(data="x.csv", report_to=("wandb",)).validate()
    with pytest.raises(ConfigError, match="unknown reporter 'tensorbord'"):
        parse_report_to("tensorbord")
    proc = _cli("train", "--data", "x.csv", "--report-to", "tensorboard,wandb", "-o", str(tmp_path / "r"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--report-to: unknown reporter 'wandb'; choose from tensorboard, mlflow (or none)" in proc.stderr
    assert not (tmp_path / "r").exists()


def test_report_to_round_trips_through_config_files_and_the_command_line(tmp_path) -> None:
    from workbench.cli import build_parser
    from workbench.cli.train_cmd import config_from_args

    assert parse_report_to(" TensorBoard , mlflow,tensorboard") == ("tensorboard", "mlflow")
    assert parse_report_to("none") == ()
    config = TrainConfig(data="x.csv", output="runs/x", report_to=("tensorboard", "mlflow"))
    config.save(tmp_path / "config.json")
    assert json.loads((tmp_path / "config.json").read_text())["report_to"] == ["tensorboard", "mlflow"]
    assert TrainConfig.load(tmp_path / "config.json").report_to == ("tensorboard", "mlflow")
    # A config.json written before the setting existed still loads, reporting nowhere.
    old = config.to_dict()
    del old["report_to"]
    assert TrainConfig.from_dict(old).report_to == ()
    text = command_line(config)
    assert "--report-to tensorboard,mlflow" in text
    args = build_parser().parse_args(text.split()[1:])
    assert config_from_args(args).report_to == ("tensorboard", "mlflow")
    # "none" turns off what a config file turned on.
    args = build_parser().parse_args(["train", "--config", str(tmp_path / "config.json"), "--report-to", "none"])
    assert config_from_args(args).report_to == ()
    assert "--report-to" not in command_line(TrainConfig(data="x.csv"))


def test_a_missing_library_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "mlflow", None)  # as if mlflow were not installed: imports fail
    problems = TrainConfig(data="x.csv", report_to=("tensorboard", "mlflow")).problems()
    assert problems == ["report_to: Logging to MLflow needs mlflow: pip install 'transformer-workbench[tracking]' "
                        "(in a checkout: pip install -e '.[tracking]')"]


def test_only_the_process_that_writes_the_run_folder_reports(tmp_path) -> None:
    import threading

    from workbench.engine.training.events import TrainBegin
    from workbench.engine.training.reporters import reporters_for_run

    begin = TrainBegin(10, 100, 10, 10, "cpu")
    # torchrun's other ranks have no run folder (Trainer sets it to None): nothing starts there.
    quiet = reporters_for_run(("tensorboard",), None, {})
    quiet.send(begin)
    assert not [t for t in threading.enumerate() if t.name.startswith("reporter-")]
    quiet.close("finished")
    # Rank 0 (or a single process) writes its event file.
    loud = reporters_for_run(("tensorboard",), tmp_path, {"seed": 0})
    loud.send(begin)
    loud.close("finished")
    assert len(list(tmp_path.glob("events.out.tfevents.*"))) == 1 and loud.take_warnings() == []
