"""Training on several processes with PyTorch's DistributedDataParallel (DDP).

Launched by ``torchrun``, which starts one process per device and tells each
its place through environment variables (``RANK``, ``WORLD_SIZE``,
``LOCAL_RANK``, ``MASTER_ADDR``/``MASTER_PORT``)::

    torchrun --nproc-per-node 2 -m workbench train --data train.tsv --model bert-tiny ...

How a run is split (the trainer calls into this module; a plain one-process
run never touches it):

1. ``detect`` reads torchrun's variables; ``join`` initialises the process
   group once (NCCL on a GPU, gloo on the CPU); the trainer always leaves it.
2. ``batch_size`` stays the GLOBAL batch. Every rank computes the same
   length-grouped batch order (``epoch_batches`` depends only on seed and
   epoch), pads and masks the whole global micro-batch exactly as one process
   would, and then computes the loss of its own contiguous share of the rows
   (``shard_rows``). So the global batch, its padding and its masked-LM masks
   are the ones a single process would use.
3. ``shard_loss`` (run through DDP by ``DataParallelLoss``) weights each
   rank's mean loss by its share of the micro-batch's loss units (the task's
   ``loss_units``: samples, or labelled tokens for token-level losses) times
   the world size: DDP averages
   gradients over ranks, so the averaged gradient is the gradient of the
   single-process loss, and the logged loss (the ranks' contributions summed)
   is the single-process loss. Dropout draws different numbers per rank, so
   with dropout the losses agree in distribution, not digit for digit.
4. Stop requests and step times are agreed on at every step boundary
   (``agree_stop``, ``agree_max``), so every rank stops, evaluates and
   re-plans a time budget at the same step.
5. ``gathered_evaluation`` shards the validation batches over the ranks,
   gathers the model outputs on rank 0, which computes the task's metrics
   with the ordinary ``evaluate`` code, and broadcasts them.
6. Only rank 0 writes the run folder (the trainer gives other ranks no
   ``RunFolder``) and prints progress.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import torch

from workbench.engine.errors import ConfigError
from workbench.engine.eval_loop import (
    EvalResult,
    autocast_context,
    eval_batches,
    move,
    pad_eval_batch,
)
from workbench.engine.tasks.registry import get_task

if TYPE_CHECKING:
    from workbench.engine.encoding import Encoded
    from workbench.engine.tasks.base import Task

# A collective waits this long for the slowest rank (rank 0 saving a large
# model, or evaluating a language model alone) before the run fails.
_COLLECTIVE_TIMEOUT = timedelta(minutes=60)


@dataclass(frozen=True)
class DistEnv:
    """This process's place in a torchrun launch (rank 0 of 1 when not launched by torchrun)."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def detect(environ: Mapping[str, str] | None = None) -> DistEnv:
    """Read torchrun's environment variables; ``DistEnv()`` when they are absent."""
    env = os.environ if environ is None else environ
    if "WORLD_SIZE" not in env:
        return DistEnv()
    try:
        world = int(env["WORLD_SIZE"])
        rank = int(env.get("RANK", "0"))
        local = int(env.get("LOCAL_RANK", str(rank)))
    except ValueError as exc:
        raise ConfigError(
            f"distributed training: RANK/WORLD_SIZE/LOCAL_RANK must be integers ({exc}). "
            "Launch with torchrun, which sets them."
        ) from exc
    if world < 1 or not 0 <= rank < world or local < 0:
        raise ConfigError(
            f"distributed training: RANK={rank} and WORLD_SIZE={world} do not fit together. "
            "Launch with torchrun, which sets them."
        )
    return DistEnv(rank, world, local)


def device_for(env: DistEnv, device: torch.device) -> torch.device:
    """The device this rank trains on: its own GPU (``cuda:LOCAL_RANK``), else the CPU."""
    if not env.enabled:
        return device
    if device.type == "cuda":
        count = torch.cuda.device_count()
        if env.local_rank >= count:
            raise ConfigError(
                f"distributed training: local rank {env.local_rank} has no GPU (this node has {count}). "
                f"Use --nproc-per-node {count} or fewer, or --device cpu."
            )
        return torch.device("cuda", env.local_rank)
    if device.type == "mps":
        return torch.device("cpu")  # no collective backend for MPS: gloo on the CPU
    return device


