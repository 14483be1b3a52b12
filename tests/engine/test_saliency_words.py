"""Saliency by word: pieces joined back into the words of the input, their attributions summed."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.conftest import minilm_dir, shared
from workbench.engine.inference import Predictor
from workbench.engine.inspection.saliency import (
    grad_x_input,
    group_words,
    integrated_gradients,
    token_words,
)
from workbench.engine.models.loading import ModelSource

TEXT = "Unbelievably moving films, truly great!"


def _sst2_texts(n: int) -> list[str]:
    rows = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1 : n + 1]
    return [row.split("\t")[0] for row in rows]


@pytest.fixture(scope="module")
def tokenizers() -> dict:
    """A real tokenizer of each piece convention: WordPiece "##", byte-level BPE "Ġ", SentencePiece "▁"."""
    from transformers import AutoTokenizer

    from workbench.engine.models.tokenizer_workshop import TokenizerOptions, train

    texts = _sst2_texts(2000)
    out = {"minilm": AutoTokenizer.from_pretrained(str(minilm_dir()))}
    for kind in ("wordpiece", "bpe", "unigram"):
        out[kind] = train(texts, TokenizerOptions(kind=kind, vocab_size=600)).hf
    return out


@pytest.mark.parametrize("name", ["minilm", "wordpiece", "bpe", "unigram"])
def test_words_come_from_the_tokenizer_and_sum_their_pieces(tokenizers, name) -> None:
    tok = tokenizers[name]
    enc = tok(TEXT, return_offsets_mapping=True, return_special_tokens_mask=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"])
    special = np.array(enc["special_tokens_mask"], dtype=bool)
    assert len(tokens) - special.sum() > 7  # some words are split into pieces
    values = np.random.default_rng(0).normal(size=len(tokens))
    keys, spans = token_words(enc)
    words = group_words(tokens, values, special, keys=keys, spans=spans, texts=(TEXT,))
    # Every content token in exactly one word, in order; specials in none.
    covered = [i for w in words for i in w.tokens]
    assert covered == [i for i in range(len(tokens)) if not special[i]]
    for word in words:
        assert word.attribution == pytest.approx(values[list(word.tokens)].sum())
    assert sum(w.attribution for w in words) == pytest.approx(values[~special].sum())
    # Written as in the input (case kept, no markers); rebuilt with their spaces, the text itself.
    texts = [w.text for w in words]
    assert texts[0] == "Unbelievably" and "truly" in texts
    assert "".join((" " if w.space_before else "") + w.text for w in words) == TEXT


@pytest.mark.parametrize(("name", "marker"), [("wordpiece", "##"), ("bpe", "Ġ"), ("unigram", "▁")])
def test_without_word_ids_the_piece_markers_give_the_same_words(tokenizers, name, marker) -> None:
    tok = tokenizers[name]
    enc = tok(TEXT, return_offsets_mapping=True, return_special_tokens_mask=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"])
    assert any(marker in t for t in tokens)
    special = np.array(enc["special_tokens_mask"], dtype=bool)
    values = np.arange(len(tokens), dtype=float)
    keys, spans = token_words(enc)
    by_ids = group_words(tokens, values, special, keys=keys, spans=spans, texts=(TEXT,))
    by_markers = group_words(tokens, values, special)  # a slow tokenizer gives no word ids
    # The first word is the same pieces (its text may show "[UNK]" where ids know the input's "U").
    assert by_markers[0].tokens == by_ids[0].tokens and by_markers[1].text == "moving"
    # Marker grouping may attach punctuation to its word ("films,"), never split a word.
    assert {w.tokens[0] for w in by_markers} <= {w.tokens[0] for w in by_ids}
    for word in by_markers:
        assert word.attribution == pytest.approx(values[list(word.tokens)].sum())


def test_chinese_without_offsets_reads_as_written() -> None:
    tokens = ["[CLS]", "这", "家", "酒", "店", "很", "干", "净", "，", "good", "##s", "[SEP]"]
    special = np.array([1] + [0] * 10 + [1], dtype=bool)
    words = group_words(tokens, np.ones(len(tokens)), special)
    assert "".join((" " if w.space_before else "") + w.text for w in words) == "这家酒店很干净，goods"
    assert words[-1].text == "goods" and words[-1].attribution == 2.0


@pytest.fixture(scope="module")
def tiny_bert() -> Predictor:
    """A random 2-layer BERT classifier with a WordPiece vocabulary trained on SST-2 text."""
    from transformers import BertConfig, BertForSequenceClassification

    from workbench.engine.models.loading import fit_tokenizer_to_model
    from workbench.engine.models.presets import train_tokenizer

    tok = train_tokenizer("bert", _sst2_texts(300), 400)
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, pad_token_id=tok.pad_token_id, num_labels=2))  # fmt: skip
    model.eval()
    fit_tokenizer_to_model(model, tok)
    return Predictor(model, tok, "classification", ["neg", "pos"], 128, ModelSource("folder", "bert"))


def test_attribution_words_keep_completeness(tiny_bert) -> None:
    attribution = integrated_gradients(tiny_bert, TEXT, steps=16)
    words = attribution.words
    assert any(len(w.tokens) > 1 for w in words)  # the small vocabulary splits words
    assert [w.text for w in words][:2] == ["Unbelievably", "moving"]
    # The words' attributions add up to the tokens' (and so to f(input) - f(baseline) - delta).
    assert sum(w.attribution for w in words) == pytest.approx(float(attribution.attributions.sum()))


def test_a_text_pair_keeps_its_two_texts_apart(tiny_bert) -> None:
    attribution = grad_x_input(tiny_bert, "a fine film", text_pair="fine acting")
    words = attribution.words
    assert [w.text for w in words] == ["a", "fine", "film", "fine", "acting"]
    assert attribution.texts == ("a fine film", "fine acting")
    assert words[3].space_before  # the second text starts a new word, even after [SEP]
