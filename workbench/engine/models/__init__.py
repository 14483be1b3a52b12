"""Model specs: from-scratch presets, local Hugging Face folders and hub ids."""

from __future__ import annotations
