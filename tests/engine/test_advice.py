"""Advice before Start: from scratch on little data, too large, too slow, the wrong language."""

from __future__ import annotations

import csv
import json

from tests.conftest import minilm_dir, shared
from workbench.engine.advice import DataFacts, advise, data_language
from workbench.engine.models.catalogue import ModelFacts
from workbench.engine.training.config import TrainConfig

PLENTY = 64 * 1024**3  # available memory for tests that are not about memory


def _sst2(n: int) -> list[str]:
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1 : n + 1]
    return [line.split("\t")[0] for line in lines]


def _chnsenticorp(n: int) -> list[str]:
    with shared("zh_chnsenticorp_htl", "ChnSentiCorp_htl_all.csv").open(
        encoding="utf-8", newline=""
    ) as fh:
        return [row["review"] for row, _ in zip(csv.DictReader(fh), range(n))]


def _kinds(advice) -> list[str]:
    return [a.kind for a in advice]


def test_from_scratch_on_160_rows_points_to_the_installed_checkpoint():
    folder = minilm_dir()
    data = DataFacts.from_texts(_sst2(160))
    advice = advise(TrainConfig(data="x", model="bert-tiny"), data, available_memory=PLENTY)
    assert _kinds(advice) == ["small-data"]
    assert advice[0].severity == "warning"
    assert advice[0].suggestion == str(folder)
    assert advice[0].suggestion_name == "all-MiniLM-L6-v2"
    assert "160" in advice[0].message and "all-MiniLM-L6-v2 (installed" in advice[0].message
    # Enough rows, or pre-training (where from scratch is the point): nothing to say.
    assert advise(TrainConfig(data="x", model="bert-tiny"), DataFacts.from_texts(_sst2(5000))) == []
    lm = TrainConfig(data="x", model="gpt-tiny", task="causal-lm")
    assert advise(lm, data) == []


def test_without_an_installed_checkpoint_a_catalogue_model_is_named():
    data = DataFacts.from_texts(_sst2(160))
    advice = advise(TrainConfig(data="x", model="bert-mini"), data, installed=[])
    assert (
        advice[0].suggestion == "sentence-transformers/all-MiniLM-L6-v2"
    )  # the smallest English one
    zh = DataFacts.from_texts(_chnsenticorp(160))
    advice = advise(TrainConfig(data="x", model="bert-tiny"), zh, installed=[])
    assert advice[0].suggestion == "google-bert/bert-base-chinese"
    assert "download" in advice[0].message


def test_an_english_checkpoint_on_chinese_reviews_is_flagged():
    folder = minilm_dir()
    texts = _chnsenticorp(2000)
    data = DataFacts.from_texts(texts)
    assert data.language == "zh"
    for model in (str(folder), "google-bert/bert-base-uncased"):
        advice = advise(TrainConfig(data="x", model=model), data, available_memory=PLENTY)
        assert _kinds(advice) == ["language"], model
        assert "Chinese" in advice[0].message and "[UNK]" in advice[0].message
        assert advice[0].suggestion == "google-bert/bert-base-chinese"
    # The Chinese model on the same data: no advice.
    assert (
        advise(
            TrainConfig(data="x", model="google-bert/bert-base-chinese"),
            data,
            available_memory=PLENTY,
        )
        == []
    )


def test_a_chinese_vocabulary_on_english_text_is_flagged(tmp_path):
    from workbench.engine.models.presets import train_tokenizer

    folder = tmp_path / "zh-model"
    train_tokenizer("bert", _chnsenticorp(3000), 4000).save_pretrained(folder)
    (folder / "config.json").write_text(
        json.dumps(
            {"model_type": "bert", "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 4000}
        )
    )
    data = DataFacts.from_texts(_sst2(2000))
    assert data.language == "en"
    advice = advise(TrainConfig(data="x", model=str(folder)), data, available_memory=PLENTY)
    assert _kinds(advice) == ["language"]
    assert "Chinese model" in advice[0].message
    assert advice[0].suggestion is not None and advice[0].suggestion != str(folder)
    assert advice[0].suggestion_name in ("all-MiniLM-L6-v2", "MiniLM L6 (all-MiniLM-L6-v2)")


def test_a_335m_model_with_one_minute_on_10000_rows_is_too_slow():
    data = DataFacts(rows=10_000, texts=tuple(_sst2(400)))
    config = TrainConfig(data="x", model="google-bert/bert-large-uncased", max_minutes=1)
    advice = advise(config, data, flops=40e9, available_memory=PLENTY, installed=[])
    assert _kinds(advice) == ["slow"]
    message = advice[0].message
    assert "BERT large" in message and "10,000" in message and "max_minutes=1" in message
    assert (
        advice[0].suggestion == "sentence-transformers/all-MiniLM-L6-v2"
    )  # the fastest English one
    # A budget of a day covers the planned epochs: no advice; no budget set: no time check.
    config.max_minutes = 24 * 60
    assert advise(config, data, flops=40e9, available_memory=PLENTY, installed=[]) == []
    config.max_minutes = None
    assert advise(config, data, flops=40e9, available_memory=PLENTY, installed=[]) == []


def test_a_model_too_large_for_the_memory_gets_a_smaller_one():
    data = DataFacts.from_texts(_sst2(1000))
    config = TrainConfig(
        data="x", model="google-bert/bert-large-uncased", batch_size=32, max_length=128
    )
    advice = advise(config, data, available_memory=4 * 1024**3, installed=[])
    assert _kinds(advice) == ["memory"]
    assert "GB" in advice[0].message and "batch 32" in advice[0].message
    assert advice[0].suggestion == "sentence-transformers/all-MiniLM-L6-v2"


def test_installed_candidates_are_named_by_their_display_name():
    fake = ModelFacts(
        "/x/model", "all-MiniLM-L6-v2 (installed)", 22_713_216, 384, 6, 30522, "en", 512
    )
    data = DataFacts.from_texts(_sst2(100))
    advice = advise(TrainConfig(data="x", model="bilstm"), data, installed=[fake])
    assert advice[0].suggestion == "/x/model" and "installed, works offline" in advice[0].message


def test_data_language_needs_enough_text():
    assert data_language(["ok"]) is None
    assert data_language(["商务大床房，房间很大，床有2M宽，整体感觉经济实惠不错!" * 3]) == "zh"
    assert (
        data_language(["a gorgeous, witty, seductive movie about nothing much at all"] * 3) == "en"
    )


def test_the_cli_prints_the_advice_before_training(tmp_path, capsys):
    """`workbench train` on 160 rows with bert-tiny warns on stderr, naming the checkpoint, then trains."""
    from workbench.cli import main

    minilm_dir()
    data = tmp_path / "train.tsv"
    data.write_text(
        "\n".join(shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:161]) + "\n"
    )
    code = main(["train", "--data", str(data), "--model", "bert-tiny", "--max-steps", "1",
                 "--output", str(tmp_path / "run")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err[-2000:]
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "all-MiniLM-L6-v2" in warnings[0]
    assert err.index("warning:") < err.index("run folder:")
    assert (tmp_path / "run" / "model" / "config.json").is_file()
