"""Multi-label classification in the engine: labels, metrics, batching, thresholds, training.

The data set is synthetic but made of real text: SST-2 sentences with keywords of
up to three topics mixed in; a row's labels are exactly the topics whose
keywords it contains. A small from-scratch BERT learns that in a few seconds,
which is far above what ignoring the text can reach.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.conftest import shared
from workbench.engine import metrics as M
from workbench.engine.data import read_table
from workbench.engine.errors import ConfigError, DatasetError, ModelError
from workbench.engine.task_data import build_examples, compute_stats, load_dataset
from workbench.engine.tasks import multilabel as ML
from workbench.engine.training.batching import pad_batch

TOPICS = {
    "food": ["pizza", "bread", "cheese", "soup", "dinner"],
    "money": ["bank", "loan", "salary", "price", "budget"],
    "sport": ["football", "goal", "match", "team", "coach"],
    "weather": ["rain", "storm", "sunny", "snow", "wind"],
}


def write_topics_csv(path: Path, n: int, seed: int, separator: str = "|") -> Path:
    """``text,labels`` rows: up to 4 SST-2 words plus two keywords of each of the row's topics."""
    rng = random.Random(seed)
    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:3001]
    filler = [line.split("\t")[0].split() for line in lines]
    names = sorted(TOPICS)
    rows = []
    for _ in range(n):
        chosen = sorted(rng.sample(names, rng.choice([0, 1, 1, 2, 2, 3])))
        words = list(rng.choice(filler))[:4]
        for topic in chosen:
            for _ in range(2):
                words.insert(rng.randrange(len(words) + 1), rng.choice(TOPICS[topic]))
        rows.append((" ".join(words), separator.join(chosen)))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "labels"])
        writer.writerows(rows)
    return path


def tiny_multilabel_config(train: Path, dev: Path, out: Path | None, **overrides):
    from workbench.engine.training.config import TrainConfig

    values = {
        "data": str(train), "validation": str(dev), "task": "multi-label", "model": "bert-tiny",
        "layers": 2, "hidden": 64, "heads": 2, "vocab_size": 500, "max_length": 32,
        "max_steps": 200, "batch_size": 32, "eval_every": 100, "lr": 2e-3, "seed": 0,
        "num_threads": 1, "output": str(out) if out else None,
    }  # fmt: skip
    values.update(overrides)
    return TrainConfig(**values)


# --------------------------------------------------------------------------- metrics


def test_metrics_match_hand_computation_and_sklearn_semantics() -> None:
    y_true = [[1, 0, 1, 0], [0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]]
    y_pred = [[1, 0, 0, 0], [0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]]
    r = M.multilabel_metrics(y_true, y_pred, ["a", "b", "c", "never"])
    # per label: a tp2 fp0 fn0; b tp1 fp0 fn1; c tp0 fp1 fn1; "never" is never true nor predicted
    assert r["per_class"]["a"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert r["per_class"]["b"] == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2})
    assert r["per_class"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert r["per_class"]["never"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    # micro pools tp=3, fp=1, fn=2: sklearn f1_score(average="micro") = 6 / 9
    assert r["precision_micro"] == pytest.approx(3 / 4)
    assert r["recall_micro"] == pytest.approx(3 / 5)
    assert r["f1_micro"] == pytest.approx(2 / 3)
    # macro: the plain mean over all four labels, the unused one scoring 0 (zero_division=0)
    assert r["f1_macro"] == pytest.approx((1 + 2 / 3 + 0 + 0) / 4)
    assert r["precision_macro"] == pytest.approx((1 + 1) / 4)
    assert r["recall_macro"] == pytest.approx((1 + 0.5) / 4)
    assert r["subset_accuracy"] == pytest.approx(1 / 4)  # only the empty row matches exactly
    assert r["hamming_loss"] == pytest.approx(3 / 16)
    json.dumps(r)  # plain Python values only


def test_per_label_scores_equal_binary_classification_metrics() -> None:
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, size=(300, 6))
    y_pred = np.where(rng.random((300, 6)) < 0.7, y_true, 1 - y_true)
    names = [f"l{j}" for j in range(6)]
    r = M.multilabel_metrics(y_true, y_pred, names)
    for j, name in enumerate(names):
        binary = M.classification_metrics(y_true[:, j].tolist(), y_pred[:, j].tolist(), ["0", "1"])
        assert r["per_class"][name] == pytest.approx(binary["per_class"]["1"])
    # micro over labels = binary scores of the flattened decisions
    flat = M.classification_metrics(y_true.ravel().tolist(), y_pred.ravel().tolist(), ["0", "1"])
    assert r["f1_micro"] == pytest.approx(flat["per_class"]["1"]["f1"])
    assert r["hamming_loss"] == pytest.approx(1 - flat["accuracy"])


def test_metrics_reject_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="indicator"):
        M.multilabel_metrics([[1, 0]], [[1, 0, 0]], ["a", "b"])
    empty = M.multilabel_metrics(np.zeros((0, 2)), np.zeros((0, 2)), ["a", "b"])
    assert empty["f1_micro"] == 0.0 and empty["num_examples"] == 0


