"""Attention maps: shapes, normalisation, and equality with transformers' own eager attention."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.conftest import minilm_dir, shared
from workbench.engine.inspection.attention import (
    CAUSAL_NOTE,
    XLNET_NOTE,
    AttentionMaps,
    compute_attention,
    display_tokens,
    drop_special,
    mean_over_heads,
)
from workbench.engine.models.loading import load_pretrained, resolve_spec

TEXT = "a gorgeous , witty , seductive movie ."
PAIR = "the film is not bad at all"


def _texts() -> list[str]:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:400]
    return [line.split("\t")[0] for line in lines]


def _tiny_folder(kind: str, folder: Path) -> Path:
    """A random tiny checkpoint (hidden 32, 2 layers) with a tokenizer trained on SST-2 text."""
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        GPT2Config,
        GPT2LMHeadModel,
        XLNetConfig,
        XLNetForSequenceClassification,
    )

    from workbench.engine.models.presets import train_tokenizer

    tok = train_tokenizer("gpt" if kind == "gpt2" else "bert", _texts(), 500)
    torch.manual_seed(0)
    if kind == "bert":
        model = BertForSequenceClassification(
            BertConfig(
                vocab_size=len(tok),
                hidden_size=32,
                num_hidden_layers=2,
                num_attention_heads=4,
                intermediate_size=64,
                pad_token_id=tok.pad_token_id,
                num_labels=2,
            )
        )
    elif kind == "gpt2":
        model = GPT2LMHeadModel(
            GPT2Config(
                vocab_size=len(tok),
                n_embd=32,
                n_layer=2,
                n_head=2,
                n_positions=128,
                bos_token_id=tok.bos_token_id,
                eos_token_id=tok.eos_token_id,
                pad_token_id=tok.pad_token_id,
            )
        )
    else:
        model = XLNetForSequenceClassification(
            XLNetConfig(
                vocab_size=len(tok),
                d_model=32,
                n_layer=2,
                n_head=4,
                d_inner=64,
                pad_token_id=tok.pad_token_id,
                num_labels=2,
            )
        )
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


TASKS = {"bert": "classification", "gpt2": "causal-lm", "xlnet": "classification"}


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny")
    return {kind: _tiny_folder(kind, root / kind) for kind in TASKS}


def _reference(folder: Path, enc: dict) -> np.ndarray:
    """transformers' own eager attention, from a separately loaded model."""
    from transformers import AutoModel

    ref = AutoModel.from_pretrained(folder, attn_implementation="eager").eval()
    accepted = inspect.signature(ref.forward).parameters
    with torch.inference_mode():
        out = ref(**{k: v for k, v in enc.items() if k in accepted}, output_attentions=True)
    layers = [a[0] if isinstance(a, tuple) else a for a in out.attentions]
    return torch.stack(layers)[:, 0].float().numpy()  # (L, H, T, T)


def _check(
    maps: AttentionMaps, model, tokenizer, folder: Path, text: str, pair: str | None = None
) -> None:
    enc = (
        tokenizer(text, pair, return_tensors="pt") if pair else tokenizer(text, return_tensors="pt")
    )
    ids = enc["input_ids"][0].tolist()
    cfg = model.config
    layers = getattr(cfg, "num_hidden_layers", None) or cfg.n_layer
    heads = getattr(cfg, "num_attention_heads", None) or cfg.n_head
    T = len(ids)
    assert maps.attentions.shape == (layers, heads, T, T)
    assert maps.attentions.dtype == np.float32
    assert maps.tokens == tokenizer.convert_ids_to_tokens(ids)
    assert maps.special.shape == (T,) and maps.special.dtype == bool
    np.testing.assert_allclose(maps.attentions.sum(-1), 1.0, atol=1e-5)
    np.testing.assert_allclose(maps.attentions, _reference(folder, enc), atol=1e-5, rtol=0)
    assert maps.model_type == cfg.model_type


def test_bert_matches_eager_and_keeps_sdpa(checkpoints) -> None:
    folder = checkpoints["bert"]
    model = load_pretrained(resolve_spec(str(folder)), "classification")
    assert model.config._attn_implementation == "sdpa"
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder)
    maps = compute_attention(model, tok, TEXT)
    _check(maps, model, tok, folder, TEXT)
    assert maps.note == ""
    assert maps.special.tolist() == [True] + [False] * (len(maps.tokens) - 2) + [True]
    assert (maps.tokens[0], maps.tokens[-1]) == ("[CLS]", "[SEP]")
    # The shared model still predicts with SDPA; the eager twin is cached and shares weights.
    assert model.config._attn_implementation == "sdpa"
    assert all(
        layer.attention.self.config._attn_implementation == "sdpa"
        for layer in model.bert.encoder.layer
    )
    again = compute_attention(model, tok, TEXT)
    np.testing.assert_array_equal(again.attentions, maps.attentions)
    # A pair: both segments and the middle [SEP].
    pair = compute_attention(model, tok, TEXT, text_pair=PAIR)
    _check(pair, model, tok, folder, TEXT, PAIR)
    assert pair.special.sum() == 3


