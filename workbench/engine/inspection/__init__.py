"""Looking inside a model: attention maps, their aggregates, and token saliency. Qt-free; returns numpy, never tensors."""

from __future__ import annotations

from workbench.engine.inspection.aggregate import (
    head_entropy,
    head_stats,
    max_over_heads,
    mean_over_layers,
    rollout,
)
from workbench.engine.inspection.attention import (
    AttentionMaps,
    compute_attention,
    display_tokens,
    drop_special,
    mean_over_heads,
)
from workbench.engine.inspection.saliency import (
    Attribution,
    explain,
    explain_file,
    grad_x_input,
    integrated_gradients,
)

__all__ = [
    "AttentionMaps",
    "Attribution",
    "compute_attention",
    "display_tokens",
    "drop_special",
    "explain",
    "explain_file",
    "grad_x_input",
    "head_entropy",
    "head_stats",
    "integrated_gradients",
    "max_over_heads",
    "mean_over_heads",
    "mean_over_layers",
    "rollout",
]