# --------------------------------------------------------------------------- data


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_label_cells_are_split_stripped_and_deduplicated(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "d.csv",
        "text,labels\nfirst,news ; sport\nsecond,\nthird,sport;;sport\nfourth,weather;news\n",
    )
    ex = build_examples(read_table(path), "multi-label", label_separator=";")
    assert ex.label_names == ["news", "sport", "weather"]
    assert ex.labels == [[0, 1], [], [1], [0, 2]]  # an empty cell: no labels at all
    assert ex.lines == [2, 3, 4, 5]


def test_jsonl_label_lists_and_pairs(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "d.jsonl",
        '{"premise": "a", "hypothesis": "b", "labels": ["x", "y"]}\n'
        '{"premise": "c", "hypothesis": "d", "labels": []}\n'
        '{"premise": "e", "hypothesis": "f", "labels": "y|z"}\n',
    )
    ex = build_examples(read_table(path), "multi-label")
    assert ex.text_pairs == ["b", "d", "f"]
    assert ex.label_names == ["x", "y", "z"] and ex.labels == [[0, 1], [], [1, 2]]


def test_a_label_seen_only_in_validation_names_label_and_line(tmp_path: Path) -> None:
    train = _write(tmp_path / "t.csv", "text,labels\na,x|y\nb,y\nc,x\n")
    dev = _write(tmp_path / "v.csv", "text,labels\nd,x\ne,y|surprise\n")
    with pytest.raises(DatasetError) as info:
        load_dataset(train, "multi-label", validation_path=dev)
    message = str(info.value)
    assert "'surprise'" in message and "line 3" in message and "v.csv" in message


def test_bad_multilabel_input_is_a_clear_error(tmp_path: Path) -> None:
    no_labels = _write(tmp_path / "n.csv", "text,labels\na,\nb,\n")
    with pytest.raises(DatasetError, match="no row has a label"):
        build_examples(read_table(no_labels), "multi-label")
    nested = _write(tmp_path / "j.jsonl", '{"text": "a", "labels": [["x"]]}\n')
    with pytest.raises(DatasetError, match="JSON array"):
        build_examples(read_table(nested), "multi-label")
    good = _write(tmp_path / "g.csv", "text,labels\na,x|y\n")
    with pytest.raises(ConfigError, match="separator"):
        build_examples(read_table(good), "multi-label", label_separator="")
    from workbench.engine.training.config import TrainConfig

    assert any("label_separator" in p for p in TrainConfig(data="x", task="multi-label", label_separator="").problems())


def test_stats_count_labels_per_row_and_warn_on_single_label_data(tmp_path: Path) -> None:
    multi = write_topics_csv(tmp_path / "m.csv", 200, seed=3)
    stats = compute_stats(build_examples(read_table(multi), "multi-label"))
    counts = {int(k): v for k, v in stats["labels_per_row_counts"].items()}
    assert sum(counts.values()) == 200 and max(counts) == 3
    assert stats["rows_without_labels"] == counts[0]
    assert stats["labels_per_row"]["mean"] == pytest.approx(sum(k * v for k, v in counts.items()) / 200, abs=1e-3)
    assert sum(stats["label_counts"].values()) == sum(k * v for k, v in counts.items())
    assert not any("did you mean classification" in w for w in stats["warnings"])

    # Comma-separated labels read with the default "|": every row looks single-label.
    commas = _write(tmp_path / "c.csv", 'text,labels\na,"x,y"\nb,y\nc,"x,z"\n')
    warnings = compute_stats(build_examples(read_table(commas), "multi-label"))["warnings"]
    warning = next(w for w in warnings if "did you mean classification" in w)
    assert "','" in warning  # and it suggests the separator that was probably meant


