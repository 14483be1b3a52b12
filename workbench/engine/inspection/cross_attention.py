"""An encoder-decoder's attention and source attributions for one source and its output.

1. ``seq2seq_attention``: the model generates an output greedily (or a given target is
   used), then one teacher-forced forward of the eager twin (``attention.eager_twin``) over
   (source, output) with ``output_attentions=True`` gives the encoder's and the decoder's
   self-attention and the cross-attention, as numpy arrays. Row ``t`` of the decoder's maps
   is the step that *produced* target token ``t``: the decoder input is the start token
   followed by the target shifted right, as in training and in generation.
2. ``source_integrated_gradients``: integrated gradients (Sundararajan et al. 2017) of one
   target token's log-probability with respect to the encoder's input embeddings. The
   decoder input stays fixed; special source tokens (``</s>``) keep their embeddings, so
   their attribution is exactly 0. ``delta`` is the completeness gap.

Tokens are shown readable: a byte-level piece is decoded (Chinese characters, not ``æĪĳ``);
the pieces of one character split over several tokens show the character on the first and
"…" on the rest; a piece that forms no whole character is shown as the tokenizer writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine.errors import ConfigError, ModelError, WorkbenchError

if TYPE_CHECKING:
    import torch

    from workbench.engine.inference import Predictor

DEFAULT_NEW_TOKENS = 40
DEFAULT_IG_STEPS = 64
IG_BASELINES = ("pad", "zero")
_CONTINUED = "…"  # a piece of a character whose first piece shows it


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays have no single truth value
class Seq2SeqAttention:
    source_tokens: list[str]  # readable source tokens, special tokens included
    target_tokens: list[str]  # readable target tokens (the output, its end-of-sequence token included)
    source_ids: list[int]
    decoder_input_ids: list[int]  # the start token, then the target shifted right
    target_ids: list[int]
    encoder_attentions: np.ndarray  # float32 (L_enc, H, S, S)
    decoder_attentions: np.ndarray  # float32 (L_dec, H, T, T), causal
    cross_attentions: np.ndarray  # float32 (L_dec, H, T, S): target rows, source columns
    source_special: np.ndarray  # bool (S,)
    target_special: np.ndarray  # bool (T,)
    output: str  # the target as text (special tokens dropped)


@dataclass(frozen=True, eq=False)
class SourceAttribution:
    source_tokens: list[str]
    attributions: np.ndarray  # float64 (S,): each source token's share of the log-probability
    target_index: int  # which target token was explained
    target_token: str
    log_probability: float  # f(input): log p(target token | source, earlier target tokens)
    baseline_log_probability: float  # f(baseline)
    delta: float  # sum(attributions) - (f(input) - f(baseline))
    steps: int
    baseline: str
    source_special: np.ndarray  # bool (S,)

    def as_dict(self) -> dict[str, Any]:
        return {"source_tokens": list(self.source_tokens), "attributions": [float(a) for a in self.attributions],
                "target_index": self.target_index, "target_token": self.target_token,
                "log_probability": self.log_probability, "baseline_log_probability": self.baseline_log_probability,
                "delta": self.delta, "steps": self.steps, "baseline": self.baseline}


# --------------------------------------------------------------------------- tokens


def readable_tokens(tokenizer: Any, ids: list[int]) -> list[str]:
    """Each id as a person reads it (see the module doc); special tokens by their names."""
    special = set(tokenizer.all_special_ids)
    out: list[str] = []
    i = 0
    while i < len(ids):
        if ids[i] in special:
            out.append(str(tokenizer.convert_ids_to_tokens(ids[i])))
            i += 1
            continue
        # A byte-level piece of a multi-byte character decodes to U+FFFD alone: join the run.
        end = i + 1
        text = tokenizer.decode(ids[i:end])
        while "\ufffd" in text and end < len(ids) and ids[end] not in special and end - i < 4:
            end += 1
            text = tokenizer.decode(ids[i:end])
        if "\ufffd" in text:  # no whole character: the piece as the tokenizer writes it
            end, text = i + 1, str(tokenizer.convert_ids_to_tokens(ids[i]))
        out.append(text.strip() or "␣")
        out.extend([_CONTINUED] * (end - i - 1))
        i = end
    return out


def _special_mask(tokenizer: Any, ids: list[int]) -> np.ndarray:
    special = set(tokenizer.all_special_ids)
    return np.array([i in special for i in ids], dtype=bool)


# --------------------------------------------------------------------------- source and target


@dataclass(frozen=True)
class _Pair:
    source_ids: list[int]
    decoder_input_ids: list[int]
    target_ids: list[int]


def _check_seq2seq(model: Any) -> None:
    if not getattr(getattr(model, "config", None), "is_encoder_decoder", False):
        raise ModelError(f"{type(model).__name__} is not an encoder-decoder: it has no cross-attention.")


def _source_ids(tokenizer: Any, source: str, max_length: int, keep_latest: bool) -> list[int]:
    from workbench.engine.inspection.attention import private_tokenizer

    tok = private_tokenizer(tokenizer)  # truncation_side is changed on the private copy only
    tok.truncation_side = "left" if keep_latest else "right"
    ids = list(tok(source, truncation=True, max_length=max_length)["input_ids"])
    if not source.strip() or not ids:
        raise WorkbenchError("There is no text to look at: type a source text first.")
    return ids


def _given_output(model: Any, output_ids: Sequence[int]) -> list[int]:
    from workbench.engine.tasks.seq2seq import trim_generated

    out = trim_generated(output_ids, getattr(model.config, "eos_token_id", None))
    if len(out) < 2:
        raise WorkbenchError("The output is empty: there is no generated token to look at.")
    return out


def _pair(
    model: Any, tokenizer: Any, source: str, target: str | None, *, max_new_tokens: int, max_length: int,
    keep_latest: bool, output_ids: Sequence[int] | None = None,
) -> _Pair:
    """The source ids, and the target: ``output_ids`` (a row ``generate`` returned: what the playground
    showed, however it was decoded), ``target`` tokenised as training does, or the model's greedy output."""
    import torch

    from workbench.engine.tasks.seq2seq import GenerationOptions, generate

    source_ids = _source_ids(tokenizer, source, max_length, keep_latest)
    if output_ids is not None:
        out = _given_output(model, output_ids)
        return _Pair(source_ids, out[:-1], out[1:])
    if target is not None:
        from workbench.engine.inspection.attention import private_tokenizer

        target_ids = list(private_tokenizer(tokenizer)(text_target=target, truncation=True,
                                                       max_length=max_length)["input_ids"])
        start = model.config.decoder_start_token_id
        if start is None:
            raise ModelError("this model's config has no decoder_start_token_id: give no target to use its output.")
        return _Pair(source_ids, [int(start), *target_ids[:-1]], target_ids)
    device = next(model.parameters()).device
    ids = torch.tensor([source_ids], device=device)
    batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    with torch.inference_mode():
        out = generate(model, batch, GenerationOptions(max_new_tokens=max_new_tokens))[0].tolist()
    return _Pair(source_ids, out[:-1], out[1:])


