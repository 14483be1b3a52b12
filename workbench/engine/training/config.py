"""The training configuration: one dataclass, the same for the GUI, the CLI and torchrun.

It round-trips to a JSON file (``workbench train --config FILE`` accepts what a
run folder's ``config.json`` holds), and every non-obvious default says why.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from workbench.engine.errors import ConfigError
from workbench.engine.tasks.registry import TASKS

DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# Settings older versions wrote and this one ignores when it reads them
# (``extra``: a free-form dict that nothing ever read).
_RETIRED = frozenset({"extra"})


def _default_model() -> str:
    # One rule for the CLI, the app and configs (a leaf module: no import cycle, no torch).
    from workbench.engine.models.installed import default_model

    return default_model()


@dataclass
class TrainConfig:
    # --- data ---
    data: str = ""
    validation: str | None = None
    # Held out from the training file when no validation file is given.
    validation_fraction: float = 0.1
    format: str | None = None
    text_column: str | None = None
    text_pair_column: str | None = None
    label_column: str | None = None
    task: str = "classification"
    # multi-label only: what separates a row's labels in the label cell ("news|sport").
    # "|" because commas and semicolons often appear inside CSV cells and label names.
    label_separator: str = "|"

    # --- model ---
    # The first installed pre-trained checkpoint (all-MiniLM-L6-v2), else bert-tiny from
    # scratch: a checkpoint learns from a few hundred rows, a from-scratch model does not.
    model: str = field(default_factory=_default_model)
    # From-scratch presets only: override the preset's shape.
    layers: int | None = None
    heads: int | None = None
    hidden: int | None = None
    vocab_size: int | None = None
    # From-scratch presets only: a folder with a tokenizer.json made in the tokenizer
    # workshop, used instead of training a new tokenizer (vocab_size is then ignored).
    tokenizer: str | None = None
    allow_pickle: bool = False
    trust_remote_code: bool = False

    # Masked LM only: mask whole words (all their WordPiece pieces) instead of
    # single tokens, so a word cannot be guessed from its own visible pieces.
    whole_word_masking: bool = False
    # Masked LM only: BERT's second objective, next-sentence prediction on
    # sentence pairs drawn from the corpus (needs a model with an NSP head).
    next_sentence_prediction: bool = False

    # --- schedule ---
    epochs: float = 3.0
    # When set, wins over epochs (the run stops after this many optimizer steps).
    max_steps: int | None = None
    # A time budget in minutes of training (evaluation excluded): the run ends
    # normally (final evaluation, saved model) at the first step boundary past it.
    # The learning-rate schedule still follows max_steps/epochs.
    max_minutes: float | None = None
    # The global batch: under torchrun it is split over the processes, so a run
    # takes the same steps on any number of them.
    batch_size: int = 32
    # None = automatic: 1e-3 for from-scratch presets (random weights need larger
    # steps; 5e-3 for the BiLSTM, see Preset.lr); for checkpoints 5e-5 (the BERT
    # paper's range for base-sized models) or 1e-4 below 60M parameters (small distilled models such as MiniLM
    # under-fit in a few epochs at 5e-5: 0.86 vs 0.92 UPOS accuracy).
    lr: float | None = None
    # 6% of the steps, the RoBERTa fine-tuning recipe.
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0
    grad_accum: int = 1
    # 128 covers >99% of sentence-level data; longer inputs are truncated and counted.
    max_length: int = 128
    # Question answering only: tokens shared by consecutive windows of a long context
    # (Hugging Face's doc_stride), so an answer cut by one window is whole in the next.
    doc_stride: int = 128
    # Sequence to sequence only: text put before every source, for T5-style models that
    # read the task from the input ("translate English to Chinese: "); saved with the model,
    # so prediction adds it too.
    source_prefix: str = ""
    # Dialogue only: the turns of a conversation its context holds (1: the previous one
    # only; more need conversation and turn columns), joined with turn_separator.
    context_turns: int = 1
    turn_separator: str = " | "
    seed: int = 0

    # --- evaluation, checkpoints, stopping ---
    # Steps between evaluations; None = about 10 evaluations per run (and always at
    # each epoch end and at the finish).
    eval_every: int | None = None
    # None = eval_loss for language models, the task's main metric otherwise.
    metric_for_best: str | None = None
    # Evaluations without improvement before stopping; None = never stop early.
    early_stopping_patience: int | None = None
    # A checkpoint is written at every evaluation; keep the newest k (the best is kept too).
    keep_checkpoints: int = 2
    # Sequence to sequence only: the validation examples generation scores in the evaluations
    # during a run (a fixed sample: generating is slow); the run's last evaluation takes all.
    eval_generate_samples: int = 200

    # --- hardware ---
    device: str = "auto"
    # auto = bf16 autocast on a GPU that supports it, and on a CPU with bf16 units (AVX-512 BF16,
    # AMX) where a probe measured it faster (training.precision_probe); fp32 elsewhere.
    precision: str = "auto"
    # None = let torch decide (all physical cores).
    num_threads: int | None = None

    # --- freezing ---
    freeze_embeddings: bool = False
    freeze_layers: int = 0

    # --- experiment tracking ---
    # Also log to these tools (training/reporters.py): "tensorboard" (event files in the run
    # folder), "mlflow" (MLFLOW_TRACKING_URI, else a file store beside the runs). The run
    # folder stays the record; a tool that fails is switched off with a warning.
    report_to: tuple[str, ...] = ()

    # Internal bookkeeping that is not a user choice goes in the run folder, not here.
    output: str | None = None

    def __post_init__(self) -> None:
        # JSON gives a list, the CLI a comma-separated string: always a tuple of names here.
        if isinstance(self.report_to, str):
            self.report_to = tuple(n.strip() for n in self.report_to.split(",") if n.strip())
        elif isinstance(self.report_to, (list, tuple)):
            self.report_to = tuple(str(name) for name in self.report_to)
        else:  # null, or a hand-edited value of another type: validation names what is wrong
            self.report_to = () if self.report_to is None else (str(self.report_to),)

    def validate(self) -> None:
        """Raise ConfigError naming the first bad field and what values it accepts."""
        problems = self.problems()
        if problems:
            raise ConfigError("Invalid training configuration: " + "; ".join(problems) + ".")

    def problems(self) -> list[str]:
        """Every invalid field with the reason (the GUI shows them beside the fields)."""
        out = [] if self.data else ["data: no training file given"]
        for name, value, allowed in (("task", self.task, TASKS), ("device", self.device, DEVICES),
                                     ("precision", self.precision, PRECISIONS)):
            if value not in allowed:
                out.append(f"{name}: {value!r} is not one of {', '.join(allowed)}")
        return [*out, *self._schedule_problems(), *self._optimizer_problems(), *self._task_problems(),
                *self._length_problems(), *self._tokenizer_problems(), *self._lstm_problems(),
                *self._report_problems()]

    def _report_problems(self) -> list[str]:
        """Unknown tracking tools, or ones whose library is not installed."""
        from workbench.engine.training.reporters import report_to_problems

        return report_to_problems(self.report_to)

    def _schedule_problems(self) -> list[str]:
        """Sizes, budgets and evaluation cadence."""
        out = [f"{name}: must be at least 1 (got {getattr(self, name)})"
               for name in ("batch_size", "grad_accum", "max_length", "keep_checkpoints") if getattr(self, name) < 1]
        if self.max_minutes is not None and not (self.max_minutes > 0 and math.isfinite(self.max_minutes)):
            out.append(f"max_minutes: must be a positive number (got {self.max_minutes})")
        if self.max_steps is not None and self.max_steps < 1:
            out.append(f"max_steps: must be at least 1 (got {self.max_steps})")
        if self.max_steps is None and not (self.epochs > 0 and math.isfinite(self.epochs)):
            out.append(f"epochs: must be a positive number (got {self.epochs})")
        return out

    def _optimizer_problems(self) -> list[str]:
        """The optimizer's numbers, the held-out share, evaluation cadence and freezing."""
        out = []
        if self.lr is not None and not (0 < self.lr < 1):
            out.append(f"lr: must be between 0 and 1 (got {self.lr})")
        if not 0 <= self.warmup_ratio < 1:
            out.append(f"warmup_ratio: must be in [0, 1) (got {self.warmup_ratio})")
        if self.weight_decay < 0:
            out.append(f"weight_decay: must not be negative (got {self.weight_decay})")
        if self.max_grad_norm < 0:
            out.append(f"max_grad_norm: must not be negative; 0 turns clipping off (got {self.max_grad_norm})")
        if not 0 <= self.validation_fraction < 1:
            out.append(f"validation_fraction: must be in [0, 1) (got {self.validation_fraction})")
        for name in ("eval_every", "early_stopping_patience"):
            value = getattr(self, name)
            if value is not None and value < 1:
                out.append(f"{name}: must be at least 1 (got {value})")
        if self.freeze_layers < 0:
            out.append(f"freeze_layers: must not be negative (got {self.freeze_layers})")
        return out

    def _task_problems(self) -> list[str]:
        """Options that only some tasks have, asked of the task."""
        from workbench.engine.models.preset_tasks import encoder_decoder_problem
        from workbench.engine.tasks.registry import find_task, task_names

        task = find_task(self.task)  # None: an unknown task, reported by problems()
        out = []
        if self.next_sentence_prediction and not (task is not None and task.next_sentence_option):
            allowed = " or ".join(task_names(lambda t: t.next_sentence_option))
            out.append(f"next_sentence_prediction: only for {allowed} (BERT-style pre-training), not {self.task}")
        if self.label_column and self.label_column in (self.text_column, self.text_pair_column):
            out.append(f"label_column: {self.label_column!r} is also a text column; a model cannot learn a "
                       "label it is given as input: choose another label column")
        if self.context_turns < 1:
            out.append(f"context_turns: must be at least 1 (got {self.context_turns})")
        if self.eval_generate_samples < 1:
            out.append(f"eval_generate_samples: must be at least 1 (got {self.eval_generate_samples})")
        if self.task in TASKS and (reason := encoder_decoder_problem(self.model, self.task)):
            out.append(f"model: {reason}")
        if task is not None and task.label_separator_option and not self.label_separator:
            out.append("label_separator: must be one or more characters (e.g. '|')")
        return out

    def _length_problems(self) -> list[str]:
        out = []
        if self.doc_stride < 0:
            out.append(f"doc_stride: must not be negative (got {self.doc_stride})")
        if self.max_length > 512 and self.model.startswith(("bert-", "gpt-")):
            out.append("max_length: from-scratch presets have 512 positions at most")
        return out

    def _tokenizer_problems(self) -> list[str]:
        """A workshop tokenizer must exist and goes with from-scratch presets only."""
        if not self.tokenizer:
            return []
        from workbench.engine.models.presets import is_preset

        if not (Path(self.tokenizer).expanduser() / "tokenizer.json").is_file():
            return [f"tokenizer: {self.tokenizer} has no tokenizer.json (save one from the tokenizer workshop)"]
        if not is_preset(self.model):
            return ["tokenizer: only from-scratch presets take a workshop tokenizer (a checkpoint keeps its own)"]
        return []

    def _lstm_problems(self) -> list[str]:
        """The BiLSTM preset learns labels only and has no attention heads to set."""
        from workbench.engine.models.preset_tasks import lstm_task_problem
        from workbench.engine.models.presets import PRESETS

        preset = PRESETS.get(self.model)
        if preset is None or preset.family != "lstm":
            return []
        out = []
        reason = lstm_task_problem(self.model, self.task) if self.task in TASKS else None
        if reason:
            out.append(f"task: {reason}")
        if self.heads is not None:
            out.append(f"heads: {self.model} is a BiLSTM and has no attention heads; leave heads unset")
        return out

    # --- files ---
    def to_dict(self) -> dict[str, Any]:
        """The config as JSON holds it (report_to as a list: what config.json and load() give back)."""
        return {**asdict(self), "report_to": list(self.report_to)}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> TrainConfig:
        # Settings that were removed but that older run folders' config.json still hold.
        data = {k: v for k, v in data.items() if k not in _RETIRED}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"{source}: unknown setting(s) {', '.join(unknown)}. Known settings: {', '.join(sorted(known))}."
            )
        return cls(**data)

    def save(self, path: str | Path) -> None:
        """Write the config atomically; a path that cannot be written (a folder, a read-only
        place, a full disk) is a readable ``DiskError`` (``atomic_write_text``)."""
        from workbench.engine.runs import atomic_write_text

        atomic_write_text(Path(path), json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> TrainConfig:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: config file not found.") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{path}: not a readable JSON config ({exc}).") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: a config file must hold one JSON object.")
        return cls.from_dict(data, source=str(path))

    def steps_per_epoch(self, rows: int) -> int:
        """Optimizer steps in one pass over ``rows`` training examples."""
        return max(math.ceil(math.ceil(rows / self.batch_size) / self.grad_accum), 1)

    def total_steps(self, rows: int) -> int:
        """The steps a run on ``rows`` training examples plans: ``max_steps``, else its epochs' worth."""
        return self.max_steps or max(math.ceil(self.epochs * self.steps_per_epoch(rows)), 1)

    def resolved_lr(self, from_scratch: bool, num_parameters: int) -> float:
        if self.lr is not None:
            return self.lr
        value, _why = auto_learning_rate(self.model, num_parameters, from_scratch=from_scratch)
        assert value is not None  # only an unknown size leaves it open, and the count is given
        return value


