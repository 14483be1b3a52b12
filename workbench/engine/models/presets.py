"""Small from-scratch architectures whose tokenizer is trained on the user's text.

A preset is a recipe, not weights: ``build_preset`` trains a tokenizer on the
training texts and initialises a fresh model of the preset's shape. Sizes are
kept small enough to train usefully on two CPU cores in minutes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from transformers import PretrainedConfig, PreTrainedTokenizerFast

Family = Literal["bert", "modernbert", "gpt", "lstm", "t5", "bart"]
# Encoder-decoder families: they learn sequence-to-sequence tasks, and only those.
ENCODER_DECODER_FAMILIES: tuple[Family, ...] = ("t5", "bart")


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
    intermediate_factor: float = 4
    max_positions: int = 512
    # Recurrent presets only: the word-embedding width (a transformer's equals hidden).
    embedding: int | None = None
    # The automatic peak learning rate (training.config.auto_learning_rate): random weights need larger steps.
    lr: float = 1e-3

    @property
    def encoder_decoder(self) -> bool:
        """An encoder reads the source, a decoder writes the target (``preset_tasks`` matches it to tasks)."""
        return self.family in ENCODER_DECODER_FAMILIES

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
        # Rotary positions and pre-norm layers: from scratch, a masked LM with BERT's learned
        # absolute positions predicts word frequencies only (the unigram plateau) for
        # thousands of steps; this one uses its neighbours within a few hundred
        # (tinyshakespeare: 0.116 masked accuracy after 250 steps against the unigram 0.070;
        # bert-mini is still at 0.07 after 10 minutes). The feed-forward is gated (GeGLU),
        # so 1.5x hidden as in ModernBERT-base.
        Preset("modernbert-mini", "modernbert", 4, 4, 256, 16000,
               "ModernBERT, 4 layers x 256 wide, rotary positions (~6M params): "
               "learns masked LM from scratch in minutes", intermediate_factor=1.5),
        Preset("gpt-tiny", "gpt", 4, 4, 128, 8000, "GPT-2, 4 layers x 128 wide (~2M params)"),
        # heads=1: a BiLSTM has none; 1 keeps the shared "hidden divisible by heads" rule true.
        # lr 5e-3: at 1e-3 the LSTM barely moves in a short run (UPOS on 1,000 EWT sentences,
        # 160 steps: 0.37 accuracy at 1e-3, 0.78 at 3e-3, 0.82 at 5e-3; SST-2 0.72 / 0.76 / 0.77).
        Preset("bilstm", "lstm", 1, 1, 256, 8000,
               "BiLSTM baseline, 1 layer x 256 per direction (~1.8M params), classification and tagging",
               embedding=128, lr=5e-3),
        # Encoder-decoders for translation, summarisation and dialogue: ``layers`` in the encoder
        # and as many in the decoder. T5's relative position buckets need no position table;
        # BART learns absolute positions up to max_positions.
        Preset("t5-tiny", "t5", 2, 4, 128, 8000,
               "T5 encoder-decoder, 2+2 layers x 128 wide (~1.9M params): translation, summarisation, dialogue"),
        Preset("bart-tiny", "bart", 2, 4, 128, 8000,
               "BART encoder-decoder, 2+2 layers x 128 wide (~2.1M params): translation, summarisation, dialogue"),
    )
}

# Special tokens of each family's tokenizer, in id order (pad first, so id 0 pads).
BERT_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
GPT_EOS = "<|endoftext|>"
# The encoder-decoder presets' tokenizer: T5's names, <pad> first as T5 has it (its decoder starts from it).
SEQ2SEQ_SPECIALS = ("<pad>", "</s>", "<s>")
# Characters a seq2seq preset's tokenizer keeps apart, each a word of its own (as BERT splits
# Chinese): the CJK blocks of BERT's _is_chinese_char, kana and hangul.
_CJK_CHARACTER = (
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002ceaf\U0002f800-\U0002fa1f]"
)

# The tokenizers ``train_tokenizer`` can train (the tokenizer workshop offers all three).
TokenizerKind = Literal["wordpiece", "bpe", "unigram"]
TOKENIZER_KINDS: tuple[TokenizerKind, ...] = ("wordpiece", "bpe", "unigram")
# The tokenizer each preset family trains (the BiLSTM reads the same WordPiece tokens as BERT).
FAMILY_TOKENIZER: dict[str, TokenizerKind] = {
    "bert": "wordpiece", "modernbert": "wordpiece", "lstm": "wordpiece", "gpt": "bpe",
}
DEFAULT_SPECIALS: dict[str, tuple[str, ...]] = {"wordpiece": BERT_SPECIALS, "unigram": BERT_SPECIALS, "bpe": (GPT_EOS,)}
# Lowercasing by default as BERT-uncased does; GPT-2's byte-level BPE and SentencePiece keep case.
DEFAULT_LOWERCASE: dict[str, bool] = {"wordpiece": True, "unigram": False, "bpe": False}
# Special-token roles recognised by name, for lists the user edits (BERT's and SentencePiece's names).
_ROLE_NAMES = {
    "unk_token": ("[UNK]", "<unk>"),
    "pad_token": ("[PAD]", "<pad>"),
    "cls_token": ("[CLS]", "<s>"),
    "sep_token": ("[SEP]", "</s>"),
    "mask_token": ("[MASK]", "<mask>"),
}


def is_preset(spec: str) -> bool:
    return spec in PRESETS


def special_roles(kind: str, specials: Sequence[str]) -> dict[str, str]:
    """Which of ``specials`` plays which role, as keyword arguments for transformers' tokenizer."""
    roles = {
        role: next(t for t in names if t in specials)
        for role, names in _ROLE_NAMES.items()
        if any(t in specials for t in names)
    }
    if kind != "bpe":
        if "unk_token" not in roles:
            from workbench.engine.errors import ConfigError

            raise ConfigError(
                f"a {kind} tokenizer needs an unknown-token special such as [UNK] or <unk> "
                f"(the special tokens are: {', '.join(specials) or 'none'})."
            )
        return roles
    eos = next((t for t in (GPT_EOS, "</s>") if t in specials), None)
    if eos is None:
        return {k: v for k, v in roles.items() if k in ("pad_token", "mask_token")}
    # GPT-2 style: one token ends (and starts) a text. Byte-level BPE never produces an
    # unknown token; GPT-2 has no pad token, so EOS pads and the attention mask hides it.
    return {
        "bos_token": roles.get("cls_token", eos), "eos_token": eos, "unk_token": eos,
        "pad_token": roles.get("pad_token", eos), **({"mask_token": roles["mask_token"]} if "mask_token" in roles else {}),
    }  # fmt: skip


