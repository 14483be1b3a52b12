"""Training: config, events, control, batching, checkpoints and the trainer loop."""

from __future__ import annotations