# Why the automatic learning rate is what it is (the model panel words each one).
LrReason = Literal["preset", "from_scratch", "small_checkpoint", "checkpoint", "size_unknown"]
# Below this many parameters a checkpoint's automatic learning rate is 1e-4, else 5e-5.
SMALL_CHECKPOINT_PARAMETERS = 60_000_000


def auto_learning_rate(
    model: str, num_parameters: int | None, *, from_scratch: bool | None = None
) -> tuple[float | None, LrReason]:
    """The automatic peak learning rate for ``model`` (``lr: None``) and why.

    From scratch (``from_scratch`` None: whether ``model`` names a preset): the preset's own
    rate, 1e-3 for one not known here. A checkpoint: 1e-4 under 60M parameters, else 5e-5
    (see ``TrainConfig.lr``); None while its size (``num_parameters``) is not known yet.
    """
    from workbench.engine.models.presets import PRESETS

    if from_scratch is None:
        from_scratch = model in PRESETS
    if from_scratch:
        return (PRESETS[model].lr, "preset") if model in PRESETS else (1e-3, "from_scratch")
    if num_parameters is None:
        return None, "size_unknown"
    if num_parameters < SMALL_CHECKPOINT_PARAMETERS:
        return 1e-4, "small_checkpoint"
    return 5e-5, "checkpoint"
