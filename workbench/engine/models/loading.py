"""Resolve a model spec and load tokenizers and models safely.

A spec is one of:
- a from-scratch preset name (``bert-tiny``, ``bert-mini``, ``modernbert-mini``, ``gpt-tiny``, ``bilstm``,
  ``t5-tiny``, ``bart-tiny``);
- a run folder: its final ``model/``, else its newest intact checkpoint, whatever
  the run's state (finished, cancelled, failed, crashed, still running); a checkpoint
  folder; ``RUN/checkpoints/latest`` or ``best`` (see ``run_weights.py``);
- a local Hugging Face folder (``config.json`` + weights);
- the name of an installed checkpoint package (``all-MiniLM-L6-v2``, also as
  ``sentence-transformers/all-MiniLM-L6-v2``): its folder, never the hub;
- a hub id such as ``bert-base-uncased``, downloaded through transformers.

``default_model()`` is the model used when none is named (the CLI, a new config,
the app's demo): the first installed pre-trained checkpoint, else ``bert-tiny``.

Safety: weights load from safetensors; pickle-format weights (``*.bin``,
``*.pt``) are refused unless the caller passes ``allow_pickle=True``, and
``trust_remote_code`` is off unless asked for explicitly.
"""

from __future__ import annotations

import json
import os
import pickle  # only for its exception type: nothing is unpickled here
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from workbench.engine.errors import ConfigError, ModelError

# Installed checkpoints and the default model live in installed.py (a leaf: TrainConfig
# needs it); the names are re-exported because callers have always imported them from here.
from workbench.engine.models.installed import (
    default_model,  # noqa: F401 - re-exported
    default_model_choice,  # noqa: F401 - re-exported
    installed_checkpoint_name,
    installed_checkpoint_names,  # noqa: F401 - re-exported
    installed_checkpoints,  # noqa: F401 - re-exported
    installed_folder,
)
from workbench.engine.models.model_types import BILSTM_MODEL_TYPE
from workbench.engine.models.presets import PRESETS

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

from workbench.engine.tasks.registry import get_task
from workbench.engine.typed_paths import names_existing

# Written beside config.json in every model folder we save.
WORKBENCH_META = "workbench_model.json"
_PICKLE_WEIGHTS = ("pytorch_model.bin", "pytorch_model.bin.index.json", "tf_model.h5", "model.ckpt")
_HUB_PROBE_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class ModelSource:
    kind: Literal["preset", "folder", "hub"]
    spec: str
    path: Path | None = None  # the folder holding config.json, for kind == "folder"
    # Which weights these are, in words, for a run or checkpoint: "final model",
    # "checkpoint step-0000120 (the run was cancelled)". Empty for other specs.
    description: str = ""
    # True when the weights are a training checkpoint rather than a run's final model:
    # the CLI and the app then say which one was used.
    from_checkpoint: bool = False
    # The task the run was trained for (its config.json), when the spec named a run.
    task: str | None = None


def resolve_spec(spec: str) -> ModelSource:
    """Decide what a spec names, without loading anything heavy (a few small file reads at most)."""
    if spec in PRESETS:
        return ModelSource("preset", spec)
    path = Path(spec).expanduser()
    if names_existing(path):  # typed text: 100,000 characters name no folder, they raise no error
        from workbench.engine.models.run_weights import choose_weights

        chosen = choose_weights(path)
        if chosen is not None:
            return ModelSource("folder", spec, chosen.folder, chosen.description, chosen.from_checkpoint, chosen.task)
        if (path / "config.json").is_file():
            return ModelSource("folder", spec, path)
        raise ModelError(
            f"{path}: this folder has no config.json, so it is not a Hugging Face model folder "
            "or a workbench run folder. Point to the folder that holds config.json and the weights."
        )
    installed = installed_folder(spec)
    if installed is not None:  # the name the app shows, e.g. all-MiniLM-L6-v2: offline, no hub
        return ModelSource("folder", spec, installed, installed_checkpoint_name(installed) or "")
    looks_like_path = spec.startswith((".", "/", "~")) or os.sep in spec.rstrip(os.sep).split(os.sep, 1)[-1]
    if looks_like_path or spec.count("/") > 1 or not spec.strip():
        raise ModelError(
            f"{spec!r} is not an existing folder, a preset ({', '.join(PRESETS)}) or a hub id "
            "(like 'bert-base-uncased' or 'org/name')."
        )
    return ModelSource("hub", spec)


