"""Fill-mask candidates: only tokens that can stand where the mask is."""

from __future__ import annotations

import torch

from tests.conftest import shared
from workbench.engine.inference import Predictor
from workbench.engine.models.loading import ModelSource, build_from_scratch


def _predictor() -> Predictor:
    lines = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:3000]
    model, tokenizer = build_from_scratch("bert-tiny", "masked-lm", lines, [], vocab_size=600,
                                          layers=1, hidden=32, heads=2, seed=0)
    return Predictor(model.eval(), tokenizer, "masked-lm", [], 64, ModelSource("folder", "test"))


def _all_scores(p: Predictor, text: str) -> torch.Tensor:
    inputs = p.inputs([text])
    position = (inputs["input_ids"][0] == p.tokenizer.mask_token_id).nonzero()[0, 0]
    with torch.inference_mode():
        return torch.softmax(p.model(**inputs).logits[0, position].float(), dim=-1)


def test_a_mask_that_is_a_word_gets_words_not_pieces_or_specials() -> None:
    p = _predictor()
    text = "I love [MASK] cats"
    fillers = p.predict([text], top_k=20)[0]["fillers"]
    vocab = p.tokenizer.get_vocab()
    probs = _all_scores(p, text)
    specials = set(p.tokenizer.all_special_tokens)
    allowed = sorted(
        (i for t, i in vocab.items() if not t.startswith("##") and t not in specials),
        key=lambda i: -probs[i].item(),
    )[:20]
    assert [f["token"] for f in fillers] == [p.tokenizer.decode([i]).strip() for i in allowed]
    # The scores are the model's probabilities over the whole vocabulary, not renormalised.
    assert [f["score"] for f in fillers] == [probs[i].item() for i in allowed]


def test_a_mask_inside_a_word_may_be_filled_with_a_piece() -> None:
    p = _predictor()
    text = "the king[MASK] is here"
    fillers = p.predict([text], top_k=10)[0]["fillers"]
    probs = _all_scores(p, text)
    specials = set(p.tokenizer.all_special_ids)
    expected = [i for i in probs.argsort(descending=True).tolist() if i not in specials][:10]
    assert [f["score"] for f in fillers] == [probs[i].item() for i in expected]
