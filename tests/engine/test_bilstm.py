"""The BiLSTM baseline: shapes, losses, padding invariance, save/load, refusals, saliency, training."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.conftest import shared
from workbench.engine.errors import ConfigError, ModelError
from workbench.engine.inference import Predictor
from workbench.engine.models.bilstm import (
    MODEL_TYPE,
    BiLSTMConfig,
    BiLSTMForSequenceClassification,
    BiLSTMForTokenClassification,
)
from workbench.engine.models.loading import (
    ModelSource,
    build_from_scratch,
    load_pretrained,
    load_tokenizer,
    resolve_spec,
)
from workbench.engine.models.presets import PRESETS
from workbench.engine.training.config import TrainConfig


def _config(**kw: object) -> BiLSTMConfig:
    base: dict[str, object] = dict(vocab_size=50, embedding_size=12, hidden_size=16, num_hidden_layers=2,
                                   num_labels=3, pad_token_id=0)
    return BiLSTMConfig(**{**base, **kw})


def _batch(lengths: list[int], vocab: int = 50, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded ids (pad 0) and mask for rows of the given lengths."""
    gen = torch.Generator().manual_seed(seed)
    T = max(lengths)
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    mask = torch.zeros(len(lengths), T, dtype=torch.long)
    for row, n in enumerate(lengths):
        ids[row, :n] = torch.randint(1, vocab, (n,), generator=gen)
        mask[row, :n] = 1
    return ids, mask


def _sst2(name: str, n: int) -> list[str]:
    return shared("sst2", name).read_text(encoding="utf-8").splitlines()[1 : n + 1]


# --------------------------------------------------------------------------- the modules


def test_classifier_shapes_and_cross_entropy_loss() -> None:
    torch.manual_seed(0)
    model = BiLSTMForSequenceClassification(_config()).eval()
    ids, mask = _batch([5, 3, 7])
    labels = torch.tensor([0, 2, 1])
    out = model(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids), labels=labels)
    assert out.logits.shape == (3, 3)
    assert torch.allclose(out.loss, torch.nn.functional.cross_entropy(out.logits, labels))
    assert out.attentions is None
    hidden = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states
    # embeddings + one output per layer; the LSTM outputs are 2 x hidden wide and 0 at padding
    assert [tuple(h.shape) for h in hidden] == [(3, 7, 12), (3, 7, 32), (3, 7, 32)]
    assert hidden[-1][1, 3:].abs().max() == 0


def test_classifier_follows_transformers_problem_types() -> None:
    torch.manual_seed(0)
    ids, mask = _batch([4, 6])
    regression = BiLSTMForSequenceClassification(_config(num_labels=1)).eval()
    out = regression(input_ids=ids, attention_mask=mask, labels=torch.tensor([0.5, -1.0]))
    assert torch.allclose(out.loss, torch.nn.functional.mse_loss(out.logits.squeeze(), torch.tensor([0.5, -1.0])))
    multi = BiLSTMForSequenceClassification(_config(problem_type="multi_label_classification")).eval()
    targets = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    out = multi(input_ids=ids, attention_mask=mask, labels=targets)
    assert torch.allclose(out.loss, torch.nn.functional.binary_cross_entropy_with_logits(out.logits, targets))


def test_tagger_loss_ignores_minus_100() -> None:
    torch.manual_seed(0)
    model = BiLSTMForTokenClassification(_config(num_labels=5)).eval()
    ids, mask = _batch([6, 4])
    labels = torch.randint(0, 5, ids.shape)
    labels[mask == 0] = -100
    labels[:, 0] = -100  # special tokens, as encode() marks them
    out = model(input_ids=ids, attention_mask=mask, labels=labels)
    assert out.logits.shape == (2, 6, 5)
    keep = labels != -100
    expected = torch.nn.functional.cross_entropy(out.logits[keep], labels[keep])
    assert torch.allclose(out.loss, expected)