def read_workbench_meta(folder: Path) -> dict[str, Any]:
    meta = folder / WORKBENCH_META
    if not meta.is_file():
        return {}
    try:
        return json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta}: cannot be read ({exc}). Delete it or restore it from a backup.") from exc


def check_weights_safe(folder: Path, allow_pickle: bool) -> None:
    """Refuse pickle-only weights unless explicitly allowed (unpickling can run code)."""
    has_safetensors = any(folder.glob("*.safetensors")) or (folder / "model.safetensors.index.json").exists()
    if has_safetensors:
        return
    pickled = [name for name in _PICKLE_WEIGHTS if (folder / name).exists()]
    if pickled and not allow_pickle:
        raise ModelError(
            f"{folder}: the weights are only in pickle format ({', '.join(pickled)}), and loading "
            "pickle can run arbitrary code. Convert them to safetensors, or, if you trust where the "
            "file came from, pass --allow-pickle-weights (CLI) or tick 'Allow pickle weights' (app)."
        )
    if not pickled:
        raise ModelError(f"{folder}: no weights found (expected model.safetensors).")


def check_no_remote_code(folder: Path, trust_remote_code: bool) -> None:
    config_path = folder / "config.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{config_path}: not valid JSON ({exc}).") from exc
    if not isinstance(config, dict):
        raise ModelError(f"{config_path}: not a model configuration (expected a JSON object).")
    if "auto_map" in config and not trust_remote_code:
        raise ModelError(
            f"{config_path}: this model ships its own Python code (auto_map), which would run on "
            "your machine. It was not loaded. If you trust its author, pass --trust-remote-code."
        )
    tokenizer_config = folder / "tokenizer_config.json"
    try:
        tok = json.loads(tokenizer_config.read_text(encoding="utf-8")) if tokenizer_config.is_file() else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        tok = {}  # the tokenizer loader reports a broken file itself
    if isinstance(tok, dict) and "auto_map" in tok and not trust_remote_code:
        # transformers would quietly fall back to a stock tokenizer: say so instead of guessing.
        raise ModelError(
            f"{tokenizer_config}: this model ships its own tokenizer code (auto_map), which would run "
            "on your machine. It was not loaded. If you trust its author, pass --trust-remote-code."
        )


def hub_reachable() -> bool:
    """A quick TCP probe, so an offline machine fails in seconds instead of retrying for ~30 s.

    The same probe as downloads use (``hub_download.endpoint_reachable``: offline flags,
    ``HF_ENDPOINT``, a resolver that hangs), so loading and downloading never disagree.
    """
    from workbench.engine.models.hub_download import endpoint_reachable

    return endpoint_reachable(timeout=_HUB_PROBE_TIMEOUT_S)


def _hub_kwargs(source: ModelSource) -> dict[str, Any]:
    """Extra from_pretrained arguments for a hub id: cached-only when offline."""
    if source.kind != "hub":
        return {}
    if hub_reachable():
        return {}
    return {"local_files_only": True}


def _hub_error(source: ModelSource, exc: Exception) -> ModelError:
    return ModelError(
        f"Could not load {source.spec!r} from the Hugging Face hub: it is not in the local cache "
        f"and the hub cannot be reached ({type(exc).__name__}). Check the id and your connection, "
        "or pass a local model folder (for example one saved by a workbench run)."
    )


def _location(source: ModelSource) -> str:
    return str(source.path) if source.path is not None else source.spec


