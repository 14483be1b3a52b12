"""Checkpoints without a task head (MiniLM, a sentence encoder, a bare GPT-2): attention only.

Such a checkpoint cannot predict or explain anything, but its attention is all
in the encoder (or decoder), so ``BareModel`` loads it through ``AutoModel`` and
offers what the inspection views use from a ``Predictor``: ``model``,
``tokenizer``, ``max_length``, ``source``, ``task`` (None) and ``label_names``
(empty). ``predict`` refuses with one sentence that says why and how to fine-tune.

``heads.is_headless`` and ``heads.headless_message`` are what ``Predictor.load``
uses to say the same when it is asked to predict with such a checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.engine.errors import ModelError
from workbench.engine.models.heads import headless_message
from workbench.engine.models.loading import (
    ModelSource,
    fit_tokenizer_to_model,
    load_pretrained,
    load_tokenizer,
    resolve_spec,
)

# Prediction's default window for a checkpoint that does not say (the Predictor's too).
DEFAULT_MAX_LENGTH = 512


@dataclass
class BareModel:
    """A checkpoint loaded without a head: for attention maps, never for predictions."""

    model: Any
    tokenizer: Any
    max_length: int
    source: ModelSource
    task: None = None
    label_names: list[str] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        spec: str | Path | ModelSource,
        *,
        allow_pickle: bool = False,
        trust_remote_code: bool = False,
        device: str = "cpu",
    ) -> BareModel:
        """The bare encoder or decoder of ``spec`` (with the same safety checks as every load)."""
        import torch

        source = spec if isinstance(spec, ModelSource) else resolve_spec(str(spec))
        if source.kind == "preset":
            raise ModelError(
                f"{source.spec!r} is an untrained preset: there are no weights to look at yet. "
                f"Train it first (workbench train --model {source.spec} ...)."
            )
        tokenizer = load_tokenizer(source)
        model = load_pretrained(source, None, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
        model.to(torch.device(device)).eval()
        fit_tokenizer_to_model(model, tokenizer)
        limit = getattr(tokenizer, "model_max_length", DEFAULT_MAX_LENGTH)
        return cls(model, tokenizer, int(min(limit, DEFAULT_MAX_LENGTH)), source)

    @property
    def no_head_message(self) -> str:
        return headless_message(self.source)

    def predict(self, texts: list[str], **_: Any) -> list[dict[str, Any]]:
        raise ModelError(self.no_head_message)
