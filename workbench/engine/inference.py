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
from workbench.engine.eval_loop import autocast_context
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
from workbench.engine.tasks.causal_lm import DEFAULT_NEW_TOKENS
from workbench.engine.tasks.classification import classification_results
from workbench.engine.tasks.masked_lm import DEFAULT_TOP_K
from workbench.engine.tasks.registry import (
    Task,
    get_task,
    task_for_architectures,
    task_list,
)
from workbench.engine.training.setup import choose_precision

__all__ = ["DEFAULT_NEW_TOKENS", "DEFAULT_TOP_K", "Predictor", "classification_results", "infer_task"]


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
    # The architecture's name (and its config: a sequence classifier may be multi-label) tells the task.
    return task_for_architectures(config.get("architectures") or [], config)


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
    # The model's workbench_model.json: the settings it was trained with, for the task to read
    # (e.g. a seq2seq source prefix); {} for a folder the workbench did not save.
    meta: dict[str, Any] = field(default_factory=dict)
    # fp32, or bf16 autocast (a CUDA GPU, or a CPU with AVX-512 BF16 / AMX): what predict and
    # evaluate_model run in; chosen by ``training.setup.choose_precision`` as for training.
    precision: str = "fp32"
    # What a task computes once per model (e.g. masked LM's WordPiece "##" piece ids).
    task_cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def load(
        cls,
        spec: str | Path,
        *,
        task: str | None = None,
        allow_pickle: bool = False,
        trust_remote_code: bool = False,
        device: str = "cpu",
        precision: str = "fp32",
    ) -> Predictor:
        """``precision``: fp32, bf16 or auto (the training rule: bf16 where this machine runs it faster)."""
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
        spec_task = get_task(task, error=ModelError)
        add_prefix = True if spec_task.words_input and needs_prefix_space(source) else None
        tokenizer = load_tokenizer(source, add_prefix_space=add_prefix)
        model = load_pretrained(source, task, None, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
        chosen = choose_precision(precision, torch.device(device))  # refuses bf16 where it cannot run
        model.to(torch.device(device)).eval()
        fit_tokenizer_to_model(model, tokenizer)
        label_names = list(meta.get("label_names") or [])
        if not label_names and spec_task.labelled:
            id2label = model.config.id2label or {}
            label_names = [str(id2label.get(i, i)) for i in range(model.config.num_labels)]
        max_length = int(meta.get("max_length") or min(getattr(tokenizer, "model_max_length", 512), 512))
        predictor = cls(model, tokenizer, task, label_names, max_length, source, meta=dict(meta), precision=chosen)
        spec_task.configure_predictor(predictor, meta)  # e.g. multi-label's thresholds, QA's null threshold
        return predictor

    @property
    def task_spec(self) -> Task:
        """The registered task this model predicts for (``engine.tasks``)."""
        return get_task(self.task)

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def inputs(self, texts: list[str], pairs: list[str] | None = None) -> dict[str, torch.Tensor]:
        """The tokenized batch on the model's device, each text cut at ``max_length``."""
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
        context: str | None = None,
        **options: Any,
    ) -> list[dict[str, Any]]:
        """``top_k``: fillers per [MASK] (masked LM, default 5), or sampling's top-k (generation, default off).

        ``temperature`` (0 = greedy), ``top_p`` and ``seed`` apply to generation; ``context``
        to question answering (each text is then a question about it); ``options``: a task's
        own (seq2seq's ``num_beams``, ``length_penalty``, ``no_repeat_ngram_size``). The task does the work.
        """
        with autocast_context(self.device, self.precision):
            return self.task_spec.predict(
                self, texts, top_k=top_k, max_new_tokens=max_new_tokens, temperature=temperature, top_p=top_p,
                seed=seed, context=context, **options,
            )

    def predict_answer(self, question: str, context: str, *, null_threshold: float | None = None) -> dict[str, Any]:
        """Question answering: {answer, start, end (character offsets), score, no_answer, null_score ...}."""
        if not self.task_spec.answers_questions:
            raise ModelError(f"only question-answering models answer questions; this model is a {self.task} model.")
        from workbench.engine.tasks.question_answering import answer_question

        return answer_question(self, question, context, null_threshold=null_threshold)

    def stream(
        self, text: str, settings: GenerationSettings | None = None, should_stop: Callable[[], bool] = lambda: False
    ) -> GenerationStream:
        """Continue ``text`` (causal LM), yielding decoded pieces as tokens are generated."""
        if not self.task_spec.generative:
            raise ModelError(f"only causal language models generate text; this model is a {self.task} model.")
        return generate_stream(self.model, self.tokenizer, text, settings, should_stop)