def train_tokenizer(
    family: Family | TokenizerKind,
    texts: Iterable[str],
    vocab_size: int,
    lowercase: bool | None = None,
    special_tokens: Sequence[str] | None = None,
) -> PreTrainedTokenizerFast:
    """Train a tokenizer with `tokenizers` and wrap it for transformers.

    ``family`` is a preset family (bert/lstm: WordPiece, gpt: byte-level BPE) or a
    tokenizer kind. WordPiece uses BERT's normaliser, so CJK characters become
    tokens of their own before WordPiece. Byte-level BPE never produces an
    unknown token. Unigram is SentencePiece's model (NFKC, "▁" marks a word start)
    and learns multi-character Chinese words. ``lowercase`` and ``special_tokens``
    default per kind (``DEFAULT_LOWERCASE``, ``DEFAULT_SPECIALS``).
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    if family in ENCODER_DECODER_FAMILIES:
        return _seq2seq_tokenizer(texts, vocab_size)
    kind = FAMILY_TOKENIZER.get(family, family)
    lowercase = DEFAULT_LOWERCASE[kind] if lowercase is None else lowercase
    specials = list(DEFAULT_SPECIALS[kind] if special_tokens is None else special_tokens)
    roles = special_roles(kind, specials)
    if kind == "wordpiece":
        tok = Tokenizer(_wordpiece_vocab(texts, vocab_size, lowercase, specials, roles["unk_token"]))
        tok.normalizer = _bert_normalizer(lowercase)
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tok.decoder = decoders.WordPiece(prefix="##")
        # Every special matches whole (transformers registers only the role tokens), keeping its id.
        tok.add_special_tokens(specials)
    elif kind == "unigram":
        tok = _unigram(texts, vocab_size, lowercase, specials, roles["unk_token"])
    else:
        tok = Tokenizer(models.BPE())
        if lowercase:
            from tokenizers import normalizers

            tok.normalizer = normalizers.Lowercase()
        # add_prefix_space so a word tokenises the same at the start of a text and
        # after a space (needed for word-level labels in token classification).
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
        tok.decoder = decoders.ByteLevel()
        tok.post_processor = processors.ByteLevel(trim_offsets=True)
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=specials,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            min_frequency=2,
            show_progress=False,
        )
        tok.train_from_iterator(texts, trainer=trainer)
        return PreTrainedTokenizerFast(tokenizer_object=tok, **roles, model_max_length=512, add_prefix_space=True)
    if "cls_token" in roles and "sep_token" in roles:
        cls, sep = roles["cls_token"], roles["sep_token"]
        tok.post_processor = processors.TemplateProcessing(
            single=f"{cls} $A {sep}",
            pair=f"{cls} $A {sep} $B:1 {sep}:1",
            special_tokens=[(cls, tok.token_to_id(cls)), (sep, tok.token_to_id(sep))],
        )
        # Segment ids tell a BERT which text of a pair (question/context, premise/
        # hypothesis) a token belongs to; without the name here the tokenizer drops them.
        return PreTrainedTokenizerFast(tokenizer_object=tok, **roles, model_max_length=512,
                                       model_input_names=["input_ids", "token_type_ids", "attention_mask"])
    return PreTrainedTokenizerFast(tokenizer_object=tok, **roles, model_max_length=512)


def _seq2seq_tokenizer(texts: Iterable[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """Byte-level BPE for both sides of seq2seq data, every CJK character a word of its own.

    Trained on sources and targets together (one vocabulary, shared embeddings). Byte-level:
    no text is ever unknown, and decoding gives back the text exactly, spaces included
    (BERT's WordPiece would write "我 得 去" for "我得去"). Each CJK character is split off
    before BPE, so merges never join two of them: a frequent character becomes one token, a
    rare one two or three byte tokens, never [UNK]. Case is kept (outputs are read). Every
    sequence ends with </s>, as T5's do: the decoder learns where a target ends.
    """
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
        trainers,
    )
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(_CJK_CHARACTER), "isolated"),
        # No prefix space: it would be added before every CJK character split off above.
        pre_tokenizers.ByteLevel(add_prefix_space=False),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=list(SEQ2SEQ_SPECIALS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), min_frequency=2, show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    eos = tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", eos)]
    )
    pad, _, bos = SEQ2SEQ_SPECIALS
    # unk: byte-level BPE never produces one; transformers wants the role filled.
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token=pad, eos_token="</s>", bos_token=bos, unk_token="</s>",
        model_max_length=512, clean_up_tokenization_spaces=False,
    )


def _unigram(texts: Iterable[str], vocab_size: int, lowercase: bool, specials: list[str], unk: str):  # noqa: ANN202
    """SentencePiece's Unigram model: NFKC, optional lowercasing, "▁" before every word."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), *([normalizers.Lowercase()] if lowercase else [])])
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.train_from_iterator(
        texts,
        trainers.UnigramTrainer(vocab_size=vocab_size, special_tokens=specials, unk_token=unk, show_progress=False),
    )
    return tok


def _bert_normalizer(lowercase: bool):  # noqa: ANN202 - a tokenizers object
    from tokenizers import normalizers

    # handle_chinese_chars puts spaces around CJK characters, so each becomes
    # a word (and a token) of its own, as in BERT.
    return normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=lowercase
    )


