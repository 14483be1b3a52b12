"""The contract every registered task keeps (issue 15): a task that registers gets this test for free.

Each task's own tiny sample (``Task.sample``) is written to disk and goes through the
real pipeline with a tiny from-scratch preset: read and build, encode and collate,
the loss of a few training steps, evaluation, saving, loading back (by the workbench
and by plain transformers), and prediction through ``task.predict``. The facts the
rest of the code asks the task for (headline metric, metric_for_best, Auto class,
architecture) are checked against what the pipeline really produced.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from workbench.engine.tasks.registry import (
    TASKS,
    all_tasks,
    best_metric,
    find_task,
    get_task,
    headline_metric,
    summary_metric_names,
    task_list,
    task_names,
)

TASK_NAMES = [task.name for task in all_tasks()]


def test_registry_lists_every_task_once_in_their_order() -> None:
    assert TASK_NAMES == list(TASKS) == list(task_names())  # the CLI's --task choices are the registry's
    assert TASK_NAMES == [
        "classification", "multi-label", "token-classification", "masked-lm", "causal-lm", "question-answering",
        "translation", "summarization", "dialogue",
    ]  # fmt: skip
    assert task_list() == ", ".join(TASK_NAMES)
    assert find_task("no-such-task") is None and find_task(None) is None
    from workbench.engine.errors import ConfigError, ModelError

    with pytest.raises(ConfigError, match="^unknown task 'nope'; choose one of: classification, multi-label, "):
        get_task("nope")
    with pytest.raises(ModelError, match="^unknown task 'nope'; choose one of: classification, "):
        get_task("nope", error=ModelError)


def test_a_task_registers_by_being_defined(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new Task subclass under @register is in every task list, at its ``order``, with no other edit."""
    from workbench.engine.tasks import base

    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))  # the throwaway task leaves with the test

    @base.register
    class Throwaway(base.Task):
        name = "throwaway"
        display_name = "a task for this test"
        order = 15  # between classification (10) and multi-label (20)

    assert [task.name for task in all_tasks()] == [TASK_NAMES[0], "throwaway", *TASK_NAMES[1:]]
    assert "throwaway" in task_names() and "throwaway" in task_list()
    assert get_task("throwaway").display_name == "a task for this test"
    assert task_names(lambda task: task.labelled) == tuple(t for t in TASK_NAMES if get_task(t).labelled)
    monkeypatch.undo()
    assert find_task("throwaway") is None and [task.name for task in all_tasks()] == TASK_NAMES


def test_the_headline_metric_has_one_definition_everyone_asks() -> None:
    """Training panel, runs panel, runs table, progress line and trainer agree (QA's F1 included)."""
    from workbench.engine.run_index import RunInfo

    pytest.importorskip("PySide6")
    from workbench.gui.widgets.runs_model import main_metric

    expected = {
        "classification": "eval_accuracy", "multi-label": "eval_f1_micro", "token-classification": "eval_accuracy",
        "masked-lm": "eval_masked_accuracy", "causal-lm": "eval_perplexity", "question-answering": "eval_f1",
        "translation": "eval_chrf", "summarization": "eval_rougeL", "dialogue": "eval_chrf",
    }  # fmt: skip
    assert {t.name: headline_metric(t.name) for t in all_tasks()} == expected
    everything = {name: 0.5 for name in (*summary_metric_names(), "eval_loss", "eval_exact", "eval_subset_accuracy")}
    for task in all_tasks():
        # The runs table shows the task's headline even when a run logged other tasks' figures too.
        assert main_metric(RunInfo("p", "r", "finished", task=task.name, metrics=everything)) == (
            task.headline.name, 0.5)
        assert task.headline.name in summary_metric_names()  # the CLI's progress line prints it
    # A chosen score is shown instead of the task's; a chosen loss is not (the curves plot the loss).
    assert headline_metric("classification", "f1_macro") == "eval_f1_macro"
    assert headline_metric("causal-lm", "loss") == "eval_perplexity"
    assert best_metric("question-answering") == ("eval_f1", True)
    assert best_metric("causal-lm") == ("eval_loss", False)
    assert best_metric("classification", "eval_loss") == ("eval_loss", False)
    assert headline_metric("an old task") == "eval_accuracy"  # unknown: the old default


def test_cli_progress_line_shows_question_answering_f1() -> None:
    import io

    from workbench.cli.progress import ProgressPrinter
    from workbench.engine.training.events import EvalDone

    stream = io.StringIO()
    ProgressPrinter(stream)(EvalDone(step=3, epoch=1.0, metrics={"eval_loss": 1.0, "eval_f1": 0.25, "eval_exact": 0.125}))
    line = stream.getvalue()
    assert "f1=0.2500" in line and "exact=0.1250" in line and "loss=1.0000" in line


