"""``workbench export RUN --format onnx --out DIR``: its JSON, its summary, its refusals and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.export_kit import save_masked_lm, train_task_sample
from workbench.cli import main

pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_task_sample(tmp_path_factory.mktemp("cls"), "classification")


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``workbench ARGS`` in this process (a subprocess would spend its time importing torch)."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_is_the_report_written_beside_the_model(run: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "onnx"
    code, stdout, stderr = call(capsys, "export", str(run), "--format", "onnx", "--out", str(out), "--json",
                                "--quantize", "int8", "--repeats", "2", "--threads", "1")
    assert code == 0, stderr
    report = json.loads(stdout)
    assert report == json.loads((out / "workbench_onnx.json").read_text(encoding="utf-8"))
    assert report["task"] == "classification" and report["labels"] == ["neg", "pos"]
    assert report["outputs"] == ["logits", "probabilities"] and report["dynamic_axes"] == {"batch": 0, "sequence": 1}
    assert report["check"]["passed"] is True and report["check"]["max_abs_diff"] < 1e-4
    assert report["accuracy"]["metric"] == "eval_accuracy" and report["accuracy"]["examples"] == 6
    assert report["speed"]["repeats"] == 2 and report["speed"]["threads"] == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "config.json", "model-int8.onnx", "model.onnx", "tokenizer.json", "tokenizer_config.json",
        "workbench_onnx.json",
    ]  # fmt: skip
    # Progress goes to stderr, one line per stage.
    assert "[1/6] loading" in stderr and "[6/6] timing both graphs (2 runs each)" in stderr


def test_the_summary_names_the_check_and_the_int8_figures(run: Path, tmp_path: Path, capsys) -> None:
    code, stdout, _ = call(capsys, "export", str(run), "--out", str(tmp_path / "onnx"), "--quantize", "int8",
                           "--repeats", "2")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].startswith("exported the classification model (") and lines[0].endswith(
        f"to {tmp_path / 'onnx'}/model.onnx")
    assert lines[1] == "  inputs input_ids, attention_mask, token_type_ids; outputs logits, probabilities; " \
        "axes: batch, sequence"
    assert "largest difference of probabilities" in lines[2] and lines[2].endswith("(ok)")
    assert lines[3].startswith(f"int8: {tmp_path / 'onnx' / 'model-int8.onnx'}; largest difference to PyTorch ")
    assert lines[4].startswith("  accuracy ") and "(fp32) ->" in lines[4] and "on 6 examples of the run's held-out" \
        in lines[4]
    assert lines[5].startswith("  median of 2 runs on a ") and lines[5].endswith("x")


def test_a_task_without_an_export_is_refused_with_exit_2(tmp_path: Path, capsys) -> None:
    folder = save_masked_lm(tmp_path / "mlm")
    code, stdout, stderr = call(capsys, "export", str(folder), "--out", str(tmp_path / "onnx"))
    assert code == 2 and stdout == ""
    assert stderr.splitlines()[-1].startswith("workbench export: error: ONNX export does not support masked language model models "
                             "(task 'masked-lm') yet; it exports these tasks: classification, multi-label,")


@pytest.mark.parametrize(("args", "message"), [
    (["--limit", "0"], "--limit 0: give a positive number of examples."),
    (["--repeats", "0"], "--repeats 0: give a positive number of runs."),
    (["--threads", "0"], "--threads 0: give a positive number of threads."),
    (["--text-column", "sentence"], "--text-column: these describe a --data file; give --data FILE with them. "
                                    "Without them the data the run validated on is read as the run read it."),
])  # fmt: skip
def test_bad_options_are_refused_before_any_work(args: list[str], message: str, run: Path, tmp_path: Path,
                                                 capsys) -> None:
    code, _, stderr = call(capsys, "export", str(run), "--out", str(tmp_path / "onnx"), *args)
    assert code == 2 and stderr.strip() == f"workbench export: error: {message}"
    assert not (tmp_path / "onnx").exists()
