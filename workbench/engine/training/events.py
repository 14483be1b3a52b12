"""Typed, frozen events that the trainer yields.

Each event holds plain Python values only (floats, ints, strings, lists), never
tensors, so it can cross to the GUI thread and be written to ``metrics.jsonl``
as it is. ``to_record()`` gives the JSON object for that file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    kind: ClassVar[str] = "event"

    def to_record(self) -> dict[str, Any]:
        return {"event": self.kind, **asdict(self)}


@dataclass(frozen=True)
class TrainBegin(Event):
    kind: ClassVar[str] = "train_begin"
    total_steps: int
    num_train_examples: int
    num_validation_examples: int
    steps_per_epoch: int
    device: str
    start_step: int = 0  # > 0 when resuming
    num_parameters: int = 0


@dataclass(frozen=True)
class Status(Event):
    """A line of progress: preparation before the first step (tokenising, building the model), or a re-planned schedule."""

    kind: ClassVar[str] = "status"
    message: str


@dataclass(frozen=True)
class StepLogged(Event):
    kind: ClassVar[str] = "step"
    step: int
    total_steps: int
    epoch: float
    loss: float
    learning_rate: float
    grad_norm: float
    samples_per_second: float
    elapsed_s: float
    eta_s: float


@dataclass(frozen=True)
class EvalDone(Event):
    kind: ClassVar[str] = "eval"
    step: int
    epoch: float
    metrics: dict[str, Any]
    # Why this evaluation happened: "scheduled" (a multiple of eval_every), "epoch_end"
    # (an epoch ended between two scheduled ones) or "final" (the run ended off the
    # schedule: its last step, a time limit). Records written before the field existed
    # read as "scheduled", which is how they were drawn.
    reason: str = "scheduled"


@dataclass(frozen=True)
class CheckpointSaved(Event):
    kind: ClassVar[str] = "checkpoint"
    step: int
    path: str
    is_best: bool = False


@dataclass(frozen=True)
class Paused(Event):
    kind: ClassVar[str] = "paused"
    step: int


@dataclass(frozen=True)
class Resumed(Event):
    kind: ClassVar[str] = "resumed"
    step: int


@dataclass(frozen=True)
class TrainFinished(Event):
    kind: ClassVar[str] = "finished"
    step: int
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrainCancelled(Event):
    kind: ClassVar[str] = "cancelled"
    step: int
    checkpoint: str | None = None


@dataclass(frozen=True)
class TrainFailed(Event):
    kind: ClassVar[str] = "failed"
    step: int
    reason: str  # "non_finite_loss" | "non_finite_weights" | "out_of_memory" | "error"
    message: str
    last_checkpoint: str | None = None