@pytest.mark.parametrize("name", TASK_NAMES)
def test_task_contract(name: str, tmp_path: Path) -> None:
    import transformers
    from transformers import AutoConfig

    from workbench.engine.evaluation import encode, evaluate
    from workbench.engine.inference import Predictor, infer_task
    from workbench.engine.models.loading import auto_class, resolve_spec
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.events import EvalDone, StepLogged, TrainFinished
    from workbench.engine.training.trainer import Trainer

    task = get_task(name)
    sample = task.sample
    assert sample is not None, f"{name} registers no sample, so nothing checks that it trains"
    data = tmp_path / sample.filename
    data.write_text(sample.text, encoding="utf-8")
    values = dict(
        data=str(data), task=name, model="bert-tiny", max_steps=3, batch_size=8, eval_every=3,
        max_length=32, vocab_size=200, layers=1, hidden=32, heads=2, validation_fraction=0.25,
        seed=0, num_threads=1, output=str(tmp_path / "run"),
    )  # fmt: skip
    values.update(sample.config)
    trainer = Trainer(TrainConfig(**values))
    events = list(trainer.run())

    # build, encode, collate and loss: the steps ran and their loss is a real number.
    assert isinstance(events[-1], TrainFinished), events[-1]
    losses = [e.loss for e in events if isinstance(e, StepLogged)]
    assert len(losses) == 3 and all(math.isfinite(v) and v > 0 for v in losses)
    assert bool(trainer.label_names) == task.labelled
    # evaluate: the figures the task promises are the ones evaluation logs.
    metrics = [e for e in events if isinstance(e, EvalDone)][-1].metrics
    assert trainer.metric_for_best() == (task.best.name, task.best.greater_is_better)
    for metric in (task.headline.name, task.best.name):
        assert isinstance(metrics.get(metric), float) and math.isfinite(metrics[metric]), (metric, metrics)

    # save: plain transformers loads the model folder with the task's Auto class and head config.
    model_dir = tmp_path / "run" / "model"
    from workbench.engine.model_card import read_front_matter

    card = (model_dir / "README.md").read_text(encoding="utf-8")  # the card the hub shows, written last
    assert read_front_matter(card)["pipeline_tag"] == task.hub_pipeline_tag and task.card_use_and_limits in card
    plain = getattr(transformers, task.auto_class_name).from_pretrained(model_dir)
    config = AutoConfig.from_pretrained(model_dir)
    assert auto_class(name) is getattr(transformers, task.auto_class_name)
    assert [type(plain).__name__] == config.architectures
    for key, value in task.config_kwargs(trainer.label_names).items():
        got = getattr(config, key)
        assert (got == value) or (key == "id2label" and {int(k): v for k, v in got.items()} == value), key
    assert json.loads((model_dir / "workbench_model.json").read_text(encoding="utf-8"))["task"] == name

    # load: the workbench reads the task back; a foreign copy (no workbench file) by its architecture.
    predictor = Predictor.load(tmp_path / "run")
    assert predictor.task == name and predictor.task_spec is task
    assert predictor.label_names == trainer.label_names
    foreign = tmp_path / "foreign"
    shutil.copytree(model_dir, foreign)
    (foreign / "workbench_model.json").unlink()
    assert infer_task(resolve_spec(str(foreign))) == name

    # evaluate the loaded model again: the same pipeline gives a finite headline figure.
    encoded = encode(trainer.bundle.validation, predictor.tokenizer, name, predictor.max_length,
                     doc_stride=predictor.doc_stride)
    again = evaluate(predictor.model, predictor.tokenizer, name, encoded, label_names=predictor.label_names,
                     thresholds=predictor.thresholds, null_threshold=predictor.null_threshold)
    assert math.isfinite(again.metrics[task.headline.name])

    # predict: through the task, one result per input.
    texts = list(sample.predict_texts)
    results = predictor.predict(texts, **sample.predict_options)
    assert len(results) == len(texts) and all(isinstance(r, dict) for r in results)
    # What `workbench predict` prints for a person: the task reads its own result.
    assert all(isinstance(task.result_line(r), str) for r in results)
    import torch

    with torch.inference_mode():  # what Predictor.predict wraps each task's predict in
        assert results == task.predict(predictor, texts, **sample.predict_options)  # deterministic, one dispatch
