"""The command line on a checkpoint without a task head (the installed MiniLM): attention yes, predictions no."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.conftest import minilm_dir
from workbench.cli import main

TEXT = "The quick brown fox jumps over the lazy dog."


def test_attention_on_minilm_needs_no_task(tmp_path: Path, capsys) -> None:
    from transformers import AutoModel, AutoTokenizer

    out = tmp_path / "att.npz"
    assert main(["attention", str(minilm_dir()), TEXT, "--out", str(out)]) == 0
    assert "6 layers x 12 heads" in capsys.readouterr().out
    saved = np.load(out, allow_pickle=False)

    model = AutoModel.from_pretrained(minilm_dir(), attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(minilm_dir())
    enc = tokenizer(TEXT, return_tensors="pt")
    with torch.no_grad():
        expected = torch.stack(model(**enc, output_attentions=True).attentions)[:, 0].numpy()  # (L, H, T, T)
    assert list(saved["tokens"]) == tokenizer.convert_ids_to_tokens(enc["input_ids"][0].tolist())
    np.testing.assert_allclose(saved["attentions"], expected, atol=1e-5)
    np.testing.assert_allclose(saved["attentions"].sum(-1), 1.0, atol=1e-5)


def test_predict_on_minilm_exits_2_with_one_sentence() -> None:
    proc = subprocess.run([sys.executable, "-m", "workbench", "predict", str(minilm_dir()), "x"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    message = proc.stderr.strip().removeprefix("workbench predict: error: ")
    assert message.startswith("all-MiniLM-L6-v2 has no task head, so it cannot predict or explain; "
                              "fine-tune it first: workbench train --model ")
    assert message.count("\n") == 0 and message.count(". ") == 0  # one sentence


def test_explain_on_minilm_says_the_same(capsys) -> None:
    assert main(["explain", str(minilm_dir()), "x"]) == 2
    assert "has no task head, so it cannot predict or explain; fine-tune it first" in capsys.readouterr().err


def test_compare_attention_of_minilm_and_a_fine_tune(tmp_path: Path, capsys) -> None:
    """A headed copy with layer 2's queries changed: the layers below show no change, layer 2 does."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tuned = tmp_path / "tuned"
    model = AutoModelForSequenceClassification.from_pretrained(minilm_dir(), num_labels=2)
    with torch.no_grad():
        model.bert.encoder.layer[2].attention.self.query.weight.mul_(1.5)
    model.save_pretrained(tuned)
    AutoTokenizer.from_pretrained(minilm_dir()).save_pretrained(tuned)

    out = tmp_path / "diff.npz"
    assert main(["compare", str(minilm_dir()), str(tuned), "--attention", TEXT, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "mean |B - A| attention per layer" in printed and "most changed head: layer 2" in printed
    saved = np.load(out, allow_pickle=False)
    assert saved["difference"].shape[:2] == (6, 12)
    assert np.abs(saved["difference"][:2]).max() < 1e-6 and saved["mean_abs_change"][2].max() > 1e-3
    np.testing.assert_allclose(saved["mean_abs_change"], np.abs(saved["difference"]).mean(axis=(2, 3)), rtol=1e-6)

    assert main(["compare", str(minilm_dir()), str(tuned)]) == 2
    assert "give --data FILE" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["attention", "explain", "compare"])
def test_help_mentions_checkpoints_without_a_head(command: str, capsys) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "head" in capsys.readouterr().out
