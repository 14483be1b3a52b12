"""One evaluation: ``workbench eval``, the evaluation panel's worker and ``compare`` give the same figures.

All three call ``evaluation.evaluate_model``; these tests hold them to it on the same
model and data (a classifier, a multi-label model, a QA model whose ``doc_stride`` and
``null_threshold`` change the result), and check the one prediction-file format: the
CLI's ``--predictions`` file and the app's CSV export are the same bytes. The panel's
worker function is called directly, in this thread (no Qt event loop, no qtbot).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tests.cli.test_cli_qa import write_squad
from tests.conftest import shared
from tests.engine.test_multilabel import write_topics_csv
from workbench.cli import main
from workbench.engine.runs import json_safe, load_run_config, read_run_config


def _train(data: Path, validation: Path, out: Path, **options) -> Path:
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    config = TrainConfig(data=str(data), validation=str(validation), model="bert-tiny", max_steps=6,
                         batch_size=16, vocab_size=600, layers=1, hidden=64, heads=2, seed=0, num_threads=1,
                         output=str(out), **options)
    for _ in Trainer(config).run():
        pass
    return out


def _cli_metrics(capsys, *args: str) -> dict:
    assert main(["eval", *args, "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    metrics.pop("eval_confusion_by_label", None)  # --json's extra view of the same matrix
    return metrics


def _panel(run: Path, data: Path):
    from workbench.gui.panels.evaluation_panel import _evaluate_job

    calls: list[tuple[str, int, int]] = []
    outcome = _evaluate_job(None, str(run), str(data), None, None, lambda *a: calls.append(a), threading.Event())
    assert calls[-1][1] == calls[-1][2] == len(outcome.examples)  # progress ends at every example
    return outcome


@pytest.fixture(scope="module")
def classifier(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("one_eval_cls")
    paths = {}
    for name, n in (("train", 80), ("dev", 50)):
        lines = shared("sst2", f"{name}.tsv").read_text(encoding="utf-8").splitlines()[: n + 1]
        paths[name] = folder / f"{name}.tsv"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _train(paths["train"], paths["dev"], folder / "run"), paths["dev"]


def test_cli_panel_and_compare_agree_on_a_classifier(classifier, capsys, tmp_path: Path) -> None:
    from workbench.engine import reports
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.compare import compare_models

    run, dev = classifier
    cli_csv = tmp_path / "cli.csv"
    cli = _cli_metrics(capsys, str(run), "--data", str(dev), "--predictions", str(cli_csv))
    outcome = _panel(run, dev)
    comparison = compare_models(run, run, dev)
    assert cli["eval_examples"] == 50 and 0 < cli["eval_loss"]
    assert json_safe(outcome.result.metrics) == cli == json_safe(comparison.metrics_a)
    # The predictions themselves agree too, not only their summary.
    assert [outcome.label_names[int(p)] for p in outcome.result.predictions] == comparison.pred_a
    # One prediction-file format: the app's CSV export is the CLI's file, byte for byte.
    from workbench.gui.panels.evaluation_panel import _export_job

    exported = tmp_path / "panel.csv"
    _export_job("csv", str(exported), outcome)
    assert exported.read_bytes() == cli_csv.read_bytes()
    header = cli_csv.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [reports.probability_label(c) for c in header if c.startswith("p_")] == outcome.label_names
    # evaluate_model counts every example and stops where it is told.
    predictor = Predictor.load(run)
    examples = outcome.examples
    seen: list[tuple[int, int]] = []
    evaluate_model(predictor, examples, batch_size=16, progress=lambda d, t: seen.append((d, t)))
    assert [d for d, _ in seen] == [0, 16, 32, 48, 50] and {t for _, t in seen} == {50}
    from workbench.engine.evaluation import EvaluationStopped

    with pytest.raises(EvaluationStopped):
        evaluate_model(predictor, examples, batch_size=16, should_stop=lambda: len(seen) > 6,
                       progress=lambda d, t: seen.append((d, t)))
    assert len(seen) == 7 and not predictor.model._forward_pre_hooks  # stopped at a batch; the hook is gone


def test_cli_and_panel_agree_on_a_multilabel_model(capsys, tmp_path: Path) -> None:
    train = write_topics_csv(tmp_path / "train.csv", 80, seed=0, separator=";")
    dev = write_topics_csv(tmp_path / "dev.csv", 40, seed=1, separator=";")
    run = _train(train, dev, tmp_path / "run", task="multi-label", label_separator=";")
    cli_csv = tmp_path / "cli.csv"
    cli = _cli_metrics(capsys, str(run), "--data", str(dev), "--predictions", str(cli_csv))
    outcome = _panel(run, dev)
    assert "eval_f1_micro" in cli and json_safe(outcome.result.metrics) == cli
    from workbench.gui.panels.evaluation_panel import _export_job

    exported = tmp_path / "panel.csv"
    _export_job("csv", str(exported), outcome)
    assert exported.read_bytes() == cli_csv.read_bytes()  # label sets joined with the run's ";"


def test_question_answering_takes_doc_stride_and_null_threshold_from_the_model(capsys, tmp_path: Path) -> None:
    from workbench.engine.data import read_table
    from workbench.engine.evaluation import evaluate_model
    from workbench.engine.inference import Predictor
    from workbench.engine.task_data import build_examples

    data = write_squad(tmp_path / "squad.json", articles=2, paragraphs=1)
    out = tmp_path / "run"
    assert main(["train", "--task", "question-answering", "--data", str(data), "--model", "bert-tiny",
                 "--max-steps", "2", "--batch-size", "16", "--max-length", "64", "--doc-stride", "16",
                 "--vocab-size", "600", "--layers", "1", "--hidden", "64", "--heads", "2",
                 "--num-threads", "2", "--output", str(out), "--quiet"]) == 0
    capsys.readouterr()
    predictor = Predictor.load(out)
    assert predictor.doc_stride == 16
    examples = build_examples(read_table(data), "question-answering", None)
    mine = evaluate_model(predictor, examples).metrics
    assert json_safe(mine) == _cli_metrics(capsys, str(out), "--data", str(data))
    assert mine["eval_null_threshold"] == predictor.null_threshold
    # The stride is the model's: another stride cuts the contexts into another number of windows.
    predictor.doc_stride = 32
    assert evaluate_model(predictor, examples).metrics["eval_windows"] != mine["eval_windows"]
    predictor.doc_stride = 16
    # The null threshold is the model's unless overridden (eval --null-threshold); a huge one never answers.
    predictor.null_threshold = -1e9
    never = evaluate_model(predictor, examples).metrics
    assert never["eval_exact"] == pytest.approx(never["eval_no_ans_total"] / len(examples))
    assert evaluate_model(predictor, examples, null_threshold=mine["eval_null_threshold"]).metrics == mine


def test_run_config_reader(tmp_path: Path) -> None:
    from workbench.engine.errors import CheckpointError

    run = tmp_path / "run"
    run.mkdir()
    assert read_run_config(run) == {}
    with pytest.raises(CheckpointError, match="not found"):
        load_run_config(run)
    (run / "config.json").write_text("[1, 2]", encoding="utf-8")
    assert read_run_config(run) == {}
    with pytest.raises(CheckpointError, match="not an object"):
        load_run_config(run)
    (run / "config.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(CheckpointError, match="not valid JSON"):
        load_run_config(run)
    (run / "config.json").write_text('{"task": "classification", "model": "bert-tiny"}', encoding="utf-8")
    assert read_run_config(run) == load_run_config(str(run)) == {"task": "classification", "model": "bert-tiny"}
