"""Attention maps of one input, per layer and head, as plain numpy arrays.

Models are loaded with SDPA attention (the fast path used for training and
prediction). SDPA never materialises the attention weights: in transformers 5.x
``output_attentions=True`` on an SDPA model only logs "`sdpa` attention does not
support `output_attentions=True`" once and returns an empty ``attentions``
tuple. So attention is computed on an *eager twin* of the model:

1. ``copy.deepcopy`` the module tree with a memo that maps every parameter and
   buffer to itself, so the twin shares the weights (no second copy in memory,
   and in-place weight updates are seen by the twin) but has its own config;
2. ``twin.set_attn_implementation("eager")`` switches only the twin's config:
   the original model, which may be predicting in another thread at the same
   moment, keeps SDPA (flipping it in place would race with that thread);
3. the twin is cached per model object in a ``WeakKeyDictionary`` and rebuilt
   when the model's parameter objects change (a resized embedding, a new head).
   A new ``Predictor`` snapshot is a new model object, hence a new twin.

Architectures that do not use transformers' attention interface (XLNet) cannot
be switched, but they are eager-only anyway and return their weights directly.

Attention needs no task head: ``load_for_inspection`` returns a ``Predictor`` for a
checkpoint with one and a ``BareModel`` (``AutoModel``, models/bare.py) for a plain
pre-trained checkpoint such as MiniLM; both work with everything here.
"""

from __future__ import annotations

import copy
import inspect
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbench.engine.errors import ModelError, WorkbenchError

XLNET_NOTE = (
    "XLNet: content-stream attention (two-stream relative attention; query stream not shown)"
)
CAUSAL_NOTE = "causal: each token attends only to earlier tokens (and itself)"
# Tokenizer markers that only say "a word starts here" (byte-level BPE, SentencePiece).
_WORD_START_MARKERS = ("Ġ", "▁")


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays have no single truth value
class AttentionMaps:
    tokens: list[str]  # the tokens the model sees, special tokens included
    attentions: np.ndarray  # float32 (layers, heads, T, T); rows = query, cols = key
    special: np.ndarray  # bool (T,), True for special tokens ([CLS], [SEP], <|endoftext|> ...)
    model_type: str  # config.model_type
    note: str  # "" or an honest label of what is shown (XLNet streams, causal masking)

    @property
    def num_layers(self) -> int:
        return int(self.attentions.shape[0])

    @property
    def num_heads(self) -> int:
        return int(self.attentions.shape[1])


# model -> (fingerprint of its parameter objects, eager twin). Weak keys: a
# Predictor that is dropped takes its twin with it.
_TWINS: weakref.WeakKeyDictionary[Any, tuple[tuple[int, ...], Any]] = weakref.WeakKeyDictionary()
# tokenizer -> private copy. The fast tokenizer's wrapper changes its padding and
# truncation state on every call, so it must not be shared with a predicting thread.
_TOKENIZERS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _fingerprint(model: Any) -> tuple[int, ...]:
    return tuple(id(p) for p in model.parameters())


def eager_twin(model: Any) -> Any:
    """A copy of ``model`` that shares its weights but computes attention eagerly (cached)."""
    fingerprint = _fingerprint(model)
    with _LOCK:
        cached = _TWINS.get(model)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        # Share parameters and buffers: deepcopy returns what the memo maps an id to.
        memo: dict[int, Any] = {id(t): t for t in model.parameters()}
        memo.update({id(t): t for t in model.buffers()})
        twin = copy.deepcopy(model, memo)
        if twin.config._attn_implementation != "eager" and twin._can_set_attn_implementation():
            twin.set_attn_implementation("eager")  # the twin's config only
        twin.eval()  # the twin's own training flags; the original's mode is untouched
        _TWINS[model] = (fingerprint, twin)
        return twin


def private_tokenizer(tokenizer: Any) -> Any:
    """A private copy of ``tokenizer``, cached per tokenizer (see ``_TOKENIZERS``: not shared with
    a predicting thread)."""
    with _LOCK:
        try:
            private = _TOKENIZERS.get(tokenizer)
        except TypeError:  # not weak-referenceable: copy every time
            return copy.deepcopy(tokenizer)
        if private is None:
            private = copy.deepcopy(tokenizer)
            _TOKENIZERS[tokenizer] = private
        return private


