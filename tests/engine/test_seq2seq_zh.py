"""Chinese written one character at a time (LCCC's toy files): read back as normal text.

LCCC writes "我 也 要 去 健 身". Read as is, the seq2seq preset's byte-level tokenizer made a
space token after every character: targets twice as long, and a model that must learn to
write the spaces. The reader now joins such texts (sources, references, and what is typed at
prediction), and the tokenizer gives the joined text back exactly.
"""

from __future__ import annotations

from pathlib import Path

from workbench.engine.data import read_table
from workbench.engine.models.presets import train_tokenizer
from workbench.engine.task_data import build_examples
from workbench.engine.tasks.seq2seq import SourceFormat, join_spaced_characters

LCCC_ROWS = [  # rows of toy_train.txt, as in the file
    ("我 也 要 去 健 身 懒 半 年 了", "我 一 直 懒 现 在 终 于 动 起 来 了"),
    ("常 联 系 啊 ， C F 你 懂 的", "回 想 和 怀 念 ， 常 联 系 永 不 变"),
    ("打 包 2 斤 牛 油 回 来 ， 谢 谢 。", "我 谢 谢 你 …"),
]


def test_character_spaced_chinese_is_joined_and_other_text_left_alone() -> None:
    assert join_spaced_characters("常 联 系 啊 ， C F 你 懂 的") == "常联系啊，CF你懂的"
    assert join_spaced_characters("好 ！") == "好！"
    for text in ["I am a cat", "a b c", "你好 world", "我 喜欢 你", "好", "我得去工作了。", ""]:
        assert join_spaced_characters(text) == text
    # What is typed at prediction (and each earlier turn of a chat) reaches the model as in training.
    assert SourceFormat("回复：", 2, " | ").compose("你 好", ["在 吗 ？", "在"]) == "回复：在 | 你好"


def test_lccc_pairs_read_joined_and_round_trip_through_the_tokenizer(tmp_path: Path) -> None:
    path = tmp_path / "toy_train.txt"
    path.write_text("".join(f"{post}\t{reply}\n" for post, reply in LCCC_ROWS), encoding="utf-8")
    examples = build_examples(read_table(path), "dialogue")
    assert examples.texts == ["我也要去健身懒半年了", "常联系啊，CF你懂的", "打包2斤牛油回来，谢谢。"]
    assert examples.targets == [["我一直懒现在终于动起来了"], ["回想和怀念，常联系永不变"], ["我谢谢你…"]]
    texts = examples.texts + [refs[0] for refs in examples.targets]
    tokenizer = train_tokenizer("t5", texts * 3, 600)  # room for every character's byte merges
    for text in texts:
        ids = tokenizer(text)["input_ids"]
        # A token per character at most (Latin ones merge), none a space ("Ġ" in byte-level BPE),
        # then </s>; decoding gives the text back.
        assert len(ids) <= len(text) + 1 and ids[-1] == tokenizer.eos_token_id
        assert "Ġ" not in tokenizer.convert_ids_to_tokens(ids)
        assert tokenizer.decode(ids, skip_special_tokens=True) == text
