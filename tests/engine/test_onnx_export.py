"""ONNX export (issue 18): the graph run by ONNX Runtime gives PyTorch's outputs, for every task it exports.

Each check compares with a reference computed here, independently of the export's own report:
plain transformers loads the run's model folder, ONNX Runtime loads the exported folder
(graph and tokenizer, as a deployment would).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.export_kit import dev_labels, dev_sentences, save_masked_lm, train_task_sample
from tests.probe_kit import train_tiny_classifier
from workbench.engine.tasks.registry import get_task, task_names

pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bert-tiny trained on 600 SST-2 rows, validated on 200 dev rows."""
    return train_tiny_classifier(tmp_path_factory.mktemp("tiny"), steps=60)


@pytest.fixture(scope="module")
def exported(tiny_run: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The tiny classifier exported with its int8 variant, checked on 100 SST-2 dev sentences."""
    from workbench.engine.export.onnx_export import run_export

    out = tmp_path_factory.mktemp("exported") / "onnx"
    return out, run_export(tiny_run, out, quantize="int8", check_texts=dev_sentences(100), timing_repeats=3,
                           timing_threads=1)


def _ort_outputs(folder: Path, texts: list[str], pairs: list[str] | None = None,
                 model_file: str = "model.onnx") -> dict[str, np.ndarray]:
    """ONNX Runtime on the exported folder alone: its tokenizer, its graph, one batch."""
    import onnxruntime as ort
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    session = ort.InferenceSession(str(folder / model_file), providers=["CPUExecutionProvider"])
    args = (texts,) if pairs is None else (texts, pairs)
    batch = tokenizer(*args, padding=True, truncation=True, max_length=128, return_tensors="np")
    feed = {node.name: batch[node.name].astype(np.int64) for node in session.get_inputs()}
    names = [node.name for node in session.get_outputs()]
    return dict(zip(names, session.run(names, feed), strict=True))


def _torch_outputs(model_dir: Path, auto: str, texts: list[str], pairs: list[str] | None = None) -> object:
    import torch
    import transformers

    model = getattr(transformers, auto).from_pretrained(str(model_dir)).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(model_dir))
    args = (texts,) if pairs is None else (texts, pairs)
    with torch.no_grad():
        return model(**tokenizer(*args, padding=True, truncation=True, max_length=128, return_tensors="pt"))


def test_the_exported_classifier_gives_pytorchs_probabilities_on_100_sst2_sentences(
    tiny_run: Path, exported: tuple[Path, Any]
) -> None:
    import torch

    out, report = exported
    texts = dev_sentences(100)
    # The export's own check: 100 sentences in batches of several sizes, hence several padded lengths.
    assert report.check.passed and report.check.max_abs_diff < 1e-4
    assert report.check.examples == 100 and report.check.compared == ("probabilities",)
    assert len({b for b, _ in report.check.shapes}) >= 4 and len({t for _, t in report.check.shapes}) >= 4
    # Independently: 100 sentences in one batch, the exported folder against plain transformers.
    got = _ort_outputs(out, texts)
    logits = _torch_outputs(tiny_run / "model", "AutoModelForSequenceClassification", texts).logits
    expected = torch.softmax(logits, dim=-1).numpy()
    assert got["probabilities"].shape == (100, 2)
    assert np.abs(got["probabilities"] - expected).max() < 1e-4
    assert np.abs(got["logits"] - logits.numpy()).max() < 1e-4
    meta = json.loads((out / "workbench_onnx.json").read_text(encoding="utf-8"))
    assert meta["task"] == "classification" and meta["labels"] == ["0", "1"]
    assert meta["inputs"] == ["input_ids", "attention_mask", "token_type_ids"]
    assert meta["outputs"] == ["logits", "probabilities"] and meta["exporter"] in ("dynamo", "torchscript")
    assert meta["check"]["max_abs_diff"] == report.check.max_abs_diff and meta["check"]["passed"] is True


def test_the_graph_has_dynamic_batch_and_sequence_axes(exported: tuple[Path, Any]) -> None:
    import onnx

    out, _ = exported
    graph = onnx.load(str(out / "model.onnx")).graph
    for node in graph.input:
        dims = node.type.tensor_type.shape.dim
        assert [d.dim_param for d in dims] == ["batch", "sequence"], node.name
    # A batch of 1 and a long sentence, shapes the graph was not traced with.
    long_text = " ".join(dev_sentences(6))
    got = _ort_outputs(out, [long_text])
    assert got["probabilities"].shape == (1, 2)


@pytest.mark.parametrize(("task_name", "auto", "pairs"), [
    ("multi-label", "AutoModelForSequenceClassification", None),
    ("token-classification", "AutoModelForTokenClassification", None),
    ("question-answering", "AutoModelForQuestionAnswering", ["Paris is the capital of France.",
                                                             "The Nile is a river in Africa. It flows north."]),
])  # fmt: skip
def test_multilabel_token_classification_and_qa_export_their_outputs(
    task_name: str, auto: str, pairs: list[str] | None, tmp_path: Path
) -> None:
    from workbench.engine.export.onnx_export import run_export

    run = train_task_sample(tmp_path / "train", task_name)
    report = run_export(run, tmp_path / "onnx")
    task = get_task(task_name)
    outputs = tuple(task.onnx_outputs)
    compared = ("probabilities",) if task.onnx_probabilities else outputs  # multi-label: one sigmoid per label
    assert report.outputs[: len(outputs)] == outputs and report.check.compared == compared
    assert report.check.passed and report.check.max_abs_diff < 1e-4
    texts = ["Alice met Bob in Rome", "What is the capital of France?"]
    got = _ort_outputs(tmp_path / "onnx", texts, pairs)
    expected = _torch_outputs(run / "model", auto, texts, pairs)
    for name in outputs:
        want = getattr(expected, name).numpy()
        assert got[name].shape == want.shape  # per token: (B, T, tags) or (B, T)
        assert np.abs(got[name] - want).max() < 1e-4, name
    if task.onnx_probabilities:
        sigmoid = 1 / (1 + np.exp(-expected.logits.numpy()))
        assert np.abs(got["probabilities"] - sigmoid).max() < 1e-4
    meta = json.loads((tmp_path / "onnx" / "workbench_onnx.json").read_text(encoding="utf-8"))
    assert meta["task"] == task_name and meta["outputs"] == list(report.outputs)


def test_a_model_dynamo_cannot_trace_falls_back_to_torchscript(tmp_path: Path) -> None:
    """The BiLSTM packs its sequences by length (data-dependent shapes): torch.export refuses it."""
    from workbench.engine.export.onnx_export import run_export
    from workbench.engine.export.onnx_graph import ExportError

    run = train_task_sample(tmp_path / "train", "classification", model="bilstm")
    report = run_export(run, tmp_path / "onnx")
    assert report.exporter == "torchscript" and report.check.passed and report.check.max_abs_diff < 1e-4
    assert len(report.notes) == 1 and report.notes[0].startswith("the dynamo exporter failed (")
    assert report.notes[0].endswith("), so the TorchScript one was used") and "\x1b" not in report.notes[0]
    texts = dev_sentences(12)
    expected = _torch_outputs(run / "model", "AutoModelForSequenceClassification", texts).logits.numpy()
    assert np.abs(_ort_outputs(tmp_path / "onnx", texts)["logits"] - expected).max() < 1e-4
    with pytest.raises(ExportError, match=r"^the dynamo exporter could not export this model: "):
        run_export(run, tmp_path / "dynamo-only", exporter="dynamo")


def test_int8_reports_the_accuracy_the_int8_graph_really_has(tiny_run: Path, exported: tuple[Path, Any]) -> None:
    from sklearn.metrics import accuracy_score

    from workbench.engine.eval_data import default_eval_data
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.export.onnx_export import INT8_FILE
    from workbench.engine.inference import Predictor

    out, report = exported
    acc, speed = report.accuracy, report.speed
    assert acc is not None and speed is not None and report.int8_file
    assert acc.metric == "eval_accuracy" and acc.examples == 200 and "dev.tsv" in acc.data
    # fp32 ONNX predicts as PyTorch does: the same accuracy as the workbench's own evaluation.
    predictor = Predictor.load(tiny_run)
    examples, _ = default_eval_data(tiny_run).examples("classification", predictor.label_names)
    assert acc.fp32 == pytest.approx(evaluate_model(predictor, examples).metrics["eval_accuracy"], abs=1e-12)
    # int8: the accuracy scikit-learn gives the int8 graph's own predictions on the 200 dev rows.
    probs = _ort_outputs(out, dev_sentences(200), model_file=INT8_FILE)["probabilities"]
    assert acc.int8 == pytest.approx(accuracy_score(dev_labels(200), probs.argmax(1)), abs=1e-12)
    assert acc.change == pytest.approx(acc.int8 - acc.fp32)
    assert speed.repeats == 3 and speed.fp32_s > 0 and speed.int8_s > 0
    assert speed.speedup == pytest.approx(speed.fp32_s / speed.int8_s)
    assert report.int8_max_abs_diff is not None and report.int8_max_abs_diff > 0  # int8 is not exact
    meta = json.loads((out / "workbench_onnx.json").read_text(encoding="utf-8"))
    assert meta["accuracy"]["change"] == pytest.approx(acc.change) and meta["speed"]["speedup"] > 0


def test_the_tasks_that_export_say_so_with_a_flag() -> None:
    exportable = task_names(lambda t: bool(t.onnx_outputs))
    assert exportable == ("classification", "multi-label", "token-classification", "question-answering")
    assert task_names(lambda t: t.onnx_probabilities is not None) == ("classification", "multi-label")


@pytest.mark.parametrize("name", [n for n in task_names() if not get_task(n).onnx_outputs])
def test_a_task_without_an_export_is_refused_by_name(name: str) -> None:
    from workbench.engine.export.onnx_graph import ExportError, head_spec

    task = get_task(name)
    with pytest.raises(ExportError, match=f"does not support {task.display_name} models \\(task '{name}'\\)"):
        head_spec(task, ("input_ids", "attention_mask"))


def test_a_masked_lm_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from workbench.engine.export.onnx_export import run_export
    from workbench.engine.export.onnx_graph import ExportError

    folder = save_masked_lm(tmp_path / "mlm")
    with pytest.raises(ExportError, match=r"^ONNX export does not support masked language model models \(task "
                                          r"'masked-lm'\) yet; it exports these tasks: classification, multi-label, "
                                          r"token-classification, question-answering\.$"):
        run_export(folder, tmp_path / "onnx")
    assert not (tmp_path / "onnx").exists()


def test_a_missing_extra_names_it(tiny_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from workbench.engine.export.onnx_export import run_export
    from workbench.engine.extras import MissingExtraError

    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime now raises ImportError
    with pytest.raises(MissingExtraError, match=r"^ONNX export needs onnxruntime: pip install "
                                                r"'transformer-workbench\[export\]' "
                                                r"\(in a checkout: pip install -e '\.\[export\]'\)$"):
        run_export(tiny_run, tmp_path / "onnx")
    assert not (tmp_path / "onnx").exists()
