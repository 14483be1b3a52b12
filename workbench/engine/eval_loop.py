"""The task-free pieces of evaluation: its result type and options, batches, precision and masks.

Each task's ``evaluate`` (``workbench/engine/tasks/``) runs its own loop with these;
``evaluation.evaluate`` is the one entry point that picks the task. This module imports
no task (the tasks import it) and imports torch only inside the functions that need it,
so a task module stays light to import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

    from workbench.engine.encoding import Encoded

# The masks used for masked-LM evaluation are drawn from this seed, so every
# evaluation of a run scores the same masked positions.
EVAL_MASK_SEED = 1234


@dataclass
class EvalResult:
    metrics: dict[str, Any]
    # Classification: predicted id, probabilities and loss per example, in the
    # order of the encoded examples (None for other tasks). Multi-label: (N, L)
    # 0/1 decisions, (N, L) sigmoid probabilities, mean BCE per example.
    predictions: np.ndarray | None = None
    probabilities: np.ndarray | None = None
    losses: np.ndarray | None = None
    # Token classification: predicted tag ids per word.
    tag_predictions: list[list[int]] = field(default_factory=list)
    # Question answering: one dict per question (id, answer, span, scores, exact, f1).
    qa_predictions: list[dict[str, Any]] = field(default_factory=list)
    # Sequence to sequence: the text generated for each example (None: not in the sample generated).
    generated: list[str | None] = field(default_factory=list)
    # The metrics come from a sample of the examples (``EvalOptions.sample_limit``): the end of a
    # run evaluates again on all of them.
    partial: bool = False


@dataclass(frozen=True)
class EvalOptions:
    """What an evaluation is run with; a task reads the fields it needs."""

    label_names: Sequence[str] = ()
    batch_size: int = 64
    device: Any = None  # torch.device; evaluation.evaluate fills in the model's
    precision: str = "fp32"
    unigram: Any = None  # language models: training-token counts, for the unigram baseline
    thresholds: Sequence[float] | None = None  # multi-label: the cut per label (None: 0.5 for all)
    null_threshold: float = 0.0  # question answering: how much "no answer" must win by
    # The most examples a costly part of an evaluation looks at (seq2seq: generation); None: all.
    sample_limit: int | None = None
    # Called by a task that counts its own work (``Task.reports_eval_progress``) before each unit
    # of it, with (units done, units in all); may raise to stop the evaluation there.
    progress: Callable[[int, int], None] | None = None


def special_tokens_mask(input_ids: torch.Tensor, tokenizer: PreTrainedTokenizerBase) -> torch.Tensor:
    import torch

    ids = torch.tensor(sorted(set(tokenizer.all_special_ids)), dtype=input_ids.dtype)
    return torch.isin(input_ids, ids)


def autocast_context(device: torch.device, precision: str) -> Any:
    import torch

    if precision == "bf16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    if precision == "fp16":
        return torch.autocast(device_type=device.type, dtype=torch.float16)
    return nullcontext()


def move(batch: dict[str, torch.Tensor], device: torch.device) -> dict[str, torch.Tensor]:
    if device.type == "cpu":
        return batch
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}


def eval_batches(encoded: Encoded, batch_size: int) -> list[list[int]]:
    """Indices of each evaluation batch: in order, no shuffling (sorted by length, so little padding)."""
    from workbench.engine.training.batching import epoch_batches

    return epoch_batches(encoded.lengths, batch_size, seed=0, epoch=0, shuffle=False)


def pad_eval_batch(encoded: Encoded, indices: list[int], tokenizer: Any, *, left: bool | None = None) -> dict[str, torch.Tensor]:
    """The features at ``indices`` as padded tensors; ``left`` None: on the side the tokenizer pads."""
    from workbench.engine.training.batching import pad_batch, pads_left

    side = pads_left(tokenizer) if left is None else left
    return pad_batch([encoded.features[i] for i in indices], tokenizer.pad_token_id, left=side)
