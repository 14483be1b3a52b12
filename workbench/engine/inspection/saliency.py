"""Token saliency for classifiers: which input tokens pushed the model towards a label.

Two methods, both attributing the target class's *logit* to the input word
embeddings and summing over the embedding dimension (one signed number per token):

- ``grad_x_input``: gradient x input, one forward/backward pass. Cheap, but only
  a first-order picture (it ignores saturation).
- ``integrated_gradients`` (Sundararajan et al. 2017): the gradient averaged along
  a straight path from a baseline input to the real one. Attributions add up to
  f(input) - f(baseline) (completeness); the gap is reported as ``delta`` so a
  user can see whether the integral was computed precisely enough.

Only the word embeddings are attributed and interpolated; position and token-type
embeddings are added by the model itself, as for a real input, because
``inputs_embeds`` replaces only the word-embedding lookup.

Words: a tokenizer splits words into pieces ("un", "##believ", "##able"; "Ġfilm";
"▁film"). ``Attribution.words`` joins them back, one :class:`WordAttribution` per
word whose attribution is the **sum** of its pieces' attributions. Attributions
are additive, so the words add up to the same total as the tokens (for integrated
gradients f(input) - f(baseline), up to ``delta``), whatever the tokenizer. Which pieces form a
word comes from the tokenizer itself (``word_ids`` and character offsets of a fast
tokenizer), and a word is written as it appears in the input (its case kept);
only a tokenizer without them falls back on the piece markers ("##" continues a
word; "Ġ" and "▁" start one).

The shared model is never modified: no attention-implementation switch, no
``train()/eval()`` flip, and gradients are taken with ``torch.autograd.grad``
w.r.t. an embeddings tensor only, so the parameters' ``.grad`` stay untouched and
a thread that predicts at the same moment sees the same model.
"""

from __future__ import annotations

import inspect
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine.errors import ConfigError, ModelError, WorkbenchError
from workbench.engine.tasks.registry import find_task

if TYPE_CHECKING:
    import torch

    from workbench.engine.inference import Predictor

METHODS = ("ig", "grad-x-input")
BASELINES = ("pad", "zero", "mask")
QUADRATURES = ("gauss-legendre", "trapezoid")
# Measured on SST-2 dev sentences with MiniLM fine-tuned for 40 steps on 800 rows
# (pad baseline; max of |delta| / |sum of attributions|, first 20 / first 100 sentences):
#   steps  gauss-legendre     trapezoid
#     16   0.127 / -          0.077 / -
#     24   0.019 / 0.295      0.021 / 0.044
#     32   0.0034 / 0.046     0.0022 / 0.018
#     48   0.0003 / 0.0004    0.0015 / 0.0044
# Below ~32 points neither rule resolves the path well; from there Gauss-Legendre
# (exact for polynomials of degree 2n-1) converges much faster, and at 48 points it
# is two orders of magnitude inside the 5% the tests demand, on every sentence.
# 48 interpolated inputs cost three batched forward/backward passes of 16 rows
# (about 0.3 s per sentence for MiniLM on two CPU cores).
DEFAULT_STEPS = 48
DEFAULT_QUADRATURE = "gauss-legendre"
# [PAD] at every non-special position: "no word here" in the model's own vocabulary,
# closer to the data than an all-zero vector the model never saw in training.
DEFAULT_BASELINE = "pad"
# Interpolated inputs per forward/backward pass: at most this many rows, and at most
# _TOKENS_PER_CHUNK tokens in all, so a 512-token input does not hold 16 sets of
# activations for the backward pass at once (memory grows with rows x T^2).
_MAX_ROWS = 16
_TOKENS_PER_CHUNK = 4096


# Piece markers, for tokenizers that give no word ids (slow tokenizers):
_CONTINUES_WORD = "##"  # WordPiece: this piece continues the previous one's word
_STARTS_WORD = ("Ġ", "▁")  # byte-level BPE, SentencePiece: this piece starts a word


