"""Transformer Workbench: fine-tune, pre-train and inspect transformer language models."""

from __future__ import annotations

__version__ = "0.1.0"
