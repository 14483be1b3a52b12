"""Cross-attention and source attributions of encoder-decoders (issue 16, items 4 and 5).

Tiny random T5 and BART models (``test_seq2seq``'s) are checked against transformers: our maps
are the eager model's ``encoder_attentions``, ``decoder_attentions`` and ``cross_attentions``
for the same (source, shifted target) and, row by row, what ``model.generate`` attended to while
it produced each token. Integrated gradients add up to f(input) - f(baseline).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from tests.engine.test_seq2seq import SENTENCES, _tiny_model
from workbench.engine.errors import ConfigError
from workbench.engine.inspection.cross_attention import (
    alignment,
    readable_tokens,
    seq2seq_attention,
    source_integrated_gradients,
)
from workbench.engine.models.presets import train_tokenizer


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    texts = [s for pair in SENTENCES for s in pair] * 3
    return train_tokenizer("t5", texts, 400)


@pytest.mark.parametrize("kind", ["t5", "bart"])
def test_maps_are_transformers_eager_attentions_and_rows_sum_to_one(kind: str, tokenizer: Any) -> None:
    model = _tiny_model(kind, tokenizer)
    maps = seq2seq_attention(model, tokenizer, "I have to go to work.", max_new_tokens=6)
    S, T = len(maps.source_ids), len(maps.target_ids)
    assert maps.cross_attentions.shape == (1, 4, T, S) and maps.encoder_attentions.shape == (1, 4, S, S)
    assert maps.decoder_attentions.shape == (1, 4, T, T)
    assert len(maps.source_tokens) == S and len(maps.target_tokens) == T
    # The greedy output is model.generate's, and the decoder input is it shifted right.
    source = torch.tensor([maps.source_ids])
    generated = model.generate(source, attention_mask=torch.ones_like(source), max_new_tokens=6, num_beams=1,
                               do_sample=False, output_attentions=True, return_dict_in_generate=True)
    assert generated.sequences[0].tolist() == [*maps.decoder_input_ids, maps.target_ids[-1]]
    with torch.no_grad():
        out = model(input_ids=source, decoder_input_ids=torch.tensor([maps.decoder_input_ids]),
                    output_attentions=True, use_cache=False)
    for ours, theirs in ((maps.cross_attentions, out.cross_attentions),
                         (maps.encoder_attentions, out.encoder_attentions),
                         (maps.decoder_attentions, out.decoder_attentions)):
        np.testing.assert_allclose(ours, torch.stack(theirs)[:, 0].numpy(), atol=1e-5)
    # Step by step: the row of target token t is what generate attended to when it chose it.
    for t, step in enumerate(generated.cross_attentions):
        np.testing.assert_allclose(maps.cross_attentions[:, :, t], torch.stack(step)[:, 0, :, -1].numpy(), atol=1e-5)
    for name in ("cross_attentions", "encoder_attentions", "decoder_attentions"):
        np.testing.assert_allclose(getattr(maps, name).sum(-1), 1.0, atol=1e-5)
    assert not np.any(np.triu(maps.decoder_attentions, k=1))  # the decoder is causal


def test_a_given_target_is_shifted_right_and_alignment_picks_the_heaviest_sources(tokenizer: Any) -> None:
    model = _tiny_model("t5", tokenizer)
    maps = seq2seq_attention(model, tokenizer, "Thank you.", target="谢谢。")
    assert maps.target_tokens == ["谢", "谢", "。", "</s>"] and maps.output == "谢谢。"
    assert maps.decoder_input_ids == [tokenizer.pad_token_id, *maps.target_ids[:-1]]
    assert maps.source_tokens[-1] == "</s>" and maps.source_special.tolist()[-1]
    cross = maps.cross_attentions.mean(axis=(0, 1))  # (T, S)
    links = alignment(cross, top=2, source_special=maps.source_special)
    S = len(maps.source_ids)
    for row, best in zip(cross, links):
        expected = [j for j in np.argsort(-row, kind="stable") if j != S - 1][:2]
        assert [j for j, _ in best] == expected and best[0][1] == pytest.approx(row[expected[0]])


def test_split_characters_read_as_characters(tokenizer: Any) -> None:
    ids = tokenizer("héllo 我", add_special_tokens=False)["input_ids"]
    tokens = readable_tokens(tokenizer, ids)
    assert len(tokens) == len(ids) and "é" in tokens and "我" in tokens and "\ufffd" not in "".join(tokens)


@pytest.mark.parametrize(("kind", "baseline"), [("t5", "pad"), ("bart", "zero")])
def test_integrated_gradients_are_complete_and_deterministic(kind: str, baseline: str, tokenizer: Any) -> None:
    model = _tiny_model(kind, tokenizer)
    first = source_integrated_gradients(model, tokenizer, "I have to go to work.", 1, target="我得去工作了。",
                                        steps=64, baseline=baseline)
    again = source_integrated_gradients(model, tokenizer, "I have to go to work.", 1, target="我得去工作了。",
                                        steps=64, baseline=baseline)
    np.testing.assert_array_equal(first.attributions, again.attributions)
    change = first.log_probability - first.baseline_log_probability
    assert abs(change) > 1e-4 and abs(first.delta) < 1e-2 * abs(change)
    assert first.attributions[first.source_special].tolist() == [0.0]  # </s> is kept in the baseline
    # f(input) is the model's own log-probability of that token after the shifted target.
    source = torch.tensor([tokenizer("I have to go to work.")["input_ids"]])
    target = tokenizer(text_target="我得去工作了。")["input_ids"]
    with torch.no_grad():
        logits = model(input_ids=source, labels=torch.tensor([target])).logits[0, 1].double()
    assert first.log_probability == pytest.approx(float(torch.log_softmax(logits, -1)[target[1]]), abs=1e-6)
    assert first.target_token == "得"
    with pytest.raises(ConfigError, match="out of range"):
        source_integrated_gradients(model, tokenizer, "Hi.", 9, target="你好。", steps=2)


# ---------------------------------------------------------------------------- CLI on a tiny trained run


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.cli import main

    tmp = tmp_path_factory.mktemp("xattn")
    data = tmp / "pairs.tsv"
    data.write_text("source\ttarget\n" + "".join(f"{s}\t{t}\n" for _ in range(4) for s, t in SENTENCES),
                    encoding="utf-8")
    run = tmp / "run"
    assert main(["train", "--task", "translation", "--data", str(data), "--model", "t5-tiny", "--max-steps", "20",
                 "--batch-size", "8", "--lr", "3e-3", "--max-length", "24", "--vocab-size", "300",
                 "--eval-generate-samples", "2", "--num-threads", "2", "--source-prefix", "en-zh: ",
                 "--output", str(run), "--quiet"]) == 0
    return run


def test_attention_cli_stores_the_cross_attention_and_the_tokens(trained_run: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture) -> None:
    from workbench.cli import main
    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.cross_attention import predictor_attention

    out = tmp_path / "a.npz"
    assert main(["attention", str(trained_run), "Thank you.", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    saved = np.load(out, allow_pickle=False)
    source, target = list(saved["source_tokens"]), list(saved["target_tokens"])
    assert "".join(source).startswith("en-zh:␣Thank") and source[-1] == "</s>"  # the run's prefix, as training put it
    L, H, T, S = saved["cross_attentions"].shape
    assert (T, S) == (len(target), len(source)) and saved["encoder_attentions"].shape == (L, H, S, S)
    assert saved["decoder_attentions"].shape[-2:] == (T, T)
    np.testing.assert_allclose(saved["cross_attentions"].sum(-1), 1.0, atol=1e-5)
    maps = predictor_attention(Predictor.load(trained_run), "Thank you.")
    np.testing.assert_array_equal(saved["cross_attentions"], maps.cross_attentions)
    assert maps.output in printed and "cross-attention" in printed


def test_explain_cli_prints_source_attributions_for_one_generated_token(trained_run: Path,
                                                                       capsys: pytest.CaptureFixture) -> None:
    from workbench.cli import main

    assert main(["explain", str(trained_run), "Thank you.", "--target-index", "0", "--steps", "64", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["target_index"] == 0 and record["source_tokens"][-1] == "</s>"
    assert len(record["attributions"]) == len(record["source_tokens"])
    change = record["log_probability"] - record["baseline_log_probability"]
    assert abs(record["delta"]) < 1e-2 * abs(change) + 1e-3
    assert main(["explain", str(trained_run), "Thank you.", "--target-index", "0"]) == 0
    text = capsys.readouterr().out
    assert "target token 0" in text and "delta" in text and "</s>" in text