@dataclass(frozen=True)
class WordAttribution:
    """One word of the input and its attribution: the sum of its pieces' attributions."""

    text: str  # the word as written in the input (or its pieces joined, without markers)
    attribution: float
    tokens: tuple[int, ...]  # positions of its pieces in ``Attribution.tokens``
    space_before: bool  # white space separates it from the previous word in the input


# Per token: its word as (sequence, word index), the same for the pieces of one word
# (None for special tokens), and its (sequence, start, end) characters in the input.
WordKey = tuple[int, int]
Span = tuple[int, int, int]


def token_words(
    encoding: Any, batch_index: int = 0
) -> tuple[list[WordKey | None], list[Span | None]] | None:
    """Word keys and character spans of each token of a fast tokenizer's encoding, else None.

    ``encoding`` is a ``BatchEncoding`` made with ``return_offsets_mapping=True``;
    the key is (sequence, word id) so the two texts of a pair never share a word.
    """
    try:
        word_ids = encoding.word_ids(batch_index)
        sequence_ids = encoding.sequence_ids(batch_index)
    except (ValueError, AttributeError):  # a slow (Python) tokenizer keeps no word ids
        return None
    offsets = encoding.get("offset_mapping")
    if offsets is None:
        return None
    rows = np.asarray(offsets).reshape(-1, len(word_ids), 2)  # (B, T, 2), or (1, T, 2) unbatched
    rows = rows[batch_index if len(rows) > 1 else 0].tolist()
    keys: list[WordKey | None] = []
    spans: list[Span | None] = []
    for word, sequence, (start, end) in zip(word_ids, sequence_ids, rows):
        if word is None or sequence is None:
            keys.append(None)
            spans.append(None)
        else:
            keys.append((int(sequence), int(word)))
            spans.append((int(sequence), int(start), int(end)))
    return keys, spans


def _marker_keys(tokens: list[str], special: np.ndarray) -> list[WordKey | None]:
    """Word keys from the piece markers alone (no word ids): "##" continues, "Ġ" / "▁" start."""
    marked = any(t.startswith(_STARTS_WORD) for t, s in zip(tokens, special) if not s)
    keys: list[WordKey | None] = []
    word = -1
    previous_special = True
    for token, is_special in zip(tokens, special):
        if is_special:
            keys.append(None)
            previous_special = True
            continue
        if marked:  # byte-level BPE / SentencePiece: a piece without the marker continues
            new = previous_special or token.startswith(_STARTS_WORD)
        else:  # WordPiece (or one token per word / character)
            new = previous_special or not token.startswith(_CONTINUES_WORD)
        word += int(new)
        keys.append((0, word))
        previous_special = False
    return keys


