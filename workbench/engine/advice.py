"""Advice before Start: will this model learn anything from this data, here, in this time?

``advise(config, data)`` looks at the model choice against the facts of the data (row count,
a sample of texts) and of the machine (available memory, measured FLOP/s) and returns
what is unlikely to work, each with a concrete model to choose instead:

1. a from-scratch preset on fewer than a few thousand labelled rows (random weights and a
   tokenizer trained on those rows: a bert-tiny on 160 rows stayed at chance) -> an installed
   pre-trained checkpoint, else a catalogue one;
2. a model whose training memory (``catalogue.training_memory_bytes``) exceeds what the
   machine has available -> a smaller one that fits;
3. a model too slow for the time budget (``max_minutes``): less than one pass over the data
   -> a faster one;
4. an English vocabulary on Chinese text or the reverse (the data's share of Han characters;
   the model's language from the catalogue or, for a folder, from its vocabulary);
5. the presets' own note (``preset_tasks.from_scratch_advice``: BERT positions for masked LM).

The CLI prints each advice line to stderr before training; the model panel shows them with
a button that switches to the suggestion. Nothing here imports Qt; torch only through
``measure_flops`` when the caller asks for the time check without a measurement.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from workbench.engine.models import catalogue as cat
from workbench.engine.models.catalogue import ModelFacts
from workbench.engine.tasks.registry import find_task

if TYPE_CHECKING:
    from workbench.engine.training.config import TrainConfig

log = logging.getLogger(__name__)

# "A few thousand": below this many labelled rows a from-scratch model rarely beats the
# majority class, while a pre-trained checkpoint reaches 0.9 on a few hundred (the issue's
# case: 160 rows, bert-tiny 0.375 validation accuracy, all-MiniLM-L6-v2 0.94 in 45 steps).
SMALL_DATA_ROWS = 3000
# Share of the available memory a run may plan to use: the OS, the app and the CUDA
# context need the rest.
MEMORY_HEADROOM = 0.9
# The data is Chinese when this share of its letters and ideographs are Han characters ...
CHINESE_SHARE = 0.3
# ... and written without Han characters (English and other alphabets) below this share.
LATIN_SHARE = 0.02
# Fewer letters and ideographs than this in the sample: too little to judge the script.
MIN_CHARACTERS = 50
SAMPLE_TEXTS = 400
# The kind of the presets' own note: training prints it when it starts and the model panel
# words it itself, so both leave this advice out.
PRESET_NOTE = "preset-note"

Severity = Literal["warning", "info"]


@dataclass(frozen=True)
class Advice:
    """One piece of advice: how sure, what, and the model spec to choose instead (if any)."""

    severity: Severity
    kind: str  # "small-data", "memory", "slow", "language", PRESET_NOTE
    message: str
    suggestion: str | None = None  # a model spec: preset, folder or hub id
    suggestion_name: str | None = None  # how to call it in a button ("all-MiniLM-L6-v2")

    def line(self) -> str:
        return f"{self.severity}: {self.message}"


@dataclass(frozen=True)
class DataFacts:
    """What the advice needs to know about the training data."""

    rows: int
    texts: tuple[str, ...]  # a sample of the training texts
    mean_tokens: float | None = None  # estimated tokens per example (None: estimate from texts)

    @classmethod
    def from_texts(
        cls,
        texts: Sequence[str],
        rows: int | None = None,
        sample: int = SAMPLE_TEXTS,
        pairs: Sequence[str] | None = None,
    ) -> DataFacts:
        """An evenly spread sample (sorted data, such as ChnSentiCorp by label, is sampled fairly).

        ``pairs``: the second text of each example (a QA context, a hypothesis), which the
        model reads too: it counts in the length and the script.
        """
        step = max(len(texts) // sample, 1)
        picked = list(texts[::step][:sample])
        if pairs:
            picked = [f"{t} {p}" for t, p in zip(picked, list(pairs[::step][:sample]))]
        return cls(len(texts) if rows is None else rows, tuple(picked), cat.mean_tokens(picked))

    @classmethod
    def from_examples(cls, examples: Any) -> DataFacts:
        """From the engine's Examples (a DatasetBundle's ``train``)."""
        return cls.from_texts(list(examples.texts), pairs=examples.text_pairs)

    @property
    def tokens_per_example(self) -> float:
        if self.mean_tokens is not None:
            return self.mean_tokens
        return cat.mean_tokens(self.texts) or 32.0

    @property
    def language(self) -> Literal["zh", "en"] | None:
        return data_language(self.texts)


def data_language(texts: Sequence[str]) -> Literal["zh", "en"] | None:
    """ "zh" for mostly Han text, "en" for text without Han characters, None when unsure or too short."""
    if sum(1 for t in texts for c in t if c.isalnum()) < MIN_CHARACTERS:
        return None
    share = cat.cjk_share(texts)
    if share >= CHINESE_SHARE:
        return "zh"
    if share < LATIN_SHARE:
        return "en"
    return None


# --------------------------------------------------------------------------- candidates


def _installed() -> list[ModelFacts]:
    from workbench.engine.models.installed import installed_checkpoint_names

    out = []
    for name, folder in installed_checkpoint_names().items():
        facts = cat.folder_facts(folder, str(folder), f"{name} (installed)")
        if facts is not None:
            out.append(facts)
    return out


def candidates(
    task: str, language: str | None, *, installed: list[ModelFacts] | None = None
) -> list[ModelFacts]:
    """Pre-trained models to suggest, best first: installed, then cached, then the catalogue (small first).

    Only models that suit ``task`` and the data's language (an unknown language counts as English).
    """
    wanted = language or "en"
    installed = _installed() if installed is None else installed
    out: list[ModelFacts] = []
    found = find_task(task)
    # Installed packages are sentence encoders (all-MiniLM-L6-v2): no LM head, no decoder.
    encoder_task = found is None or not (found.language_model or found.sequence_to_sequence)
    for facts in installed:
        if facts.language in (wanted, "multi") and encoder_task:
            out.append(facts)
    from workbench.engine.models.hub_download import cached_snapshot

    entries = [e for e in cat.CATALOGUE if task in e.tasks and e.language in (wanted, "multi")]
    installed_ids = {Path(f.spec).resolve() for f in installed}
    entries = [e for e in entries if not _is_installed_entry(e, installed_ids)]
    entries.sort(key=lambda e: (cached_snapshot(e.repo_id) is None, e.params))
    out += [cat.entry_facts(e) for e in entries]
    return out


def _is_installed_entry(entry: cat.CatalogueEntry, installed_folders: set[Path]) -> bool:
    from workbench.engine.models.installed import installed_folder

    folder = installed_folder(entry.repo_id)
    return folder is not None and folder.resolve() in installed_folders


def _name(facts: ModelFacts) -> str:
    return facts.name if facts.name != facts.spec or "/" not in facts.spec else facts.spec


def _where(facts: ModelFacts) -> str:
    if facts.name.endswith("(installed)"):
        return "installed, works offline"
    from workbench.engine.models.hub_download import cached_snapshot

    if cat.catalogue_entry(facts.spec) is not None and cached_snapshot(facts.spec) is None:
        size = cat.human_bytes(facts.download_bytes) if facts.download_bytes else "?"
        return f"a {size} download from the hub"
    return "in the Hugging Face cache"


def _suggest(
    kind: str, severity: Severity, message: str, pick: ModelFacts | None, detail: str = ""
) -> Advice:
    """The advice with "Choose NAME (where it is)DETAIL." appended when there is a model to suggest."""
    if pick is None:
        return Advice(severity, kind, message)
    name = pick.name.removesuffix(" (installed)")
    return Advice(
        severity, kind, f"{message} Choose {name} ({_where(pick)}){detail}.", pick.spec, name
    )


# --------------------------------------------------------------------------- the advice


def advise(
    config: TrainConfig,
    data: DataFacts | None,
    *,
    installed: list[ModelFacts] | None = None,
    flops: float | None = None,
    available_memory: int | None = None,
) -> list[Advice]:
    """Everything about ``config``'s model choice that is unlikely to work, with what to choose instead.

    ``installed`` (default: the installed checkpoint packages), ``flops`` (default: a
    measurement made earlier this session, else no time check) and ``available_memory``
    (default: this machine's) can be given, for tests and for callers that measured already.
    """
    from workbench.engine.models.presets import PRESETS

    spec = config.model
    language = data.language if data is not None else None
    pool = candidates(config.task, language, installed=installed)
    out = _preset_note(spec, config.task)
    if PRESETS.get(spec) is not None:
        # A preset is small and learns its vocabulary from the data: no other check applies.
        return out + _small_data_advice(config, data, pool)

    facts = cat.model_facts(spec)
    if facts is None:
        return out
    name = _name(facts)
    device = _memory_device(config.device)
    out += _memory_advice(config, facts, name, pool, device, available_memory)

    # Time: less than one pass over the data within the budget the user set.
    if config.max_minutes and data is not None and data.rows:
        rate = (
            flops if flops is not None else cat.cached_flops(device if device != "auto" else "cpu")
        )
        if rate:
            out += _slow_advice(config, data, facts, name, pool, rate)

    out += _language_advice(language, spec, facts, name, pool)
    return out


def _preset_note(spec: str, task: str) -> list[Advice]:
    """The presets' own note (``preset_tasks.from_scratch_advice``), suggesting modernbert-mini."""
    from workbench.engine.models.preset_tasks import from_scratch_advice

    note = from_scratch_advice(spec, task)
    if not note:
        return []
    return [Advice("info", PRESET_NOTE, note.removeprefix("note: "), "modernbert-mini", "modernbert-mini")]


def _small_data_advice(config: TrainConfig, data: DataFacts | None, pool: list[ModelFacts]) -> list[Advice]:
    """A from-scratch preset on fewer than a few thousand labelled rows: a pre-trained checkpoint instead."""
    if data is None or not _learns_from_labels(config.task) or data.rows >= SMALL_DATA_ROWS:
        return []
    return [_suggest(
        "small-data", "warning",
        f"{config.model} starts from random weights: on {data.rows:,} training rows (fewer than a few "
        f"thousand) a model trained from scratch rarely learns more than the label frequencies "
        f"(a bert-tiny on 160 rows stayed at chance). A pre-trained checkpoint already knows the "
        f"language and needs only hundreds of examples.",
        pool[0] if pool else None,
    )]  # fmt: skip


def _memory_advice(
    config: TrainConfig, facts: ModelFacts, name: str, pool: list[ModelFacts], device: str,
    available_memory: int | None,
) -> list[Advice]:
    """Weights, gradients and AdamW states plus activations, against what is free now: a model that fits."""
    mixed = config.precision in ("bf16", "fp16")
    need = cat.facts_memory_bytes(
        facts, config.batch_size, config.max_length, mixed_precision=mixed
    )
    have = available_memory if available_memory is not None else cat.available_memory_bytes(device)
    if need is None or not have or need <= have * MEMORY_HEADROOM:
        return []
    fits = [
        f for f in pool
        if f.spec != config.model and (m := cat.facts_memory_bytes(f, config.batch_size, config.max_length,
                                                                   mixed_precision=mixed)) is not None
        and m <= have * MEMORY_HEADROOM
    ]  # fmt: skip
    return [_suggest(
        "memory", "warning",
        f"{name} needs about {cat.human_bytes(need)} to train (batch {config.batch_size} x "
        f"{config.max_length} tokens), and {'the GPU' if device.startswith('cuda') else 'this machine'} "
        f"has {cat.human_bytes(have)} available: it would run out of memory. Lower the batch size or the "
        "maximum length, or use a smaller model.",
        fits[0] if fits else None,
    )]  # fmt: skip


def _language_advice(
    language: str | None, spec: str, facts: ModelFacts, name: str, pool: list[ModelFacts]
) -> list[Advice]:
    """The model's vocabulary must cover the data's script: a model in the data's language otherwise."""
    if language is None or facts.language in (None, "multi", language):
        return []
    if language == "zh":
        problem = (
            f"Your data is Chinese, and {name} has an English vocabulary: most Chinese characters "
            "become [UNK] (unknown) tokens, so the model sees little of the text."
        )
    else:
        problem = (
            f"Your data is English (or another language without Chinese characters), and {name} is a "
            "Chinese model: its vocabulary splits English words into letters and it was never trained "
            "on English."
        )
    return [_suggest("language", "warning", problem, next((f for f in pool if f.spec != spec), None))]


def _learns_from_labels(task: str) -> bool:
    """Whether ``task`` learns from labelled rows (labels or answers), not from plain text alone."""
    found = find_task(task)
    return found is not None and not found.language_model


def _memory_device(device: str) -> str:
    if device != "auto":
        return device
    torch = sys.modules.get("torch")  # only when already imported: advice must stay cheap
    if torch is not None and torch.cuda.is_available():
        return "cuda"
    return "cpu"


def _slow_advice(
    config: TrainConfig,
    data: DataFacts,
    facts: ModelFacts,
    name: str,
    pool: list[ModelFacts],
    flops: float,
) -> list[Advice]:
    tokens = data.tokens_per_example
    epoch = cat.epoch_seconds(facts, data.rows, tokens, config.max_length, flops)
    if epoch is None:
        return []
    budget = float(config.max_minutes or 0) * 60
    if config.max_steps is not None:
        examples = config.max_steps * config.batch_size * config.grad_accum
        planned = epoch * examples / data.rows
    else:
        planned = epoch * config.epochs
    if budget >= min(epoch, planned):
        return []
    share = budget / epoch

    def epoch_of(f: ModelFacts) -> float:
        return cat.epoch_seconds(f, data.rows, tokens, config.max_length, flops) or float("inf")

    faster = sorted((f for f in pool if f.spec != facts.spec and epoch_of(f) < epoch), key=epoch_of)
    fitting = [f for f in faster if epoch_of(f) <= budget]
    pick = fitting[0] if fitting else (faster[0] if faster else None)
    seen = f"{share:.0%}" if share >= 0.01 else "less than 1%"
    message = (
        f"{name} needs about {cat.human_duration(epoch)} per pass over your {data.rows:,} training rows on this "
        f"machine; with max_minutes={config.max_minutes:g} it would see {seen} of them once."
    )
    if pick is None:
        return [
            Advice(
                "warning", "slow", message + " Raise max_minutes, or train on a sample of the data."
            )
        ]
    detail = f": about {cat.human_duration(epoch_of(pick))} per pass" + (
        "" if fitting else "; raise max_minutes too"
    )
    return [_suggest("slow", "warning", message, pick, detail)]


# --------------------------------------------------------------------------- the CLI's entry


def data_facts_for(config: TrainConfig) -> DataFacts | None:
    """Read the training data the way training will, for the advice; None if it cannot be read
    (training then reports why)."""
    from workbench.engine.errors import WorkbenchError

    try:
        from workbench.engine.training.setup import load_training_data

        bundle = load_training_data(config)
    except (WorkbenchError, OSError, ValueError):
        return None
    return DataFacts.from_examples(bundle.train)


def flops_precision(config: TrainConfig) -> str:
    """The matmul type the run will use (auto resolved as training resolves it: bf16 on a capable
    CPU where the probe measured it faster), for the FLOP/s the time estimate divides by."""
    from workbench.engine.training.setup import expected_precision

    choice = expected_precision(config.precision, config.device)
    return choice.precision if choice is not None and choice.precision in ("bf16", "fp16") else "fp32"


def advice_lines(config: TrainConfig, *, measure: bool = True) -> list[str]:
    """Advice for ``workbench train`` as text lines (the data read once more; the FLOP/s probed, ~0.3 s)."""
    from workbench.engine.models.presets import PRESETS

    if config.model in PRESETS and not _learns_from_labels(config.task):
        return []  # pre-training from scratch: nothing to say before reading the data
    try:
        data = data_facts_for(config)
        flops = None
        if measure and config.max_minutes and config.model not in PRESETS and data is not None:
            device = cat.resolve_device(config.device)
            flops = cat.measure_flops(device, flops_precision(config))
        advice = advise(config, data, flops=flops)
    except Exception:  # advice is a help: it must never stop a run (training reports real errors)
        log.debug("no advice: the check failed", exc_info=True)
        return []
    # The presets' note is left out: training prints it itself when it starts.
    return [a.line() for a in advice if a.kind != PRESET_NOTE]
