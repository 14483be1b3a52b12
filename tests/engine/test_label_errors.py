"""Label errors: confident learning on planted flips, duplicates and leakage, and the cleaned file."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from workbench.engine.analysis.cleaned_file import Decision, cleaned_path, write_cleaned
from workbench.engine.analysis.confident_learning import find_label_issues, label_quality
from workbench.engine.analysis.duplicates import conflicting_duplicates, leakage, normalize
from workbench.engine.analysis.label_errors import stratified_folds
from workbench.engine.data import read_table
from workbench.engine.task_data import load_dataset


def planted(n: int = 1200, k: int = 3, flip: float = 0.05, seed: int = 0, noise: float = 0.05):
    """(given labels, probabilities, flipped rows): the model is right about the true class of every row."""
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, size=n)
    probs = np.full((n, k), 0.1 / (k - 1)) + rng.uniform(0, noise, size=(n, k))
    probs[np.arange(n), true] = 0.9
    probs /= probs.sum(axis=1, keepdims=True)
    flipped = rng.choice(n, size=int(n * flip), replace=False)
    given = true.copy()
    given[flipped] = (true[flipped] + rng.integers(1, k, size=len(flipped))) % k
    return given, probs, np.sort(flipped), true


def test_confident_learning_finds_exactly_the_planted_flips_in_a_clean_case() -> None:
    given, probs, flipped, true = planted()
    cl = find_label_issues(given, probs)
    found = np.flatnonzero(cl.issues)
    assert found.tolist() == flipped.tolist()  # precision and recall 1
    assert cl.estimated_issues == len(flipped)
    assert sorted(cl.ranking[: len(flipped)].tolist()) == flipped.tolist()  # the ranking puts them first
    assert (cl.suggested[flipped] == true[flipped]).all()
    # the confident joint counts every flip off the diagonal, where it went
    off = cl.confident_joint.sum() - np.trace(cl.confident_joint)
    assert off == len(flipped)
    assert np.isclose(cl.joint.sum(), 1.0)


def test_noisier_probabilities_still_rank_the_flips_first() -> None:
    given, probs, flipped, _ = planted(n=2000, k=2, flip=0.1, seed=3, noise=0.6)
    cl = find_label_issues(given, probs, ranking="self_confidence")
    top = set(cl.ranking[: len(flipped)].tolist())
    recall = len(top & set(flipped.tolist())) / len(flipped)
    assert recall > 0.9
    found = set(np.flatnonzero(cl.issues).tolist())
    assert len(found & set(flipped.tolist())) / len(found) > 0.9


def test_confident_learning_on_a_hand_worked_example() -> None:
    """Every step of the published algorithm, worked out by hand on 8 rows and 3 classes."""
    labels = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    probs = np.array([[0.9, 0.05, 0.05], [0.7, 0.2, 0.1], [0.2, 0.7, 0.1],  # row 2 reads as a 1
                      [0.1, 0.8, 0.1], [0.1, 0.6, 0.3], [0.6, 0.3, 0.1],  # row 5 reads as a 0
                      [0.1, 0.1, 0.8], [0.3, 0.1, 0.6]])  # row 7 reaches no threshold
    cl = find_label_issues(labels, probs)
    # t_j = mean P[i, j] over rows given j: (.9+.7+.2)/3, (.8+.6+.3)/3, (.8+.6)/2
    assert np.allclose(cl.thresholds, [0.6, 1.7 / 3, 0.7])
    # row 5's 0.6 reaches t_0 = 0.6 (within float tolerance); row 7 counts nowhere
    assert cl.confident_joint.tolist() == [[2, 1, 0], [1, 2, 0], [0, 0, 1]]
    # rows scaled to the label counts (3, 3, 2): the last row doubles; then / 8
    assert np.allclose(cl.joint * 8, [[2, 1, 0], [1, 2, 0], [0, 0, 2]])
    # prune round(8 * 1/8) = 1 row in cells (0, 1) and (1, 0): the largest margins, rows 2 and 5
    assert np.flatnonzero(cl.issues).tolist() == [2, 5] and cl.estimated_issues == 2
    # normalized margin (P_given - max other + 1) / 2; ties (rows 4, 7 and 3, 6) in row order
    assert np.allclose(cl.scores, [0.925, 0.75, 0.25, 0.85, 0.65, 0.35, 0.85, 0.65])
    assert cl.ranking.tolist() == [2, 5, 4, 7, 1, 3, 6, 0]
    assert cl.suggested.tolist() == [0, 0, 1, 1, 1, 0, 2, 2]


def test_label_quality_scores() -> None:
    labels = np.array([0, 1, 2])
    probs = np.array([[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    assert np.allclose(label_quality(labels, probs, "self_confidence"), [0.7, 0.3, 0.6])
    assert np.allclose(label_quality(labels, probs), [(0.7 - 0.2 + 1) / 2, (0.3 - 0.5 + 1) / 2, (0.6 - 0.2 + 1) / 2])


def test_matches_cleanlab_when_installed() -> None:
    filter_mod = pytest.importorskip("cleanlab.filter")
    for n, k, flip, seed, noise in ((1500, 3, 0.08, 5, 0.5), (2000, 2, 0.1, 3, 0.6), (3000, 5, 0.2, 1, 1.5)):
        given, probs, _, _ = planted(n=n, k=k, flip=flip, seed=seed, noise=noise)
        theirs = filter_mod.find_label_issues(given, probs, filter_by="prune_by_noise_rate")
        ours = find_label_issues(given, probs).issues
        # the same rows, but for rounding at the edge of a prune count (1 of 3000 in the noisiest case)
        assert (theirs != ours).sum() <= n // 1000


def test_stratified_folds_keep_class_shares() -> None:
    labels = np.array([0] * 80 + [1] * 20)
    folds = stratified_folds(labels, 5, seed=1)
    for f in range(5):
        part = labels[folds == f]
        assert len(part) == 20 and (part == 1).sum() == 4
    assert (stratified_folds(labels, 5, seed=1) == folds).all()


LONG = ("the plot makes no sense at all and the acting is wooden throughout the film, which goes on far too long "
        "for its own good")


def test_duplicates_with_different_labels_and_leakage() -> None:
    texts = [
        "A wonderful, moving film!",  # 0
        "a wonderful moving film",  # 1: the same once normalised, other label
        LONG,  # 2
        LONG + " .",  # 3: the same, same label
        LONG.replace("wooden", "wodden"),  # 4: a near-duplicate (Jaccard 0.92), other label
        "brilliant",  # 5
    ]
    labels = ["pos", "neg", "neg", "neg", "pos", "pos"]
    assert normalize("A wonderful,  moving\tfilm!") == "a wonderful moving film"
    groups = conflicting_duplicates(texts, labels)
    assert [(g.rows, g.exact) for g in groups] == [((2, 3, 4), False), ((0, 1), True)]
    assert [g.rows for g in conflicting_duplicates(texts, labels, near=False)] == [(0, 1)]
    assert conflicting_duplicates([LONG, LONG.replace("wooden throughout", "stiff in")], ["a", "b"]) == []
    validation = ["Brilliant.", "something else entirely", "a wonderful moving film"]
    leaks = leakage(texts, validation)
    assert sorted((g.train_rows, g.validation_rows) for g in leaks) == [((0, 1), (2,)), ((5,), (0,))]


def _check_round_trip(path, fmt: str) -> None:
    before = path.read_bytes()
    original = read_table(path)
    label = "label"
    decisions = [Decision(original.lines[1], "drop"), Decision(original.lines[2], "relabel", "pos"),
                 Decision(original.lines[0], "keep")]
    out = write_cleaned(path, decisions, label_column=label)
    assert out == path.with_name(f"data.cleaned.{fmt}") and path.read_bytes() == before
    cleaned = read_table(out)
    assert cleaned.format == original.format and cleaned.columns == original.columns
    expect = [dict(r) for i, r in enumerate(original.rows) if i != 1]
    expect[1][label] = expect[1][label].__class__("pos") if isinstance(expect[1][label], str) else "pos"
    assert cleaned.rows == expect
    ds = load_dataset(out)  # the engine reads it as training data
    assert len(ds.train) + (len(ds.validation) if ds.validation else 0) == len(original.rows) - 1
    again = write_cleaned(path, decisions, label_column=label)
    assert again == path.with_name(f"data.cleaned-2.{fmt}") and out.read_text(encoding="utf-8") == again.read_text(
        encoding="utf-8")


ROWS = [('said "yes", then left', "neg"), ("a joy, truly", "neg"), ("plain text", "neg"), ("very good", "pos"),
        ("bad\tbad", "neg"), ("fine", "pos")] * 2


def test_write_cleaned_csv(tmp_path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("text,label\n" + "".join('"' + t.replace('"', '""') + f'",{y}\n' for t, y in ROWS),
                    encoding="utf-8")
    _check_round_trip(path, "csv")


def test_write_cleaned_tsv(tmp_path) -> None:
    path = tmp_path / "data.tsv"
    path.write_text("sentence\tlabel\n" + "".join(f"{t.replace(chr(9), ' ')}\t{y}\n" for t, y in ROWS),
                    encoding="utf-8")
    _check_round_trip(path, "tsv")


def test_write_cleaned_jsonl_keeps_value_types(tmp_path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps({"text": t, "label": y, "id": i}) + "\n" for i, (t, y) in enumerate(ROWS)),
                    encoding="utf-8")
    _check_round_trip(path, "jsonl")
    numeric = tmp_path / "num.jsonl"
    numeric.write_text("".join(json.dumps({"text": t, "label": int(y == "pos")}) + "\n" for t, y in ROWS),
                       encoding="utf-8")
    out = write_cleaned(numeric, [Decision(1, "relabel", "1")], label_column="label")
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["label"] == 1  # still a number


def test_write_cleaned_never_overwrites(tmp_path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("text,label\na,x\nb,y\n", encoding="utf-8")
    taken = tmp_path / "d.cleaned.csv"
    taken.write_text("mine", encoding="utf-8")
    assert cleaned_path(path) == tmp_path / "d.cleaned-2.csv"
    out = write_cleaned(path, [Decision(2, "drop")])
    assert out.name == "d.cleaned-2.csv" and taken.read_text(encoding="utf-8") == "mine"
    assert out.read_text(encoding="utf-8") == "text,label\nb,y\n"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_a_run_records_the_sha256_of_its_training_file(tmp_path) -> None:
    import hashlib

    from tests.conftest import shared
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    data = tmp_path / "train.tsv"
    data.write_text("\n".join(shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:41]) + "\n",
                    encoding="utf-8")
    run = tmp_path / "run"
    config = TrainConfig(data=str(data), model="bert-tiny", max_steps=1, max_length=16, output=str(run))
    list(Trainer(config).run())
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    assert summary["data"] == str(data)
    assert summary["data_file_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()


def test_a_run_trained_on_the_file_is_refused_as_the_fold_model_naming_its_start(tmp_path) -> None:
    """Folds started from weights that saw every row are not out-of-sample: refused before any training."""
    import shutil

    from tests.conftest import shared
    from workbench.engine.analysis.label_errors import (
        find_label_errors,
        refuse_a_model_that_saw_the_rows,
    )
    from workbench.engine.errors import ConfigError
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()
    data, other = tmp_path / "train.tsv", tmp_path / "other.tsv"
    data.write_text("\n".join(lines[:41]) + "\n", encoding="utf-8")
    other.write_text("\n".join([lines[0], *lines[41:81]]) + "\n", encoding="utf-8")
    run = tmp_path / "run"
    list(Trainer(TrainConfig(data=str(data), model="bert-tiny", max_steps=2, max_length=16, output=str(run))).run())
    (copy := tmp_path / "elsewhere" / "same.tsv").parent.mkdir()
    shutil.copy(data, copy)  # the same rows under another name: known by their SHA-256

    checkpoint = next((run / "checkpoints").iterdir())
    for model in (run, run / "model", checkpoint):
        for path in (data, copy):
            with pytest.raises(ConfigError, match="Use the checkpoint it started from instead: bert-tiny") as refused:
                refuse_a_model_that_saw_the_rows(TrainConfig(data=str(path), model=str(model)))
            assert f"{model} was fine-tuned on {path}" in str(refused.value)
    with pytest.raises(ConfigError, match="was fine-tuned on"):  # the search checks before its first fold
        find_label_errors(TrainConfig(data=str(data), model=str(run), max_steps=1), folds=2, repeats=1)
    for model in (run, "bert-tiny"):  # other rows, or a model that never saw these: searched as usual
        refuse_a_model_that_saw_the_rows(TrainConfig(data=str(other), model=str(model)))
    refuse_a_model_that_saw_the_rows(TrainConfig(data=str(data), model="bert-tiny"))


def _binary_round_trip(path, fmt: str) -> None:
    """A Parquet/Arrow/Excel source: the cleaned copy is the same format beside it, rows as decided."""
    original = read_table(path)
    decisions = [Decision(original.lines[1], "drop"), Decision(original.lines[2], "relabel", "pos")]
    out = write_cleaned(path, decisions, label_column="label")
    assert out == path.with_name(f"data.cleaned.{fmt}")
    cleaned = read_table(out)
    assert cleaned.format == original.format and cleaned.columns == original.columns
    expect = [dict(r) for i, r in enumerate(original.rows) if i != 1]
    expect[1]["label"] = "pos"
    assert cleaned.rows == expect
    assert len(load_dataset(out, validation_fraction=0.0).train) == len(original.rows) - 1


def test_write_cleaned_parquet_arrow_and_excel(tmp_path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.parquet as pq

    data = pa.Table.from_pylist([{"text": t, "label": y} for t, y in ROWS])
    pq.write_table(data, tmp_path / "data.parquet")
    _binary_round_trip(tmp_path / "data.parquet", "parquet")
    feather.write_feather(data, tmp_path / "data.feather")
    _binary_round_trip(tmp_path / "data.feather", "feather")
    book = openpyxl.Workbook()
    book.active.title = "Reviews"
    book.active.append(["text", "label"])
    for row in ROWS:
        book.active.append(list(row))
    book.save(tmp_path / "data.xlsx")
    _binary_round_trip(tmp_path / "data.xlsx", "xlsx")
    assert read_table(tmp_path / "data.cleaned.xlsx").sheet == "Reviews"


def test_a_source_without_a_file_of_its_own_is_refused_by_name(tmp_path) -> None:
    from workbench.engine.analysis.cleaned_file import output_format
    from workbench.engine.data import Table
    from workbench.engine.errors import DatasetError

    hub = Table(tmp_path / "x", "hub", ["text", "label"], [{"text": "a", "label": "b"}], [1])
    with pytest.raises(DatasetError, match="CSV, TSV, JSONL, Parquet, Arrow/Feather, Excel"):
        output_format(hub)


def test_label_errors_search_reads_a_parquet_file(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from workbench.engine.analysis.label_errors import find_label_errors
    from workbench.engine.training.config import TrainConfig

    rows = [{"text": t, "label": y} for t, y in ROWS] * 2
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "train.parquet")
    config = TrainConfig(data=str(tmp_path / "train.parquet"), model="bert-tiny", max_steps=1, max_length=16)
    report = find_label_errors(config, folds=2)
    probabilities = report.out_of_fold.probabilities
    assert probabilities.shape == (len(rows), 2)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    names = report.out_of_fold.label_names
    assert report.out_of_fold.folds.shape == (3, len(rows))  # the search's default: three k-fold runs
    for issue in report.issues:  # the most probable label on average; confidence: what the least sure run gave it
        column = names.index(issue.suggested)
        assert probabilities[issue.row, column] == probabilities[issue.row].max()
        assert issue.confidence == report.out_of_fold.lowest[issue.row, column] <= probabilities[issue.row, column]
    out = write_cleaned(tmp_path / "train.parquet", report.decisions_from_suggestions("drop"),
                        label_column=report.label_column)
    assert len(read_table(out).rows) == len(rows) - len(report.issues)


def test_write_cleaned_datasets_folder_as_json_lines(tmp_path) -> None:
    datasets = pytest.importorskip("datasets")
    folder = tmp_path / "reviews"
    datasets.Dataset.from_dict({"text": [t for t, _ in ROWS], "label": [y for _, y in ROWS]}).save_to_disk(str(folder))
    out = write_cleaned(folder, [Decision(1, "drop"), Decision(2, "relabel", "pos")], label_column="label")
    assert out == tmp_path / "reviews.cleaned.jsonl"
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {"text": ROWS[1][0], "label": "pos"} and len(rows) == len(ROWS) - 1


def test_repeats_average_the_runs_of_their_seeds_and_count_folds_over_all(tmp_path) -> None:
    from dataclasses import replace

    from workbench.engine.analysis.confident_learning import find_label_issues
    from workbench.engine.analysis.label_errors import issue_rows, out_of_fold_probabilities
    from workbench.engine.training.config import TrainConfig

    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in ROWS * 2), encoding="utf-8")
    config = TrainConfig(data=str(path), model="bert-tiny", max_steps=2, max_length=16, seed=3)
    seen = []
    both = out_of_fold_probabilities(config, 2, repeats=2, progress=lambda p: seen.append((p.fold, p.folds)))
    first = out_of_fold_probabilities(config, 2)
    second = out_of_fold_probabilities(replace(config, seed=4), 2)
    assert np.allclose(both.probabilities, (first.probabilities + second.probabilities) / 2, atol=1e-6)
    assert not np.allclose(first.probabilities, second.probabilities)  # the repeats differ: their mean is news
    # A row's confidence is what the least sure repeat gave the suggestion; with one repeat, its probability.
    assert np.allclose(both.lowest, np.minimum(first.probabilities, second.probabilities), atol=1e-6)
    assert (first.lowest == first.probabilities).all()
    learning = find_label_issues(both.labels, both.probabilities)
    issues = issue_rows(both, learning)
    assert issues  # the tiny model's guesses flag some rows
    for issue in issues:
        column = both.label_names.index(issue.suggested)
        assert issue.confidence == pytest.approx(min(first.probabilities[issue.row, column],
                                                     second.probabilities[issue.row, column]), abs=1e-6)
    assert both.folds.shape == (2, len(ROWS) * 2) and (both.folds[0] == first.folds[0]).all()
    assert sorted({f for f, _ in seen}) == [1, 2, 3, 4] and {n for _, n in seen} == {4}


def test_decisions_from_suggestions_keep_only_the_confident_rows() -> None:
    from workbench.engine.analysis.label_errors import LabelErrorReport, LabelIssue

    issues = [LabelIssue(1, 0, 2, "a", "neg", "pos", 0.02, 0.98), LabelIssue(2, 1, 3, "b", "pos", "neg", 0.1, 0.9),
              LabelIssue(3, 2, 4, "c", "neg", "pos", 0.3, 0.7)]
    report = LabelErrorReport(issues, None, None, [])  # type: ignore[arg-type]
    assert [d.line for d in report.decisions_from_suggestions("relabel")] == [2, 3, 4]
    assert report.decisions_from_suggestions("relabel", 0.9) == [Decision(2, "relabel", "pos"), Decision(3, "relabel", "neg")]
    assert report.decisions_from_suggestions("drop", 0.95) == [Decision(2, "drop")]


def test_a_small_files_folds_train_at_least_min_fold_steps(tmp_path) -> None:
    """Two epochs of a 24-row file are 2 steps: too few to leave the pre-trained weights. An epochs
    schedule gets MIN_FOLD_STEPS; a step count the user gave is kept."""
    from workbench.engine.analysis.label_errors import MIN_FOLD_STEPS, out_of_fold_probabilities
    from workbench.engine.training.config import TrainConfig

    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in ROWS * 2), encoding="utf-8")
    for schedule, steps in (({"epochs": 2.0}, MIN_FOLD_STEPS), ({"max_steps": 3}, 3)):
        seen = []
        config = TrainConfig(data=str(path), model="bert-tiny", max_length=16, **schedule)
        out_of_fold_probabilities(config, 2, progress=seen.append)
        assert {p.total for p in seen if p.phase == "train"} == {steps}