@pytest.mark.parametrize("head", [BiLSTMForSequenceClassification, BiLSTMForTokenClassification])
def test_padding_changes_nothing_for_the_real_tokens(head: type) -> None:
    """Each row alone (no padding) gives the logits it gets inside a padded batch."""
    torch.manual_seed(0)
    model = head(_config()).eval()
    lengths = [7, 2, 5, 1]
    ids, mask = _batch(lengths)
    with torch.no_grad():
        batched = model(input_ids=ids, attention_mask=mask).logits
        for row, n in enumerate(lengths):
            alone = model(input_ids=ids[row : row + 1, :n], attention_mask=mask[row : row + 1, :n]).logits
            got = batched[row : row + 1, :n] if head is BiLSTMForTokenClassification else batched[row : row + 1]
            torch.testing.assert_close(got, alone, rtol=1e-5, atol=1e-6)
        # Extra padding columns change nothing either.
        wider = model(input_ids=torch.nn.functional.pad(ids, (0, 3)),
                      attention_mask=torch.nn.functional.pad(mask, (0, 3))).logits
    torch.testing.assert_close(wider[:, : ids.shape[1]] if wider.dim() == 3 else wider, batched)


def test_attention_and_left_padding_are_refused_clearly() -> None:
    model = BiLSTMForSequenceClassification(_config()).eval()
    ids, mask = _batch([3, 5])
    with pytest.raises(ModelError, match="a BiLSTM has no attention"):
        model(input_ids=ids, attention_mask=mask, output_attentions=True)
    left = torch.flip(mask, dims=[1])
    with pytest.raises(ModelError, match="padded on the right"):
        model(input_ids=ids, attention_mask=left)


def test_freeze_layers_finds_the_lstm_layers() -> None:
    from workbench.engine.training.optim import freeze

    model = BiLSTMForSequenceClassification(_config())
    freeze(model, embeddings=True, layers=1)
    frozen = {name for name, p in model.named_parameters() if not p.requires_grad}
    assert frozen and all(n.startswith(("bilstm.embeddings", "bilstm.layers.0.")) for n in frozen)
    assert any(n.startswith("bilstm.layers.0.") for n in frozen)
    assert all(p.requires_grad for n, p in model.named_parameters() if n.startswith("bilstm.layers.1."))


# --------------------------------------------------------------------------- the preset, saving, loading


@pytest.fixture(scope="module")
def tagger_texts() -> list[str]:
    return [line.split("\t")[0] for line in _sst2("train.tsv", 300)]


def test_preset_builds_deterministically_and_round_trips_through_the_loading_path(
    tmp_path: Path, tagger_texts: list[str]
) -> None:
    from workbench.engine.models.saving import save_model_folder

    model, tok = build_from_scratch("bilstm", "classification", tagger_texts, ["neg", "pos"], vocab_size=600,
                                    seed=3)
    again, _ = build_from_scratch("bilstm", "classification", tagger_texts, ["neg", "pos"], vocab_size=600,
                                  seed=3)
    assert type(model).__name__ == "BiLSTMForSequenceClassification"
    assert model.config.embedding_size == PRESETS["bilstm"].embedding
    assert model.config.hidden_size == PRESETS["bilstm"].hidden
    for (name, a), (_, b) in zip(model.state_dict().items(), again.state_dict().items()):
        assert torch.equal(a, b), name
    assert tok.padding_side == "right" and tok.cls_token == "[CLS]"  # the BERT presets' WordPiece

    folder = tmp_path / "model"
    save_model_folder(folder, model, tok, {"task": "classification", "label_names": ["neg", "pos"],
                                           "max_length": 64})
    config = json.loads((folder / "config.json").read_text())
    assert config["model_type"] == MODEL_TYPE and "auto_map" not in config
    assert (folder / "model.safetensors").is_file() and not (folder / "pytorch_model.bin").exists()
    loaded = load_pretrained(resolve_spec(str(folder)), "classification")  # trust_remote_code stays False
    tok2 = load_tokenizer(resolve_spec(str(folder)))
    enc = tok2(["a gorgeous , witty movie", "dull"], padding=True, return_tensors="pt")
    model.eval()
    loaded.eval()
    with torch.no_grad():
        torch.testing.assert_close(loaded(**enc).logits, model(**enc).logits, rtol=0, atol=0)
    assert loaded.config.id2label == {0: "neg", 1: "pos"}


