"""``config.model_type`` of the architectures the workbench defines itself.

Torch-free and import-free, so that code which only asks "is this a BiLSTM?" (loading,
inspection) need not import torch, and so that ``bilstm.py`` (which registers the
type) and ``presets.py`` (which builds a BiLSTM config) both name it from below.
"""

from __future__ import annotations

# The workbench's BiLSTM (models/bilstm.py).
BILSTM_MODEL_TYPE = "workbench-bilstm"
