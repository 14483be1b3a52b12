"""Load a trained model and predict: the same code for the CLI, the GUI and the tests.

``Predictor.load(spec)`` accepts a run folder, a model folder or a hub id. The
task and label names come from ``workbench_model.json`` when the folder was
saved by the workbench, else from the config's architecture and ``id2label``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from workbench.engine.errors import ModelError
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

# Architecture name suffix -> task, for folders not saved by the workbench.
_ARCH_TASKS = (
    ("ForSequenceClassification", "classification"),
    ("ForTokenClassification", "token-classification"),
    ("ForMaskedLM", "masked-lm"),
    ("LMHeadModel", "causal-lm"),
    ("ForCausalLM", "causal-lm"),
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
                return task
    return None


@dataclass
class Predictor:
    model: Any
    tokenizer: Any
    task: str
    label_names: list[str]
    max_length: int
    source: ModelSource

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
        task = task or infer_task(source)
        if task is None:
            raise ModelError(
                f"{spec}: cannot tell which task this model was trained for; pass --task "
                f"({task_list()})."
            )
        meta = read_workbench_meta(source.path) if source.path else {}
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
        return cls(model, tokenizer, task, label_names, max_length, source)

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def _inputs(self, texts: list[str], pairs: list[str] | None = None) -> dict[str, torch.Tensor]:
        args: tuple[Any, ...] = (texts,) if pairs is None else (texts, pairs)
        enc = self.tokenizer(*args, truncation=True, max_length=self.max_length, padding=True, return_tensors="pt")
        return {k: v.to(self.device) for k, v in enc.items()}

    @torch.inference_mode()
    def predict(self, texts: list[str], *, top_k: int = DEFAULT_TOP_K, max_new_tokens: int = DEFAULT_NEW_TOKENS) -> list[dict[str, Any]]:
        if self.task == "classification":
            return self._classify(texts)
        if self.task == "token-classification":
            return [self._tag(text) for text in texts]
        if self.task == "masked-lm":
            return [self._fill_mask(text, top_k) for text in texts]
        return [self._continue(text, max_new_tokens) for text in texts]

    def _classify(self, texts: list[str]) -> list[dict[str, Any]]:
        logits = self.model(**self._inputs(texts)).logits.float()  # (B, num_labels)
        probs = torch.softmax(logits, dim=-1).cpu().tolist()
        out = []
        for text, row in zip(texts, probs):
            best = max(range(len(row)), key=row.__getitem__)
            out.append({
                "text": text,
                "label": self.label_names[best],
                "score": row[best],
                "probabilities": dict(zip(self.label_names, row)),
            })
        return out

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
        masks = []
        for position in positions:
            probs = torch.softmax(logits[position], dim=-1)
            values, ids = probs.topk(top_k)
            masks.append([
                {"token": self.tokenizer.decode([i]).strip(), "score": float(v)}
                for v, i in zip(values.tolist(), ids.tolist())
            ])
        return {"text": text, "masks": masks, "fillers": masks[0]}

    def _continue(self, text: str, max_new_tokens: int) -> dict[str, Any]:
        ids = self.tokenizer(text, return_tensors="pt")["input_ids"].to(self.device)
        if ids.shape[1] == 0:
            ids = torch.tensor([[self.tokenizer.eos_token_id]], device=self.device)
        generated = self.model.generate(
            ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens, do_sample=False,
            pad_token_id=self.tokenizer.pad_token_id,
        )
        continuation = self.tokenizer.decode(generated[0, ids.shape[1]:], skip_special_tokens=True)
        return {"text": text, "continuation": continuation}

