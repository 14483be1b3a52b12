"""The tokenizer workshop: train a tokenizer on a corpus, see how it splits text, compare two, save one.

Qt-free. Training reuses ``presets.train_tokenizer`` (WordPiece, byte-level BPE or
Unigram with `tokenizers`) and speaks in events like the trainer does::

    for event in train_events(read_corpus("corpus.txt"), TokenizerOptions("wordpiece", 8000)):
        ...                                # TrainingProgress, then TokenizerTrained
    tok = event.tokenizer
    tok.split("我喜欢猫")                    # tokens, ids, words and character offsets
    tok.report(texts)                       # tokens per word, unknown-token rate ...
    compare(tok, load_tokenizer_folder("other/"), texts)
    tok.save("my-tokenizer/")               # tokenizer.json + tokenizer_config.json + special_tokens_map.json

A *word* is the same for every tokenizer, so two tokenizers can be compared: a run of
non-space characters, with every CJK character a word of its own (as the data
statistics count words, and as BERT splits Chinese).
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import threading
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.engine.data import read_table
from workbench.engine.data.stats import CJK_CHARS
from workbench.engine.errors import ConfigError, DatasetError, ModelError
from workbench.engine.models.presets import (
    DEFAULT_LOWERCASE,
    DEFAULT_SPECIALS,
    TOKENIZER_KINDS,
    TokenizerKind,
    special_roles,
    train_tokenizer,
)
from workbench.engine.runs import atomic_write_json, replace_dir
from workbench.engine.task_data import build_examples, complete_mapping
from workbench.engine.tasks.registry import find_task

if TYPE_CHECKING:
    from tokenizers import Encoding
    from transformers import PreTrainedTokenizerFast

# Written beside tokenizer.json: how the workshop trained it (read back by ``load_tokenizer_folder``).
WORKSHOP_META = "workbench_tokenizer.json"
# What a saved tokenizer folder may hold; saving never replaces a folder holding anything else.
TOKENIZER_FILES = frozenset(
    {
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "added_tokens.json",
        "vocab.txt",
        "vocab.json",
        "merges.txt",
        "chat_template.jinja",
        WORKSHOP_META,
    }
)
# Texts handed to `tokenizers` at a time: progress and cancellation are checked between batches.
_BATCH = 1000
# A word: a run of non-space, non-CJK characters, or one CJK character (data/stats.py's CJK_CHARS class).
_CJK_CLASS = CJK_CHARS.pattern[1:-1]  # "[...]" without the capturing group
_WORD = re.compile(rf"{_CJK_CLASS}|[^\s{_CJK_CLASS[1:-1]}]+")


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (whitespace words; each CJK character alone)."""
    return [m.span() for m in _WORD.finditer(text)]


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class TokenizerOptions:
    """What to train. ``None`` fields take the kind's default."""

    kind: TokenizerKind = "wordpiece"
    vocab_size: int = 8000
    lowercase: bool | None = None  # wordpiece: True (BERT uncased); bpe, unigram: False
    special_tokens: tuple[str, ...] | None = (
        None  # wordpiece, unigram: BERT's five; bpe: <|endoftext|>
    )

    def resolved(self) -> TokenizerOptions:
        kind = self.kind
        return replace(
            self,
            lowercase=DEFAULT_LOWERCASE.get(kind, True)
            if self.lowercase is None
            else self.lowercase,
            special_tokens=tuple(
                DEFAULT_SPECIALS.get(kind, ())
                if self.special_tokens is None
                else self.special_tokens
            ),
        )

    def problems(self) -> list[str]:
        """Every invalid field with the reason; [] when the options can be trained."""
        if self.kind not in TOKENIZER_KINDS:
            return [f"kind: {self.kind!r} is not one of {', '.join(TOKENIZER_KINDS)}"]
        opts = self.resolved()
        specials = opts.special_tokens or ()
        out = []
        bad = [t for t in specials if not t or any(c.isspace() for c in t)]
        if bad:
            out.append(f"special tokens: {bad!r} must be non-empty and without spaces")
        doubled = sorted({t for t in specials if specials.count(t) > 1})
        if doubled:
            out.append(f"special tokens: {', '.join(doubled)} listed twice")
        try:
            special_roles(self.kind, specials)
        except ConfigError as exc:
            out.append(f"special tokens: {exc}".rstrip("."))
        # Byte-level BPE starts from all 256 byte values: the smallest vocabulary it can have.
        floor = len(specials) + (256 if self.kind == "bpe" else 1)
        if self.vocab_size < floor:
            what = (
                "the 256 byte values plus " if self.kind == "bpe" else "at least one token besides "
            )
            out.append(
                f"vocab size: {self.vocab_size} is too small; a {self.kind} vocabulary needs {what}"
                f"its {len(specials)} special token(s): choose {floor} or more"
            )
        return out

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise ConfigError("Invalid tokenizer options: " + "; ".join(problems) + ".")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self.resolved())
        out["special_tokens"] = list(out["special_tokens"])
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenizerOptions:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("special_tokens") is not None:
            values["special_tokens"] = tuple(values["special_tokens"])
        return cls(**values)