def _forward(model: Any, pair: _Pair, inputs_embeds: torch.Tensor | None = None, **kwargs: Any) -> Any:
    """One teacher-forced forward; ``inputs_embeds`` (B, S, D) instead of the source ids when given."""
    import torch

    device = next(model.parameters()).device
    batch = 1 if inputs_embeds is None else inputs_embeds.shape[0]
    decoder = torch.tensor([pair.decoder_input_ids], device=device).expand(batch, -1)
    mask = torch.ones((batch, len(pair.source_ids)), dtype=torch.long, device=device)
    source: dict[str, Any] = (
        {"input_ids": torch.tensor([pair.source_ids], device=device)} if inputs_embeds is None
        else {"inputs_embeds": inputs_embeds}
    )
    return model(**source, attention_mask=mask, decoder_input_ids=decoder, return_dict=True, use_cache=False,
                 **kwargs)


def _stack(layers: Any, name: str, model: Any) -> np.ndarray:
    """(L, B, H, Tq, Tk) attention tuple -> float32 (L, H, Tq, Tk) for the first row."""
    import torch

    if not layers or any(a is None for a in layers):
        raise ModelError(f"{type(model).__name__} does not return {name}, so there is no map to show.")
    return torch.stack([a.float() for a in layers])[:, 0].cpu().numpy().astype(np.float32, copy=False)


