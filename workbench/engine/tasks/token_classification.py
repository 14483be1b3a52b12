"""Token classification (tagging, NER): one tag per word, read from CoNLL-style files.

Encoding (the first piece of each word carries its tag), evaluation (token accuracy
and entity scores), the loss units (labelled tokens), prediction rows (per sentence
and per word) and prediction live here, and the data: words and their tags as lists,
from CoNLL files or list/space-separated columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from workbench.engine import metrics as M
from workbench.engine.data.examples import (
    MISSING,
    TAG_NAMES,
    WORD_NAMES,
    ColumnMapping,
    ColumnRoles,
    Examples,
    Labeler,
    label_ids,
    sequence_value,
)
from workbench.engine.encoding import Encoded, align_word_labels, tokenized_features
from workbench.engine.errors import DatasetError
from workbench.engine.eval_loop import (
    EvalOptions,
    EvalResult,
    autocast_context,
    eval_batches,
    move,
    pad_eval_batch,
)
from workbench.engine.tasks.base import Metric, Predictor, Task, TaskSample, register

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

    from workbench.engine.data.table import Table

# The prediction file's columns: one row per word.
WORD_COLUMNS = ("example", "line", "word", "label", "predicted")

_SENTENCES = [
    [("Alice", "B-person"), ("flew", "O"), ("to", "O"), ("Paris", "B-location"), (".", "O")],
    [("Bob", "B-person"), ("likes", "O"), ("New", "B-location"), ("York", "I-location")],
    [("We", "O"), ("met", "O"), ("Carol", "B-person"), ("in", "O"), ("Rome", "B-location")],
]


def tagged_examples(
    task: str, table: Table, mapping: ColumnMapping, label_names: Sequence[str] | None, noun: str = "tag"
) -> Examples:
    """One example per sentence: its words, and the tag id of each word (``noun``: what a tag is called)."""
    assert mapping.label is not None  # complete_mapping / check_mapping fill it in
    words_col, tags_col = mapping.text, mapping.label
    labeler = Labeler(table, tags_col, kind=noun)
    all_words: list[list[str]] = []
    all_tags: list[list[str]] = []
    lines: list[int] = []
    tag_lines: list[list[int]] = []
    for i, (row, line) in enumerate(zip(table.rows, table.lines)):
        words = sequence_value(table, row.get(words_col, MISSING), line, words_col, "words")
        tags = sequence_value(table, row.get(tags_col, MISSING), line, tags_col, "tags")
        if not words and not tags:
            continue
        if len(words) != len(tags):
            raise DatasetError(
                f"{len(words)} words but {len(tags)} tags.",
                path=table.path,
                line=line,
                column=tags_col,
                hint="Give exactly one tag per word.",
            )
        if not all(isinstance(w, str) for w in words):
            raise DatasetError(
                "every word must be a string.",
                path=table.path,
                line=line,
                column=words_col,
                hint='Write the words as a list of strings, e.g. ["Paris", "is", "nice"].',
            )
        # CoNLL knows the line of every token; other formats only the row's.
        where = table.token_lines[i] if table.token_lines else [line] * len(tags)
        all_words.append(words)  # type: ignore[arg-type]
        all_tags.append([labeler(t, at) for t, at in zip(tags, where)])
        tag_lines.append(where)
        lines.append(line)
    if not all_words:
        raise DatasetError(
            f"the words column {words_col!r} is empty in every row.",
            path=table.path,
            line=table.lines[0] if table.lines else 1,
            column=words_col,
            hint="Choose the column that holds the words.",
        )
    flat_tags = [t for tags in all_tags for t in tags]
    flat_lines = [at for where in tag_lines for at in where]
    known, ids = label_ids(table, tags_col, flat_tags, flat_lines, label_names, noun)
    labels = [[ids[t] for t in tags] for tags in all_tags]
    texts = [" ".join(w) for w in all_words]
    return Examples(task, texts, None, all_words, labels, known, table.path, lines)


@register
class TokenClassification(Task):
    name = "token-classification"
    display_name = "token classification"
    hub_pipeline_tag = "token-classification"
    card_use_and_limits = (
        "Tags each word of a text with one of the labels above (for example named entities). Entity "
        "types, spellings and domains missing from the training file are tagged poorly. Input is "
        "split into words on spaces, so languages written without spaces need the text split into "
        "words first."
    )
    order = 30
    auto_class_name = "AutoModelForTokenClassification"
    labelled = True
    words_input = True
    tags_words = True
    onnx_outputs = ("logits",)  # (B, T, num_tags)
    writes_predictions = True
    bilstm_head = True
    headline = Metric("eval_accuracy")
    best = Metric("eval_accuracy")
    summary_metrics = ("eval_accuracy", "eval_entity_f1")
    architecture_suffixes = ("ForTokenClassification",)
    sample = TaskSample(
        "train.conll",
        "\n\n".join("\n".join(f"{w}\t{t}" for w, t in s) for s in _SENTENCES * 4) + "\n",
        predict_texts=("Alice met Bob in Rome", ""),
    )
    roles = ColumnRoles(WORD_NAMES, TAG_NAMES, lists=True)
    label_noun = "tag"
    label_lists = True

    def claims_table(self, table: Table) -> bool:
        return table.format in ("conll", "conllu")  # one tag per token

    def read_examples(
        self, table: Table, mapping: ColumnMapping, label_names: Sequence[str] | None, *, label_separator: str
    ) -> Examples:
        return tagged_examples(self.name, table, mapping, label_names, self.label_noun)

    def encode(self, examples: Examples, tokenizer: Any, max_length: int, *, doc_stride: int = 128) -> Encoded:
        return encode_tagging(examples, tokenizer, max_length)

    def loss_units(self, batch: Mapping[str, Any]) -> torch.Tensor:
        from workbench.engine.training.batching import labelled_token_units

        return labelled_token_units(batch)  # the loss is a mean over labelled tokens

    def evaluate(self, model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
        return evaluate_tagging(model, tokenizer, encoded, options)

    def prediction_rows(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str], *, label_separator: str = "|"
    ) -> list[dict[str, Any]]:
        return sentence_rows(result, examples, label_names)

    def prediction_table(
        self, result: EvalResult, examples: Examples, label_names: Sequence[str], *, tokenizer: Any = None,
        max_length: int | None = None, label_separator: str = "|",
    ) -> list[list[Any]]:
        return word_rows(result, examples, [str(n) for n in label_names], tokenizer, max_length)

    def subset_metrics(
        self, result: EvalResult, examples: Examples, indices: Sequence[int], label_names: Sequence[str]
    ) -> dict[str, float]:
        """Token accuracy and (chunk tag sets) entity precision/recall/F1 of the sentences at ``indices``."""
        if not examples.labels or not result.tag_predictions:
            return {}
        names = [str(n) for n in label_names]
        gold, predicted = [], []
        for i in indices:
            tags = result.tag_predictions[i]
            gold.append([names[t] for t in examples.labels[i][: len(tags)]])  # type: ignore[index]
            predicted.append([names[t] for t in tags])
        report = M.token_classification_metrics(gold, predicted, label_names=names)
        return {f"eval_{key}": float(value) for key, value in report.items()
                if key in ("accuracy", "entity_precision", "entity_recall", "entity_f1")}

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        return [_tag(predictor, text) for text in texts]

    def result_line(self, result: Mapping[str, Any]) -> str:
        """Each word with its tag: ``Ada/B-PER Lovelace/I-PER wrote/O``."""
        return " ".join(f"{w}/{t}" for w, t in zip(result["words"], result["tags"]))


# --------------------------------------------------------------------------- encoding, evaluation


def encode_tagging(examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int) -> Encoded:
    if examples.words is None:
        raise DatasetError(
            "token classification needs words with one tag each (a CoNLL or CoNLL-U file).",
            path=examples.source,
        )
    enc = tokenizer(examples.words, is_split_into_words=True, truncation=True, max_length=max_length)
    tags = examples.labels
    if not tags:
        return tokenized_features(enc, max_length)
    return tokenized_features(enc, max_length, lambda i: align_word_labels(enc.word_ids(i), tags[i]))  # type: ignore[arg-type]


def evaluate_tagging(model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
    """The predicted tag of each word (its first piece's), token accuracy and entity scores."""
    import torch

    device = options.device
    n = len(encoded)
    word_preds: list[list[int]] = [[] for _ in range(n)]
    word_true: list[list[int]] = [[] for _ in range(n)]
    total_loss, total_tokens = 0.0, 0
    for indices in eval_batches(encoded, options.batch_size):
        batch = pad_eval_batch(encoded, indices, tokenizer)
        labels = batch.pop("labels")
        with autocast_context(device, options.precision):
            logits = model(**move(batch, device)).logits.float().cpu()  # (B, T, num_labels)
        keep = labels != -100
        token_losses = torch.nn.functional.cross_entropy(
            logits[keep], labels[keep], reduction="sum"
        )
        total_loss += float(token_losses)
        total_tokens += int(keep.sum())
        pred = logits.argmax(-1)
        for row, i in enumerate(indices):
            word_preds[i] = pred[row][keep[row]].tolist()
            word_true[i] = labels[row][keep[row]].tolist()
    names = list(options.label_names) or [str(i) for i in range(model.config.num_labels)]
    true_tags = [[names[t] for t in seq] for seq in word_true]
    pred_tags = [[names[t] for t in seq] for seq in word_preds]
    report = M.token_classification_metrics(true_tags, pred_tags, label_names=names)
    metrics: dict[str, Any] = {"eval_loss": total_loss / max(total_tokens, 1)}
    for key, value in report.items():
        metrics[f"eval_{key}"] = value
    metrics["eval_examples"] = n
    return EvalResult(metrics, tag_predictions=word_preds)


# --------------------------------------------------------------------------- prediction rows


def sentence_rows(result: EvalResult, examples: Examples, label_names: Sequence[str]) -> list[dict[str, Any]]:
    """One dict per sentence: ``example, line, text`` (the words), ``label`` and ``predicted``
    (the tags, space-separated), ``tags_correct, tags_total, correct``."""
    names = [str(n) for n in label_names]
    rows: list[dict[str, Any]] = []
    words = examples.words or []
    gold = examples.labels or []
    for i, predicted in enumerate(result.tag_predictions):
        true_tags = list(gold[i]) if i < len(gold) else []  # type: ignore[arg-type]
        # Words cut off by max_length have no prediction: compare what was predicted.
        shown = true_tags[: len(predicted)]
        right = sum(int(t == p) for t, p in zip(shown, predicted))
        rows.append(
            {
                "example": i,
                "line": examples.lines[i] if i < len(examples.lines) else None,
                "text": " ".join(words[i]) if i < len(words) else "",
                "label": " ".join(names[t] for t in true_tags),
                "predicted": " ".join(names[t] for t in predicted),
                "tags_correct": right,
                "tags_total": len(true_tags),
                "correct": right == len(true_tags) and len(predicted) == len(true_tags),
            }
        )
    return rows


def word_rows(
    result: EvalResult, examples: Examples, names: list[str], tokenizer: Any, max_length: int | None
) -> list[list[Any]]:
    """One row per word. The predictions follow the first sub-token of each word the model saw, in order:
    with the tokenizer, the words cut off by ``max_length`` or that tokenise to nothing are found
    and get an empty prediction; without it, the first words are taken to be the predicted ones."""
    words_per_sentence = examples.words or []
    word_ids = None
    if tokenizer is not None and words_per_sentence:
        kwargs: dict[str, Any] = {"is_split_into_words": True, "truncation": max_length is not None}
        if max_length is not None:
            kwargs["max_length"] = max_length
        word_ids = tokenizer(words_per_sentence, **kwargs).word_ids
    rows: list[list[Any]] = [list(WORD_COLUMNS)]
    for i, words in enumerate(words_per_sentence):
        tags = list(examples.labels[i]) if examples.labels else []  # type: ignore[arg-type]
        predicted = result.tag_predictions[i] if i < len(result.tag_predictions) else []
        if word_ids is not None:
            firsts, previous = [], None
            for word in word_ids(i):
                if word is not None and word != previous and word < len(tags or words):
                    firsts.append(word)
                previous = word
        else:
            firsts = list(range(len(predicted)))
        by_word = dict(zip(firsts, predicted))
        line = examples.lines[i] if i < len(examples.lines) else ""
        for w, word in enumerate(words):
            label = names[tags[w]] if w < len(tags) else ""
            rows.append([i, line, word, label, names[by_word[w]] if w in by_word else ""])
    return rows


# --------------------------------------------------------------------------- prediction


def _tag(predictor: Predictor, text: str) -> dict[str, Any]:
    """The tag of each word (split on spaces); the first piece of a word decides its tag."""
    words = text.split()
    if not words:
        return {"text": text, "words": [], "tags": []}
    enc = predictor.tokenizer(
        [words], is_split_into_words=True, truncation=True, max_length=predictor.max_length, return_tensors="pt"
    )
    word_ids = enc.word_ids(0)
    logits = predictor.model(**{k: v.to(predictor.device) for k, v in enc.items()}).logits[0].float()  # (T, L)
    pred = logits.argmax(-1).tolist()
    tags: list[str | None] = [None] * len(words)
    previous = None
    for position, word in enumerate(word_ids):
        if word is not None and word != previous:
            tags[word] = predictor.label_names[pred[position]]
        previous = word
    # Words cut off by max_length get no prediction; say so rather than guess.
    return {"text": text, "words": words, "tags": [t if t is not None else "" for t in tags]}
