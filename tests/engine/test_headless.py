"""Checkpoints without a task head: attention through the bare encoder, one clear sentence for everything else."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.conftest import minilm_dir
from workbench.engine.errors import ModelError
from workbench.engine.inference import Predictor
from workbench.engine.inspection.attention import compute_attention, load_for_inspection
from workbench.engine.inspection.compare import (
    attention_difference,
    compare_attention,
    compare_models,
)
from workbench.engine.models.bare import BareModel
from workbench.engine.models.heads import headless_message, is_headless
from workbench.engine.models.loading import resolve_spec

TEXT = "The quick brown fox jumps over the lazy dog."
PERTURBED_LAYER = 3


@pytest.fixture(scope="module")
def minilm() -> BareModel:
    loaded = load_for_inspection(minilm_dir())
    assert isinstance(loaded, BareModel)
    return loaded


@pytest.fixture(scope="module")
def fine_tuned(tmp_path_factory) -> Path:
    """MiniLM with a classification head and one layer's queries changed, as a fine-tune would (no training)."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = tmp_path_factory.mktemp("minilm-cls") / "model"
    model = AutoModelForSequenceClassification.from_pretrained(minilm_dir(), num_labels=2)
    with torch.no_grad():
        model.bert.encoder.layer[PERTURBED_LAYER].attention.self.query.weight.mul_(1.5)
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(minilm_dir()).save_pretrained(folder)
    return folder


def test_minilm_attention_is_the_bare_encoders(minilm: BareModel) -> None:
    from transformers import AutoModel, AutoTokenizer

    assert minilm.task is None and minilm.label_names == []
    assert type(minilm.model).__name__ == "BertModel"  # AutoModel: no head was made up
    maps = compute_attention(minilm.model, minilm.tokenizer, TEXT, max_length=minilm.max_length)

    reference = AutoModel.from_pretrained(minilm_dir(), attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(minilm_dir())
    with torch.no_grad():
        out = reference(**tokenizer(TEXT, return_tensors="pt"), output_attentions=True)
    expected = torch.stack(out.attentions)[:, 0].numpy()  # (L, H, T, T)
    assert maps.attentions.shape == expected.shape == (6, 12, len(maps.tokens), len(maps.tokens))
    np.testing.assert_allclose(maps.attentions, expected, atol=1e-5)
    np.testing.assert_allclose(maps.attentions.sum(-1), 1.0, atol=1e-5)


def test_predicting_with_a_headless_checkpoint_says_so_in_one_sentence(minilm: BareModel) -> None:
    source = resolve_spec(str(minilm_dir()))
    assert is_headless(source)
    message = headless_message(source)
    assert message.startswith("all-MiniLM-L6-v2 has no task head, so it cannot predict or explain")
    assert "fine-tune it first: workbench train --model" in message and "Model tab" in message
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence
    with pytest.raises(ModelError) as info:
        Predictor.load(minilm_dir())
    assert str(info.value) == message
    with pytest.raises(ModelError, match="has no task head"):
        minilm.predict(["x"])
    # A head asked for explicitly is still given (fresh, as for fine-tuning).
    assert Predictor.load(minilm_dir(), task="classification").task == "classification"


def test_headed_folders_still_load_as_predictors(fine_tuned: Path) -> None:
    assert not is_headless(resolve_spec(str(fine_tuned)))
    loaded = load_for_inspection(fine_tuned)
    assert isinstance(loaded, Predictor) and loaded.task == "classification"


def test_attention_compares_a_headless_checkpoint_with_its_fine_tune(minilm: BareModel, fine_tuned: Path) -> None:
    tokens, diff = compare_attention(minilm_dir(), fine_tuned, TEXT)  # (L, H, T, T), B - A
    assert tokens == compute_attention(minilm.model, minilm.tokenizer, TEXT).tokens
    # Layers below the changed one attend exactly as before; the changed one does not.
    assert np.abs(diff[:PERTURBED_LAYER]).max() < 1e-6
    assert np.abs(diff[PERTURBED_LAYER]).max() > 1e-2
    np.testing.assert_allclose(diff.sum(-1), 0.0, atol=1e-5)  # both rows sum to 1
    head_tokens, head = attention_difference(minilm, load_for_inspection(fine_tuned), TEXT, PERTURBED_LAYER, 0)
    assert head_tokens == tokens
    np.testing.assert_allclose(head, diff[PERTURBED_LAYER, 0], atol=1e-6)


def test_comparing_predictions_refuses_a_headless_checkpoint(tmp_path: Path, fine_tuned: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("text,label\na fine film,LABEL_1\na dull film,LABEL_0\n", encoding="utf-8")
    with pytest.raises(ModelError) as info:
        compare_models(minilm_dir(), fine_tuned, data)
    assert "has no task head" in str(info.value) and "--attention" in str(info.value)


def test_the_architecture_name_decides_what_is_headless(tmp_path: Path) -> None:
    import json

    folder = tmp_path / "copy"
    shutil.copytree(minilm_dir(), folder)
    config = json.loads((folder / "config.json").read_text())
    for architectures, headless in ((["BertForMaskedLM"], False), (["GPT2LMHeadModel"], False), (None, True),
                                    (["BertModel"], True)):
        config["architectures"] = architectures
        (folder / "config.json").write_text(json.dumps(config))
        assert is_headless(resolve_spec(str(folder))) is headless, architectures
    config["architectures"] = ["BertForMaskedLM"]
    (folder / "config.json").write_text(json.dumps(config))
    assert load_for_inspection(folder).task == "masked-lm"  # a head it can predict with: a Predictor