def _wordpiece_vocab(  # noqa: ANN202
    texts: Iterable[str],
    vocab_size: int,
    lowercase: bool,
    specials: Sequence[str] = BERT_SPECIALS,
    unk: str = "[UNK]",
):
    """A WordPiece model whose vocabulary comes from a deterministic BPE run.

    tokenizers' WordPieceTrainer numbers its "##" pieces in hash-map order, so
    the same text and seed give a different vocabulary on every run
    (huggingface/tokenizers#1794). Plain BPE training is deterministic: we
    train BPE on half the budget and offer each piece both word-initially and
    as a "##" continuation, which WordPiece's greedy longest match then uses.
    Characters that are always a word of their own (CJK, punctuation) get no
    "##" copy: it could never match, and on Chinese text it doubled the vocabulary.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    bpe = Tokenizer(models.BPE(unk_token=unk))
    bpe.normalizer = _bert_normalizer(lowercase)
    bpe.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    budget = max((vocab_size - len(specials)) // 2, 64) + len(specials)
    bpe.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=budget, special_tokens=list(specials), min_frequency=2, show_progress=False
        ),
    )
    pieces = [t for t, _ in sorted(bpe.get_vocab().items(), key=lambda kv: kv[1]) if t not in specials]
    ordered = [*specials, *pieces, *("##" + p for p in pieces if not _always_alone(p))]
    return models.WordPiece(
        {token: i for i, token in enumerate(ordered)}, unk_token=unk, max_input_chars_per_word=100
    )


def _always_alone(piece: str) -> bool:
    """A character BERT's pre-processing always splits off as a word: CJK or punctuation."""
    if len(piece) != 1:
        return False
    code = ord(piece)
    # The CJK blocks of BERT's _is_chinese_char (what handle_chinese_chars isolates).
    cjk = (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2CEAF
           or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)  # fmt: skip
    return cjk or (piece.isascii() and not piece.isalnum() and piece.isprintable() and not piece.isspace()) or (
        unicodedata.category(piece).startswith("P")
    )