def parse_special_tokens(text: str) -> tuple[str, ...]:
    """Special tokens typed as text: commas or spaces separate ("[PAD], [UNK] [CLS]")."""
    return tuple(t for t in re.split(r"[,\s]+", text.strip()) if t)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TokenPiece:
    """One token of a split sentence."""

    token: str  # as in the vocabulary ("##ing", "Ġthe", "▁the")
    id: int
    start: int  # character offsets into the text; (0, 0) for added specials such as [CLS]
    end: int
    word: int | None  # index into SentenceSplit.words; None for [CLS]/[SEP]
    special: bool
    unknown: bool  # the unknown token: the tokenizer could not represent this text
    display: str  # readable form (byte-level BPE's bytes decoded, a leading space shown as ▁)


@dataclass(frozen=True)
class SentenceSplit:
    text: str
    pieces: tuple[TokenPiece, ...]
    words: tuple[tuple[int, int], ...]  # character span of every word

    @property
    def tokens(self) -> list[str]:
        return [p.token for p in self.pieces]

    @property
    def ids(self) -> list[int]:
        return [p.id for p in self.pieces]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "tokens": [asdict(p) for p in self.pieces],
            "words": [list(w) for w in self.words],
        }


@dataclass(frozen=True)
class TokenizerReport:
    """How a tokenizer splits a set of texts (special tokens such as [CLS] not counted)."""

    name: str
    kind: str
    vocab_size: int
    texts: int
    words: int
    tokens: int
    tokens_per_word: float
    chars_per_token: float
    unknown_tokens: int
    unknown_rate: float  # unknown tokens / tokens
    split_words: int  # words that became more than one token
    split_word_share: float
    vocab_used: int  # distinct tokens seen in the texts
    top_tokens: tuple[tuple[str, int], ...]  # most frequent (readable token, count)
    # id -> count over the texts, for the vocabulary table; not part of to_dict().
    counts: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "counts"}
        out["top_tokens"] = [list(t) for t in self.top_tokens]
        return out


def report_rows(reports: Sequence[TokenizerReport]) -> list[tuple[str, list[str]]]:
    """(measure, formatted value per report): the table the CLI prints and the app shows."""
    rows: list[tuple[str, Any]] = [
        ("kind", lambda r: r.kind),
        ("vocabulary", lambda r: f"{r.vocab_size:,}"),
        ("words", lambda r: f"{r.words:,}"),
        ("tokens", lambda r: f"{r.tokens:,}"),
        ("tokens per word", lambda r: f"{r.tokens_per_word:.3f}"),
        ("chars per token", lambda r: f"{r.chars_per_token:.2f}"),
        ("unknown tokens", lambda r: f"{r.unknown_tokens:,} ({r.unknown_rate:.2%})"),
        ("words split", lambda r: f"{r.split_words:,} ({r.split_word_share:.1%})"),
        ("vocab used", lambda r: f"{r.vocab_used:,} of {r.vocab_size:,}"),
    ]
    return [(name, [fmt(r) for r in reports]) for name, fmt in rows]


