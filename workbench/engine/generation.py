"""Text generation for causal language models, one token at a time, streamed as text.

``generate_stream(model, tokenizer, prompt, settings)`` returns an iterator of
decoded text pieces. It is what the CLI's ``predict --stream``, the GUI's
generation playground and ``Predictor.predict`` all use, so the three give the
same text for the same settings and seed.

How it works, per new token:

1. Feed only what the model has not seen yet (the whole prompt on the first
   step, then the one token just chosen) together with the key/value cache of
   the earlier positions, so each new token costs one position, not the whole
   sequence again.
2. Choose the next token from the last position's logits: the arg-max when the
   temperature is 0 (greedy), else sample after temperature, top-k and top-p
   filtering (the order transformers applies them), with a ``torch.Generator``
   seeded from the settings so a run can be repeated.
3. Decode incrementally: byte-level BPE tokens may end in the middle of a
   UTF-8 character, so a piece is yielded only once the text decodes cleanly.
   The pieces concatenate to ``decode(all new ids)``.

Generation ends at the end-of-text token, after ``max_new_tokens``, when
``should_stop()`` says so (the GUI's Stop button), or at the model's maximum
number of positions; ``GenerationStream.finish_reason`` and ``notice`` say
which, so a caller can tell the user rather than crash.

This module imports torch only inside the functions that need it, so the GUI
can build and validate ``GenerationSettings`` on its main thread for free.
"""

from __future__ import annotations

import inspect
import math
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from workbench.engine.errors import ConfigError

if TYPE_CHECKING:
    import torch

FinishReason = Literal["eos", "max_new_tokens", "max_positions", "stopped"]
# Random seeds are drawn below this: fits a 32-bit spin box, so the GUI can show and reuse one.
RANDOM_SEED_LIMIT = 2**31
# Above this the playground is no longer "a continuation": guard against a typo like 40000.
MAX_NEW_TOKENS_LIMIT = 100_000


@dataclass(frozen=True)
class GenerationSettings:
    """How to choose each next token. The defaults give greedy decoding of 40 tokens."""

    # 0 = greedy (always the most likely token): reproducible and what a first look
    # at a model wants. Around 0.7-1.0 for varied text; above 1.5 it turns to noise.
    temperature: float = 0.0
    # Sample only among the k most likely tokens; 0 = off.
    top_k: int = 0
    # Sample only among the smallest set of tokens whose probabilities add up to at
    # least p ("nucleus sampling"); 1.0 = off.
    top_p: float = 1.0
    max_new_tokens: int = 40
    # None = a fresh random seed for each generation (recorded on the stream).
    seed: int | None = None

    def __post_init__(self) -> None:
        def number(name: str, value: Any) -> float:
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise ConfigError(f"generation {name} must be a finite number, got {value!r}.")
            return float(value)

        def integer(name: str, value: Any) -> int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"generation {name} must be a whole number, got {value!r}.")
            return value

        if number("temperature", self.temperature) < 0:
            raise ConfigError(
                f"temperature must be 0 (greedy) or more, got {self.temperature}; try 0.7-1.0 for varied text."
            )
        if integer("top_k", self.top_k) < 0:
            raise ConfigError(
                f"top-k must be 0 (off) or a positive number of tokens, got {self.top_k}."
            )
        top_p = number("top_p", self.top_p)
        if not 0 < top_p <= 1:
            raise ConfigError(f"top-p must be above 0 and at most 1 (1 = off), got {self.top_p}.")
        new = integer("max_new_tokens", self.max_new_tokens)
        if not 1 <= new <= MAX_NEW_TOKENS_LIMIT:
            raise ConfigError(
                f"max new tokens must be between 1 and {MAX_NEW_TOKENS_LIMIT}, got {self.max_new_tokens}."
            )
        if self.seed is not None and not 0 <= integer("seed", self.seed) < 2**64:
            raise ConfigError(
                f"seed must be a whole number from 0 to 2**64-1 (or none for random), got {self.seed}."
            )

    @property
    def greedy(self) -> bool:
        return self.temperature == 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- token choice ------------------------------------------------------------------------------


def top_k_filter(scores: torch.Tensor, k: int) -> torch.Tensor:
    """Set every score below the k-th largest to -inf (ties with it are kept, as in transformers)."""
    import torch

    if k <= 0 or k >= scores.shape[-1]:
        return scores
    kth = torch.topk(scores, k, dim=-1).values[..., -1:]  # (..., 1)
    return scores.masked_fill(scores < kth, float("-inf"))