# --------------------------------------------------------------------------- batching


def test_pad_batch_makes_float_multi_hot_labels_without_touching_other_tasks() -> None:
    features = [
        {"input_ids": [1, 2, 3], "label_set": [0, 2], "num_labels": 4},
        {"input_ids": [1, 2], "label_set": [], "num_labels": 4},
        {"input_ids": [5], "label_set": [3], "num_labels": 4},
    ]
    batch = pad_batch(features, pad_token_id=0)
    assert batch["labels"].dtype == torch.float32
    assert batch["labels"].tolist() == [[1, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 1]]
    assert batch["input_ids"].tolist() == [[1, 2, 3], [1, 2, 0], [5, 0, 0]]
    # one id per example and per-token ids keep their meaning
    single = pad_batch([{"input_ids": [1, 2], "labels": 1}, {"input_ids": [3], "labels": 0}], 0)
    assert single["labels"].dtype == torch.long and single["labels"].tolist() == [1, 0]
    tokens = pad_batch([{"input_ids": [1, 2], "labels": [0, 1]}, {"input_ids": [3], "labels": [2]}], 0)
    assert tokens["labels"].tolist() == [[0, 1], [2, -100]]


# --------------------------------------------------------------------------- thresholds


def _brute_force_best_f1(scores: np.ndarray, truth: np.ndarray) -> float:
    best = 0.0
    for cut in np.unique(scores):
        pred = scores >= cut
        tp = int((pred & (truth == 1)).sum())
        best = max(best, 2 * tp / (pred.sum() + truth.sum()))
    return best


def test_tuned_threshold_reaches_the_best_f1_of_any_cut() -> None:
    rng = np.random.default_rng(1)
    for trial in range(30):
        n = int(rng.integers(5, 60))
        truth = (rng.random(n) < 0.3).astype(int)
        if truth.sum() == 0:
            truth[0] = 1
        # noisy scores with ties (rounded), positives a little higher on average
        scores = np.round(np.clip(rng.random(n) * 0.7 + truth * 0.25, 0, 1), 1 + trial % 3)
        cut = ML.best_threshold(scores, truth)
        pred = scores >= cut
        f1 = 2 * int((pred & (truth == 1)).sum()) / (pred.sum() + truth.sum())
        assert f1 == pytest.approx(_brute_force_best_f1(scores, truth))
        assert 0 < cut <= 1


def test_threshold_falls_back_to_a_half_and_splits_no_ties() -> None:
    assert ML.best_threshold(np.array([0.9, 0.2]), np.array([0, 0])) == 0.5
    # the best cut lies halfway between the lowest positive kept and the next score
    assert ML.best_threshold(np.array([0.9, 0.8, 0.3, 0.1]), np.array([1, 1, 0, 0])) == pytest.approx(0.55)
    tied = ML.best_threshold(np.array([0.6, 0.6, 0.2]), np.array([1, 0, 0]))
    assert 0.2 < tied < 0.6  # equal scores fall on the same side of any cut
    probs = np.array([[0.9, 0.2], [0.4, 0.1], [0.2, 0.7]])
    cuts = ML.tune_thresholds(probs, np.array([[1, 0], [1, 0], [0, 0]]))
    assert cuts[0] == pytest.approx(0.3) and cuts[1] == 0.5


def test_thresholds_from_meta() -> None:
    assert ML.thresholds_from_meta({}, ["a", "b"]) == [0.5, 0.5]
    assert ML.thresholds_from_meta({"thresholds": {"b": 0.25}}, ["a", "b"]) == [0.5, 0.25]
    with pytest.raises(ModelError, match="between 0 and 1"):
        ML.thresholds_from_meta({"thresholds": {"a": 7}}, ["a"])
    with pytest.raises(ModelError, match="object"):
        ML.thresholds_from_meta({"thresholds": [0.5]}, ["a"])


# --------------------------------------------------------------------------- training end to end


@pytest.fixture(scope="module")
def topics_run(tmp_path_factory) -> tuple[Path, Path, Path, list]:
    from workbench.engine.training.trainer import Trainer

    folder = tmp_path_factory.mktemp("topics")
    train = write_topics_csv(folder / "train.csv", 600, seed=0)
    dev = write_topics_csv(folder / "dev.csv", 200, seed=1)
    out = folder / "run"
    events = list(Trainer(tiny_multilabel_config(train, dev, out)).run())
    return train, dev, out, events


