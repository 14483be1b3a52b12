"""Issue 18's ONNX check at full size: a fine-tuned MiniLM classifier in ONNX Runtime gives PyTorch's
probabilities within 1e-4 on 100 SST-2 dev sentences (slow: the fine-tuning and the dynamo export of a
22M-parameter model take about a minute on two cores)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import minilm_dir
from tests.export_kit import dev_sentences
from tests.probe_kit import sst2_rows

pytestmark = pytest.mark.slow
pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")


def _fine_tune(folder: Path) -> Path:
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    data = folder / "train.tsv"
    data.write_text("sentence\tlabel\n" + "\n".join(sst2_rows("train.tsv", 320)) + "\n", encoding="utf-8")
    dev = folder / "dev.tsv"
    dev.write_text("sentence\tlabel\n" + "\n".join(sst2_rows("dev.tsv", 872)[-200:]) + "\n", encoding="utf-8")
    config = TrainConfig(data=str(data), validation=str(dev), model=str(minilm_dir()), task="classification",
                         max_steps=20, batch_size=16, lr=5e-5, max_length=64, eval_every=20, output=str(folder / "run"))
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished"
    return folder / "run"


def test_fine_tuned_minilm_matches_pytorch_in_onnx_runtime(tmp_path: Path) -> None:
    import onnxruntime as ort
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from workbench.engine.export.onnx_export import run_export

    run = _fine_tune(tmp_path)
    texts = dev_sentences(100)  # the first 100 dev sentences: the run validated on the last 200
    report = run_export(run, tmp_path / "onnx", check_texts=texts, quantize="int8", timing_repeats=5)
    assert report.check.passed and report.check.max_abs_diff < 1e-4 and report.check.examples == 100
    # Independently: the exported folder alone in ONNX Runtime against the run's model in plain transformers.
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path / "onnx"))
    session = ort.InferenceSession(str(tmp_path / "onnx" / "model.onnx"), providers=["CPUExecutionProvider"])
    batch = tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="np")
    feed = {node.name: batch[node.name].astype(np.int64) for node in session.get_inputs()}
    (probs,) = session.run(["probabilities"], feed)
    model = AutoModelForSequenceClassification.from_pretrained(str(run / "model")).eval()
    with torch.no_grad():
        logits = model(**{k: torch.from_numpy(v) for k, v in feed.items()}).logits
    assert np.abs(probs - torch.softmax(logits, -1).numpy()).max() < 1e-4
    # int8: its figures are measured on the run's 200 held-out sentences.
    assert report.accuracy is not None and report.accuracy.examples == 200
    assert report.speed is not None and report.speed.int8_s > 0
    meta = json.loads((tmp_path / "onnx" / "workbench_onnx.json").read_text(encoding="utf-8"))
    print(json.dumps({k: meta[k] for k in ("exporter", "check", "int8_max_abs_diff", "accuracy", "speed")}))