@dataclass(frozen=True)
class Comparison:
    """Two tokenizers on the same texts: both reports and the sentences they split differently."""

    a: TokenizerReport
    b: TokenizerReport
    sentences: int
    differing: int  # sentences whose token boundaries (or unknown tokens) differ
    examples: tuple[tuple[SentenceSplit, SentenceSplit], ...]  # the first differing ones

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "sentences": self.sentences,
            "differing": self.differing,
            "examples": [{"a": x.to_dict(), "b": y.to_dict()} for x, y in self.examples],
        }


@dataclass(frozen=True)
class TrainingProgress:
    """Texts handed to `tokenizers` so far; in the "learning" phase the merges are computed (no steps)."""

    done: int
    total: int
    phase: str  # "reading" | "learning"


@dataclass(frozen=True)
class TokenizerTrained:
    tokenizer: WorkshopTokenizer
    seconds: float


# --------------------------------------------------------------------------- the tokenizer


def byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level alphabet back to bytes (the inverse of its bytes_to_unicode)."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = list(printable)
    shifted = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + shifted)
            shifted += 1
    return {chr(c): b for b, c in zip(printable, chars)}


_BYTES = byte_decoder()
_MODEL_KINDS = {
    "WordPiece": "wordpiece",
    "BPE": "bpe",
    "Unigram": "unigram",
    "WordLevel": "wordlevel",
}


def _has_type(node: Any, name: str) -> bool:
    """Whether a tokenizer.json component (or a Sequence inside it) is of type ``name``."""
    if isinstance(node, dict):
        return node.get("type") == name or any(_has_type(v, name) for v in node.values())
    if isinstance(node, list):
        return any(_has_type(v, name) for v in node)
    return False


def _lowercases(normalizer: Any) -> bool:
    if isinstance(normalizer, dict):
        if normalizer.get("type") == "Lowercase" or (
            normalizer.get("type") == "BertNormalizer" and normalizer.get("lowercase")
        ):
            return True
        return any(_lowercases(v) for v in normalizer.values())
    return isinstance(normalizer, list) and any(_lowercases(v) for v in normalizer)


