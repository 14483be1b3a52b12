"""The tokenizer workshop panel driven like a person would: real training in worker threads."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.conftest import shared
from tests.gui.conftest import assert_no_active_timers
from workbench.engine.models.presets import BERT_SPECIALS
from workbench.engine.models.tokenizer_workshop import TokenizerOptions
from workbench.gui.panels.tokenizer_panel import TokenizerPanel


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    lines = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:2000]
    path = tmp_path / "shakespeare.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def panel(qtbot):
    p = TokenizerPanel()
    qtbot.addWidget(p)
    p.resize(1100, 750)
    p.show()
    yield p
    p.shutdown()
    assert_no_active_timers(p)


def choose_kind(panel: TokenizerPanel, kind: str, vocab_size: int) -> None:
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(kind))
    panel.vocab_spin.setValue(vocab_size)


def test_train_type_save_and_compare(
    qtbot, panel: TokenizerPanel, corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    from transformers import AutoTokenizer

    # Choose the corpus through the button's file dialog.
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(corpus), ""))
    )
    qtbot.mouseClick(panel.corpus_button, Qt.MouseButton.LeftButton)
    assert panel.corpus == str(corpus) and "shakespeare.txt" in panel.corpus_label.text()

    # Train a WordPiece tokenizer.
    choose_kind(panel, "wordpiece", 1000)
    assert (
        panel.lowercase_check.isChecked()
        and panel.specials_edit.text() == "[PAD] [UNK] [CLS] [SEP] [MASK]"
    )
    assert panel.train_button.isEnabled()
    with qtbot.waitSignal(panel.report_ready, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    tok = panel.tokenizer
    assert tok is not None and tok.kind == "wordpiece" and tok.vocab_size <= 1000
    assert report.texts == 2000 - sum(not line.strip() for line in corpus.read_text().splitlines())
    assert 1.0 < report.tokens_per_word < 3.0 and report.unknown_tokens == 0
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert "wordpiece" in panel.status_label.text()

    # The vocabulary table holds every token, with corpus counts, and searches.
    model, proxy = panel.vocab_model, panel.vocab_proxy
    assert model.rowCount() == tok.vocab_size
    the = tok.hf.convert_tokens_to_ids("the")
    row = next(r for r in range(model.rowCount()) if model.token_at(r)[1] == the)
    assert model.data(model.index(row, 2)) == f"{report.counts[the]:,}"
    qtbot.keyClicks(panel.search_edit, "##")
    assert 0 < proxy.rowCount() < model.rowCount()
    assert all("##" in proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount()))
    panel.search_edit.clear()

    # Typing a sentence shows its split live: chips in the tokenizer's order, [UNK] marked.
    panel.sample_edit.clear()
    qtbot.keyClicks(panel.sample_edit, "Wherefore art thou ")
    panel.sample_edit.insert("猫")  # QTest types ASCII only; an input method inserts the character
    expected = tok.split("Wherefore art thou 猫")
    assert panel.chips.chip_texts() == [p.display for p in expected.pieces]
    assert panel.chips.chip_texts()[0] == "[CLS]" and panel.chips.chip_texts()[-1] == "[SEP]"
    assert panel.chips.unknown_chips() == [len(expected.pieces) - 2]  # 猫 is not in Shakespeare
    assert "1 unknown" in panel.split_label.text()
    assert "characters 19-20" in panel.chips.tooltip_for(len(expected.pieces) - 2)

    # Save (button + folder dialog), then transformers loads the folder and encodes the same.
    target = tmp_path / "saved tokenizer"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    with qtbot.waitSignal(panel.saved, timeout=30_000):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert {p.name for p in target.iterdir()} >= {
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
    }
    reloaded = AutoTokenizer.from_pretrained(target)
    for text in (
        "Wherefore art thou 猫",
        "First Citizen: Before we proceed any further, hear me speak.",
    ):
        assert reloaded(text)["input_ids"] == tok.hf(text)["input_ids"] == tok.split(text).ids

    # Compare with a byte-level BPE trained on the same corpus: it splits differently, never unknown.
    choose_kind(panel, "bpe", 600)
    assert not panel.lowercase_check.isChecked() and panel.specials_edit.text() == "<|endoftext|>"
    with qtbot.waitSignal(panel.compared, timeout=60_000) as blocker:
        panel.compare_train_action.trigger()
    comparison = blocker.args[0]
    assert panel.tabs.currentIndex() == 1
    assert comparison.a.kind == "wordpiece" and comparison.b.kind == "bpe"
    assert comparison.a.words == comparison.b.words and comparison.b.unknown_tokens == 0
    assert 0 < comparison.differing <= comparison.sentences
    assert panel.compare_table.rowCount() > 5 and panel.compare_table.item(0, 2).text() == "bpe"
    assert panel.chips_b.chip_texts() == [
        p.display for p in panel.other.split("Wherefore art thou 猫").pieces
    ]
    assert panel.chips_b.unknown_chips() == []
    # A differing sentence clicked shows in both chip rows.
    assert panel.diff_table.rowCount() == min(comparison.differing, 50)
    panel.diff_table.selectRow(1)
    assert panel.sample_edit.text() == comparison.examples[1][0].text
    assert panel.chips_a.chip_texts() != panel.chips_b.chip_texts()

    # The saved folder compared with A: the same tokenizer, so nothing differs.
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    with qtbot.waitSignal(panel.compared, timeout=60_000) as blocker:
        panel.compare_with(str(target))
    assert blocker.args[0].differing == 0 and blocker.args[0].a.tokens == blocker.args[0].b.tokens


def test_chinese_corpus_splits_characters_and_renders_in_the_table(
    qtbot, panel: TokenizerPanel, tmp_path: Path
) -> None:
    lines = shared("zh_songci", "songci_lines.txt").read_text(encoding="utf-8").splitlines()[:3000]
    path = tmp_path / "songci.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    panel.set_corpus(str(path))
    choose_kind(panel, "wordpiece", 4000)
    with qtbot.waitSignal(panel.report_ready, timeout=60_000):
        panel.train()
    panel.set_sample_text("我喜欢猫")
    split = panel.chips.split
    inner = [p for p in split.pieces if not p.special]
    assert [(p.start, p.end) for p in inner] == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert [p.display for p in inner[:3]] == ["我", "喜", "欢"]
    model = panel.vocab_model
    shown = {model.data(model.index(r, 0)) for r in range(model.rowCount())}
    assert {"我", "风", "。"} <= shown  # CJK tokens reach the table as they are


def test_cancel_drops_the_result_and_errors_show_in_the_banner(
    qtbot, panel: TokenizerPanel, corpus: Path
) -> None:
    panel.set_corpus(str(corpus))
    choose_kind(panel, "wordpiece", 1000)
    panel.train()
    assert panel.busy and panel.cancel_button.isEnabled()
    qtbot.keyClick(panel.sample_edit, Qt.Key.Key_Escape)  # Esc cancels
    assert not panel.busy and panel.status_label.text() == "Cancelled"
    panel._runner.shutdown()  # let the abandoned worker end, then deliver whatever it sent
    qtbot.wait(50)
    assert panel.tokenizer is None and panel.vocab_model.rowCount() == 0

    # A vocabulary too small for the corpus: a readable error, and the panel stays usable.
    choose_kind(panel, "wordpiece", 60)
    with qtbot.waitSignal(panel.failed, timeout=60_000) as blocker:
        panel.train()
    assert "too small" in blocker.args[0] and "Choose" in blocker.args[0]
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert panel.error_banner.isVisible() and panel.train_button.isEnabled()

    # Options the engine rejects never reach a worker: Train is disabled and says why.
    panel.specials_edit.setText("[PAD] [CLS] [SEP]")
    assert not panel.train_button.isEnabled()
    assert "unknown-token" in panel.problems_label.text()

    # The corpus and the settings last trained with come back in the next session.
    again = TokenizerPanel()
    qtbot.addWidget(again)
    assert again.corpus == str(corpus) and again.vocab_spin.value() == 60
    assert again.options() == TokenizerOptions("wordpiece", 60, True, BERT_SPECIALS)
    again.shutdown()


def test_main_window_has_the_tab_after_dataset_and_feeds_it_the_dataset(qtbot, window, corpus: Path) -> None:
    from workbench.gui.main_window import TAB_NAMES

    w = window
    assert TAB_NAMES[:2] == ("Dataset", "Tokenizer") and w.tabs.widget(1) is w.tokenizer_panel
    view = next(a for a in w.menuBar().actions() if a.text() == "&View").menu()
    tokenizer_action = next(a for a in view.actions() if a.text() == "Tokenizer")
    assert tokenizer_action.shortcut().toString() == "Ctrl+2"
    tokenizer_action.trigger()
    assert w.tabs.currentWidget() is w.tokenizer_panel
    with qtbot.waitSignal(w.dataset_panel.dataset_loaded, timeout=30_000):
        w.dataset_panel.open_file(str(corpus))
    assert w.tokenizer_panel.corpus == str(corpus)
    assert "from the Dataset tab" in w.tokenizer_panel.corpus_label.text()


def test_model_panel_takes_a_workshop_tokenizer_for_presets(
    qtbot, corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    from tests.conftest import minilm_dir
    from workbench.engine.models.tokenizer_workshop import TokenizerOptions, read_corpus, train
    from workbench.engine.training.config import TrainConfig
    from workbench.gui.panels.model_panel import ModelPanel

    folder = train(read_corpus(corpus), TokenizerOptions("wordpiece", 800)).save(tmp_path / "tok")
    m = ModelPanel()
    qtbot.addWidget(m)
    try:
        m.set_model("bert-tiny")
        assert m.tokenizer_edit.isEnabled() and m.tokenizer_button.isEnabled()
        monkeypatch.setattr(
            QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder))
        )
        qtbot.mouseClick(m.tokenizer_button, Qt.MouseButton.LeftButton)
        config = TrainConfig()
        m.apply_to(config)
        assert config.tokenizer == str(folder) and m.problems() == []

        m.tokenizer_edit.setText(str(tmp_path))  # a folder without tokenizer.json
        m.tokenizer_edit.editingFinished.emit()
        assert any(p.startswith("tokenizer:") for p in m.problems()) and m.is_flagged(
            m.tokenizer_edit
        )

        m.load_from(
            TrainConfig(model="gpt-tiny", tokenizer=str(folder))
        )  # a saved config round-trips
        assert m.tokenizer_edit.text() == str(folder) and m.problems() == []
        m.set_model(str(minilm_dir()))  # a checkpoint keeps its own tokenizer
        assert not m.tokenizer_edit.isEnabled()
        m.apply_to(config)
        assert config.tokenizer is None
    finally:
        m.shutdown()


def test_the_vocabulary_search_takes_at_most_a_token_sized_text(panel: TokenizerPanel) -> None:
    """A pasted book in the search box is cut to SEARCH_MAX_CHARS: the filter never sees 100,000 characters."""
    from workbench.gui.panels.tokenizer_panel import SEARCH_MAX_CHARS

    panel.search_edit.setText("word " * 20_000)
    assert len(panel.search_edit.text()) == SEARCH_MAX_CHARS
    assert len(panel.vocab_proxy.filterRegularExpression().pattern()) < 2 * SEARCH_MAX_CHARS


def test_a_huge_first_row_is_split_only_as_far_as_a_sentence(qtbot, panel: TokenizerPanel, tmp_path: Path) -> None:
    """The monkey's corpus had a 100,000-character first row: splitting and drawing all of it on the
    main thread stalled the window for 4 s after training. The sample shown stops at 1,000 characters."""
    corpus = tmp_path / "huge.txt"
    words = " ".join(f"word{i % 97}" for i in range(40_000))  # about 300,000 characters on one line
    corpus.write_text(words + "\nsecond line\n" * 50, encoding="utf-8")
    panel.set_corpus(str(corpus))
    choose_kind(panel, "wordpiece", 300)
    with qtbot.waitSignal(panel.report_ready, timeout=60_000):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert len(panel.sample_edit.placeholderText()) <= 1000
    assert "(the first 1000 characters)" not in panel.split_label.text()  # the placeholder was cut already
    panel.sample_edit.setText(words)  # pasted: the field keeps it all, the split stops at 1,000
    assert "(the first 1000 characters)" in panel.split_label.text()
