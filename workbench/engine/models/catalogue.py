"""A curated list of hub checkpoints, and what each costs to fine-tune on this machine.

For people who are online: the model catalogue names a handful of well-known checkpoints
with their size, download size, language, family and the tasks they suit. The same
estimates (training memory, time per epoch) work for installed checkpoints and local
folders too (``model_facts``: config.json for the shape, the safetensors header for the
parameter count, the vocabulary for the language), and for the from-scratch presets.

Nothing here imports Qt, torch or transformers at module level; ``measure_flops`` imports
torch and runs for a fraction of a second, so callers run it in a worker (its result is
cached for the session).
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

Language = Literal["en", "zh", "multi"]

# --------------------------------------------------------------------------- estimates

# Bytes per parameter while training with AdamW: fp32 weights 4 + gradients 4 + the two
# moments 8 (mixed precision keeps fp32 master weights, so the same 16).
BYTES_PER_PARAM = 16
# Activation bytes kept for the backward pass per (token x hidden unit x layer) of a
# transformer block, after Korthikanti et al. 2022 ("Reducing Activation Recomputation in
# Large Transformer Models", eq. 1): 34 with 16-bit activations, attention maps excluded
# (PyTorch's SDPA kernels do not keep them). In fp32 every 2-byte tensor of that count takes
# 4 bytes while the dropout masks stay 1 byte: 66.
ACTIVATION_BYTES_FP32 = 66
ACTIVATION_BYTES_16BIT = 34
# Measured training FLOP/s as a share of the matmul probe's (``measure_flops``), counting a
# step as 6 x non-embedding parameters x tokens (forward 2, backward 4; an embedding lookup
# is no matmul). Calibrated once here (2 shared CPU cores, fp32, probe ~40 GFLOP/s) against
# real fine-tuning steps of all-MiniLM-L6-v2 (BertForSequenceClassification + AdamW):
# batch 32 x 32 tokens 0.45, x 64 tokens 0.44, x 128 tokens 0.84 (medians of 4 steps, each
# between two probes). Short sequences dominate sentence-level data: 0.5.
EFFICIENCY = 0.5
# WordPiece / BPE pieces per whitespace-separated word of English text (BERT's vocabulary on
# SST-2: ~1.3); each CJK character is a token of its own.
TOKENS_PER_WORD = 1.3


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class CatalogueEntry:
    """One curated hub checkpoint. Sizes are the hub's, noted when this list was written."""

    repo_id: str
    name: str
    family: str
    language: Language
    params: int  # the encoder / decoder body, without a task head
    download_bytes: int  # model.safetensors (config and tokenizer files add ~1 MB)
    hidden: int
    layers: int
    vocab_size: int
    max_positions: int
    tasks: tuple[str, ...]
    description: str
    aliases: tuple[str, ...] = ()  # the short ids the hub still redirects


_ENCODER_TASKS = (
    "classification",
    "multi-label",
    "token-classification",
    "question-answering",
    "masked-lm",
)
_NO_MLM = ("classification", "multi-label", "token-classification", "question-answering")
_SEQ2SEQ_TASKS = ("translation", "summarization", "dialogue")

