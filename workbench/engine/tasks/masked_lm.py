"""Masked language modelling (BERT-style pre-training, optionally with next-sentence prediction) and mask filling.

The data is ``Task``'s default (the texts alone, blank lines left out). The blocks
and the evaluation loop are shared with causal LMs (``language_model.py``); the
masking of training batches (BERT's 80/10/10, whole words optionally), the loss at
the masked positions only and mask filling live here. Next-sentence pairs are built
in ``training/pretraining.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.engine.encoding import Encoded
from workbench.engine.errors import ModelError
from workbench.engine.eval_loop import special_tokens_mask
from workbench.engine.tasks.base import Metric, Predictor, TaskSample, register
from workbench.engine.tasks.language_model import LanguageModelTask, encode_lm

if TYPE_CHECKING:
    from collections.abc import Mapping

    import torch
    from transformers import PreTrainedModel

    from workbench.engine.data.examples import Examples

DEFAULT_TOP_K = 5
# Predictor.task_cache key: ids of the WordPiece "##" pieces, computed on first use.
_CONTINUATIONS = "masked-lm.continuation_ids"
# The trainer's cache key: the (V,) bool table of those pieces, for whole-word masking.
_CONTINUATION_TABLE = "masked-lm.continuation_table"

_LINES = ["the cat sat on the mat .", "the dog sat on the rug .", "a bird sang in the tree .",
          "the cat ate the fish .", "a dog ran in the park ."]


@register
class MaskedLM(LanguageModelTask):
    name = "masked-lm"
    display_name = "masked language model"
    hub_pipeline_tag = "fill-mask"
    card_use_and_limits = (
        "Predicts words hidden in a text; mainly a starting point for fine-tuning on another task. "
        "Its guesses mirror the statistics and the biases of its training text, and they are not "
        "statements of fact."
    )
    order = 40
    auto_class_name = "AutoModelForMaskedLM"
    pretraining_auto_class_name = "AutoModelForPreTraining"  # BERT's two heads: MLM + NSP
    fills_masks = True
    target_kind = "masked"
    headline = Metric("eval_masked_accuracy")
    best = Metric("eval_loss", greater_is_better=False)
    summary_metrics = ("eval_masked_accuracy",)
    # BERT-family pre-training (MLM + NSP heads) loads as a masked LM; Electra's and
    # Funnel's *ForPreTraining are discriminators, hence the narrower suffix.
    architecture_suffixes = ("ForMaskedLM", "BertForPreTraining")
    sample = TaskSample(
        "corpus.txt", "\n".join(_LINES * 6) + "\n", predict_texts=("the cat sat on the [MASK] .",),
        predict_options={"top_k": 3},
    )

    def encode(self, examples: Examples, tokenizer: Any, max_length: int, *, doc_stride: int = 128) -> Encoded:
        return encode_lm(examples, tokenizer, max_length, wrap=True)

    def prepare_batch(
        self, batch: dict[str, Any], tokenizer: Any, generator: Any, *, whole_word_masking: bool = False,
        cache: dict[str, Any] | None = None,
    ) -> None:
        """BERT's masking of 15% of the tokens (whole words when asked): the masked ids and their labels."""
        from workbench.engine.training.batching import continuation_table, mask_tokens

        continuation = None
        if whole_word_masking:
            cache = {} if cache is None else cache
            if _CONTINUATION_TABLE not in cache:
                cache[_CONTINUATION_TABLE] = continuation_table(tokenizer)
            continuation = cache[_CONTINUATION_TABLE][batch["input_ids"]]  # (B, T)
        batch["input_ids"], batch["labels"] = mask_tokens(
            batch["input_ids"], batch["attention_mask"],
            special_tokens_mask(batch["input_ids"], tokenizer),
            tokenizer.mask_token_id, len(tokenizer), generator,
            continuation=continuation,
        )

    def loss(self, model: Any, batch: dict[str, Any]) -> torch.Tensor:
        loss = masked_positions_loss(model, batch)
        return model(**batch).loss if loss is None else loss

    def loss_units(self, batch: Mapping[str, Any]) -> torch.Tensor:
        from workbench.engine.training.batching import labelled_token_units

        # Masked tokens; with next-sentence prediction the NSP term's share then differs
        # slightly from one process's (the masked-LM term is exact).
        return labelled_token_units(batch)

    def eval_labels(self, batch: dict[str, torch.Tensor], tokenizer: Any, generator: torch.Generator) -> torch.Tensor:
        """Every target becomes [MASK] (the question fill-mask asks), drawn from ``generator``."""
        from workbench.engine.training.batching import mask_tokens

        ids, labels = mask_tokens(
            batch["input_ids"], batch["attention_mask"],
            special_tokens_mask(batch["input_ids"], tokenizer),
            tokenizer.mask_token_id, len(tokenizer), generator, all_masked=True,
        )
        batch["input_ids"] = ids
        return labels

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        top_k = options.get("top_k")
        return [_fill_mask(predictor, text, DEFAULT_TOP_K if top_k is None else top_k) for text in texts]

    def result_line(self, result: Mapping[str, Any]) -> str:
        """A line per [MASK]: its fillers with their scores, most likely first."""
        return "\n".join(
            "  ".join(f"{f['token']} ({f['score']:.3f})" for f in fillers) for fillers in result["masks"]
        )