def top_p_filter(scores: torch.Tensor, p: float) -> torch.Tensor:
    """Keep the smallest set of most likely tokens whose probabilities sum to at least ``p``.

    A token is dropped when the tokens more likely than it already reach ``p``;
    the most likely token is always kept.
    """
    import torch

    if p >= 1.0:
        return scores
    ordered, order = torch.sort(scores, descending=True, dim=-1)  # (..., V)
    probs = torch.softmax(ordered, dim=-1)
    before = torch.cumsum(probs, dim=-1) - probs  # probability mass strictly ahead of each token
    drop_sorted = before >= p
    drop_sorted[..., 0] = False
    drop = drop_sorted.scatter(-1, order, drop_sorted)  # back to vocabulary order
    return scores.masked_fill(drop, float("-inf"))


def next_token(
    logits: torch.Tensor, settings: GenerationSettings, generator: torch.Generator
) -> int:
    """The next token id from one position's logits, shape (V,)."""
    import torch

    logits = logits.float()
    if settings.greedy:
        return int(logits.argmax())
    scores = logits / settings.temperature
    scores = top_k_filter(scores, settings.top_k)
    scores = top_p_filter(scores, settings.top_p)
    # Sampled on the CPU with a CPU generator: the same seed gives the same text on
    # any device (the .item() below is a GPU sync point either way).
    probs = torch.softmax(scores, dim=-1).cpu()
    return int(torch.multinomial(probs, 1, generator=generator).item())


# ---- incremental decoding ----------------------------------------------------------------------


def decode_ids(tokenizer: Any, ids: list[int]) -> str:
    """The text of generated ids: special tokens dropped, spacing exactly as the tokens say."""
    # No clean-up of tokenization spaces: it rewrites " ," to "," after the fact, so a
    # prefix's decoding would not be a prefix of the whole's and streaming could not match.
    return tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)


class IncrementalDecoder:
    """Turns token ids, one at a time, into text pieces that add up to ``decode_ids(all ids)``.

    Each step decodes all ids so far (cheap next to a forward pass: the Rust
    tokenizer decodes thousands of tokens in a millisecond) and yields what is
    new up to any trailing U+FFFD: that is how an unfinished UTF-8 character
    decodes, and the next byte-level tokens may still complete it. Text before
    it is final, because UTF-8 never lets later bytes change an earlier
    character.
    """

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self.ids: list[int] = []
        self.emitted = ""

    def push(self, token_id: int) -> str:
        self.ids.append(int(token_id))
        return self._advance(decode_ids(self.tokenizer, self.ids).rstrip("\ufffd"))

    def flush(self) -> str:
        """Whatever is still held back (an unfinished character at the very end stays U+FFFD)."""
        return self._advance(decode_ids(self.tokenizer, self.ids))

    def _advance(self, text: str) -> str:
        if len(text) <= len(self.emitted) or not text.startswith(self.emitted):
            # Nothing new, or a tokenizer whose decoding is not prefix-stable: wait.
            return ""
        piece = text[len(self.emitted) :]
        self.emitted = text
        return piece


# ---- the stream --------------------------------------------------------------------------------