def _unspaced(char: str) -> bool:
    """A wide character (CJK, full-width punctuation): written without spaces around it."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _piece_text(token: str) -> str:
    if token.startswith(_CONTINUES_WORD) and len(token) > len(_CONTINUES_WORD):
        return token[len(_CONTINUES_WORD) :]
    for marker in _STARTS_WORD:
        if token.startswith(marker):
            return token[len(marker) :] or " "
    return token


def group_words(
    tokens: list[str],
    attributions: np.ndarray,
    special: np.ndarray | None = None,
    *,
    keys: list[WordKey | None] | None = None,
    spans: list[Span | None] | None = None,
    texts: tuple[str, ...] = (),
) -> list[WordAttribution]:
    """Join the tokens' pieces into words; a word's attribution is the sum of its pieces'.

    ``keys`` and ``spans`` come from :func:`token_words` (a fast tokenizer); without
    them the piece markers decide. Special tokens belong to no word and are left out.
    """
    n = len(tokens)
    special = np.zeros(n, dtype=bool) if special is None else np.asarray(special, dtype=bool)
    if keys is None or len(keys) != n:
        keys, spans = _marker_keys(tokens, special), None
    # 1. Runs of consecutive tokens with the same key form a word.
    groups: list[list[int]] = []
    previous: WordKey | None = None
    for i, key in enumerate(keys):
        if key is None or special[i]:
            previous = None
            continue
        if key == previous and groups:
            groups[-1].append(i)
        else:
            groups.append([i])
        previous = key
    # 2. Each word's text (from the input when spans are known) and summed attribution.
    words: list[WordAttribution] = []
    last: tuple[int, int] | None = None  # (sequence, end) of the previous word
    for group in groups:
        total = float(np.sum(np.asarray(attributions, dtype=np.float64)[group]))
        pieces = "".join(_piece_text(tokens[i]) for i in group).strip() or tokens[group[0]]
        located = [spans[i] for i in group if spans is not None and spans[i] is not None]
        if located and located[0][0] < len(texts):
            sequence = located[0][0]
            start = min(s for _q, s, _e in located)
            end = max(e for _q, _s, e in located)
            raw = texts[sequence][start:end]
            text = raw.strip() or pieces
            start += len(raw) - len(raw.lstrip())  # offsets of "Ġfilm" may include the space
            space = last is not None and (last[0] != sequence or start > last[1])
            last = (sequence, end)
        else:
            text = pieces
            # Chinese and Japanese are written without spaces (one token per character).
            space = bool(words) and not (_unspaced(words[-1].text[-1]) or _unspaced(text[0]))
        words.append(WordAttribution(text, total, tuple(group), space))
    return words


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays have no single truth value
class Attribution:
    tokens: list[str]  # the tokens the model sees, special tokens included
    attributions: np.ndarray  # float64 (T,): signed contribution of each token to the target logit
    target: str  # label name of the explained class
    target_index: int
    method: str  # "ig" or "grad-x-input"
    # IG only: sum(attributions) - (f(input) - f(baseline)), f = the target's logit.
    delta: float | None = None
    steps: int | None = None  # IG only: points of the path integral
    baseline: str | None = None  # IG only: "pad", "zero" or "mask"
    probability: float = float("nan")  # the model's probability of the target class
    special: np.ndarray | None = None  # bool (T,), True for [CLS], [SEP], <s> ...
    # The tokenizer's words (fast tokenizers): per token its word key and character span.
    word_keys: list[WordKey | None] | None = None
    word_spans: list[Span | None] | None = None
    texts: tuple[str, ...] = ()  # the input: (text,) or (text, text_pair)

    @property
    def words(self) -> list[WordAttribution]:
        """The input's words, each with the sum of its pieces' attributions (see the module doc)."""
        return group_words(self.tokens, self.attributions, self.special,
                           keys=self.word_keys, spans=self.word_spans, texts=self.texts)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (the CLI's ``--json`` line)."""
        out: dict[str, Any] = {
            "tokens": list(self.tokens),
            "attributions": [float(a) for a in self.attributions],
            "target": self.target,
            "target_index": self.target_index,
            "probability": self.probability,
            "method": self.method,
        }
        if self.method == "ig":
            out.update(delta=self.delta, steps=self.steps, baseline=self.baseline)
        return out


# --------------------------------------------------------------------------- set-up


@dataclass
class _Prepared:
    model: Any  # the module to run (the predictor's model, or an eval-mode twin)
    tokens: list[str]
    special: np.ndarray  # bool (T,)
    input_ids: torch.Tensor  # (1, T)
    extra: dict[str, torch.Tensor]  # attention_mask / token_type_ids, (1, T) each
    embeds: torch.Tensor  # (1, T, D) word embeddings of the input, detached
    words: tuple[list[WordKey | None], list[Span | None]] | None  # token_words() of the encoding
    texts: tuple[str, ...]


def check_predictor(predictor: Predictor) -> None:
    """Raise ModelError unless saliency can explain ``predictor`` (a classification model)."""
    task = find_task(predictor.task)
    if task is None or not task.explains:
        raise ModelError(
            f"saliency is available for classification models; this model's task is {predictor.task}. "
            "Attention maps (workbench attention) work for every task."
        )