def masked_positions_loss(model: PreTrainedModel, batch: dict[str, torch.Tensor]) -> torch.Tensor | None:
    """The masked-LM pre-training loss with the vocabulary projection at the masked positions only.

    transformers' BertForMaskedLM / BertForPreTraining / ModernBertForMaskedLM
    project every position onto the whole vocabulary and then ignore the 85%
    that are not targets; for small models that projection is most of the
    step's work. Same loss (mean cross-entropy over the targets, plus NSP when
    labelled), a fraction of the work. None for architectures without a known
    head layout: the caller then runs the model's own forward.
    """
    import torch.nn.functional as F

    parts = _encoder_and_projection(model)
    if parts is None:
        return None
    base, project = parts
    nsp_labels = batch.get("next_sentence_label")
    nsp_head = getattr(getattr(model, "cls", None), "seq_relationship", None)
    if nsp_labels is not None and nsp_head is None:
        return None
    labels = batch["labels"]
    inputs = {k: v for k, v in batch.items() if k not in ("labels", "next_sentence_label")}
    output = base(**inputs, return_dict=True)
    targets = labels != -100
    loss = F.cross_entropy(project(output.last_hidden_state[targets]), labels[targets])
    if nsp_labels is not None:
        loss = loss + F.cross_entropy(nsp_head(output.pooler_output), nsp_labels)
    return loss


def _encoder_and_projection(model: PreTrainedModel) -> tuple[Any, Any] | None:
    """The encoder and the hidden-state -> vocabulary-logits head of a known masked-LM layout."""
    predictions = getattr(getattr(model, "cls", None), "predictions", None)
    if getattr(model, "bert", None) is not None and predictions is not None:
        return model.bert, predictions  # BERT: cls.predictions = transform + decoder
    head, decoder = getattr(model, "head", None), getattr(model, "decoder", None)
    if getattr(model.config, "model_type", None) == "modernbert" and head is not None and decoder is not None:
        return model.model, lambda hidden: decoder(head(hidden))
    return None


def masks_attached_to_a_word(text: str, mask: str) -> list[bool]:
    """For each mask in ``text``: does it continue a word ("play[MASK]")? CJK characters are words of their own."""
    out = []
    start = text.find(mask)
    while start != -1:
        before = text[start - 1] if start > 0 else " "
        out.append(before.isalnum() and not ("\u4e00" <= before <= "\u9fff"))
        start = text.find(mask, start + len(mask))
    return out


def _fill_mask(predictor: Predictor, text: str, top_k: int) -> dict[str, Any]:
    import torch

    tokenizer = predictor.tokenizer
    mask = tokenizer.mask_token
    if mask is None:
        raise ModelError("this tokenizer has no mask token, so it cannot fill masks.")
    text_in = text.replace("[MASK]", mask) if mask != "[MASK]" else text
    inputs = predictor.inputs([text_in])
    positions = (inputs["input_ids"][0] == tokenizer.mask_token_id).nonzero().flatten().tolist()
    if not positions:
        raise ModelError(f"no {mask} in the text: write {mask} where a word should be filled in.")
    logits = predictor.model(**inputs).logits[0].float()  # (T, V)
    attached = masks_attached_to_a_word(text_in, mask)
    masks = []
    for index, position in enumerate(positions):
        probs = torch.softmax(logits[position], dim=-1)
        # Probabilities stay the model's; only candidates that cannot stand where
        # the mask is are left out of the list: special tokens, and WordPiece
        # "##" pieces when the mask is a word of its own ("I love [MASK] cats").
        allowed = probs.clone()
        allowed[list(tokenizer.all_special_ids)] = -1.0
        if not (index < len(attached) and attached[index]):
            allowed[_continuation_ids(predictor, probs.shape[0])] = -1.0
        _, ids = allowed.topk(top_k)
        values = probs[ids]
        masks.append([
            {"token": tokenizer.decode([i]).strip(), "score": float(v)}
            for v, i in zip(values.tolist(), ids.tolist())
        ])
    return {"text": text, "masks": masks, "fillers": masks[0]}


def _continuation_ids(predictor: Predictor, vocab_size: int) -> torch.Tensor:
    from workbench.engine.training.batching import continuation_table

    ids = predictor.task_cache.get(_CONTINUATIONS)
    if ids is None:
        ids = predictor.task_cache[_CONTINUATIONS] = continuation_table(predictor.tokenizer).nonzero().flatten()
    return ids[ids < vocab_size]
