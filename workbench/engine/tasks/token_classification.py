"""Token classification (tagging, NER): one tag per word, read from CoNLL-style files.

The data, encoding and evaluation still live in ``data/examples.py``, ``encoding.py``
and ``evaluation.py`` (issue 15 moves them here step by step).
"""

from __future__ import annotations

from typing import Any

from workbench.engine.tasks.base import Metric, Predictor, Task, TaskSample, register

_SENTENCES = [
    [("Alice", "B-person"), ("flew", "O"), ("to", "O"), ("Paris", "B-location"), (".", "O")],
    [("Bob", "B-person"), ("likes", "O"), ("New", "B-location"), ("York", "I-location")],
    [("We", "O"), ("met", "O"), ("Carol", "B-person"), ("in", "O"), ("Rome", "B-location")],
]


@register
class TokenClassification(Task):
    name = "token-classification"
    display_name = "token classification"
    auto_class_name = "AutoModelForTokenClassification"
    labelled = True
    words_input = True
    headline = Metric("eval_accuracy")
    best = Metric("eval_accuracy")
    summary_metrics = ("eval_accuracy", "eval_entity_f1")
    architecture_suffixes = ("ForTokenClassification",)
    sample = TaskSample(
        "train.conll",
        "\n\n".join("\n".join(f"{w}\t{t}" for w, t in s) for s in _SENTENCES * 4) + "\n",
        predict_texts=("Alice met Bob in Rome", ""),
    )

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        return [_tag(predictor, text) for text in texts]


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
