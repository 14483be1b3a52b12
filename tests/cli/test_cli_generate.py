"""``workbench predict`` on a causal LM: greedy and sampled continuations, --stream, bad flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_train_predict_eval import workbench
from tests.conftest import shared
from workbench.cli import main
from workbench.engine.generation import decode_ids
from workbench.engine.inference import Predictor
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer


def train_gpt_tiny(out: Path, corpus_dir: Path, steps: int = 6) -> Path:
    """A gpt-tiny (2 layers x 64, 500-token vocabulary) trained a few steps on Shakespeare."""
    lines = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:400]
    corpus = corpus_dir / "corpus.txt"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = TrainConfig(
        data=str(corpus),
        task="causal-lm",
        model="gpt-tiny",
        layers=2,
        heads=2,
        hidden=64,
        vocab_size=500,
        max_steps=steps,
        batch_size=8,
        max_length=64,
        output=str(out),
        num_threads=2,
    )
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


@pytest.fixture(scope="module")
def gpt_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("gpt")
    return train_gpt_tiny(tmp / "run", tmp)


def reference_greedy(run: Path, prompt: str, new_tokens: int) -> str:
    """transformers' own greedy generate on the saved folder, decoded up to the first EOS."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(run / "model")
    model = AutoModelForCausalLM.from_pretrained(run / "model").eval()
    ids = torch.tensor([tokenizer(prompt)["input_ids"]])
    out = model.generate(
        ids,
        attention_mask=torch.ones_like(ids),
        max_new_tokens=new_tokens,
        do_sample=False,
        pad_token_id=tokenizer.eos_token_id,
    )[0, ids.shape[1] :].tolist()
    if tokenizer.eos_token_id in out:
        out = out[: out.index(tokenizer.eos_token_id)]
    return decode_ids(tokenizer, out)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """The command in this process (no second torch import); its stdout."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def expected(gpt_run: Path) -> str:
    """The engine's greedy continuation of "To be", checked against transformers' generate."""
    text = Predictor.load(gpt_run).predict(["To be"], max_new_tokens=10)[0]["continuation"]
    assert text and text == reference_greedy(gpt_run, "To be", 10)
    return text


def test_greedy_json_is_the_engine_continuation(gpt_run: Path, expected: str) -> None:
    proc = workbench(
        "predict",
        str(gpt_run),
        "To be",
        "--temperature",
        "0",
        "--max-new-tokens",
        "10",
        "--json",
        check=True,
    )
    row = json.loads(proc.stdout)
    assert row["continuation"] == expected and row["text"] == "To be"
    assert row["new_tokens"] <= 10 and row["finish_reason"] in ("eos", "max_new_tokens")


def test_stream_prints_the_same_text(gpt_run: Path, expected: str, capsys) -> None:
    out = cli(capsys, "predict", str(gpt_run), "To be", "--max-new-tokens", "10", "--stream")
    assert out == "To be" + expected + "\n"

    out = cli(
        capsys, "predict", str(gpt_run), "To be", "--max-new-tokens", "10", "--stream", "--json"
    )
    lines = [json.loads(line) for line in out.splitlines()]
    pieces = [line["piece"] for line in lines[:-1]]
    assert len(pieces) > 1 and "".join(pieces) == expected
    assert lines[-1]["continuation"] == expected


def test_seeded_sampling_repeats(gpt_run: Path, capsys) -> None:
    args = [
        "--temperature",
        "1.0",
        "--top-k",
        "50",
        "--top-p",
        "0.95",
        "--seed",
        "5",
        "--max-new-tokens",
        "15",
    ]
    row = json.loads(cli(capsys, "predict", str(gpt_run), "ROMEO:", *args, "--json"))
    ours = Predictor.load(gpt_run).predict(
        ["ROMEO:"], max_new_tokens=15, temperature=1.0, top_k=50, top_p=0.95, seed=5
    )[0]
    assert row["seed"] == 5 and row["continuation"] == ours["continuation"] and ours["continuation"]
    greedy = Predictor.load(gpt_run).predict(["ROMEO:"], max_new_tokens=15)[0]
    assert (
        ours["continuation"] != greedy["continuation"]
    )  # temperature 1 on a barely trained model wanders


@pytest.mark.parametrize(
    "flags,message",
    [
        (["--top-p", "0"], "top-p must be above 0"),
        (["--temperature", "-1"], "temperature must be 0"),
        (["--max-new-tokens", "0"], "max new tokens must be between 1"),
    ],
)
def test_bad_generation_flags_exit_2(gpt_run: Path, capsys, flags: list[str], message: str) -> None:
    assert main(["predict", str(gpt_run), "To be", *flags]) == 2
    assert message in capsys.readouterr().err
