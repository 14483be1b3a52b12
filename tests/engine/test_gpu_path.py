"""The CUDA path (issue 19, item 5): bf16 and fp16 autocast, fused AdamW, prediction, NCCL.

Every test here is marked ``gpu``: without a CUDA device it skips itself (tests/conftest.py),
so CI and CPU machines run nothing of it. ``bench/gpu_check.sh`` runs them on a GPU machine.
The references are the same runs in fp32 (and on the CPU), so each test can fail for real.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from tests.conftest import minilm_dir, shared
from workbench.engine.training import trainer as trainer_module
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import StepLogged
from workbench.engine.training.optim import build_optimizer
from workbench.engine.training.setup import precision_choice

pytestmark = pytest.mark.gpu
CUDA = torch.device("cuda")


@pytest.fixture(scope="module")
def sst2_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("gpu_sst2")
    out = []
    for name, n in (("train.tsv", 160), ("dev.tsv", 64)):
        path = folder / name
        path.write_text("\n".join(shared("sst2", name).read_text(encoding="utf-8").splitlines()[: n + 1]) + "\n",
                        encoding="utf-8")
        out.append(path)
    return out[0], out[1]


def _train(train: Path, dev: Path, precision: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[float], dict]:
    seen: dict = {}
    real = trainer_module.build_optimizer

    def spy(model, *args, **kwargs):  # the real optimizer, remembered to look at afterwards
        seen["optimizer"] = real(model, *args, **kwargs)
        seen["model"] = model
        return seen["optimizer"]

    monkeypatch.setattr(trainer_module, "build_optimizer", spy)
    config = TrainConfig(data=str(train), validation=str(dev), model="bert-tiny", layers=2, heads=2, hidden=64,
                         vocab_size=800, batch_size=16, max_steps=8, eval_every=4, seed=0, device="cuda",
                         precision=precision)
    trainer = trainer_module.Trainer(config)
    events = list(trainer.run())
    seen["precision"] = trainer.precision
    return [e.loss for e in events if isinstance(e, StepLogged)], seen


def test_auto_on_cuda_is_bf16_autocast_with_fp32_weights_and_fused_adamw(sst2_rows, monkeypatch) -> None:
    train, dev = sst2_rows
    fp32, _ = _train(train, dev, "fp32", monkeypatch)
    auto, seen = _train(train, dev, "auto", monkeypatch)
    expected = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    assert seen["precision"] == expected == precision_choice("auto", CUDA).precision
    assert len(auto) == len(fp32) == 8
    assert auto == pytest.approx(fp32, abs=0.03)  # rounded, the same learning
    assert {p.dtype for p in seen["model"].parameters()} == {torch.float32}
    assert {p.device.type for p in seen["model"].parameters()} == {"cuda"}
    assert seen["optimizer"].defaults.get("fused") is True
    states = [s for s in seen["optimizer"].state.values() if s]
    assert states and all(v.dtype == torch.float32 for s in states for k, v in s.items() if k != "step")


def test_fp16_with_loss_scaling_trains_like_fp32(sst2_rows, monkeypatch) -> None:
    train, dev = sst2_rows
    fp32, _ = _train(train, dev, "fp32", monkeypatch)
    fp16, seen = _train(train, dev, "fp16", monkeypatch)
    assert seen["precision"] == "fp16"
    assert all(loss == loss and loss < 10 for loss in fp16)  # finite: the scaler skipped no step into NaN
    # Looser than bf16: the scaler may skip a first step that overflowed at its starting scale.
    assert fp16 == pytest.approx(fp32, abs=0.1)


def test_fused_adamw_on_cuda_matches_foreach() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Embedding(500, 64), torch.nn.Linear(64, 64), torch.nn.LayerNorm(64)).to(CUDA)
    twin = torch.nn.Sequential(torch.nn.Embedding(500, 64), torch.nn.Linear(64, 64), torch.nn.LayerNorm(64)).to(CUDA)
    twin.load_state_dict(model.state_dict())
    fused = build_optimizer(model, 1e-3, 0.01, CUDA)
    assert fused.defaults.get("fused") is True  # what the trainer builds on a GPU
    foreach = torch.optim.AdamW(twin.parameters(), lr=1e-3, weight_decay=0.01, foreach=True)
    ids = torch.randint(0, 500, (32, 16), device=CUDA)
    for _ in range(5):
        for net, opt in ((model, fused), (twin, foreach)):
            opt.zero_grad()
            net(ids).square().mean().backward()
            opt.step()
    for a, b in zip(model.parameters(), twin.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)


def test_prediction_on_cuda_in_bf16_agrees_with_the_cpu() -> None:
    from workbench.engine.inference import Predictor

    texts = ["a gripping , funny and humane film", "the plot is thin and the jokes fall flat"]
    results = {}
    for device, precision in (("cpu", "fp32"), ("cuda", "fp32"), ("cuda", "bf16")):
        torch.manual_seed(0)  # the fresh head: the same weights each time
        predictor = Predictor.load(minilm_dir(), task="classification", device=device, precision=precision)
        assert predictor.device.type == device and predictor.precision == precision
        results[device, precision] = predictor.predict(texts)

    def largest(a: list[dict], b: list[dict]) -> float:
        return max(abs(x["probabilities"][k] - y["probabilities"][k]) for x, y in zip(a, b) for k in x["probabilities"])

    assert largest(results["cpu", "fp32"], results["cuda", "fp32"]) < 1e-3
    assert largest(results["cpu", "fp32"], results["cuda", "bf16"]) < 0.03


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="NCCL needs two CUDA devices")
def test_two_nccl_processes_train_like_one(tmp_path: Path) -> None:
    from tests.engine.test_distributed import (
        _DEV_ROWS,
        _LAUNCHER,
        _TRAIN_ROWS,
        _env,
        _slice,
        _step_losses,
        _tiny_model_without_dropout,
        _train_args,
    )

    train = _slice(shared("sst2", "train.tsv"), _TRAIN_ROWS, tmp_path / "train.tsv")
    dev = _slice(shared("sst2", "dev.tsv"), _DEV_ROWS, tmp_path / "dev.tsv")
    texts = [line.split("\t")[0] for line in train.read_text(encoding="utf-8").splitlines()[1:]]
    model = _tiny_model_without_dropout(tmp_path / "start", texts)
    one, two = tmp_path / "one", tmp_path / "two"
    extra = ["--device", "cuda", "--precision", "fp32"]
    single = subprocess.run([sys.executable, "-m", "workbench", *_train_args(train, dev, model, one), *extra],
                            cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=240)
    assert single.returncode == 0, single.stderr[-3000:]
    ddp = subprocess.run(_LAUNCHER + _train_args(train, dev, model, two) + extra, cwd=tmp_path, env=_env(),
                         capture_output=True, text=True, timeout=240)
    assert ddp.returncode == 0, (ddp.stdout + ddp.stderr)[-3000:]
    losses_one, losses_two = _step_losses(one), _step_losses(two)
    assert len(losses_one) == len(losses_two) == 7
    assert losses_two == pytest.approx(losses_one, rel=2e-3)
