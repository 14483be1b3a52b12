"""`workbench tokenizer train | show | compare` as a user runs them: exit codes, printed text, JSON.

In-process through ``workbench.cli.main`` (a subprocess per call would spend most
of its time importing transformers); one subprocess checks the real entry point.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import shared
from workbench.cli import main


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def workbench(*args: str, check: bool = True) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    if check and code != 0:
        raise AssertionError(f"exit {code}\nstdout:{out.getvalue()}\nstderr:{err.getvalue()}")
    return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpora")
    out = {}
    for name, parts, n in (
        ("en.txt", ("tinyshakespeare", "input.txt"), 2500),
        ("zh.txt", ("zh_songci", "songci_lines.txt"), 2500),
    ):
        lines = shared(*parts).read_text(encoding="utf-8").splitlines()[:n]
        out[name] = folder / name
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A CSV corpus: the text column is found the way `workbench data` finds it.
    reviews = (
        shared("zh_waimai_10k", "waimai_10k.csv").read_text(encoding="utf-8").splitlines()[:1500]
    )
    out["reviews.csv"] = folder / "reviews.csv"
    out["reviews.csv"].write_text("\n".join(reviews) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def trained(corpora: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tokenizers")
    wp, bpe = folder / "wp", folder / "bpe"
    proc = workbench(
        "tokenizer",
        "train",
        "--data",
        str(corpora["en.txt"]),
        "--vocab-size",
        "900",
        "-o",
        str(wp),
        "--json",
    )
    info = json.loads(proc.stdout)
    assert info["output"] == str(wp) and info["tokenizer"]["kind"] == "wordpiece"
    assert info["report"]["unknown_tokens"] == 0 and 1 < info["report"]["tokens_per_word"] < 3
    workbench(
        "tokenizer",
        "train",
        "--data",
        str(corpora["en.txt"]),
        "--kind",
        "bpe",
        "--vocab-size",
        "600",
        "-o",
        str(bpe),
        "-q",
    )
    return {"wp": wp, "bpe": bpe}


def test_train_writes_a_folder_transformers_loads(trained: dict[str, Path]) -> None:
    from transformers import AutoTokenizer

    for folder in trained.values():
        assert {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"} <= {
            p.name for p in folder.iterdir()
        }
    wp = AutoTokenizer.from_pretrained(trained["wp"])
    tokens = wp.tokenize("Before we proceed")
    assert (
        "".join(t.removeprefix("##") for t in tokens) == "beforeweproceed" and "we" in tokens
    )  # lowercased pieces
    assert len(wp) <= 900 and wp.mask_token == "[MASK]"
    assert AutoTokenizer.from_pretrained(trained["bpe"]).eos_token == "<|endoftext|>"


def test_show_prints_the_split_and_report(
    trained: dict[str, Path], corpora: dict[str, Path]
) -> None:
    proc = workbench(
        "tokenizer",
        "show",
        str(trained["wp"]),
        "--text",
        "Hear me speak 猫",
        "--data",
        str(corpora["en.txt"]),
    )
    out = proc.stdout
    assert "Kind:        wordpiece, lowercasing" in out and "tokens per word" in out
    assert "[CLS] | hear | me | speak | <猫?> | [SEP]" in out  # 猫 is unknown to Shakespeare
    info = json.loads(
        workbench("tokenizer", "show", str(trained["wp"]), "--text", "Hear me 猫", "--json").stdout
    )
    tokens = info["split"]["tokens"]
    assert [t["token"] for t in tokens] == ["[CLS]", "hear", "me", "[UNK]", "[SEP]"]
    assert (
        tokens[3]["unknown"]
        and (tokens[3]["start"], tokens[3]["end"]) == (8, 9)
        and tokens[3]["word"] == 2
    )
    assert info["tokenizer"]["options"]["vocab_size"] == 900 and "report" not in info


def test_compare_reports_both_and_the_differences(
    trained: dict[str, Path], corpora: dict[str, Path]
) -> None:
    proc = workbench(
        "tokenizer",
        "compare",
        str(trained["wp"]),
        str(trained["bpe"]),
        "--data",
        str(corpora["en.txt"]),
        "--json",
        "--examples",
        "3",
    )
    info = json.loads(proc.stdout)
    assert info["a"]["kind"] == "wordpiece" and info["b"]["kind"] == "bpe"
    assert info["a"]["words"] == info["b"]["words"] and 0 < info["differing"] <= info["sentences"]
    assert len(info["examples"]) == 3 and info["b"]["unknown_tokens"] == 0
    text = workbench(
        "tokenizer",
        "compare",
        str(trained["wp"]),
        str(trained["bpe"]),
        "--data",
        str(corpora["en.txt"]),
    ).stdout
    assert "tokens per word" in text and "split differently" in text


def test_chinese_csv_corpus_splits_each_character(corpora: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "zh"
    workbench(
        "tokenizer",
        "train",
        "--data",
        str(corpora["reviews.csv"]),
        "--vocab-size",
        "3000",
        "-o",
        str(out),
        "-q",
    )
    info = json.loads(
        workbench(
            "tokenizer",
            "show",
            str(out),
            "--text",
            "我喜欢猫",
            "--data",
            str(corpora["zh.txt"]),
            "--json",
        ).stdout
    )
    inner = [t for t in info["split"]["tokens"] if not t["special"]]
    assert [(t["start"], t["end"]) for t in inner] == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert info["report"]["tokens_per_word"] == pytest.approx(1.0, abs=0.05)


def test_bad_input_exits_2_with_a_message(corpora: dict[str, Path], tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    cases = [
        (["--data", str(empty)], "blank"),
        (["--data", str(tmp_path / "missing.txt")], "does not exist"),
        (
            ["--data", str(corpora["en.txt"]), "--kind", "bpe", "--vocab-size", "200"],
            "256 byte values",
        ),
        (["--data", str(corpora["en.txt"]), "--vocab-size", "60"], "needs at least"),
        (["--data", str(corpora["en.txt"]), "--special-tokens", "[PAD],[CLS]"], "unknown-token"),
    ]
    for args, message in cases:
        proc = workbench("tokenizer", "train", *args, "-o", str(tmp_path / "out"), check=False)
        assert proc.returncode == 2, (args, proc.stderr)
        assert message in proc.stderr and "Traceback" not in proc.stderr
    # The installed entry point, as a shell runs it.
    command = [sys.executable, "-m", "workbench", "tokenizer", "show", str(tmp_path)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2 and "no tokenizer" in proc.stderr and "Traceback" not in proc.stderr


def test_train_uses_a_workshop_tokenizer_for_a_preset(
    trained: dict[str, Path], corpora: dict[str, Path], tmp_path: Path
) -> None:
    run = tmp_path / "run"
    workbench(
        "train",
        "--data",
        str(corpora["en.txt"]),
        "--task",
        "masked-lm",
        "--model",
        "bert-tiny",
        "--tokenizer",
        str(trained["wp"]),
        "--layers",
        "1",
        "--hidden",
        "32",
        "--heads",
        "2",
        "--max-steps",
        "3",
        "--batch-size",
        "8",
        "--max-length",
        "32",
        "--output",
        str(run),
        "-q",
    )
    saved = json.loads((run / "model" / "tokenizer.json").read_text(encoding="utf-8"))["model"][
        "vocab"
    ]
    workshop = json.loads((trained["wp"] / "tokenizer.json").read_text(encoding="utf-8"))["model"][
        "vocab"
    ]
    assert saved == workshop
    assert json.loads((run / "model" / "config.json").read_text())["vocab_size"] == len(workshop)
    assert json.loads((run / "config.json").read_text())["tokenizer"] == str(trained["wp"])