# Parameter counts: the transformers model of each config built on the meta device (exact);
# download sizes: the size of model.safetensors on the hub (all-MiniLM-L6-v2's checked against
# the installed package's file, 90,868,376 bytes).
CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        "sentence-transformers/all-MiniLM-L6-v2",
        "MiniLM L6 (all-MiniLM-L6-v2)",
        "bert",
        "en",
        22_713_216,
        90_868_376,
        384,
        6,
        30522,
        512,
        _NO_MLM,
        "6 layers x 384, distilled from a larger BERT and tuned on 1B sentence pairs: the fastest "
        "good start for English classification and tagging. No masked-LM head.",
    ),
    CatalogueEntry(
        "distilbert/distilbert-base-uncased",
        "DistilBERT base (uncased)",
        "distilbert",
        "en",
        66_362_880,
        267_954_768,
        768,
        6,
        30522,
        512,
        _ENCODER_TASKS,
        "BERT base distilled to 6 layers: ~97% of its accuracy at twice the speed.",
        aliases=("distilbert-base-uncased",),
    ),
    CatalogueEntry(
        "google-bert/bert-base-uncased",
        "BERT base (uncased)",
        "bert",
        "en",
        109_482_240,
        440_449_768,
        768,
        12,
        30522,
        512,
        _ENCODER_TASKS,
        "The original BERT, 12 layers x 768: the reference English encoder.",
        aliases=("bert-base-uncased",),
    ),
    CatalogueEntry(
        "google-bert/bert-large-uncased",
        "BERT large (uncased)",
        "bert",
        "en",
        335_141_888,
        1_344_951_957,
        1024,
        24,
        30522,
        512,
        _ENCODER_TASKS,
        "24 layers x 1024: a few points above base on hard tasks, ~3x slower; wants a GPU.",
        aliases=("bert-large-uncased",),
    ),
    CatalogueEntry(
        "FacebookAI/roberta-base",
        "RoBERTa base",
        "roberta",
        "en",
        124_645_632,
        498_818_054,
        768,
        12,
        50265,
        514,
        _ENCODER_TASKS,
        "BERT base trained longer on 10x the text, byte-level BPE (keeps case, emoji): usually "
        "better than BERT base at the same cost.",
        aliases=("roberta-base",),
    ),
    CatalogueEntry(
        "xlnet/xlnet-base-cased",
        "XLNet base (cased)",
        "xlnet",
        "en",
        116_718_336,
        467_042_463,
        768,
        12,
        32000,
        512,
        _NO_MLM,
        "Permutation language model with relative positions (SentencePiece, cased); reads "
        "long inputs well, classifies from the last token.",
        aliases=("xlnet-base-cased",),
    ),
    CatalogueEntry(
        "openai-community/gpt2",
        "GPT-2 (124M)",
        "gpt2",
        "en",
        124_439_808,
        548_105_171,
        768,
        12,
        50257,
        1024,
        ("causal-lm", "classification"),
        "Left-to-right language model: text generation and causal-LM fine-tuning; classifies "
        "from the last token.",
        aliases=("gpt2",),
    ),
    CatalogueEntry(
        "answerdotai/ModernBERT-base",
        "ModernBERT base",
        "modernbert",
        "en",
        149_014_272,
        598_635_032,
        768,
        22,
        50368,
        8192,
        _ENCODER_TASKS,
        "2024 encoder: rotary positions, 8,192-token context, trained on 2T tokens incl. code; "
        "strong on classification and retrieval.",
    ),
    CatalogueEntry(
        "google-bert/bert-base-chinese",
        "BERT base (Chinese)",
        "bert",
        "zh",
        102_267_648,
        411_577_189,
        768,
        12,
        21128,
        512,
        _ENCODER_TASKS,
        "BERT base trained on Chinese Wikipedia, one token per character: the standard start "
        "for Chinese classification and NER.",
        aliases=("bert-base-chinese",),
    ),
    # Encoder-decoders (translation, summarisation, dialogue). Parameters: AutoModelForSeq2SeqLM
    # of each hub config on the meta device; layers: encoder + decoder. Download sizes: t5-small's
    # is the hub's; the others are 4 bytes per stored value plus a ~20 kB header (flan-t5-small and
    # mt5-small store an untied output layer). Marian (opus-mt) repos hold safetensors only on
    # unmerged pull-request branches, so they are not listed; typed as hub ids they still load.
    CatalogueEntry(
        "google-t5/t5-small",
        "T5 small",
        "t5",
        "en",
        60_506_624,
        242_041_896,
        512,
        12,
        32128,
        512,
        _SEQ2SEQ_TASKS,
        "Text-to-text encoder-decoder, 6 + 6 layers x 512: English summarisation, and translation to "
        "German, French or Romanian with a prefix (\"translate English to German: \"). Relative "
        "positions: inputs longer than 512 tokens work.",
        aliases=("t5-small",),
    ),
    CatalogueEntry(
        "google/flan-t5-small",
        "Flan-T5 small",
        "t5",
        "en",
        76_961_152,
        307_867_000,
        512,
        16,
        32128,
        512,
        _SEQ2SEQ_TASKS,
        "T5 tuned on 1,800 instruction tasks: follows a plain-English prefix (\"Summarize: \"), a "
        "better start than T5 small for summarisation and dialogue in English.",
    ),
    CatalogueEntry(
        "facebook/bart-base",
        "BART base",
        "bart",
        "en",
        139_420_416,
        557_702_000,
        768,
        12,
        50265,
        1024,
        _SEQ2SEQ_TASKS,
        "Denoising encoder-decoder, 6 + 6 layers x 768, byte-level BPE: strong English summarisation "
        "after fine-tuning; no prefix needed.",
    ),
    CatalogueEntry(
        "google/mt5-small",
        "mT5 small (101 languages)",
        "t5",
        "multi",
        300_176_768,
        1_200_727_000,
        512,
        16,
        250112,
        1024,
        _SEQ2SEQ_TASKS,
        "Multilingual T5 (Chinese included), 8 + 8 layers x 512 with a 250k-piece vocabulary: the "
        "start for Chinese summarisation, dialogue and English-Chinese translation. Pre-trained only "
        "on span filling: it needs fine-tuning before it says anything useful.",
    ),
)


