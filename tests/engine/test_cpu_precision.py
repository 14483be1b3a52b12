"""bf16 autocast on the CPU (issue 19): who may use it, what auto picks, and that it trains like fp32."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.conftest import shared
from workbench.engine.errors import ConfigError
from workbench.engine.tasks.registry import all_tasks, get_task
from workbench.engine.training import precision_probe, setup
from workbench.engine.training import trainer as trainer_module
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import Status, StepLogged
from workbench.engine.training.precision_probe import ProbeResult
from workbench.engine.training.setup import choose_precision, precision_choice

CPU = torch.device("cpu")
needs_cpu_bf16 = pytest.mark.skipif(
    not precision_probe.cpu_bf16_supported(),
    reason="this CPU has no native bf16 (AVX-512 BF16 or AMX): bf16 training is refused here",
)


@pytest.fixture
def probe_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder, no pin, nothing remembered: auto follows the probe."""
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(precision_probe.PIN_VARIABLE, raising=False)
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    precision_probe.forget()
    yield tmp_path / "cache" / precision_probe.CACHE_FILE
    precision_probe.forget()


def _tiny(train: Path, dev: Path, precision: str) -> TrainConfig:
    return TrainConfig(
        data=str(train), validation=str(dev), model="bert-tiny", layers=2, heads=2, hidden=64, vocab_size=800,
        batch_size=16, max_steps=6, eval_every=100, seed=0, num_threads=1, precision=precision,
    )


def _train(config: TrainConfig, monkeypatch: pytest.MonkeyPatch) -> tuple[list[float], list[Status], dict]:
    """Step losses, status lines, and what the optimizer and model held (seen through build_optimizer)."""
    seen: dict = {}
    real = trainer_module.build_optimizer

    def spy(model, *args, **kwargs):  # the real optimizer: only remembered, to look at after the run
        seen["optimizer"] = real(model, *args, **kwargs)
        seen["model"] = model
        return seen["optimizer"]

    monkeypatch.setattr(trainer_module, "build_optimizer", spy)
    events = list(trainer_module.Trainer(config).run())
    losses = [e.loss for e in events if isinstance(e, StepLogged)]
    return losses, [e for e in events if isinstance(e, Status)], seen


@pytest.fixture(scope="module")
def sst2_tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sst2_tiny")
    out = []
    for name, n in (("train.tsv", 96), ("dev.tsv", 32)):
        path = folder / name
        path.write_text("\n".join(shared("sst2", name).read_text(encoding="utf-8").splitlines()[: n + 1]) + "\n",
                        encoding="utf-8")
        out.append(path)
    return out[0], out[1]


@needs_cpu_bf16
def test_bf16_training_on_this_cpu_follows_fp32_and_keeps_fp32_weights_and_state(
    sst2_tiny, monkeypatch: pytest.MonkeyPatch
) -> None:
    train, dev = sst2_tiny
    fp32_losses, _, _ = _train(_tiny(train, dev, "fp32"), monkeypatch)
    bf16_losses, _, seen = _train(_tiny(train, dev, "bf16"), monkeypatch)
    assert len(bf16_losses) == len(fp32_losses) == 6
    # Same data, seed and weights: bf16 rounds (about 3 significant digits) but learns the same way.
    assert bf16_losses == pytest.approx(fp32_losses, abs=0.01)
    assert bf16_losses != fp32_losses  # autocast was really on (identical to the bit would mean fp32)
    # Autocast only: master weights and AdamW's moments stay fp32.
    assert {p.dtype for p in seen["model"].parameters()} == {torch.float32}
    states = [s for s in seen["optimizer"].state.values() if s]
    assert states and all(v.dtype == torch.float32 for s in states for k, v in s.items() if k != "step")


@needs_cpu_bf16
def test_bf16_is_accepted_on_a_cpu_with_bf16_units() -> None:
    choice = precision_choice("bf16", CPU)
    assert (choice.precision, choice.reason) == ("bf16", "asked")


