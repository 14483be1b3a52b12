"""The model panel: which model, which task, and every training hyperparameter.

The panel edits the model and schedule half of a :class:`TrainConfig` (the
dataset panel edits the data half); ``apply_to``/``load_from`` move values
between the widgets and a config. Most fields are declared once, in the
``_FIELDS`` table, which ``workbench.gui.widgets.config_fields`` turns into
widgets, applies and restores. Invalid values are flagged beside the field
and listed at the bottom, and ``validity_changed`` tells the window whether
Start may be enabled.

The parameter count is exact: the model is built on PyTorch's ``meta`` device
(shapes only, no memory) in a worker thread, because importing torch and
transformers takes seconds and must never block the window.

Run on its own: ``python -m workbench.gui.panels.model_panel``.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
    QStandardItemModel,
    QValidator,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.engine.advice import PRESET_NOTE, Advice, DataFacts, advise, flops_precision
from workbench.engine.errors import ModelError
from workbench.engine.models import catalogue as cat
from workbench.engine.models.hub_download import cached_snapshot, hub_cache_dir
from workbench.engine.models.loading import default_model, installed_checkpoints, resolve_spec
from workbench.engine.models.preset_tasks import (
    architecture_problem,
    encoder_decoder_problem,
    from_scratch_advice,
    local_checkpoint_problem,
    lstm_task_problem,
)
from workbench.engine.models.presets import PRESETS, shape_config
from workbench.engine.tasks.registry import TASKS, all_tasks, find_task, task_names
from workbench.engine.training.config import DEVICES, PRECISIONS, TrainConfig, auto_learning_rate
from workbench.engine.training.pretraining import nsp_problem
from workbench.engine.training.setup import PrecisionChoice, expected_precision
from workbench.gui.dialog_folders import remember_folder, start_folder, start_path
from workbench.gui.i18n import translate
from workbench.gui.widgets import config_fields
from workbench.gui.widgets.config_fields import ConfigField, int_spin
from workbench.gui.widgets.curves import metric_label
from workbench.gui.workers import TaskRunner

BROWSE_SHORTCUT = "Ctrl+M"  # Browse models… (the catalogue)
# The automatic learning rate's reasons (engine.training.config.auto_learning_rate), in the panel's words.
_LR_REASONS = {
    "preset": QT_TRANSLATE_NOOP("ModelPanel", "from scratch"),
    "from_scratch": QT_TRANSLATE_NOOP("ModelPanel", "from scratch"),
    "small_checkpoint": QT_TRANSLATE_NOOP("ModelPanel", "checkpoint under 60M parameters"),
    "checkpoint": QT_TRANSLATE_NOOP("ModelPanel", "checkpoint"),
    "size_unknown": QT_TRANSLATE_NOOP("ModelPanel", "1e-4 under 60M parameters, else 5e-5"),
}
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(/[A-Za-z0-9][\w.\-]*)?$")
# Red border for a flagged field (dynamic property "invalid"). A border makes Qt draw the
# whole widget from the style sheet, so the arrows must be given too (Qt's own images).
_ARROW = ":/qt-project.org/styles/commonstyle/images/arrow-{}-16.png"
_INVALID_STYLE = (
    'QAbstractSpinBox[invalid="true"] { border: 2px solid #d32f2f; border-radius: 3px;'
    " padding-right: 14px; }"
    ' QAbstractSpinBox[invalid="true"]::up-button { subcontrol-origin: border;'
    " subcontrol-position: top right; width: 14px; border: none; }"
    ' QAbstractSpinBox[invalid="true"]::down-button { subcontrol-origin: border;'
    " subcontrol-position: bottom right; width: 14px; border: none; }"
    f' QAbstractSpinBox[invalid="true"]::up-arrow {{ image: url({_ARROW.format("up")});'
    " width: 8px; height: 8px; }"
    f' QAbstractSpinBox[invalid="true"]::down-arrow {{ image: url({_ARROW.format("down")});'
    " width: 8px; height: 8px; }"
    ' QComboBox[invalid="true"] { border: 2px solid #d32f2f; border-radius: 3px;'
    " padding: 1px 18px 1px 4px; }"
    ' QComboBox[invalid="true"]::drop-down { border: none; width: 16px; }'
    f' QComboBox[invalid="true"]::down-arrow {{ image: url({_ARROW.format("down")});'
    " width: 8px; height: 8px; }"
)
_SETTINGS_DIR_KEY = "model_panel/last_dir"

# ---- the fields, declared once (config_fields builds, connects, applies and restores them)
# Texts are English sources in the "ModelPanel" context (the catalogue's, as with self.tr).
# By hand instead: the model spec, the task and its masked-LM options (they follow the task),
# epochs-or-steps (a radio choice: max_steps is None unless Max steps is chosen), the learning
# rate (its "auto" box), the tokenizer folder, and the shape's overrides below.

# A preset's shape, in the Model box's Shape row. Not applied or restored by the loops: the config
# holds overrides of the preset's shape (None = the preset's own), written by _write_shape/apply_to.
_SHAPE_FIELDS = (
    ConfigField(
        "layers", "layers_spin", "int", lo=1, hi=48, label=QT_TRANSLATE_NOOP("ModelPanel", "Layers"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "Transformer layers (blocks) of the from-scratch model"),
        slot="_on_shape_spin_changed",
    ),
    ConfigField(
        "heads", "heads_spin", "int", lo=1, hi=64, label=QT_TRANSLATE_NOOP("ModelPanel", "Heads"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "Attention heads per layer; the hidden size must be divisible by it"),
        slot="_on_shape_spin_changed",
    ),
    ConfigField(
        "hidden", "hidden_spin", "int", lo=8, hi=4096, label=QT_TRANSLATE_NOOP("ModelPanel", "Hidden"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel", "Hidden size (width) of the from-scratch model; the feed-forward layer is 4x this"
        ),
        slot="_on_shape_spin_changed",
    ),
    ConfigField(
        "vocab_size", "vocab_spin", "int", lo=100, hi=250_000, step=1000,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Vocab size"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Vocabulary size of the tokenizer trained on your data (the trained vocabulary can "
            "end up smaller on little text)",
        ),
        slot="_on_shape_spin_changed",
    ),
)  # fmt: skip

# The hyperparameters, in the order of their rows; `group` names the box they sit in.
_FIELDS = (
    # --- Schedule (epochs: beside its radio button, laid out by hand)
    ConfigField(
        "epochs", "epochs_spin", "float", lo=0.1, hi=1000, decimals=2, step=1.0,
        tip=QT_TRANSLATE_NOOP("ModelPanel", "Passes over the training data (fractions allowed)"),
    ),
    ConfigField(
        "max_minutes", "minutes_spin", "float", group="schedule", lo=0.0, hi=1e6, decimals=1, step=5.0,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Time budget"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Stop after this many minutes of training (evaluation not counted); the run then ends "
            "normally, with its final evaluation and model. Off = no limit.",
        ),
        special=QT_TRANSLATE_NOOP("ModelPanel", "off"), suffix=QT_TRANSLATE_NOOP("ModelPanel", " min"),
        none_at_zero=True,
    ),
    ConfigField(
        "batch_size", "batch_spin", "int", group="schedule", lo=1, hi=4096,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Batch size"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Examples per micro-batch. Lower it if you run out of memory; gradient accumulation "
            "keeps the effective batch.",
        ),
    ),
    ConfigField(
        "warmup_ratio", "warmup_spin", "float", group="schedule", lo=0.0, hi=0.99, decimals=3, step=0.01,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Warmup ratio"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Share of the steps over which the learning rate ramps up from 0 (0.06 = the RoBERTa recipe)",
        ),
    ),
    ConfigField(
        "weight_decay", "decay_spin", "float", group="schedule", lo=0.0, hi=1.0, decimals=4, step=0.01,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Weight decay"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "AdamW weight decay (0.01 is the usual value)"),
    ),
    ConfigField(
        "max_length", "max_length_spin", "int", group="schedule", lo=1, hi=32_768, step=16,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Max length"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Longest input in tokens; longer examples are truncated (see the histogram in the "
            "dataset panel). Presets have 512 positions.",
        ),
        slot="_on_max_length_spin_changed",  # the dataset panel follows it
    ),
    ConfigField(
        "grad_accum", "accum_spin", "int", group="schedule", lo=1, hi=1024,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Gradient accumulation"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel", "Micro-batches per optimizer step: effective batch = batch size x this"
        ),
    ),
    # --- Evaluation and hardware
    ConfigField(
        "eval_every", "eval_spin", "int", group="evaluation", lo=0, hi=10_000_000, step=50,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Evaluate every"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Optimizer steps between evaluations on the validation set. 0 = auto (about 10 per run). "
            "The end of each epoch and of the run are evaluated too: hollow diamonds on the curves.",
        ),
        special=QT_TRANSLATE_NOOP("ModelPanel", "auto"), none_at_zero=True,
    ),
    ConfigField(
        "early_stopping_patience", "patience_spin", "int", group="evaluation", lo=0, hi=1000,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Early stopping patience"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Stop after this many evaluations without improvement of the metric for best. "
            "0 = off (train to the end).",
        ),
        special=QT_TRANSLATE_NOOP("ModelPanel", "off"), none_at_zero=True,
    ),
    ConfigField(  # its tooltip lists each task's default: _update_metric_tip
        "metric_for_best", "metric_combo", "combo", group="evaluation",
        label=QT_TRANSLATE_NOOP("ModelPanel", "Metric for best"),
        choices=(None, "accuracy", "f1_micro", "f1_macro", "loss"), keep_unknown=True,
    ),
    ConfigField(
        "seed", "seed_spin", "int", group="evaluation", lo=0, hi=2**31 - 1,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Seed"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "Random seed: same seed, same data split and same initial weights"),
    ),
    ConfigField(
        "device", "device_combo", "combo", group="evaluation", choices=DEVICES,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Device"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "auto = a CUDA GPU if there is one, else Apple's MPS, else the CPU"),
    ),
    ConfigField(
        "precision", "precision_combo", "combo", group="evaluation", choices=PRECISIONS,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Precision"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "auto = bf16 mixed precision on a GPU that supports it, and on a CPU with AVX-512 BF16 or "
            "AMX where a one-time probe measured it faster; fp32 elsewhere. fp16 needs a CUDA GPU; "
            "bf16/fp16 roughly halve activation memory. Weights and optimizer state stay fp32.",
        ),
    ),
    ConfigField(
        "report_to", "report_to_checks", "checks", group="evaluation", choices=("tensorboard", "mlflow"),
        choice_labels=("TensorBoard", "MLflow"),
        label=QT_TRANSLATE_NOOP("ModelPanel", "Also log to"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Copy the loss, metrics and learning rate of every run to these tools; the run folder keeps "
            "them all the same. TensorBoard: event files in the run folder (tensorboard --logdir RUNS). "
            "MLflow: the server in MLFLOW_TRACKING_URI, else a file store (mlruns) beside the run "
            "folders. A tool that fails is switched off with a warning; the run goes on. "
            "Needs the [tracking] extra.",
        ),
    ),
    # --- Freezing and advanced
    ConfigField(
        "freeze_embeddings", "freeze_embeddings_check", "check", group="advanced",
        label=QT_TRANSLATE_NOOP("ModelPanel", "Freeze embeddings"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Keep the embedding layer fixed: fewer trainable parameters and less memory; "
            "useful for small datasets",
        ),
    ),
    ConfigField(
        "freeze_layers", "freeze_layers_spin", "int", group="advanced", lo=0, hi=128,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Freeze lowest layers"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Keep the lowest k transformer layers fixed and train only the ones above (0 = train all)",
        ),
    ),
    ConfigField(
        "max_grad_norm", "grad_norm_spin", "float", group="advanced", lo=0.0, hi=100.0, decimals=2, step=0.5,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Max grad norm"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "Clip the gradient norm to this value (0 = no clipping)"),
        special=QT_TRANSLATE_NOOP("ModelPanel", "off"),
    ),
    ConfigField(
        "keep_checkpoints", "keep_spin", "int", group="advanced", lo=1, hi=100,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Keep checkpoints"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel", "Checkpoints kept on disk (the newest k; the best one is always kept too)"
        ),
    ),
    ConfigField(
        "num_threads", "threads_spin", "int", group="advanced", lo=0, hi=256,
        label=QT_TRANSLATE_NOOP("ModelPanel", "CPU threads"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "CPU threads for PyTorch (0 = auto: all physical cores)"),
        special=QT_TRANSLATE_NOOP("ModelPanel", "auto"), none_at_zero=True,
    ),
    ConfigField(
        "allow_pickle", "allow_pickle_check", "check", group="advanced",
        label=QT_TRANSLATE_NOOP("ModelPanel", "Allow pickle weights"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "⚠ Load weights stored as pickle (pytorch_model.bin). Unpickling a file can run arbitrary "
            "code on your machine: tick this only for files from a source you trust. safetensors "
            "weights never need it.",
        ),
    ),
    ConfigField(
        "trust_remote_code", "trust_code_check", "check", group="advanced",
        label=QT_TRANSLATE_NOOP("ModelPanel", "Trust remote code"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "⚠ Let a model run the Python code it ships (auto_map in config.json). That code runs "
            "with your permissions: tick this only for authors you trust.",
        ),
        slot="_on_trust_code_toggled",  # a folder with auto_map can be measured once trusted
    ),
    # --- Sequence to sequence (shown for the tasks that have them: _update_task_options)
    ConfigField(
        "source_prefix", "source_prefix_edit", "text", group="seq2seq",
        label=QT_TRANSLATE_NOOP("ModelPanel", "Source prefix"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Text put before every source, for T5-style models that read the task from the input "
            "(e.g. 'translate English to Chinese: '). Saved with the model: prediction adds it too. "
            "Empty = none.",
        ),
    ),
    ConfigField(
        "eval_generate_samples", "generate_samples_spin", "int", group="seq2seq", lo=1, hi=1_000_000, step=50,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Generated in evaluations"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Validation examples whose outputs are generated and scored at each evaluation during "
            "the run (a fixed sample: generating is slow); the run's last evaluation generates all.",
        ),
    ),
    ConfigField(
        "context_turns", "context_turns_spin", "int", group="seq2seq", lo=1, hi=100,
        label=QT_TRANSLATE_NOOP("ModelPanel", "Context turns"),
        tip=QT_TRANSLATE_NOOP(
            "ModelPanel",
            "Dialogue: the previous turns of the conversation the model reads before it replies "
            "(1 = the last turn only; more need conversation and turn columns).",
        ),
    ),
    ConfigField(
        "turn_separator", "turn_separator_edit", "text", group="seq2seq",
        label=QT_TRANSLATE_NOOP("ModelPanel", "Turn separator"),
        tip=QT_TRANSLATE_NOOP("ModelPanel", "Dialogue: what joins the turns of a context (spaces count)"),
    ),
)  # fmt: skip
# The sequence-to-sequence rows, and those of them a task has only when it builds a source from
# a conversation's turns (Task.context_turns_option).
_SEQ2SEQ_FIELDS = tuple(field for field in _FIELDS if field.group == "seq2seq")
_CONTEXT_FIELDS = ("context_turns", "turn_separator")


def preset_fits(name: str, task: str | None) -> bool:
    """Whether the model list offers preset ``name`` for ``task``: an encoder-decoder preset for a
    sequence-to-sequence task and only for one (preset_tasks' rules; a BiLSTM has no such head)."""
    found = find_task(task)
    if found is None:
        return True
    if found.sequence_to_sequence and lstm_task_problem(name, found.name):
        return False
    return encoder_decoder_problem(name, found.name) is None


def spec_display_name(spec: str) -> str:
    """A short, readable name for a model spec: the engine's rule (runs are named by it too)."""
    from workbench.engine.runs import model_label

    return model_label(spec) if spec else spec


# --------------------------------------------------------------------------- worker job


@dataclass(frozen=True)
class _SizeRequest:
    spec: str
    kind: str  # "preset" | "folder" | "hub"
    task: str
    path: str | None = None
    layers: int | None = None
    heads: int | None = None
    hidden: int | None = None
    vocab_size: int | None = None
    trust_remote_code: bool = False
    next_sentence_prediction: bool = False  # masked-lm: count the NSP head and pooler too


@dataclass(frozen=True)
class ModelSize:
    """What the size job found out; ``params`` None when it could not be counted."""

    spec: str
    params: int | None
    hidden: int | None = None
    layers: int | None = None
    heads: int | None = None
    vocab_size: int | None = None
    max_positions: int | None = None
    note: str = ""


def model_size_job(req: _SizeRequest) -> ModelSize:
    """Count parameters exactly by building the model on the meta device (shapes, no memory)."""
    # Imported here: torch + transformers take seconds; the GUI's start-up must not pay that.
    import torch
    from transformers import AutoConfig

    from workbench.engine.models.loading import auto_class, register_architectures

    register_architectures()  # a BiLSTM run folder's config.json names the workbench's own model type
    if req.kind == "preset":
        preset = PRESETS[req.spec].with_overrides(req.layers, req.heads, req.hidden, req.vocab_size)
        config = shape_config(preset, preset.vocab_size)
    elif req.kind == "folder":
        assert req.path is not None
        raw = json.loads((Path(req.path) / "config.json").read_text(encoding="utf-8"))
        if "auto_map" in raw and not req.trust_remote_code:
            return ModelSize(
                req.spec, None,
                note=translate("ModelPanel", "ships its own code: size unknown unless trusted"),
            )  # fmt: skip
        config = AutoConfig.from_pretrained(req.path, trust_remote_code=req.trust_remote_code)
    else:
        try:  # the local cache only: this is a size estimate, not a reason to download
            config = AutoConfig.from_pretrained(req.spec, local_files_only=True)
        except (OSError, ValueError):
            return ModelSize(
                req.spec, None,
                note=translate("ModelPanel", "not downloaded yet: size known after the first run"),
            )  # fmt: skip
    with torch.device("meta"):
        model = auto_class(req.task, next_sentence_prediction=req.next_sentence_prediction).from_config(config)
    params = sum(p.numel() for p in model.parameters())

    def first(*names: str) -> int | None:
        for name in names:
            value = getattr(config, name, None)
            if isinstance(value, int):
                return value
        return None

    return ModelSize(
        req.spec,
        params,
        hidden=first("hidden_size", "n_embd", "d_model"),
        layers=first("num_hidden_layers", "n_layer", "num_layers"),
        heads=first("num_attention_heads", "n_head"),
        vocab_size=first("vocab_size"),
        max_positions=first("max_position_embeddings", "n_positions"),
    )


@dataclass(frozen=True)
class AdviceResult:
    """What the advice job found for one model spec and task."""

    spec: str
    task: str
    advice: tuple[Advice, ...]
    precision: PrecisionChoice | None = None  # what a run would use and why; None: it would be refused


def advice_job(config: TrainConfig, data: DataFacts | None) -> AdviceResult:
    """The engine's advice for ``config`` on ``data`` (file reads; the FLOP/s probe once per session)."""
    flops = None
    if config.max_minutes and config.model not in PRESETS and data is not None:
        device = cat.resolve_device(config.device)
        flops = cat.measure_flops(device, flops_precision(config))  # a quarter of a second, the first time only
    advice = advise(config, data, flops=flops)
    # auto on a CPU: the bf16 probe runs here (a worker thread), once per machine.
    precision = expected_precision(config.precision, config.device)
    # The presets' note is shown in the panel's own words (_update_model_info).
    return AdviceResult(config.model, config.task, tuple(a for a in advice if a.kind != PRESET_NOTE), precision)


def cached_hub_models(cache_dir: Path | None = None) -> list[str]:
    """Hub ids with a usable snapshot in the Hugging Face cache (a directory listing, a few small reads)."""
    cache = cache_dir or hub_cache_dir()
    try:
        names = sorted(p.name for p in cache.iterdir() if p.name.startswith("models--"))
    except OSError:
        return []
    out = []
    for name in names:
        repo_id = name.removeprefix("models--").replace("--", "/", 1)
        if cached_snapshot(repo_id, cache_dir=cache) is not None:
            out.append(repo_id)
    return out


# --------------------------------------------------------------------------- widgets


class ModelCombo(QComboBox):
    """The model chooser: says when its list is about to open, so the list can be refreshed first."""

    popup_about_to_show = Signal()

    def showPopup(self) -> None:
        self.popup_about_to_show.emit()
        super().showPopup()


class SciSpinBox(QDoubleSpinBox):
    """A spin box for learning rates: shows 5e-05 as "5e-5" and steps by about 2x."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)  # QDoubleSpinBox rounds values to `decimals` places
        self.setRange(1e-8, 0.99)

    def textFromValue(self, value: float) -> str:
        if value >= 0.01:
            return f"{value:.3g}"
        mantissa, exponent = f"{value:.2e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"  # 5e-5, 2.5e-4: how papers write learning rates

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            if re.fullmatch(r"[0-9]*\.?[0-9]*([eE][-+]?[0-9]*)?", stripped):
                return (QValidator.State.Intermediate, text, pos)  # "5e-" while typing
            return (QValidator.State.Invalid, text, pos)
        if self.minimum() <= value <= self.maximum():
            return (QValidator.State.Acceptable, text, pos)
        return (QValidator.State.Intermediate, text, pos)

    def stepBy(self, steps: int) -> None:
        value = self.value() * (2.0**steps)
        self.setValue(float(f"{min(max(value, self.minimum()), self.maximum()):.2g}"))


class CommandDialog(QDialog):
    """The equivalent command line and the config JSON, both selectable, each with Copy."""

    def __init__(self, command: str, config_json: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Equivalent command"))
        self.resize(760, 520)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        layout = QVBoxLayout(self)
        self.command_edit = self._text_box(command, mono, 90)
        self.json_edit = self._text_box(config_json, mono, 0)
        for title, edit, tip in (
            (self.tr("Command line (runs the same training headless)"), self.command_edit,
             self.tr("Copy the workbench train command")),
            (self.tr("Config file (workbench train --config FILE)"), self.json_edit,
             self.tr("Copy the config as JSON")),
        ):  # fmt: skip
            row = QHBoxLayout()
            row.addWidget(QLabel(f"<b>{title}</b>"), 1)
            copy = QPushButton(self.tr("Copy"))
            copy.setToolTip(tip)
            copy.clicked.connect(lambda _=False, e=edit: self._copy(e))
            row.addWidget(copy)
            layout.addLayout(row)
            layout.addWidget(edit, 0 if edit is self.command_edit else 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _text_box(text: str, font: QFont, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit(text)
        edit.setReadOnly(True)
        edit.setFont(font)
        edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        if height:
            edit.setFixedHeight(height)
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        return edit

    @staticmethod
    def _copy(edit: QPlainTextEdit) -> None:
        QGuiApplication.clipboard().setText(edit.toPlainText())


# --------------------------------------------------------------------------- the panel


class ModelPanel(QWidget):
    """Choose a model and task and set the hyperparameters of a training run."""

    changed = Signal()
    model_changed = Signal(str)  # the model spec: preset name, folder path or hub id
    task_changed = Signal(str)
    max_length_changed = Signal(int)
    validity_changed = Signal(list)  # problem strings; [] = valid

    def __init__(
        self,
        parent: QWidget | None = None,
        config_provider: Callable[[], TrainConfig] | None = None,
    ) -> None:
        super().__init__(parent)
        self._config_provider = config_provider
        self._spec = ""
        self._task = "classification"
        self._max_length = TrainConfig.max_length
        self._recent: list[str] = []
        self._display_to_spec: dict[str, str] = {}
        self._size: ModelSize | None = None
        self._problems: list[str] = []
        self._tooltips: dict[QWidget, str] = {}
        self._flagged: set[QWidget] = set()
        self._loading = False  # load_from in progress: no per-field signals
        self._closed = False
        self.command_dialog: CommandDialog | None = None
        self.catalogue_dialog: Any = None  # a CatalogueDialog, made on first use (Browse models…)
        self._data_facts: DataFacts | None = None
        self._advice: tuple[Advice, ...] = ()
        # (installed folders, cached hub ids) as the model list shows them: refreshed when they change.
        self._listed: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

        self._size_runner = TaskRunner(self)
        self._io_runner = TaskRunner(self)
        self._advice_runner = TaskRunner(self)
        self._size_timer = QTimer(self)
        self._size_timer.setSingleShot(True)
        self._size_timer.setInterval(150)  # typing "256" should build one model, not three
        self._size_timer.timeout.connect(self._on_size_timer_timeout)
        self._advice_timer = QTimer(self)
        self._advice_timer.setSingleShot(True)
        self._advice_timer.setInterval(250)  # one look after a burst of edits
        self._advice_timer.timeout.connect(self._on_advice_timer_timeout)

        self._build_ui()
        default = default_model()  # the installed checkpoint, else bert-tiny: as TrainConfig()
        self.model_combo.setEditText(self._edit_text(default))  # "all-MiniLM-L6-v2 (installed)", not a path
        self._set_spec(default, emit=False)
        self._validate(emit=False)

    # ================================================================== UI
    def _build_ui(self) -> None:
        config_fields.build(_SHAPE_FIELDS + _FIELDS, self, "ModelPanel")
        self._update_metric_tip()
        model_box = self._build_model_box()
        schedule = self._build_schedule_box()
        evaluation = self._fields_box(self.tr("Evaluation and hardware"), "evaluation")
        self.precision_note = QLabel()  # which precision a run will use, and why (_update_precision_note)
        self.precision_note.setWordWrap(True)
        form = cast(QFormLayout, evaluation.layout())
        form.insertRow(form.getWidgetPosition(self.precision_combo)[0] + 1, "", self.precision_note)
        advanced = self._fields_box(self.tr("Freezing and advanced"), "advanced")
        # Shown only for a sequence-to-sequence task (_update_task_options).
        self.seq2seq_box = self._fields_box(self.tr("Sequence to sequence"), "seq2seq")
        self.seq2seq_box.setVisible(False)  # the default task is classification

        columns = QHBoxLayout()
        columns.addWidget(schedule, 1)
        columns.addWidget(evaluation, 1)
        columns.addWidget(advanced, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(model_box)
        layout.addLayout(columns)
        layout.addWidget(self.seq2seq_box)
        layout.addLayout(self._build_bottom())  # problems right under the fields they are about
        layout.addStretch(1)

        # Field name (as in TrainConfig and its problem strings) -> widgets to flag.
        self._field_widgets: dict[str, list[QWidget]] = {
            field.name: [getattr(self, field.widget)] for field in _SHAPE_FIELDS + _FIELDS
        }
        self._field_widgets["heads"].append(self.hidden_spin)  # hidden % heads: either may be changed
        self._field_widgets.update(
            model=[self.model_combo],
            tokenizer=[self.tokenizer_edit],
            task=[self.task_combo],
            whole_word_masking=[self.whole_word_check],
            next_sentence_prediction=[self.nsp_check],
            max_steps=[self.steps_spin],
            lr=[self.lr_spin],
        )
        for widgets in self._field_widgets.values():
            for w in widgets:
                self._tooltips.setdefault(w, w.toolTip())

        self._fill_model_combo()
        self._write_values(TrainConfig())
        self._connect_fields()

    def _build_model_box(self) -> QGroupBox:
        """The model chooser, its note and advice, a preset's shape, the task (hand-made: no config field each)."""
        self.model_combo = ModelCombo()
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_combo.setMinimumContentsLength(28)
        self.model_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.model_combo.setToolTip(self.tr(
            "The model to train. From scratch: a small BERT or GPT whose tokenizer is trained on "
            "your data. Installed / folder: a Hugging Face model folder (config.json + weights) or "
            "a workbench run folder, fine-tuned. You can also type a hub id such as "
            "'bert-base-uncased' (downloaded on first use)."
        ))
        self.model_combo.lineEdit().setPlaceholderText(self.tr("preset, model folder or hub id"))
        self.model_combo.activated.connect(self._on_model_combo_activated)
        self.model_combo.lineEdit().editingFinished.connect(self._on_model_edit_finished)
        # A checkpoint installed or downloaded while the app runs shows up the next time the list opens.
        self.model_combo.popup_about_to_show.connect(self.refresh_models)
        self.browse_button = QPushButton(self.tr("Browse models…"))
        self.browse_button.setShortcut(QKeySequence(BROWSE_SHORTCUT))
        self.browse_button.setToolTip(self.tr(
            "Pre-trained models from the Hugging Face hub, with their size, the memory and time they "
            "need for your data, and a download with progress ({shortcut})"
        ).format(shortcut=QKeySequence(BROWSE_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)))
        self.browse_button.clicked.connect(lambda: self.open_catalogue())
        self.folder_button = QPushButton(self.tr("Folder…"))
        self.folder_button.setToolTip(self.tr(
            "Choose a local model folder (with config.json and model.safetensors) or a "
            "workbench run folder"
        ))
        self.folder_button.clicked.connect(self.choose_folder)
        self.model_info = QLabel()
        self.model_info.setWordWrap(True)
        self.model_info.setToolTip(self.tr("What kind of model this is and how it will be used"))
        # Advice before Start: a choice unlikely to work here, and what to choose instead.
        self.advice_label = QLabel()
        self.advice_label.setWordWrap(True)
        self.advice_label.setTextFormat(Qt.TextFormat.PlainText)  # the engine's sentences, as they are
        self.advice_label.setStyleSheet("color: #8a4b00;")
        self.advice_label.setToolTip(self.tr(
            "Checked against your data and this machine: from scratch on little data, a model too large "
            "for the memory or too slow for the time budget, a vocabulary for another language"
        ))
        self.advice_label.hide()
        self.advice_button = QPushButton()
        self.advice_button.setToolTip(self.tr("Switch to the suggested model"))
        self.advice_button.clicked.connect(self._on_advice_button_clicked)
        self.advice_button.hide()

        shape_row = QHBoxLayout()
        for field in _SHAPE_FIELDS:
            spin = getattr(self, field.widget)
            spin.setFixedWidth(90)  # a flagged (red-bordered) box must not shift the row
            shape_row.addWidget(self._buddy(translate("ModelPanel", field.label), spin))
            shape_row.addWidget(spin)
            shape_row.addSpacing(10)
        # A tokenizer saved in the Tokenizer tab, used by the preset instead of training one.
        self.tokenizer_edit = QLineEdit()
        self.tokenizer_edit.setPlaceholderText(self.tr("trained on the data"))
        self.tokenizer_edit.setToolTip(self.tr(
            "From-scratch presets: a tokenizer folder saved in the Tokenizer tab, used instead of "
            "training one on the training data (the vocabulary size then comes from it). Empty: train one."
        ))
        self.tokenizer_edit.editingFinished.connect(self._on_field_changed)
        self.tokenizer_button = QPushButton("…")
        self.tokenizer_button.setFixedWidth(32)
        self.tokenizer_button.setToolTip(self.tr("Choose a tokenizer folder (with tokenizer.json)"))
        self.tokenizer_button.clicked.connect(self.choose_tokenizer)
        shape_row.addWidget(self._buddy(self.tr("Tokenizer"), self.tokenizer_edit))
        shape_row.addWidget(self.tokenizer_edit, 1)
        shape_row.addWidget(self.tokenizer_button)
        shape_row.addStretch(1)

        self.task_combo = QComboBox()
        for task in TASKS:
            self.task_combo.addItem(task, task)
        self.task_combo.setToolTip(self.tr(
            "classification: one label per text (or text pair). multi-label: any number of "
            "labels per text, separated in the label column (e.g. news|sport); each label is a "
            "yes/no decision with its own threshold. token-classification: one tag "
            "per word (NER, POS). masked-lm: BERT-style pre-training (fill in hidden words). "
            "causal-lm: GPT-style pre-training (predict the next word). question-answering: "
            "find the answer to a question in a context, or say there is none (SQuAD JSON)."
        ))
        self.size_label = QLabel(self.tr("Parameters: —"))
        self.size_label.setToolTip(self._size_tooltip())

        model_box = QGroupBox(self.tr("Model"))
        grid = QGridLayout(model_box)
        grid.addWidget(self._buddy(self.tr("Model"), self.model_combo), 0, 0)
        grid.addWidget(self.model_combo, 0, 1, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.browse_button)
        grid.addLayout(buttons, 0, 3)
        info = QVBoxLayout()
        info.addWidget(self.model_info)
        advice_row = QHBoxLayout()
        advice_row.addWidget(self.advice_label, 1)
        advice_row.addWidget(self.advice_button, 0, Qt.AlignmentFlag.AlignTop)
        info.addLayout(advice_row)
        grid.addLayout(info, 1, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Shape")), 2, 0)
        grid.addLayout(shape_row, 2, 1, 1, 3)
        grid.addWidget(self._buddy(self.tr("Task"), self.task_combo), 3, 0)
        grid.addWidget(self.task_combo, 3, 1)
        grid.addWidget(self.size_label, 3, 2, 1, 2)
        grid.addWidget(self._build_mlm_options(), 4, 1, 1, 3)
        grid.setColumnStretch(2, 1)
        return model_box

    def _build_schedule_box(self) -> QGroupBox:
        """The table's schedule rows, with two choices made by hand: epochs or max steps (a radio
        pair: max_steps stays None unless chosen) and the learning rate or "auto" (None)."""
        self.epochs_radio = QRadioButton(self.tr("Epochs"))
        self.epochs_radio.setToolTip(self.tr("Train for a number of passes over the training data"))
        self.steps_radio = QRadioButton(self.tr("Max steps"))
        self.steps_radio.setToolTip(
            self.tr("Train for a fixed number of optimizer steps (wins over epochs)")
        )
        group = QButtonGroup(self)
        group.addButton(self.epochs_radio)
        group.addButton(self.steps_radio)
        self.epochs_radio.setChecked(True)
        self.steps_spin = int_spin(1, 10_000_000, self.tr("Optimizer steps to train for"), step=100)
        self.steps_spin.setValue(1000)
        self.lr_spin = SciSpinBox()
        self.lr_spin.setToolTip(self.tr("Peak learning rate (after warmup), e.g. 5e-5"))
        self.lr_auto = QCheckBox(self.tr("auto"))
        self.lr_auto.setToolTip(self.tr(
            "Choose the learning rate automatically: 1e-3 for a from-scratch preset (random "
            "weights need larger steps; 5e-3 for the BiLSTM); for a checkpoint 1e-4 below 60M "
            "parameters (small distilled models such as MiniLM under-fit at 5e-5), else 5e-5 "
            "(the BERT paper's range)."
        ))
        lr_row = QHBoxLayout()
        lr_row.addWidget(self.lr_spin, 1)
        lr_row.addWidget(self.lr_auto)
        self.lr_auto_label = QLabel()
        self.lr_auto_label.setWordWrap(True)
        self.lr_auto_label.setToolTip(self.lr_auto.toolTip())
        return self._fields_box(self.tr("Schedule"), "schedule", before={
            "max_minutes": [(self.epochs_radio, self.epochs_spin), (self.steps_radio, self.steps_spin)],
            "warmup_ratio": [
                (self._buddy(self.tr("Learning rate"), self.lr_spin), lr_row), ("", self.lr_auto_label)
            ],
        })  # fmt: skip

    def _fields_box(
        self, title: str, group: str, before: dict[str, list[tuple[Any, Any]]] | None = None
    ) -> QGroupBox:
        """A box with a row for each field of ``group``, in the table's order; ``before``: rows made
        by hand, each list above the field it is keyed by."""
        box = QGroupBox(title)
        form = QFormLayout(box)
        for field in _FIELDS:
            if field.group != group:
                continue
            for row in (before or {}).get(field.name, []):
                form.addRow(*row)
            w = getattr(self, field.widget)
            if field.kind == "check":
                form.addRow(w)  # a check box says what it is itself
            else:
                form.addRow(self._buddy(translate("ModelPanel", field.label), w), w)
        return box

    def _build_bottom(self) -> QHBoxLayout:
        """What must be fixed, the last save's result, Show command and Save config…"""
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b00020;")
        self.problems_label.setToolTip(self.tr("What must be fixed before training can start"))
        self.status_label = QLabel()
        self.status_label.setToolTip(self.tr("Result of the last save"))
        self.command_button = QPushButton(self.tr("Show command"))
        self.command_button.setToolTip(self.tr(
            "Show the equivalent 'workbench train ...' command line and config JSON, to repeat "
            "this run in a script or on a server"
        ))
        self.command_button.clicked.connect(self.show_command)
        self.save_button = QPushButton(self.tr("Save config…"))
        self.save_button.setToolTip(self.tr("Save the full training configuration as a JSON file"))
        self.save_button.clicked.connect(self.save_config_dialog)
        bottom = QHBoxLayout()
        bottom.addWidget(self.problems_label, 1, Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.status_label)
        bottom.addWidget(self.command_button)
        bottom.addWidget(self.save_button)
        return bottom

    def _build_mlm_options(self) -> QWidget:
        """Masked-LM pre-training options, shown only while the task is masked-lm."""
        self.whole_word_check = QCheckBox(self.tr("&Whole-word masking"))
        self.whole_word_check.setToolTip(self.tr(
            "Mask every piece of a chosen word together (all its WordPiece '##' pieces), so a "
            "word cannot be guessed from its own visible pieces: a harder, more useful task "
            "(BERT's later recipe). Alt+W"
        ))
        self.nsp_check = QCheckBox(self.tr("Ne&xt-sentence prediction"))
        self.nsp_check.setToolTip(self.tr(
            "BERT's second objective: train on sentence pairs drawn from the corpus, where the "
            "second part is the real continuation half the time and a random passage otherwise, "
            "and learn to tell which. Validation reports its accuracy (chance = 0.5). Needs a "
            "BERT-family model (RoBERTa and DistilBERT have no next-sentence head). For a clean "
            "figure give a validation file of continuous text: the automatic split holds out "
            "random lines. Alt+X"
        ))
        for check in (self.whole_word_check, self.nsp_check):
            check.toggled.connect(self._on_mlm_option_toggled)
        self.mlm_options = QWidget()
        row = QHBoxLayout(self.mlm_options)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Pre-training:")))
        row.addWidget(self.whole_word_check)
        row.addWidget(self.nsp_check)
        row.addStretch(1)
        self.mlm_options.setVisible(False)  # the default task is classification
        return self.mlm_options

    def _update_task_options(self) -> None:
        """Show the options the chosen task has: masked-LM pre-training's, sequence to sequence's."""
        task = self.task_combo.currentData()
        masks = task in task_names(lambda t: t.fills_masks)
        nsp = task in task_names(lambda t: t.next_sentence_option)
        self.whole_word_check.setVisible(masks)
        self.nsp_check.setVisible(nsp)
        self.mlm_options.setVisible(masks or nsp)
        found = find_task(task)
        self.seq2seq_box.setVisible(found is not None and found.sequence_to_sequence)
        form = self.seq2seq_box.layout()
        assert isinstance(form, QFormLayout)
        for field in _SEQ2SEQ_FIELDS:
            if field.name in _CONTEXT_FIELDS:
                form.setRowVisible(getattr(self, field.widget), found is not None and found.context_turns_option)

    def _on_mlm_option_toggled(self, _checked: bool) -> None:
        if self._loading:
            return
        self._schedule_size()  # next-sentence prediction adds a pooler and a head
        self._on_field_changed()

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        label.setToolTip(widget.toolTip())
        return label

    def _connect_fields(self) -> None:
        config_fields.connect(_SHAPE_FIELDS + _FIELDS, self)
        # The hand-made fields (see the table's comment).
        self.steps_spin.valueChanged.connect(self._on_field_changed)
        self.lr_spin.valueChanged.connect(self._on_field_changed)
        self.task_combo.currentIndexChanged.connect(self._on_task_combo_changed)
        self.lr_auto.toggled.connect(self._on_lr_auto_toggled)
        self.epochs_radio.toggled.connect(self._on_schedule_radio_toggled)

    def _fill_model_combo(self) -> None:
        """Groups: from-scratch presets, installed checkpoints, downloaded, recent models (headers disabled)."""
        combo = self.model_combo
        text = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        self._display_to_spec = {}
        model = combo.model()
        assert isinstance(model, QStandardItemModel)

        def header(title: str) -> None:
            combo.addItem(title)
            item = model.item(combo.count() - 1)
            item.setFlags(Qt.ItemFlag.NoItemFlags)  # a group title, not a choice
            font = item.font()
            font.setBold(True)
            item.setFont(font)

        def entry(display: str, spec: str, tip: str) -> None:
            combo.addItem(display, spec)
            combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
            self._display_to_spec[display] = spec

        header(self.tr("From scratch (tokenizer trained on your data)"))
        task = self.task_combo.currentData()
        for name, preset in PRESETS.items():
            if preset_fits(name, task):  # the others cannot learn the task (preset_tasks' rules)
                entry(f"{name} — {preset.description}", name, preset.description)
        # Importing the checkpoint packages is cheap (no torch): they only locate a folder.
        installed = installed_checkpoints()
        if installed:
            header(self.tr("Installed checkpoints"))
            for folder in installed:
                entry(self._installed_text(str(folder)), str(folder), str(folder))
        # Models in the Hugging Face cache (Browse models… puts them there): usable offline by hub id.
        cached = cached_hub_models()
        self._listed = (tuple(map(str, installed)), tuple(cached))
        if cached:
            header(self.tr("Downloaded (Hugging Face cache)"))
            for repo_id in cached:
                known = cat.catalogue_entry(repo_id)
                entry(repo_id, repo_id, known.description if known else repo_id)
        recent = [s for s in self._recent if s not in PRESETS and s not in map(str, installed) and s not in cached]
        if recent:
            header(self.tr("Recent"))
            for spec in recent:
                shown = f"{spec_display_name(spec)} — {spec}" if Path(spec).is_absolute() else spec
                entry(shown, spec, spec)
        combo.setCurrentIndex(-1)
        combo.setEditText(text)
        combo.blockSignals(False)

    # ================================================================== public API
    @property
    def model_spec(self) -> str:
        return self._spec

    @property
    def model_size(self) -> ModelSize | None:
        return self._size

    @property
    def busy(self) -> bool:
        return (
            self._size_runner.busy or self._size_timer.isActive() or self._io_runner.busy
            or self._advice_runner.busy or self._advice_timer.isActive()
        )  # fmt: skip

    def model_specs(self) -> list[str]:
        """Every spec offered in the model chooser, in order."""
        return [
            self.model_combo.itemData(i)
            for i in range(self.model_combo.count())
            if self.model_combo.itemData(i)
        ]

    def set_task(self, task: str) -> None:
        index = self.task_combo.findData(task)
        if index >= 0:
            self.task_combo.setCurrentIndex(index)  # emits task_changed when it changes

    def set_model(self, spec: str) -> None:
        """Choose ``spec`` as if typed (a preset name, folder path or hub id)."""
        self.model_combo.setEditText(self._edit_text(spec))
        self._set_spec(spec)

    def set_recent_models(self, specs: list[str]) -> None:
        self._recent = list(dict.fromkeys(specs))
        self._fill_model_combo()

    def refresh_models(self) -> None:
        """Re-list installed checkpoints and downloaded models if they changed since the list was made.

        Python caches what it found on sys.path: a checkpoint package installed while the app
        runs is only importable after ``importlib.invalidate_caches()``.
        """
        importlib.invalidate_caches()
        listed = (tuple(map(str, installed_checkpoints())), tuple(cached_hub_models()))
        if listed != self._listed:
            self._fill_model_combo()

    # ---- advice and data
    @property
    def advice(self) -> tuple[Advice, ...]:
        """The advice shown for the current choice (empty while none applies or it is being checked)."""
        return self._advice

    @property
    def data_facts(self) -> DataFacts | None:
        return self._data_facts

    def set_dataset(self, bundle: Any) -> None:
        """The loaded training data (a DatasetBundle): its row count and a sample of its texts."""
        train = getattr(bundle, "train", None)
        self.set_data_facts(DataFacts.from_examples(train) if train is not None else None)

    def set_data_facts(self, facts: DataFacts | None) -> None:
        self._data_facts = facts
        self._schedule_advice()

    def open_catalogue(self, select: str | None = None, *, entries: Any = None) -> Any:
        """Show Browse models… (made once); ``select`` a hub id's row; ``entries`` replace the catalogue."""
        from workbench.gui.dialogs.catalogue_dialog import CatalogueDialog

        if self.catalogue_dialog is None or entries is not None:
            if self.catalogue_dialog is not None:
                self.catalogue_dialog.shutdown()
                self.catalogue_dialog.deleteLater()
            kwargs = {} if entries is None else {"entries": entries}
            self.catalogue_dialog = CatalogueDialog(
                self, data_facts=lambda: self._data_facts, config=self.config, **kwargs
            )
            self.catalogue_dialog.model_chosen.connect(self._on_catalogue_model_chosen)
        if select:
            self.catalogue_dialog.select(select)
        self.catalogue_dialog.show()
        self.catalogue_dialog.raise_()
        self.catalogue_dialog.activateWindow()
        return self.catalogue_dialog

    def apply_to(self, config: TrainConfig) -> None:
        preset = PRESETS.get(self._spec)
        config.model = self._spec
        if preset is not None:
            # Only overrides are written: None means "the preset's own value".
            for name, spin in self._shape_spins().items():
                setattr(config, name, self._override(spin.value(), getattr(preset, name)))
            config.tokenizer = self.tokenizer_edit.text().strip() or None
        else:
            config.layers = config.heads = config.hidden = config.vocab_size = None
            config.tokenizer = None
        config.task = self.task_combo.currentData()
        # Hidden options never leak into another task's config (NSP would make it invalid).
        config.whole_word_masking = (
            config.task in task_names(lambda t: t.fills_masks) and self.whole_word_check.isChecked()
        )
        config.next_sentence_prediction = (
            config.task in task_names(lambda t: t.next_sentence_option) and self.nsp_check.isChecked()
        )
        config_fields.apply(_FIELDS, self, config)
        # Hidden options stay at their defaults in another task's config (and its command line).
        found = find_task(config.task)
        for field in _SEQ2SEQ_FIELDS:
            shown = found is not None and found.sequence_to_sequence and (
                field.name not in _CONTEXT_FIELDS or found.context_turns_option
            )
            if not shown:
                setattr(config, field.name, getattr(TrainConfig, field.name))
        config.max_steps = self.steps_spin.value() if self.steps_radio.isChecked() else None
        config.lr = None if self.lr_auto.isChecked() else float(f"{self.lr_spin.value():.6g}")

    def load_from(self, config: TrainConfig) -> None:
        old = (self._spec, self.task_combo.currentData(), self.max_length_spin.value())
        self._loading = True
        try:
            self._write_values(config)
            self._fill_model_combo()  # the presets offered for the config's task
            self.model_combo.setEditText(self._edit_text(config.model))
            self._set_spec(config.model, emit=False, prefill=False)
            self._write_shape(config)
            self.tokenizer_edit.setText(config.tokenizer or "")
        finally:
            self._loading = False
        self._task = config.task
        self._max_length = config.max_length
        self._update_lr_auto()
        self._update_size_label()
        self._schedule_size()
        self._validate()
        self._schedule_advice()
        # Tell the window what changed, so the dataset panel follows (tokenizer, max_length).
        if config.model != old[0]:
            self.model_changed.emit(config.model)
        if config.task != old[1]:
            self.task_changed.emit(config.task)
        if config.max_length != old[2]:
            self.max_length_changed.emit(config.max_length)

    def problems(self) -> list[str]:
        return list(self._compute_problems())

    def config(self) -> TrainConfig:
        """The full config: the provider's (dataset fields included), else this panel's part."""
        if self._config_provider is not None:
            return self._config_provider()
        config = TrainConfig()
        self.apply_to(config)
        return config

    def command_text(self) -> str:
        from workbench.engine.training.command import command_line

        return command_line(self.config())

    def show_command(self) -> None:
        config = self.config()
        from workbench.engine.training.command import command_line

        if self.command_dialog is not None:
            self.command_dialog.close()
        self.command_dialog = CommandDialog(
            command_line(config), json.dumps(config.to_dict(), indent=2), self
        )
        self.command_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.command_dialog.destroyed.connect(self._on_command_dialog_destroyed)
        self.command_dialog.show()  # not exec(): the panel stays usable beside it

    def save_config_dialog(self) -> None:
        start = start_path(QSettings().value(_SETTINGS_DIR_KEY), "train_config.json")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save training config"), start, self.tr("Config (*.json);;All files (*)")
        )
        if not path:
            return
        if not Path(path).suffix:
            path += ".json"
        remember_folder(_SETTINGS_DIR_KEY, Path(path).parent)
        self.save_config(path)

    def save_config(self, path: str) -> None:
        """Write the full config to ``path`` in a worker (an atomic write)."""
        config = self.config()
        self.status_label.setText(self.tr("Saving…"))
        self._io_runner.run(
            config.save,
            path,
            on_result=lambda _r: self._on_save_done(path),
            on_error=self._on_save_failed,
        )

    def choose_folder(self) -> None:
        start = start_folder(QSettings().value(_SETTINGS_DIR_KEY))
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a model folder (with config.json) or a run folder"), start
        )
        if folder:
            remember_folder(_SETTINGS_DIR_KEY, Path(folder).parent)
            self.set_model(folder)

    def choose_tokenizer(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a tokenizer folder (from the Tokenizer tab)")
        )
        if folder:
            self.tokenizer_edit.setText(folder)
            self._on_field_changed()

    def shutdown(self) -> None:
        self._closed = True
        self._size_timer.stop()
        self._advice_timer.stop()
        self._size_runner.shutdown()
        self._io_runner.shutdown()
        self._advice_runner.shutdown()
        if self.catalogue_dialog is not None:
            self.catalogue_dialog.shutdown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_models()  # the tab shown again: something may have been installed meanwhile

    # ================================================================== slots
    def _on_model_combo_activated(self, index: int) -> None:
        spec = self.model_combo.itemData(index)
        if not spec:
            return
        self.model_combo.setEditText(self._edit_text(spec))
        self._set_spec(spec)

    def _on_model_edit_finished(self) -> None:
        text = self.model_combo.currentText().strip()
        self._set_spec(self._display_to_spec.get(text, text))

    def _on_shape_spin_changed(self, _value: int) -> None:
        if self._loading:
            return
        self._schedule_size()
        self._on_field_changed()

    def _on_max_length_spin_changed(self, value: int) -> None:
        if self._loading:
            return
        self._max_length = value
        self._update_size_label()
        self._on_field_changed()
        self.max_length_changed.emit(value)

    def _on_task_combo_changed(self, _index: int) -> None:
        self._update_task_options()
        self._update_model_info()  # the masked-LM advice depends on the task
        if self._loading:
            return
        task = self.task_combo.currentData()
        if task == self._task:
            return
        self._task = task
        self._fill_model_combo()  # the presets that can learn the task
        self._switch_to_fitting_preset(task)
        found = find_task(task)
        default_length = found.default_max_length if found is not None else None
        if default_length is not None and self.max_length_spin.value() == TrainConfig.max_length:
            self.max_length_spin.setValue(default_length)  # e.g. a SQuAD paragraph fits one window
        self._schedule_size()  # the head differs per task
        self._on_field_changed()
        self.task_changed.emit(task)

    def _switch_to_fitting_preset(self, task: str) -> None:
        """A chosen preset that cannot learn ``task`` (a BERT for translation, a T5 for classification)
        gives way to the task's first one, and the status line says so; so does a local checkpoint that
        cannot (the installed MiniLM for translation). Other checkpoints are left as chosen."""
        old = self._spec
        if preset_fits(old, task) if old in PRESETS else local_checkpoint_problem(old, task) is None:
            return
        new = next((name for name in PRESETS if preset_fits(name, task)), None)
        if new is None:
            return
        self.set_model(new)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("{old} cannot learn {task}: switched to {new}").format(
            old=old, task=task, new=new
        ))
        self.status_label.setToolTip(self.tr("The model was changed to one that can learn the chosen task"))

    def _on_trust_code_toggled(self, _checked: bool) -> None:
        if self._loading:
            return
        self._schedule_size()  # a folder with auto_map can be measured once trusted
        self._on_field_changed()

    def _on_lr_auto_toggled(self, checked: bool) -> None:
        self.lr_spin.setEnabled(not checked)
        if self._loading:
            return
        self._update_lr_auto()
        self._on_field_changed()

    def _on_schedule_radio_toggled(self, _checked: bool) -> None:
        self.epochs_spin.setEnabled(self.epochs_radio.isChecked())
        self.steps_spin.setEnabled(self.steps_radio.isChecked())
        if not self._loading:
            self._on_field_changed()

    def _on_field_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._update_size_label()
        self._validate()
        self._schedule_advice()  # batch, length, precision and the time budget change the verdict
        self.changed.emit()

    def _schedule_advice(self) -> None:
        if not self._closed:
            self._advice_timer.start()

    def _on_advice_timer_timeout(self) -> None:
        config = self.config()
        self._advice_runner.run(
            advice_job, config, self._data_facts, on_result=self._on_advice_result, on_error=self._on_advice_error
        )

    def _on_advice_result(self, result: AdviceResult) -> None:
        if self._closed or result.spec != self._spec:
            return  # a newer choice has its own check scheduled
        self._advice = result.advice
        self._update_advice()
        self._update_precision_note(result.precision)

    def _on_advice_error(self, message: str) -> None:
        if self._closed:
            return
        self._advice = ()  # advice is a help, not a gate: a failed check shows nothing
        self._update_advice()

    def _update_precision_note(self, choice: PrecisionChoice | None) -> None:
        """One line under Precision: what a run will use and why (auto's CPU probe included)."""
        if choice is None:
            self.precision_note.setText(self.tr("Refused on this machine (device or precision): a run would stop at its start"))
            return
        speed = f"{choice.speedup:.1f}" if choice.speedup is not None else ""
        hardware = choice.hardware or self.tr("native bf16")
        reasons = {
            "gpu-bf16": self.tr("this GPU supports bf16"),
            "gpu-fp16": self.tr("this GPU lacks bf16; with loss scaling"),
            "cpu-measured-faster": self.tr("this CPU has {hardware}, measured {speed}x faster").format(
                hardware=hardware, speed=speed),
            "cpu-measured-slower": self.tr("bf16 measured {speed}x the speed of fp32 here: not worth it").format(
                speed=speed),
            "cpu-not-measured": self.tr("bf16 is measured when training starts"),
            "cpu-no-bf16": self.tr("this CPU has no native bf16"),
            "cpu-pinned": self.tr("pinned by WORKBENCH_CPU_AUTO_PRECISION"),
            "cpu-multi-process": self.tr("several processes share the CPU"),
            "other-device": self.tr("mixed precision only on CUDA GPUs and bf16 CPUs"),
        }
        why = reasons.get(choice.reason, self.tr("as chosen"))
        self.precision_note.setText(self.tr("Uses {precision} ({why})").format(precision=choice.precision, why=why))

    def _update_advice(self) -> None:
        shown = self._advice
        self.advice_label.setText("\n".join(("⚠ " if a.severity == "warning" else "ℹ ") + a.message for a in shown))
        self.advice_label.setVisible(bool(shown))
        pick = next((a for a in shown if a.suggestion and a.suggestion != self._spec), None)
        if pick is not None:
            self.advice_button.setText(self.tr("Use {model}").format(model=pick.suggestion_name or pick.suggestion))
            self.advice_button.setProperty("spec", pick.suggestion)
        self.advice_button.setVisible(pick is not None)

    def _on_advice_button_clicked(self) -> None:
        spec = self.advice_button.property("spec")
        if not spec:
            return
        entry = cat.catalogue_entry(spec)
        if entry is not None and cached_snapshot(entry.repo_id) is None and not _is_local(spec):
            self.open_catalogue(entry.repo_id)  # not here yet: download it with progress first
            return
        self.set_model(spec)

    def _on_catalogue_model_chosen(self, spec: str) -> None:
        self._fill_model_combo()  # a download adds it to the "Downloaded" group
        self.set_model(spec)

    def _on_size_timer_timeout(self) -> None:
        req = self._size_request()
        if req is None:
            self._size = ModelSize(self._spec, None, note=self.tr("fix the problems below first"))
            self._update_size_label()
            return
        self.size_label.setText(self.tr("Parameters: counting…"))
        self._size_runner.run(
            model_size_job, req, on_result=self._on_size_result, on_error=self._on_size_error
        )

    def _on_size_result(self, size: ModelSize) -> None:
        if self._closed or size.spec != self._spec:
            return
        self._size = size
        if self._spec not in PRESETS and size.params is not None:
            self._write_shape_display(size)
        self._update_size_label()
        self._update_lr_auto()
        self._validate()

    def _on_size_error(self, message: str) -> None:
        if self._closed:
            return
        self._size = ModelSize(self._spec, None, note=message)
        self._update_size_label()
        self._update_lr_auto()

    def _on_save_done(self, path: str) -> None:
        if self._closed:
            return
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Saved {name}").format(name=Path(path).name))
        self.status_label.setToolTip(path)

    def _on_save_failed(self, message: str) -> None:
        if self._closed:
            return
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(self.tr("Not saved"))
        self.status_label.setToolTip(message)

    def _on_command_dialog_destroyed(self) -> None:
        self.command_dialog = None

    # ================================================================== model spec
    def _edit_text(self, spec: str) -> str:
        """What the editable combo shows for ``spec``: short names, not whole descriptions."""
        for display, s in self._display_to_spec.items():
            if s == spec and display == self._installed_text(s):
                return display
        return spec

    def _installed_text(self, spec: str) -> str:
        """How the chooser names an installed checkpoint (and the edit shows it once chosen)."""
        return self.tr("{name} (installed)").format(name=spec_display_name(spec))

    def _set_spec(self, spec: str, *, emit: bool = True, prefill: bool = True) -> None:
        spec = spec.strip()
        if spec == self._spec and emit:
            return
        self._spec = spec
        self._size = None
        preset = PRESETS.get(spec)
        for spin in self._shape_spins().values():
            spin.setEnabled(preset is not None)
            spin.setToolTip(
                self._tooltips.get(spin, spin.toolTip())
                if preset is not None
                else self.tr(
                    "Only from-scratch presets can change shape; a checkpoint's shape is fixed "
                    "(shown here once its config.json is read)"
                )
            )
        self.tokenizer_edit.setEnabled(preset is not None)
        self.tokenizer_button.setEnabled(preset is not None)
        if preset is not None and preset.family == "lstm":
            self.heads_spin.setEnabled(False)
            self.heads_spin.setToolTip(self.tr("A BiLSTM has no attention heads"))
            self.hidden_spin.setToolTip(
                self.tr("LSTM units per direction (each layer's output is twice this wide)")
            )
        if preset is not None and prefill:
            self._write_shape(TrainConfig(model=spec))
        self._update_model_info()
        self._update_lr_auto()
        self._update_size_label()
        self._schedule_size()
        self._advice = ()  # the previous model's advice no longer applies
        self._update_advice()
        self._schedule_advice()
        if emit:
            self._validate()
            self.model_changed.emit(spec)
            self.changed.emit()

    def _update_model_info(self) -> None:
        spec = self._spec
        if spec in PRESETS:
            text = self.tr(
                "<b>From scratch:</b> {description}. Random weights; its tokenizer "
                "is trained on your training text when training starts."
            ).format(description=PRESETS[spec].description)
            if from_scratch_advice(spec, self.task_combo.currentData()):  # the engine's note, in the UI's words
                text += " " + self.tr(
                    "Masked LM from scratch: BERT's learned positions keep it guessing word "
                    "frequencies for thousands of steps; <b>modernbert-mini</b> (rotary positions) "
                    "uses the neighbouring words within a few hundred."
                )
        elif not spec:
            text = self.tr("Choose a preset, an installed checkpoint, a model folder, or type a hub id.")
        else:
            try:
                source = resolve_spec(spec)
            except ModelError as exc:
                text = f"<span style='color:#b00020'>{exc}</span>"
            else:
                entry = cat.catalogue_entry(spec)
                if source.kind == "folder":
                    text = self.tr("<b>Checkpoint folder</b> (fine-tuned): {path}").format(path=source.path)
                elif cached_snapshot(spec) is not None:
                    text = self.tr(
                        "<b>Hub id</b> {spec}: in the Hugging Face cache (works offline)."
                    ).format(spec=spec)
                elif entry is not None:
                    text = self.tr(
                        "<b>{name}</b> (hub id {spec}): not downloaded yet ({size}). Browse models… "
                        "downloads it with progress; otherwise training downloads it when it starts."
                    ).format(name=entry.name, spec=spec, size=cat.human_bytes(entry.download_bytes))
                else:
                    text = self.tr(
                        "<b>Hub id</b> {spec}: downloaded on first use (or taken from the local "
                        "cache when offline)."
                    ).format(spec=spec)
        self.model_info.setText(text)

    def _spec_problems(self) -> list[str]:
        spec = self._spec
        if not spec:
            return ["model: " + self.tr("choose a preset, a model folder or a hub id")]
        if spec in PRESETS:
            out = []
            hidden, heads = self.hidden_spin.value(), self.heads_spin.value()
            if hidden % heads:
                out.append("heads: " + self.tr(
                    "the hidden size {hidden} is not divisible by {heads} heads "
                    "(each head gets hidden / heads dimensions)"
                ).format(hidden=hidden, heads=heads))
            if architecture_problem(spec, self.task_combo.currentData()):  # the engine's rule, in the UI's words
                out.append("task: " + self.tr(
                    "{model} is a left-to-right (GPT) model and cannot do masked-lm; "
                    "choose causal-lm, or a BERT preset"
                ).format(model=spec))
            return out
        try:
            source = resolve_spec(spec)  # a stat of the path at most: no network, no loading
        except ModelError as exc:
            return [f"model: {exc}"]
        if source.kind == "hub" and not _HUB_ID.match(spec):
            reason = "model: " + self.tr(
                "{spec} is not a valid hub id (letters, digits, '-', '_', '.', "
                "at most one '/', like 'bert-base-uncased' or 'org/name')"
            ).format(spec=repr(spec))
            return [reason]
        return []

    def _size_request(self) -> _SizeRequest | None:
        spec = self._spec
        task = self.task_combo.currentData()
        nsp = task in task_names(lambda t: t.next_sentence_option) and self.nsp_check.isChecked()
        if spec in PRESETS:
            if self.hidden_spin.value() % self.heads_spin.value():
                return None
            if architecture_problem(spec, task):  # flagged by _spec_problems
                return None
            if lstm_task_problem(spec, task):  # flagged by the config's own check
                return None
            shape = {name: spin.value() for name, spin in self._shape_spins().items()}
            return _SizeRequest(spec, "preset", task, **shape, next_sentence_prediction=nsp)
        if self._spec_problems():
            return None
        source = resolve_spec(spec)
        return _SizeRequest(
            spec,
            source.kind,
            task,
            path=str(source.path) if source.path is not None else None,
            trust_remote_code=self.trust_code_check.isChecked(),
            next_sentence_prediction=nsp,
        )

    def _schedule_size(self) -> None:
        self._size_timer.start()

    # ================================================================== values
    @staticmethod
    def _override(value: int, preset_value: int) -> int | None:
        return None if value == preset_value else value

    def _write_shape(self, config: TrainConfig) -> None:
        preset = PRESETS.get(config.model)
        if preset is None:
            return
        shape = preset.with_overrides(config.layers, config.heads, config.hidden, config.vocab_size)
        for name, spin in self._shape_spins().items():
            spin.blockSignals(True)
            spin.setValue(getattr(shape, name))
            spin.blockSignals(False)

    def _write_shape_display(self, size: ModelSize) -> None:
        """Show a checkpoint's own shape in the (disabled) shape spin boxes."""
        for name, spin in self._shape_spins().items():
            value = getattr(size, name)
            if value is not None:
                spin.blockSignals(True)
                spin.setValue(min(max(value, spin.minimum()), spin.maximum()))
                spin.blockSignals(False)

    def _write_values(self, c: TrainConfig) -> None:
        """Every hyperparameter widget from ``c`` (signals blocked; the model spec and shape are separate)."""
        widgets: list[QWidget] = [
            *config_fields.widgets(_FIELDS, self), self.task_combo, self.steps_spin, self.lr_spin, self.lr_auto,
            self.epochs_radio, self.steps_radio, self.whole_word_check, self.nsp_check,
        ]  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        try:
            config_fields.restore(_FIELDS, self, c)
            self.task_combo.setCurrentIndex(max(self.task_combo.findData(c.task), 0))
            self.whole_word_check.setChecked(c.whole_word_masking)
            self.nsp_check.setChecked(c.next_sentence_prediction)
            self._update_task_options()
            if c.max_steps is not None:
                self.steps_spin.setValue(c.max_steps)
            self.steps_radio.setChecked(c.max_steps is not None)
            self.epochs_radio.setChecked(c.max_steps is None)
            self.epochs_spin.setEnabled(c.max_steps is None)
            self.steps_spin.setEnabled(c.max_steps is not None)
            self.lr_auto.setChecked(c.lr is None)
            self.lr_spin.setEnabled(c.lr is not None)
            if c.lr is not None:
                self.lr_spin.setValue(c.lr)
        finally:
            for w in widgets:
                w.blockSignals(False)

    def _shape_spins(self) -> dict[str, QSpinBox]:
        """A preset's shape: config (and preset, ModelSize) attribute -> its spin box."""
        return {field.name: getattr(self, field.widget) for field in _SHAPE_FIELDS}

    # ================================================================== refreshes
    def _update_lr_auto(self) -> None:
        params = self._size.params if self._size is not None else None
        value, reason = auto_learning_rate(self._spec, params)  # the engine's rule (TrainConfig.resolved_lr)
        why = translate("ModelPanel", _LR_REASONS[reason])
        if self.lr_auto.isChecked():
            if value is not None:
                self.lr_spin.blockSignals(True)
                self.lr_spin.setValue(value)  # unticking "auto" starts from the auto value
                self.lr_spin.blockSignals(False)
            self.lr_auto_label.setText(
                self.tr("auto: {lr} ({why})").format(lr=self.lr_spin.textFromValue(value), why=why)
                if value
                else self.tr("auto: {why}").format(why=why)
            )
            self.lr_auto_label.show()
        else:
            self.lr_auto_label.setText("")
            self.lr_auto_label.hide()

    @staticmethod
    def _size_tooltip() -> str:
        return translate(
            "ModelPanel",
            "Parameters are counted exactly by building the model for this task on PyTorch's "
            "meta device (shapes only, no memory; a classification head is sized for 2 labels "
            "until the data is known; a preset's vocabulary at its full size).\n\n"
            "Training memory ≈ parameters × {param_bytes} bytes (fp32 weights, gradients "
            "and AdamW's two moments) + activations ≈ batch × max length × hidden × layers × "
            "{activation_bytes} bytes ({mixed_bytes} with bf16/fp16 precision). A rough estimate: "
            "frozen layers and a smaller batch lower it; attention maps at long max lengths and the "
            "CUDA context (~0.5–1 GB on a GPU) come on top.",
        ).format(param_bytes=cat.BYTES_PER_PARAM, activation_bytes=cat.ACTIVATION_BYTES_FP32,
                 mixed_bytes=cat.ACTIVATION_BYTES_16BIT)

    def memory_estimate(self) -> int | None:
        """Training memory estimate in bytes, or None while the size is unknown."""
        size = self._size
        if size is None or size.params is None:
            return None
        return cat.training_memory_bytes(
            size.params, size.hidden, size.layers, self.batch_spin.value(), self.max_length_spin.value(),
            mixed_precision=self.precision_combo.currentData() in ("bf16", "fp16"),
        )

    def _update_size_label(self) -> None:
        size = self._size
        if size is None or size.spec != self._spec:
            pending = self._size_timer.isActive() or self._size_runner.busy
            self.size_label.setText(
                self.tr("Parameters: counting…") if pending else self.tr("Parameters: —")
            )
            return
        if size.params is None:
            self.size_label.setText(
                self.tr("Parameters: unknown ({reason})").format(reason=size.note)
                if size.note
                else self.tr("Parameters: —")
            )
            return
        memory = self.memory_estimate() or 0
        amount = f"{memory / 1024**3:.1f} GB" if memory >= 1024**3 else f"{memory / 1024**2:.0f} MB"
        self.size_label.setText(
            self.tr("<b>{parameters}</b> parameters · training memory ≈ <b>{memory}</b>").format(
                parameters=_human(size.params), memory=amount
            )
        )

    def _compute_problems(self) -> list[str]:
        config = TrainConfig(data="-")  # the data half is the dataset panel's business
        self.apply_to(config)
        out = [p for p in config.problems() if not p.startswith("data:")]
        out += self._spec_problems()
        if config.next_sentence_prediction and (nsp := nsp_problem(self._spec)):
            out.append(f"next_sentence_prediction: {nsp}")  # a config.json read at most
        size = self._size if self._size is not None and self._size.spec == self._spec else None
        layers = (
            self.layers_spin.value() if self._spec in PRESETS else (size.layers if size else None)
        )
        if layers is not None and config.freeze_layers > layers:
            out.append("freeze_layers: " + self.tr(
                "the model has only {layers} layers (got {value})"
            ).format(layers=layers, value=config.freeze_layers))
        if (
            size is not None
            and size.max_positions is not None
            and self._spec not in PRESETS
            and config.max_length > size.max_positions
        ):
            out.append("max_length: " + self.tr(
                "this model has {positions} positions at most (got {value})"
            ).format(positions=size.max_positions, value=config.max_length))
        return out

    def _validate(self, emit: bool = True) -> None:
        problems = self._compute_problems()
        by_field: dict[QWidget, list[str]] = {}
        for problem in problems:
            field = problem.split(":", 1)[0].strip()
            for w in self._field_widgets.get(field, []):
                by_field.setdefault(w, []).append(problem)
        for w in set(self._flagged) | set(by_field):
            reasons = by_field.get(w)
            w.setProperty("invalid", bool(reasons))
            # Only on flagged widgets: any style sheet (even one whose selector does not
            # match) swaps the native look for the style-sheet engine's.
            w.setStyleSheet(_INVALID_STYLE if reasons else "")
            w.setToolTip(
                self._tooltips.get(w, "") + ("\n\n⚠ " + "\n⚠ ".join(reasons) if reasons else "")
            )
            # Dynamic properties only restyle after a re-polish.
            w.style().unpolish(w)
            w.style().polish(w)
        self._flagged = set(by_field)
        self.problems_label.setText("\n".join(f"⚠ {p}" for p in problems))
        if problems != self._problems:
            self._problems = problems
            if emit:
                self.validity_changed.emit(list(problems))

    def _update_metric_tip(self) -> None:
        """auto: each task's own default (engine.tasks), listed from the registry so the tooltip cannot drift."""
        defaults = "; ".join(
            self.tr("{metric} for {task}").format(metric=metric_label(task.best.name), task=task.display_name)
            for task in all_tasks()
        )
        tip = self.tr(
            "Which validation score picks the best checkpoint and drives early stopping. auto = "
            "the task's own: {defaults}."
        ).format(defaults=defaults)
        self.metric_combo.setToolTip(tip)
        for label in self.findChildren(QLabel):  # its "Metric for best" label shows the same tip
            if label.buddy() is self.metric_combo:
                label.setToolTip(tip)

    def retranslate(self) -> None:
        """After a language switch (View ▸ Language): the tooltips kept to restore, and the
        texts formatted with values (model note, learning rate, size, problems)."""
        from workbench.gui.retranslate import retranslated

        self._update_metric_tip()

        self._tooltips = {w: retranslated(tip, w) for w, tip in self._tooltips.items()}
        # The chooser again, so that its names and the map from name to model match the new
        # language; the edit shows the model under its new name if it showed its old one.
        before, shown = dict(self._display_to_spec), self.model_combo.currentText()
        self._fill_model_combo()
        if before.get(shown) == self._spec:
            self.model_combo.blockSignals(True)
            self.model_combo.setEditText(self._edit_text(self._spec))
            self.model_combo.blockSignals(False)
        self._validate(emit=False)
        self._update_model_info()
        self._update_lr_auto()
        self._update_size_label()

    def is_flagged(self, widget: QWidget) -> bool:
        return bool(widget.property("invalid"))


def _is_local(spec: str) -> bool:
    """Whether ``spec`` is a preset or names a folder here (an installed checkpoint's hub id does)."""
    try:
        return resolve_spec(spec).kind != "hub"
    except ModelError:
        return False


def _human(n: int) -> str:
    if n >= 1_000_000_000:
        return f"{n / 1e9:.2f} B"
    if n >= 1_000_000:
        return f"{n / 1e6:.2f} M"
    if n >= 1_000:
        return f"{n / 1e3:.1f} k"
    return str(n)


def main(argv: list[str] | None = None) -> int:
    """Show the panel on its own: ``python -m workbench.gui.panels.model_panel [MODEL]``."""
    from workbench.gui.app import DEMO_DATASET, create_app, exec_panel

    argv = sys.argv[1:] if argv is None else argv
    create_app()

    def provider() -> TrainConfig:
        config = TrainConfig(data=str(DEMO_DATASET))
        panel.apply_to(config)
        return config

    panel = ModelPanel(config_provider=provider)
    panel.set_recent_models(["distilbert-base-uncased"])
    if argv:
        panel.set_model(argv[0])
    return exec_panel(panel, "Model")


if __name__ == "__main__":
    raise SystemExit(main())
