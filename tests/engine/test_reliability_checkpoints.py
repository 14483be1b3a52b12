"""Checkpoints under kills, full disks, damage and mismatched resumes (issue 7, items 3 and 4)."""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pytest

from tests.reliability_kit import (
    CORRUPTIONS,
    kill_during_save,
    save_step,
    sst2_slice,
    tiny_checkpoint_parts,
    tiny_classifier,
)
from tests.reliability_kit import (
    stopped_run as kit_stopped_run,
)
from workbench.engine.errors import CheckpointError
from workbench.engine.runs import RunFolder, atomic_write_json
from workbench.engine.training import checkpoint_checks
from workbench.engine.training import checkpoints as ckpt
from workbench.engine.training.checkpoint_checks import CorruptCheckpoint
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import StepLogged, TrainBegin, TrainFinished
from workbench.engine.training.faults import DiskError
from workbench.engine.training.trainer import Trainer

# --- kill during save --------------------------------------------------------------------


def test_sigkill_while_saving_never_leaves_a_partial_latest(tmp_path: Path) -> None:
    report = kill_during_save(tmp_path / "run", kills=8, seed=7, load_every=4)
    assert report.kills == 8
    assert report.corrupt_latest == 0, report.problems
    assert report.unrecoverable == 0, report.problems
    assert report.leftovers_after_clean == 0
    assert report.saves_completed > 0  # the writer did get through saves between kills
    latest = ckpt.latest_checkpoint(tmp_path / "run" / "checkpoints")
    assert latest is not None and checkpoint_checks.checkpoint_problems(latest) == []


def test_clean_partial_removes_leftovers_and_puts_back_a_moved_checkpoint(tmp_path: Path) -> None:
    folder = tmp_path / "checkpoints"
    parts = tiny_checkpoint_parts()
    save_step(folder, 3, parts)
    # A re-save of step 3 killed between its two renames: the complete copy is aside.
    (folder / "step-0000003").rename(folder / ".step-0000003.old")
    (folder / ".tmp-step-0000004").mkdir()
    (folder / ".tmp-step-0000004" / "model.safetensors").write_bytes(b"half")
    (folder / ".del-step-0000001").mkdir()
    assert ckpt.latest_checkpoint(folder) is None
    resumable = checkpoint_checks.resolve_resume_checkpoint(tmp_path)
    assert resumable == folder / "step-0000003"
    assert sorted(p.name for p in folder.iterdir()) == ["latest", "step-0000003"]


# --- a full disk -------------------------------------------------------------------------


def _half_then_enospc(tensors: dict, filename: str, *args, **kwargs) -> None:
    Path(filename).write_bytes(b"\x00" * 100)  # part of the file made it to disk
    raise OSError(errno.ENOSPC, "No space left on device", filename)


def test_disk_full_during_a_checkpoint_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import safetensors.torch

    folder = tmp_path / "checkpoints"
    parts = tiny_checkpoint_parts()
    save_step(folder, 1, parts)
    monkeypatch.setattr(safetensors.torch, "save_file", _half_then_enospc)
    with pytest.raises(DiskError, match="disk is full") as info:
        save_step(folder, 2, parts)
    assert info.value.disk_full and str(folder / "step-0000002") in str(info.value)
    assert sorted(p.name for p in folder.iterdir()) == ["latest", "step-0000001"]
    assert checkpoint_checks.checkpoint_problems(folder / "step-0000001") == []


def test_disk_full_in_an_atomic_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.engine.runs as runs

    target = tmp_path / "summary.json"
    atomic_write_json(target, {"status": "finished"})

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runs.os, "fsync", no_space)
    with pytest.raises(OSError):
        atomic_write_json(target, {"status": "other"})
    assert json.loads(target.read_text()) == {"status": "finished"}
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_disk_full_in_the_final_model_save_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.engine.models.saving import save_model_folder

    parts = tiny_checkpoint_parts()
    model = parts["model"]

    def partial_save(folder: Path, *args, **kwargs) -> None:
        Path(folder, "model.safetensors").write_bytes(b"\x00" * 64)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(model, "save_pretrained", partial_save)
    with pytest.raises(OSError):
        save_model_folder(tmp_path / "model", model, parts["tokenizer"], parts["model_meta"])
    assert list(tmp_path.iterdir()) == []