def test_a_cpu_without_bf16_refuses_it_readably_and_auto_stays_fp32(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: False)
    with pytest.raises(ConfigError, match=r"bf16 needs a CPU that computes in bfloat16 .*Use fp32 \(or auto\)"):
        choose_precision("bf16", CPU)
    assert precision_choice("auto", CPU).reason == "cpu-no-bf16"
    assert choose_precision("auto", CPU) == "fp32"
    with pytest.raises(ConfigError, match="fp16 mixed precision needs a GPU"):
        choose_precision("fp16", CPU)


def test_fp32_always_wins_even_where_bf16_measured_faster(monkeypatch: pytest.MonkeyPatch, probe_cache) -> None:
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: True)
    monkeypatch.setattr(precision_probe, "measure", lambda: ProbeResult(precision_probe.probe_key(), 2.0, 1.0))
    assert choose_precision("fp32", CPU) == "fp32"
    assert choose_precision("auto", CPU) == "bf16"


@pytest.mark.parametrize(("fp32_s", "bf16_s", "expected"), [(0.19, 0.10, "bf16"), (0.10, 0.12, "fp32"),
                                                           (0.10, 0.097, "fp32")])
def test_auto_follows_the_probe_both_ways_and_runs_it_once(
    monkeypatch: pytest.MonkeyPatch, probe_cache: Path, fp32_s: float, bf16_s: float, expected: str
) -> None:
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: True)
    calls = []

    def fake_measure() -> ProbeResult:
        calls.append(1)
        return ProbeResult(precision_probe.probe_key(), fp32_s, bf16_s, "2026-12-06T11:00:00Z")

    monkeypatch.setattr(precision_probe, "measure", fake_measure)
    choice = precision_choice("auto", CPU)
    assert choice.precision == expected
    assert choice.reason == ("cpu-measured-faster" if expected == "bf16" else "cpu-measured-slower")
    assert choice.speedup == pytest.approx(fp32_s / bf16_s)
    assert choose_precision("auto", CPU) == expected and len(calls) == 1  # remembered
    precision_probe.forget()
    assert choose_precision("auto", CPU) == expected and len(calls) == 1  # read back from the cache file
    assert probe_cache.is_file()
    # measure=False (the launcher's check): never probes, says it was not measured
    precision_probe.forget()
    probe_cache.unlink()
    assert precision_choice("auto", CPU, measure=False).reason == "cpu-not-measured" and len(calls) == 1


def test_the_cache_file_round_trips_and_keeps_other_machines(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "cpu_precision.json"
    other = ProbeResult("Other CPU | torch 2.0 | 8 threads", 0.3, 0.1, "2026-01-01T00:00:00Z")
    mine = ProbeResult("AMD EPYC | torch 2.13 | 2 threads", 0.2, 0.25, "2026-12-06T11:00:00Z")
    precision_probe.write_cached(other, path)
    precision_probe.write_cached(mine, path)
    assert precision_probe.read_cached(mine.key, path) == mine
    assert precision_probe.read_cached(other.key, path) == other
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {mine.key, other.key}
    assert precision_probe.read_cached("never measured", path) is None
    path.write_text("{not json", encoding="utf-8")  # a damaged cache is only a cache: measured again
    assert precision_probe.read_cached(mine.key, path) is None


def test_the_key_names_cpu_torch_and_threads() -> None:
    key = precision_probe.probe_key(3)
    assert precision_probe.cpu_model() in key and torch.__version__ in key and key.endswith("3 threads")


def test_the_pin_and_several_processes_keep_auto_from_measuring(monkeypatch: pytest.MonkeyPatch, probe_cache) -> None:
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: True)
    monkeypatch.setattr(precision_probe, "measure", lambda: pytest.fail("must not measure"))
    monkeypatch.setenv(precision_probe.PIN_VARIABLE, "bf16")
    assert precision_choice("auto", CPU).reason == "cpu-pinned" and choose_precision("auto", CPU) == "bf16"
    monkeypatch.delenv(precision_probe.PIN_VARIABLE)
    monkeypatch.setenv("WORLD_SIZE", "2")  # each rank would measure for itself and might disagree
    assert precision_choice("auto", CPU).reason == "cpu-multi-process"
    assert choose_precision("auto", CPU) == "fp32"


