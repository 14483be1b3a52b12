"""``export_onnx``: a run's model as an ONNX graph plus its tokenizer, checked with ONNX Runtime.

The folder written holds ``model.onnx`` (inputs ``input_ids``, ``attention_mask`` and, where
the tokenizer gives them, ``token_type_ids``, each (batch, sequence) int64; outputs the
head's, plus ``probabilities`` for classifiers), the tokenizer's files, the model's
``config.json`` and ``workbench_onnx.json`` (task, labels, input and output names, the
check's figures). With ``quantize="int8"`` also ``model-int8.onnx`` and its measured
accuracy change and speed-up.

Like training, the export is a generator of events: ``ExportStep`` before each stage and
``ExportFinished`` with the report last; a caller that stops iterating stops it there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.engine.errors import ConfigError
from workbench.engine.export import META_FILE
from workbench.engine.export.onnx_graph import (
    EXPORTERS,
    OPSET,
    QUANTIZATIONS,
    ExportError,
    GraphSpec,
    export_graph,
    graph_module,
    head_spec,
    model_inputs,
)
from workbench.engine.export.onnx_runtime import (
    FEATURE,
    batch_plan,
    onnxruntime,
    open_session,
    run_session,
)
from workbench.engine.export.quantize import (
    Accuracy,
    Speed,
    measure_accuracy,
    measure_speed,
    quantize_int8,
)
from workbench.engine.extras import require

if TYPE_CHECKING:
    from workbench.engine.eval_data import EvalData

__all__ = [
    "EXPORTERS", "QUANTIZATIONS", "ExportError", "ExportFinished", "ExportStep", "OnnxExport", "ParityCheck",
    "compare_with_pytorch", "export_onnx", "report_lines", "run_export",
]  # fmt: skip

MODEL_FILE, INT8_FILE = "model.onnx", "model-int8.onnx"
# ONNX Runtime and PyTorch sum in different orders: fp32 graphs agree to about 1e-6.
TOLERANCE = 1e-4
# How many of the data's examples the check runs (all the given texts when the caller names them).
CHECK_EXAMPLES = 64
# Inputs of several lengths for the check when there is no data to take them from.
SAMPLE_TEXTS = (
    "Good.",
    "The film was a quiet delight from start to finish.",
    "I would not watch it again.",
    "Paris is the capital of France and lies on the Seine, a river that flows into the English Channel.",
    "An uneven, overlong and strangely joyless affair that wastes a fine cast on a script with nothing to say, "
    "then says it again for another forty minutes.",
    "Who wrote it?",
    "Alice met Bob in Rome last spring.",
    "It rained.",
    "The committee, after three long meetings and a vote that split it down the middle, approved the plan.",
    "Yes",
    "A small, warm and very funny story about growing up.",
    "The Nile is a river in Africa; it flows north into the Mediterranean Sea.",
)  # fmt: skip


@dataclass(frozen=True)
class ExportStep:
    """A stage begins: ``step`` of ``steps`` (1-based), ``stage`` a key, ``message`` in English."""

    stage: str
    message: str
    step: int
    steps: int


@dataclass(frozen=True)
class ParityCheck:
    """The largest absolute difference between ONNX Runtime's and PyTorch's task outputs."""

    compared: tuple[str, ...]  # the outputs compared, e.g. ("probabilities",)
    max_abs_diff: float
    examples: int
    shapes: tuple[tuple[int, int], ...]  # (batch, sequence) of each batch run
    tolerance: float = TOLERANCE

    @property
    def passed(self) -> bool:
        return self.max_abs_diff <= self.tolerance


@dataclass(frozen=True)
class OnnxExport:
    """What was written and how well it matches the PyTorch model."""

    out: str
    source: str  # the model that was exported, in words
    task: str
    labels: list[str]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    exporter: str  # "dynamo" or "torchscript"
    max_length: int
    check: ParityCheck
    int8_file: str | None = None
    # The int8 graph's largest difference to PyTorch on the same inputs (quantisation error: no tolerance).
    int8_max_abs_diff: float | None = None
    accuracy: Accuracy | None = None
    speed: Speed | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["check"]["passed"] = self.check.passed
        out["model_file"] = MODEL_FILE
        out["opset"] = OPSET
        out["dynamic_axes"] = {"batch": 0, "sequence": 1}
        if self.accuracy is not None:
            out["accuracy"]["change"] = self.accuracy.change
        if self.speed is not None:
            out["speed"]["speedup"] = self.speed.speedup
        return out


@dataclass(frozen=True)
class ExportFinished:
    report: OnnxExport


def compare_with_pytorch(
    model: Any, tokenizer: Any, session: Any, spec: GraphSpec, texts: Sequence[str],
    pairs: Sequence[str] | None = None, *, max_length: int = 512,
) -> ParityCheck:
    """Run ``texts`` (and ``pairs``) through both, in batches of several sizes (so several padded
    lengths), and take the largest absolute difference of the task's outputs."""
    import numpy as np
    import torch

    graph = graph_module(model, spec)
    worst, shapes = 0.0, []
    for rows in batch_plan(len(texts)):
        args: list[Any] = [[texts[i] for i in rows]]
        if pairs is not None:
            args.append([pairs[i] for i in rows])
        batch = tokenizer(*args, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        with torch.no_grad():
            expected = dict(zip(spec.outputs, graph(*(batch[name] for name in spec.inputs)), strict=True))
        got = run_session(session, batch)
        for name in spec.compared:
            worst = max(worst, float(np.abs(got[name] - expected[name].float().numpy()).max()))
        shapes.append((len(rows), int(batch["input_ids"].shape[1])))
    return ParityCheck(tuple(spec.compared), worst, len(texts), tuple(shapes))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Atomically: a reader never sees half a file."""
    temp = path.with_name(f".{path.name}.partial")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _data_examples(predictor: Any, data: EvalData | None, spec: str, limit: int | None) -> tuple[Any, str, str | None]:
    """(examples or None, what they are, a note): the given data, else the run's held-out data."""
    from workbench.engine.errors import WorkbenchError
    from workbench.engine.eval_data import run_eval_data

    given = data is not None
    data = data or run_eval_data(spec)
    if data is None:
        return None, "", "there is no held-out data (not a run folder with validation data): give --data FILE"
    try:
        examples, _note = data.examples(predictor.task, predictor.label_names or None,
                                        label_separator=predictor.label_separator)
    except WorkbenchError as exc:
        if given:
            raise
        return None, "", f"the run's held-out data could not be read ({exc})"
    if limit is not None and limit < len(examples):
        examples = examples.subset(range(limit))
    return examples, data.description, None


def _check_inputs(examples: Any, texts: Sequence[str] | None, pairs: Sequence[str] | None,
                  task: Any) -> tuple[list[str], list[str] | None]:
    """The check's inputs: the caller's texts, else the data's first examples, else the built-in sentences."""
    if texts is not None:
        return list(texts), list(pairs) if pairs is not None else None
    samples = list(SAMPLE_TEXTS)
    # A task that reads a second text (a pair, a context) gets one, so token_type_ids 1 is checked too.
    sample_pairs = samples[3:] + samples[:3] if task.roles.pair else None
    if examples is None or not len(examples):
        return samples, sample_pairs
    n = min(len(examples), CHECK_EXAMPLES)
    found_texts, found_pairs = list(examples.texts[:n]), examples.text_pairs
    if n >= len(samples):
        return found_texts, list(found_pairs[:n]) if found_pairs is not None else None
    # A few examples only: the built-in sentences add lengths and batch sizes.
    if found_pairs is None:
        return found_texts + samples, None
    return found_texts + samples, list(found_pairs[:n]) + (sample_pairs or samples)


def _check_options(out: Path, quantize: str | None, exporter: str) -> None:
    if quantize is not None and quantize not in QUANTIZATIONS:
        raise ConfigError(f"--quantize {quantize}: choose one of: {', '.join(QUANTIZATIONS)}.")
    if exporter not in EXPORTERS:
        raise ConfigError(f"--exporter {exporter}: choose one of: {', '.join(EXPORTERS)}.")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: this is a file; give a folder to write the model into.")
    # Before any work: a missing extra is said at once, not after loading the model.
    require("onnx", "export", FEATURE)
    require("onnxscript", "export", FEATURE)
    onnxruntime()


def _save_graph(predictor: Any, spec: GraphSpec, out: Path, exporter: str) -> tuple[str, str]:
    """The graph (written beside its name, then renamed: an old model.onnx is never half replaced),
    the tokenizer and the model's config."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / MODEL_FILE
    temp = out / f".{MODEL_FILE}.partial"
    try:
        used, why = export_graph(predictor.model, predictor.tokenizer, spec, temp, exporter)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    predictor.tokenizer.save_pretrained(str(out))
    predictor.model.config.save_pretrained(str(out))
    return used, why


def export_onnx(
    spec: str | Path,
    out: str | Path,
    *,
    quantize: str | None = None,
    data: EvalData | None = None,
    exporter: str = "auto",
    check_texts: Sequence[str] | None = None,
    check_pairs: Sequence[str] | None = None,
    eval_limit: int | None = None,
    timing_repeats: int = 10,
    timing_threads: int | None = None,
    allow_pickle: bool = False,
    trust_remote_code: bool = False,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[ExportStep | ExportFinished]:
    """Export the model of ``spec`` (a run folder, checkpoint or model folder) to the folder ``out``.

    ``quantize``: "int8" also writes the dynamically quantised graph and measures it: accuracy on
    ``data`` (default: the run's held-out data; ``eval_limit`` caps the examples) and speed
    (median of ``timing_repeats`` runs with ``timing_threads`` ONNX Runtime threads, None: all cores).
    ``check_texts`` / ``check_pairs``: the check's inputs
    (default: the data's first examples, else built-in sentences). ``should_stop``: asked
    during the evaluations. An ExportError names a task that has no export.
    """
    from workbench.engine.inference import Predictor

    out = Path(out)
    _check_options(out, quantize, exporter)
    steps = 6 if quantize else 3
    yield ExportStep("load", f"loading {spec}", 1, steps)
    predictor = Predictor.load(spec, allow_pickle=allow_pickle, trust_remote_code=trust_remote_code)
    spec_ = head_spec(predictor.task_spec, model_inputs(predictor.tokenizer))  # refuses a task without an export
    examples, described, note = _data_examples(predictor, data, str(spec), eval_limit)
    notes = [note] if note and (quantize or data is not None) else []
    yield ExportStep("export", f"exporting the graph to {out / MODEL_FILE}", 2, steps)
    used, why = _save_graph(predictor, spec_, out, exporter)
    notes += [why] if why else []
    yield ExportStep("check", "comparing ONNX Runtime with PyTorch", 3, steps)
    texts, pairs = _check_inputs(examples, check_texts, check_pairs, predictor.task_spec)
    check = compare_with_pytorch(predictor.model, predictor.tokenizer, open_session(out / MODEL_FILE), spec_,
                                 texts, pairs, max_length=predictor.max_length)
    report = OnnxExport(
        str(out), f"{spec}: {predictor.source.description}", predictor.task, list(predictor.label_names), spec_.inputs,
        spec_.outputs, used, predictor.max_length, check, notes=notes,
    )
    if quantize:
        report = yield from _int8(predictor, spec_, report, examples, described, texts, pairs,
                                  timing=(timing_repeats, timing_threads), should_stop=should_stop, steps=steps)
    _write_json(out / META_FILE, report.to_dict())
    yield ExportFinished(report)


def _int8(
    predictor: Any, spec: GraphSpec, report: OnnxExport, examples: Any, described: str, texts: list[str],
    pairs: list[str] | None, *, timing: tuple[int, int | None], should_stop: Callable[[], bool] | None, steps: int,
) -> Iterator[ExportStep]:
    """Quantise, check, evaluate and time the int8 graph; the report with its figures (the generator's return)."""
    from dataclasses import replace

    out = Path(report.out)
    fp32, int8 = out / MODEL_FILE, out / INT8_FILE
    yield ExportStep("quantize", f"quantising to int8: {int8}", 4, steps)
    quantize_int8(fp32, int8)
    int8_diff = compare_with_pytorch(predictor.model, predictor.tokenizer, open_session(int8), spec, texts, pairs,
                                      max_length=predictor.max_length).max_abs_diff
    accuracy = None
    if examples is not None and len(examples):
        yield ExportStep("evaluate", f"evaluating both graphs on {len(examples):,} examples", 5, steps)
        accuracy = measure_accuracy(predictor, fp32, int8, examples, described, should_stop=should_stop)
    repeats, threads = timing
    yield ExportStep("time", f"timing both graphs ({repeats} runs each)", 6, steps)
    batch_rows = range(min(len(texts), 32))
    args: list[Any] = [[texts[i] for i in batch_rows]] + ([[pairs[i] for i in batch_rows]] if pairs else [])
    batch = predictor.tokenizer(*args, padding=True, truncation=True, max_length=predictor.max_length,
                                return_tensors="np")
    speed = measure_speed(fp32, int8, batch, repeats, threads)
    return replace(report, int8_file=str(int8), int8_max_abs_diff=int8_diff, accuracy=accuracy, speed=speed)


def report_lines(report: OnnxExport) -> list[str]:
    """The report for a person (English, as the engine's texts): what was written, the check, the int8 figures."""
    check = report.check
    verdict = "ok" if check.passed else f"ABOVE the tolerance {check.tolerance:g}"
    lines = [
        f"exported the {report.task} model ({report.source}) with the {report.exporter} exporter to "
        f"{report.out}/model.onnx",
        f"  inputs {', '.join(report.inputs)}; outputs {', '.join(report.outputs)}; axes: batch, sequence",
        f"  ONNX Runtime vs PyTorch on {check.examples} inputs ({len(check.shapes)} batches, sizes "
        f"{sorted({b for b, _ in check.shapes})}, lengths {sorted({t for _, t in check.shapes})}): largest "
        f"difference of {', '.join(check.compared)} {check.max_abs_diff:.2e} ({verdict})",
    ]
    if report.int8_file:
        lines.append(f"int8: {report.int8_file}; largest difference to PyTorch {report.int8_max_abs_diff:.2e}")
    if report.accuracy is not None:
        acc = report.accuracy
        lines.append(f"  {acc.metric[5:]} {acc.fp32:.4f} (fp32) -> {acc.int8:.4f} (int8), change {acc.change:+.4f} "
                     f"on {acc.examples:,} examples of {acc.data}")
    if report.speed is not None:
        sp = report.speed
        threads = f", {sp.threads} thread{'s' if sp.threads != 1 else ''}" if sp.threads else ""
        lines.append(f"  median of {sp.repeats} runs on a {sp.shape[0]}x{sp.shape[1]} batch{threads}: "
                     f"{sp.fp32_s * 1e3:.2f} ms (fp32) vs {sp.int8_s * 1e3:.2f} ms (int8), {sp.speedup:.2f}x")
    lines += [f"note: {note}" for note in report.notes]
    return lines


def run_export(spec: str | Path, out: str | Path, **options: Any) -> OnnxExport:
    """``export_onnx`` run to the end: its report (for scripts and tests)."""
    for event in export_onnx(spec, out, **options):
        if isinstance(event, ExportFinished):
            return event.report
    raise ExportError("the export stopped before it finished")  # pragma: no cover - the generator always ends so