class WorkshopTokenizer:
    """A fast transformers tokenizer plus what the workshop shows about it.

    Splits and reports use a private copy of the `tokenizers` object with padding
    and truncation off (a checkpoint's tokenizer.json may pad every text to 128),
    so they see exactly the tokens of the text. Encoding is read-only, so the GUI
    may split a sentence while a worker computes a report.
    """

    def __init__(
        self,
        hf: PreTrainedTokenizerFast,
        *,
        name: str,
        source: str | None = None,
        options: TokenizerOptions | None = None,
        corpus: str | None = None,
        texts: int | None = None,
    ) -> None:
        from tokenizers import Tokenizer

        if not getattr(hf, "is_fast", False):
            raise ModelError(
                f"{name}: only fast tokenizers (tokenizer.json) can be inspected here."
            )
        self.hf = hf
        self.name = name
        self.source = source
        self.options = options
        self.corpus = corpus
        self.trained_on = texts
        spec_text = hf.backend_tokenizer.to_str()
        self._backend = Tokenizer.from_str(spec_text)
        self._backend.no_padding()
        self._backend.no_truncation()
        spec = json.loads(spec_text)
        model = spec.get("model") or {}
        self.kind: str = _MODEL_KINDS.get(
            model.get("type", ""), str(model.get("type", "unknown")).lower()
        )
        self.byte_level = _has_type(spec.get("pre_tokenizer"), "ByteLevel") or _has_type(
            spec.get("decoder"), "ByteLevel"
        )
        self.lowercase = _lowercases(spec.get("normalizer"))
        self.unk_id: int | None
        if "unk_id" in model:  # Unigram
            self.unk_id = model["unk_id"]
        else:
            unk = model.get("unk_token")
            self.unk_id = self._backend.token_to_id(unk) if unk else None

    # ---- what it is
    @property
    def vocab_size(self) -> int:
        return len(self.hf)

    def special_tokens(self) -> list[str]:
        """The special (added) tokens, in id order."""
        added = self._backend.get_added_tokens_decoder()
        return [t.content for i, t in sorted(added.items()) if t.special]

    def vocabulary(self) -> list[tuple[str, int]]:
        """(token, id) for the whole vocabulary, added tokens included, in id order."""
        return sorted(self._backend.get_vocab(with_added_tokens=True).items(), key=lambda kv: kv[1])

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "kind": self.kind,
            "byte_level": self.byte_level,
            "vocab_size": self.vocab_size,
            "lowercase": self.lowercase,
            "special_tokens": self.special_tokens(),
            "options": self.options.to_dict() if self.options else None,
            "corpus": self.corpus,
            "trained_on_texts": self.trained_on,
        }

    def readable(self, token: str) -> str:
        """A token as a person reads it: byte-level BPE's bytes decoded, a leading space as ▁."""
        if not self.byte_level:
            return token
        try:
            raw = bytes(_BYTES[c] for c in token)
        except KeyError:  # an added token written in plain characters
            return token
        return raw.decode("utf-8", errors="backslashreplace").replace(" ", "▁")

    # ---- splitting
    def _split(self, text: str, enc: Encoding, words: list[tuple[int, int]]) -> SentenceSplit:
        ends = [end for _, end in words]
        pieces = []
        for token, id_, (start, end), special in zip(
            enc.tokens, enc.ids, enc.offsets, enc.special_tokens_mask
        ):
            pieces.append(
                TokenPiece(
                    token=token,
                    id=id_,
                    start=start,
                    end=end,
                    word=None if special else _word_of(start, end, ends),
                    special=bool(special),
                    unknown=id_ == self.unk_id and not special,
                    display=self.readable(token),
                )
            )
        return SentenceSplit(text, tuple(pieces), tuple(words))

    def split(self, text: str, *, add_special_tokens: bool = True) -> SentenceSplit:
        """How one text splits: tokens, ids, the word of each token and its character offsets."""
        enc = self._backend.encode(text, add_special_tokens=add_special_tokens)
        return self._split(text, enc, word_spans(text))

    def _encode_all(self, texts: Sequence[str]) -> list[Encoding]:
        return self._backend.encode_batch(list(texts), add_special_tokens=False)

    def report(self, texts: Sequence[str], *, top: int = 20) -> TokenizerReport:
        return self._report(texts, self._encode_all(texts), top)

    def _report(self, texts: Sequence[str], encodings: list[Encoding], top: int) -> TokenizerReport:
        counts: Counter[int] = Counter()
        n_words = n_tokens = n_unknown = n_split = n_chars = 0
        for text, enc in zip(texts, encodings):
            ids = enc.ids
            counts.update(ids)
            n_tokens += len(ids)
            if self.unk_id is not None:
                n_unknown += ids.count(self.unk_id)
            spans = word_spans(text)
            n_words += len(spans)
            n_chars += sum(end - start for start, end in spans)
            ends = [end for _, end in spans]
            per_word = Counter(_word_of(s, e, ends) for s, e in enc.offsets)
            per_word.pop(None, None)
            n_split += sum(1 for c in per_word.values() if c > 1)
        top_tokens = tuple(
            (self.readable(self._backend.id_to_token(i) or "?"), c)
            for i, c in counts.most_common(top)
        )
        return TokenizerReport(
            name=self.name,
            kind=self.kind,
            vocab_size=self.vocab_size,
            texts=len(texts),
            words=n_words,
            tokens=n_tokens,
            tokens_per_word=n_tokens / n_words if n_words else 0.0,
            chars_per_token=n_chars / n_tokens if n_tokens else 0.0,
            unknown_tokens=n_unknown,
            unknown_rate=n_unknown / n_tokens if n_tokens else 0.0,
            split_words=n_split,
            split_word_share=n_split / n_words if n_words else 0.0,
            vocab_used=len(counts),
            top_tokens=top_tokens,
            counts=dict(counts),
        )

    # ---- saving
    def save(self, folder: str | Path) -> Path:
        """Write tokenizer.json + tokenizer_config.json + special_tokens_map.json, atomically.

        The folder is written beside the target and renamed into place, so a
        failed save leaves the old folder as it was. An existing folder is only
        replaced when it holds nothing but tokenizer files.
        """
        target = Path(folder).expanduser()
        _check_save_target(target)
        tmp = target.with_name(f".tmp-{target.name}")
        try:
            if tmp.exists():
                shutil.rmtree(tmp)
            tmp.mkdir(parents=True)
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            self.hf.save_pretrained(tmp)
            _make_portable(tmp, self.hf)
            meta = {
                "options": self.options.to_dict() if self.options else None,
                "corpus": self.corpus,
                "texts": self.trained_on,
                "kind": self.kind,
            }
            atomic_write_json(tmp / WORKSHOP_META, meta)
            replace_dir(tmp, target)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ConfigError(
                f"{target}: the tokenizer cannot be saved there ({exc.strerror or exc})."
            ) from exc
        self.source, self.name = str(target), target.name
        return target


