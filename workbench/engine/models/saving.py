"""Save a model folder in Hugging Face format, with the workbench's metadata beside it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.engine.models.loading import WORKBENCH_META
from workbench.engine.runs import replace_dir
from workbench.engine.tasks.base import Task
from workbench.engine.tasks.registry import find_task

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


def save_model_folder(
    folder: Path,
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    meta: dict[str, Any],
    *,
    atomic: bool = True,
) -> None:
    """``config.json`` + ``model.safetensors`` + tokenizer files + ``workbench_model.json``.

    ``meta`` records what transformers' config does not: the task, the label
    names and the max_length the model was trained with (multi-label models add
    ``label_separator`` and, once tuned, ``thresholds``: label -> cut, which
    ``Predictor`` applies). With ``atomic`` the folder is written beside the
    target and renamed into place.
    """
    target = folder
    if atomic:
        folder = folder.with_name(f".tmp-{folder.name}")
        if folder.exists():
            shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    from transformers.utils import logging as hf_logging

    # transformers draws a progress bar per save; checkpoints are frequent and
    # the CLI and GUI show their own progress.
    hf_logging.disable_progress_bar()
    try:
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        record_prediction_settings(folder, model, tokenizer, meta)
        (folder / WORKBENCH_META).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if atomic:
            replace_dir(folder, target)
    except BaseException:
        if atomic:  # a full disk or a kill: no half-written folder stays beside the target
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _task(meta: dict[str, Any]) -> Task | None:
    """The task the saved model was trained for (None: unknown or not recorded)."""
    name = meta.get("task")
    return find_task(name) if isinstance(name, str) else None


def prediction_length(model: PreTrainedModel, meta: dict[str, Any]) -> int | None:
    """The most tokens ``Predictor`` reads from one input of this model, as ``model_max_length`` says it.

    Every task but one truncates (or, question answering, windows) at the run's
    ``max_length``. A causal LM continues the whole prompt, up to the model's
    positions: the run's ``max_length`` was only the length of its training blocks.
    """
    task = _task(meta)
    if task is not None and task.generative:
        from workbench.engine.generation import max_positions

        return max_positions(model.config)
    length = meta.get("max_length")
    return int(length) if isinstance(length, int) and length > 0 else None


def record_prediction_settings(
    folder: Path, model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, meta: dict[str, Any]
) -> None:
    """Write into the tokenizer's files what ``Predictor`` applies when it predicts.

    ``Predictor`` reads its settings from ``workbench_model.json``; plain
    transformers (``AutoTokenizer`` with ``truncation=True``, ``pipeline``) reads
    only the tokenizer's files. So that both see the same tokens, and so the same
    model, ``tokenizer_config.json`` gets:

    1. ``model_max_length``: the length prediction truncates at (``prediction_length``),
       not the 512 a from-scratch tokenizer or a checkpoint's tokenizer came with;
    2. ``padding_side`` and ``truncation_side`` as the engine uses them (transformers 5
       does not write a ``padding_side`` set on the object; XLNet reads the last position,
       so a reload that pads on the right would change its predictions);
    3. ``add_prefix_space`` for byte-level BPE tokenizers loaded with it (token classification
       of pre-split words), and no clean-up of spaces for causal LMs (generation decodes without it).

    ``tokenizer.json`` keeps the backend's truncation and padding state of whatever call
    came last (a QA window's stride, a batch's padding); it is set to what prediction
    does, so that the ``tokenizers`` library alone reads inputs the same way too.
    """
    path = folder / "tokenizer_config.json"
    if not path.is_file():
        return
    config = json.loads(path.read_text(encoding="utf-8"))
    length = prediction_length(model, meta)
    if length is not None:
        config["model_max_length"] = length
    padding_side = getattr(tokenizer, "padding_side", "right")
    truncation_side = getattr(tokenizer, "truncation_side", "right")
    config["padding_side"] = padding_side
    config["truncation_side"] = truncation_side
    if getattr(tokenizer, "add_prefix_space", None) is True:
        config["add_prefix_space"] = True
    task = _task(meta)
    if task is not None and task.generative:
        config["clean_up_tokenization_spaces"] = False
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _record_backend_state(folder, meta, length, truncation_side)


def _record_backend_state(folder: Path, meta: dict[str, Any], length: int | None, side: str) -> None:
    path = folder / "tokenizer.json"
    if not path.is_file():
        return
    backend = json.loads(path.read_text(encoding="utf-8"))
    truncation = None
    # Tasks that cut one input at max_length; QA windows and causal LMs read the whole input.
    task = _task(meta)
    if length is not None and task is not None and task.truncates:
        truncation = {"direction": side.capitalize(), "max_length": length, "strategy": "LongestFirst", "stride": 0}
    if backend.get("truncation") == truncation and backend.get("padding") is None:
        return  # already so: spare rewriting a large vocabulary
    backend["truncation"] = truncation
    backend["padding"] = None  # prediction pads per batch, to the longest input
    path.write_text(json.dumps(backend, ensure_ascii=False), encoding="utf-8")
