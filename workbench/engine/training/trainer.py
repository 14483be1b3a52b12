"""The trainer: a generator of typed events, steered by a ``TrainControl``.

    trainer = Trainer(config)
    for event in trainer.run(control):   # TrainBegin, StepLogged, EvalDone, CheckpointSaved, ...
        ...

The CLI draws a progress bar from the events, the GUI runs the same generator in
a worker thread. Every event is also appended to the run folder's
``metrics.jsonl`` (when the run has an output folder). The trainer knows nothing
about who consumes it: it checks the control object at every step boundary,
which is where pause, stop and "save now" land.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from workbench.engine import background
from workbench.engine.data.sources import data_fingerprint
from workbench.engine.encoding import Encoded
from workbench.engine.errors import ConfigError, WorkbenchError
from workbench.engine.eval_loop import autocast_context, move
from workbench.engine.evaluation import evaluate
from workbench.engine.models.loading import (
    build_from_scratch,
    fit_tokenizer_to_model,
    load_pretrained,
    load_tokenizer,
    needs_prefix_space,
    resolve_spec,
)
from workbench.engine.models.preset_tasks import from_scratch_advice
from workbench.engine.models.presets import PRESETS
from workbench.engine.models.saving import save_model_folder
from workbench.engine.models.tokenizer_workshop import tokenizer_for_preset
from workbench.engine.run_status import RunStatus
from workbench.engine.runs import RunFolder
from workbench.engine.task_data import DatasetBundle
from workbench.engine.tasks.language_model import UnigramCounts, unigram_counts
from workbench.engine.tasks.registry import best_metric, get_task
from workbench.engine.training import checkpoint_checks, distributed
from workbench.engine.training import checkpoints as ckpt
from workbench.engine.training.batching import epoch_batches, pad_batch, pads_left
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.control import TrainControl
from workbench.engine.training.events import (
    CheckpointSaved,
    EvalDone,
    Event,
    Paused,
    Resumed,
    Status,
    StepLogged,
    TrainBegin,
    TrainCancelled,
    TrainFailed,
    TrainFinished,
)
from workbench.engine.training.faults import OutOfMemory, as_workbench_error
from workbench.engine.training.heap import reuse_freed_memory
from workbench.engine.training.optim import Schedule, build_optimizer, build_scheduler, freeze
from workbench.engine.training.pretraining import (
    NSP_EVAL_SEED,
    NSP_SPLIT_NOTE,
    check_nsp_model,
    encode_nsp,
    fresh_head_note,
    masked_lm_copy,
    nsp_problem,
)
from workbench.engine.training.reporters import ReporterSet, reporters_for_run
from workbench.engine.training.setup import choose_device, load_training_data, precision_choice

# Evaluations per run when eval_every is not set: enough points for a curve,
# but never more often than every 20 steps (evaluation costs as much as training).
_DEFAULT_EVALS_PER_RUN = 10
_MIN_DEFAULT_EVAL_EVERY = 20
# A time budget re-plans the schedule from the measured speed after 5 and 20 steps
# (the first steps are slower: allocation, warm caches), then every 50 (the machine's
# load changes).
_BUDGET_REPLAN_EVERY = 50


def _eval_reason(step: int, eval_every: int, end_of_epoch: bool, last_step: bool) -> str | None:
    """Why ``step`` is evaluated (the ``EvalDone.reason``), or None when it is not.

    The eval_every schedule comes first: a scheduled step that also ends an epoch or
    the run is one "scheduled" evaluation, never two.
    """
    if step % eval_every == 0:
        return "scheduled"
    if end_of_epoch:
        return "epoch_end"
    if last_step:
        return "final"
    return None


def _default_eval_every(total_steps: int) -> int:
    """eval_every when the config leaves it unset (it follows a re-planned total)."""
    return max(total_steps // _DEFAULT_EVALS_PER_RUN, _MIN_DEFAULT_EVAL_EVERY)


@dataclass
class _Position:
    """Where the run is: what exact resume needs besides weights and optimizer.

    Saved in every checkpoint's ``trainer_state.json`` (``to_dict``) and read back
    from it (``from_dict``).
    """

    step: int = 0
    epoch: int = 0
    batch_in_epoch: int = 0  # optimizer steps already taken in this epoch
    best_metric: float | None = None
    best_checkpoint: str | None = None
    evals_without_improvement: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> _Position:
        # Every checkpoint holds the step and epoch position; early stopping's fields came later.
        return cls(
            step=int(state["step"]), epoch=int(state["epoch"]), batch_in_epoch=int(state["batch_in_epoch"]),
            best_metric=state.get("best_metric"), best_checkpoint=state.get("best_checkpoint"),
            evals_without_improvement=int(state.get("evals_without_improvement", 0)),
        )


@dataclass
class _Run:
    """What the named parts of one training loop share: optimizer, plan, clock and how it ends."""

    optimizer: torch.optim.Optimizer
    scheduler: Any
    scaler: Any  # fp16's GradScaler, else None
    generators: dict[str, torch.Generator]  # "mask": masked-LM masking, saved for resume
    schedule: Schedule
    steps_per_epoch: int
    planned_steps: int  # from the epochs or max_steps
    total_steps: int  # the plan: a time budget may shorten it
    eval_every: int
    start_step: int
    num_parameters: int
    train_time: float = 0.0
    samples_seen: int = 0
    last_eval: dict[str, Any] = field(default_factory=dict)
    last_eval_step: int = -1
    status: RunStatus = RunStatus.RUNNING  # the loop goes on while it is RUNNING
    pending_save: bool = False  # steps taken since the last checkpoint


class Trainer:
    def __init__(
        self, config: TrainConfig, *, resume_from: str | Path | None = None, checkpoint: str | None = None
    ) -> None:
        """``checkpoint`` (with ``resume_from``): resume from this checkpoint instead of ``latest``."""
        config.validate()
        self.config = config
        self.task = get_task(config.task)  # everything task-specific asks it
        self.run_folder = RunFolder(config.output) if config.output else None
        self.resume_from = Path(resume_from) if resume_from else None
        self.checkpoint_name = checkpoint
        self._resume_ckpt: Path | None = None  # verified once, in prepare()
        self._data_digest: str | None = None
        self._data_file_sha256: str | None = None  # of the training file itself, recorded in summary.json
        self._training_started = False  # failures before this leave the run folder untouched
        self._process_record: background.ProcessInfo | None = None  # RUN/process.json naming this process, while it trains
        if self.run_folder and self.resume_from is None and self.run_folder.metrics_path.exists():
            # Never mix two runs' metrics or overwrite a finished model by accident.
            raise ConfigError(
                f"{self.run_folder.path} already holds a run. Choose another output folder, "
                f"or continue that run with --resume {self.run_folder.path}."
            )
        self.dist = distributed.detect()  # torchrun's RANK/WORLD_SIZE; one process otherwise
        if not self.dist.is_main:
            self.run_folder = None  # only rank 0 writes metrics, checkpoints, the model and the summary
        self._ddp_loss: distributed.DataParallelLoss | None = None  # set for a torchrun launch
        # Filled by prepare():
        self.bundle: DatasetBundle | None = None
        self.model: Any = None
        self.tokenizer: Any = None
        self.label_names: list[str] = []
        self.device = torch.device("cpu")
        self.precision = "fp32"
        self._train: Encoded | None = None
        self._validation: Encoded | None = None
        self.from_scratch = False
        self._snapshot_tokenizer: Any = None
        self._task_cache: dict[str, Any] = {}  # what the task computes once per run (whole-word masking's table)
        self._unigram: UnigramCounts | None = None  # training-token counts, for the LM baselines
        self._last_result: Any = None  # the latest EvalResult: multi-label tunes its cuts on it
        self._task_state: Any = None  # what the task settled after training (multi-label: its cuts)
        self._reporters = ReporterSet((), None)  # set by run(): see _emitter

    # ---- public --------------------------------------------------------------------

    def run(self, control: TrainControl | None = None) -> Iterator[Event]:
        """Prepare, train and finish; yields events (at least one per optimizer step)."""
        control = control or TrainControl()
        emit = self._emitter()
        position = _Position()
        # num_threads is process-wide in torch: give it back when the run ends,
        # so one run's setting does not slow the app (or the next test) afterwards.
        threads_before = torch.get_num_threads()
        leave = distributed.join(self.dist, distributed.device_for(self.dist, choose_device(self.config.device)))
        try:
            yield from emit(self.prepare())
            position = self._restore() if self.resume_from else position
            yield from emit(self._train_loop(control, position))
            distributed.finish_together(self.dist)
        except Exception as exc:  # record the failure in the run folder, then let it surface
            self._reporters.close("failed")
            readable = self._record_failure(exc, position)
            if readable is not None and readable is not exc:
                raise readable from exc
            raise
        finally:
            self._reporters.close("cancelled")  # the consumer stopped early (a no-op once the run ended)
            torch.set_num_threads(threads_before)
            leave()  # torchrun: destroy the process group, also on error or stop
            if self.run_folder:
                background.release_training_process(self.run_folder.path, self._process_record)

    def _record_failure(self, exc: Exception, position: _Position) -> WorkbenchError | None:
        """An exception that ends the run: its readable form (None when unknown), recorded in the run folder."""
        # Known faults (out of memory, a full disk) become readable errors with advice.
        readable = as_workbench_error(exc, batch_size=self.config.batch_size,
                                      max_length=self.config.max_length, step=position.step + 1)
        if isinstance(readable, OutOfMemory) and self.model is not None:
            self.model.zero_grad(set_to_none=True)  # give the memory back: the app lives on
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
        if self.run_folder and self._training_started:
            reason = "out_of_memory" if isinstance(readable, OutOfMemory) else "error"
            message = str(readable) if readable is not None else f"{type(exc).__name__}: {exc}"
            try:
                self.run_folder.append_metric(TrainFailed(position.step, reason, message).to_record())
                self._write_summary(position, RunStatus.FAILED, {}, 0.0, 0)
            except OSError:
                pass  # the disk may be the very problem; the error below says so
        return readable

    def _choose_precision(self) -> Iterator[Event]:
        """fp32, bf16 or fp16 for this device; auto on a CPU asks the bf16 probe (measured once per machine)."""
        choice = precision_choice(self.config.precision, self.device)
        self.precision = choice.precision
        if choice.reason != "asked":
            yield Status(f"Precision: {choice.describe()}")

    def prepare(self) -> Iterator[Event]:
        """Load data, build or load the model, tokenise once."""
        cfg = self.config
        if cfg.num_threads:
            torch.set_num_threads(cfg.num_threads)
        torch.manual_seed(cfg.seed)
        self.device = distributed.device_for(self.dist, choose_device(cfg.device))
        yield from self._choose_precision()
        yield Status(f"Reading {cfg.data}")
        self.bundle = load_training_data(cfg)
        self._data_file_sha256 = data_fingerprint(cfg.data)  # which file (folder, hub id) this run learned from
        self.label_names = list(self.bundle.label_names)
        source = resolve_spec(cfg.model)
        self.from_scratch = source.kind == "preset"
        nsp = cfg.next_sentence_prediction
        if nsp and (problem := nsp_problem(cfg.model)):
            raise ConfigError(problem)
        if self.resume_from is not None:
            checkpoint = self._resume_checkpoint()  # verified: a corrupt one offers the previous
            # Refuse a checkpoint made for another model, label set or data before loading it.
            checkpoint_checks.refuse_mismatch(checkpoint, self._saved_fingerprint(checkpoint), self._fingerprint())
            yield Status(f"Loading checkpoint {checkpoint.name}")
            source = resolve_spec(str(checkpoint))
            self.model = load_pretrained(source, cfg.task, self.label_names, next_sentence_prediction=nsp)
            self.tokenizer = load_tokenizer(source)
        elif self.from_scratch:
            advice = from_scratch_advice(cfg.model, cfg.task)
            if advice:
                yield Status(advice)
            yield Status(f"Training a tokenizer for {cfg.model} on {len(self.bundle.train)} texts")
            # A tokenizer made in the tokenizer workshop, checked for the preset and the task.
            workshop = tokenizer_for_preset(cfg.tokenizer, PRESETS[cfg.model].family, cfg.task) if cfg.tokenizer else None
            self.model, self.tokenizer = build_from_scratch(
                cfg.model, cfg.task, self.task.tokenizer_texts(self.bundle.train), self.label_names,
                layers=cfg.layers, heads=cfg.heads, hidden=cfg.hidden, vocab_size=cfg.vocab_size,
                seed=cfg.seed, next_sentence_prediction=nsp, tokenizer=workshop,
            )
        else:
            yield Status(f"Loading {cfg.model}")
            needs_prefix = self.task.words_input and needs_prefix_space(source)
            self.tokenizer = load_tokenizer(source, add_prefix_space=True if needs_prefix else None)
            self.model = load_pretrained(
                source, cfg.task, self.label_names,
                allow_pickle=cfg.allow_pickle, trust_remote_code=cfg.trust_remote_code,
                next_sentence_prediction=nsp,
            )
            if self.task.language_model and (note := fresh_head_note(self.model, source)):
                yield Status(note)  # e.g. an encoder checkpoint without a masked-LM head
        if nsp:
            check_nsp_model(self.model, cfg.model)  # a hub id's architecture is known only now
        fit_tokenizer_to_model(self.model, self.tokenizer)
        freeze(self.model, embeddings=cfg.freeze_embeddings, layers=cfg.freeze_layers)
        self.model.to(self.device)
        yield Status("Tokenising")
        if nsp:  # sentence pairs instead of blocks, drawn once from the seed (so resume is exact)
            self._train = encode_nsp(self.bundle.train, self.tokenizer, cfg.max_length, cfg.seed)
        else:
            # The task's own options come from the meta the model is saved with, so training,
            # evaluation and prediction of the saved model encode alike (a seq2seq source prefix).
            self._train = self.task.encode(self.bundle.train, self.tokenizer, cfg.max_length,
                                           doc_stride=cfg.doc_stride, **self.task.encode_options(self._model_meta()))
        if len(self._train) == 0:
            raise ConfigError(f"{cfg.data}: no training examples left after tokenisation.")
        if self.task.language_model:
            self._unigram = unigram_counts(self._train, self.tokenizer)
        if self.bundle.validation is not None and len(self.bundle.validation):
            if nsp:
                self._validation = encode_nsp(self.bundle.validation, self.tokenizer, cfg.max_length, NSP_EVAL_SEED)
                if cfg.validation is None:
                    yield Status(NSP_SPLIT_NOTE)
            else:
                self._validation = self.task.encode(self.bundle.validation, self.tokenizer, cfg.max_length,
                                                    doc_stride=cfg.doc_stride,
                                                    **self.task.encode_options(self._model_meta()))
        # torchrun: every rank read the data and built the tokenizer itself; refuse to train if they differ.
        distributed.check_consistent(self.dist, {
            "data": self._fingerprint(), "tokenizer": distributed.tokenizer_fingerprint(self.tokenizer),
            "validation_examples": len(self._validation) if self._validation is not None else 0,
        })

    # ---- the loop --------------------------------------------------------------------

    def _train_loop(self, control: TrainControl, pos: _Position) -> Iterator[Event]:
        """Epochs of optimizer steps until the plan is done or something stops the run, then its end."""
        assert self._train is not None
        run = self._start(pos)
        yield TrainBegin(
            total_steps=run.total_steps,
            num_train_examples=len(self._train),
            num_validation_examples=len(self._validation) if self._validation else 0,
            steps_per_epoch=run.steps_per_epoch,
            device=f"{self.device.type} ({self.precision})",
            start_step=pos.step,
            num_parameters=run.num_parameters,
        )
        self.model.train()
        with reuse_freed_memory(self.device):  # CPU: no page faults on each step's tensors (heap.py)
            while run.status is RunStatus.RUNNING and pos.step < run.total_steps:
                yield from self._epoch(control, run, pos)
        if run.status is RunStatus.CANCELLED:
            yield from self._cancel(run, pos)
        elif run.status is not RunStatus.FAILED:  # a failure was reported where it happened
            yield from self._finish(run, pos)

    def _start(self, pos: _Position) -> _Run:
        """The plan, optimizer and schedule (a resumed run's restored), and the run folder."""
        cfg = self.config
        assert self._train is not None
        n_params = sum(p.numel() for p in self.model.parameters())
        lr = cfg.resolved_lr(self.from_scratch, n_params)
        steps_per_epoch = cfg.steps_per_epoch(len(self._train))
        total_steps = cfg.total_steps(len(self._train))
        eval_every = cfg.eval_every or _default_eval_every(total_steps)
        optimizer = build_optimizer(self.model, lr, cfg.weight_decay, self.device)
        planned_steps = total_steps
        if cfg.max_minutes is not None and self.resume_from is not None:
            # A time budget may have shortened the plan: keep the resumed run's schedule.
            total_steps = int(self._resume_state.get("total_steps", total_steps))
        schedule = Schedule(total_steps, cfg.warmup_ratio)
        scheduler = build_scheduler(optimizer, schedule)
        generators = {"mask": torch.Generator().manual_seed(cfg.seed + 17)}  # masked-LM masking
        if self.resume_from is not None:
            self._load_optimizer(optimizer, scheduler, generators)
        scaler = torch.amp.GradScaler(self.device.type) if self.precision == "fp16" else None
        if self.dist.enabled:  # DDP: starts by broadcasting rank 0's weights to every rank
            self._ddp_loss = distributed.DataParallelLoss(self.model, cfg.task, self.dist, self.device)
        if self.run_folder:
            self.run_folder.create()
            ckpt.clean_partial(self.run_folder.checkpoints_dir)
            ckpt.clean_partial(self.run_folder.path)  # a kill during the final model's save
            self.config.save(self.run_folder.config_path)
            # Who trains the run: a follower in another process tells a dead process from a slow one at once.
            self._process_record = background.record_training_process(self.run_folder.path)
        self._training_started = True
        return _Run(
            optimizer=optimizer, scheduler=scheduler, scaler=scaler, generators=generators, schedule=schedule,
            steps_per_epoch=steps_per_epoch, planned_steps=planned_steps, total_steps=total_steps,
            eval_every=eval_every, start_step=pos.step, num_parameters=n_params,
        )

    def _epoch(self, control: TrainControl, run: _Run, pos: _Position) -> Iterator[Event]:
        """The rest of the current epoch: until it ends, the plan is done or the run stops."""
        cfg = self.config
        assert self._train is not None
        batches = epoch_batches(self._train.lengths, cfg.batch_size, cfg.seed, pos.epoch)
        groups = [batches[i : i + cfg.grad_accum] for i in range(0, len(batches), cfg.grad_accum)]
        for group in groups[pos.batch_in_epoch :]:
            if pos.step >= run.total_steps:
                break
            yield from self._between_steps(control, run, pos)
            if run.status is not RunStatus.RUNNING:
                return
            yield from self._train_step(group, run, pos, len(groups))
            if run.status is not RunStatus.RUNNING:
                return
            end_of_epoch = pos.batch_in_epoch >= len(groups)
            yield from self._evaluate_and_save(run, pos, len(groups), end_of_epoch)
            if end_of_epoch or run.status is not RunStatus.RUNNING:
                return
        if pos.batch_in_epoch >= len(groups):
            pos.epoch += 1
            pos.batch_in_epoch = 0

    def _between_steps(self, control: TrainControl, run: _Run, pos: _Position) -> Iterator[Event]:
        """Pause, stop, the time limit and "save now": what lands between two optimizer steps."""
        cfg = self.config
        if control.should_pause:
            yield Paused(pos.step)
            while not control.wait_while_paused(0.1):
                if control.take_snapshot_request():  # live prediction works while paused too
                    control.deliver_snapshot(self.snapshot())
            if not control.should_stop:
                yield Resumed(pos.step)
        # torchrun: a stop asked of any rank (Ctrl-C, STOP file) stops them all at this step
        if distributed.agree_stop(self.dist, control.should_stop):
            run.status = RunStatus.CANCELLED
            return
        if cfg.max_minutes is not None and run.train_time >= cfg.max_minutes * 60:
            run.status = RunStatus.TIME_LIMIT
            return
        if control.take_save_request():
            yield from self._save(run, pos)
            if run.status is RunStatus.FAILED:
                return
        if control.take_snapshot_request():
            control.deliver_snapshot(self.snapshot())

    def _train_step(self, group: list[list[int]], run: _Run, pos: _Position, n_groups: int) -> Iterator[Event]:
        """One optimizer step, timed and logged; a non-finite loss or gradient fails the run."""
        cfg = self.config
        t0 = time.perf_counter()
        loss, n_samples, grad_norm = self._step(group, run.optimizer, run.scheduler, run.scaler,
                                                run.generators["mask"])
        elapsed = time.perf_counter() - t0
        if cfg.max_minutes is not None:  # torchrun: one clock, so every rank re-plans and stops alike
            elapsed = distributed.agree_max(self.dist, elapsed)
        bad_grad = run.scaler is None and cfg.max_grad_norm > 0 and not math.isfinite(grad_norm)
        if not math.isfinite(loss) or bad_grad:
            what = f"loss became {loss}" if not math.isfinite(loss) else f"gradient norm became {grad_norm}"
            yield from self._fail(run, pos, TrainFailed(
                pos.step + 1, "non_finite_loss",
                f"The {what} at step {pos.step + 1}; the weights were not updated. "
                "Try a lower learning rate, or fp32 precision.",
                self._latest_checkpoint(),
            ))
            return
        run.train_time += elapsed
        run.samples_seen += n_samples
        pos.step += 1
        pos.batch_in_epoch += 1
        done = pos.step - run.start_step
        if cfg.max_minutes is not None and (done in (5, 20) or done % _BUDGET_REPLAN_EVERY == 0):
            yield self._replan(run, pos, done)
        yield StepLogged(
            step=pos.step, total_steps=run.total_steps,
            epoch=pos.epoch + pos.batch_in_epoch / n_groups,
            loss=loss, learning_rate=run.scheduler.get_last_lr()[0], grad_norm=grad_norm,
            samples_per_second=run.samples_seen / run.train_time if run.train_time > 0 else 0.0,
            elapsed_s=run.train_time,
            eta_s=(run.train_time / done) * (run.total_steps - pos.step),
        )

    def _replan(self, run: _Run, pos: _Position, done: int) -> Status:
        """Fit the schedule to the time budget from the measured speed of ``done`` steps.

        So the learning rate decays to zero when the time is up instead of stopping mid-schedule.
        """
        budget_s = (self.config.max_minutes or 0.0) * 60
        minutes = f"{self.config.max_minutes:g}"
        fits = pos.step + int((budget_s - run.train_time) / (run.train_time / done))
        run.total_steps = run.schedule.total_steps = max(pos.step + 1, min(run.planned_steps, fits))
        if self.config.eval_every is None:
            run.eval_every = _default_eval_every(run.total_steps)
        if fits >= run.planned_steps:  # the epochs or max_steps end the run first, not the clock
            return Status(f"Time budget: the {run.planned_steps:,} planned steps take less than "
                          f"{minutes} minutes (more epochs or steps would use all of it)")
        return Status(f"Time budget: about {run.total_steps:,} steps fit in {minutes} minutes")

    def _evaluate_and_save(self, run: _Run, pos: _Position, n_groups: int, end_of_epoch: bool) -> Iterator[Event]:
        """The evaluation and checkpoint schedule after a step: evaluate, track the best, save, stop early."""
        # One evaluation per step at most; the reason says which rule asked for it, so
        # curves and logs can tell the eval_every schedule from the extra points.
        reason = _eval_reason(pos.step, run.eval_every, end_of_epoch, pos.step >= run.total_steps)
        if reason is None:
            run.pending_save = True
            return
        if end_of_epoch:
            pos.epoch += 1
            pos.batch_in_epoch = 0
        if self._validation is not None:
            run.last_eval = self._evaluate(final=pos.step >= run.total_steps)
            run.last_eval_step = pos.step
            yield EvalDone(pos.step, pos.epoch + pos.batch_in_epoch / n_groups, run.last_eval, reason)
        improved = self._track_best(pos, run.last_eval)
        if improved and self.run_folder:
            pos.best_checkpoint = ckpt.checkpoint_name(pos.step)
        yield from self._save(run, pos, is_best=improved)
        if run.status is RunStatus.FAILED:
            return
        patience = self.config.early_stopping_patience
        if patience is not None and pos.evals_without_improvement >= patience:
            run.status = RunStatus.EARLY_STOPPED
            return
        run.pending_save = False

    def _save(self, run: _Run, pos: _Position, *, is_best: bool = False) -> Iterator[Event]:
        """A checkpoint of this step; weights gone non-finite fail the run instead."""
        # Every rank checks (DDP keeps the weights identical), so all of them stop together.
        if not _weights_finite(self.model):
            # Never write a checkpoint that cannot be resumed usefully.
            yield from self._fail(run, pos, TrainFailed(
                pos.step, "non_finite_weights",
                f"The weights became non-finite by step {pos.step}; no checkpoint was written for it. "
                "Try a lower learning rate, or fp32 precision.",
                self._latest_checkpoint(),
            ))
            return
        if not self.run_folder:
            return
        trainer_state = {**pos.to_dict(), "total_steps": run.total_steps, "data_fingerprint": self._fingerprint()}
        path = ckpt.save_checkpoint(
            self.run_folder.checkpoints_dir, pos.step, model=self.model, tokenizer=self.tokenizer,
            model_meta=self._model_meta(), optimizer=run.optimizer, scheduler=run.scheduler,
            trainer_state=trainer_state, generators=run.generators,
        )
        if is_best:
            ckpt.mark_best(self.run_folder.checkpoints_dir, path)
        ckpt.prune(self.run_folder.checkpoints_dir, self.config.keep_checkpoints)
        yield CheckpointSaved(pos.step, str(path), is_best)

    def _fail(self, run: _Run, pos: _Position, failure: TrainFailed) -> Iterator[Event]:
        """End the run on a failure found while training: report it, write the summary."""
        yield failure
        self._write_summary(pos, RunStatus.FAILED, run.last_eval, run.train_time, run.samples_seen)
        run.status = RunStatus.FAILED

    def _latest_checkpoint(self) -> str | None:
        latest = ckpt.latest_checkpoint(self.run_folder.checkpoints_dir) if self.run_folder else None
        return str(latest) if latest else None

    def _cancel(self, run: _Run, pos: _Position) -> Iterator[Event]:
        """A stop: checkpoint the steps since the last one (or the first), then say where it is."""
        folder = self.run_folder
        if run.pending_save or not folder or not ckpt.latest_checkpoint(folder.checkpoints_dir):
            yield from self._save(run, pos)
            if run.status is RunStatus.FAILED:
                return
        self._write_summary(pos, RunStatus.CANCELLED, run.last_eval, run.train_time, run.samples_seen)
        yield TrainCancelled(pos.step, self._latest_checkpoint())

    def _finish(self, run: _Run, pos: _Position) -> Iterator[Event]:
        """The plan done, or the clock or early stopping ended it: final evaluation, model and summary."""
        sampled = self._last_result is not None and self._last_result.partial
        if self._validation is not None and (run.last_eval_step != pos.step or sampled):
            # A time limit ended the run between two evaluations, or early stopping after one that
            # looked at a sample only: the final weights get an evaluation on every example.
            run.last_eval = self._evaluate(final=True)
            yield EvalDone(pos.step, float(pos.epoch), run.last_eval, "final")
        if self._last_result is not None and self.dist.is_main:
            # What the task settles on validation with the final weights (multi-label: one cut per label).
            self._task_state, settled = self.task.finish_training(
                self._last_result, self._validation, self.label_names
            )
            run.last_eval = {**run.last_eval, **settled}
        if self.run_folder:
            yield Status("Saving the final model")
            save_model_folder(self.run_folder.model_dir, self.model, self.tokenizer, self._model_meta())
        status = RunStatus.FINISHED if run.status is RunStatus.RUNNING else run.status
        summary = self._write_summary(pos, status, run.last_eval, run.train_time, run.samples_seen)
        if self.run_folder:
            yield from self._write_model_card()  # last: the card quotes summary.json's final metrics
        yield TrainFinished(pos.step, summary)

    def _write_model_card(self) -> Iterator[Event]:
        """``model/README.md`` for the hub; a card that cannot be written does not fail a finished run."""
        from workbench.engine import model_card

        assert self.run_folder is not None
        try:
            model_card.write_card(self.run_folder.path, hardware=model_card.hardware_description(self.device))
        except (OSError, WorkbenchError) as exc:
            yield Status(f"The model card could not be written ({exc}); `workbench push` writes it later.")

    def _step(
        self, group: list[list[int]], optimizer: torch.optim.Optimizer, scheduler: Any,
        scaler: Any, mask_gen: torch.Generator,
    ) -> tuple[float, int, float]:
        """One optimizer step over ``group`` (grad_accum micro-batches). Returns (loss, samples, grad norm)."""
        cfg = self.config
        assert self._train is not None
        features = self._train.features
        total = sum(len(b) for b in group)
        loss_sum = torch.zeros((), device=self.device)
        for indices in group:
            batch = pad_batch([features[i] for i in indices], self.tokenizer.pad_token_id, left=pads_left(self.tokenizer))
            # e.g. masked LM's masking (drawn from mask_gen, saved for exact resume), causal LM's labels
            self.task.prepare_batch(batch, self.tokenizer, mask_gen, whole_word_masking=cfg.whole_word_masking,
                                    cache=self._task_cache)
            if self._ddp_loss is not None:  # torchrun: this rank's rows of the global micro-batch, through DDP
                loss_sum += self._ddp_loss.backward(batch, len(indices) / total, precision=self.precision,
                                                    scaler=scaler)
                continue
            with autocast_context(self.device, self.precision):
                loss = self.task.loss(self.model, move(batch, self.device))
            # Weight each micro-batch by its share of the samples, so accumulation
            # matches one large batch.
            loss = loss.float() * (len(indices) / total)
            if scaler is not None:
                scaler.scale(loss).backward()
            else:
                loss.backward()
            loss_sum += loss.detach()
        # One host sync per step (the loss is logged every step); torchrun: summed over the ranks.
        loss_value = self._ddp_loss.reduce(loss_sum) if self._ddp_loss is not None else float(loss_sum)
        if not math.isfinite(loss_value):
            optimizer.zero_grad(set_to_none=True)
            return loss_value, total, math.nan
        if scaler is not None:
            scaler.unscale_(optimizer)
        params = [p for p in self.model.parameters() if p.grad is not None]
        if cfg.max_grad_norm > 0:
            grad_norm = float(torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm))
            if scaler is None and not math.isfinite(grad_norm):  # (fp16's scaler skips such steps itself)
                optimizer.zero_grad(set_to_none=True)
                return loss_value, total, grad_norm  # the loop stops the run, naming this step
        else:
            grad_norm = math.nan
        if scaler is not None:
            scaler.step(optimizer)
            scaler.update()
        else:
            optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        return loss_value, total, grad_norm

    def snapshot(self) -> Any:
        """A ``Predictor`` over a copy of the current weights, safe to use from another thread.

        Costs one copy of the weights (tens of ms for MiniLM), so it is made
        only when someone asks (the prediction panel, while training runs).
        """
        import copy

        from workbench.engine.inference import Predictor
        from workbench.engine.models.loading import ModelSource

        if self.config.next_sentence_prediction:
            model = masked_lm_copy(self.model).eval()  # fill-mask reads the MLM head alone
        else:
            model = copy.deepcopy(self.model).to("cpu").eval()
        if self._snapshot_tokenizer is None:
            # The fast tokenizer's Python wrapper keeps mutable padding/truncation
            # state, so the other thread gets its own copy.
            self._snapshot_tokenizer = copy.deepcopy(self.tokenizer)
        predictor = Predictor(model, self._snapshot_tokenizer, self.config.task, list(self.label_names),
                              self.config.max_length, ModelSource("folder", self.config.model),
                              doc_stride=self.config.doc_stride, meta=self._model_meta())
        self.task.configure_predictor(predictor, self._model_meta())  # as a saved folder reads it back
        return predictor

    # ---- evaluation, best model -----------------------------------------------------

    def _evaluate(self, *, final: bool = False) -> dict[str, Any]:
        """The validation metrics; before the ``final`` one, a task may look at a sample only (seq2seq's generation)."""
        assert self._validation is not None
        batch_size = max(self.config.batch_size, 64)

        def run_eval(model: Any) -> Any:
            return evaluate(
                model, self.tokenizer, self.config.task, self._validation,
                label_names=self.label_names, batch_size=batch_size,
                device=self.device, precision=self.precision, unigram=self._unigram,
                sample_limit=None if final else self.config.eval_generate_samples,
            )

        # torchrun: the ranks share the batches out, rank 0 computes the metrics, all receive them.
        result = distributed.gathered_evaluation(
            self.dist, self.model, self.tokenizer, self.config.task, self._validation, batch_size,
            self.device, self.precision, run_eval,
        )
        self._last_result = result
        return result.metrics

    def metric_for_best(self) -> tuple[str, bool]:
        """(metric name, greater is better): the config's metric_for_best, else the task's default."""
        return best_metric(self.config.task, self.config.metric_for_best)

    def _track_best(self, pos: _Position, metrics: dict[str, Any]) -> bool:
        name, greater = self.metric_for_best()
        value = metrics.get(name)
        if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
            return False
        better = pos.best_metric is None or (value > pos.best_metric if greater else value < pos.best_metric)
        if better:
            pos.best_metric = float(value)
            pos.evals_without_improvement = 0
        else:
            pos.evals_without_improvement += 1
        return better

    # ---- run folder ------------------------------------------------------------------

    def _emitter(self):
        folder = self.run_folder
        # TensorBoard, MLflow (config.report_to): listeners of what metrics.jsonl gets; rank 0 only
        # (the other ranks have no run folder). They fail alone: a warning, and the run goes on.
        self._reporters = reporters_for_run(self.config.report_to, folder.path if folder else None,
                                            self.config.to_dict(), resuming=self.resume_from is not None)

        def emit(events: Iterator[Event]) -> Iterator[Event]:
            for event in events:
                if folder is not None and not isinstance(event, Status):
                    folder.append_metric(event.to_record())
                    self._reporters.send(event)
                    for warning in self._reporters.take_warnings():
                        yield Status(warning)
                yield event

        return emit

    def _model_meta(self) -> dict[str, Any]:
        """``workbench_model.json``: what every model folder says, then the task's part (e.g. its tuned cuts)."""
        return {
            "task": self.config.task,
            "label_names": self.label_names,
            "max_length": self.config.max_length,
            "base_model": self.config.model,
            **self.task.saved_meta(self.config, self.label_names, self._last_result, self._task_state),
        }

    def _fingerprint(self) -> dict[str, Any]:
        """What a checkpoint must share with the run that resumes it (train_examples once encoded)."""
        assert self.bundle is not None
        if self._data_digest is None:
            self._data_digest = checkpoint_checks.examples_digest(self.bundle.train)
        out: dict[str, Any] = {"model": self.config.model, "task": self.config.task,
                               "label_names": self.label_names, "data_sha256": self._data_digest}
        if self._train is not None:
            out["train_examples"] = len(self._train)
        return out

    @staticmethod
    def _saved_fingerprint(checkpoint: Path) -> dict[str, Any]:
        """The checkpoint's fingerprint; older checkpoints fall back on their model metadata."""
        from workbench.engine.models.loading import read_workbench_meta

        meta = read_workbench_meta(checkpoint)
        saved = {key: meta[name] for key, name in (("model", "base_model"), ("task", "task")) if name in meta}
        return {**saved, **ckpt.load_trainer_state(checkpoint).get("data_fingerprint", {})}

    def _write_summary(
        self, pos: _Position, status: RunStatus, last_eval: dict[str, Any], train_time: float, samples: int
    ) -> dict[str, Any]:
        name, _ = self.metric_for_best()
        summary: dict[str, Any] = {
            "status": status.value,  # the plain string, as summary.json and TrainFinished always held
            "task": self.config.task,
            "model": self.config.model,
            "data": self.config.data,
            "data_file_sha256": self._data_file_sha256,
            "validation": self.config.validation,
            "steps": pos.step,
            "epochs_completed": pos.epoch,
            "train_runtime_s": train_time,
            "train_samples_per_second": samples / train_time if train_time > 0 else 0.0,
            "device": f"{self.device.type} ({self.precision})",
            "world_size": self.dist.world_size,
            "num_parameters": sum(p.numel() for p in self.model.parameters()) if self.model is not None else 0,
            "label_names": self.label_names,
            "metric_for_best": name,
            "best_metric": pos.best_metric,
            "best_checkpoint": pos.best_checkpoint,
            **last_eval,
        }
        if self.run_folder:
            self.run_folder.write_summary(summary)
        return summary

    # ---- resume ----------------------------------------------------------------------

    def _resume_checkpoint(self) -> Path:
        assert self.resume_from is not None
        if self._resume_ckpt is None:
            self._resume_ckpt = checkpoint_checks.resolve_resume_checkpoint(self.resume_from, self.checkpoint_name)
        return self._resume_ckpt

    def _restore(self) -> _Position:
        checkpoint = self._resume_checkpoint()
        state = ckpt.load_trainer_state(checkpoint)
        # Now that the data is encoded, the example count can be compared too.
        checkpoint_checks.refuse_mismatch(checkpoint, self._saved_fingerprint(checkpoint), self._fingerprint())
        self._resume_state = state
        return _Position.from_dict(state)

    def _load_optimizer(self, optimizer: Any, scheduler: Any, generators: dict[str, torch.Generator]) -> None:
        checkpoint = self._resume_checkpoint()
        state = self._resume_state
        ckpt.load_optimizer_state(checkpoint, optimizer, state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        ckpt.restore_rng(state["rng"], generators)


def _weights_finite(model: Any) -> bool:
    """All parameters finite (one host sync for the whole model, not one per tensor)."""
    flags = [torch.isfinite(p).all() for p in model.parameters()]
    return bool(torch.stack(flags).all()) if flags else True
