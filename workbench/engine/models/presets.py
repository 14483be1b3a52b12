"""Small from-scratch architectures whose tokenizer is trained on the user's text.

A preset is a recipe, not weights: ``build_preset`` trains a tokenizer on the
training texts and initialises a fresh model of the preset's shape. Sizes are
kept small enough to train usefully on two CPU cores in minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from transformers import PretrainedConfig, PreTrainedTokenizerFast

Family = Literal["bert", "gpt"]


@dataclass(frozen=True)
class Preset:
    name: str
    family: Family
    layers: int
    heads: int
    hidden: int
    vocab_size: int
    description: str
    # 4x hidden is the transformer convention for the feed-forward width.
    intermediate_factor: int = 4
    max_positions: int = 512

    def with_overrides(
        self,
        layers: int | None = None,
        heads: int | None = None,
        hidden: int | None = None,
        vocab_size: int | None = None,
    ) -> Preset:
        return replace(
            self,
            layers=layers or self.layers,
            heads=heads or self.heads,
            hidden=hidden or self.hidden,
            vocab_size=vocab_size or self.vocab_size,
        )


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("bert-tiny", "bert", 2, 2, 128, 8000, "BERT, 2 layers x 128 wide (~1.5M params)"),
        Preset("bert-mini", "bert", 4, 4, 256, 16000, "BERT, 4 layers x 256 wide (~8M params)"),
        Preset("gpt-tiny", "gpt", 4, 4, 128, 8000, "GPT-2, 4 layers x 128 wide (~2M params)"),
    )
}

# Special tokens of each family's tokenizer, in id order (pad first, so id 0 pads).
BERT_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
GPT_EOS = "<|endoftext|>"


def is_preset(spec: str) -> bool:
    return spec in PRESETS


def train_tokenizer(
    family: Family, texts: Iterable[str], vocab_size: int, lowercase: bool = True
) -> PreTrainedTokenizerFast:
    """Train a tokenizer with `tokenizers` and wrap it for transformers.

    BERT style: WordPiece with BERT's normaliser, so CJK characters become
    tokens of their own before WordPiece. GPT style: byte-level BPE, which
    never produces an unknown token.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    if family == "bert":
        tok = Tokenizer(_wordpiece_vocab(texts, vocab_size, lowercase))
        tok.normalizer = _bert_normalizer(lowercase)
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tok.decoder = decoders.WordPiece(prefix="##")
        cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
        tok.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]",
            pair="[CLS] $A [SEP] $B:1 [SEP]:1",
            special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)],
        )
        return PreTrainedTokenizerFast(
            tokenizer_object=tok,
            unk_token="[UNK]",
            pad_token="[PAD]",
            cls_token="[CLS]",
            sep_token="[SEP]",
            mask_token="[MASK]",
            model_max_length=512,
        )

    tok = Tokenizer(models.BPE())
    # add_prefix_space so a word tokenises the same at the start of a text and
    # after a space (needed for word-level labels in token classification).
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=True)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[GPT_EOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        min_frequency=2,
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=GPT_EOS,
        eos_token=GPT_EOS,
        unk_token=GPT_EOS,
        # GPT-2 has no pad token; padding with EOS is the usual choice and the
        # attention mask keeps it out of every computation.
        pad_token=GPT_EOS,
        model_max_length=512,
        add_prefix_space=True,
    )


def _bert_normalizer(lowercase: bool):  # noqa: ANN202 - a tokenizers object
    from tokenizers import normalizers

    # handle_chinese_chars puts spaces around CJK characters, so each becomes
    # a word (and a token) of its own, as in BERT.
    return normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=lowercase
    )


def _wordpiece_vocab(texts: Iterable[str], vocab_size: int, lowercase: bool):  # noqa: ANN202
    """A WordPiece model whose vocabulary comes from a deterministic BPE run.

    tokenizers' WordPieceTrainer numbers its "##" pieces in hash-map order, so
    the same text and seed give a different vocabulary on every run
    (huggingface/tokenizers#1794). Plain BPE training is deterministic: we
    train BPE on half the budget and offer each piece both word-initially and
    as a "##" continuation, which WordPiece's greedy longest match then uses.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    bpe = Tokenizer(models.BPE(unk_token="[UNK]"))
    bpe.normalizer = _bert_normalizer(lowercase)
    bpe.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    budget = max((vocab_size - len(BERT_SPECIALS)) // 2, 64) + len(BERT_SPECIALS)
    bpe.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=budget, special_tokens=list(BERT_SPECIALS), min_frequency=2, show_progress=False
        ),
    )
    pieces = [t for t, _ in sorted(bpe.get_vocab().items(), key=lambda kv: kv[1]) if t not in BERT_SPECIALS]
    ordered = [*BERT_SPECIALS, *pieces, *("##" + p for p in pieces)]
    return models.WordPiece(
        {token: i for i, token in enumerate(ordered)}, unk_token="[UNK]", max_input_chars_per_word=100
    )


def preset_config(preset: Preset, tokenizer: PreTrainedTokenizerFast) -> PretrainedConfig:
    """The transformers config for a preset, sized to the trained vocabulary."""
    from transformers import BertConfig, GPT2Config

    vocab = len(tokenizer)
    if preset.family == "bert":
        return BertConfig(
            vocab_size=vocab,
            hidden_size=preset.hidden,
            num_hidden_layers=preset.layers,
            num_attention_heads=preset.heads,
            intermediate_size=preset.hidden * preset.intermediate_factor,
            max_position_embeddings=preset.max_positions,
            pad_token_id=tokenizer.pad_token_id,
        )
    return GPT2Config(
        vocab_size=vocab,
        n_embd=preset.hidden,
        n_layer=preset.layers,
        n_head=preset.heads,
        n_positions=preset.max_positions,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