def backend_for(device: torch.device) -> str:
    return "nccl" if device.type == "cuda" else "gloo"


def join(env: DistEnv, device: torch.device) -> Callable[[], None]:
    """Initialise the process group for this run; returns ``leave``, which destroys it.

    The trainer calls ``leave`` in a ``finally``, so the group is destroyed on
    success, error and stop alike. Does nothing in a one-process run, or when
    the caller already initialised a group (the caller then owns it).
    """
    import torch.distributed as dist

    if not env.enabled or dist.is_initialized():
        return lambda: None
    if device.type == "cuda":
        torch.cuda.set_device(device)  # NCCL's object collectives use the current device
    try:
        dist.init_process_group(backend_for(device), timeout=_COLLECTIVE_TIMEOUT)
    except (RuntimeError, ValueError) as exc:
        raise ConfigError(
            f"distributed training: could not join the other {env.world_size - 1} process(es) ({exc}). "
            "Check torchrun's --rdzv-endpoint / --master-addr and that every node can reach it."
        ) from exc

    def leave() -> None:
        if dist.is_initialized():
            dist.destroy_process_group()

    return leave


def finish_together(env: DistEnv) -> None:
    """Wait until every rank has ended the run, before any destroys the process group.

    A rank that tears gloo down while a peer's last send or receive is still in flight
    can abort the peer at exit ("terminate called without an active exception", seen
    once in five test-suite runs). Only on a normal end: after an error a peer may never
    arrive, and the error must surface at once.
    """
    if _active(env):
        import torch.distributed as dist

        dist.barrier()


def _active(env: DistEnv) -> bool:
    if not env.enabled:  # one process: no import, nothing to agree on (called at every step)
        return False
    import torch.distributed as dist

    return dist.is_initialized()


# --------------------------------------------------------------------------- step boundaries


def agree_stop(env: DistEnv, stop: bool) -> bool:
    """True on every rank when any rank was asked to stop (one tiny all-reduce per step)."""
    if not _active(env):
        return stop
    return agree_max(env, 1.0 if stop else 0.0) > 0


def agree_max(env: DistEnv, value: float) -> float:
    """The largest ``value`` over the ranks (step times: every rank then sees the same clock)."""
    if not _active(env):
        return value
    import torch.distributed as dist

    t = torch.tensor([value], dtype=torch.float64, device=_collective_device())
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return float(t.item())


def _collective_device() -> torch.device:
    import torch.distributed as dist

    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def check_consistent(env: DistEnv, what: dict[str, Any]) -> None:
    """Raise ConfigError when the ranks prepared different data or tokenizers.

    Every rank reads the data and (for presets) trains its tokenizer itself;
    that is deterministic, but a different file on another node is not.
    """
    if not _active(env):
        return
    import torch.distributed as dist

    digest = hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()
    digests: list[Any] = [None] * env.world_size
    dist.all_gather_object(digests, digest)
    differing = [rank for rank, d in enumerate(digests) if d != digests[0]]
    if differing:
        raise ConfigError(
            f"distributed training: rank(s) {differing} prepared different data or tokenizer than rank 0 "
            f"({', '.join(sorted(what))}). Every node must see the same files."
        )


def tokenizer_fingerprint(tokenizer: Any) -> str:
    vocab = sorted(tokenizer.get_vocab().items())
    return hashlib.sha256(json.dumps(vocab).encode()).hexdigest()


# --------------------------------------------------------------------------- the sharded loss


def shard_rows(batch_rows: int, env: DistEnv) -> range:
    """This rank's contiguous share of a global batch; sizes differ by one at most (may be empty)."""
    base, extra = divmod(batch_rows, env.world_size)
    start = env.rank * base + min(env.rank, extra)
    return range(start, start + base + (1 if env.rank < extra else 0))


class _LossModule(torch.nn.Module):
    """The model plus its task loss as one module, so every forward goes through DDP.

    DDP synchronises gradients only for forwards made through its wrapper;
    the masked-LM loss calls the model's sub-modules directly, so the wrapper
    must see the whole loss computation.
    """

    def __init__(self, model: torch.nn.Module, task: Task) -> None:
        super().__init__()
        self.model = model
        self.task = task

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.task.loss(self.model, batch)


