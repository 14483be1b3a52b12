"""What a run is evaluated on by default (``workbench.engine.eval_data``), without Qt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import shared
from workbench.engine.errors import DatasetError
from workbench.engine.eval_data import EvalData, HeldOut, run_eval_data
from workbench.engine.task_data import load_dataset
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.trainer import Trainer


def _fake_run(folder: Path, **config) -> Path:
    """A run folder as far as the default data goes: its config.json and a final model's config."""
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "config.json").write_text("{}", encoding="utf-8")
    (folder / "checkpoints" / "step-3").mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


def test_the_default_is_the_validation_file_else_the_held_out_split(tmp_path: Path) -> None:
    data = tmp_path / "train.csv"
    data.write_text("text,label\na,x\n", encoding="utf-8")
    (tmp_path / "dev.csv").write_text("text,label\nb,x\n", encoding="utf-8")
    run = _fake_run(tmp_path / "r1", data=str(data), validation="../dev.csv", text_column="text",
                    label_column="label", format="csv", label_separator=";")
    found = run_eval_data(run)
    assert found == EvalData(str(run / "../dev.csv"), found.mapping, "csv", "validation", None, ";")
    assert (found.mapping.text, found.mapping.label) == ("text", "label")
    assert found.description == f"the run's validation file {run / '../dev.csv'}"
    assert found.whole_file() is found  # nothing held out: the file is the whole file

    run = _fake_run(tmp_path / "r2", data=str(data), validation=None, validation_fraction=0.25, seed=7)
    for spec in (run, run / "checkpoints" / "step-3"):  # a checkpoint of the run brings the same data
        found = run_eval_data(spec)
        assert found is not None and found.kind == "held-out" and found.path == str(data)
        assert found.held_out == HeldOut(str(run), 0.25, 7)
        assert found.description.startswith(f"the run's held-out split of {data} (25%, seed 7)")
    whole = found.whole_file()
    assert whole.kind == "training" and whole.held_out is None and whole.path == str(data)
    assert "including the examples the model trained on" in whole.description

    # Nothing to default to: a model folder, a run that validated on nothing, an unreadable config.
    assert run_eval_data(run / "model") is None
    assert run_eval_data(_fake_run(tmp_path / "r3", data=str(data), validation_fraction=0)) is None
    broken = _fake_run(tmp_path / "r4", data=str(data))
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    assert run_eval_data(broken) is None


@pytest.fixture(scope="module")
def run_on_0_1(tmp_path_factory) -> Path:
    """bert-tiny trained 3 steps on 60 SST-2 rows labelled 0/1, 20% held out for validation."""
    root = tmp_path_factory.mktemp("run01")
    rows = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[1:61]
    data = root / "train.tsv"
    data.write_text("sentence\tlabel\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = root / "run"
    events = list(Trainer(TrainConfig(data=str(data), model="bert-tiny", max_steps=3, validation_fraction=0.2,
                                      seed=5, vocab_size=800, output=str(out), num_threads=1)).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    return out


def test_the_held_out_split_is_read_for_the_model_like_any_file(run_on_0_1: Path) -> None:
    found = run_eval_data(run_on_0_1)
    assert found is not None and found.kind == "held-out"
    expected = load_dataset(found.path, "classification", validation_fraction=0.2, seed=5).validation
    # The run's own names: the split as the run made it, no note.
    examples, note = found.examples("classification", ["0", "1"])
    assert note is None and examples.texts == expected.texts and examples.labels == expected.labels
    # A checkpoint saved without label names: 0/1 read by position, and said so.
    examples, note = found.examples("classification", ["LABEL_0", "LABEL_1"])
    assert note is not None and "LABEL_i is i" in note
    assert examples.labels == expected.labels and examples.label_names == ["LABEL_0", "LABEL_1"]
    assert examples.lines == expected.lines
    # Names that are not the run's: the file is not what the model learned.
    with pytest.raises(DatasetError, match=r"its labels \(0, 1\) differ from the model's \(neg, pos\)"):
        found.examples("classification", ["neg", "pos"])
