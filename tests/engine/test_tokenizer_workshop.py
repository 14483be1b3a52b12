"""The tokenizer workshop engine: training, splits, reports, comparison, saving, loading, errors."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tests.conftest import minilm_dir, shared
from workbench.engine.errors import ConfigError, DatasetError, ModelError
from workbench.engine.models.tokenizer_workshop import (
    TokenizerOptions,
    TokenizerTrained,
    TrainingProgress,
    compare,
    load_tokenizer_folder,
    read_corpus,
    sample_texts,
    train,
    train_events,
    word_spans,
)


@pytest.fixture(scope="module")
def english() -> list[str]:
    return read_corpus(shared("tinyshakespeare", "input.txt"))[:3000]


@pytest.fixture(scope="module")
def chinese() -> list[str]:
    return read_corpus(shared("zh_songci", "songci_lines.txt"))[:3000]


@pytest.fixture(scope="module")
def wordpiece(english: list[str]):
    return train(english, TokenizerOptions("wordpiece", 1000))


def test_words_are_whitespace_runs_and_single_cjk_characters() -> None:
    text = "Hi, you 我喜欢猫!"
    assert [text[s:e] for s, e in word_spans(text)] == ["Hi,", "you", "我", "喜", "欢", "猫", "!"]


def test_wordpiece_on_english_saves_a_folder_transformers_loads_and_encodes_identically(
    wordpiece, english: list[str], tmp_path: Path
) -> None:
    from transformers import AutoTokenizer

    tok = wordpiece
    assert tok.kind == "wordpiece" and tok.lowercase and 900 < tok.vocab_size <= 1000
    assert tok.special_tokens() == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    folder = tok.save(tmp_path / "wp")
    assert {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"} <= {
        p.name for p in folder.iterdir()
    }
    assert json.loads((folder / "special_tokens_map.json").read_text())["mask_token"] == "[MASK]"
    reloaded = AutoTokenizer.from_pretrained(folder)
    texts = [*english[:200:7], "Unseen wörds: naïve café!", "我喜欢猫"]
    batch = reloaded(texts, return_offsets_mapping=True)
    assert batch["input_ids"] == tok.hf(texts)["input_ids"] == [tok.split(t).ids for t in texts]
    assert [[tuple(o) for o in offs] for offs in batch["offset_mapping"]] == [
        [(p.start, p.end) for p in tok.split(t).pieces] for t in texts
    ]
    assert reloaded.mask_token == "[MASK]" and reloaded.pad_token_id == 0
    # Loading the folder back gives the options it was trained with.
    again = load_tokenizer_folder(folder)
    assert again.options == TokenizerOptions(
        "wordpiece", 1000
    ).resolved() and again.trained_on == len(english)


def test_report_counts_words_tokens_and_splits(wordpiece, english: list[str]) -> None:
    texts = english[:500]
    report = wordpiece.report(texts)
    expected_tokens = sum(len(wordpiece.hf.tokenize(t)) for t in texts)
    assert report.tokens == expected_tokens and report.words == sum(
        len(word_spans(t)) for t in texts
    )
    assert report.tokens_per_word == pytest.approx(expected_tokens / report.words)
    assert report.unknown_tokens == 0  # every character of the training text is in the vocabulary
    # A word split into pieces: the share counts words with 2+ tokens, checked by hand on one text.
    split = wordpiece.split(texts[1])
    pieces_per_word: dict[int, int] = {}
    for p in split.pieces:
        if p.word is not None:
            pieces_per_word[p.word] = pieces_per_word.get(p.word, 0) + 1
    assert wordpiece.report([texts[1]]).split_words == sum(c > 1 for c in pieces_per_word.values())
    assert 0 < report.split_word_share < 1 and report.top_tokens[0][1] == max(
        report.counts.values()
    )
    assert sum(report.counts.values()) == report.tokens


def test_chinese_wordpiece_makes_each_character_a_token_and_marks_unknown(
    chinese: list[str],
) -> None:
    tok = train(chinese, TokenizerOptions("wordpiece", 4000))
    split = tok.split("我喜欢猫")
    inner = [p for p in split.pieces if not p.special]
    assert [(p.start, p.end) for p in inner] == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert [p.word for p in inner] == [0, 1, 2, 3]
    assert [p.token for p in inner[:3]] == ["我", "喜", "欢"]
    cat_known = any("猫" in t for t in chinese)
    assert inner[3].unknown == (not cat_known) and inner[3].token == (
        "猫" if cat_known else "[UNK]"
    )
    # No "##" copies of CJK characters: they are always words of their own.
    assert not any(
        t.startswith("##") and len(t) == 3 and "\u4e00" <= t[2] <= "\u9fff"
        for t, _ in tok.vocabulary()
    )
    report = tok.report(chinese[:300])
    assert report.tokens_per_word == pytest.approx(1.0, abs=0.01)


def test_unigram_learns_chinese_words_and_custom_specials_take_their_roles(
    chinese: list[str], tmp_path: Path
) -> None:
    from transformers import AutoTokenizer

    specials = ("<pad>", "<unk>", "<s>", "</s>", "<mask>", "[E1]")
    tok = train(chinese, TokenizerOptions("unigram", 6000, special_tokens=specials))
    assert tok.kind == "unigram" and tok.special_tokens() == list(specials)
    hf = tok.hf
    assert (hf.pad_token, hf.unk_token, hf.cls_token, hf.sep_token, hf.mask_token) == specials[:5]
    # SentencePiece-style: multi-character Chinese words, so fewer tokens than characters.
    assert tok.report(chinese[:300]).tokens_per_word < 0.9
    split = tok.split("春风 [E1] 江南")
    assert "[E1]" in split.tokens and split.tokens[0] == "<s>" and split.tokens[-1] == "</s>"
    folder = tok.save(tmp_path / "uni")
    saved = json.loads((folder / "special_tokens_map.json").read_text())
    assert saved["additional_special_tokens"] == ["[E1]"] and saved["unk_token"] == "<unk>"
    assert AutoTokenizer.from_pretrained(folder)("春风 [E1] 江南")["input_ids"] == split.ids


def test_byte_level_bpe_never_meets_an_unknown_and_reads_back_its_bytes(english: list[str]) -> None:
    tok = train(english, TokenizerOptions("bpe", 600))
    assert tok.byte_level and tok.unk_id is None and not tok.lowercase
    text = "Thou art naïve, 猫!"
    split = tok.split(text)
    assert not any(p.unknown for p in split.pieces)
    assert tok.hf.decode(split.ids) == " " + text  # add_prefix_space, as GPT-2 with prefix space
    readable = [p.display for p in tok.split("Thou art naive").pieces]
    assert "".join(readable).replace("▁", " ").strip() == "Thou art naive"
    assert tok.report(english[:200]).unknown_tokens == 0


def test_lowercase_option(english: list[str]) -> None:
    cased = train(english[:1500], TokenizerOptions("wordpiece", 800, lowercase=False))
    lower = train(english[:1500], TokenizerOptions("wordpiece", 800, lowercase=True))
    assert cased.split("HELLO there").ids != cased.split("hello there").ids
    assert lower.split("HELLO there").ids == lower.split("hello there").ids


def test_compare_lists_sentences_split_differently(wordpiece, english: list[str]) -> None:
    texts = english[:400]
    bpe = train(english, TokenizerOptions("bpe", 600))
    result = compare(wordpiece, bpe, texts, max_examples=5)
    assert result.a.kind == "wordpiece" and result.b.kind == "bpe" and result.sentences == 400
    assert result.a.words == result.b.words  # the same words for both, so the numbers compare
    assert 0 < result.differing <= 400 and len(result.examples) == 5
    for a, b in result.examples:
        assert a.text == b.text
        assert [(p.start, p.end) for p in a.pieces] != [(p.start, p.end) for p in b.pieces]
    same = compare(wordpiece, wordpiece, texts)
    assert same.differing == 0 and same.examples == () and same.a.to_dict() == same.b.to_dict()


def test_minilm_checkpoint_loads_for_inspection_without_its_padding(
    wordpiece, english: list[str]
) -> None:
    minilm = load_tokenizer_folder(minilm_dir())
    assert minilm.kind == "wordpiece" and minilm.lowercase and minilm.vocab_size == 30522
    texts = english[:50]
    report = minilm.report(texts)
    # tokenizer.json of the checkpoint pads to 128: the report must count the text's own tokens only.
    assert report.tokens == sum(len(minilm.hf.tokenize(t)) for t in texts)
    assert minilm.split("Hello world").tokens == ["[CLS]", "hello", "world", "[SEP]"]
    result = compare(wordpiece, minilm, texts)
    assert (
        result.b.tokens_per_word < result.a.tokens_per_word
    )  # 30k vocabulary: fewer pieces per word


def test_progress_events_and_cancel(english: list[str]) -> None:
    texts = english * 4  # 12,000 texts: twelve batches of 1,000
    events = list(train_events(texts, TokenizerOptions("wordpiece", 1000)))
    progress = [e for e in events if isinstance(e, TrainingProgress)]
    assert [e.done for e in progress if e.phase == "reading"] == list(range(1000, 12_001, 1000))
    assert progress[-1].phase == "learning" and isinstance(events[-1], TokenizerTrained)

    gen = train_events(texts, TokenizerOptions("wordpiece", 1000))
    first = next(gen)
    assert isinstance(first, TrainingProgress) and first.phase == "reading"
    gen.close()  # what a cancel does
    assert not any(t.name == "tokenizer-training" for t in threading.enumerate())


def test_bad_input_gives_clear_errors(english: list[str], tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no text"):
        train(["", "   "], TokenizerOptions("wordpiece", 1000))
    with pytest.raises(ConfigError, match="256 byte values"):
        train(english, TokenizerOptions("bpe", 100))
    with pytest.raises(ConfigError, match="needs at least") as info:
        train(english, TokenizerOptions("wordpiece", 60))
    needed = int(str(info.value).split("needs at least ")[1].split()[0])
    assert (
        train(english, TokenizerOptions("wordpiece", needed)).vocab_size <= needed
    )  # the advice works
    with pytest.raises(ConfigError, match="too small"):
        train(english[:500], TokenizerOptions("unigram", 20))
    with pytest.raises(ConfigError, match="unknown-token"):
        train(english, TokenizerOptions("wordpiece", 1000, special_tokens=("[PAD]", "[CLS]")))
    assert "listed twice" in " ".join(
        TokenizerOptions("bpe", 1000, special_tokens=("<s>", "<s>")).problems()
    )

    binary = tmp_path / "corpus.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(DatasetError) as bad:
        read_corpus(binary)
    assert bad.value.path == binary
    with pytest.raises(DatasetError, match="does not exist"):
        read_corpus(tmp_path / "missing.txt")

    # Saving never replaces a folder that holds anything but tokenizer files.
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("do not lose me")
    tok = train(english[:500], TokenizerOptions("bpe", 300))
    with pytest.raises(ConfigError, match="other files"):
        tok.save(precious)
    assert (precious / "thesis.tex").read_text() == "do not lose me"
    tok.save(tmp_path / "tok")
    tok.save(tmp_path / "tok")  # overwriting its own earlier save is fine

    with pytest.raises(ModelError, match="no such"):
        load_tokenizer_folder(tmp_path / "nowhere")
    with pytest.raises(ModelError, match="no tokenizer"):
        load_tokenizer_folder(precious)


def test_sample_texts_spreads_over_the_corpus() -> None:
    texts = [str(i) for i in range(100)]
    assert sample_texts(texts, 200) == texts
    assert sample_texts(texts, 4) == ["0", "25", "50", "75"]


def test_a_workshop_tokenizer_drives_a_from_scratch_preset(wordpiece, tmp_path: Path) -> None:
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.models.tokenizer_workshop import tokenizer_for_preset
    from workbench.engine.training.config import TrainConfig

    folder = wordpiece.save(tmp_path / "wp")
    model, tokenizer = build_from_scratch(
        "bert-tiny",
        "masked-lm",
        ["some text"],
        layers=1,
        hidden=32,
        heads=2,
        vocab_size=123,
        tokenizer=tokenizer_for_preset(str(folder), "bert", "masked-lm"),
    )
    assert model.config.vocab_size == wordpiece.vocab_size  # the tokenizer's size, not vocab_size
    assert tokenizer("thou art")["input_ids"] == wordpiece.split("thou art").ids
    bpe_folder = train(["a b c d"] * 20, TokenizerOptions("bpe", 300)).save(tmp_path / "bpe")
    with pytest.raises(ConfigError, match="mask token"):
        tokenizer_for_preset(str(bpe_folder), "bert", "masked-lm")
    assert TrainConfig(data="x", model="bert-tiny", tokenizer=str(folder)).problems() == []
    assert any(
        p.startswith("tokenizer:")
        for p in TrainConfig(data="x", tokenizer=str(tmp_path)).problems()
    )


def test_bert_style_tokenizers_mark_the_second_text_of_a_pair(tmp_path) -> None:
    """Segment ids reach the model (NLI pairs, question + context), also after saving."""
    from transformers import AutoTokenizer

    from workbench.engine.models.presets import train_tokenizer

    tokenizer = train_tokenizer("bert", ["the cat sat on the mat", "a dog ran in the park"] * 20, 200)
    tokenizer.save_pretrained(tmp_path)
    for tok in (tokenizer, AutoTokenizer.from_pretrained(tmp_path)):
        encoded = tok("the cat", "a dog")
        first = encoded["input_ids"].index(tok.sep_token_id)
        assert encoded["token_type_ids"] == [0] * (first + 1) + [1] * (len(encoded["input_ids"]) - first - 1)