def test_the_hardware_is_named_from_cpuinfo() -> None:
    assert precision_probe.bf16_hardware("flags\t: fpu avx2 avx512f avx512_bf16\n") == "AVX-512 BF16"
    assert precision_probe.bf16_hardware("flags\t: fpu avx512_bf16 amx_tile amx_bf16\n") == "AMX"
    assert precision_probe.bf16_hardware("flags\t: fpu avx2\n") == ""
    described = setup.PrecisionChoice("bf16", "cpu-measured-faster", 1.93, "AVX-512 BF16").describe()
    assert described == "bf16 (this CPU has AVX-512 BF16, measured 1.9x faster)"


@needs_cpu_bf16
def test_the_real_probe_is_quick_and_measures_both(probe_cache: Path) -> None:
    result = precision_probe.probe_result()
    assert result is not None and result.fp32_s > 0 and result.bf16_s > 0
    assert precision_probe.read_cached(result.key) == result


@needs_cpu_bf16
def test_a_run_under_auto_says_which_precision_and_why(sst2_tiny, monkeypatch: pytest.MonkeyPatch,
                                                      probe_cache) -> None:
    monkeypatch.setattr(precision_probe, "measure", lambda: ProbeResult(precision_probe.probe_key(), 0.2, 0.1))
    train, dev = sst2_tiny
    config = _tiny(train, dev, "auto")
    config.max_steps = 1
    _, statuses, _ = _train(config, monkeypatch)
    assert any(s.message.startswith("Precision: bf16 (") and "measured 2.0x faster" in s.message for s in statuses)


@needs_cpu_bf16
def test_prediction_and_evaluation_run_in_the_predictors_precision() -> None:
    """MiniLM with a fresh head: bf16 probabilities within a rounding of fp32's; eval_model uses it too."""
    from tests.conftest import minilm_dir
    from workbench.engine.data import Examples
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor

    torch.manual_seed(0)  # the fresh head's weights: the same in both predictors
    fp32 = Predictor.load(minilm_dir(), task="classification")
    torch.manual_seed(0)
    bf16 = Predictor.load(minilm_dir(), task="classification", precision="bf16")
    assert (fp32.precision, bf16.precision) == ("fp32", "bf16")
    texts = ["a gripping , funny and humane film", "the plot is thin and the jokes fall flat"]
    a, b = fp32.predict(texts), bf16.predict(texts)
    diffs = [abs(x["probabilities"][k] - y["probabilities"][k]) for x, y in zip(a, b) for k in x["probabilities"]]
    assert 0 < max(diffs) < 0.02  # rounded (so really bf16), but only by bf16's three digits
    assert next(bf16.model.parameters()).dtype == torch.float32  # autocast: the weights stay fp32
    examples = Examples("classification", texts, None, None, [0, 1], ["LABEL_0", "LABEL_1"], None, [2, 3])
    loss_fp32 = evaluate_model(fp32, examples).metrics["eval_loss"]
    loss_bf16 = evaluate_model(bf16, examples).metrics["eval_loss"]
    assert loss_bf16 == pytest.approx(loss_fp32, abs=0.02) and loss_bf16 != loss_fp32


def _tiny_model_folder(folder: Path) -> Path:
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.models.saving import save_model_folder

    texts = [line.split("\t")[0] for line in shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:80]]
    model, tokenizer = build_from_scratch("bert-tiny", "classification", texts, ["neg", "pos"],
                                          layers=2, hidden=64, heads=2, vocab_size=400, seed=3)
    save_model_folder(folder, model, tokenizer, {"task": "classification", "label_names": ["neg", "pos"],
                                                  "max_length": 64, "base_model": "bert-tiny"})
    return folder


