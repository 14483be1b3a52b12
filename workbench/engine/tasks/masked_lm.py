"""Masked language modelling (BERT-style pre-training, optionally with next-sentence prediction) and mask filling.

The data, masking, loss and evaluation still live in ``data/examples.py``,
``encoding.py``, ``training/pretraining.py`` and ``evaluation.py`` (issue 15 moves
them here step by step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.engine.errors import ModelError
from workbench.engine.tasks.base import Metric, Predictor, Task, TaskSample, register

if TYPE_CHECKING:
    import torch

DEFAULT_TOP_K = 5
# Predictor.task_cache key: ids of the WordPiece "##" pieces, computed on first use.
_CONTINUATIONS = "masked-lm.continuation_ids"

_LINES = ["the cat sat on the mat .", "the dog sat on the rug .", "a bird sang in the tree .",
          "the cat ate the fish .", "a dog ran in the park ."]


@register
class MaskedLM(Task):
    name = "masked-lm"
    display_name = "masked language model"
    auto_class_name = "AutoModelForMaskedLM"
    pretraining_auto_class_name = "AutoModelForPreTraining"  # BERT's two heads: MLM + NSP
    language_model = True
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

    def predict(self, predictor: Predictor, texts: list[str], **options: Any) -> list[dict[str, Any]]:
        top_k = options.get("top_k")
        return [_fill_mask(predictor, text, DEFAULT_TOP_K if top_k is None else top_k) for text in texts]


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
