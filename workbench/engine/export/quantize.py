"""The int8 variant: ONNX Runtime's dynamic quantisation, its accuracy change and its speed-up.

Dynamic quantisation stores the weights of the matrix products as int8 and quantises the
activations on the fly, so it needs no calibration data; it shrinks a BERT-style graph about
four times. What it costs in accuracy is measured with the task's own evaluation on held-out
data, once with the fp32 graph and once with the int8 one; the speed-up is the ratio of the
median times of several runs of each on the same batch, on this machine's CPU.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from workbench.engine.export.onnx_runtime import FEATURE, OrtModel, median_seconds, open_session
from workbench.engine.extras import require


@dataclass(frozen=True)
class Accuracy:
    """The task's headline metric of the fp32 and the int8 graph on the same examples."""

    metric: str  # e.g. "eval_accuracy"
    fp32: float
    int8: float
    examples: int
    data: str  # what was evaluated, in words

    @property
    def change(self) -> float:
        return self.int8 - self.fp32


@dataclass(frozen=True)
class Speed:
    """Median seconds per run of each graph on one batch of ``shape`` (batch, sequence)."""

    fp32_s: float
    int8_s: float
    repeats: int
    shape: tuple[int, int]
    threads: int | None = None  # ONNX Runtime's intra-op threads (None: its default, all cores)

    @property
    def speedup(self) -> float:
        return self.fp32_s / self.int8_s if self.int8_s > 0 else float("nan")


def quantize_int8(source: Path, target: Path) -> None:
    """Write the dynamically quantised (int8 weights) copy of ``source`` to ``target``."""
    require("onnx", "export", FEATURE)
    quantization = require("onnxruntime.quantization", "export", FEATURE)
    # quantize_dynamic logs a "consider pre-processing" advice on the root logger for every call:
    # shape pre-processing changes nothing for these graphs' MatMul and Gather weights.
    logging.disable(logging.WARNING)
    try:
        quantization.quantize_dynamic(str(source), str(target), weight_type=quantization.QuantType.QInt8)
    finally:
        logging.disable(logging.NOTSET)


def measure_accuracy(
    predictor: Any, fp32: Path, int8: Path, examples: Any, data: str, *,
    batch_size: int = 32, should_stop: Callable[[], bool] | None = None,
) -> Accuracy:
    """The task's headline metric for each graph, scored by the task's own evaluation of ``examples``."""
    from workbench.engine.evaluation import evaluate_model

    metric = predictor.task_spec.headline.name
    scores = []
    for path in (fp32, int8):
        stand_in = replace(predictor, model=OrtModel(open_session(path), predictor.model.config))
        result = evaluate_model(stand_in, examples, batch_size=batch_size, should_stop=should_stop)
        scores.append(float(result.metrics.get(metric, float("nan"))))
    return Accuracy(metric, scores[0], scores[1], len(examples), data)


def measure_speed(
    fp32: Path, int8: Path, batch: Mapping[str, Any], repeats: int = 10, threads: int | None = None
) -> Speed:
    """Median run time of each graph on ``batch``; ``threads``: ONNX Runtime's (None: its default, all cores)."""
    times = [median_seconds(open_session(path, threads), batch, repeats) for path in (fp32, int8)]
    ids = batch["input_ids"]
    return Speed(times[0], times[1], repeats, (int(ids.shape[0]), int(ids.shape[1])), threads)