def _runnable(model: Any) -> Any:
    """The model itself when it is in eval mode, else an eval-mode twin that shares its weights.

    Dropout would make attributions random; flipping the shared model to eval()
    would change a training run's behaviour, so a twin is used instead.
    """
    if not model.training:
        return model
    from workbench.engine.inspection.attention import eager_twin

    return eager_twin(model)


def _prepare(predictor: Predictor, text: str, text_pair: str | None) -> _Prepared:
    import torch

    from workbench.engine.inspection.attention import private_tokenizer

    check_predictor(predictor)
    model = _runnable(predictor.model)
    accepted = inspect.signature(model.forward).parameters
    if "inputs_embeds" not in accepted:
        raise ModelError(f"{type(model).__name__} does not accept input embeddings, so it cannot be explained.")
    # A private tokenizer: the shared one changes its padding/truncation state on every call.
    tok = private_tokenizer(predictor.tokenizer)
    args = (text,) if text_pair is None else (text, text_pair)
    fast = bool(getattr(tok, "is_fast", False))  # only fast tokenizers give word ids and offsets
    enc = tok(*args, truncation=True, max_length=predictor.max_length, return_tensors="pt",
              return_special_tokens_mask=True, return_offsets_mapping=fast)
    words = token_words(enc) if fast else None
    enc.pop("offset_mapping", None)
    special = enc.pop("special_tokens_mask")[0].numpy().astype(bool)  # (T,)
    device = next(model.parameters()).device
    ids = enc.pop("input_ids").to(device)  # (1, T)
    if ids.shape[1] == 0:
        raise WorkbenchError("There is no text to explain: type a sentence first.")
    extra = {k: v.to(device) for k, v in enc.items() if k in accepted}
    with torch.no_grad():
        embeds = model.get_input_embeddings()(ids).detach()  # (1, T, D)
    tokens = [str(t) for t in tok.convert_ids_to_tokens(ids[0].tolist())]
    texts = tuple(a for a in args if a is not None)
    return _Prepared(model, tokens, special, ids, extra, embeds, words, texts)


def _word_fields(prep: _Prepared) -> dict[str, Any]:
    keys, spans = prep.words if prep.words is not None else (None, None)
    return {"word_keys": keys, "word_spans": spans, "texts": prep.texts}


def _logits(prep: _Prepared, embeds: torch.Tensor) -> torch.Tensor:
    """(B, T, D) word embeddings -> (B, num_labels) float32 logits."""
    B = embeds.shape[0]
    extra = {k: v.expand(B, -1) for k, v in prep.extra.items()}  # (B, T) each
    return prep.model(inputs_embeds=embeds, **extra).logits.float()


def _resolve_target(predictor: Predictor, target: str | int | None, logits: torch.Tensor) -> int:
    """A label name or index -> index; None -> the predicted class. logits: (num_labels,)."""
    names = predictor.label_names
    if target is None:
        return int(logits.argmax())
    if isinstance(target, str) and target in names:
        return names.index(target)
    index: int | None = None
    if isinstance(target, int) and not isinstance(target, bool):
        index = target
    elif isinstance(target, str) and target.strip().lstrip("-").isdigit():
        index = int(target)  # "--target 1" from the command line
    if index is not None and 0 <= index < len(names):
        return index
    raise ModelError(
        f"unknown target {target!r}: this model's labels are "
        + ", ".join(f"{i}={n}" for i, n in enumerate(names))
        + ". Give a label name or its index."
    )


def _no_autocast(device: torch.device) -> Any:
    import torch

    # IG's completeness check needs full precision; a caller's bf16 autocast would break it.
    return torch.autocast(device_type=device.type, enabled=False)


# --------------------------------------------------------------------------- methods


