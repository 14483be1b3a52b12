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
    names and the max_length the model was trained with. With ``atomic`` the
    folder is written beside the target and renamed into place.
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
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    (folder / WORKBENCH_META).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if atomic:
        replace_dir(folder, target)
