"""BERT-style pre-training extras: next-sentence prediction, and how unigram baselines are shown.

Next-sentence prediction (NSP), BERT's second objective: every example is a
pair ``[CLS] A [SEP] B [SEP]`` where A is one or more consecutive lines of the
corpus and B is either the text that really follows A (label 0, "is next") or
a segment from elsewhere in the corpus (label 1, "random"), half and half.
The pairs are built once per run from the seed, so a resumed run sees exactly
the same examples. The model is ``*ForPreTraining`` (MLM head + NSP head);
only BERT-family architectures have one (RoBERTa and DistilBERT dropped NSP).

Unigram baselines: what a model that knows only word frequencies would score
on the very targets the real model is scored on (the most frequent training
token as every guess; perplexity under the add-one-smoothed unigram
distribution). A language model that does not beat them has learned nothing
about context. They are computed with the language-model tasks' evaluation
(``tasks/language_model.py``); this module names and summarises them.
"""

from __future__ import annotations

import inspect
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.engine.encoding import Encoded
from workbench.engine.errors import ConfigError, DatasetError, ModelError

if TYPE_CHECKING:
    # torch is imported inside the functions: the GUI's model panel imports this module
    # to check options as they are ticked, and must not pay torch's import time.
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from workbench.engine.data import Examples
    from workbench.engine.models.loading import ModelSource

# transformers' convention for next_sentence_label.
IS_NEXT, RANDOM_NEXT = 0, 1
# Share of pairs whose B is a random segment (BERT: 50%).
RANDOM_NEXT_PROBABILITY = 0.5
# Validation pairs are drawn from this seed, whatever the run's seed, so runs
# with different seeds are scored on the same pairs (like EVAL_MASK_SEED).
NSP_EVAL_SEED = 4321
# Said when NSP is scored on an automatic split: held-out lines are drawn at random, so
# two consecutive validation lines are usually far apart in the text.
NSP_SPLIT_NOTE = (
    "Next-sentence accuracy is measured on pairs drawn from held-out lines picked at random from "
    "the text, so a 'next' segment there often skips some lines; for a cleaner figure give a "
    "validation file of continuous text."
)
# Lines tokenised per call: the fast tokenizer batches, memory stays bounded.
_LINE_GROUP = 2000
# [CLS] A [SEP] B [SEP]: three special tokens around the two segments.
_PAIR_SPECIALS = 3

# Architectures (config.json model_type) whose *ForPreTraining class has a next-sentence
# head; a static list so checking a folder needs no transformers import (a test compares
# it with transformers' own mapping).
NSP_MODEL_TYPES = ("bert", "big_bird", "ernie", "fnet", "megatron-bert", "mobilebert")

# The main LM metric -> its unigram baseline (the GUI draws it as a dashed line).
UNIGRAM_BASELINES = {
    "eval_masked_accuracy": "eval_unigram_masked_accuracy",
    "eval_next_token_accuracy": "eval_unigram_next_token_accuracy",
    "eval_perplexity": "eval_unigram_perplexity",
}


# --------------------------------------------------------------------------- NSP: models


def _no_nsp_message(spec: str, what: str) -> str:
    return (
        f"{spec}: next-sentence prediction needs a model with a next-sentence head (BERT, "
        f"MobileBERT, Megatron-BERT), and {what} has none (RoBERTa and DistilBERT, for example, "
        "were pre-trained without it). Turn next-sentence prediction off, or choose a BERT model."
    )


def nsp_problem(spec: str) -> str | None:
    """Why ``spec`` cannot train with NSP, or None (also None when it cannot tell without loading).

    Cheap: a preset's family, or the ``model_type`` in a folder's config.json.
    Hub ids are checked once the model is loaded (``check_nsp_model``).
    """
    from workbench.engine.models.loading import resolve_spec
    from workbench.engine.models.presets import PRESETS

    if spec in PRESETS:
        family = PRESETS[spec].family
        return None if family == "bert" else _no_nsp_message(spec, f"a {family.upper()} preset")
    try:
        source = resolve_spec(spec)
    except ModelError:
        return None  # the model field reports that itself
    if source.path is None:
        return None
    try:
        model_type = json.loads((source.path / "config.json").read_text(encoding="utf-8")).get("model_type")
    except (OSError, json.JSONDecodeError):
        return None
    if isinstance(model_type, str) and model_type not in NSP_MODEL_TYPES:
        return _no_nsp_message(spec, f"its architecture ({model_type})")
    return None


