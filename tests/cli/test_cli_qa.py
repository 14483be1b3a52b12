"""Question answering from the command line: train, predict (--question/--context), eval on SQuAD JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import shared
from workbench.cli import build_parser, main


def write_squad(path: Path, articles: int, paragraphs: int) -> Path:
    doc = json.loads(shared("squad_v2_dev_subset", "dev-v2.0-first5articles.json").read_text(encoding="utf-8"))
    doc["data"] = [{"title": a["title"], "paragraphs": a["paragraphs"][:paragraphs]} for a in doc["data"][:articles]]
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def qa_run(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("qa_cli")
    data = write_squad(tmp / "squad.json", articles=3, paragraphs=2)
    out = tmp / "run"
    code = main(["train", "--task", "question-answering", "--data", str(data), "--model", "bert-tiny",
                 "--max-steps", "4", "--batch-size", "16", "--max-length", "64", "--doc-stride", "16",
                 "--vocab-size", "600", "--layers", "1", "--hidden", "64", "--heads", "2",
                 "--num-threads", "2", "--output", str(out), "--quiet"])
    assert code == 0
    return out, data


def test_train_writes_a_question_answering_run(qa_run) -> None:
    out, data = qa_run
    config = json.loads((out / "config.json").read_text())
    assert (config["task"], config["max_length"], config["doc_stride"]) == ("question-answering", 64, 16)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["metric_for_best"] == "eval_f1"
    assert {"eval_exact", "eval_f1", "eval_no_ans_exact"} <= set(summary)


def test_question_answering_defaults_to_384_tokens(tmp_path: Path) -> None:
    from workbench.cli.train_cmd import config_from_args

    data = str(write_squad(tmp_path / "s.json", 1, 1))
    parser = build_parser()
    qa = config_from_args(parser.parse_args(["train", "--task", "question-answering", "--data", data]))
    assert qa.max_length == 384
    own = config_from_args(parser.parse_args(["train", "--task", "question-answering", "--data", data,
                                              "--max-length", "200"]))
    assert own.max_length == 200
    assert config_from_args(parser.parse_args(["train", "--data", data])).max_length == 128


def test_predict_answers_from_context_and_context_file(qa_run, capsys, tmp_path: Path) -> None:
    out, _ = qa_run
    context = "The Normans gave their name to Normandy, a region in France. Rollo was their first ruler."
    # A threshold no null score can beat: the answer is the best span, a piece of the context.
    code, stdout, _ = run_cli(capsys, "predict", str(out), "--question", "Who was the first ruler?",
                              "--context", context, "--null-threshold", "1e9", "--json")
    assert code == 0
    result = json.loads(stdout)
    assert not result["no_answer"] and result["answer"] and context[result["start"] : result["end"]] == result["answer"]
    # The same context from a file gives the same answer; the human form shows it with its characters.
    path = tmp_path / "context.txt"
    path.write_text(context, encoding="utf-8")
    code, stdout, _ = run_cli(capsys, "predict", str(out), "--question", "Who was the first ruler?",
                              "--context-file", str(path), "--null-threshold", "1e9")
    assert code == 0 and stdout.startswith(result["answer"]) and f"characters {result['start']}-" in stdout
    # A threshold below any margin: "no answer", with the null score.
    code, stdout, _ = run_cli(capsys, "predict", str(out), "--question", "Who?", "--context", context,
                              "--null-threshold=-1e9")
    assert code == 0 and stdout.startswith("(no answer in this context)") and "null score" in stdout


@pytest.mark.parametrize("args,message", [
    (["just a text"], "needs a question and a context"),
    (["--question", "Who?"], "needs a context"),
    (["--question", "Who?", "--context", "x", "--context-file", "y"], "not both"),
    (["--question", "", "--context", "x"], "needs a question"),
])  # fmt: skip
def test_predict_errors_are_readable(qa_run, capsys, args: list[str], message: str) -> None:
    out, _ = qa_run
    code, _, err = run_cli(capsys, "predict", str(out), *args)
    assert code == 2 and message in err


def test_eval_reports_exact_match_and_f1(qa_run, capsys, tmp_path: Path) -> None:
    out, data = qa_run
    predictions = tmp_path / "predictions.csv"
    code, stdout, _ = run_cli(capsys, "eval", str(out), "--data", str(data), "--json",
                              "--predictions", str(predictions))
    assert code == 0
    metrics = json.loads(stdout)
    rows = list(csv.DictReader(predictions.open(encoding="utf-8")))
    questions = sum(len(p["qas"]) for a in json.loads(data.read_text())["data"] for p in a["paragraphs"])
    assert metrics["eval_examples"] == len(rows) == questions
    # The file's per-question scores average to the reported figures.
    assert sum(float(r["f1"]) for r in rows) / len(rows) == pytest.approx(metrics["eval_f1"])
    assert sum(int(r["exact"]) for r in rows) / len(rows) == pytest.approx(metrics["eval_exact"])
    assert metrics["eval_null_threshold"] == json.loads((out / "model" / "workbench_model.json").read_text())[
        "null_threshold"]
    # Never answering scores exactly the share of unanswerable questions.
    code, stdout, _ = run_cli(capsys, "eval", str(out), "--data", str(data), "--json", "--null-threshold=-1e9")
    never = json.loads(stdout)
    assert never["eval_exact"] == pytest.approx(never["eval_no_ans_total"] / questions)
    code, stdout, _ = run_cli(capsys, "data", str(data))
    assert code == 0 and "squad" in stdout and "question-answering" in stdout