def _word_of(start: int, end: int, ends: list[int]) -> int | None:
    """The word a token belongs to: the first word ending after the token starts.

    A token that is only a space ("▁" before an unknown character) goes with the
    word after it. A token without a span (an added special) belongs to no word.
    """
    if start == end:
        return None
    index = bisect_right(ends, start)
    return index if index < len(ends) else None


def _check_save_target(target: Path) -> None:
    if target.is_file():
        raise ConfigError(f"{target}: this is a file; choose a folder to save the tokenizer in.")
    if not target.is_dir():
        return
    other = sorted(p.name for p in target.iterdir() if p.name not in TOKENIZER_FILES)
    if other:
        raise ConfigError(
            f"{target}: the folder holds other files ({', '.join(other[:5])}"
            f"{' ...' if len(other) > 5 else ''}), and saving replaces the whole folder. "
            "Choose a new or empty folder, or one saved by the tokenizer workshop."
        )


def _make_portable(folder: Path, hf: PreTrainedTokenizerFast) -> None:
    """Files that transformers 4 reads as well as 5 (which writes neither of these itself)."""
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    # "TokenizersBackend" exists only in transformers 5; both versions know this name.
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    atomic_write_json(config_path, config)
    roles = {k: str(v) for k, v in hf.special_tokens_map.items() if isinstance(v, str)}
    extra = [t for t in _added_specials(hf) if t not in roles.values()]
    if extra:
        roles["additional_special_tokens"] = extra  # type: ignore[assignment]
    atomic_write_json(folder / "special_tokens_map.json", roles)


def _added_specials(hf: PreTrainedTokenizerFast) -> list[str]:
    added = hf.backend_tokenizer.get_added_tokens_decoder()
    return [t.content for _, t in sorted(added.items()) if t.special]


# --------------------------------------------------------------------------- corpus, training


def read_corpus(
    path: str | Path, *, text_column: str | None = None, format: str | None = None
) -> list[str]:
    """The texts of a data file, read as ``workbench data`` reads it (text column of a CSV, lines of a .txt)."""
    table = read_table(path, format)
    # A language-model task needs no label column: any file with text will do.
    mapping = complete_mapping(table, "causal-lm", text=text_column)
    return build_examples(table, "causal-lm", mapping).texts


def sample_texts(texts: Sequence[str], limit: int) -> list[str]:
    """At most ``limit`` texts spread evenly over the corpus (deterministic, so reports repeat)."""
    if len(texts) <= limit:
        return list(texts)
    step = len(texts) / limit
    return [texts[int(i * step)] for i in range(limit)]


# How long a cancel waits for the helper: enough to stop reading, not to sit out the learning phase.
_CANCEL_WAIT_S = 2.0


class _Cancelled(Exception):
    """Raised inside the text iterator to stop `tokenizers` while it is still reading."""


_DONE = object()


