"""Causal language modelling (GPT-style pre-training) and text generation.

The data is ``Task``'s default (the texts alone, blank lines left out). The blocks
and the evaluation loop are shared with masked LMs (``language_model.py``); the
labels (each token predicts the next: the model shifts them by one inside), their
loss units and generation live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.engine.data.readers import as_headerless
from workbench.engine.encoding import Encoded
from workbench.engine.tasks.base import Metric, Predictor, TaskSample, register
from workbench.engine.tasks.language_model import LanguageModelTask, encode_lm

if TYPE_CHECKING:
    from collections.abc import Mapping

    import torch

    from workbench.engine.data.examples import Examples
    from workbench.engine.data.table import Table

DEFAULT_NEW_TOKENS = 40

_LINES = ["First Citizen: Before we proceed any further, hear me speak.", "All: Speak, speak.",
          "First Citizen: You are all resolved rather to die than to famish?", "All: Resolved. resolved."]


@register
class CausalLM(LanguageModelTask):
    name = "causal-lm"
    display_name = "causal language model"
    hub_pipeline_tag = "text-generation"
    card_use_and_limits = (
        "Continues a prompt with text that sounds plausible but may be false, offensive or copied "
        "from its training text: it has no notion of truth. A small model trained briefly repeats "
        "itself. Review what it writes before any use, and do not deploy it where its output would be "
        "taken as fact."
    )
    order = 50
    auto_class_name = "AutoModelForCausalLM"
    truncates = False  # a prompt is read whole, up to the model's positions
    generative = True
    target_kind = "next_token"
    headline = Metric("eval_perplexity", greater_is_better=False)
    best = Metric("eval_loss", greater_is_better=False)
    summary_metrics = ("eval_perplexity",)
    architecture_suffixes = ("LMHeadModel", "ForCausalLM")
    sample = TaskSample(
        "corpus.txt", "\n".join(_LINES * 6) + "\n", predict_texts=("First", ""),
        predict_options={"max_new_tokens": 3}, config={"model": "gpt-tiny"},
    )
    # The data is ``Task``'s default: the texts alone, blank lines left out.

    def claims_table(self, table: Table) -> bool:
        # Plain text has no labels: pre-training data; unless every line is tab-separated
        # fields (a file of pairs such as Tatoeba's cmn.txt: see Translation.claims_table).
        return table.format == "text" and as_headerless(table) is None

    def encode(self, examples: Examples, tokenizer: Any, max_length: int, *, doc_stride: int = 128) -> Encoded:
        return encode_lm(examples, tokenizer, max_length, wrap=False)

    def prepare_batch(
        self, batch: dict[str, Any], tokenizer: Any, generator: Any, *, whole_word_masking: bool = False,
        cache: dict[str, Any] | None = None,
    ) -> None:
        batch["labels"] = _next_token_labels(batch)

    def loss_units(self, batch: Mapping[str, Any]) -> torch.Tensor:
        from workbench.engine.training.batching import labelled_token_units

        return labelled_token_units(batch, shifted=True)  # the first token of a row predicts nothing

    def eval_labels(self, batch: dict[str, torch.Tensor], tokenizer: Any, generator: torch.Generator) -> torch.Tensor:
        return _next_token_labels(batch)

    def scored(self, logits: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return logits[:, :-1], labels[:, 1:]  # position t predicts token t + 1

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

    def result_line(self, result: Mapping[str, Any]) -> str:
        """The prompt and its continuation, as one text."""
        return result["text"] + result["continuation"]


def _next_token_labels(batch: Mapping[str, torch.Tensor]) -> torch.Tensor:
    """(B, T) the input ids as labels, padding ignored; the model shifts them by one inside."""
    return batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
