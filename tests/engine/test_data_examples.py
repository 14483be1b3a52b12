"""Column mapping, labels, Examples, the train/validation split and load_dataset."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from workbench.engine.data import ColumnMapping, Examples, Table, read_table
from workbench.engine.errors import ConfigError, DatasetError
from workbench.engine.task_data import (
    build_examples,
    complete_mapping,
    detect_columns,
    load_dataset,
    stratified_split,
)

GOOD = Path(__file__).resolve().parents[1] / "data" / "good"


def table(columns: list[str], rows: list[list[object]], fmt: str = "csv") -> Table:
    return Table(
        path=Path("mem.csv"),
        format=fmt,
        columns=columns,
        rows=[dict(zip(columns, r)) for r in rows],
        lines=list(range(2, len(rows) + 2)),
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- column mapping


@pytest.mark.parametrize(
    ("columns", "text", "pair", "label"),
    [
        (["sentence", "label"], "sentence", None, "label"),
        (["text", "category"], "text", None, "category"),
        (["label", "review"], "review", None, "label"),
        (["Premise", "Hypothesis", "Gold_Label"], "Premise", "Hypothesis", "Gold_Label"),
        (["id", "question", "context", "y"], "question", "context", "y"),
        (["sentence1", "sentence2", "label"], "sentence1", "sentence2", "label"),
        (["Utterance", "Intent"], "Utterance", None, "Intent"),
    ],
)
def test_detect_columns_by_name(
    columns: list[str], text: str, pair: str | None, label: str
) -> None:
    rows = [[f"v{i}{j}" for j in range(len(columns))] for i in range(4)]
    mapping = detect_columns(table(columns, rows), "classification")
    assert mapping == ColumnMapping(text, pair, label)


def test_detect_columns_by_content() -> None:
    rows = [
        ["a", "this is a long review of the product", "7"],
        ["b", "another rather long piece of text here", "8"],
        ["a", "and a third one that is also long", "9"],
        ["b", "fourth long text for good measure", "10"],
    ]
    mapping = detect_columns(table(["kind", "body_text", "num"], rows), "classification")
    assert mapping.text == "body_text"
    assert mapping.label == "kind"  # two distinct values against four


def test_detect_columns_for_lm_needs_no_label() -> None:
    rows = [["1", "long text number one"], ["2", "long text number two"]]
    assert detect_columns(table(["id", "body"], rows), "causal-lm") == ColumnMapping("body")


def test_detect_columns_token_classification_jsonl() -> None:
    mapping = detect_columns(read_table(GOOD / "tokens.jsonl"), "token-classification")
    assert mapping == ColumnMapping("tokens", None, "ner_tags")


def test_conll_for_sentence_classification_is_an_error() -> None:
    with pytest.raises(DatasetError, match="token-classification"):
        detect_columns(read_table(GOOD / "space_separated.conll"), "classification")


def test_explicit_mapping_overrides_and_missing_column_lists_columns() -> None:
    t = table(["sentence", "label", "other"], [["a", "x", "p"], ["b", "y", "q"]])
    examples = build_examples(t, "classification", ColumnMapping("sentence", label="other"))
    assert examples.label_names == ["p", "q"]
    with pytest.raises(DatasetError) as info:
        build_examples(t, "classification", ColumnMapping("txt", label="label"))
    message = str(info.value)
    assert "'txt'" in message and "sentence, label, other" in message
    with pytest.raises(DatasetError, match="sentence, label, other"):
        complete_mapping(t, "classification", label="nope")


def test_explicit_mapping_is_case_insensitive_and_completes_the_label() -> None:
    t = table(["Sentence", "Label"], [["a", "x"], ["b", "y"]])
    examples = build_examples(t, "classification", ColumnMapping("sentence"))
    assert examples.texts == ["a", "b"] and examples.label_names == ["x", "y"]


def test_unknown_task() -> None:
    with pytest.raises(ConfigError, match="^unknown task 'regression'; choose one of: classification, "):
        build_examples(table(["text", "label"], [["a", "x"]]), "regression")


# --------------------------------------------------------------------------- labels


def test_integer_labels_sort_numerically() -> None:
    examples = build_examples(read_table(GOOD / "int_labels.jsonl"), "classification")
    assert examples.label_names == ["1", "2", "10"]
    assert examples.labels == [2, 1, 0]


def test_mixed_int_and_string_labels_are_strings() -> None:
    examples = build_examples(read_table(GOOD / "mixed_labels.jsonl"), "classification")
    # 1, "1" and 2.0 are the integers "1", "1", "2"; with "x" all sort as strings.
    assert examples.label_names == ["1", "2", "x"]
    assert examples.labels == [0, 0, 1, 2]


def test_csv_label_strings_normalise_like_json_numbers() -> None:
    t = table(["text", "label"], [["a", " 1"], ["b", "01"], ["c", "1.0"], ["d", "-2"], ["e", "0"]])
    examples = build_examples(t, "classification")
    assert examples.label_names == ["-2", "0", "1"]
    assert examples.labels == [2, 2, 2, 0, 1]


def test_csv_and_jsonl_labels_are_the_same_classes(tmp_path: Path) -> None:
    train = write(tmp_path / "train.csv", "text,label\na,0\nb,1\nc,2\n")
    val = write(tmp_path / "val.jsonl", '{"text": "d", "label": 2}\n{"text": "e", "label": 0.0}\n')
    bundle = load_dataset(train, validation_path=val)
    assert bundle.label_names == ["0", "1", "2"]
    assert bundle.validation is not None and bundle.validation.labels == [2, 0]


def test_validation_label_unknown_to_training(tmp_path: Path) -> None:
    train = write(tmp_path / "train.csv", "text,label\na,pos\nb,neg\n")
    val = write(tmp_path / "val.csv", "text,label\nc,pos\nd,neutral\n")
    with pytest.raises(DatasetError) as info:
        load_dataset(train, validation_path=val)
    err = info.value
    assert err.path == val and err.line == 3
    assert "'neutral'" in str(err) and "'neg', 'pos'" in str(err)


def test_validation_file_may_hold_a_single_class(tmp_path: Path) -> None:
    train = write(tmp_path / "train.csv", "text,label\na,pos\nb,neg\n")
    val = write(tmp_path / "val.csv", "text,label\nc,pos\n")
    bundle = load_dataset(train, validation_path=val)
    assert bundle.validation is not None and bundle.validation.labels == [1]


def test_validation_file_with_other_header_names(tmp_path: Path) -> None:
    train = write(tmp_path / "train.tsv", "sentence\tlabel\na\t0\nb\t1\n")
    val = write(tmp_path / "val.csv", "text,category\nc,1\n")
    bundle = load_dataset(train, validation_path=val)
    assert bundle.validation is not None and bundle.validation.texts == ["c"]


def test_bool_labels() -> None:
    t = table(["text", "label"], [["a", True], ["b", False]], fmt="jsonl")
    assert build_examples(t, "classification").label_names == ["false", "true"]


def test_token_classification_tag_error_names_the_token_line(tmp_path: Path) -> None:
    train = write(tmp_path / "train.conll", "a\tO\nb\tB-X\n\nc\tO\n")
    val = write(tmp_path / "val.conll", "a\tO\n\nb\tO\nc\tB-Y\n")
    with pytest.raises(DatasetError) as info:
        load_dataset(train, "token-classification", validation_path=val)
    assert info.value.line == 4 and "'B-Y'" in str(info.value)


def test_token_classification_from_csv_strings(tmp_path: Path) -> None:
    path = write(tmp_path / "ner.csv", "tokens,tags\nParis is nice,B-LOC O O\nRome,B-LOC\n")
    examples = load_dataset(path, "token-classification", validation_fraction=0).train
    assert examples.words == [["Paris", "is", "nice"], ["Rome"]]
    assert examples.label_names == ["B-LOC", "O"]
    assert examples.labels == [[0, 1, 1], [0]]


def test_lm_tasks_from_csv_and_conll(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "id,text\n1,hello world\n2,\n3,bye\n")
    examples = load_dataset(path, "masked-lm", validation_fraction=0).train
    assert examples.texts == ["hello world", "bye"]  # empty rows teach nothing
    assert examples.lines == [2, 4]
    assert examples.labels is None and examples.words is None
    conll = load_dataset(GOOD / "space_separated.conll", "causal-lm", validation_fraction=0)
    assert conll.train.texts == ["Paris is nice", "Rome"]


def test_pairs() -> None:
    examples = build_examples(read_table(GOOD / "pairs.tsv"), "classification")
    assert examples.texts == ["A man sleeps.", "A dog runs."]
    assert examples.text_pairs == ["A person rests.", "A cat sleeps."]
    assert examples.label_names == ["contradiction", "entailment"]


def test_subset_keeps_everything_aligned() -> None:
    examples = build_examples(read_table(GOOD / "pairs.tsv"), "classification")
    sub = examples.subset([1])
    assert sub.texts == ["A dog runs."] and sub.text_pairs == ["A cat sleeps."]
    assert sub.labels == [0] and sub.lines == [3] and sub.label_names == examples.label_names
    assert len(examples.subset([])) == 0


# --------------------------------------------------------------------------- split


def make_examples(counts: dict[str, int], task: str = "classification") -> Examples:
    names = sorted(counts)
    labels = [i for i, n in enumerate(names) for _ in range(counts[n])]
    texts = [f"text {k}" for k in range(len(labels))]
    return Examples(
        task=task,
        texts=texts,
        text_pairs=None,
        words=None,
        labels=labels if task == "classification" else None,
        label_names=names if task == "classification" else [],
        source=None,
        lines=list(range(2, len(texts) + 2)),
    )


def test_stratified_split_keeps_proportions() -> None:
    examples = make_examples({"a": 600, "b": 300, "c": 100})
    train, val = stratified_split(examples, 0.2, seed=1)
    assert len(val) == 200 and len(train) == 800
    assert Counter(val.labels) == {0: 120, 1: 60, 2: 20}  # type: ignore[arg-type]
    assert sorted(train.texts + val.texts) == sorted(examples.texts)
    assert train.lines == sorted(train.lines)


def test_stratified_split_every_class_stays_in_train() -> None:
    examples = make_examples({"big": 50, "two": 2, "one": 1, "three": 3})
    for seed in range(20):
        train, val = stratified_split(examples, 0.5, seed=seed)
        assert set(train.labels) == {0, 1, 2, 3}  # type: ignore[arg-type]
        assert 1 not in set(val.labels)  # type: ignore[arg-type]  # "one": single example


def test_split_is_deterministic_and_depends_on_seed() -> None:
    examples = make_examples({"a": 40, "b": 60})
    first = stratified_split(examples, 0.25, seed=3)
    again = stratified_split(examples, 0.25, seed=3)
    other = stratified_split(examples, 0.25, seed=4)
    assert first[1].texts == again[1].texts and first[0].texts == again[0].texts
    assert first[1].texts != other[1].texts


def test_plain_split_for_lm() -> None:
    examples = make_examples({"x": 100}, task="causal-lm")
    train, val = stratified_split(examples, 0.1, seed=0)
    assert (len(train), len(val)) == (90, 10)
    assert stratified_split(examples, 0.1, seed=0)[1].texts == val.texts


def test_split_fraction_edges() -> None:
    examples = make_examples({"a": 3, "b": 3})
    train, val = stratified_split(examples, 0.0)
    assert len(train) == 6 and len(val) == 0
    with pytest.raises(ConfigError):
        stratified_split(examples, 1.0)
    with pytest.raises(ConfigError):
        stratified_split(examples, -0.1)


def test_load_dataset_split_and_no_split(tmp_path: Path) -> None:
    rows = "".join(f"text {i},{'pos' if i % 3 else 'neg'}\n" for i in range(30))
    path = write(tmp_path / "d.csv", "text,label\n" + rows)
    bundle = load_dataset(path, validation_fraction=0.2, seed=5)
    assert bundle.validation is not None
    assert (len(bundle.train), len(bundle.validation)) == (24, 6)
    assert bundle.train.label_names == bundle.validation.label_names == ["neg", "pos"]
    assert bundle.format == "csv" and bundle.columns == ["text", "label"]
    assert load_dataset(path, validation_fraction=0).validation is None


# --------------------------------------------------------------------------- the tasks' data rules


def test_the_data_layer_maps_columns_from_roles_alone() -> None:
    """engine.data knows no task: a ColumnRoles says which columns to look for."""
    from workbench.engine.data import ColumnRoles
    from workbench.engine.data import examples as data_examples

    t = table(["premise", "hypothesis", "gold_label"], [["a", "b", "x"], ["c", "d", "y"]])
    labelled = ColumnRoles(label_names=data_examples.LABEL_COLUMN_NAMES, pair=True)
    assert data_examples.complete_mapping(t, labelled) == ColumnMapping("premise", "hypothesis", "gold_label")
    assert data_examples.complete_mapping(t, ColumnRoles()) == ColumnMapping("premise", None, None)


def test_at_most_one_task_claims_a_new_file(tmp_path: Path) -> None:
    """default_task asks the tasks in turn, so their claims must not overlap."""
    from workbench.engine.task_data import default_task
    from workbench.engine.tasks.registry import all_tasks

    for task in all_tasks():
        assert task.sample is not None
        path = write(tmp_path / f"{task.name}-{task.sample.filename}", task.sample.text)
        found = read_table(path)
        claims = [other.name for other in all_tasks() if other.claims_table(found)]
        assert len(claims) <= 1, (task.name, claims)
        assert default_task(found) == (claims[0] if claims else "classification")
        examples = build_examples(found, task.name)  # each task reads its own sample
        assert examples.task == task.name and len(examples) > 0
