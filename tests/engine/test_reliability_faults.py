"""Training faults (issue 7, item 6, engine side): NaN, out of memory, cancel."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import torch

from tests.reliability_kit import sst2_slice, tiny_classifier
from workbench.engine.runs import RunFolder
from workbench.engine.training import checkpoints as ckpt
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.control import TrainControl
from workbench.engine.training.events import (
    StepLogged,
    TrainBegin,
    TrainCancelled,
    TrainFailed,
    TrainFinished,
)
from workbench.engine.training.faults import OutOfMemory, as_workbench_error, out_of_memory_advice
from workbench.engine.training.trainer import Trainer


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return sst2_slice(tmp_path_factory.mktemp("faults"))


def _finite_checkpoints(run: Path) -> list[str]:
    from safetensors.torch import load_file

    names = []
    for checkpoint in ckpt.list_checkpoints(run / "checkpoints"):
        weights = load_file(str(checkpoint / "model.safetensors"))
        assert all(torch.isfinite(t).all() for t in weights.values()), checkpoint
        names.append(checkpoint.name)
    return names


def test_nan_gradient_stops_at_its_step(data: tuple[Path, Path], tmp_path: Path) -> None:
    """The loss stays finite but a gradient turns NaN at step 4: stop there, weights untouched."""
    out = tmp_path / "run"
    trainer = Trainer(tiny_classifier(*data, out, max_steps=12, eval_every=2))
    events = []
    for event in trainer.run():
        events.append(event)
        if isinstance(event, StepLogged) and event.step == 3:
            weight = trainer.model.classifier.weight
            weight.register_hook(lambda grad: grad * float("nan"))  # the 4th backward pass
    failed = events[-1]
    assert isinstance(failed, TrainFailed) and failed.step == 4 and "step 4" in failed.message
    assert "gradient" in failed.message
    assert [e.step for e in events if isinstance(e, StepLogged)][-1] == 3  # stopped within the step
    assert torch.isfinite(trainer.model.classifier.weight).all()  # the NaN update never happened
    assert _finite_checkpoints(out) == ["step-0000002"]
    assert RunFolder(out).read_summary()["status"] == "failed"


def test_nan_weights_are_never_checkpointed(data: tuple[Path, Path], tmp_path: Path) -> None:
    """A weight turns NaN at step 4, a checkpoint step: no step-4 checkpoint, the run stops there."""
    out = tmp_path / "run"
    trainer = Trainer(tiny_classifier(*data, out, max_steps=12, eval_every=2))
    events = []
    for event in trainer.run():
        events.append(event)
        if isinstance(event, StepLogged) and event.step == 4:
            with torch.no_grad():
                trainer.model.classifier.bias[0] = float("nan")
    failed = events[-1]
    assert isinstance(failed, TrainFailed) and failed.reason == "non_finite_weights" and failed.step == 4
    assert "step 4" in failed.message
    assert failed.last_checkpoint and failed.last_checkpoint.endswith("step-0000002")
    assert _finite_checkpoints(out) == ["step-0000002"]


def test_out_of_memory_is_reported_with_advice(data: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "run"
    trainer = Trainer(tiny_classifier(*data, out, max_steps=12, eval_every=2, batch_size=16, max_length=64))
    forwards = {"n": 0}

    def oom(module, args, output):  # noqa: ANN001 - a torch hook
        forwards["n"] += module.training
        if module.training and forwards["n"] == 3:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return output

    steps = []
    with pytest.raises(OutOfMemory) as info:
        for event in trainer.run():
            if isinstance(event, TrainBegin):
                trainer.model.register_forward_hook(oom)
            if isinstance(event, StepLogged):
                steps.append(event.step)
    message = str(info.value)
    assert steps == [1, 2]
    assert "Out of memory at step 3" in message
    assert "smaller batch size (now 16; try 8" in message and "shorter max length (now 64; try 32)" in message
    run = RunFolder(out)
    assert run.read_metrics()[-1]["reason"] == "out_of_memory"
    assert run.read_summary()["status"] == "failed"
    # Nothing is lost: the run resumes from its step-2 checkpoint and finishes.
    events = list(Trainer(TrainConfig.load(out / "config.json"), resume_from=out).run())
    assert [e.start_step for e in events if isinstance(e, TrainBegin)] == [2]
    assert isinstance(events[-1], TrainFinished)


def test_cpu_allocator_failure_counts_as_out_of_memory() -> None:
    exc = RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory: you "
                       "tried to allocate 8589934592 bytes.")
    readable = as_workbench_error(exc, batch_size=1, max_length=16)
    assert isinstance(readable, OutOfMemory)
    assert "smaller batch size" in str(readable) and "shorter max length" in str(readable)
    assert as_workbench_error(ValueError("a bug")) is None  # bugs keep their traceback
    assert "step 7" in out_of_memory_advice(MemoryError(), step=7)


def test_cancel_lands_within_one_step(data: tuple[Path, Path], tmp_path: Path) -> None:
    """A stop requested from another thread (as the GUI does) lands at the next step boundary."""
    control = TrainControl()
    out = tmp_path / "run"
    requested_after: list[int] = []
    last_step = 0

    def stopper() -> None:
        requested_after.append(last_step)
        control.request_stop()

    events = []
    for event in Trainer(tiny_classifier(*data, out, max_steps=40)).run(control):
        events.append(event)
        if isinstance(event, StepLogged):
            last_step = event.step
            if event.step == 5:
                thread = threading.Thread(target=stopper)
                thread.start()
                thread.join()
    cancelled = events[-1]
    assert isinstance(cancelled, TrainCancelled)
    assert cancelled.step - requested_after[0] <= 1
    assert RunFolder(out).read_summary()["status"] == "cancelled"
    assert ckpt.latest_checkpoint(out / "checkpoints").name == ckpt.checkpoint_name(cancelled.step)