def train_events(
    texts: Sequence[str],
    options: TokenizerOptions,
    *,
    corpus: str | None = None,
    name: str | None = None,
) -> Iterator[TrainingProgress | TokenizerTrained]:
    """Train a tokenizer, yielding progress; the last event holds the tokenizer.

    `tokenizers` trains in native code without callbacks, so it runs in a helper
    thread fed by an iterator that reports each batch it hands over. Closing
    this generator (a cancel) stops the reading at the next batch. The learning
    phase (BPE merges, Unigram EM) cannot be interrupted: a cancel during it
    returns at once and leaves the helper to finish in the background, its
    result dropped, so a GUI worker is never held for minutes.
    """
    from transformers import PreTrainedTokenizerFast  # noqa: F401 - imported here, not in the helper thread

    options = options.resolved()
    options.validate()
    if not any(t.strip() for t in texts):
        raise DatasetError(
            "the corpus has no text (it is empty, or every line is blank).", path=corpus
        )
    total = len(texts)
    events: queue.Queue[object] = queue.Queue()
    stop = threading.Event()
    outcome: dict[str, Any] = {}

    def feed() -> Iterator[list[str]]:
        for start in range(0, total, _BATCH):
            if stop.is_set():
                raise _Cancelled
            yield list(texts[start : start + _BATCH])
            events.put(TrainingProgress(min(start + _BATCH, total), total, "reading"))
        events.put(TrainingProgress(total, total, "learning"))

    def work() -> None:
        try:
            outcome["tokenizer"] = train_tokenizer(
                options.kind, feed(), options.vocab_size, options.lowercase, options.special_tokens
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = exc
        finally:
            events.put(_DONE)

    started = time.perf_counter()
    helper = threading.Thread(target=work, name="tokenizer-training", daemon=True)
    helper.start()
    finished = False
    try:
        while (item := events.get()) is not _DONE:
            yield item  # type: ignore[misc]
        finished = True
    finally:
        stop.set()  # a consumer that stopped early ends the reading at the next batch
        helper.join(None if finished else _CANCEL_WAIT_S)
    error = outcome.get("error")
    if error is not None:
        raise _explain(error, options, texts) from error
    hf = outcome["tokenizer"]
    _check_size(hf, options)
    label = name or f"{options.kind} {len(hf)}"
    tokenizer = WorkshopTokenizer(hf, name=label, options=options, corpus=corpus, texts=total)
    yield TokenizerTrained(tokenizer, time.perf_counter() - started)


def train(
    texts: Sequence[str], options: TokenizerOptions, *, corpus: str | None = None
) -> WorkshopTokenizer:
    """``train_events`` run to the end: the trained tokenizer."""
    for event in train_events(texts, options, corpus=corpus):
        if isinstance(event, TokenizerTrained):
            return event.tokenizer
    raise AssertionError("train_events ended without a tokenizer")  # pragma: no cover


def _explain(
    error: BaseException, options: TokenizerOptions, texts: Sequence[str]
) -> BaseException:
    """`tokenizers` raises bare Exceptions; turn the ones a user causes into ConfigErrors."""
    if "not large enough to contain all chars" in str(error):
        alphabet = len({c for t in texts for c in t if not c.isspace()})
        return ConfigError(
            f"vocab size {options.vocab_size} is too small for this corpus: a {options.kind} vocabulary "
            f"holds every character it contains (about {alphabet}) plus the special tokens. "
            f"Choose a larger vocabulary size."
        )
    return error


def _check_size(hf: PreTrainedTokenizerFast, options: TokenizerOptions) -> None:
    """`tokenizers` never drops a character of the corpus, so a small budget silently overflows."""
    size = len(hf)
    if size <= options.vocab_size:
        return
    why = "every character of the corpus"
    if options.kind == "wordpiece":
        why += ", word-initially and as a ## continuation,"
    raise ConfigError(
        f"vocab size {options.vocab_size} is too small for this corpus: a {options.kind} vocabulary "
        f"for it needs at least {size} entries ({why} plus {len(options.special_tokens or ())} special "
        f"tokens). Choose {size} or more."
    )


# --------------------------------------------------------------------------- loading, comparing


def load_tokenizer_folder(path: str | Path) -> WorkshopTokenizer:
    """A saved tokenizer: a workshop folder, a model folder, a run folder or a tokenizer.json file."""
    p = Path(path).expanduser()
    if not p.exists():
        raise ModelError(f"{p}: no such file or folder.")
    if p.is_file():
        if p.suffix != ".json":
            raise ModelError(f"{p}: choose a tokenizer folder or a tokenizer.json file.")
        from transformers import PreTrainedTokenizerFast

        try:
            hf = PreTrainedTokenizerFast(tokenizer_file=str(p))
        except Exception as exc:
            raise ModelError(f"{p}: not a tokenizer.json file ({exc}).") from exc
        return WorkshopTokenizer(hf, name=p.parent.name, source=str(p))
    folder = p
    if not (p / "tokenizer.json").is_file() and (p / "model" / "tokenizer.json").is_file():
        folder = p / "model"  # a run folder
    if not any(
        (folder / n).is_file() for n in ("tokenizer.json", "tokenizer_config.json", "vocab.txt")
    ):
        raise ModelError(
            f"{p}: there is no tokenizer here (no tokenizer.json). Choose a folder saved by the tokenizer "
            "workshop, a model folder or a run folder."
        )
    if (
        folder / "config.json"
    ).is_file():  # a model folder: its architecture decides the tokenizer class
        from workbench.engine.models.loading import load_tokenizer

        hf = load_tokenizer(str(folder))
    else:
        from transformers import AutoTokenizer

        try:
            hf = AutoTokenizer.from_pretrained(
                str(folder), trust_remote_code=False, local_files_only=True
            )
        except (OSError, ValueError, json.JSONDecodeError) as exc:
            raise ModelError(f"{folder}: the tokenizer cannot be loaded ({exc}).") from exc
    meta = _read_meta(folder)
    options = (
        TokenizerOptions.from_dict(meta["options"])
        if isinstance(meta.get("options"), dict)
        else None
    )
    # "model" says little (a run's or a package's model/ folder): name it by its parent too.
    name = f"{p.parent.name}/{p.name}" if p.name == "model" else p.name
    return WorkshopTokenizer(
        hf,
        name=name,
        source=str(p),
        options=options,
        corpus=meta.get("corpus"),
        texts=meta.get("texts"),
    )


def _read_meta(folder: Path) -> dict[str, Any]:
    path = folder / WORKSHOP_META
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}  # only informative: a damaged file must not stop the tokenizer from loading
    return meta if isinstance(meta, dict) else {}