def _baseline_f1(train: Path, dev: Path) -> float:
    """The best micro-F1 without reading the text: every label set the training data has, for all rows."""
    bundle = load_dataset(train, "multi-label", validation_path=dev)
    width = len(bundle.label_names)
    truth = ML.multi_hot(bundle.validation.labels, width)
    candidates = {tuple(ids) for ids in bundle.train.labels}
    scores = []
    for ids in candidates:
        guess = np.tile(ML.multi_hot([list(ids)], width), (len(truth), 1))
        scores.append(M.multilabel_metrics(truth, guess, bundle.label_names)["f1_micro"])
    return max(scores)


def test_training_learns_far_above_the_text_blind_baseline(topics_run) -> None:
    train, dev, out, events = topics_run
    evals = [e.step for e in events if type(e).__name__ == "EvalDone"]
    assert 100 in evals and evals[-1] == 200  # (and at each epoch's end)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["metric_for_best"] == "eval_f1_micro"
    baseline = _baseline_f1(train, dev)
    assert baseline < 0.5  # e.g. "food|money|sport" for every row
    assert summary["eval_f1_micro"] > 0.75 > baseline + 0.25, (summary["eval_f1_micro"], baseline)
    for key in ("eval_f1_micro", "eval_f1_macro", "eval_subset_accuracy", "eval_hamming_loss", "eval_loss"):
        assert isinstance(summary[key], float), key
    assert set(summary["eval_per_class"]) == set(TOPICS)
    # tuned cuts: each label's F1 on validation is at least its F1 at 0.5
    assert set(summary["thresholds"]) == set(TOPICS)
    assert summary["eval_f1_macro_tuned"] >= summary["eval_f1_macro"] - 1e-9


def test_thresholds_are_saved_and_predictor_applies_them(topics_run) -> None:
    from workbench.engine.inference import Predictor

    _, _, out, _ = topics_run
    meta = json.loads((out / "model" / "workbench_model.json").read_text())
    assert meta["task"] == "multi-label" and meta["label_separator"] == "|"
    assert set(meta["thresholds"]) == set(TOPICS) and all(0 < t < 1 for t in meta["thresholds"].values())
    predictor = Predictor.load(out)
    assert predictor.task == "multi-label"
    assert predictor.thresholds == [meta["thresholds"][n] for n in predictor.label_names]
    # Every label the model has learned (validation F1 >= 0.95) is chosen for a sentence
    # with two of its keywords, and the sets are what thresholding the probabilities gives.
    summary = json.loads((out / "summary.json").read_text())
    learned = [n for n, row in summary["eval_per_class"].items() if row["f1"] >= 0.95]
    assert len(learned) >= 2, summary["eval_per_class"]
    texts = [f"a {TOPICS[n][0]} in the film and the {TOPICS[n][1]}" for n in learned]
    results = predictor.predict(texts + ["an utterly forgettable film"])
    for name, r in zip(learned, results):
        assert name in r["labels"], (name, r)
    for r in results:
        assert r["thresholds"] == meta["thresholds"]
        assert r["labels"] == sorted(
            (n for n, p in r["probabilities"].items() if p >= r["thresholds"][n]),
            key=lambda n: -r["probabilities"][n],
        )
    # sigmoid, not softmax: the probabilities of a row need not add up to one
    assert any(abs(sum(r["probabilities"].values()) - 1) > 0.2 for r in results)


