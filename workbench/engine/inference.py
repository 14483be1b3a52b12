"""Load a trained model and predict: the same code for the CLI, the GUI and the tests.

``Predictor.load(spec)`` accepts a run folder (its final model, else its newest
intact checkpoint: ``predictor.source.description`` says which), a checkpoint, a
model folder or a hub id. The task and label names come from
``workbench_model.json`` when the folder was saved by the workbench (or the run's
``config.json``), else from the config's architecture and ``id2label``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from workbench.engine.errors import ModelError
from workbench.engine.generation import GenerationSettings, GenerationStream, generate_stream
from workbench.engine.models.heads import headless_message, is_headless
from workbench.engine.models.loading import (
    ModelSource,
    fit_tokenizer_to_model,
    load_pretrained,
    load_tokenizer,
    needs_prefix_space,
    read_workbench_meta,
    resolve_spec,
)
from workbench.engine.tasks import LABELLED_TASKS, task_list
from workbench.engine.tasks.multilabel import prediction_results, thresholds_from_meta

# Architecture name suffix -> task, for folders not saved by the workbench.
_ARCH_TASKS = (
    ("ForSequenceClassification", "classification"),
    ("ForTokenClassification", "token-classification"),
    ("ForMaskedLM", "masked-lm"),
    # BERT-family pre-training (MLM + NSP heads) loads as a masked LM; Electra's and
    # Funnel's *ForPreTraining are discriminators, hence the narrower suffix.
    ("BertForPreTraining", "masked-lm"),
    ("LMHeadModel", "causal-lm"),
    ("ForCausalLM", "causal-lm"),
    ("ForQuestionAnswering", "question-answering"),
)
DEFAULT_TOP_K = 5
DEFAULT_NEW_TOKENS = 40


def infer_task(source: ModelSource) -> str | None:
    if source.path is None:
        return None
    meta = read_workbench_meta(source.path)
    if meta.get("task"):
        return str(meta["task"])
    try:
        config = json.loads((source.path / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    for arch in config.get("architectures") or []:
        for suffix, task in _ARCH_TASKS:
            if arch.endswith(suffix):
                if task == "classification" and config.get("problem_type") == "multi_label_classification":
                    return "multi-label"  # the same architecture with a sigmoid per label
                return task
    return None


def _masks_attached_to_a_word(text: str, mask: str) -> list[bool]:
    """For each mask in ``text``: does it continue a word ("play[MASK]")? CJK characters are words of their own."""
    out = []
    start = text.find(mask)
    while start != -1:
        before = text[start - 1] if start > 0 else " "
        out.append(before.isalnum() and not ("\u4e00" <= before <= "\u9fff"))
        start = text.find(mask, start + len(mask))
    return out


def classification_results(texts: list[str], logits: torch.Tensor, label_names: list[str]) -> list[dict[str, Any]]:
    """One {text, label, score, probabilities} per text from (B, num_labels) logits."""
    probs = torch.softmax(logits.float(), dim=-1).cpu().tolist()
    out = []
    for text, row in zip(texts, probs):
        best = max(range(len(row)), key=row.__getitem__)
        out.append({
            "text": text,
            "label": label_names[best],
            "score": row[best],
            "probabilities": dict(zip(label_names, row)),
        })
    return out


@dataclass
class Predictor:
    model: Any
    tokenizer: Any
    task: str
    label_names: list[str]
    max_length: int
    source: ModelSource
    # Multi-label only: the cut per label (None: 0.5 for every label) and the separator
    # its label sets are written with (to read evaluation files the same way).
    thresholds: list[float] | None = None
    label_separator: str = "|"
    # Question answering only: the windows' overlap, and how much "no answer" must beat
    # the best span by (tuned on validation data when the run saved one, else 0).
    doc_stride: int = 128
    null_threshold: float = 0.0
    # Masked LM only: ids of the WordPiece "##" pieces, computed on first use.
    _continuation_cache: Any = field(default=None, init=False, repr=False)

    @classmethod
    def load(
        cls,
        spec: str | Path,
        *,
        task: str | None = None,
        allow_pickle: bool = False,
        trust_remote_code: bool = False,
        device: str = "cpu",
    ) -> Predictor:
        source = resolve_spec(str(spec))
        if source.kind == "preset":
            raise ModelError(
                f"{spec!r} is an untrained preset; train it first (workbench train --model {spec} ...) "
                "and predict with the run folder."
            )
        meta = read_workbench_meta(source.path) if source.path else {}
        # A run or checkpoint says its task (workbench_model.json, the run's config.json);
        # only a foreign folder leaves it to the architecture's name.
        task = task or (str(meta["task"]) if meta.get("task") else None) or source.task or infer_task(source)
        if task is None:
            if is_headless(source):  # MiniLM and other bare encoders: say so, and how to fine-tune
                raise ModelError(headless_message(source))
            raise ModelError(
                f"{spec}: cannot tell which task this model was trained for; pass --task "
                f"({task_list()})."
            )
        add_prefix = True if task == "token-classification" and needs_prefix_space(source) else None
        tokenizer = load_tokenizer(source, add_prefix_space=add_prefix)
        model = load_pretrained(source, task, None, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
        model.to(torch.device(device)).eval()
        fit_tokenizer_to_model(model, tokenizer)
        label_names = list(meta.get("label_names") or [])
        if not label_names and task in LABELLED_TASKS:
            id2label = model.config.id2label or {}
            label_names = [str(id2label.get(i, i)) for i in range(model.config.num_labels)]
        max_length = int(meta.get("max_length") or min(getattr(tokenizer, "model_max_length", 512), 512))
        predictor = cls(model, tokenizer, task, label_names, max_length, source)
        if task == "multi-label":
            predictor.thresholds = thresholds_from_meta(meta, label_names)
            predictor.label_separator = str(meta.get("label_separator") or "|")
        if task == "question-answering":
            predictor.doc_stride = int(meta.get("doc_stride", predictor.doc_stride))
            predictor.null_threshold = float(meta.get("null_threshold", 0.0))
        return predictor

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def _inputs(self, texts: list[str], pairs: list[str] | None = None) -> dict[str, torch.Tensor]:
        args: tuple[Any, ...] = (texts,) if pairs is None else (texts, pairs)
        enc = self.tokenizer(*args, truncation=True, max_length=self.max_length, padding=True, return_tensors="pt")
        return {k: v.to(self.device) for k, v in enc.items()}

    @torch.inference_mode()
    def predict(
        self,
        texts: list[str],
        *,
        top_k: int | None = None,
        max_new_tokens: int = DEFAULT_NEW_TOKENS,
        temperature: float = 0.0,
        top_p: float = 1.0,
        seed: int | None = None,
    ) -> list[dict[str, Any]]:
        """``top_k``: fillers per [MASK] (masked LM, default 5), or sampling's top-k (causal LM, default off).

        ``temperature`` (0 = greedy), ``top_p`` and ``seed`` apply to causal LMs only.
        """
        if self.task == "question-answering":
            raise ModelError(
                "a question-answering model needs a question and a context: use predict_answer "
                "(workbench predict RUN --question ... --context ...)."
            )
        if self.task == "classification":
            return self._classify(texts)
        if self.task == "multi-label":
            return self._classify_multilabel(texts)
        if self.task == "token-classification":
            return [self._tag(text) for text in texts]
        if self.task == "masked-lm":
            return [self._fill_mask(text, DEFAULT_TOP_K if top_k is None else top_k) for text in texts]
        settings = GenerationSettings(temperature=temperature, top_k=top_k or 0, top_p=top_p,
                                      max_new_tokens=max_new_tokens, seed=seed)
        return [self._continue(text, settings) for text in texts]

    def predict_answer(self, question: str, context: str, *, null_threshold: float | None = None) -> dict[str, Any]:
        """Question answering: {answer, start, end (character offsets), score, no_answer, null_score ...}."""
        if self.task != "question-answering":
            raise ModelError(f"only question-answering models answer questions; this model is a {self.task} model.")
        from workbench.engine.tasks.question_answering import answer_question

        return answer_question(self, question, context, null_threshold=null_threshold)

    def stream(
        self, text: str, settings: GenerationSettings | None = None, should_stop: Callable[[], bool] = lambda: False
    ) -> GenerationStream:
        """Continue ``text`` (causal LM), yielding decoded pieces as tokens are generated."""
        if self.task != "causal-lm":
            raise ModelError(f"only causal language models generate text; this model is a {self.task} model.")
        return generate_stream(self.model, self.tokenizer, text, settings, should_stop)

    def _classify(self, texts: list[str]) -> list[dict[str, Any]]:
        return classification_results(texts, self.model(**self._inputs(texts)).logits, self.label_names)

    def _classify_multilabel(self, texts: list[str]) -> list[dict[str, Any]]:
        logits = self.model(**self._inputs(texts)).logits.float()  # (B, num_labels)
        probs = torch.sigmoid(logits).cpu().numpy()  # one independent yes/no per label
        return prediction_results(texts, probs, self.label_names, self.thresholds)

    def _tag(self, text: str) -> dict[str, Any]:
        words = text.split()
        if not words:
            return {"text": text, "words": [], "tags": []}
        enc = self.tokenizer([words], is_split_into_words=True, truncation=True, max_length=self.max_length, return_tensors="pt")
        word_ids = enc.word_ids(0)
        logits = self.model(**{k: v.to(self.device) for k, v in enc.items()}).logits[0].float()  # (T, num_labels)
        pred = logits.argmax(-1).tolist()
        tags: list[str | None] = [None] * len(words)
        previous = None
        for position, word in enumerate(word_ids):
            if word is not None and word != previous:
                tags[word] = self.label_names[pred[position]]
            previous = word
        # Words cut off by max_length get no prediction; say so rather than guess.
        return {"text": text, "words": words, "tags": [t if t is not None else "" for t in tags]}

    def _fill_mask(self, text: str, top_k: int) -> dict[str, Any]:
        mask = self.tokenizer.mask_token
        if mask is None:
            raise ModelError("this tokenizer has no mask token, so it cannot fill masks.")
        text_in = text.replace("[MASK]", mask) if mask != "[MASK]" else text
        inputs = self._inputs([text_in])
        positions = (inputs["input_ids"][0] == self.tokenizer.mask_token_id).nonzero().flatten().tolist()
        if not positions:
            raise ModelError(f"no {mask} in the text: write {mask} where a word should be filled in.")
        logits = self.model(**inputs).logits[0].float()  # (T, V)
        attached = _masks_attached_to_a_word(text_in, mask)
        masks = []
        for index, position in enumerate(positions):
            probs = torch.softmax(logits[position], dim=-1)
            # Probabilities stay the model's; only candidates that cannot stand where
            # the mask is are left out of the list: special tokens, and WordPiece
            # "##" pieces when the mask is a word of its own ("I love [MASK] cats").
            allowed = probs.clone()
            allowed[self._special_ids()] = -1.0
            if not (index < len(attached) and attached[index]):
                allowed[self._continuation_ids(probs.shape[0])] = -1.0
            _, ids = allowed.topk(top_k)
            values = probs[ids]
            masks.append([
                {"token": self.tokenizer.decode([i]).strip(), "score": float(v)}
                for v, i in zip(values.tolist(), ids.tolist())
            ])
        return {"text": text, "masks": masks, "fillers": masks[0]}

    def _special_ids(self) -> list[int]:
        return list(self.tokenizer.all_special_ids)

    def _continuation_ids(self, vocab_size: int) -> torch.Tensor:
        from workbench.engine.training.batching import continuation_table

        if self._continuation_cache is None:
            table = continuation_table(self.tokenizer)
            self._continuation_cache = table.nonzero().flatten()
        return self._continuation_cache[self._continuation_cache < vocab_size]

    def _continue(self, text: str, settings: GenerationSettings) -> dict[str, Any]:
        stream = self.stream(text, settings)
        for _ in stream:
            pass
        return stream.result()

