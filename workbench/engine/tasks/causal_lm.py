"""Causal language modelling (GPT-style pre-training) and text generation.

The data, encoding, loss and evaluation still live in ``data/examples.py``,
``encoding.py``, ``training/pretraining.py`` and ``evaluation.py`` (issue 15 moves
them here step by step).
"""

from __future__ import annotations

from typing import Any

from workbench.engine.tasks.base import Metric, Predictor, Task, TaskSample, register

DEFAULT_NEW_TOKENS = 40

_LINES = ["First Citizen: Before we proceed any further, hear me speak.", "All: Speak, speak.",
          "First Citizen: You are all resolved rather to die than to famish?", "All: Resolved. resolved."]


@register
class CausalLM(Task):
    name = "causal-lm"
    display_name = "causal language model"
    auto_class_name = "AutoModelForCausalLM"
    language_model = True
    truncates = False  # a prompt is read whole, up to the model's positions
    generative = True
    headline = Metric("eval_perplexity", greater_is_better=False)
    best = Metric("eval_loss", greater_is_better=False)
    summary_metrics = ("eval_perplexity",)
    architecture_suffixes = ("LMHeadModel", "ForCausalLM")
    sample = TaskSample(
        "corpus.txt", "\n".join(_LINES * 6) + "\n", predict_texts=("First", ""),
        predict_options={"max_new_tokens": 3}, config={"model": "gpt-tiny"},
    )

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        from workbench.engine.generation import GenerationSettings

        settings = GenerationSettings(
            temperature=options.get("temperature", 0.0), top_k=options.get("top_k") or 0,
            top_p=options.get("top_p", 1.0), max_new_tokens=options.get("max_new_tokens", DEFAULT_NEW_TOKENS),
            seed=options.get("seed"),
        )
        out = []
        for text in texts:
            stream = predictor.stream(text, settings)
            for _ in stream:
                pass
            out.append(stream.result())
        return out
