"""A plain Hugging Face classifier saved without label names (LABEL_0, LABEL_1) evaluated on data labelled 0/1."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from workbench.engine.data import read_table
from workbench.engine.errors import DatasetError
from workbench.engine.evaluation import encode, evaluate, examples_for_model, generic_label_names
from workbench.engine.inference import Predictor

TEXTS = ["a good film", "a bad film", "truly great acting", "dull and slow", "i loved it", "i hated it"]


def plain_classifier(folder: Path, num_labels: int = 2) -> Path:
    """What a user gets from ``AutoModelForSequenceClassification(...).save_pretrained``: no id2label names."""
    from transformers import BertConfig, BertForSequenceClassification

    from workbench.engine.models.presets import train_tokenizer

    tokenizer = train_tokenizer("bert", TEXTS * 10, 200)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=num_labels, pad_token_id=tokenizer.pad_token_id)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _csv(path: Path, labels: list[str]) -> Path:
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS, labels)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def predictor(tmp_path_factory) -> Predictor:
    loaded = Predictor.load(plain_classifier(tmp_path_factory.mktemp("plain") / "model"))
    assert loaded.label_names == ["LABEL_0", "LABEL_1"] and generic_label_names(loaded.label_names)
    return loaded


def test_integer_labels_are_the_model_classes_by_position(predictor: Predictor, tmp_path: Path) -> None:
    labels = ["1", "0", "1", "0", "1", "0"]
    table = read_table(_csv(tmp_path / "d.csv", labels))
    examples, note = examples_for_model(table, "classification", None, predictor.label_names)
    assert examples.labels == [int(y) for y in labels]
    assert examples.label_names == ["LABEL_0", "LABEL_1"]
    assert note == (
        "the model's labels are LABEL_0, LABEL_1 and the data's are 0, 1: they are read as the same classes "
        "by position (LABEL_i is i)."
    )
    # Evaluation then scores the model's predictions against those positions.
    encoded = encode(examples, predictor.tokenizer, "classification", predictor.max_length)
    result = evaluate(predictor.model, predictor.tokenizer, "classification", encoded,
                      label_names=predictor.label_names)
    predicted = [row["label"] for row in predictor.predict(TEXTS)]
    expected = sum(p == f"LABEL_{y}" for p, y in zip(predicted, labels)) / len(labels)
    assert result.metrics["eval_accuracy"] == pytest.approx(expected)
    assert result.metrics["label_names"] == ["LABEL_0", "LABEL_1"]


def test_data_written_with_the_model_names_needs_no_note(predictor: Predictor, tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path / "d.csv", ["LABEL_1", "LABEL_0"] * 3))
    examples, note = examples_for_model(table, "classification", None, predictor.label_names)
    assert note is None and examples.labels == [1, 0] * 3


@pytest.mark.parametrize(("labels", "why"), [
    (["neg", "pos"] * 3, "and the data's are neg, pos: nothing says which of the data's labels is which"),
    (["0", "1", "2"] * 2, "and the data's are 0, 1, 2: the data has labels beyond 1, so they cannot be"),
])
def test_other_labels_are_refused_naming_both_lists(predictor: Predictor, tmp_path: Path, labels, why) -> None:
    table = read_table(_csv(tmp_path / "d.csv", labels))
    with pytest.raises(DatasetError) as info:
        examples_for_model(table, "classification", None, predictor.label_names)
    message = str(info.value)
    assert "the model's labels are LABEL_0, LABEL_1 (a checkpoint saved without label names) " + why in message
    assert "does not occur in the training data" not in message
    assert str(tmp_path / "d.csv") in message and "Write the data's labels as 0 to 1" in message


def test_named_models_are_untouched(tmp_path: Path) -> None:
    """A model with real label names reads data exactly as before: an unknown label is the usual error."""
    table = read_table(_csv(tmp_path / "d.csv", ["0", "1"] * 3))
    with pytest.raises(DatasetError, match="does not occur in the training data"):
        examples_for_model(table, "classification", None, ["neg", "pos"])
    examples, note = examples_for_model(table, "classification", None, ["0", "1"])
    assert note is None and examples.labels == [0, 1] * 3
