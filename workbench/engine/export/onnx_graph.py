"""The model as an ONNX graph with dynamic batch and sequence axes.

The dynamo exporter (``torch.onnx.export(..., dynamo=True)``: torch.export plus onnxscript)
comes first: it is torch's supported path since 2.9, and with torch 2.13 it exports BERT,
MiniLM and our other encoders exactly (largest difference to PyTorch about 1e-7). It is
slower (about 12 s for MiniLM against 1.5 s) and cannot trace every model, so a model it
refuses falls back to the older TorchScript exporter with ``dynamic_axes``; the report
names the exporter used.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.engine.errors import WorkbenchError

if TYPE_CHECKING:
    from collections.abc import Iterator

    import torch

# The axes every input and output shares: 0 is the batch, 1 the sequence.
BATCH_AXIS, SEQUENCE_AXIS = "batch", "sequence"
# The inputs a tokenizer may give, in the order the graph takes them.
KNOWN_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Both exporters write this opset; ONNX Runtime 1.18 and later run it.
OPSET = 18
# Above this many bytes of weights the graph keeps them in a side file (protobuf's 2 GB limit).
EXTERNAL_DATA_BYTES = 1_500_000_000
PROBABILITIES = "probabilities"
EXPORTERS = ("auto", "dynamo", "torchscript")
# What ``--quantize`` offers: ONNX Runtime's dynamic quantisation to int8 weights.
QUANTIZATIONS = ("int8",)


class ExportError(WorkbenchError):
    """A model cannot be exported as asked (a task without an export, a graph the exporters refuse)."""


@dataclass(frozen=True)
class GraphSpec:
    """What the graph takes and returns, by name (the JSON beside the model says the same)."""

    inputs: tuple[str, ...]
    head_outputs: tuple[str, ...]  # attributes of the model's output, e.g. ("start_logits", "end_logits")
    probabilities: str | None  # "softmax" / "sigmoid": a "probabilities" output from the logits

    @property
    def outputs(self) -> tuple[str, ...]:
        return self.head_outputs + ((PROBABILITIES,) if self.probabilities else ())

    @property
    def compared(self) -> tuple[str, ...]:
        """The task's outputs the ONNX Runtime check compares: the probabilities when there are some."""
        return (PROBABILITIES,) if self.probabilities else self.head_outputs


def model_inputs(tokenizer: Any) -> tuple[str, ...]:
    """The inputs the tokenizer gives that the graph takes (token_type_ids only where the tokenizer has them)."""
    given = tokenizer(["a b", "c"], padding=True, return_tensors="pt")
    return tuple(name for name in KNOWN_INPUTS if name in given)


def graph_module(model: Any, spec: GraphSpec) -> torch.nn.Module:
    """A module whose forward takes the inputs positionally and returns the outputs as a tuple."""
    import torch

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs: torch.Tensor) -> tuple[torch.Tensor, ...]:
            out = self.model(**dict(zip(spec.inputs, inputs, strict=True)), return_dict=True)
            tensors = [getattr(out, name) for name in spec.head_outputs]
            if spec.probabilities == "softmax":
                tensors.append(torch.softmax(out.logits, dim=-1))
            elif spec.probabilities == "sigmoid":
                tensors.append(torch.sigmoid(out.logits))
            return tuple(tensors)

    return Graph().eval()


def example_inputs(tokenizer: Any, spec: GraphSpec) -> tuple[torch.Tensor, ...]:
    """A (2, T) batch with padding: a size of 1 on an axis would be fixed into the graph."""
    batch = tokenizer(["the graph is traced on this sentence", "and this one"], padding=True, truncation=True,
                      max_length=16, return_tensors="pt")  # within any model's positions
    return tuple(batch[name] for name in spec.inputs)


