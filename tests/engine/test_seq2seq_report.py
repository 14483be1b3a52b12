"""Seq2seq evaluation reports (issue 16 item 6): rows worst first, bootstrap intervals, the HTML
report's rows, and evaluate_model's progress ending at exactly 100% although generation runs
a forward pass per token."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
import torch

from tests.engine.test_seq2seq import SENTENCES, _examples, _tiny_model
from workbench.engine import reports
from workbench.engine.eval_loop import EvalResult
from workbench.engine.generation_metrics import bootstrap_interval, corpus_scores, sentence_score
from workbench.engine.inference import Predictor
from workbench.engine.models.loading import ModelSource
from workbench.engine.models.presets import train_tokenizer
from workbench.engine.tasks.registry import get_task

PAIRS = [*SENTENCES, ("Hi.", "您好。")]  # an alternative translation: two references for "Hi."
OUTPUTS = ["你好。", "走！", "我赢了。", "救命", "谢谢你。", "我要去上班。", "晚上好。", "她是老师。", "你好。"]


def _result() -> tuple[Any, EvalResult]:
    examples = _examples(PAIRS)
    result = EvalResult({"eval_loss": 1.5, "eval_examples": len(PAIRS)}, losses=np.linspace(1, 2, len(PAIRS)),
                        generated=list(OUTPUTS))
    result.metrics.update({f"eval_{k}": v for k, v in corpus_scores(
        OUTPUTS, [[t for s, t in PAIRS if s == src] for src, _ in PAIRS], metrics=("bleu", "chrf", "exact_match"),
    ).items()})
    return examples, result


def test_rows_worst_first_carry_the_sentence_score_against_every_reference() -> None:
    examples, result = _result()
    task = get_task("translation")
    rows = task.worst_first(task.prediction_rows(result, examples, []))
    scores = [r["chrf"] for r in rows]
    assert scores == sorted(scores) and len(rows) == len(PAIRS)
    for row in rows:
        refs = json.loads(row["references"])
        assert row["chrf"] == sentence_score(row["prediction"], refs, lang="zh", metric="chrf")
    first_hi = next(r for r in rows if r["example"] == 0)
    assert json.loads(first_hi["references"]) == ["你好。", "您好。"] and first_hi["chrf"] == 100.0


def test_intervals_are_the_bootstrap_of_the_corpus_scores_and_contain_them() -> None:
    examples, result = _result()
    intervals = get_task("translation").metric_intervals(result, examples)
    assert set(intervals) == {"eval_bleu", "eval_chrf", "eval_exact_match"}
    refs = [[t for s, t in PAIRS if s == src] for src, _ in PAIRS]
    assert intervals["eval_chrf"] == bootstrap_interval(OUTPUTS, refs, "chrf")
    for key, (low, high) in intervals.items():
        assert low <= result.metrics[key] <= high, key
    result.generated = [None] * len(PAIRS)  # nothing generated: nothing to resample
    assert get_task("translation").metric_intervals(result, examples) == {}


def test_html_report_lists_the_outputs_worst_first_with_intervals_and_no_script(tmp_path) -> None:
    examples, result = _result()
    intervals = get_task("translation").metric_intervals(result, examples)
    report = reports.build_report(result, examples, label_names=[], task="translation", model="m", data="d",
                                  intervals=intervals)
    assert report["intervals"]["eval_chrf"] == list(intervals["eval_chrf"])
    assert [m["chrf"] for m in report["mistakes"]] == sorted(m["chrf"] for m in report["mistakes"])
    path = tmp_path / "r.html"
    reports.write_report_html(path, report)
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page
    low, high = intervals["eval_chrf"]
    assert f"{low:.2f} – {high:.2f}" in page and "95% interval" in page
    assert page.count("<tr><td class=\"num\">") == len(PAIRS)  # every output, one row each
    worst = report["mistakes"][0]
    assert page.index(worst["prediction"]) < page.index("您好。")  # the 100-score row comes last
    # Other tasks' reports keep their two-column metrics table.
    assert "95% interval" not in reports.report_html({"task": "classification", "metrics": {"eval_accuracy": 0.5}})


def test_evaluate_model_progress_counts_examples_and_ends_at_exactly_the_total() -> None:
    from workbench.engine.evaluation import EvaluationStopped, evaluate_model

    tokenizer = train_tokenizer("t5", [s for pair in SENTENCES for s in pair] * 3, 400)
    model = _tiny_model("t5", tokenizer)
    predictor = Predictor(model, tokenizer, "translation", [], 32, ModelSource("folder", "tiny"))
    examples = _examples(PAIRS)
    seen: list[tuple[int, int]] = []
    torch.manual_seed(0)
    result = evaluate_model(predictor, examples, batch_size=4, progress=lambda d, t: seen.append((d, t)))
    n = len(PAIRS)
    assert seen[-1] == (2 * n, 2 * n) and all(t == 2 * n and d <= t for d, t in seen)  # scored, then generated
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and result.metrics["eval_generated"] == n
    assert not model._forward_pre_hooks  # no hook left on a model the app shares
    calls = 0

    def stop() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3  # stops during generation (batch 4 of 6)

    with pytest.raises(EvaluationStopped):
        evaluate_model(predictor, examples, batch_size=4, should_stop=stop)
    assert math.isfinite(result.metrics["eval_loss"])