def grad_x_input(
    predictor: Predictor, text: str, target: str | int | None = None, *, text_pair: str | None = None
) -> Attribution:
    """Gradient of the target logit w.r.t. each word embedding, dotted with the embedding."""
    import torch

    with torch.inference_mode(False):  # a caller's inference mode would forbid the backward pass
        prep = _prepare(predictor, text, text_pair)
    with torch.inference_mode(False), torch.enable_grad(), _no_autocast(prep.embeds.device):
        x = prep.embeds.clone().requires_grad_(True)  # (1, T, D)
        logits = _logits(prep, x)[0]  # (C,)
        index = _resolve_target(predictor, target, logits.detach())
        (grad,) = torch.autograd.grad(logits[index], x)  # (1, T, D); parameters get no .grad
    scores = (grad[0].double() * prep.embeds[0].double()).sum(-1)  # (T,)
    prob = float(torch.softmax(logits.detach(), -1)[index])
    return Attribution(prep.tokens, scores.cpu().numpy(), predictor.label_names[index], index,
                       "grad-x-input", probability=prob, special=prep.special, **_word_fields(prep))


def quadrature(steps: int, rule: str = DEFAULT_QUADRATURE) -> tuple[np.ndarray, np.ndarray]:
    """Points alpha in [0, 1] and weights (summing to 1) for the integral over the path."""
    if rule == "gauss-legendre":
        nodes, weights = np.polynomial.legendre.leggauss(steps)  # on [-1, 1], weights sum to 2
        return (nodes + 1.0) / 2.0, weights / 2.0
    if rule == "trapezoid":
        if steps < 2:
            raise ConfigError("the trapezoid rule needs at least 2 steps.")
        alphas = np.linspace(0.0, 1.0, steps)
        weights = np.full(steps, 1.0 / (steps - 1))
        weights[[0, -1]] *= 0.5
        return alphas, weights
    raise ConfigError(f"unknown quadrature {rule!r}; choose one of: {', '.join(QUADRATURES)}.")


def _baseline_embeds(predictor: Predictor, prep: _Prepared, baseline: str) -> torch.Tensor:
    """(1, T, D): the baseline's word embeddings; special tokens are kept as they are.

    Keeping [CLS]/[SEP] means the baseline differs from the input only where
    there are words, so the attributions of special tokens are exactly 0 and the
    difference f(input) - f(baseline) is about the words alone.
    """
    import torch

    keep = torch.as_tensor(prep.special, device=prep.embeds.device)[None, :, None]  # (1, T, 1)
    if baseline == "zero":
        return torch.where(keep, prep.embeds, torch.zeros_like(prep.embeds))
    tok = predictor.tokenizer
    if baseline == "pad":
        token_id = tok.pad_token_id
        if token_id is None:
            token_id = getattr(prep.model.config, "pad_token_id", None)
        if token_id is None:
            raise ModelError("this tokenizer has no padding token; use the baseline 'zero'.")
    elif baseline == "mask":
        token_id = tok.mask_token_id
        if token_id is None:
            raise ModelError("this tokenizer has no mask token; use the baseline 'pad' or 'zero'.")
    else:
        raise ConfigError(f"unknown baseline {baseline!r}; choose one of: {', '.join(BASELINES)}.")
    ids = torch.where(keep[..., 0], prep.input_ids, torch.full_like(prep.input_ids, int(token_id)))  # (1, T)
    with torch.no_grad():
        return prep.model.get_input_embeddings()(ids).detach()  # (1, T, D)