def _boundaries(enc: Encoding, unk_id: int | None) -> tuple[tuple[int, int, bool], ...]:
    return tuple((s, e, i == unk_id) for (s, e), i in zip(enc.offsets, enc.ids))


def compare(
    a: WorkshopTokenizer,
    b: WorkshopTokenizer,
    texts: Sequence[str],
    *,
    max_examples: int = 50,
    top: int = 20,
) -> Comparison:
    """Both reports over ``texts`` and the sentences whose token boundaries differ."""
    enc_a, enc_b = a._encode_all(texts), b._encode_all(texts)
    differing = 0
    examples: list[tuple[SentenceSplit, SentenceSplit]] = []
    for text, x, y in zip(texts, enc_a, enc_b):
        if _boundaries(x, a.unk_id) == _boundaries(y, b.unk_id):
            continue
        differing += 1
        if len(examples) < max_examples:
            words = word_spans(text)
            examples.append((a._split(text, x, words), b._split(text, y, words)))
    return Comparison(
        a=a._report(texts, enc_a, top),
        b=b._report(texts, enc_b, top),
        sentences=len(texts),
        differing=differing,
        examples=tuple(examples),
    )


def tokenizer_for_preset(folder: str | Path, family: str, task: str) -> PreTrainedTokenizerFast:
    """A workshop tokenizer for a from-scratch preset (``TrainConfig.tokenizer``), checked for the task."""
    tok = load_tokenizer_folder(folder)
    hf = tok.hf
    found = find_task(task)
    if found is not None and found.fills_masks and hf.mask_token is None:
        raise ConfigError(
            f"{folder}: {task} training needs a mask token such as [MASK], and this tokenizer has none "
            f"(its special tokens: {', '.join(tok.special_tokens()) or 'none'}). Train one with [MASK]."
        )
    if hf.pad_token is None and hf.eos_token is None:
        raise ConfigError(
            f"{folder}: batches need a padding token, and this tokenizer has neither [PAD]/<pad> nor an "
            "end-of-text token. Train one with [PAD] among its special tokens."
        )
    if family == "gpt" and tok.kind == "wordpiece" and hf.eos_token is None:
        hf.eos_token = (
            hf.sep_token
        )  # GPT-2 ends texts with EOS; [SEP] plays that part for a BERT vocabulary
    return hf
