"""Token saliency: completeness of integrated gradients on a fine-tuned MiniLM, grad x input by hand."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
import torch

from tests.conftest import minilm_dir, shared
from workbench.engine.errors import ConfigError, ModelError
from workbench.engine.inference import Predictor
from workbench.engine.inspection.saliency import (
    DEFAULT_STEPS,
    Attribution,
    explain_file,
    grad_x_input,
    integrated_gradients,
    quadrature,
)
from workbench.engine.models.loading import ModelSource


def _sst2(name: str, n: int) -> list[str]:
    return shared("sst2", name).read_text(encoding="utf-8").splitlines()[1 : n + 1]


@pytest.fixture(scope="module")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> Predictor:
    """MiniLM fine-tuned on the first 800 SST-2 rows for 40 steps (~0.8 dev accuracy)."""
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    folder = tmp_path_factory.mktemp("saliency")
    data = folder / "train.tsv"
    data.write_text("sentence\tlabel\n" + "\n".join(_sst2("train.tsv", 800)) + "\n", encoding="utf-8")
    out = folder / "run"
    # eval_every=40: one evaluation (and one checkpoint) at the end, not ten. One thread: on two
    # shared cores, OpenMP threads spin-waiting for each other cost more than they gain (17 s vs 30 s).
    config = TrainConfig(data=str(data), model=str(minilm_dir()), max_steps=40, batch_size=16, lr=1e-4,
                         eval_every=40, num_threads=1, output=str(out))
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished"
    return Predictor.load(out)


def _dev_sentences(n: int = 20) -> list[str]:
    return [line.split("\t")[0] for line in _sst2("dev.tsv", n)]


def _tiny(kind: str) -> Predictor:
    """A random 2-layer BERT or GPT-2 classifier with a tokenizer trained on SST-2 text."""
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        GPT2Config,
        GPT2ForSequenceClassification,
    )

    from workbench.engine.models.loading import fit_tokenizer_to_model
    from workbench.engine.models.presets import train_tokenizer

    texts = [line.split("\t")[0] for line in _sst2("train.tsv", 300)]
    tok = train_tokenizer("gpt" if kind == "gpt2" else "bert", texts, 400)
    torch.manual_seed(0)
    if kind == "bert":
        model = BertForSequenceClassification(BertConfig(
            vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
            intermediate_size=64, pad_token_id=tok.pad_token_id, num_labels=2))
    else:
        model = GPT2ForSequenceClassification(GPT2Config(
            vocab_size=len(tok), n_embd=32, n_layer=2, n_head=4, n_positions=128, num_labels=2,
            bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id))
    model.eval()
    fit_tokenizer_to_model(model, tok)
    return Predictor(model, tok, "classification", ["neg", "pos"], 128, ModelSource("folder", kind))


# --------------------------------------------------------------------------- MiniLM


def test_ig_completeness_on_sst2_dev(minilm: Predictor) -> None:
    """Default steps: |sum(attr) - (f(x) - f(x'))| <= 5% of |sum(attr)| on every one of 20 sentences."""
    worst = 0.0
    for sentence in _dev_sentences(20):
        a = integrated_gradients(minilm, sentence)
        assert a.method == "ig" and a.steps == DEFAULT_STEPS and a.baseline == "pad"
        assert a.attributions.dtype == np.float64 and a.attributions.shape == (len(a.tokens),)
        assert a.tokens[0] == "[CLS]" and a.tokens[-1] == "[SEP]"
        # Special tokens are kept in the baseline, so they receive exactly nothing.
        assert a.special is not None and np.all(a.attributions[a.special] == 0)
        assert a.target in minilm.label_names and a.delta is not None
        ratio = abs(a.delta) / abs(a.attributions.sum())
        worst = max(worst, ratio)
        assert ratio <= 0.05, (sentence, a.delta, a.attributions.sum())
    print(f"max |delta|/|sum| over 20 SST-2 dev sentences: {worst:.5f}")


def test_ig_explains_the_predicted_class_by_default(minilm: Predictor) -> None:
    sentences = _dev_sentences(4)
    predicted = [p["label"] for p in minilm.predict(sentences)]
    for sentence, label in zip(sentences, predicted):
        a = integrated_gradients(minilm, sentence, steps=16)
        assert a.target == label
        assert a.probability == pytest.approx(minilm.predict([sentence])[0]["score"], abs=1e-5)


def test_target_by_name_and_by_index_agree(minilm: Predictor) -> None:
    sentence = _dev_sentences(1)[0]
    for index, name in enumerate(minilm.label_names):
        by_name = grad_x_input(minilm, sentence, target=name)
        by_index = grad_x_input(minilm, sentence, target=index)
        assert by_name.target == by_index.target == name and by_name.target_index == index
        np.testing.assert_array_equal(by_name.attributions, by_index.attributions)
        ig_name = integrated_gradients(minilm, sentence, target=name, steps=8)
        ig_index = integrated_gradients(minilm, sentence, target=index, steps=8)
        np.testing.assert_array_equal(ig_name.attributions, ig_index.attributions)
    # For a binary classifier the two logits' attributions differ (they are different functions).
    a0 = grad_x_input(minilm, sentence, target=0).attributions
    a1 = grad_x_input(minilm, sentence, target=1).attributions
    assert not np.allclose(a0, a1)


def test_explaining_leaves_the_model_untouched(minilm: Predictor) -> None:
    sentences = _dev_sentences(5)
    before = minilm.predict(sentences)
    impl = minilm.model.config._attn_implementation
    list(explain_file(minilm, sentences[:2], "ig", steps=8))
    grad_x_input(minilm, sentences[0])
    assert all(p.grad is None for p in minilm.model.parameters())
    assert not minilm.model.training and minilm.model.config._attn_implementation == impl
    after = minilm.predict(sentences)
    for b, a in zip(before, after):
        assert a["label"] == b["label"]
        assert a["probabilities"] == pytest.approx(b["probabilities"], abs=1e-6)


def test_unknown_target_lists_the_labels(minilm: Predictor) -> None:
    with pytest.raises(ModelError, match=r"unknown target 'great'.*0=0, 1=1"):
        grad_x_input(minilm, "fine", target="great")
    with pytest.raises(ModelError, match="unknown target 5"):
        integrated_gradients(minilm, "fine", target=5)


# --------------------------------------------------------------------------- tiny models


def test_grad_x_input_equals_a_hand_computation() -> None:
    """The gradient w.r.t. the embedding *matrix* row of a token equals the one w.r.t. its position
    when every token of the text is distinct: an independent path through ``input_ids``."""
    predictor = _tiny("bert")
    text = "a gorgeous , witty movie"
    a = grad_x_input(predictor, text, target="pos")
    ids = predictor.tokenizer(text, return_tensors="pt")["input_ids"]  # (1, T)
    assert len(set(ids[0].tolist())) == ids.shape[1], "the test needs distinct tokens"
    ref = copy.deepcopy(predictor.model)
    ref.zero_grad()
    ref(input_ids=ids).logits[0, 1].backward()
    weight = ref.get_input_embeddings().weight  # (V, D)
    expected = (weight.grad[ids[0]] * weight.detach()[ids[0]]).sum(-1).double().numpy()  # (T,)
    np.testing.assert_allclose(a.attributions, expected, rtol=1e-5, atol=1e-7)
    assert a.tokens == predictor.tokenizer.convert_ids_to_tokens(ids[0].tolist())
    assert a.method == "grad-x-input" and a.delta is None and a.target_index == 1


@pytest.mark.parametrize("kind", ["bert", "gpt2"])
def test_ig_on_tiny_models(kind: str) -> None:
    predictor = _tiny(kind)
    text = "the film is not bad at all"
    a = integrated_gradients(predictor, text)
    assert a.attributions.shape == (len(a.tokens),)
    assert abs(a.delta) <= 0.05 * abs(a.attributions.sum())
    # The byte-level BPE tokenizer has no mask token (test_gpt2_without_mask_token_says_so).
    for baseline in ("zero", "mask") if kind == "bert" else ("zero",):
        b = integrated_gradients(predictor, text, baseline=baseline)
        assert b.baseline == baseline and abs(b.delta) <= 0.05 * abs(b.attributions.sum()) + 1e-6
    g = grad_x_input(predictor, text)
    assert g.tokens == a.tokens


def test_gpt2_without_mask_token_says_so() -> None:
    predictor = _tiny("gpt2")
    assert predictor.tokenizer.mask_token is None
    with pytest.raises(ModelError, match="no mask token"):
        integrated_gradients(predictor, "fine", baseline="mask")


def test_model_in_training_mode_is_explained_in_eval_mode_and_stays_in_training() -> None:
    predictor = _tiny("bert")
    ref = grad_x_input(predictor, "a witty movie").attributions
    predictor.model.train()  # as while a trainer runs: dropout on
    again = [grad_x_input(predictor, "a witty movie").attributions for _ in range(2)]
    assert predictor.model.training
    for got in again:
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-7)


def test_other_tasks_and_bad_options_are_refused() -> None:
    predictor = _tiny("bert")
    for task in ("token-classification", "masked-lm", "causal-lm"):
        other = dataclasses.replace(predictor, task=task)
        with pytest.raises(ModelError, match="saliency is available for classification models"):
            grad_x_input(other, "fine")
        with pytest.raises(ModelError, match="classification models"):
            next(explain_file(other, ["fine"]))
    with pytest.raises(ConfigError, match="baseline"):
        integrated_gradients(predictor, "fine", baseline="noise")
    with pytest.raises(ConfigError, match="steps"):
        integrated_gradients(predictor, "fine", steps=0)
    with pytest.raises(ConfigError, match="method"):
        next(explain_file(predictor, ["fine"], "lime"))


def test_explain_file_yields_one_attribution_per_text() -> None:
    predictor = _tiny("bert")
    texts = ["a witty movie", "dull", "not bad at all"]
    out = list(explain_file(predictor, texts, "grad-x-input", target="neg"))
    assert [type(a) for a in out] == [Attribution] * 3
    assert [a.target for a in out] == ["neg"] * 3
    assert [len(a.tokens) for a in out] == [len(predictor.tokenizer(t)["input_ids"]) for t in texts]


def test_quadrature_rules_integrate_exactly_what_they_should() -> None:
    for rule in ("gauss-legendre", "trapezoid"):
        alphas, weights = quadrature(16, rule)
        assert weights.sum() == pytest.approx(1.0) and alphas.min() >= 0 and alphas.max() <= 1
    alphas, weights = quadrature(4, "gauss-legendre")
    assert float((weights * alphas**7).sum()) == pytest.approx(1 / 8)  # degree 2n-1 exact


def test_saliency_runs_under_inference_mode(minilm: Predictor) -> None:
    """The GUI may call from code already inside torch.inference_mode()."""
    sentence = _dev_sentences(1)[0]
    ref = grad_x_input(minilm, sentence).attributions
    with torch.inference_mode():
        got = grad_x_input(minilm, sentence).attributions
        ig = integrated_gradients(minilm, sentence, steps=8)
    np.testing.assert_allclose(got, ref, rtol=1e-6)
    assert np.isfinite(ig.attributions).all()
