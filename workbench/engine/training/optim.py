"""Optimizer, learning-rate schedule and layer freezing."""

from __future__ import annotations

from typing import Any

import torch

# Parameters that should not decay: biases and normalisation weights (the BERT recipe).
_NO_DECAY = ("bias", "LayerNorm.weight", "layer_norm.weight", "ln_", "norm.weight")


def build_optimizer(model: torch.nn.Module, lr: float, weight_decay: float, device: torch.device) -> torch.optim.AdamW:
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        (no_decay if any(key in name for key in _NO_DECAY) or param.ndim < 2 else decay).append(param)
    groups = [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=lr, **optimizer_kernel(device, [*decay, *no_decay]))


def optimizer_kernel(device: torch.device, params: list[torch.nn.Parameter]) -> dict[str, Any]:
    """``fused=True`` where torch has a fused AdamW for these tensors, else ``foreach=True``.

    The fused kernel reads and writes each parameter, gradient and moment once per
    step; foreach makes about ten passes over them (one per arithmetic op), and on
    the CPU it is a loop of per-tensor kernels. MiniLM (23M parameters, one CPU
    thread): fused 53 ms a step, foreach 225 ms, a plain loop 288 ms - foreach cost
    as much as the forward pass on a batch of SST-2 sentences. Results agree to
    float rounding (tests/engine/test_training_speed.py).
    """
    try:
        from torch.optim.optimizer import _get_fused_kernels_supported_devices

        fused_devices = _get_fused_kernels_supported_devices()
    except ImportError:  # a private helper: if it moves, fall back to what torch 2.13 supports
        fused_devices = ["cuda", "cpu"]
    floating = all(p.dtype in (torch.float32, torch.float16, torch.bfloat16, torch.float64) for p in params)
    if floating and device.type in fused_devices and device.type != "mps":
        return {"fused": True}  # (MPS: fused AdamW is newer there; foreach is the safe choice)
    return {"foreach": True}


class Schedule:
    """Linear warmup to the peak learning rate, then linear decay to zero over ``total_steps``.

    1. warmup = round(warmup_ratio * total_steps) steps
    2. step s < warmup: factor (s + 1) / warmup  (the first step already learns)
    3. after: factor (total - s) / (total - warmup), never below 0

    ``total_steps`` may be lowered while training (a time budget that fits fewer
    steps than planned); the factor follows, so the rate still reaches zero at the end.
    """

    def __init__(self, total_steps: int, warmup_ratio: float) -> None:
        self.total_steps = total_steps
        self.warmup_ratio = warmup_ratio

    def factor(self, step: int) -> float:
        warmup = round(self.warmup_ratio * self.total_steps)
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (self.total_steps - step) / max(1, self.total_steps - warmup))


def build_scheduler(optimizer: torch.optim.Optimizer, schedule: Schedule) -> Any:
    return torch.optim.lr_scheduler.LambdaLR(optimizer, schedule.factor)


def transformer_layers(model: torch.nn.Module) -> torch.nn.ModuleList | None:
    """The list of transformer blocks, whatever the architecture calls it."""
    n_layers = getattr(model.config, "num_hidden_layers", None)
    base = getattr(model, "base_model", model)
    for module in base.modules():
        if isinstance(module, torch.nn.ModuleList) and len(module) == n_layers:
            return module
    return None


def input_embeddings(model: torch.nn.Module) -> list[torch.nn.Module]:
    base = getattr(model, "base_model", model)
    if hasattr(base, "embeddings"):  # BERT family: word, position and type embeddings
        return [base.embeddings]
    found = [model.get_input_embeddings()]
    if hasattr(base, "wpe"):  # GPT-2 position embeddings
        found.append(base.wpe)
    return found


def freeze(model: torch.nn.Module, *, embeddings: bool, layers: int) -> None:
    """Stop gradients for the embeddings and/or the lowest ``layers`` transformer blocks."""
    if embeddings:
        for module in input_embeddings(model):
            module.requires_grad_(False)
    if layers:
        blocks = transformer_layers(model)
        if blocks is None:
            from workbench.engine.errors import ConfigError

            raise ConfigError("freeze_layers: this model's transformer layers could not be found.")
        if layers > len(blocks):
            from workbench.engine.errors import ConfigError

            raise ConfigError(f"freeze_layers: the model has only {len(blocks)} layers (asked for {layers}).")
        for block in blocks[:layers]:
            block.requires_grad_(False)
