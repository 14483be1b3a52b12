"""Save a model folder in Hugging Face format, with the workbench's metadata beside it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.engine.models.loading import WORKBENCH_META
from workbench.engine.runs import replace_dir

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
        _record_padding_side(folder, tokenizer)
        (folder / WORKBENCH_META).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if atomic:
            replace_dir(folder, target)
    except BaseException:
        if atomic:  # a full disk or a kill: no half-written folder stays beside the target
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _record_padding_side(folder: Path, tokenizer: PreTrainedTokenizerBase) -> None:
    """Keep a left-padding tokenizer left-padding after a reload.

    transformers 5 does not write ``padding_side`` when it was set on the
    object, but reads it from ``tokenizer_config.json``; XLNet reads the last
    position, so a reload that pads on the right would change its predictions.
    """
    path = folder / "tokenizer_config.json"
    if getattr(tokenizer, "padding_side", "right") != "left" or not path.is_file():
        return
    config = json.loads(path.read_text(encoding="utf-8"))
    config["padding_side"] = "left"
    path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
