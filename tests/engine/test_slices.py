"""Slices (engine/analysis/slices.py): what each kind selects, metrics equal to scikit-learn's on
the slice's rows, seeded bootstrap intervals, the flag, and slices.json."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from workbench.engine.analysis.example_table import example_table
from workbench.engine.analysis.slices import (
    SliceSpec,
    load_slices,
    parse_slice,
    save_slices,
    select,
    slice_report,
    suggested_slices,
)
from workbench.engine.data import read_table
from workbench.engine.errors import ConfigError
from workbench.engine.eval_loop import EvalResult
from workbench.engine.tasks.registry import get_task

ROWS = [  # text, label, source, id
    ("A wonderful film", "pos", "web", "a1"),
    ("the plot makes no sense", "neg", "paper", "a2"),
    ("", "neg", "web", "skip"),  # blank text: still an example for classification
    ("Wonderfully acted, a joy", "pos", "web", "a4"),
    ("dull and far too long for what it is", "neg", "paper", "a5"),
    ("这部电影很好看", "pos", "web", "a6"),
    ("not wonderful at all", "neg", "web", "a7"),
    ("brilliant", "pos", "paper", "a8"),
]


@pytest.fixture
def outcome(tmp_path: Path) -> SimpleNamespace:
    """A classification evaluation of ROWS with fixed predictions (the slice code is what is tested)."""
    path = tmp_path / "data.csv"
    body = "".join(f'"{t}",{lab},{src},{i}\n' for t, lab, src, i in ROWS)
    path.write_text("text,label,source,id\n" + body, encoding="utf-8")
    table = read_table(path)
    examples = get_task("classification").build_examples(table, label_names=["neg", "pos"])
    # predicted pos, pos, neg, pos, neg, neg, pos, pos
    p_pos = np.array([0.9, 0.8, 0.3, 0.7, 0.1, 0.4, 0.6, 0.95], dtype=np.float32)[: len(examples)]
    probs = np.stack([1 - p_pos, p_pos], axis=1)
    gold = np.asarray(examples.labels)
    losses = -np.log(probs[np.arange(len(gold)), gold])
    return SimpleNamespace(examples=examples, result=EvalResult({}, probs.argmax(1), probs, losses),
                           label_names=["neg", "pos"], table=table)


def _texts(outcome: SimpleNamespace, spec: SliceSpec) -> list[str]:
    table = example_table(outcome)
    return [table.texts[i] for i in select(spec, table, outcome.table)]


@pytest.mark.parametrize(("spec", "expected"), [
    (SliceSpec("r", "regex", "wonderful"), ["A wonderful film", "Wonderfully acted, a joy", "not wonderful at all"]),
    (SliceSpec("k", "keyword", "wonderful, dull"), ["A wonderful film", "dull and far too long for what it is",
                                                    "not wonderful at all"]),
    (SliceSpec("k-zh", "keyword", "好看"), ["这部电影很好看"]),
    (SliceSpec("c", "column", "source=paper"), ["the plot makes no sense", "dull and far too long for what it is",
                                                "brilliant"]),
    (SliceSpec("len", "length", "4-7"), ["the plot makes no sense", "Wonderfully acted, a joy", "这部电影很好看",
                                         "not wonderful at all"]),  # a CJK character is a word
    (SliceSpec("short", "length", "-1"), ["", "brilliant"]),
    (SliceSpec("g", "gold", "pos"), ["A wonderful film", "Wonderfully acted, a joy", "这部电影很好看", "brilliant"]),
    (SliceSpec("p", "predicted", "neg"), ["", "dull and far too long for what it is", "这部电影很好看"]),
    (SliceSpec("ids", "ids", "a2, a8"), ["the plot makes no sense", "brilliant"]),
    (SliceSpec("lines", "ids", "2,4"), ["A wonderful film", ""]),  # file lines (the header is line 1)
    (SliceSpec("sel", "selection", "0,3,99"), ["A wonderful film", "Wonderfully acted, a joy"]),
])
def test_each_kind_selects_the_right_rows(outcome, spec, expected) -> None:
    assert _texts(outcome, spec) == expected


def test_ids_from_a_file(outcome, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("a5\na6\n", encoding="utf-8")
    assert _texts(outcome, SliceSpec("f", "ids", str(ids))) == ["dull and far too long for what it is", "这部电影很好看"]


def test_parse_slice() -> None:
    assert parse_slice("neg words=not|never") == SliceSpec("neg words", "regex", "not|never")
    assert parse_slice("web:column=source=web") == SliceSpec("web", "column", "source=web")
    assert parse_slice("long:LENGTH=30-") == SliceSpec("long", "length", "30-")
    for bad in ("noequals", "x:colour=red", "x=(", "x:length=abc", "=a"):
        with pytest.raises(ConfigError):
            parse_slice(bad)


def test_slice_metrics_equal_sklearn(outcome) -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rows = slice_report(outcome, [SliceSpec("web", "column", "source=web"), SliceSpec("r", "regex", "o")],
                        samples=50, data=outcome.table)
    gold = np.asarray(outcome.examples.labels)
    pred = outcome.result.predictions
    assert rows[0].spec.kind == "all" and rows[0].size == len(gold)
    for row in rows:
        idx = np.asarray(row.indices)
        if not idx.size:
            continue
        y, p = gold[idx], pred[idx]
        precision, recall, f1, _ = metrics.precision_recall_fscore_support(
            y, p, labels=[0, 1], average="macro", zero_division=0)
        assert row.metrics["eval_accuracy"] == pytest.approx(metrics.accuracy_score(y, p))
        assert row.metrics["eval_precision_macro"] == pytest.approx(precision)
        assert row.metrics["eval_recall_macro"] == pytest.approx(recall)
        assert row.metrics["eval_f1_macro"] == pytest.approx(f1)
        assert row.gap == pytest.approx(row.value - rows[0].value)


def _planted(n: int = 200, bad: int = 40) -> SimpleNamespace:
    """n examples, all predicted right except the first ``bad`` (which mention 'bad') and every 7th."""
    from workbench.engine.data.examples import Examples

    texts = [("a bad one" if i < bad else "a good one") + f" {i}" for i in range(n)]
    gold = [i % 2 for i in range(n)]
    pred = np.array([1 - g if i < bad or i % 7 == 0 else g for i, g in enumerate(gold)])
    examples = Examples("classification", texts, None, None, gold, ["neg", "pos"], None, list(range(2, n + 2)))
    probs = np.eye(2, dtype=np.float32)[pred]
    return SimpleNamespace(examples=examples, result=EvalResult({}, pred, probs, None), label_names=["neg", "pos"])


def test_bootstrap_is_seeded() -> None:
    outcome = _planted()
    spec = [SliceSpec("good", "keyword", "good")]
    first = slice_report(outcome, spec, samples=300, seed=1, suggest=False)[1]
    again = slice_report(outcome, spec, samples=300, seed=1, suggest=False)[1]
    other = slice_report(outcome, spec, samples=300, seed=2, suggest=False)[1]
    assert (first.low, first.high) == (again.low, again.high)
    assert first.low < first.value < first.high
    assert (first.low, first.high) != (other.low, other.high)


def test_flag_when_the_whole_value_is_outside_the_interval() -> None:
    """The 40 examples that mention 'bad' are all wrong: that slice is flagged, a slice by chance is not."""
    rows = slice_report(_planted(), [SliceSpec("bad", "keyword", "bad"), SliceSpec("fives", "regex", r"5\b")])
    by_name = {r.spec.name: r for r in rows}
    assert by_name["bad"].flagged and by_name["bad"].value == 0.0
    assert not by_name["all"].flagged
    assert by_name["fives"].size == 20 and not by_name["fives"].flagged
    assert by_name["fives"].low <= by_name["all"].value <= by_name["fives"].high


def test_suggestions_per_label_and_length_quartile(outcome) -> None:
    names = [s.name for s in suggested_slices(example_table(outcome))]
    assert names[:2] == ["gold: neg", "gold: pos"]
    assert [n for n in names if n.startswith("length")] == ["length Q1", "length Q2", "length Q3", "length Q4"]


def test_a_length_quartile_of_one_length_is_written_as_that_length() -> None:
    """Many texts of equal length: a quartile that holds one length reads "11", not "11-11", and
    an empty quartile is left out."""
    from workbench.engine.analysis.example_table import ExampleTable

    lengths = np.array([5, 6, 7, 10, 10, 10, 10, 11, 11, 11, 11, 14, 16])
    table = ExampleTable(texts=["w"] * len(lengths), lines=list(range(2, len(lengths) + 2)),
                         columns={"length": lengths})
    specs = [s for s in suggested_slices(table) if s.kind == "length"]
    assert [(s.name, s.value) for s in specs] == [("length Q1", "5-10"), ("length Q3", "11"), ("length Q4", "12-16")]
    assert select(specs[1], table).tolist() == np.flatnonzero(lengths == 11).tolist()


def test_slices_json_round_trip(outcome, tmp_path: Path) -> None:
    specs = [SliceSpec("web", "column", "source=web"), SliceSpec("sel", "selection", "1,2"),
             SliceSpec("gold: pos", "gold", "pos", suggested=True)]
    report = slice_report(outcome, specs, samples=20, data=outcome.table)
    path = save_slices(tmp_path, specs, report)
    assert load_slices(tmp_path) == specs[:2]  # suggestions are offered again, not saved
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["report"][0]["name"] == "all" and saved["report"][1]["size"] == 5
    assert not list(tmp_path.glob(".slices.json*"))  # the atomic write left no temporary file
    path.write_text('{"slices": [{"name": "x"}, {"name": "ok", "kind": "regex", "value": "a"}]}', encoding="utf-8")
    assert load_slices(tmp_path) == [SliceSpec("ok", "regex", "a")]


def test_resampled_accuracy_equals_one_subset_metrics_per_resample() -> None:
    """Classification's one-array bootstrap gives, resample for resample, what the task's generic
    loop over ``subset_metrics`` gives."""
    from workbench.engine.tasks.base import Task

    outcome = _planted()
    task = get_task("classification")
    indices = np.arange(3, len(outcome.examples), 2, dtype=np.int64)
    draws = np.random.default_rng(0).integers(0, indices.size, size=(50, indices.size))
    fast = task.resampled_headline(outcome.result, outcome.examples, indices, draws, ["neg", "pos"])
    loop = Task.resampled_headline(task, outcome.result, outcome.examples, indices, draws, ["neg", "pos"])
    assert fast.shape == (50,)
    assert len(set(fast.tolist())) > 5  # the resamples differ
    np.testing.assert_allclose(fast, loop)
