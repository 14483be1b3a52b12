"""Comparing two classifiers: disagreements, attention differences, refusal of different label sets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import shared
from workbench.engine.errors import ModelError, WorkbenchError
from workbench.engine.inference import Predictor
from workbench.engine.inspection.attention import compute_attention
from workbench.engine.inspection.compare import attention_difference, compare_models

# B is trained 120 steps, not 40: from scratch on 200 rows, 40 steps still predict one
# class for every input (as do 5), so A and B would agree everywhere or nowhere and a
# wrong disagreement list could pass. At 120 steps about half of the dev rows differ.
STEPS_A, STEPS_B = 5, 120


def compare_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two runs of the same data and seed (same tokenizer), built once per test session.

    Shared by the engine, CLI and GUI tests through the session's base temp folder,
    so the training (~10 s) is paid once.
    """
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    root = tmp_path_factory.getbasetemp() / "compare_runs"
    done = root / "done.json"
    if done.is_file():
        return {k: Path(v) for k, v in json.loads(done.read_text()).items()}
    root.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, n in (("train", 200), ("dev", 100)):
        lines = shared("sst2", f"{name}.tsv").read_text(encoding="utf-8").splitlines()[: n + 1]
        paths[name] = root / f"{name}.tsv"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    for key, steps in (("a", STEPS_A), ("b", STEPS_B)):
        out = root / f"run{steps}"
        config = TrainConfig(data=str(paths["train"]), validation=str(paths["dev"]), model="bert-tiny",
                             max_steps=steps, batch_size=16, vocab_size=1000, seed=0, num_threads=1,
                             output=str(out))
        for _ in Trainer(config).run():
            pass
        paths[key] = out
    paths["first_checkpoint"] = sorted((paths["b"] / "checkpoints").glob("step-*"))[0]
    done.write_text(json.dumps({k: str(v) for k, v in paths.items()}))
    return paths


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    return compare_runs(tmp_path_factory)


@pytest.fixture(scope="module")
def comparison(runs):
    return compare_models(runs["a"], runs["b"], runs["dev"])


def _predicted(spec: Path, texts: list[str]) -> list[str]:
    return [row["label"] for row in Predictor.load(spec).predict(texts)]


def test_disagreements_are_where_predict_differs(comparison, runs) -> None:
    c = comparison
    assert len(c) == 100 and len(c.labels) == len(c.pred_a) == len(c.pred_b) == 100
    pred_a, pred_b = _predicted(runs["a"], c.texts), _predicted(runs["b"], c.texts)
    assert c.pred_a == pred_a and c.pred_b == pred_b
    expected = {i for i in range(100) if pred_a[i] != pred_b[i]}
    assert 0 < len(expected) < 100  # a mix, so the test can tell right from wrong indices
    assert set(c.disagreements) == expected and len(c.disagreements) == len(expected)
    larger = [max(c.conf_a[i], c.conf_b[i]) for i in c.disagreements]
    assert larger == sorted(larger, reverse=True)
    # Accuracy from the names matches evaluate()'s metric.
    assert np.mean([p == t for p, t in zip(c.pred_b, c.labels)]) == pytest.approx(c.metrics_b["eval_accuracy"])
    assert np.all((c.conf_a >= 0.5) & (c.conf_a <= 1.0))  # two classes: the argmax has p >= 0.5


def test_checkpoint_folder_against_final_model(runs) -> None:
    c = compare_models(runs["first_checkpoint"], runs["b"] / "model", runs["dev"])
    pred_a = _predicted(runs["first_checkpoint"], c.texts)
    pred_b = _predicted(runs["b"], c.texts)
    assert set(c.disagreements) == {i for i in range(len(c)) if pred_a[i] != pred_b[i]}
    assert c.metrics_a["eval_accuracy"] != c.metrics_b["eval_accuracy"] or c.disagreements == []


def test_attention_difference_is_b_minus_a(comparison) -> None:
    a, b = comparison.predictor_a, comparison.predictor_b
    text = comparison.texts[comparison.disagreements[0]]
    tokens, diff = attention_difference(a, b, text, 1, 0)
    maps_a, maps_b = compute_attention(a.model, a.tokenizer, text), compute_attention(b.model, b.tokenizer, text)
    assert tokens == maps_a.tokens and diff.shape == (len(tokens), len(tokens))
    np.testing.assert_allclose(diff, maps_b.attentions[1, 0] - maps_a.attentions[1, 0], atol=1e-7)
    assert np.abs(diff).max() > 1e-4  # 115 more steps did change this head
    np.testing.assert_allclose(diff.sum(axis=1), 0.0, atol=1e-5)  # both rows sum to 1
    with pytest.raises(WorkbenchError, match="layer 9"):
        attention_difference(a, b, text, 9, 0)


def test_different_tokenizations_are_refused(comparison, runs) -> None:
    other = Predictor.load(runs["b"])
    other.max_length = 4  # B now cuts the text after 4 tokens: a different token sequence from A's
    with pytest.raises(ModelError, match="different tokens"):
        attention_difference(comparison.predictor_a, other, "a gorgeous , witty , seductive movie .", 0, 0)


def test_different_label_sets_are_refused(runs, tmp_path) -> None:
    import shutil

    relabelled = tmp_path / "relabelled"
    shutil.copytree(runs["b"] / "model", relabelled)
    meta_path = relabelled / "workbench_model.json"
    meta = json.loads(meta_path.read_text())
    meta["label_names"] = ["negative", "positive"]
    meta_path.write_text(json.dumps(meta))
    config = json.loads((relabelled / "config.json").read_text())
    config["id2label"] = {"0": "negative", "1": "positive"}
    config["label2id"] = {"negative": 0, "positive": 1}
    (relabelled / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError) as info:
        compare_models(runs["a"], relabelled, runs["dev"])
    message = str(info.value)
    assert "different label sets" in message and "'negative'" in message and "'0'" in message
    assert str(runs["a"]) in message and str(relabelled) in message
