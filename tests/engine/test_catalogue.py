"""The model catalogue: its entries, the facts of local folders, and the memory and time estimates."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import minilm_dir, shared
from workbench.engine.models import catalogue as cat
from workbench.engine.models.catalogue import CATALOGUE, catalogue_entry, folder_facts, model_facts
from workbench.engine.tasks.registry import TASKS


def test_entries_are_complete_and_consistent():
    ids = [e.repo_id for e in CATALOGUE]
    assert len(set(ids)) == len(ids) == 13
    for entry in CATALOGUE:
        assert entry.repo_id.count("/") == 1
        assert entry.language in ("en", "zh", "multi")
        assert entry.tasks and set(entry.tasks) <= set(TASKS)
        assert entry.params > 10_000_000 and entry.description
        # fp32 safetensors hold ~4 bytes per parameter (plus the heads some repos ship).
        assert 3.5 < entry.download_bytes / entry.params < 4.8
    assert catalogue_entry("bert-base-uncased").repo_id == "google-bert/bert-base-uncased"
    assert catalogue_entry("GPT2").repo_id == "openai-community/gpt2"
    assert catalogue_entry("google-bert/bert-base-chinese").language == "zh"
    assert catalogue_entry("someone/else") is None


def test_every_task_has_a_pretrained_suggestion_in_english_and_chinese():
    """The catalogue covers each task's language: encoder-decoders for seq2seq, mT5 for Chinese sources."""
    from workbench.engine.advice import candidates

    for task in TASKS:
        for language in ("en", "zh"):
            suggested = [f.spec for f in candidates(task, language, installed=[])]
            if task == "causal-lm" and language == "zh":
                continue  # no Chinese GPT in the list
            assert suggested, (task, language)
    assert [f.spec for f in candidates("summarization", "zh", installed=[])] == ["google/mt5-small"]
    assert candidates("translation", "en", installed=[])[0].spec == "google-t5/t5-small"  # smallest first


def test_the_installed_minilm_matches_its_catalogue_entry():
    folder = minilm_dir()
    entry = catalogue_entry("sentence-transformers/all-MiniLM-L6-v2")
    facts = folder_facts(folder)
    # The header count includes a 512-element position_ids buffer the old file still stores.
    assert facts.params == pytest.approx(entry.params, abs=1024)
    assert (facts.hidden, facts.layers, facts.vocab_size, facts.max_positions) == (
        entry.hidden, entry.layers, entry.vocab_size, entry.max_positions
    )  # fmt: skip
    assert os.path.getsize(folder / "model.safetensors") == entry.download_bytes
    assert facts.language == entry.language == "en"


def test_vocabulary_language_tells_chinese_from_english(tmp_path):
    from workbench.engine.models.presets import train_tokenizer

    texts = shared("zh_songci", "songci_lines.txt").read_text(encoding="utf-8").splitlines()[:3000]
    train_tokenizer("bert", texts, 3000).save_pretrained(tmp_path / "zh")
    assert cat.vocabulary_language(tmp_path / "zh") == "zh"
    english = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:3000]
    train_tokenizer("gpt", english, 3000).save_pretrained(tmp_path / "en")  # byte-level BPE
    assert cat.vocabulary_language(tmp_path / "en") == "en"
    assert cat.vocabulary_language(tmp_path / "nothing") is None


def test_model_facts_cover_presets_catalogue_folders_and_runs(tmp_path):
    tiny = model_facts("bert-tiny")
    assert tiny is not None and not tiny.pretrained and tiny.language is None
    assert 1_300_000 < tiny.params < 1_700_000  # the preset's "~1.5M params"
    base = model_facts("bert-base-uncased")
    assert base.params == 109_482_240 and base.language == "en"
    run = tmp_path / "run"
    (run / "model").mkdir(parents=True)
    (run / "model" / "config.json").write_text(
        json.dumps({"hidden_size": 64, "num_hidden_layers": 3, "vocab_size": 99})
    )
    facts = model_facts(str(run))
    assert (facts.hidden, facts.layers, facts.vocab_size, facts.params) == (64, 3, 99, None)
    assert model_facts("someone/not-downloaded") is None


def test_memory_estimate_follows_the_documented_formula():
    entry = catalogue_entry("google-bert/bert-base-uncased")
    facts = cat.entry_facts(entry)
    got = cat.facts_memory_bytes(facts, batch_size=32, max_length=128)
    assert got == entry.params * 16 + 32 * 128 * 768 * 12 * cat.ACTIVATION_BYTES_FP32
    assert 2.5e9 < got < 6e9  # BERT base, batch 32 x 128, fp32: a few GB, as people report
    mixed = cat.facts_memory_bytes(facts, batch_size=32, max_length=128, mixed_precision=True)
    assert mixed < got
    # A max length over the model's positions is cut to them (training truncates there).
    assert cat.facts_memory_bytes(facts, 1, 4096) == cat.facts_memory_bytes(facts, 1, 512)


def test_time_per_epoch_scales_with_rows_and_model_size():
    small = cat.entry_facts(catalogue_entry("sentence-transformers/all-MiniLM-L6-v2"))
    large = cat.entry_facts(catalogue_entry("google-bert/bert-large-uncased"))
    flops = 40e9
    t_small = cat.epoch_seconds(small, 10_000, 30, 128, flops)
    assert t_small == pytest.approx(
        6 * small.compute_params * 10_000 * 30 / (flops * cat.EFFICIENCY)
    )
    assert cat.epoch_seconds(small, 20_000, 30, 128, flops) == pytest.approx(2 * t_small)
    assert cat.epoch_seconds(large, 10_000, 30, 128, flops) > 25 * t_small
    assert cat.epoch_seconds(small, 10_000, 300, 128, flops) == pytest.approx(
        128 / 30 * t_small
    )  # truncated


def test_token_estimates_for_english_and_chinese():
    assert cat.estimate_tokens("a gorgeous witty film") == pytest.approx(
        4 * cat.TOKENS_PER_WORD + 2
    )
    assert cat.estimate_tokens("商务大床房") == 5 + 2
    assert cat.cjk_share(["商务大床房 ok"]) == pytest.approx(5 / 7)


def test_the_flops_probe_measures_once_per_session():
    flops = cat.measure_flops("cpu", seconds=0.05)
    assert flops > 1e8  # any CPU of this century does more than 0.1 GFLOP/s
    assert cat.cached_flops("cpu") == flops
    assert cat.measure_flops("cpu") == flops  # cached: not measured again


def test_available_memory_is_known_here():
    memory = cat.available_memory_bytes("cpu")
    assert memory is not None and memory > 100 * 1024**2


def test_script_counts_equal_the_per_character_definition_and_stop_at_the_limit():
    mixed = "商务 bed 大床房, 1 night_ok 𠀁 é؟ 😀\t房"
    han = sum(cat.is_cjk(c) for c in mixed)
    words = len("".join(" " if cat.is_cjk(c) else c for c in mixed).split())
    assert cat.estimate_tokens(mixed) == pytest.approx(han + words * cat.TOKENS_PER_WORD + 2)
    alnum = sum(c.isalnum() for c in mixed)
    assert cat.cjk_share([mixed, mixed]) == pytest.approx(han / alnum)
    # A huge text is read up to the limit: the Han characters past it do not count.
    assert cat.cjk_share(["abcde" * 4 + "商" * 100_000], limit=20) == 0.0
    assert cat.cjk_share(["abcde", "商" * 100_000], limit=10) == pytest.approx(5 / 10)
