"""Model specs: presets, folders, hub ids (offline), and refusal of unsafe weights and code."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import torch

from tests.conftest import minilm_dir
from workbench.engine.errors import ModelError
from workbench.engine.models.loading import load_pretrained, load_tokenizer, resolve_spec
from workbench.engine.models.presets import train_tokenizer


def test_resolve_kinds(tmp_path: Path) -> None:
    assert resolve_spec("bert-tiny").kind == "preset"
    assert resolve_spec("bert-base-uncased").kind == "hub"
    assert resolve_spec("org/name").kind == "hub"
    assert resolve_spec(str(minilm_dir())).kind == "folder"
    with pytest.raises(ModelError, match="no config.json"):
        resolve_spec(str(tmp_path))
    with pytest.raises(ModelError, match="not an existing folder"):
        resolve_spec("./no/such/folder")


@pytest.mark.parametrize("offline_env", [True, False])
def test_offline_hub_id_fails_fast_and_clearly(monkeypatch: pytest.MonkeyPatch, offline_env: bool) -> None:
    if not offline_env:  # no offline flag: the reachability probe must still keep it short
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    start = time.monotonic()
    with pytest.raises(ModelError, match="hub cannot be reached"):
        load_tokenizer("no-such-org/no-such-model")
    with pytest.raises(ModelError, match="hub cannot be reached"):
        load_pretrained(resolve_spec("no-such-org/no-such-model"), "classification", ["a", "b"])
    assert time.monotonic() - start < 20  # generous: the point is "no 30 s retry loop"


def _save_tiny_bert(folder: Path) -> None:
    from transformers import BertConfig, BertForSequenceClassification

    tok = train_tokenizer("bert", ["a tiny corpus for a tiny tokenizer"] * 10, 100)
    model = BertForSequenceClassification(
        BertConfig(vocab_size=len(tok), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)
    )
    model.save_pretrained(folder)
    tok.save_pretrained(folder)


def test_pickle_weights_are_refused_unless_allowed(tmp_path: Path) -> None:
    _save_tiny_bert(tmp_path)
    weights = tmp_path / "model.safetensors"
    from safetensors.torch import load_file

    torch.save(load_file(str(weights)), tmp_path / "pytorch_model.bin")
    weights.unlink()
    source = resolve_spec(str(tmp_path))
    with pytest.raises(ModelError, match="pickle"):
        load_pretrained(source, "classification", ["a", "b"])
    model = load_pretrained(source, "classification", ["a", "b"], allow_pickle=True)
    assert model.config.num_labels == 2


def test_remote_code_is_refused(tmp_path: Path) -> None:
    _save_tiny_bert(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    config["auto_map"] = {"AutoModelForSequenceClassification": "modeling_evil.EvilModel"}
    (tmp_path / "config.json").write_text(json.dumps(config))
    sentinel = tmp_path / "pwned"
    (tmp_path / "modeling_evil.py").write_text(f"open({str(sentinel)!r}, 'w').write('x')\n")
    with pytest.raises(ModelError, match="auto_map"):
        load_pretrained(resolve_spec(str(tmp_path)), "classification", ["a", "b"])
    assert not sentinel.exists()


def test_minilm_gets_a_fresh_head_and_keeps_its_encoder() -> None:
    from safetensors.torch import load_file

    folder = minilm_dir()
    model = load_pretrained(resolve_spec(str(folder)), "classification", ["neg", "pos"])
    assert model.config.id2label == {0: "neg", 1: "pos"}
    original = load_file(str(folder / "model.safetensors"))
    key = next(k for k in original if k.endswith("encoder.layer.0.attention.self.query.weight"))
    ours = dict(model.named_parameters())["bert." + key.removeprefix("bert.")]
    assert torch.equal(ours.detach(), original[key])


def test_chinese_text_splits_into_characters() -> None:
    tok = train_tokenizer("bert", ["我喜欢猫", "我喜欢狗", "猫喜欢鱼"] * 5, 200)
    assert tok.tokenize("我喜欢猫") == ["我", "喜", "欢", "猫"]