def seq2seq_attention(
    model: Any, tokenizer: Any, source: str, *, target: str | None = None,
    max_new_tokens: int = DEFAULT_NEW_TOKENS, max_length: int = 512, keep_latest: bool = False,
    output_ids: Sequence[int] | None = None,
) -> Seq2SeqAttention:
    """Encoder, decoder and cross-attention of ``source`` and its greedy output (or ``target``, or
    ``output_ids``: a row that ``generate`` returned, start token first).

    ``source`` is the text the encoder reads (a task prefix already put before it). Safe
    from a worker thread: generation runs on ``model`` unchanged, the forward on its eager twin.
    """
    import torch

    from workbench.engine.inspection.attention import eager_twin

    _check_seq2seq(model)
    pair = _pair(model, tokenizer, source, target, max_new_tokens=max_new_tokens, max_length=max_length,
                 keep_latest=keep_latest, output_ids=output_ids)
    twin = eager_twin(model)
    with torch.inference_mode():
        out = _forward(twin, pair, output_attentions=True)
    return Seq2SeqAttention(
        readable_tokens(tokenizer, pair.source_ids), readable_tokens(tokenizer, pair.target_ids),
        pair.source_ids, pair.decoder_input_ids, pair.target_ids,
        _stack(out.encoder_attentions, "encoder attention", model),
        _stack(out.decoder_attentions, "decoder attention", model),
        _stack(out.cross_attentions, "cross-attention", model),
        _special_mask(tokenizer, pair.source_ids), _special_mask(tokenizer, pair.target_ids),
        tokenizer.decode(pair.target_ids, skip_special_tokens=True).strip(),
    )


def alignment(cross: np.ndarray, top: int = 3, source_special: np.ndarray | None = None) -> list[list[tuple[int, float]]]:
    """For each target row of a (T, S) cross-attention map, its ``top`` source columns and weights, best first.

    Special source tokens (``</s>`` soaks up attention) are left out when ``source_special`` is given.
    """
    weights = np.asarray(cross, dtype=np.float64)
    if source_special is not None:
        weights = np.where(np.asarray(source_special, dtype=bool)[None, :], -np.inf, weights)
    out = []
    for row in weights:
        order = [int(j) for j in np.argsort(-row, kind="stable")[:top] if np.isfinite(row[j])]
        out.append([(j, float(row[j])) for j in order])
    return out


# --------------------------------------------------------------------------- integrated gradients


def _baseline(model: Any, tokenizer: Any, pair: _Pair, embeds: torch.Tensor, baseline: str) -> torch.Tensor:
    """(1, S, D): pad (or zero) embeddings where the source has words; special tokens kept."""
    import torch

    keep = torch.as_tensor(_special_mask(tokenizer, pair.source_ids), device=embeds.device)
    if baseline == "zero":
        return torch.where(keep[None, :, None], embeds, torch.zeros_like(embeds))
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else model.config.pad_token_id
    if pad is None:
        raise ModelError("this tokenizer has no padding token; use the baseline 'zero'.")
    ids = torch.tensor([pair.source_ids], device=embeds.device)
    ids = torch.where(keep[None, :], ids, torch.full_like(ids, int(pad)))
    with torch.no_grad():
        return model.get_encoder().get_input_embeddings()(ids).detach()


