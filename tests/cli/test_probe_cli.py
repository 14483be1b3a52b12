"""``workbench probe``: term swaps, insert/remove and templates from the command line, JSON and HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.probe_kit import gendered_dev_sentences, train_tiny_classifier
from workbench.cli import main
from workbench.engine.analysis.probes import swap_probe, token_probe
from workbench.engine.inference import Predictor


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_tiny_classifier(tmp_path_factory.mktemp("probe_cli"))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    texts = gendered_dev_sentences(30)
    path = tmp_path_factory.mktemp("probe_data") / "dev.tsv"
    path.write_text("sentence\tlabel\n" + "".join(f"{t}\t1\n" for t in texts), encoding="utf-8")
    return path, texts


def test_swap_json_equals_the_engine(run: Path, data, capsys, tmp_path: Path) -> None:
    path, texts = data
    page = tmp_path / "probe.html"
    assert main(["probe", str(run), "--data", str(path), "--swap", "gender", "--json", "--html", str(page)]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = swap_probe(Predictor.load(run), texts, "gender")
    assert out["probe"] == "swap" and out["num_texts"] == len(texts) and out["data"] == str(path)
    assert [(p["from_group"], p["to_group"], p["examples"], p["flips"]) for p in out["pairs"]] == [
        (p.from_group, p.to_group, p.examples, p.flips) for p in expected.pairs]
    assert [p["mean_shift"] for p in out["pairs"]] == pytest.approx([p.mean_shift for p in expected.pairs])
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_insert_and_remove_as_text(run: Path, data, capsys) -> None:
    path, texts = data
    assert main(["probe", str(run), "--data", str(path), "--insert", "awful"]) == 0
    out = capsys.readouterr().out
    expected = token_probe(Predictor.load(run), texts, "awful", insert=True)
    assert "without awful" in out and f"flip rate over all pairs: {expected.flip_rate:.4f}" in out
    assert main(["probe", str(run), "--data", str(path), "--remove", "the", "--json"]) == 0
    removed = json.loads(capsys.readouterr().out)
    assert removed["probe"] == "remove" and removed["pairs"][0]["examples"] == sum(
        " the " in f" {t.lower()} " for t in texts)


def test_templates_need_no_data(run: Path, capsys) -> None:
    assert main(["probe", str(run), "--template", "{term} is a great doctor.", "--template", "I met {term}.",
                 "--terms", "nationality", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [t["template"] for t in out["templates"]] == ["{term} is a great doctor.", "I met {term}."]
    assert len(out["templates"][0]["means"]) == 9  # the nationality groups


def test_readable_errors(run: Path, data, capsys, tmp_path: Path) -> None:
    path, _ = data
    assert main(["probe", str(run), "--data", str(path), "--swap", str(tmp_path / "none.json")]) == 2
    assert "no such term list" in capsys.readouterr().err
    assert main(["probe", str(run), "--template", "no placeholder"]) == 2
    assert "{term}" in capsys.readouterr().err
