"""Choices made once at the start of a run: device, precision, column mapping."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from workbench.engine.errors import ConfigError

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


def choose_precision(name: str, device: torch.device) -> str:
    """Mixed precision only on a GPU; bf16 where supported (no loss scaling needed)."""
    if name == "auto":
        if device.type == "cuda":
            return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return "fp32"
    if name in ("bf16", "fp16") and device.type == "cpu":
        raise ConfigError(f"precision: {name} mixed precision needs a GPU; use fp32 (or auto) on the CPU.")
    return name


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