def integrated_gradients(
    predictor: Predictor,
    text: str,
    target: str | int | None = None,
    steps: int = DEFAULT_STEPS,
    baseline: str = DEFAULT_BASELINE,
    *,
    text_pair: str | None = None,
    quadrature_rule: str = DEFAULT_QUADRATURE,
) -> Attribution:
    """Integrated gradients of the target logit, attributed to the word embeddings."""
    import torch

    if not isinstance(steps, int) or steps < 1:
        raise ConfigError(f"steps must be a positive whole number (got {steps!r}).")
    if baseline not in BASELINES:
        raise ConfigError(f"unknown baseline {baseline!r}; choose one of: {', '.join(BASELINES)}.")
    alphas_np, weights_np = quadrature(steps, quadrature_rule)
    with torch.inference_mode(False):  # a caller's inference mode would forbid the backward pass
        prep = _prepare(predictor, text, text_pair)
    x = prep.embeds  # (1, T, D)
    device = x.device
    with torch.inference_mode(False), _no_autocast(device):
        # 1. Embeddings of the input and of the baseline.
        x_base = _baseline_embeds(predictor, prep, baseline)  # (1, T, D)
        diff = x - x_base  # (1, T, D)
        with torch.no_grad():
            ends = _logits(prep, torch.cat([x, x_base]))  # (2, C): f(input), f(baseline)
        index = _resolve_target(predictor, target, ends[0])

        # 2. Points along the path and their quadrature weights.
        alphas = torch.as_tensor(alphas_np, dtype=x.dtype, device=device)  # (S,)
        weights = torch.as_tensor(weights_np, dtype=torch.float64, device=device)  # (S,)

        # 3. Batched forward/backward of the interpolated embeddings.
        T = x.shape[1]
        rows = max(1, min(_MAX_ROWS, _TOKENS_PER_CHUNK // T))
        avg_grad = torch.zeros(x.shape[1:], dtype=torch.float64, device=device)  # (T, D)
        with torch.enable_grad():
            for start in range(0, steps, rows):
                a = alphas[start : start + rows]  # (B,)
                path = (x_base + a[:, None, None] * diff).requires_grad_(True)  # (B, T, D)
                out = _logits(prep, path)[:, index]  # (B,)
                # Rows are independent (eval mode), so the gradient of the sum is each row's own.
                (grad,) = torch.autograd.grad(out.sum(), path)  # (B, T, D)
                avg_grad += (grad.double() * weights[start : start + rows, None, None]).sum(0)

    # 4. Attributions: (x - x') . average gradient, summed over the embedding dimension.
    scores = (diff[0].double() * avg_grad).sum(-1)  # (T,)
    # 5. Completeness gap: how far the sum is from f(input) - f(baseline).
    f_x, f_base = float(ends[0, index]), float(ends[1, index])
    delta = float(scores.sum()) - (f_x - f_base)
    prob = float(torch.softmax(ends[0], -1)[index])
    return Attribution(prep.tokens, scores.cpu().numpy(), predictor.label_names[index], index, "ig",
                       delta=delta, steps=steps, baseline=baseline, probability=prob, special=prep.special,
                       **_word_fields(prep))


def explain(
    predictor: Predictor,
    text: str,
    method: str = "ig",
    *,
    target: str | int | None = None,
    steps: int = DEFAULT_STEPS,
    baseline: str = DEFAULT_BASELINE,
    text_pair: str | None = None,
) -> Attribution:
    """One text with the named method ("ig" or "grad-x-input")."""
    if method == "ig":
        return integrated_gradients(predictor, text, target, steps, baseline, text_pair=text_pair)
    if method == "grad-x-input":
        return grad_x_input(predictor, text, target, text_pair=text_pair)
    raise ConfigError(f"unknown saliency method {method!r}; choose one of: {', '.join(METHODS)}.")


def explain_file(
    predictor: Predictor,
    texts: Iterable[str],
    method: str = "ig",
    *,
    target: str | int | None = None,
    steps: int = DEFAULT_STEPS,
    baseline: str = DEFAULT_BASELINE,
    text_pairs: Iterable[str] | None = None,
) -> Iterator[Attribution]:
    """One Attribution per text, lazily, so a caller can show progress and stop early."""
    if method not in METHODS:
        raise ConfigError(f"unknown saliency method {method!r}; choose one of: {', '.join(METHODS)}.")
    check_predictor(predictor)  # fail before the first text, not after reading the file
    pairs: Iterable[str | None] = text_pairs if text_pairs is not None else _nones()
    for text, pair in zip(texts, pairs):
        yield explain(predictor, text, method, target=target, steps=steps, baseline=baseline, text_pair=pair)


def _nones() -> Iterator[None]:
    while True:
        yield None