def max_positions(config: Any) -> int | None:
    """The longest sequence the model's position embeddings cover, when the config says."""
    for name in ("n_positions", "max_position_embeddings", "n_ctx", "max_sequence_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    ids: set[int] = set()
    generation_config = getattr(model, "generation_config", None)
    for source in (
        getattr(generation_config, "eos_token_id", None),
        getattr(model.config, "eos_token_id", None),
        getattr(tokenizer, "eos_token_id", None),
    ):
        if isinstance(source, int):
            ids.add(source)
        elif isinstance(source, (list, tuple)):
            ids.update(int(i) for i in source)
    return ids


def _prompt_ids(tokenizer: Any, prompt: str) -> list[int]:
    ids = list(tokenizer(prompt)["input_ids"]) if prompt else []
    if not ids:
        # Nothing to continue from: start a fresh text as pre-training saw them, after BOS/EOS.
        start = (
            tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
        )
        if start is None:
            raise ConfigError(
                "the prompt is empty and this tokenizer has no start token: write a few words first."
            )
        ids = [int(start)]
    return ids


class _Forward:
    """One forward step with the key/value cache, across transformers' two spellings of it."""

    def __init__(self, model: Any) -> None:
        self.model = model
        params = inspect.signature(model.forward).parameters
        # transformers 5.x renamed past_key_values to cache (the old name warns).
        self.cache_arg = "cache" if "cache" in params else "past_key_values"
        self.keep_last = "logits_to_keep" in params  # skip the (T, V) logits of the prompt
        self.cache: Any = None
        self.length = 0  # positions the cache holds

    def __call__(self, ids: list[int], device: torch.device) -> torch.Tensor:
        import torch

        self.length += len(ids)
        # All ones (one unpadded sequence), but saying so spares transformers' padding warning.
        mask = torch.ones(1, self.length, dtype=torch.long, device=device)  # (1, past + new)
        kwargs: dict[str, Any] = {"use_cache": True, "attention_mask": mask}
        if self.cache is not None:
            kwargs[self.cache_arg] = self.cache
        if self.keep_last:
            kwargs["logits_to_keep"] = 1
        out = self.model(input_ids=torch.tensor([ids], device=device), **kwargs)
        self.cache = (
            out.get("cache") if out.get("cache") is not None else out.get("past_key_values")
        )
        return out.logits[0, -1]  # (V,)


class GenerationStream(Iterator[str]):
    """Iterates over text pieces; afterwards says how and why generation ended.

    Attributes, filled in as it runs: ``prompt_ids``, ``new_ids`` (without the
    end-of-text token), ``text`` (the decode of ``new_ids``, equal to the
    concatenated pieces), ``seed`` (the one actually used), ``finish_reason``
    (None while running), ``notice`` (a sentence for the user when generation
    ended for a reason other than EOS or the requested length), ``seconds``.
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        prompt: str,
        settings: GenerationSettings,
        should_stop: Callable[[], bool],
    ) -> None:
        self.prompt = prompt
        self.settings = settings
        self.prompt_ids: list[int] = []
        self.new_ids: list[int] = []
        self.text = ""
        self.seed: int | None = settings.seed
        self.finish_reason: FinishReason | None = None
        self.notice: str | None = None
        self.seconds = 0.0
        self._pieces = self._run(model, tokenizer, should_stop)

    def __next__(self) -> str:
        return next(self._pieces)

    def close(self) -> None:
        self._pieces.close()

    @property
    def done(self) -> bool:
        return self.finish_reason is not None

    def result(self) -> dict[str, Any]:
        """The generation so far as a causal LM's prediction (what ``Predictor.predict`` returns, ``--json`` prints)."""
        return {
            "text": self.prompt,
            "continuation": self.text,
            "new_tokens": len(self.new_ids),
            "finish_reason": self.finish_reason,
            "seed": self.seed,
            "notice": self.notice,
        }

    def _run(self, model: Any, tokenizer: Any, should_stop: Callable[[], bool]) -> Iterator[str]:
        import torch

        started = time.perf_counter()
        settings = self.settings
        self.prompt_ids = ids = _prompt_ids(tokenizer, self.prompt)
        limit = max_positions(model.config)
        if limit is not None and len(ids) > limit:
            raise ConfigError(
                f"the prompt is {len(ids)} tokens but this model reads at most {limit} positions: shorten the prompt."
            )
        device = next(model.parameters()).device
        generator = torch.Generator()  # CPU: see next_token
        if settings.seed is None and not settings.greedy:  # greedy draws nothing: no seed to report
            # Fresh, recorded so the text can be reproduced, and short enough to type back in.
            self.seed = secrets.randbelow(RANDOM_SEED_LIMIT)
        if self.seed is not None:
            generator.manual_seed(self.seed)
        eos = _eos_ids(model, tokenizer)
        decoder = IncrementalDecoder(tokenizer)
        forward = _Forward(model)
        pending, fed = ids, 0
        reason: FinishReason = "max_new_tokens"
        for _ in range(settings.max_new_tokens):
            if should_stop():
                reason = "stopped"
                break
            if limit is not None and fed + len(pending) > limit:
                reason = "max_positions"
                break
            # Inference mode only around the model call: a `with` held across the yield
            # below would leak into the consumer's code between tokens.
            with torch.inference_mode():
                logits = forward(pending, device)
                token = next_token(logits, settings, generator)
            fed += len(pending)
            if token in eos:
                reason = "eos"
                break
            self.new_ids.append(token)
            pending = [token]
            piece = decoder.push(token)
            if piece:
                self.text = decoder.emitted
                yield piece
        tail = decoder.flush()
        self.text = decoder.emitted
        self.finish_reason = reason
        self.seconds = time.perf_counter() - started
        if reason == "max_positions":
            self.notice = (
                f"Stopped after {len(self.new_ids)} new tokens: this model reads at most {limit} positions "
                f"(the prompt took {len(ids)})."
            )
        elif reason == "stopped":
            self.notice = f"Stopped on request after {len(self.new_ids)} new tokens."
        if tail:
            yield tail


def generate_stream(
    model: Any,
    tokenizer: Any,
    prompt: str,
    settings: GenerationSettings | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> GenerationStream:
    """Continue ``prompt``, yielding decoded text pieces as tokens are produced.

    ``should_stop`` is checked before each token (from any thread: it is only
    read), so a Stop lands within one token. Errors a user can cause (an empty
    prompt without a start token, a prompt longer than the model's positions)
    raise ``ConfigError`` on the first ``next()``.
    """
    return GenerationStream(model, tokenizer, prompt, settings or GenerationSettings(), should_stop)