def load_tokenizer(spec: str | ModelSource, *, add_prefix_space: bool | None = None) -> PreTrainedTokenizerBase:
    """The tokenizer of a folder, run or hub id (presets train theirs: see ``build_model``)."""
    from transformers import AutoTokenizer

    source = spec if isinstance(spec, ModelSource) else resolve_spec(spec)
    if source.kind == "preset":
        raise ModelError(
            f"{source.spec!r} is a from-scratch preset: its tokenizer is trained on your data when "
            "training starts, so there is none to load yet."
        )
    if _is_bilstm_folder(source):
        register_architectures()  # AutoTokenizer reads config.json's model_type, which must be known
    kwargs: dict[str, Any] = _hub_kwargs(source)
    if add_prefix_space is not None:
        kwargs["add_prefix_space"] = add_prefix_space
    try:
        return AutoTokenizer.from_pretrained(_location(source), trust_remote_code=False, **kwargs)
    except (OSError, ValueError) as exc:
        if source.kind == "hub":
            raise _hub_error(source, exc) from exc
        raise ModelError(f"{_location(source)}: the tokenizer cannot be loaded ({exc}).") from exc


def needs_prefix_space(source: ModelSource) -> bool:
    """Byte-level BPE tokenizers (GPT-2, RoBERTa) need add_prefix_space for pre-split words."""
    if source.path is None:
        return any(name in source.spec.lower() for name in ("gpt", "roberta"))
    try:
        config = json.loads((source.path / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return config.get("model_type") in ("gpt2", "roberta", "bart", "longformer", "deberta")


def _is_bilstm_folder(source: ModelSource) -> bool:
    """A folder saved from the BiLSTM preset (one small JSON read, no import of torch)."""
    if source.path is None:
        return False
    try:
        config = json.loads((source.path / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    return isinstance(config, dict) and config.get("model_type") == BILSTM_MODEL_TYPE


def register_architectures() -> None:
    """Make the workbench's own architectures (the BiLSTM) known to transformers' Auto classes.

    Called before every load or build rather than at import: registering imports
    torch and transformers, and this module is on the GUI's start-up path.
    """
    from workbench.engine.models.bilstm import register

    register()


def auto_class(task: str | None, *, next_sentence_prediction: bool = False) -> Any:
    """The Auto class for ``task``; None: the bare encoder or decoder (attention needs no head)."""
    import transformers

    register_architectures()
    if task is None:
        return transformers.AutoModel
    # With next-sentence prediction a masked LM gets BERT's two pre-training heads (MLM + NSP).
    spec = get_task(task, error=ModelError)
    head = spec.model_class_name(next_sentence_prediction=next_sentence_prediction)
    return getattr(transformers, head)


def _label_kwargs(task: str | None, label_names: list[str] | None) -> dict[str, Any]:
    # The head's config: label maps, and e.g. multi-label's problem_type (one sigmoid per label, BCE loss).
    return get_task(task, error=ModelError).config_kwargs(label_names) if task is not None else {}


def load_pretrained(
    source: ModelSource,
    task: str | None,
    label_names: list[str] | None = None,
    *,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
    attn_implementation: str | None = "sdpa",
    next_sentence_prediction: bool = False,
) -> PreTrainedModel:
    """Load a folder or hub checkpoint with the head for ``task``.

    A head whose size does not match (a new label set) is freshly initialised;
    the encoder weights are kept.
    """
    kwargs: dict[str, Any] = {**_label_kwargs(task, label_names), **_hub_kwargs(source)}
    if source.kind == "folder":
        assert source.path is not None
        check_no_remote_code(source.path, trust_remote_code)
        check_weights_safe(source.path, allow_pickle)
        from workbench.engine.models.safetensors_check import check_folder_safetensors

        check_folder_safetensors(source.path)  # a damaged or crafted header fails here, readably
    if not allow_pickle:
        kwargs["use_safetensors"] = True
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    cls = auto_class(task, next_sentence_prediction=next_sentence_prediction)
    try:
        return _from_pretrained(cls, _location(source), trust_remote_code, kwargs)
    except ValueError as exc:
        # Some architectures (XLNet, GPT-2 for some heads) have no SDPA path: fall back to eager.
        if attn_implementation and ("attn_implementation" in str(exc) or "sdpa" in str(exc).lower()):
            kwargs.pop("attn_implementation", None)
            return _from_pretrained(cls, _location(source), trust_remote_code, kwargs)
        raise ModelError(f"{_location(source)}: cannot be loaded for {task} ({exc}).") from exc
    except OSError as exc:
        if source.kind == "hub":
            raise _hub_error(source, exc) from exc
        raise ModelError(f"{_location(source)}: cannot be loaded for {task} ({exc}).") from exc
    except pickle.UnpicklingError as exc:
        # torch's weights-only unpickler met something other than tensors: a crafted file.
        raise ModelError(
            f"{_location(source)}: the pickle weights hold objects other than tensors, which could run "
            "code when loaded; they were refused even with pickle allowed. Use a safetensors copy."
        ) from exc


def _from_pretrained(cls: Any, location: str, trust_remote_code: bool, kwargs: dict[str, Any]) -> Any:
    import transformers

    # A checkpoint saved for another head or label count: keep the body, re-initialise the head.
    kwargs = {"ignore_mismatched_sizes": True, **kwargs}
    verbosity = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity_error()  # "newly initialised head" is expected, not news
    transformers.logging.disable_progress_bar()  # our own progress is shown instead
    try:
        return cls.from_pretrained(location, trust_remote_code=trust_remote_code, **kwargs)
    finally:
        transformers.logging.set_verbosity(verbosity)


def build_from_scratch(
    preset_name: str,
    task: str,
    texts: list[str],
    label_names: list[str] | None = None,
    *,
    layers: int | None = None,
    heads: int | None = None,
    hidden: int | None = None,
    vocab_size: int | None = None,
    seed: int = 0,
    next_sentence_prediction: bool = False,
    tokenizer: PreTrainedTokenizerBase | None = None,
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Train a tokenizer on ``texts`` (or take ``tokenizer``, e.g. the tokenizer workshop's) and
    initialise a fresh model of the preset's shape."""
    import torch

    from workbench.engine.models.preset_tasks import encoder_decoder_problem, lstm_task_problem
    from workbench.engine.models.presets import preset_config, train_tokenizer

    if not texts:
        raise ModelError(f"{preset_name}: a from-scratch model needs training text for its tokenizer.")
    problem = lstm_task_problem(preset_name, task) or encoder_decoder_problem(preset_name, task)
    if problem:
        raise ConfigError(f"{problem}.")
    preset = PRESETS[preset_name].with_overrides(layers, heads, hidden, vocab_size)
    if preset.hidden % preset.heads:
        raise ModelError(
            f"{preset_name}: hidden size {preset.hidden} must be divisible by the number of heads {preset.heads}."
        )
    if tokenizer is None:
        tokenizer = train_tokenizer(preset.family, texts, preset.vocab_size)
    if preset.family == "modernbert":  # no segment embeddings: pairs are told apart by [SEP] alone
        tokenizer.model_input_names = [n for n in tokenizer.model_input_names if n != "token_type_ids"]
    config = preset_config(preset, tokenizer)
    for key, value in _label_kwargs(task, label_names).items():
        setattr(config, key, value)
    # A BiLSTM has no attention, so no attention implementation to choose.
    attention = {} if preset.family == "lstm" else {"attn_implementation": "sdpa"}
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)  # the same seed gives the same initial weights
        model = auto_class(task, next_sentence_prediction=next_sentence_prediction).from_config(
            config, **attention
        )
    return model, tokenizer


def fit_tokenizer_to_model(model: Any, tokenizer: Any) -> None:
    """Settings the model needs from its tokenizer, whatever tokenizer came with it.

    - GPT-2 style checkpoints have no pad token: pad with EOS (the attention mask hides it).
    - XLNet classifies from the last position (summary_type "last"), so it must be padded on the left.
    """
    if tokenizer.pad_token_id is None and tokenizer.eos_token is not None:
        tokenizer.pad_token = tokenizer.eos_token
    if getattr(model.config, "pad_token_id", None) is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    if getattr(model.config, "summary_type", None) == "last":
        tokenizer.padding_side = "left"
