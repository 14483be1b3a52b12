"""Choices made once at the start of a run: device, precision, column mapping."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from workbench.engine.errors import ConfigError
from workbench.engine.training import precision_probe

if TYPE_CHECKING:
    from workbench.engine.task_data import DatasetBundle
    from workbench.engine.training.config import TrainConfig


def choose_device(name: str) -> torch.device:
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device: CUDA was asked for, but no CUDA GPU is available. Use --device auto or cpu.")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ConfigError("device: MPS was asked for, but it is not available here. Use --device auto or cpu.")
    return torch.device(name)


@dataclass(frozen=True)
class PrecisionChoice:
    """The precision a run uses and why: ``reason`` is a stable code the GUI words itself
    (``asked``, ``gpu-bf16``, ``gpu-fp16``, ``cpu-measured-faster``, ``cpu-measured-slower``,
    ``cpu-not-measured``, ``cpu-no-bf16``, ``cpu-pinned``, ``cpu-multi-process``, ``other-device``)."""

    precision: str
    reason: str
    speedup: float | None = None  # bf16 over fp32 in the CPU probe, where it ran
    hardware: str = ""  # the CPU's bf16 units ("AMX", "AVX-512 BF16"), where known

    def describe(self) -> str:
        """One English line for logs and the CLI ("bf16 (this CPU has AVX-512 BF16, measured 1.9x faster)")."""
        where = f"this CPU has {self.hardware}" if self.hardware else "this CPU runs bf16 natively"
        measured = f"measured {self.speedup:.1f}x" if self.speedup is not None else ""
        texts = {
            "asked": "as asked",
            "gpu-bf16": "this GPU supports bf16",
            "gpu-fp16": "this GPU lacks bf16",
            "cpu-measured-faster": f"{where}, {measured} faster",
            "cpu-measured-slower": f"bf16 {measured} the speed of fp32 here, not worth it",
            "cpu-not-measured": "bf16 is measured on the first run",
            "cpu-no-bf16": "this CPU has no native bf16",
            "cpu-pinned": f"pinned by {precision_probe.PIN_VARIABLE}",
            "cpu-multi-process": "several processes share the CPU; each would measure differently",
            "other-device": "auto uses mixed precision on CUDA GPUs and capable CPUs",
        }
        return f"{self.precision} ({texts.get(self.reason, self.reason)})"


def choose_precision(name: str, device: torch.device) -> str:
    """The precision a run on ``device`` uses for ``name`` (see :func:`precision_choice`)."""
    return precision_choice(name, device).precision


def precision_choice(name: str, device: torch.device, *, measure: bool = True) -> PrecisionChoice:
    """bf16 where it pays: on a GPU that supports it (else fp16 with loss scaling), and on a CPU
    with native bf16 where the probe measured it faster. Autocast only: weights and optimizer
    state stay fp32. ``measure`` False: never run the probe (``cpu-not-measured`` instead)."""
    if name not in ("auto", "bf16", "fp16"):
        return PrecisionChoice(name, "asked")
    if device.type == "cuda":
        if name == "auto":
            bf16 = torch.cuda.is_bf16_supported()
            return PrecisionChoice("bf16" if bf16 else "fp16", "gpu-bf16" if bf16 else "gpu-fp16")
        return PrecisionChoice(name, "asked")
    if device.type != "cpu":  # MPS: what was asked; auto stays fp32
        return PrecisionChoice("fp32", "other-device") if name == "auto" else PrecisionChoice(name, "asked")
    if name == "fp16":
        raise ConfigError("precision: fp16 mixed precision needs a GPU; use fp32, auto or (on CPUs with "
                          "AVX-512 BF16 or AMX) bf16 on the CPU.")
    return _cpu_choice(name, measure)


def expected_precision(name: str, device: str, *, measure: bool = True) -> PrecisionChoice | None:
    """What a run with these settings would use (``device`` may be ``auto``); None where the run
    would be refused (advice and the model panel's note: they inform, they never raise)."""
    try:
        return precision_choice(name, choose_device(device), measure=measure)
    except ConfigError:
        return None


def _cpu_choice(name: str, measure: bool) -> PrecisionChoice:
    hardware = precision_probe.bf16_hardware()
    if not precision_probe.cpu_bf16_supported():
        if name == "bf16":
            raise ConfigError(
                "precision: bf16 needs a CPU that computes in bfloat16 (AVX-512 BF16 or AMX: Intel Xeon "
                "since Cooper Lake / Sapphire Rapids, AMD Zen 4 and later) or a CUDA GPU; this CPU "
                f"({precision_probe.cpu_model()}) would emulate it, slower than fp32. Use fp32 (or auto)."
            )
        return PrecisionChoice("fp32", "cpu-no-bf16")
    if name == "bf16":
        return PrecisionChoice("bf16", "asked", hardware=hardware)
    if (pinned := precision_probe.pinned_choice()) is not None:
        return PrecisionChoice(pinned, "cpu-pinned", hardware=hardware)
    if int(os.environ.get("WORLD_SIZE", "1") or 1) > 1:
        return PrecisionChoice("fp32", "cpu-multi-process", hardware=hardware)  # ranks must agree
    result = precision_probe.probe_result(measure_if_missing=measure)
    if result is None:
        return PrecisionChoice("fp32", "cpu-not-measured", hardware=hardware)
    faster = result.bf16_faster
    return PrecisionChoice("bf16" if faster else "fp32", "cpu-measured-faster" if faster else "cpu-measured-slower",
                           speedup=result.speedup, hardware=hardware)


def load_training_data(config: TrainConfig) -> DatasetBundle:
    """The data a config names; columns the user chose are checked, the others detected."""
    from workbench.engine.data import read_table
    from workbench.engine.task_data import bundle_from_table, complete_mapping

    table = read_table(config.data, config.format)
    mapping = None
    if config.text_column or config.text_pair_column or config.label_column:
        mapping = complete_mapping(
            table, config.task,
            text=config.text_column, text_pair=config.text_pair_column, label=config.label_column,
        )
    return bundle_from_table(
        table, config.task, mapping=mapping, validation_path=config.validation,
        validation_fraction=config.validation_fraction, seed=config.seed, format=config.format,
        label_separator=config.label_separator,
    )