def check_nsp_model(model: PreTrainedModel, spec: str) -> None:
    """Refuse a loaded model that has no next-sentence head (hub ids are not checked before loading)."""
    if "next_sentence_label" not in inspect.signature(model.forward).parameters:
        raise ConfigError(_no_nsp_message(spec, f"{type(model).__name__}"))


def masked_lm_copy(model: PreTrainedModel) -> PreTrainedModel:
    """A ``*ForMaskedLM`` with the same weights as a ``*ForPreTraining`` model (a copy).

    Fill-mask prediction reads ``.logits``; the pre-training model returns
    ``prediction_logits`` beside the NSP logits, and the MLM class is what a
    saved folder loads as, so the live preview predicts with the same class.
    """
    from transformers import AutoModelForMaskedLM

    mlm = AutoModelForMaskedLM.from_config(model.config)  # random init, overwritten just below
    state = {k: v.detach().to("cpu") for k, v in model.state_dict().items()}
    missing = mlm.load_state_dict(state, strict=False).missing_keys
    # The decoder weight is tied to the word embeddings and may be listed under either name.
    missing = [k for k in missing if not k.endswith("decoder.weight")]
    if missing:
        raise ModelError(f"{type(model).__name__}: cannot be used as a masked LM (missing {missing[:3]}).")
    return mlm


def fresh_head_note(model: PreTrainedModel, source: ModelSource) -> str | None:
    """A sentence naming the parts of ``model`` that the checkpoint folder had no weights for.

    A BERT encoder checkpoint (all-MiniLM-L6-v2, any ``BertModel``) has no
    masked-LM head; continued pre-training then starts that head from random
    weights, which the user should know (the first evaluations are poor).
    Reads only the safetensors headers; None when nothing is missing or the
    weights are not in a local folder.
    """
    if source.path is None:
        return None
    keys = _checkpoint_keys(source.path)
    if keys is None:
        return None
    prefix = getattr(model, "base_model_prefix", "") + "."
    missing: dict[str, None] = {}
    for name, _ in model.named_parameters():  # tied weights appear once, under their first name
        bare = name[len(prefix):] if name.startswith(prefix) else name
        if name not in keys and bare not in keys and prefix + name not in keys:
            missing[".".join(name.split(".")[:2])] = None
    if not missing:
        return None
    parts = ", ".join(f"{m}.*" for m in missing)
    heads = [label for key, label in (("predictions", "masked-LM head"), ("seq_relationship", "next-sentence head"))
             if any(key in m for m in missing)]
    what = " and ".join(heads) if heads else "weights for some layers"
    return (
        f"{source.spec} has no {what} ({parts}): {'it starts' if len(missing) == 1 else 'they start'} "
        "from random weights; the encoder continues from the checkpoint."
    )


def _checkpoint_keys(folder: Path) -> set[str] | None:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        try:
            return set(json.loads(index.read_text(encoding="utf-8")).get("weight_map", {}))
        except (OSError, json.JSONDecodeError):
            return None
    files = sorted(folder.glob("*.safetensors"))
    if not files:
        return None
    from safetensors import safe_open

    keys: set[str] = set()
    for path in files:
        with safe_open(str(path), framework="pt") as f:  # the header only, no tensors read
            keys.update(f.keys())
    return keys


# --------------------------------------------------------------------------- NSP: data


def encode_nsp(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int, seed: int
) -> Encoded:
    """Sentence-pair features for masked LM + NSP, deterministic in ``seed``.

    Features: ``input_ids`` ([CLS] A [SEP] B [SEP]), ``token_type_ids`` (0 up
    to the first [SEP], 1 after) and ``next_sentence_label`` (0 is next, 1 random).
    """
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    if cls_id is None or sep_id is None:
        raise DatasetError("next-sentence prediction needs a tokenizer with [CLS] and [SEP] tokens.")
    budget = max_length - _PAIR_SPECIALS
    if budget < 2:
        raise ConfigError(
            f"max_length: next-sentence prediction needs at least {_PAIR_SPECIALS + 2} tokens "
            f"([CLS] A [SEP] B [SEP]); got {max_length}."
        )
    lines = _tokenize_lines(examples.texts, tokenizer)
    if len(lines) < 3:
        raise DatasetError(
            f"next-sentence prediction needs at least 3 non-empty lines to draw sentence pairs "
            f"from; this text has {len(lines)}.",
            path=examples.source,
        )
    features: list[dict[str, Any]] = []
    for a, b, label in build_pairs(lines, budget, random.Random(seed)):
        features.append({
            "input_ids": [cls_id, *a, sep_id, *b, sep_id],
            "token_type_ids": [0] * (len(a) + 2) + [1] * (len(b) + 1),
            "next_sentence_label": label,
        })
    lengths = [len(f["input_ids"]) for f in features]
    # Pairs are cut to fit by design (as in BERT); none counts as truncated input.
    return Encoded(features, lengths, 0)