def shard_loss(
    loss_fn: Callable[[dict[str, torch.Tensor]], torch.Tensor], task: str, batch: dict[str, torch.Tensor],
    env: DistEnv, share: float, *, device: torch.device, precision: str = "fp32",
) -> tuple[torch.Tensor, torch.Tensor]:
    """This rank's loss on its rows of a global micro-batch: (loss to backward, detached contribution).

    ``batch`` is the whole padded micro-batch on the CPU; ``loss_fn`` returns the
    mean loss of the rows it is given (the DDP-wrapped task loss). The loss to
    backward is the rank's mean weighted by its share of the micro-batch's loss
    units, times the world size (DDP averages gradients over the ranks), times
    ``share`` (the micro-batch's weight in the step). The contributions of all
    ranks sum to the single-process loss of the micro-batch times ``share``.
    """
    # (B,) on the CPU, no device sync: samples, or labelled tokens for token-level losses.
    units = get_task(task).loss_units(batch)
    rows = shard_rows(len(units), env)
    total = int(units.sum())
    local = int(units[rows.start : rows.stop].sum())
    # A rank with no rows (a last batch smaller than the world) still runs one
    # row with weight 0: DDP needs every rank in every gradient all-reduce.
    index = slice(rows.start, rows.stop) if len(rows) else slice(0, 1)
    shard = {key: value[index] for key, value in batch.items()}
    # NaN when the whole micro-batch has no target: one process logs a NaN loss
    # too, and every rank then fails the step alike.
    weight = (local / total) * share if total else math.nan
    with autocast_context(device, precision):
        loss = loss_fn(move(shard, device)).float()
    if local == 0:
        loss = loss.nan_to_num(0.0)  # the mean over no targets is NaN; its gradient is zero
    contribution = loss * weight
    return contribution * env.world_size, contribution.detach()


class DataParallelLoss:
    """Forward and backward of this rank's share of global micro-batches, through DDP."""

    def __init__(self, model: torch.nn.Module, task: str, env: DistEnv, device: torch.device) -> None:
        from torch.nn.parallel import DistributedDataParallel

        self.env = env
        self.task = task
        self.device = device
        # Transformers' buffers (position ids) are constants, identical on every rank:
        # syncing them before every forward would be wasted traffic (newer torch renamed the option).
        no_buffer_sync = (
            {"forward_sync_buffers": False}
            if "forward_sync_buffers" in inspect.signature(DistributedDataParallel).parameters
            else {"broadcast_buffers": False}
        )
        self.ddp = DistributedDataParallel(
            _LossModule(model, get_task(task)),
            device_ids=[device.index] if device.type == "cuda" else None,
            # Every step runs the same code on every rank (a rank without rows still runs one),
            # so the graph is static: DDP learns once which parameters a task leaves unused
            # (a pooler, a head) instead of walking the autograd graph at every step.
            static_graph=True,
            **no_buffer_sync,
        )

    def backward(
        self, batch: dict[str, torch.Tensor], share: float, *, precision: str, scaler: Any = None,
    ) -> torch.Tensor:
        """Backward of this rank's rows of ``batch`` (the whole padded global micro-batch, on the CPU).

        ``share`` is the micro-batch's weight in the optimizer step (its samples
        over the step's). Every micro-batch's backward all-reduces its gradients
        (``no_sync`` does not work with a static graph): with gradient accumulation
        that is ``grad_accum`` times the traffic of one all-reduce per step, and the
        sum stays exact because the gradients already averaged are equal on all
        ranks. Returns this rank's detached contribution to the logged loss.
        """
        scaled, contribution = shard_loss(self.ddp, self.task, batch, self.env, share,
                                          device=self.device, precision=precision)
        (scaler.scale(scaled) if scaler is not None else scaled).backward()
        return contribution

    def reduce(self, contribution_sum: torch.Tensor) -> float:
        """The step's loss as one process computes it: the sum of the ranks' contributions."""
        import torch.distributed as dist

        total = contribution_sum.clone()
        if _active(self.env):
            dist.all_reduce(total, op=dist.ReduceOp.SUM)
        return float(total)  # one host sync per step, as in one process