def test_disk_full_during_training_stops_with_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import safetensors.torch

    train, dev = sst2_slice(tmp_path / "data")
    out = tmp_path / "run"
    trainer = Trainer(tiny_classifier(train, dev, out, max_steps=8, eval_every=2))
    real = safetensors.torch.save_file
    with pytest.raises(DiskError, match="disk is full"):
        for event in trainer.run():
            if isinstance(event, StepLogged) and event.step == 3:  # checkpoint 2 saved; 4 will not fit
                monkeypatch.setattr(safetensors.torch, "save_file", _half_then_enospc)
    monkeypatch.setattr(safetensors.torch, "save_file", real)
    folder = RunFolder(out)
    assert folder.read_summary()["status"] == "failed"
    assert folder.read_metrics()[-1]["event"] == "failed" and "disk is full" in folder.read_metrics()[-1]["message"]
    assert sorted(p.name for p in folder.checkpoints_dir.iterdir()) == ["best", "latest", "step-0000002"]
    # And the run resumes from what was kept once there is space again.
    events = list(Trainer(TrainConfig.load(out / "config.json"), resume_from=out).run())
    assert isinstance(events[-1], TrainFinished) and events[-1].step == 8


# --- corrupt checkpoints -----------------------------------------------------------------


@pytest.fixture(scope="module")
def stopped_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run stopped at step 6 with checkpoints at steps 2, 4 and 6."""
    return kit_stopped_run(tmp_path_factory.mktemp("corrupt"))


def _copy(run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    config = TrainConfig.load(copy / "config.json")
    config.output = str(copy)
    config.save(copy / "config.json")
    return copy


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_corrupt_latest_is_named_and_the_previous_offered(stopped_run: Path, tmp_path: Path, kind: str) -> None:
    run = _copy(stopped_run, tmp_path)
    latest = ckpt.latest_checkpoint(run / "checkpoints")
    assert latest is not None and latest.name == "step-0000006"
    CORRUPTIONS[kind](latest)
    with pytest.raises(CorruptCheckpoint) as info:
        list(Trainer(TrainConfig.load(run / "config.json"), resume_from=run).run())
    error = info.value
    assert error.fallback == run / "checkpoints" / "step-0000004"
    message = str(error)
    assert "step-0000006" in message and "--checkpoint step-0000004" in message
    assert any(name in message for name in ("model.safetensors", "optimizer.safetensors", "trainer_state.json",
                                            "config.json"))
    # Nothing was written to the run by the refused resume.
    assert RunFolder(run).read_summary()["status"] == "cancelled"


def test_resume_from_the_offered_checkpoint_finishes(stopped_run: Path, tmp_path: Path) -> None:
    run = _copy(stopped_run, tmp_path)
    CORRUPTIONS["flipped_byte_weights"](run / "checkpoints" / "step-0000006")
    events = list(Trainer(TrainConfig.load(run / "config.json"), resume_from=run, checkpoint="step-0000004").run())
    assert [e.start_step for e in events if isinstance(e, TrainBegin)] == [4]
    assert isinstance(events[-1], TrainFinished) and events[-1].step == 10
    # The damaged step-6 checkpoint was replaced by a good one on the way.
    assert checkpoint_checks.checkpoint_problems(run / "checkpoints" / "step-0000006") == []


def test_unknown_checkpoint_name_lists_the_available_ones(stopped_run: Path) -> None:
    with pytest.raises(CheckpointError, match="available: step-0000002, step-0000004, step-0000006"):
        checkpoint_checks.resolve_resume_checkpoint(stopped_run, "step-0000099")


def test_every_checkpoint_corrupt_says_start_anew(stopped_run: Path, tmp_path: Path) -> None:
    run = _copy(stopped_run, tmp_path)
    for checkpoint in ckpt.list_checkpoints(run / "checkpoints"):
        CORRUPTIONS["truncated_weights"](checkpoint)
    with pytest.raises(CorruptCheckpoint, match="No earlier checkpoint is intact") as info:
        checkpoint_checks.resolve_resume_checkpoint(run)
    assert info.value.fallback is None


# --- a checkpoint that does not fit ------------------------------------------------------


def test_resume_with_other_model_labels_and_data_is_refused_listing_differences(
    stopped_run: Path, tmp_path: Path
) -> None:
    run = _copy(stopped_run, tmp_path)
    config = TrainConfig.load(run / "config.json")
    # Other data with other label names: same texts, labels 0/1 -> neg/pos, one row fewer.
    rows = Path(config.data).read_text(encoding="utf-8").splitlines()
    relabelled = tmp_path / "relabelled.tsv"
    relabelled.write_text("\n".join([rows[0]] + [r[:-1] + ("neg" if r.endswith("0") else "pos") for r in rows[2:]]) + "\n")
    config.data = str(relabelled)
    config.validation = None
    config.model = "gpt-tiny"
    metrics_before = (run / "metrics.jsonl").read_bytes()
    with pytest.raises(CheckpointError) as info:
        list(Trainer(config, resume_from=run).run())
    message = str(info.value)
    assert "does not fit this run" in message
    assert "model: checkpoint 'bert-tiny', this run 'gpt-tiny'" in message
    assert "label set: checkpoint ['0', '1'], this run ['neg', 'pos']" in message
    assert "training data" in message
    assert (run / "metrics.jsonl").read_bytes() == metrics_before


def test_resume_with_changed_rows_is_refused(stopped_run: Path, tmp_path: Path) -> None:
    run = _copy(stopped_run, tmp_path)
    config = TrainConfig.load(run / "config.json")
    rows = Path(config.data).read_text(encoding="utf-8").splitlines()
    changed = tmp_path / "changed.tsv"
    rows[5] = "an entirely different sentence\t" + rows[5].rsplit("\t", 1)[1]  # same count, same labels
    changed.write_text("\n".join(rows) + "\n")
    config.data = str(changed)
    with pytest.raises(CheckpointError, match="training data \\(content checksum\\)") as info:
        list(Trainer(config, resume_from=run).run())
    assert "label set" not in str(info.value) and "model:" not in str(info.value)


def test_manifest_covers_every_file_of_a_checkpoint(tmp_path: Path) -> None:
    folder = tmp_path / "checkpoints"
    path = save_step(folder, 1, tiny_checkpoint_parts())
    manifest = json.loads((path / checkpoint_checks.MANIFEST_FILE).read_text())
    on_disk = {p.name for p in path.iterdir()} - {checkpoint_checks.MANIFEST_FILE}
    assert set(manifest["files"]) == on_disk
    assert {"model.safetensors", "optimizer.safetensors", "trainer_state.json", "config.json"} <= on_disk


def test_leftovers_of_a_killed_final_model_save_are_cleaned_on_resume(stopped_run: Path, tmp_path: Path) -> None:
    """A kill inside the final model's save leaves .tmp-model/ (half written) or .model.old/ (the
    previous model, moved aside); the next start of the run tidies both."""
    run = _copy(stopped_run, tmp_path)
    (run / ".tmp-model").mkdir()
    (run / ".tmp-model" / "model.safetensors").write_bytes(b"\x00" * 10)  # cut off mid-write
    shutil.copytree(run / "checkpoints" / "step-0000004", run / ".model.old")
    events = list(Trainer(TrainConfig.load(run / "config.json"), resume_from=run).run())
    assert isinstance(events[-1], TrainFinished)
    assert not (run / ".tmp-model").exists() and not (run / ".model.old").exists()
    from transformers import AutoModelForSequenceClassification

    AutoModelForSequenceClassification.from_pretrained(run / "model")  # the final model is whole
