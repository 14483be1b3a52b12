"""BERT, DistilBERT, RoBERTa, ModernBERT, GPT-2 and XLNet checkpoints all fine-tune through the same path.

Tiny random checkpoints are built here (no download); after a few steps, the
trained run folder predicts exactly what plain transformers computes on one
unpadded sentence, so padding (right, or left for XLNet) changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from workbench.engine.inference import Predictor
from workbench.engine.models.presets import train_tokenizer
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer

TEXTS = ["a good film", "a bad film", "truly great acting", "dull and slow", "i loved it", "i hated it"] * 10


def _config(arch: str, vocab: int, pad: int):
    from transformers import (
        BertConfig,
        DistilBertConfig,
        GPT2Config,
        ModernBertConfig,
        RobertaConfig,
        XLNetConfig,
    )

    small = dict(vocab_size=vocab, pad_token_id=pad)
    return {
        "bert": BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, **small),
        "distilbert": DistilBertConfig(dim=32, n_layers=2, n_heads=2, hidden_dim=64, **small),
        "roberta": RobertaConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                                 max_position_embeddings=514, **small),
        "modernbert": ModernBertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                       intermediate_size=64, **small),
        "gpt2": GPT2Config(n_embd=32, n_layer=2, n_head=2, **small),
        "xlnet": XLNetConfig(d_model=32, n_layer=2, n_head=2, d_inner=64, **small),
    }[arch]


def _checkpoint(arch: str, folder: Path) -> Path:
    from transformers import AutoModel

    tok = train_tokenizer("bert", TEXTS, 200)
    if arch == "xlnet":
        tok.padding_side = "left"  # as XLNet's own tokenizer does: it summarises the last position
    torch.manual_seed(0)
    AutoModel.from_config(_config(arch, len(tok), tok.pad_token_id)).save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


@pytest.mark.parametrize("arch", ["bert", "distilbert", "roberta", "modernbert", "gpt2", "xlnet"])
def test_fine_tune_and_predict_like_transformers(arch: str, tmp_path: Path) -> None:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    data = tmp_path / "train.csv"
    data.write_text("text,label\n" + "".join(f"{t},{i % 2}\n" for i, t in enumerate(TEXTS)), encoding="utf-8")
    ckpt = _checkpoint(arch, tmp_path / arch)
    out = tmp_path / "run"
    events = list(Trainer(TrainConfig(data=str(data), model=str(ckpt), max_steps=3, batch_size=8,
                                      output=str(out), lr=1e-3)).run())
    assert events[-1].summary["status"] == "finished"

    model = AutoModelForSequenceClassification.from_pretrained(out / "model", attn_implementation="eager").eval()
    tok = AutoTokenizer.from_pretrained(out / "model")
    predictor = Predictor.load(out)
    sentences = ["a good film", "dull", "truly great acting and a good film overall"]
    ours = predictor.predict(sentences)  # one padded batch
    with torch.no_grad():
        for sentence, row in zip(sentences, ours):
            ref = torch.softmax(model(**tok(sentence, return_tensors="pt")).logits, -1)[0]
            got = torch.tensor([row["probabilities"]["0"], row["probabilities"]["1"]])
            assert torch.allclose(ref, got, atol=1e-5), (arch, sentence, ref, got)