def test_a_saved_bilstm_loads_in_a_fresh_process(tmp_path: Path, tagger_texts: list[str]) -> None:
    """Registration is lazy (importing the engine stays torch-free) but happens before any load."""
    from workbench.engine.models.saving import save_model_folder

    model, tok = build_from_scratch("bilstm", "token-classification", tagger_texts, ["O", "X"], vocab_size=600)
    save_model_folder(tmp_path / "m", model, tok, {"task": "token-classification", "label_names": ["O", "X"],
                                                   "max_length": 64})
    code = (
        "import sys; import workbench.engine.models.loading, workbench.engine.training.config as c; "
        "c.TrainConfig(data='x', model='bilstm').problems(); light = 'torch' not in sys.modules; "
        "from workbench.engine.inference import Predictor; "
        f"p = Predictor.load({str(tmp_path / 'm')!r}); "
        "print(light, type(p.model).__name__, p.predict(['a witty movie'])[0]['tags'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    light, name, tags = out.stdout.split(" ", 2)
    assert light == "True" and name == "BiLSTMForTokenClassification"
    assert len(eval(tags)) == 3  # noqa: S307 - our own repr of a list of tag strings


@pytest.mark.parametrize("task", ["masked-lm", "causal-lm"])
def test_language_model_tasks_are_refused_with_what_to_choose(task: str, tagger_texts: list[str]) -> None:
    problems = TrainConfig(data="x.tsv", model="bilstm", task=task).problems()
    assert any(p.startswith("task: bilstm") and task in p and "classification or token-classification" in p
               and "BERT / GPT preset" in p for p in problems), problems
    with pytest.raises(ConfigError, match=f"cannot learn {task}"):
        TrainConfig(data="x.tsv", model="bilstm", task=task).validate()
    with pytest.raises(ConfigError, match="choose classification or token-classification"):
        build_from_scratch("bilstm", task, tagger_texts)
    assert TrainConfig(data="x.tsv", model="bilstm", task="token-classification").problems() == []
    assert any(p.startswith("heads:") for p in TrainConfig(data="x.tsv", model="bilstm", heads=4).problems())


def test_the_automatic_learning_rate_is_the_presets() -> None:
    """5e-3 for the BiLSTM (1e-3 leaves it far behind in a short run), 1e-3 for the transformers."""
    assert TrainConfig(model="bilstm").resolved_lr(True, 1_800_000) == PRESETS["bilstm"].lr == 5e-3
    assert TrainConfig(model="bert-tiny").resolved_lr(True, 1_500_000) == 1e-3
    assert TrainConfig(model="bilstm", lr=2e-3).resolved_lr(True, 1_800_000) == 2e-3


# --------------------------------------------------------------------------- inspection


def _predictor(texts: list[str]) -> Predictor:
    model, tok = build_from_scratch("bilstm", "classification", texts, ["neg", "pos"], vocab_size=600,
                                    hidden=32, seed=1)
    model.eval()
    return Predictor(model, tok, "classification", ["neg", "pos"], 64, ModelSource("folder", "bilstm"))


def test_attention_is_refused_with_a_clear_message(tagger_texts: list[str]) -> None:
    from workbench.engine.inspection.attention import compute_attention, has_attention

    predictor = _predictor(tagger_texts)
    assert not has_attention(predictor.model)
    with pytest.raises(ModelError, match="a BiLSTM has no attention.*saliency"):
        compute_attention(predictor.model, predictor.tokenizer, "a witty movie")


def test_saliency_works_on_a_bilstm(tagger_texts: list[str]) -> None:
    """grad x input equals the gradient through the embedding matrix; IG is complete."""
    from workbench.engine.inspection.saliency import grad_x_input, integrated_gradients

    predictor = _predictor(tagger_texts)
    text = "a gorgeous , witty movie"
    got = grad_x_input(predictor, text, target="pos")
    ids = predictor.tokenizer(text, return_tensors="pt")["input_ids"]  # (1, T)
    assert len(set(ids[0].tolist())) == ids.shape[1], "the test needs distinct tokens"
    ref = copy.deepcopy(predictor.model)
    ref(input_ids=ids).logits[0, 1].backward()
    weight = ref.get_input_embeddings().weight  # (V, E)
    expected = (weight.grad[ids[0]] * weight.detach()[ids[0]]).sum(-1).double().numpy()  # (T,)
    np.testing.assert_allclose(got.attributions, expected, rtol=1e-5, atol=1e-8)
    ig = integrated_gradients(predictor, "the film is not bad at all")
    assert abs(ig.delta) <= 0.05 * abs(ig.attributions.sum()) + 1e-6
    predictor.model.train()  # while a trainer runs: explained in eval mode, the model stays in training
    again = grad_x_input(predictor, text, target="pos")
    assert predictor.model.training
    np.testing.assert_allclose(again.attributions, got.attributions, rtol=1e-5, atol=1e-8)
