"""The task facts the CLI, the GUI and the model rules ask instead of comparing task names (issue 15).

Each flag is checked against the tasks it stood for when it was a name comparison, and the
rules built on them (presets, config validation, tokenizer check) keep their exact words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.engine.errors import ConfigError
from workbench.engine.models.preset_tasks import (
    architecture_problem,
    from_scratch_advice,
    lstm_task_problem,
)
from workbench.engine.tasks.registry import get_task, task_names
from workbench.engine.training.config import TrainConfig


def test_each_flag_picks_the_tasks_it_replaced() -> None:
    assert task_names(lambda t: t.labelled) == ("classification", "multi-label", "token-classification")
    assert task_names(lambda t: t.language_model) == ("masked-lm", "causal-lm")
    assert task_names(lambda t: t.truncates) == (
        "classification", "multi-label", "token-classification", "masked-lm", "translation", "summarization",
        "dialogue",
    )  # fmt: skip
    assert task_names(lambda t: t.generative) == ("causal-lm",)
    assert task_names(lambda t: t.explains) == ("classification",)
    assert task_names(lambda t: t.compares) == ("classification",)
    assert task_names(lambda t: t.predicts_in_one_pass) == ("classification",)
    assert task_names(lambda t: t.label_separator_option) == ("multi-label",)
    assert task_names(lambda t: t.fills_masks) == ("masked-lm",)
    assert task_names(lambda t: t.next_sentence_option) == ("masked-lm",)
    assert task_names(lambda t: t.bilstm_head) == ("classification", "token-classification")
    assert task_names(lambda t: t.windows_inputs) == ("question-answering",)
    assert task_names(lambda t: t.fixed_columns) == ("question-answering",)
    # the dataset panel's second-text column
    assert task_names(lambda t: t.roles.pair and not t.fixed_columns) == ("classification", "multi-label")
    assert task_names(lambda t: t.writes_predictions) == (
        "classification", "multi-label", "token-classification", "question-answering", "translation",
        "summarization", "dialogue",
    )  # fmt: skip
    assert task_names(lambda t: t.sequence_to_sequence) == ("translation", "summarization", "dialogue")
    assert task_names() == tuple(t.name for t in (get_task(n) for n in task_names()))
    assert [n for n in task_names() if get_task(n).default_max_length is not None] == [
        "question-answering", "summarization"]
    assert get_task("question-answering").default_max_length == 384


def test_preset_rules_keep_their_words() -> None:
    assert lstm_task_problem("bilstm", "classification") is None
    assert lstm_task_problem("bert-tiny", "masked-lm") is None  # no BiLSTM
    assert lstm_task_problem("bilstm", "masked-lm") == (
        "bilstm is a BiLSTM classifier and tagger (no language-model or answer-span head), so it cannot "
        "learn masked-lm; choose classification or token-classification, or a BERT / GPT preset for pre-training"
    )
    assert lstm_task_problem("bilstm", "question-answering") == (
        "bilstm is a BiLSTM classifier and tagger (no language-model or answer-span head), so it cannot "
        "learn question-answering; choose classification or token-classification"
    )
    assert architecture_problem("gpt-tiny", "masked-lm") == (
        "gpt-tiny is a left-to-right (GPT) model and cannot do masked-lm; choose causal-lm, or a BERT preset"
    )
    assert architecture_problem("gpt-tiny", "causal-lm") is None
    assert architecture_problem("bert-tiny", "masked-lm") is None
    assert architecture_problem("some/hub-model", "masked-lm") is None
    note = from_scratch_advice("bert-tiny", "masked-lm")
    assert note is not None and note.startswith("note: from scratch, bert-tiny's learned position embeddings")
    assert from_scratch_advice("bert-tiny", "classification") is None
    assert from_scratch_advice("modernbert-mini", "masked-lm") is None


def test_config_asks_the_task_for_its_options() -> None:
    nsp = TrainConfig(data="x.csv", model="bert-tiny", task="classification", next_sentence_prediction=True)
    assert "next_sentence_prediction: only for masked-lm (BERT-style pre-training), not classification" in (
        nsp.problems()
    )
    assert not [p for p in TrainConfig(data="x.txt", model="bert-tiny", task="masked-lm",
                                       next_sentence_prediction=True).problems() if "next_sentence" in p]
    separator = "label_separator: must be one or more characters (e.g. '|')"
    assert separator in TrainConfig(data="x.csv", model="bert-tiny", task="multi-label", label_separator="").problems()
    assert separator not in TrainConfig(data="x.csv", model="bert-tiny", label_separator="").problems()


def test_a_workshop_tokenizer_without_a_mask_token_is_refused_for_masked_lm(tmp_path: Path) -> None:
    from workbench.engine.models.tokenizer_workshop import (
        TokenizerOptions,
        tokenizer_for_preset,
        train,
    )

    folder = train(["a b c d"] * 20, TokenizerOptions("bpe", 300)).save(tmp_path / "bpe")
    with pytest.raises(ConfigError, match=r": masked-lm training needs a mask token such as \[MASK\]"):
        tokenizer_for_preset(folder, "bert", "masked-lm")
    assert tokenizer_for_preset(folder, "gpt", "causal-lm").mask_token is None
