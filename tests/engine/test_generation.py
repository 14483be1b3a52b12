"""Streaming generation: greedy equals transformers' generate, sampling is filtered and seeded,
pieces decode incrementally (multi-byte characters included), Stop and the position limit end it."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared
from workbench.engine.errors import ConfigError
from workbench.engine.generation import (
    GenerationSettings,
    IncrementalDecoder,
    decode_ids,
    generate_stream,
    top_k_filter,
    top_p_filter,
)
from workbench.engine.models.presets import train_tokenizer


@pytest.fixture(scope="module")
def tokenizer():
    """Byte-level BPE (the gpt presets' tokenizer) trained on English and Chinese, so that
    rare Chinese characters and emoji fall back to byte tokens."""
    english = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:400]
    chinese = shared("zh_songci", "songci_lines.txt").read_text(encoding="utf-8").splitlines()[:400]
    return train_tokenizer("gpt", english + chinese + ["emoji 😀🎉 test"] * 3, vocab_size=600)


def tiny_gpt2(tokenizer, *, positions: int = 128, seed: int = 0):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_embd=32,
        n_layer=2,
        n_head=2,
        n_positions=positions,
        bos_token_id=tokenizer.eos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.eos_token_id,
    )
    return GPT2LMHeadModel(config).eval()


@pytest.fixture(scope="module")
def model(tokenizer):
    return tiny_gpt2(tokenizer)


def until_eos(ids: list[int], eos: int) -> list[int]:
    """generate() keeps the EOS it stopped at; the stream drops it."""
    return ids[: ids.index(eos)] if eos in ids else ids


def run(model, tokenizer, prompt: str, **kwargs):
    stream = generate_stream(model, tokenizer, prompt, GenerationSettings(**kwargs))
    pieces = list(stream)
    return stream, pieces


@pytest.mark.parametrize("prompt", ["To be, or not", "ROMEO: 春风 😀"])
def test_greedy_equals_transformers_generate(model, tokenizer, prompt) -> None:
    stream, pieces = run(model, tokenizer, prompt, max_new_tokens=30)
    ids = torch.tensor([tokenizer(prompt)["input_ids"]])
    reference = model.generate(
        ids,
        attention_mask=torch.ones_like(ids),
        max_new_tokens=30,
        do_sample=False,
        pad_token_id=tokenizer.eos_token_id,
    )[0, ids.shape[1] :].tolist()
    reference = until_eos(reference, tokenizer.eos_token_id)
    assert stream.new_ids == reference and len(reference) > 0
    assert "".join(pieces) == stream.text == decode_ids(tokenizer, reference)
    assert stream.finish_reason in ("max_new_tokens", "eos") and stream.seed is None


def test_each_new_token_costs_one_position(model, tokenizer) -> None:
    lengths: list[int] = []
    hook = model.register_forward_pre_hook(
        lambda _m, _a, kw: lengths.append(kw["input_ids"].shape[1]), with_kwargs=True
    )
    try:
        stream, _ = run(model, tokenizer, "To be, or not to be", max_new_tokens=8)
    finally:
        hook.remove()
    prompt_len = len(stream.prompt_ids)
    assert (
        prompt_len > 1 and lengths == [prompt_len] + [1] * (len(lengths) - 1) and len(lengths) == 8
    )


def test_top_k_one_sampling_equals_greedy(model, tokenizer) -> None:
    greedy, _ = run(model, tokenizer, "Now is the winter", max_new_tokens=20)
    sampled, _ = run(
        model, tokenizer, "Now is the winter", max_new_tokens=20, temperature=1.0, top_k=1, seed=3
    )
    assert sampled.new_ids == greedy.new_ids


def test_seed_reproduces_and_differs(model, tokenizer) -> None:
    first, _ = run(model, tokenizer, "Friends,", max_new_tokens=25, temperature=1.0, seed=7)
    again, _ = run(model, tokenizer, "Friends,", max_new_tokens=25, temperature=1.0, seed=7)
    other, _ = run(model, tokenizer, "Friends,", max_new_tokens=25, temperature=1.0, seed=8)
    assert first.text == again.text and first.new_ids == again.new_ids
    assert other.new_ids != first.new_ids
    unseeded, _ = run(model, tokenizer, "Friends,", max_new_tokens=25, temperature=1.0)
    replay, _ = run(
        model, tokenizer, "Friends,", max_new_tokens=25, temperature=1.0, seed=unseeded.seed
    )
    assert replay.new_ids == unseeded.new_ids  # the recorded seed reproduces a random run


def test_top_p_keeps_smallest_set_reaching_p() -> None:
    from transformers.generation.logits_process import TopPLogitsWarper

    probs = torch.tensor([0.05, 0.5, 0.15, 0.2, 0.1])  # sorted: 0.5, 0.2, 0.15, 0.1, 0.05
    logits = probs.log()
    expected = {0.3: {1}, 0.6: {1, 3}, 0.8: {1, 3, 2}, 0.9: {1, 3, 2, 4}, 0.97: {0, 1, 2, 3, 4}}
    for p, keep in expected.items():
        ours = top_p_filter(logits, p)
        assert {i for i, v in enumerate(ours.tolist()) if v != float("-inf")} == keep, p
        theirs = TopPLogitsWarper(p)(None, logits[None])[0]
        assert torch.equal(ours.isinf(), theirs.isinf()), p
    generator = torch.Generator().manual_seed(0)
    for _ in range(50):  # random distributions, batched
        scores = torch.randn(4, 200, generator=generator) * 3
        p = float(torch.rand(1, generator=generator)) * 0.98 + 0.01
        assert torch.equal(
            top_p_filter(scores, p).isinf(), TopPLogitsWarper(p)(None, scores).isinf()
        )


def test_top_k_matches_transformers() -> None:
    from transformers.generation.logits_process import TopKLogitsWarper

    scores = torch.randn(3, 100, generator=torch.Generator().manual_seed(1))
    for k in (1, 5, 50):
        assert torch.equal(
            top_k_filter(scores, k).isinf(), TopKLogitsWarper(k)(None, scores).isinf()
        )
        assert (~top_k_filter(scores, k).isinf()).sum(-1).tolist() == [k] * 3


def test_should_stop_ends_within_one_token(model, tokenizer) -> None:
    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    stream = generate_stream(
        model, tokenizer, "Good morrow", GenerationSettings(max_new_tokens=50), should_stop
    )
    pieces = list(stream)
    assert len(stream.new_ids) == 3 and stream.finish_reason == "stopped"
    assert "".join(pieces) == decode_ids(tokenizer, stream.new_ids)
    assert "3 new tokens" in stream.notice


def test_stops_at_model_max_positions(tokenizer) -> None:
    small = tiny_gpt2(tokenizer, positions=16)
    prompt = "to be or not to be that is the"
    prompt_len = len(tokenizer(prompt)["input_ids"])
    assert prompt_len < 16
    stream, pieces = run(small, tokenizer, prompt, max_new_tokens=100)
    # The last position's logits give one token beyond the limit; feeding it back would not fit.
    assert len(stream.new_ids) == 16 - prompt_len + 1
    assert stream.finish_reason == "max_positions" and "16 positions" in stream.notice
    with pytest.raises(ConfigError, match="at most 16 positions"):
        list(generate_stream(small, tokenizer, "word " * 40, GenerationSettings()))


def test_empty_prompt_starts_from_end_of_text(model, tokenizer) -> None:
    stream, pieces = run(model, tokenizer, "", max_new_tokens=5)
    start = torch.tensor([[tokenizer.eos_token_id]])
    reference = model.generate(
        start,
        attention_mask=torch.ones_like(start),
        max_new_tokens=5,
        do_sample=False,
        pad_token_id=tokenizer.eos_token_id,
    )[0, 1:].tolist()
    assert stream.prompt_ids == [tokenizer.eos_token_id]
    assert stream.new_ids == until_eos(reference, tokenizer.eos_token_id)


def test_multibyte_character_is_yielded_only_when_complete() -> None:
    """A tokenizer with no merges splits 😀 into its 4 UTF-8 bytes: nothing shows until the last."""
    bytes_only = train_tokenizer("gpt", ["ab"], vocab_size=10)
    ids = bytes_only("a😀中b", add_special_tokens=False)["input_ids"]
    decoder = IncrementalDecoder(bytes_only)
    pieces = [decoder.push(i) for i in ids] + [decoder.flush()]
    assert len(ids) == 10  # space, a, 4 + 3 bytes, b
    assert pieces == [" ", "a", "", "", "", "😀", "", "", "中", "b", ""]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=599), min_size=1, max_size=40))
def test_streamed_pieces_concatenate_to_the_full_decode(tokenizer, ids) -> None:
    decoder = IncrementalDecoder(tokenizer)
    pieces = [decoder.push(i) for i in ids] + [decoder.flush()]
    assert "".join(pieces) == decode_ids(tokenizer, ids)


def test_sampled_chinese_stream_concatenates(model, tokenizer) -> None:
    stream, pieces = run(model, tokenizer, "春风", max_new_tokens=60, temperature=1.5, seed=11)
    assert "".join(pieces) == decode_ids(tokenizer, stream.new_ids) == stream.text
    assert len(pieces) > 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"temperature": -0.1},
        {"temperature": float("nan")},
        {"temperature": float("inf")},
        {"temperature": "hot"},
        {"top_k": -1},
        {"top_k": 2.5},
        {"top_p": 0.0},
        {"top_p": 1.5},
        {"max_new_tokens": 0},
        {"max_new_tokens": 10**9},
        {"seed": -1},
        {"seed": True},
    ],
)
def test_nonsense_settings_are_config_errors(kwargs) -> None:
    with pytest.raises(ConfigError):
        GenerationSettings(**kwargs)