def test_evaluating_with_the_saved_thresholds_reproduces_the_tuned_scores(topics_run) -> None:
    from workbench.engine.evaluation import encode, evaluate
    from workbench.engine.inference import Predictor

    _, dev, out, _ = topics_run
    summary = json.loads((out / "summary.json").read_text())
    predictor = Predictor.load(out)
    examples = build_examples(read_table(dev), "multi-label", label_names=predictor.label_names)
    encoded = encode(examples, predictor.tokenizer, "multi-label", predictor.max_length)
    tuned = evaluate(predictor.model, predictor.tokenizer, "multi-label", encoded,
                     label_names=predictor.label_names, thresholds=predictor.thresholds)
    assert tuned.metrics["eval_f1_macro"] == pytest.approx(summary["eval_f1_macro_tuned"], abs=1e-6)
    assert tuned.predictions.shape == (200, 4) and tuned.probabilities.shape == (200, 4)
    # the mean per-example BCE is transformers' own loss on the whole set
    ids = examples.labels
    batch = predictor.tokenizer(examples.texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        out_hf = predictor.model(**batch, labels=torch.tensor(ML.multi_hot(ids, 4), dtype=torch.float))
    assert tuned.metrics["eval_loss"] == pytest.approx(float(out_hf.loss), rel=1e-4)


def test_model_folder_loads_as_multi_label_in_plain_transformers(topics_run, tmp_path: Path) -> None:
    import shutil

    from transformers import AutoModelForSequenceClassification

    from workbench.engine.inference import infer_task
    from workbench.engine.models.loading import resolve_spec

    _, _, out, _ = topics_run
    model = AutoModelForSequenceClassification.from_pretrained(out / "model")
    assert model.config.problem_type == "multi_label_classification"
    assert [model.config.id2label[i] for i in range(4)] == sorted(TOPICS)
    # a copy without workbench_model.json is still recognised from config.json
    plain = shutil.copytree(out / "model", tmp_path / "plain")
    (plain / "workbench_model.json").unlink()
    assert infer_task(resolve_spec(str(plain))) == "multi-label"


def test_reports_export_label_sets(topics_run, tmp_path: Path) -> None:
    """The evaluation panel's exports: predictions CSV, JSON and HTML reports for a multi-label model."""
    from workbench.engine import reports
    from workbench.engine.evaluation import encode, evaluate
    from workbench.engine.inference import Predictor

    _, dev, out, _ = topics_run
    predictor = Predictor.load(out)
    examples = build_examples(read_table(dev), "multi-label", label_names=predictor.label_names)
    encoded = encode(examples, predictor.tokenizer, "multi-label", predictor.max_length)
    result = evaluate(predictor.model, predictor.tokenizer, "multi-label", encoded,
                      label_names=predictor.label_names, thresholds=predictor.thresholds)
    names = predictor.label_names
    rows = list(csv.DictReader(reports.predictions_csv(result, examples, names).splitlines()))
    with dev.open(encoding="utf-8", newline="") as f:
        assert [r["label"] for r in rows] == [g["labels"] for g in csv.DictReader(f)]
    assert sum(r["correct"] == "1" for r in rows) / len(rows) == pytest.approx(
        result.metrics["eval_subset_accuracy"]
    )
    report = reports.build_report(result, examples, label_names=names, task="multi-label")
    confidences = [m["confidence"] for m in report["mistakes"]]
    assert confidences == sorted(confidences, reverse=True) and all(not m["correct"] for m in report["mistakes"])
    page = reports.report_html(report)
    assert "F1 (micro)" in page and "Hamming loss" in page and "Per class" in page


def test_a_run_without_validation_keeps_the_default_thresholds(tmp_path: Path) -> None:
    from workbench.engine.inference import Predictor
    from workbench.engine.training.trainer import Trainer

    train = write_topics_csv(tmp_path / "t.csv", 60, seed=4)
    config = tiny_multilabel_config(train, train, tmp_path / "run", validation=None,
                                    validation_fraction=0.0, max_steps=2, layers=1, hidden=32)
    events = list(Trainer(config).run())
    assert type(events[-1]).__name__ == "TrainFinished"
    meta = json.loads((tmp_path / "run" / "model" / "workbench_model.json").read_text())
    assert "thresholds" not in meta and meta["label_separator"] == "|"
    predictor = Predictor.load(tmp_path / "run")
    assert predictor.thresholds == [0.5] * 4
    assert predictor.predict(["rain"])[0]["thresholds"] == dict.fromkeys(sorted(TOPICS), 0.5)


def test_new_files_with_label_sets_suggest_multi_label(tmp_path: Path) -> None:
    from workbench.engine.task_data import default_task

    sets = write_topics_csv(tmp_path / "sets.csv", 100, seed=5)
    assert default_task(read_table(sets)) == "multi-label"
    single = _write(tmp_path / "single.csv", "text,label\na,pos\nb,neg\nc,pos\n")
    assert default_task(read_table(single)) == "classification"
    other_sep = write_topics_csv(tmp_path / "semi.csv", 100, seed=5, separator=";")
    assert default_task(read_table(other_sep)) == "classification"  # only "|" is guessed