@contextmanager
def _quiet() -> Iterator[None]:
    """The exporters' chatter (renamed axes, optional torchvision ops, TorchScript's deprecation) is
    not the user's business: the check against ONNX Runtime says whether the graph is right."""
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _export_dynamo(graph: torch.nn.Module, inputs: tuple[torch.Tensor, ...], path: Path, spec: GraphSpec,
                   external: bool) -> None:
    import torch

    batch, sequence = torch.export.Dim(BATCH_AXIS), torch.export.Dim(SEQUENCE_AXIS)
    torch.onnx.export(
        graph, inputs, str(path), dynamo=True, verbose=False, opset_version=OPSET,
        input_names=list(spec.inputs), output_names=list(spec.outputs),
        # One entry for forward's *inputs, which holds one dict per input.
        dynamic_shapes=(tuple({0: batch, 1: sequence} for _ in spec.inputs),), external_data=external,
    )


def _export_torchscript(graph: torch.nn.Module, inputs: tuple[torch.Tensor, ...], path: Path,
                        spec: GraphSpec) -> None:
    import torch

    axes = {name: {0: BATCH_AXIS, 1: SEQUENCE_AXIS} for name in spec.inputs}
    for name in spec.outputs:  # every output starts with the batch; per-token ones also have the sequence
        axes[name] = {0: BATCH_AXIS}
    torch.onnx.export(
        graph, inputs, str(path), dynamo=False, opset_version=OPSET,
        input_names=list(spec.inputs), output_names=list(spec.outputs), dynamic_axes=axes,
    )


def export_graph(model: Any, tokenizer: Any, spec: GraphSpec, path: Path, exporter: str = "auto") -> tuple[str, str]:
    """Write ``model`` to ``path``; (the exporter used, why the dynamo one was not, or "").

    ``exporter``: "auto" (dynamo, else TorchScript), "dynamo" or "torchscript".
    """
    import torch

    if exporter not in EXPORTERS:
        raise ExportError(f"unknown exporter {exporter!r}; choose one of: {', '.join(EXPORTERS)}.")
    graph = graph_module(model, spec)
    inputs = example_inputs(tokenizer, spec)
    external = sum(p.numel() * p.element_size() for p in model.parameters()) > EXTERNAL_DATA_BYTES
    fallback = ""
    with _quiet(), torch.no_grad():
        if exporter in ("auto", "dynamo"):
            try:
                _export_dynamo(graph, inputs, path, spec, external)
                return "dynamo", ""
            except Exception as exc:  # noqa: BLE001 - any tracing failure: the TorchScript exporter may still work
                if exporter == "dynamo":
                    raise ExportError(f"the dynamo exporter could not export this model: {_first_line(exc)}") from exc
                fallback = f"the dynamo exporter failed ({_first_line(exc)}), so the TorchScript one was used"
        try:
            _export_torchscript(graph, inputs, path, spec)
        except Exception as exc:  # noqa: BLE001 - a readable message instead of an exporter's traceback
            raise ExportError(f"this model could not be exported to ONNX: {_first_line(exc)}") from exc
    return "torchscript", fallback


def _first_line(exc: BaseException) -> str:
    """The gist of an exporter's error: its exception summary when it has one (torch.export's
    message starts with advice), without terminal colours, cut at 300 characters."""
    import re

    lines = [line.strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if line.strip()]
    if "## Exception summary" in lines and lines.index("## Exception summary") + 1 < len(lines):
        return lines[lines.index("## Exception summary") + 1][:300]
    return f"{type(exc).__name__}: {lines[0][:300]}" if lines else type(exc).__name__


def head_spec(task: Any, inputs: Sequence[str]) -> GraphSpec:
    """The graph's names for a task (an ExportError naming the task when it has no export)."""
    if not task.onnx_outputs:
        from workbench.engine.tasks.registry import task_names

        exportable = ", ".join(task_names(lambda t: bool(t.onnx_outputs)))
        raise ExportError(
            f"ONNX export does not support {task.display_name} models (task {task.name!r}) yet; "
            f"it exports these tasks: {exportable}."
        )
    return GraphSpec(tuple(inputs), tuple(task.onnx_outputs), task.onnx_probabilities)