def test_predict_takes_precision_and_refuses_bf16_readably_without_it(tmp_path: Path, capsys,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.cli import main

    folder = _tiny_model_folder(tmp_path / "model")
    texts = ["a gripping , funny and humane film", "the plot is thin"]
    assert main(["predict", str(folder), *texts, "--json", "--precision", "fp32"]) == 0
    fp32 = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    if precision_probe.cpu_bf16_supported():
        assert main(["predict", str(folder), *texts, "--json", "--precision", "bf16"]) == 0
        bf16 = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        diffs = [abs(a["probabilities"][k] - b["probabilities"][k]) for a, b in zip(fp32, bf16)
                 for k in a["probabilities"]]
        assert 0 < max(diffs) < 0.02
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: False)
    assert main(["predict", str(folder), *texts, "--precision", "bf16"]) == 2
    err = capsys.readouterr().err
    assert "bf16 needs a CPU that computes in bfloat16" in err and "Traceback" not in err


def test_doctor_reports_the_bf16_units_and_the_probes_figures(monkeypatch: pytest.MonkeyPatch, probe_cache) -> None:
    from workbench.engine.system_check import torch_checks

    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: True)
    monkeypatch.setattr(precision_probe, "measure",
                        lambda: ProbeResult(precision_probe.probe_key(), 0.190, 0.100, "2026-12-06T11:00:00Z"))
    checks, facts = torch_checks("flags\t: fpu avx2 avx512f avx512_bf16\n")
    cpu = next(c for c in checks if c.name == "cpu")
    assert ("bf16 autocast on AVX-512 BF16: a training step measured 1.90x the speed of fp32 (190 vs 100 ms, "
            "2026-12-06T11:00:00Z), so precision auto trains in bf16") in cpu.detail
    assert facts["cpu_bf16"]["speedup"] == 1.9 and facts["cpu_bf16"]["hardware"] == "AVX-512 BF16"
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: False)
    checks, facts = torch_checks("flags\t: fpu avx2\n")
    assert "bf16: not native here (precision auto trains in fp32)" in next(c for c in checks if c.name == "cpu").detail
    assert facts["cpu_bf16"] == {"native": False, "hardware": "", "pinned": None}


@needs_cpu_bf16
@pytest.mark.parametrize("name", [task.name for task in all_tasks()])
def test_every_task_trains_evaluates_and_predicts_in_bf16(name: str, tmp_path: Path) -> None:
    """Each task's own sample (as in the task contract) under bf16 autocast: bf16 logits reach
    every task's metrics and result code, which must take them (no .numpy() of a bf16 tensor)."""
    import math

    from workbench.engine.inference import Predictor
    from workbench.engine.training.events import EvalDone, TrainFinished

    task = get_task(name)
    data = tmp_path / task.sample.filename
    data.write_text(task.sample.text, encoding="utf-8")
    values = dict(data=str(data), task=name, model="bert-tiny", max_steps=2, batch_size=8, eval_every=2,
                  max_length=32, vocab_size=200, layers=1, hidden=32, heads=2, validation_fraction=0.25,
                  seed=0, num_threads=1, output=str(tmp_path / "run"), precision="bf16")
    values.update(task.sample.config)
    events = list(trainer_module.Trainer(TrainConfig(**values)).run())
    assert isinstance(events[-1], TrainFinished), events[-1]
    assert math.isfinite([e for e in events if isinstance(e, EvalDone)][-1].metrics[task.headline.name])
    predictor = Predictor.load(tmp_path / "run", precision="bf16")
    texts = list(task.sample.predict_texts)
    assert len(predictor.predict(texts, **task.sample.predict_options)) == len(texts)