def source_integrated_gradients(
    model: Any, tokenizer: Any, source: str, target_index: int, *, target: str | None = None,
    steps: int = DEFAULT_IG_STEPS, baseline: str = "pad", max_new_tokens: int = DEFAULT_NEW_TOKENS,
    max_length: int = 512, keep_latest: bool = False, batch_rows: int = 16, output_ids: Sequence[int] | None = None,
) -> SourceAttribution:
    """Integrated gradients of target token ``target_index``'s log-probability w.r.t. the source embeddings."""
    import torch

    from workbench.engine.inspection.attention import eager_twin
    from workbench.engine.inspection.saliency import quadrature

    if not isinstance(steps, int) or steps < 1:
        raise ConfigError(f"steps must be a positive whole number (got {steps!r}).")
    if baseline not in IG_BASELINES:
        raise ConfigError(f"unknown baseline {baseline!r}; choose one of: {', '.join(IG_BASELINES)}.")
    _check_seq2seq(model)
    pair = _pair(model, tokenizer, source, target, max_new_tokens=max_new_tokens, max_length=max_length,
                 keep_latest=keep_latest, output_ids=output_ids)
    if not 0 <= target_index < len(pair.target_ids):
        raise ConfigError(f"target token {target_index} is out of range: the output has {len(pair.target_ids)} "
                          f"tokens (0 to {len(pair.target_ids) - 1}).")
    twin = eager_twin(model)  # eval mode: no dropout, whatever the shared model's mode
    token = pair.target_ids[target_index]
    alphas_np, weights_np = quadrature(steps)
    with torch.inference_mode(False), torch.autocast(next(twin.parameters()).device.type, enabled=False):
        device = next(twin.parameters()).device
        with torch.no_grad():
            x = twin.get_encoder().get_input_embeddings()(torch.tensor([pair.source_ids], device=device)).detach()
            x_base = _baseline(twin, tokenizer, pair, x, baseline)
            ends = _log_prob(twin, pair, torch.cat([x, x_base]), target_index, token)  # (2,)
        diff = x - x_base  # (1, S, D)
        alphas = torch.as_tensor(alphas_np, dtype=x.dtype, device=device)
        weights = torch.as_tensor(weights_np, dtype=torch.float64, device=device)
        avg_grad = torch.zeros(x.shape[1:], dtype=torch.float64, device=device)  # (S, D)
        with torch.enable_grad():
            for start in range(0, steps, batch_rows):
                path = (x_base + alphas[start : start + batch_rows, None, None] * diff).requires_grad_(True)
                # Rows are independent (eval mode): the gradient of the sum is each row's own.
                (grad,) = torch.autograd.grad(_log_prob(twin, pair, path, target_index, token).sum(), path)
                avg_grad += (grad.double() * weights[start : start + batch_rows, None, None]).sum(0)
    scores = (diff[0].double() * avg_grad).sum(-1).cpu().numpy()  # (S,)
    f_x, f_base = float(ends[0]), float(ends[1])
    return SourceAttribution(
        readable_tokens(tokenizer, pair.source_ids), scores, target_index,
        readable_tokens(tokenizer, pair.target_ids)[target_index], f_x, f_base,
        float(scores.sum()) - (f_x - f_base), steps, baseline, _special_mask(tokenizer, pair.source_ids),
    )


def _log_prob(model: Any, pair: _Pair, embeds: torch.Tensor, index: int, token: int) -> torch.Tensor:
    """(B,) log p(token at ``index``) for each row of source embeddings."""
    import torch

    logits = _forward(model, pair, inputs_embeds=embeds).logits[:, index].double()  # (B, V)
    return torch.log_softmax(logits, dim=-1)[:, token]


# --------------------------------------------------------------------------- from a run


def _predictor_source(predictor: Predictor, text: str, history: Sequence[str] = ()) -> tuple[str, bool]:
    """The text the encoder reads (the model's prefix and, for dialogue, the earlier turns: as training
    composed it) and whether to keep its end."""
    from workbench.engine.tasks.seq2seq import SourceFormat

    task = predictor.task_spec
    if not task.sequence_to_sequence:
        raise ModelError(f"cross-attention is for sequence-to-sequence models; this model is a {task.name} model.")
    return SourceFormat.from_settings(predictor.meta).compose(text, history), bool(getattr(task, "keeps_latest_source", False))


def predictor_attention(predictor: Predictor, text: str, *, target: str | None = None,
                        max_new_tokens: int = DEFAULT_NEW_TOKENS, output_ids: Sequence[int] | None = None,
                        history: Sequence[str] = ()) -> Seq2SeqAttention:
    """``seq2seq_attention`` for a loaded run: its source prefix and length limit."""
    source, keep_latest = _predictor_source(predictor, text, history)
    return seq2seq_attention(predictor.model, predictor.tokenizer, source, target=target,
                             max_new_tokens=max_new_tokens, max_length=predictor.max_length, keep_latest=keep_latest,
                             output_ids=output_ids)


def predictor_integrated_gradients(
    predictor: Predictor, text: str, target_index: int, *, target: str | None = None, steps: int = DEFAULT_IG_STEPS,
    baseline: str = "pad", max_new_tokens: int = DEFAULT_NEW_TOKENS, output_ids: Sequence[int] | None = None,
    history: Sequence[str] = (),
) -> SourceAttribution:
    """``source_integrated_gradients`` for a loaded run."""
    source, keep_latest = _predictor_source(predictor, text, history)
    return source_integrated_gradients(predictor.model, predictor.tokenizer, source, target_index, target=target,
                                       steps=steps, baseline=baseline, max_new_tokens=max_new_tokens,
                                       max_length=predictor.max_length, keep_latest=keep_latest, output_ids=output_ids)
