"""``workbench eval``'s confusion matrix with its labels, LABEL_i models on 0/1 data, and empty texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.test_eval_labels import TEXTS, plain_classifier
from workbench.cli import main
from workbench.cli.eval_cmd import confusion_table

LABELS = ["1", "0", "1", "0", "1", "0"]


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> tuple[Path, Path]:
    """A classifier saved without label names (LABEL_0, LABEL_1), and data labelled 0/1."""
    root = tmp_path_factory.mktemp("plain")
    data = root / "dev.csv"
    data.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(TEXTS, LABELS)), encoding="utf-8")
    return plain_classifier(root / "model"), data


def test_confusion_table_has_labels_as_headers() -> None:
    table = confusion_table([[5, 1, 0], [2, 40, 3], [0, 0, 12]], ["neg", "a very long label name indeed", "pos"])
    lines = table.splitlines()
    assert lines[0].split() == ["true", "\\", "predicted", "neg", "a", "very", "long", "lab…", "pos"]
    assert lines[1].split() == ["neg", "5", "1", "0"]
    assert lines[2].split()[-3:] == ["2", "40", "3"] and lines[2].startswith("a very long lab…")
    assert len({len(line) for line in lines}) == 1  # columns line up


def test_eval_prints_the_matrix_with_labels_and_says_how_labels_were_matched(plain, capsys) -> None:
    model, data = plain
    assert main(["eval", str(model), "--data", str(data)]) == 0
    captured = capsys.readouterr()
    assert "workbench eval: note: the model's labels are LABEL_0, LABEL_1 and the data's are 0, 1" in captured.err
    lines = captured.out.splitlines()
    header = lines.index("confusion matrix (rows: true, columns: predicted)")
    assert lines[header + 1].split()[-2:] == ["LABEL_0", "LABEL_1"]
    rows = [lines[header + 2].split(), lines[header + 3].split()]
    assert [r[0] for r in rows] == ["LABEL_0", "LABEL_1"]

    assert main(["eval", str(model), "--data", str(data), "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    matrix = metrics["eval_confusion_matrix"]  # kept as it was: rows true, columns predicted
    assert [[int(v) for v in r[1:]] for r in rows] == matrix
    assert metrics["eval_confusion_by_label"] == {
        true: dict(zip(["LABEL_0", "LABEL_1"], row)) for true, row in zip(["LABEL_0", "LABEL_1"], matrix)
    }
    assert sum(map(sum, matrix)) == len(TEXTS) and metrics["label_names"] == ["LABEL_0", "LABEL_1"]


def test_eval_refuses_labels_it_cannot_match(plain, tmp_path: Path, capsys) -> None:
    model, _ = plain
    data = tmp_path / "named.csv"
    data.write_text("text,label\n" + "".join(f"{t},{'pos' if y == '1' else 'neg'}\n" for t, y in zip(TEXTS, LABELS)),
                    encoding="utf-8")
    assert main(["eval", str(model), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "the model's labels are LABEL_0, LABEL_1" in err and "the data's are neg, pos" in err


@pytest.mark.parametrize(("texts", "which"), [([""], "the text is"), (["   "], "the text is"),
                                              (["a fine film", " \t"], "text 2 of 2 is")])
def test_predict_refuses_empty_text(plain, texts: list[str], which: str, capsys) -> None:
    model, _ = plain
    assert main(["predict", str(model), *texts]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        f"workbench predict: error: {which} empty or only spaces, so there is nothing to predict: give a sentence."
    )
    assert main(["predict", str(model), "a fine film", "--json"]) == 0  # a real text still predicts
    assert json.loads(capsys.readouterr().out)["label"] in ("LABEL_0", "LABEL_1")


def test_train_refuses_a_label_column_that_is_also_the_text_column(tmp_path: Path, capsys) -> None:
    data = tmp_path / "reviews.csv"
    data.write_text("review,stars\ngood film,pos\nbad film,neg\n", encoding="utf-8")
    code = main(["train", "--data", str(data), "--model", "bert-tiny", "--text-column", "review",
                 "--label-column", "review", "--output", str(tmp_path / "run")])
    assert code == 2
    assert "'review' is also a text column" in capsys.readouterr().err
    assert not (tmp_path / "run" / "metrics.jsonl").exists()