def catalogue_entry(spec: str) -> CatalogueEntry | None:
    """The catalogue entry a hub id (or one of its short aliases) names; None otherwise."""
    key = spec.strip().lower()
    for entry in CATALOGUE:
        if key == entry.repo_id.lower() or key in (a.lower() for a in entry.aliases):
            return entry
    return None


# --------------------------------------------------------------------------- facts of any model


@dataclass(frozen=True)
class ModelFacts:
    """What the estimates need to know about a model; None where it is not known."""

    spec: str
    name: str
    params: int | None
    hidden: int | None
    layers: int | None
    vocab_size: int | None
    language: Language | None  # None: unknown, or learnt from the data (presets)
    max_positions: int | None = None
    download_bytes: int | None = None
    pretrained: bool = True
    tasks: tuple[str, ...] = ()

    @property
    def compute_params(self) -> int | None:
        """Parameters that take part in matmuls: all but the token and position embeddings."""
        if self.params is None:
            return None
        embeddings = (self.vocab_size or 0) * (self.hidden or 0) + (self.max_positions or 0) * (
            self.hidden or 0
        )
        return max(self.params - embeddings, self.params // 10)


def entry_facts(entry: CatalogueEntry) -> ModelFacts:
    return ModelFacts(
        entry.repo_id, entry.name, entry.params, entry.hidden, entry.layers, entry.vocab_size,
        entry.language, entry.max_positions, entry.download_bytes, True, entry.tasks,
    )  # fmt: skip


def preset_facts(name: str) -> ModelFacts:
    """A from-scratch preset's shape; parameters counted by formula (no torch needed)."""
    from workbench.engine.models.presets import PRESETS

    p = PRESETS[name]
    h, v, layers = p.hidden, p.vocab_size, p.layers
    inner = int(h * p.intermediate_factor)
    if p.family == "lstm":  # one BiLSTM layer: 2 directions x 4 gates x (input + recurrent + bias)
        e = p.embedding or h
        params = v * e + 2 * 4 * h * (e + h + 2) + (layers - 1) * 2 * 4 * h * (2 * h + h + 2)
    elif (
        p.family == "modernbert"
    ):  # fused QKV + output (no biases), gated MLP (2 x inner in), 2 norms
        params = v * h + layers * (4 * h * h + 3 * h * inner + 2 * h)
    else:  # BERT / GPT-2: Q, K, V, O with biases, MLP in and out, 2 layer norms
        params = v * h + p.max_positions * h + layers * (4 * h * h + 2 * h * inner + inner + 9 * h)
    return ModelFacts(name, name, params, h, layers, v, None, p.max_positions, None, False)


def _first(config: dict, *names: str) -> int | None:
    for name in names:
        value = config.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def safetensors_params(folder: Path) -> int | None:
    """Elements in the folder's safetensors files, read from their headers (no tensor data)."""
    from workbench.engine.models.safetensors_check import MAX_HEADER_BYTES

    index = folder / "model.safetensors.index.json"
    try:
        if index.is_file():
            weight_map = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
            files = sorted({folder / name for name in weight_map.values()})
        else:
            files = sorted(folder.glob("*.safetensors"))
        if not files:
            return None
        total = 0
        for path in files:
            with open(path, "rb") as handle:
                (n,) = struct.unpack("<Q", handle.read(8))
                if n > MAX_HEADER_BYTES:
                    return None
                header = json.loads(handle.read(n).decode("utf-8"))
            for name, tensor in header.items():
                if name != "__metadata__":
                    count = 1
                    for dim in tensor["shape"]:
                        count *= int(dim)
                    total += count
        return total
    except (OSError, ValueError, KeyError, TypeError, struct.error, AttributeError):
        return None


def folder_facts(
    folder: str | Path, spec: str | None = None, name: str | None = None
) -> ModelFacts | None:
    """Facts of a Hugging Face model folder: config.json, safetensors headers, vocabulary.

    Cached per folder until its config.json changes (the vocabulary is a JSON file of a few MB).
    """
    folder = Path(folder)
    try:
        stamp = (folder / "config.json").stat().st_mtime_ns
    except OSError:
        return None
    return _folder_facts(str(folder), stamp, spec, name)


@lru_cache(maxsize=64)
def _folder_facts(path: str, _stamp: int, spec: str | None, name: str | None) -> ModelFacts | None:
    folder = Path(path)
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(config, dict):
        return None
    return ModelFacts(
        spec=spec or str(folder),
        name=name or folder.name,
        params=safetensors_params(folder),
        hidden=_first(config, "hidden_size", "n_embd", "d_model", "dim"),
        layers=_first(config, "num_hidden_layers", "n_layer", "n_layers", "num_layers"),
        vocab_size=_first(config, "vocab_size"),
        language=vocabulary_language(folder),
        max_positions=_first(config, "max_position_embeddings", "n_positions"),
    )


def model_facts(spec: str) -> ModelFacts | None:
    """Facts of a preset, catalogue model, installed checkpoint, model or run folder, or cached hub id.

    File reads only, no network: None when nothing is known (a hub id not yet downloaded and
    not in the catalogue).
    """
    from workbench.engine.models.presets import PRESETS
    from workbench.engine.typed_paths import names_folder

    if spec in PRESETS:
        return preset_facts(spec)
    entry = catalogue_entry(spec)
    if entry is not None:
        return entry_facts(entry)
    path = Path(spec).expanduser()
    if names_folder(path):  # typed text: too long to look up is no folder, not an error
        folder = path / "model" if (path / "model" / "config.json").is_file() else path
        return folder_facts(folder, spec)
    from workbench.engine.models.hub_download import cached_snapshot

    if "/" in spec or spec.replace("-", "").replace("_", "").replace(".", "").isalnum():
        snapshot = cached_snapshot(spec) if spec.count("/") == 1 else None
        if snapshot is not None:
            return folder_facts(snapshot, spec, spec)
    return None


# --------------------------------------------------------------------------- script and language


# The same blocks as is_cjk, for counting with the regex engine: a Python loop per character
# over a 1 MB cell froze the window for seconds (advice runs when a data set opens).
_HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ceaf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum() accepts


def is_cjk(char: str) -> bool:
    """A Han ideograph (the CJK blocks BERT's tokenizer splits into single characters)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F
    )  # fmt: skip


def cjk_share(texts: Iterable[str], limit: int = 200_000) -> float:
    """Han characters among the letters, digits and ideographs of ``texts`` (0 when there are none)."""
    han = other = 0
    for text in texts:
        chunk = text[: limit - han - other]  # a huge text counts up to the limit, not in full
        found = len(_HAN.findall(chunk))
        han += found
        other += len(_ALNUM.findall(chunk)) - found  # ideographs are alphanumeric too
        if han + other >= limit:
            break
    return han / (han + other) if han + other else 0.0


def _vocabulary(folder: Path) -> list[str] | None:
    tokenizer = folder / "tokenizer.json"
    try:
        if tokenizer.is_file():
            data = json.loads(tokenizer.read_text(encoding="utf-8"))
            vocab = data.get("model", {}).get("vocab")
            tokens = list(vocab) if isinstance(vocab, dict) else [t[0] for t in vocab or [] if t]
            pre = json.dumps(data.get("pre_tokenizer") or {}) + json.dumps(
                data.get("decoder") or {}
            )
            if "ByteLevel" in pre:  # GPT-2 / RoBERTa style: CJK characters hide as byte sequences
                from workbench.engine.models.tokenizer_workshop import byte_decoder

                table = byte_decoder()
                tokens = [
                    bytes(table.get(c, 32) for c in t).decode("utf-8", "ignore") for t in tokens
                ]
            return tokens
        if (folder / "vocab.txt").is_file():
            return (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        if (folder / "vocab.json").is_file():
            return list(json.loads((folder / "vocab.json").read_text(encoding="utf-8")))
    except (
        OSError,
        UnicodeDecodeError,
        json.JSONDecodeError,
        AttributeError,
        TypeError,
        IndexError,
    ):
        return None
    return None


def vocabulary_language(folder: str | Path) -> Language | None:
    """The language a folder's vocabulary is made for, from its share of tokens with a Han character.

    English BERT vocabularies hold ~2% such tokens (all-MiniLM-L6-v2: 676 of 30,522, single
    characters), bert-base-chinese ~2/3, multilingual ones ~5-15%.
    """
    tokens = _vocabulary(Path(folder))
    if not tokens:
        return None
    with_han = sum(1 for t in tokens if any(is_cjk(c) for c in t))
    share = with_han / len(tokens)
    if share >= 0.3:
        return "zh"
    if share >= 0.05:
        return "multi"
    return "en"


# --------------------------------------------------------------------------- memory and time


def training_memory_bytes(
    params: int,
    hidden: int | None,
    layers: int | None,
    batch_size: int,
    max_length: int,
    *,
    mixed_precision: bool = False,
) -> int:
    """Training memory ≈ params × 16 B (weights, gradients, AdamW) + batch × length × hidden × layers × factor."""
    factor = ACTIVATION_BYTES_16BIT if mixed_precision else ACTIVATION_BYTES_FP32
    return (
        params * BYTES_PER_PARAM + batch_size * max_length * (hidden or 0) * (layers or 0) * factor
    )


def facts_memory_bytes(
    facts: ModelFacts, batch_size: int, max_length: int, *, mixed_precision: bool = False
) -> int | None:
    if facts.params is None:
        return None
    length = min(max_length, facts.max_positions or max_length)
    return training_memory_bytes(
        facts.params,
        facts.hidden,
        facts.layers,
        batch_size,
        length,
        mixed_precision=mixed_precision,
    )


def estimate_tokens(text: str) -> float:
    """Tokens a subword tokenizer makes of ``text``: CJK characters one each, words ~1.3 each, +2 specials."""
    han = len(_HAN.findall(text))
    words = len(_HAN.sub(" ", text).split())
    return han + words * TOKENS_PER_WORD + 2


def mean_tokens(texts: Iterable[str]) -> float | None:
    lengths = [estimate_tokens(t) for t in texts]
    return sum(lengths) / len(lengths) if lengths else None


def epoch_seconds(
    facts: ModelFacts,
    rows: int,
    mean_length: float,
    max_length: int,
    flops: float,
    efficiency: float = EFFICIENCY,
) -> float | None:
    """≈ 6 × non-embedding params × tokens per epoch / (measured FLOP/s × efficiency)."""
    params = facts.compute_params
    if params is None or flops <= 0:
        return None
    tokens = rows * min(mean_length, max_length, facts.max_positions or max_length)
    return 6 * params * tokens / (flops * efficiency)


# The probe's results, per (device, dtype), for the session: the machine does not change.
_FLOPS: dict[tuple[str, str], float] = {}
_FLOPS_LOCK = threading.Lock()


def cached_flops(device: str = "cpu", dtype: str = "fp32") -> float | None:
    """The FLOP/s measured earlier in this session, or None (then call ``measure_flops`` in a worker)."""
    return _FLOPS.get((device, dtype))


def resolve_device(device: str = "auto") -> str:
    """ "auto" as training resolves it: CUDA, else Apple's MPS, else the CPU (imports torch)."""
    if device != "auto":
        return device
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def measure_flops(device: str = "cpu", dtype: str = "fp32", seconds: float = 0.25) -> float:
    """Matmul FLOP/s of ``device`` (a quarter of a second of square matmuls), cached for the session."""
    with _FLOPS_LOCK:
        known = _FLOPS.get((device, dtype))
        if known is not None:
            return known
        import torch

        torch_dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[dtype]
        n = 1024 if device == "cpu" else 4096
        a = torch.randn(n, n, device=device, dtype=torch_dtype)
        b = torch.randn(n, n, device=device, dtype=torch_dtype)

        def sync() -> None:
            if device.startswith("cuda"):
                torch.cuda.synchronize()

        a @ b  # warm-up: the first call allocates and picks a kernel
        sync()
        reps, start = 0, time.perf_counter()
        while True:
            a @ b
            reps += 1
            sync()  # a GPU sync point per matmul: the probe measures, it does not train
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        flops = 2 * n**3 * reps / elapsed
        _FLOPS[(device, dtype)] = flops
        return flops


def available_memory_bytes(device: str = "cpu") -> int | None:
    """Memory a training run could use now: free GPU memory for CUDA, available RAM otherwise."""
    if device.startswith("cuda"):
        torch = sys.modules.get(
            "torch"
        )  # only when already imported: this may run on the GUI thread
        if torch is not None and torch.cuda.is_available():
            free, _total = torch.cuda.mem_get_info()
            return int(free)
        return None
    try:
        import psutil  # type: ignore[import-untyped]

        return int(psutil.virtual_memory().available)
    except ImportError:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def human_bytes(n: float) -> str:
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    if n >= 1024**2:
        return f"{n / 1024**2:.0f} MB"
    return f"{n / 1024:.0f} KB"


def human_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"
