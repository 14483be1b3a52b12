"""The command line under faults and hostile input (issue 7): exit code 2 and a message that says what to do."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
import torch

from tests.cli.test_cli_train_predict_eval import workbench
from tests.reliability_kit import CORRUPTIONS, make_hostile, sst2_slice
from workbench.cli import main
from workbench.engine.runs import RunFolder


def _train_args(train: Path, dev: Path, out: Path, *extra: str) -> list[str]:
    return ["train", "--data", str(train), "--validation", str(dev), "--model", "bert-tiny", "--layers", "1",
            "--hidden", "32", "--heads", "2", "--vocab-size", "500", "--max-length", "48", "--batch-size", "16",
            "--eval-every", "2", "--num-threads", "1", "--output", str(out), "--quiet", *extra]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sst2_slice(tmp_path_factory.mktemp("cli-rel"))


def test_corrupt_latest_points_to_the_previous_checkpoint(data: tuple[Path, Path], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    assert main(_train_args(*data, out, "--max-steps", "6")) == 0
    CORRUPTIONS["truncated_weights"](out / "checkpoints" / "step-0000006")
    capsys.readouterr()
    assert main(["train", "--resume", str(out), "--max-steps", "8", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "step-0000006" in err and "truncated" in err
    assert f"--resume {out} --checkpoint step-0000004" in err
    assert main(["train", "--resume", str(out), "--checkpoint", "step-0000004", "--max-steps", "8", "--quiet"]) == 0
    assert RunFolder(out).read_summary()["steps"] == 8


def test_checkpoint_needs_resume(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--checkpoint", "step-0000004", "--data", "x.csv"]) == 2
    assert "pass --resume RUN_DIR too" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["pickle_weights", "auto_map_model"])
def test_predict_refuses_hostile_folders_and_names_the_opt_in(kind: str, tmp_path: Path) -> None:
    sentinel = tmp_path / "sentinel"
    folder = make_hostile(kind, tmp_path / "model", sentinel)
    proc = workbench("predict", str(folder), "a text")
    assert proc.returncode == 2, proc.stderr
    flag = "--allow-pickle-weights" if kind == "pickle_weights" else "--trust-remote-code"
    assert flag in proc.stderr and "Traceback" not in proc.stderr
    assert not sentinel.exists()


def test_out_of_memory_exits_2_with_advice(data: tuple[Path, Path], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An OOM raised from a forward hook (how transformers' own tests simulate one)."""
    import workbench.engine.training.trainer as trainer_module

    real = trainer_module.build_from_scratch

    def with_oom_hook(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        model, tokenizer = real(*args, **kwargs)
        calls = {"n": 0}

        def hook(module, inputs, output):  # noqa: ANN001, ANN202
            calls["n"] += module.training
            if module.training and calls["n"] == 2:
                raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 1.50 GiB")
            return output

        model.register_forward_hook(hook)
        return model, tokenizer

    monkeypatch.setattr(trainer_module, "build_from_scratch", with_oom_hook)
    assert main(_train_args(*data, tmp_path / "run", "--max-steps", "6")) == 2
    err = capsys.readouterr().err
    assert "Out of memory at step 2" in err and "smaller batch size" in err and "shorter max length" in err


def test_full_disk_exits_2_and_keeps_the_last_checkpoint(data: tuple[Path, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import safetensors.torch

    real = safetensors.torch.save_file
    saves = {"n": 0}

    def fills_up(tensors, filename, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        saves["n"] += 1
        if saves["n"] >= 2:  # the second checkpoint's optimizer file does not fit
            raise OSError(errno.ENOSPC, "No space left on device", filename)
        return real(tensors, filename, *args, **kwargs)

    monkeypatch.setattr(safetensors.torch, "save_file", fills_up)
    out = tmp_path / "run"
    assert main(_train_args(*data, out, "--max-steps", "6")) == 2
    err = capsys.readouterr().err
    assert "disk is full" in err and str(out / "checkpoints") in err
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["best", "latest", "step-0000002"]
    shutil.rmtree(out)
