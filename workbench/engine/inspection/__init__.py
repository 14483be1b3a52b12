"""Looking inside a model: attention maps (and later saliency). Qt-free; returns numpy, never tensors."""

from __future__ import annotations

from workbench.engine.inspection.attention import (
    AttentionMaps,
    compute_attention,
    display_tokens,
    drop_special,
    mean_over_heads,
)

__all__ = [
    "AttentionMaps",
    "compute_attention",
    "display_tokens",
    "drop_special",
    "mean_over_heads",
]
