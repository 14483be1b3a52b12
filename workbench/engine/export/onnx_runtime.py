"""Run an exported graph with ONNX Runtime: sessions, batches, timing, and a torch-shaped stand-in.

``OrtModel`` lets the tasks' own evaluation loops (``Task.evaluate``) score an ONNX graph
as they score a PyTorch model: it is a ``torch.nn.Module`` (the loops ask for its
parameters' device and call it with keyword tensors) whose forward runs the session and
returns the outputs as attributes, like a transformers model output.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

from workbench.engine.extras import require

FEATURE = "ONNX export"


def onnxruntime() -> Any:
    return require("onnxruntime", "export", FEATURE)


def open_session(path: Path, threads: int | None = None) -> Any:
    """A CPU session for ``path``; ``threads``: ONNX Runtime's intra-op threads (None: its default)."""
    ort = onnxruntime()
    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: its shape warnings are not the user's business
    if threads:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def run_session(session: Any, batch: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The session's outputs by name for a tokenized batch (only the inputs the graph takes are fed)."""
    feed = {}
    for node in session.get_inputs():
        value = batch[node.name]
        feed[node.name] = np.asarray(value.cpu().numpy() if hasattr(value, "cpu") else value, dtype=np.int64)
    names = [node.name for node in session.get_outputs()]
    return dict(zip(names, session.run(names, feed), strict=True))


def median_seconds(session: Any, batch: Mapping[str, Any], repeats: int) -> float:
    """The median wall time of ``repeats`` runs on ``batch``, after one untimed warm-up run."""
    run_session(session, batch)
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        run_session(session, batch)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class OrtModel(torch.nn.Module):
    """An ONNX Runtime session behind a PyTorch model's interface, for the tasks' evaluation loops."""

    def __init__(self, session: Any, config: Any) -> None:
        super().__init__()
        self.session = session
        self.config = config  # the loops read num_labels from it
        # An empty parameter: the loops take the model's device from its parameters.
        self.anchor = torch.nn.Parameter(torch.zeros(0), requires_grad=False)

    def forward(self, **batch: Any) -> SimpleNamespace:
        outputs = run_session(self.session, batch)
        return SimpleNamespace(loss=None, **{name: torch.from_numpy(value) for name, value in outputs.items()})


def batch_plan(count: int, sizes: Sequence[int] = (1, 2, 4, 8, 16, 32)) -> list[range]:
    """Consecutive slices of ``count`` samples whose sizes cycle through ``sizes`` (several batch sizes)."""
    out, start, i = [], 0, 0
    while start < count:
        size = min(sizes[i % len(sizes)], count - start)
        out.append(range(start, start + size))
        start, i = start + size, i + 1
    return out
