"""Texts about attention that more than one panel shows (translated where shown)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

# Shown instead of the maps (and instead of an error) for a model without attention.
# The catalogue holds it under the Attention panel's context: translate with "AttentionPanel".
NO_ATTENTION_MESSAGE = QT_TRANSLATE_NOOP(
    "AttentionPanel",
    "Attention views do not apply to a BiLSTM: it has no attention. Saliency in the Prediction tab still works.",
)