def test_weight_change_is_seen(checkpoints) -> None:
    folder = checkpoints["bert"]
    model = load_pretrained(resolve_spec(str(folder)), "classification")
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder)
    before = compute_attention(model, tok, TEXT).attentions
    with torch.no_grad():  # an optimizer step updates weights in place
        model.bert.encoder.layer[0].attention.self.query.weight.mul_(3.0)
    after = compute_attention(model, tok, TEXT).attentions
    assert not np.allclose(before[0], after[0], atol=1e-4)
    np.testing.assert_allclose(after.sum(-1), 1.0, atol=1e-5)


def test_gpt2_causal(checkpoints) -> None:
    folder = checkpoints["gpt2"]
    model = load_pretrained(resolve_spec(str(folder)), "causal-lm")
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder)
    maps = compute_attention(model, tok, TEXT)
    _check(maps, model, tok, folder, TEXT)
    T = len(maps.tokens)
    upper = np.triu(np.ones((T, T), dtype=bool), k=1)
    assert np.all(maps.attentions[..., upper] == 0.0)
    assert maps.note == CAUSAL_NOTE
    assert model.config._attn_implementation == "sdpa"
    assert not maps.special.any()
    assert display_tokens(maps.tokens)[1] == maps.tokens[1].lstrip("Ġ")


def test_xlnet_content_stream(checkpoints) -> None:
    folder = checkpoints["xlnet"]
    model = load_pretrained(resolve_spec(str(folder)), "classification")  # falls back to eager
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder)
    maps = compute_attention(model, tok, TEXT)
    _check(maps, model, tok, folder, TEXT)
    assert maps.note == XLNET_NOTE
    assert np.triu(maps.attentions, k=1).max() > 0  # bidirectional


def test_minilm(checkpoints) -> None:
    folder = minilm_dir()
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(folder, attn_implementation="sdpa").eval()
    tok = AutoTokenizer.from_pretrained(folder)
    maps = compute_attention(model, tok, "The quick brown fox jumps over the lazy dog.")
    _check(maps, model, tok, folder, "The quick brown fox jumps over the lazy dog.")
    assert maps.attentions.shape[:2] == (6, 12)
    assert model.config._attn_implementation == "sdpa"


def test_truncation_to_max_length(checkpoints) -> None:
    folder = checkpoints["bert"]
    model = load_pretrained(resolve_spec(str(folder)), "classification")
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder)
    maps = compute_attention(model, tok, " ".join([TEXT] * 40), max_length=64)
    assert maps.attentions.shape[-1] == 64 and len(maps.tokens) == 64
    assert maps.special[0] and maps.special[-1]


def test_mean_and_drop_special() -> None:
    rng = np.random.default_rng(0)
    raw = rng.random((2, 3, 5, 5)).astype(np.float32)
    att = raw / raw.sum(-1, keepdims=True)
    mean = mean_over_heads(att)
    assert mean.shape == (2, 5, 5)
    np.testing.assert_allclose(mean[1], att[1].mean(0), atol=1e-7)
    special = np.array([True, False, False, False, True])
    maps = AttentionMaps(["[CLS]", "a", "b", "c", "[SEP]"], att, special, "bert", "")
    tokens, sub = drop_special(maps, att[0, 0])
    assert tokens == ["a", "b", "c"]
    assert sub.shape == (3, 3)
    np.testing.assert_allclose(sub.sum(1), 1.0, atol=1e-6)
    expected = att[0, 0, 1:4, 1:4] / att[0, 0, 1:4, 1:4].sum(1, keepdims=True)
    np.testing.assert_allclose(sub, expected, atol=1e-6)
    # A row whose only weight was on special tokens stays 0 instead of dividing by zero.
    zero = att[0, 0].copy()
    zero[2] = [1.0, 0, 0, 0, 0]
    _, sub = drop_special(maps, zero)
    assert np.all(sub[1] == 0) and np.isfinite(sub).all()


def test_attention_while_another_thread_predicts(checkpoints) -> None:
    """The prediction thread's model and tokenizer are shared, never modified."""
    import threading

    from workbench.engine.inference import Predictor

    predictor = Predictor.load(checkpoints["bert"], task="classification")
    texts = [TEXT, PAIR, "an utterly dull film"]
    baseline = predictor.predict(texts)
    errors: list[BaseException] = []
    mismatches: list[int] = []
    stop = threading.Event()

    def predict_loop() -> None:
        try:
            while not stop.is_set():
                for want, got in zip(baseline, predictor.predict(texts)):
                    if abs(want["score"] - got["score"]) > 1e-6:
                        mismatches.append(1)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=predict_loop)
    thread.start()
    try:
        first = compute_attention(predictor.model, predictor.tokenizer, TEXT, text_pair=PAIR)
        for _ in range(5):
            again = compute_attention(predictor.model, predictor.tokenizer, TEXT, text_pair=PAIR)
            np.testing.assert_array_equal(again.attentions, first.attentions)
    finally:
        stop.set()
        thread.join(30)
    assert not errors and not mismatches
    assert predictor.model.config._attn_implementation == "sdpa"