def preset_config(preset: Preset, tokenizer: PreTrainedTokenizerFast) -> PretrainedConfig:
    """The transformers config for a preset, sized to the trained vocabulary."""
    return shape_config(
        preset, len(tokenizer), pad=tokenizer.pad_token_id,
        bos=tokenizer.bos_token_id, eos=tokenizer.eos_token_id,
        cls=tokenizer.cls_token_id, sep=tokenizer.sep_token_id,
    )  # fmt: skip


def shape_config(
    preset: Preset,
    vocab_size: int,
    *,
    pad: int | None = 0,
    bos: int | None = 0,
    eos: int | None = 0,
    cls: int | None = None,
    sep: int | None = None,
) -> PretrainedConfig:
    """The transformers config of a preset's shape; the special-token ids default to what
    ``train_tokenizer`` gives (pad id 0; GPT's <|endoftext|> id 0), enough for counting parameters."""
    from transformers import BertConfig, GPT2Config, ModernBertConfig

    if preset.encoder_decoder:
        return _encoder_decoder_config(preset, vocab_size, pad=pad, bos=bos, eos=eos if eos is not None else sep)
    if preset.family == "lstm":
        from workbench.engine.models.bilstm import BiLSTMConfig

        return BiLSTMConfig(
            vocab_size=vocab_size,
            embedding_size=preset.embedding or preset.hidden,
            hidden_size=preset.hidden,
            num_hidden_layers=preset.layers,
            pad_token_id=pad,
        )
    encoder = dict(
        vocab_size=vocab_size,
        hidden_size=preset.hidden,
        num_hidden_layers=preset.layers,
        num_attention_heads=preset.heads,
        intermediate_size=int(preset.hidden * preset.intermediate_factor),
        max_position_embeddings=preset.max_positions,
        pad_token_id=pad,
    )
    if preset.family == "bert":
        return BertConfig(**encoder)
    if preset.family == "modernbert":
        cls = BERT_SPECIALS.index("[CLS]") if cls is None else cls
        sep = BERT_SPECIALS.index("[SEP]") if sep is None else sep
        # Every layer global: the sequences are short, and a sliding-window mask costs time.
        return ModernBertConfig(**encoder, global_attn_every_n_layers=1,
                                cls_token_id=cls, sep_token_id=sep, bos_token_id=cls, eos_token_id=sep)
    return GPT2Config(
        vocab_size=vocab_size,
        n_embd=preset.hidden,
        n_layer=preset.layers,
        n_head=preset.heads,
        n_positions=preset.max_positions,
        bos_token_id=bos,
        eos_token_id=eos,
        pad_token_id=pad,
    )


def _encoder_decoder_config(
    preset: Preset, vocab_size: int, *, pad: int | None, bos: int | None, eos: int | None
) -> PretrainedConfig:
    """T5 or BART of the preset's shape: ``layers`` each in the encoder and the decoder.

    The decoder starts from <pad> (T5's convention) or from </s> (BART's); generation stops at
    </s>. Special-token ids default to the seq2seq tokenizer's (<pad> 0, </s> 1, <s> 2).
    """
    from transformers import BartConfig, T5Config

    pad = SEQ2SEQ_SPECIALS.index("<pad>") if pad is None else pad
    eos = SEQ2SEQ_SPECIALS.index("</s>") if eos is None else eos
    bos = SEQ2SEQ_SPECIALS.index("<s>") if bos is None else bos
    width = int(preset.hidden * preset.intermediate_factor)
    if preset.family == "t5":
        return T5Config(
            vocab_size=vocab_size, d_model=preset.hidden, d_kv=preset.hidden // preset.heads, d_ff=width,
            num_layers=preset.layers, num_decoder_layers=preset.layers, num_heads=preset.heads,
            pad_token_id=pad, eos_token_id=eos, decoder_start_token_id=pad,
        )
    return BartConfig(
        vocab_size=vocab_size, d_model=preset.hidden, encoder_layers=preset.layers, decoder_layers=preset.layers,
        encoder_attention_heads=preset.heads, decoder_attention_heads=preset.heads,
        encoder_ffn_dim=width, decoder_ffn_dim=width, max_position_embeddings=preset.max_positions,
        pad_token_id=pad, bos_token_id=bos, eos_token_id=eos, decoder_start_token_id=eos, forced_eos_token_id=eos,
    )