def _tokenize_lines(texts: Sequence[str], tokenizer: PreTrainedTokenizerBase) -> list[list[int]]:
    out: list[list[int]] = []
    for start in range(0, len(texts), _LINE_GROUP):
        ids = tokenizer(list(texts[start : start + _LINE_GROUP]), add_special_tokens=False)["input_ids"]
        out.extend(row for row in ids if row)
    return out


def build_pairs(
    lines: Sequence[Sequence[int]], budget: int, rng: random.Random
) -> list[tuple[list[int], list[int], int]]:
    """(A tokens, B tokens, label) pairs whose lengths add up to at most ``budget``.

    BERT's recipe (create_pretraining_data.py), with the corpus as one document:
    1. gather consecutive lines until the chunk reaches ``budget`` tokens (at least two lines);
    2. A = the chunk's first k lines, k drawn at random;
    3. half the time B = the rest of the chunk (is next); otherwise B = lines
       from a random start outside the chunk (random), and the lines B would
       have used start the next chunk, so no text is wasted;
    4. cut the longer of A and B, one token at a time from a random end, until the pair fits.
    """
    n = len(lines)
    pairs: list[tuple[list[int], list[int], int]] = []
    i = 0
    while i < n - 1:
        # 1. the chunk [i, end)
        end, size = i, 0
        while end < n and (size < budget or end - i < 2):
            size += len(lines[end])
            end += 1
        if end - i < 2:
            break
        # 2. A
        a_lines = rng.randint(1, end - i - 1)
        a = [t for line in lines[i : i + a_lines] for t in line]
        outside = n - (end - i)
        # 3. B
        if outside > 0 and rng.random() < RANDOM_NEXT_PROBABILITY:
            r = rng.randrange(outside)
            j = r if r < i else r + (end - i)  # a start outside the chunk
            stop = i if j < i else n  # never run into A's own text
            b: list[int] = []
            while j < stop and len(b) < max(budget - len(a), 1):
                b.extend(lines[j])
                j += 1
            label = RANDOM_NEXT
            i += a_lines
        else:
            b = [t for line in lines[i + a_lines : end] for t in line]
            label = IS_NEXT
            i = end
        # 4. fit the pair into the budget
        a, b = _truncate_pair(a, b, budget, rng)
        pairs.append((a, b, label))
    return pairs


def _truncate_pair(a: list[int], b: list[int], budget: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """BERT's truncate_seq_pair: trim the longer segment at a random end (front or back) until both fit."""
    spans = [[0, len(a)], [0, len(b)]]  # [start, end) of each segment
    while (spans[0][1] - spans[0][0]) + (spans[1][1] - spans[1][0]) > budget:
        longer = spans[0] if spans[0][1] - spans[0][0] > spans[1][1] - spans[1][0] else spans[1]
        if rng.random() < 0.5:
            longer[0] += 1  # drop from the front, so the model does not learn that text always ends a segment
        else:
            longer[1] -= 1
    return a[spans[0][0] : spans[0][1]], b[spans[1][0] : spans[1][1]]


# --------------------------------------------------------------------------- unigram baseline


def baseline_summary(metrics: dict[str, Any]) -> str | None:
    """One line comparing the model with the unigram baseline (and NSP accuracy), or None."""
    parts = []
    for model_key, base_key in UNIGRAM_BASELINES.items():
        model_value, base_value = metrics.get(model_key), metrics.get(base_key)
        if isinstance(model_value, (int, float)) and isinstance(base_value, (int, float)):
            name = model_key.removeprefix("eval_").replace("_", " ")
            parts.append(f"{name} {model_value:.4g} (unigram {base_value:.4g})")
    if isinstance(metrics.get("eval_nsp_accuracy"), (int, float)):
        parts.append(f"next-sentence accuracy {metrics['eval_nsp_accuracy']:.4g} (chance 0.5)")
    return "; ".join(parts) if parts else None