# --------------------------------------------------------------------------- evaluation


class _Replay(torch.nn.Module):
    """Stands in for the model on rank 0: returns the outputs the ranks computed, batch by batch."""

    def __init__(self, model: Any, outputs: list[dict[str, torch.Tensor]]) -> None:
        super().__init__()
        self.config = model.config
        self._outputs = iter(outputs)

    def forward(self, **batch: torch.Tensor) -> SimpleNamespace:
        out = next(self._outputs)
        rows = {value.shape[0] for value in out.values() if value.dim() > 0}
        if rows != {batch["input_ids"].shape[0]}:  # a bug, not a user error: the batch orders must match
            raise RuntimeError("distributed evaluation: gathered outputs do not match the evaluation batches.")
        return SimpleNamespace(**out)


def _forward_outputs(
    model: Any, tokenizer: Any, task: str, encoded: Encoded, batches: list[tuple[int, list[int]]],
    device: torch.device, precision: str,
) -> dict[int, dict[str, torch.Tensor]]:
    """What the evaluators read from ``model(**batch)`` for each (number, indices) batch, on the CPU."""
    outputs: dict[int, dict[str, torch.Tensor]] = {}
    # As the task's own evaluation forwards: with the labels, padded on the right (question
    # answering scores its loss), or without them, padded on the tokenizer's side.
    with_labels = get_task(task).eval_forward_with_labels
    for number, indices in batches:
        batch = pad_eval_batch(encoded, indices, tokenizer, left=False if with_labels else None)
        if not with_labels:
            batch.pop("labels", None)
        with autocast_context(device, precision):
            out = model(**move(batch, device))
        kept = {}
        for key in ("logits", "start_logits", "end_logits", "loss"):
            value = getattr(out, key, None)
            if value is not None:
                kept[key] = value.float().cpu()
        outputs[number] = kept
    return outputs


def gathered_evaluation(
    env: DistEnv, model: Any, tokenizer: Any, task: str, encoded: Encoded, batch_size: int,
    device: torch.device, precision: str, run_eval: Callable[[Any], EvalResult],
) -> EvalResult:
    """Evaluate with the validation batches shared out over the ranks.

    1. every rank forwards batches rank, rank + W, rank + 2W, ... of the order
       ``evaluate`` uses (sorted by length);
    2. rank 0 gathers the outputs and runs ``run_eval`` (the ordinary
       ``evaluate``) on a stand-in model that replays them, so metrics are
       computed by the same code as in one process;
    3. the metrics are broadcast, so every rank takes the same decisions
       (best checkpoint, early stopping).

    Language models are evaluated by rank 0 alone: their (B, T, V) logits are far
    too large to gather (``Task.gathers_eval_outputs``), so the others wait (same
    wall time as one process, no extra memory). Other ranks get an ``EvalResult``
    holding the metrics only.
    """
    import torch.distributed as dist

    if not _active(env):
        return run_eval(model)
    result: EvalResult | None = None
    if get_task(task).gathers_eval_outputs:
        batches = list(enumerate(eval_batches(encoded, batch_size)))
        mine = batches[env.rank :: env.world_size]
        was_training = model.training
        model.eval()
        try:
            with torch.inference_mode():
                outputs = _forward_outputs(model, tokenizer, task, encoded, mine, device, precision)
        finally:
            model.train(was_training)
        gathered: list[Any] | None = [None] * env.world_size if env.is_main else None
        dist.gather_object(outputs, gathered, dst=0)
        if env.is_main:
            assert gathered is not None
            merged = {k: v for part in gathered for k, v in part.items()}
            result = run_eval(_Replay(model, [merged[n] for n, _ in batches]))
    elif env.is_main:
        result = run_eval(model)
    # ``partial`` too: every rank must agree whether the run's end evaluates again on all examples.
    box: list[Any] = [(result.metrics, result.partial) if result is not None else None]
    dist.broadcast_object_list(box, src=0)
    return result if result is not None else EvalResult(box[0][0], partial=box[0][1])