def _position_limit(config: Any) -> int | None:
    for name in ("max_position_embeddings", "n_positions"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None  # relative positions (XLNet): no fixed limit


def load_for_inspection(
    spec: str | Path,
    *,
    task: str | None = None,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
    device: str = "cpu",
) -> Any:
    """A ``Predictor`` when the checkpoint has a task head (or ``task`` names one), else a ``BareModel``.

    Attention needs no head: a plain pre-trained checkpoint (MiniLM, a hub id whose
    task is unknown) is loaded through ``AutoModel``, so the maps are its encoder's.
    """
    from workbench.engine.inference import Predictor, infer_task
    from workbench.engine.models.bare import BareModel
    from workbench.engine.models.loading import resolve_spec

    source = resolve_spec(str(spec))
    if task is None and source.kind != "preset" and infer_task(source) is None and not getattr(source, "task", None):
        return BareModel.load(source, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code, device=device)
    return Predictor.load(spec, task=task, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code,
                          device=device)


def has_attention(model: Any) -> bool:
    """False for architectures without any attention (the BiLSTM preset): nothing to map."""
    from workbench.engine.models.model_types import BILSTM_MODEL_TYPE

    return getattr(getattr(model, "config", None), "model_type", None) != BILSTM_MODEL_TYPE


def check_has_attention(model: Any) -> None:
    """Raise a clear ModelError for a model that has no attention to show."""
    if not has_attention(model):
        raise ModelError(
            f"{type(model).__name__} is a BiLSTM, and a BiLSTM has no attention, so there are no "
            "attention maps to show. Token saliency (workbench explain, or the Prediction tab) works for it."
        )


def compute_attention(
    model: Any,
    tokenizer: Any,
    text: str,
    *,
    text_pair: str | None = None,
    max_length: int = 512,
) -> AttentionMaps:
    """Attention weights of every layer and head for one text (or text pair).

    Safe to call from a worker thread while another thread predicts with the
    same model and tokenizer: neither object is modified.
    """
    return attention_and_output(model, tokenizer, text, text_pair=text_pair, max_length=max_length)[0]


def attention_and_output(
    model: Any,
    tokenizer: Any,
    text: str,
    *,
    text_pair: str | None = None,
    max_length: int = 512,
    head: bool = False,
) -> tuple[AttentionMaps, Any]:
    """``compute_attention`` and the forward's output; ``head=True`` runs the task head too.

    With the head, one forward gives both the prediction (``output.logits``) and
    the maps, instead of a prediction pass plus an attention pass.
    """
    import torch

    check_has_attention(model)
    # 1. Tokenise with a private tokenizer, truncating to what the model can take.
    limit = _position_limit(model.config)
    length = min(max_length, limit) if limit else max_length
    tok = private_tokenizer(tokenizer)
    args = (text,) if text_pair is None else (text, text_pair)
    enc = tok(
        *args,
        truncation=True,
        max_length=length,
        return_tensors="pt",
        return_special_tokens_mask=True,
    )
    special_mask = enc.pop("special_tokens_mask")[0].numpy().astype(bool)  # (T,)
    ids = enc["input_ids"][0]  # (T,)
    if ids.numel() == 0:
        raise WorkbenchError("There is no text to look at: type a sentence first.")
    tokens = [str(t) for t in tok.convert_ids_to_tokens(ids.tolist())]

    # 2. Run the eager twin's base model (no task head unless asked: attention is all we need).
    twin = eager_twin(model)
    base = twin if head else twin.base_model
    accepted = inspect.signature(base.forward).parameters
    device = next(twin.parameters()).device
    inputs = {k: v.to(device) for k, v in enc.items() if k in accepted}
    with torch.inference_mode():
        out = base(**inputs, output_attentions=True, return_dict=True)
    layers = out.attentions
    if not layers or any(a is None for a in layers):
        raise ModelError(
            f"{type(model).__name__} does not return attention weights, so there is no map to show."
        )

    # 3. XLNet returns (content, query) pairs when the query stream ran; keep the content stream.
    note = ""
    model_type = str(getattr(model.config, "model_type", ""))
    if isinstance(layers[0], (tuple, list)):
        layers = [pair[0] for pair in layers]
    if model_type == "xlnet":
        note = XLNET_NOTE
    # (L, B, H, T, T) -> (L, H, T, T), float32 on the CPU
    att = (
        torch.stack([a.float() for a in layers])[:, 0].cpu().numpy().astype(np.float32, copy=False)
    )

    # 4. Say so when the map is causal (every weight above the diagonal is exactly 0).
    T = att.shape[-1]
    if not note and T > 1 and not np.any(np.triu(att, k=1)):
        note = CAUSAL_NOTE
    return AttentionMaps(tokens, att, special_mask, model_type, note), out


def mean_over_heads(att: np.ndarray) -> np.ndarray:
    """(L, H, T, T) -> (L, T, T); also (H, T, T) -> (T, T). Rows still sum to 1."""
    return att.mean(axis=-3)


def drop_special(maps: AttentionMaps, att2d: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Remove special-token rows and columns and renormalise each row to sum to 1.

    Special tokens often soak up most of the attention ([CLS], [SEP] as a
    "no-op" target), which flattens everything else in the colour scale. A row
    whose remaining weights are all 0 (a causal first token, say) stays 0.
    """
    keep = ~maps.special  # (T,)
    sub = att2d[np.ix_(keep, keep)].astype(np.float64)  # (T', T')
    sums = sub.sum(axis=1, keepdims=True)  # (T', 1)
    sub = np.divide(sub, sums, out=np.zeros_like(sub), where=sums > 0)
    tokens = [t for t, k in zip(maps.tokens, keep) if k]
    return tokens, sub.astype(np.float32)


def display_tokens(tokens: list[str]) -> list[str]:
    """Tokens as a person reads them: byte-level / SentencePiece word markers removed."""
    out = []
    for token in tokens:
        for marker in _WORD_START_MARKERS:
            if token == marker:
                token = "␣"  # a lone space
            elif token.startswith(marker):
                token = token[len(marker) :]
        out.append(token.replace("Ċ", "\\n").replace("ĉ", "\\t"))
    return out
