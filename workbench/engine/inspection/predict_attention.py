"""A prediction and its attention maps from one forward pass.

The prediction panel shows a label and, beside it, the attention of every layer;
doing that as a prediction (sdpa) plus an attention pass (the eager twin) runs the
model twice per keystroke. For a task that predicts in one pass (classification:
``Task.predicts_in_one_pass``) the eager twin's full model gives the logits and the
maps at once, which halves the latency (bench/predict.py). Other tasks post-process
more than logits, so they keep the two passes.
"""

from __future__ import annotations

from typing import Any

from workbench.engine.inspection.attention import (
    AttentionMaps,
    attention_and_output,
    compute_attention,
)
from workbench.engine.tasks.registry import find_task


def predict_with_attention(predictor: Any, text: str) -> tuple[dict[str, Any], AttentionMaps]:
    """(``predictor.predict([text])[0]``, ``compute_attention(...)``), in one pass where the task allows."""
    task = find_task(predictor.task)
    if task is None or not task.predicts_in_one_pass:
        maps = compute_attention(predictor.model, predictor.tokenizer, text, max_length=predictor.max_length)
        return predictor.predict([text])[0], maps
    from workbench.engine.eval_loop import autocast_context

    # The predictor's precision (bf16 autocast where chosen): the same label as predict() gives.
    with autocast_context(predictor.device, str(getattr(predictor, "precision", "fp32"))):
        maps, output = attention_and_output(predictor.model, predictor.tokenizer, text,
                                            max_length=predictor.max_length, head=True)
    return task.results_from_logits([text], output.logits, predictor.label_names)[0], maps
