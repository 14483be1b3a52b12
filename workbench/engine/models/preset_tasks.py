"""Which tasks a from-scratch preset can learn, and what to know when it learns one.

The rules join a preset's family (``presets.py``) with a task's facts (its ``Task``
flags): the BiLSTM has heads only for the tasks with ``bilstm_head``; a left-to-right
GPT cannot fill masks; BERT's learned positions make a masked LM slow to start; an
encoder-decoder preset learns the sequence-to-sequence tasks and only those. They
live here, not in ``presets.py``, so that the presets stay below the task registry
(the tasks' own modules reach the presets through pre-training).
"""

from __future__ import annotations

from workbench.engine.models.presets import PRESETS
from workbench.engine.tasks.registry import find_task, task_names


def lstm_task_problem(model: str, task: str) -> str | None:
    """Why the BiLSTM preset ``model`` cannot learn ``task``; None when it can (or is no BiLSTM)."""
    preset = PRESETS.get(model)
    found = find_task(task)
    if preset is None or preset.family != "lstm" or (found is not None and found.bilstm_head):
        return None
    return (
        f"{model} is a BiLSTM classifier and tagger (no language-model or answer-span head), so it "
        f"cannot learn {task}; choose {' or '.join(task_names(lambda t: t.bilstm_head))}"
        + (", or a BERT / GPT preset for pre-training" if found is not None and found.language_model else "")
    )


def architecture_problem(model: str, task: str) -> str | None:
    """Why the preset ``model``'s attention cannot learn ``task`` (a GPT reads left to right and cannot
    fill masks); None when it can (or is no preset). The model panel shows it in its own words."""
    preset = PRESETS.get(model)
    found = find_task(task)
    if preset is None or preset.family != "gpt" or found is None or not found.fills_masks:
        return None
    choices = " or ".join(task_names(lambda t: t.generative))
    return f"{model} is a left-to-right (GPT) model and cannot do {task}; choose {choices}, or a BERT preset"


def encoder_decoder_problem(model: str, task: str) -> str | None:
    """Why the preset ``model`` cannot learn ``task``: an encoder-decoder (T5, BART) only writes a
    target from a source, and a sequence-to-sequence task needs one; None when they match (or no preset)."""
    preset = PRESETS.get(model)
    found = find_task(task)
    if preset is None or found is None or preset.encoder_decoder == found.sequence_to_sequence:
        return None
    if preset.family == "lstm":
        return None  # lstm_task_problem says what a BiLSTM learns
    if preset.encoder_decoder:
        return (
            f"{model} is an encoder-decoder (it writes a target text from a source text), so it cannot "
            f"learn {task}; choose {' or '.join(task_names(lambda t: t.sequence_to_sequence))}, or another preset"
        )
    seq2seq = ", ".join(name for name, p in PRESETS.items() if p.encoder_decoder)
    kind = "decoder-only (GPT)" if preset.family == "gpt" else "encoder-only"
    return (
        f"{model} is {kind}, and {task} needs an encoder-decoder that reads a source and writes a target; "
        f"choose {seq2seq}, or an encoder-decoder checkpoint (T5, BART, Marian)"
    )


def local_checkpoint_problem(model: str, task: str) -> str | None:
    """Why the local checkpoint folder ``model`` (an installed one by name, or a path) cannot learn
    ``task``: a sequence-to-sequence task needs an encoder-decoder (config.json's
    ``is_encoder_decoder``). None when it can, when ``model`` is not a local folder, or when its
    config cannot be read (the loader then says why)."""
    import json
    from pathlib import Path

    from workbench.engine.models.installed import installed_folder

    found = find_task(task)
    if found is None or not found.sequence_to_sequence or model in PRESETS:
        return None
    folder = installed_folder(model) or Path(model).expanduser()
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(config, dict) or config.get("is_encoder_decoder"):
        return None
    return (f"{folder.name} is not an encoder-decoder, and {task} needs one that reads a source and "
            "writes a target (T5, BART, Marian, or the t5-tiny / bart-tiny presets)")


def from_scratch_advice(model: str, task: str) -> str | None:
    """A note for a from-scratch choice known to learn slowly; None otherwise."""
    preset = PRESETS.get(model)
    found = find_task(task)
    if preset is not None and preset.family == "bert" and found is not None and found.fills_masks:
        return (
            f"note: from scratch, {model}'s learned position embeddings keep a masked LM guessing word "
            "frequencies (the unigram baseline) for thousands of steps; modernbert-mini (rotary "
            "positions) uses the neighbouring words within a few hundred."
        )
    return None
