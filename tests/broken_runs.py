"""A workspace of malformed run folders, built on the spot, for the tolerance tests.

Two intact runs (``good-a``, ``good-b``) sit beside folders that each break one
thing the way a crash, a hand edit or a foreign tool does: bad JSON, JSON of the
wrong shape or types, bytes that are not UTF-8, a torn last line, a file where a
folder belongs (and the reverse), empty files. ``BROKEN`` names each folder and
what a reader must still get right about it.
"""

from __future__ import annotations

import json
from pathlib import Path

from workbench.engine.runs import RunFolder
from workbench.engine.training import events as ev
from workbench.engine.training.config import TrainConfig

GOOD = ("good-a", "good-b")


def write_run(path: Path, steps: int = 4, accuracy: float = 0.75) -> Path:
    """A small, intact, finished run: config, steps, two evaluations, the final event and summary."""
    run = RunFolder(path)
    run.create()
    TrainConfig(data="train.tsv", model="bert-tiny", output=str(path)).save(run.config_path)
    for step in range(1, steps + 1):
        run.append_metric(ev.StepLogged(step, steps, 1.0 / step, 0.7, 1e-3, 1.0, 10.0, 0.1, 1.0).to_record())
        if step % 2 == 0:
            metrics = {"eval_loss": 0.5, "eval_accuracy": accuracy * step / steps}
            run.append_metric(ev.EvalDone(step, step / steps, metrics).to_record())
    run.append_metric(ev.TrainFinished(steps, {"eval_accuracy": accuracy}).to_record())
    run.write_summary({"status": "finished", "eval_accuracy": accuracy, "steps": steps, "task": "classification"})
    return path


def _metrics_lines(path: Path, *lines: bytes | str) -> None:
    with open(path / "metrics.jsonl", "ab") as handle:
        for line in lines:
            handle.write(line if isinstance(line, bytes) else (line + "\n").encode())


def _write(path: Path, text: bytes | str) -> None:
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


def _step(step: int) -> str:
    return json.dumps(ev.StepLogged(step, 9, 0.5, 0.7, 1e-3, 1.0, 10.0, 0.1, 1.0).to_record())


def _unfinished(path: Path, steps: int = 3) -> Path:
    """A run with a config and some steps, and nothing final (so the metrics lines decide)."""
    run = RunFolder(path)
    run.create()
    TrainConfig(data="train.tsv", model="bert-tiny", output=str(path)).save(run.config_path)
    _metrics_lines(path, *(_step(s) for s in range(1, steps + 1)))
    return path


def _eval_metrics_not_a_dict(p: Path) -> None:
    _unfinished(p)
    _metrics_lines(p, json.dumps({"event": "eval", "step": 3, "metrics": "not a dict"}),
                   json.dumps({"event": "finished", "step": 3, "metrics": "not a dict"}))


def _metrics_not_utf8(p: Path) -> None:
    _unfinished(p)
    _metrics_lines(p, b'{"event": "step", "step": 4, "loss": 0.3, "note": "\xff\xfe caf\xe9"}\n', _step(5))


def _metrics_torn(p: Path) -> None:
    _unfinished(p)
    _metrics_lines(p, b'{"event": "step", "step": 4, "lo')


def _metrics_wrong_types(p: Path) -> None:
    _unfinished(p)
    _metrics_lines(
        p, "[1, 2, 3]", "42", '"a string"', "null", "{not json",
        json.dumps({"event": ["step"], "step": 4}),
        json.dumps({"event": "step", "step": "five", "loss": "low", "learning_rate": [1]}),
        json.dumps({"event": "step", "step": {"n": 6}, "loss": 0.2, "elapsed_s": "long"}),
        json.dumps({"event": "train_begin", "start_step": "2"}),
        json.dumps({"event": "eval", "step": 7, "metrics": {"eval_accuracy": "high", "eval_loss": None}}),
        json.dumps({"event": "eval", "step": 8, "metrics": [0.5]}),
        '{"event": "step", "step": 9, "loss": NaN, "learning_rate": Infinity}',
        json.dumps({"event": "finished", "step": "end", "metrics": 3}),
    )


def _metrics_binary(p: Path) -> None:
    p.mkdir()
    _write(p / "metrics.jsonl", bytes(range(256)) * 8)


def _metrics_is_a_folder(p: Path) -> None:
    RunFolder(p).create()
    TrainConfig(data="train.tsv", model="bert-tiny", output=str(p)).save(p / "config.json")
    (p / "metrics.jsonl").mkdir()


def _config_bad_json(p: Path) -> None:
    _unfinished(p)
    _write(p / "config.json", '{"task": "classification", "model": ')


def _config_list(p: Path) -> None:
    _unfinished(p)
    _write(p / "config.json", "[1, 2, 3]")


def _config_wrong_types(p: Path) -> None:
    _unfinished(p)
    _write(p / "config.json", json.dumps({"task": 5, "model": ["x"], "data": {"a": 1}, "output": None}))


def _config_not_utf8(p: Path) -> None:
    _unfinished(p)
    _write(p / "config.json", b'{"task": "classification", "model": "bert-\xff"}')


def _empty_files(p: Path) -> None:
    p.mkdir()
    for name in ("config.json", "metrics.jsonl", "summary.json", "process.json"):
        _write(p / name, b"")


def _summary_list(p: Path) -> None:
    write_run(p)
    _write(p / "summary.json", "[]")


def _summary_wrong_types(p: Path) -> None:
    write_run(p)
    _write(p / "summary.json", json.dumps({
        "status": 3, "steps": "many", "train_runtime_s": "long", "eval_accuracy": "high",
        "eval_loss": [0.1], "task": ["x"], "model": {"m": 1},
    }))


def _summary_not_utf8(p: Path) -> None:
    write_run(p)
    _write(p / "summary.json", b'{"status": "fin\xe9shed"}')


def _process_wrong_types(p: Path) -> None:
    _unfinished(p)
    _write(p / "process.json", json.dumps({"pid": "abc", "started": [1], "command": 5}))


def _process_not_utf8(p: Path) -> None:
    _unfinished(p)
    _write(p / "process.json", b'{"pid": 1, "started": 0, "command": ["\xff"]}')
    _write(p / "process.log", b"workbench train: error: \xff\xfe bad bytes\n")


def _model_config_bad(p: Path) -> None:
    write_run(p)
    (p / "model").mkdir()
    _write(p / "model" / "config.json", b'{"model_type": "bert", \xff')
    _write(p / "model" / "model.safetensors", b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    (p / "checkpoints" / "latest").write_bytes(b"\xff\xfe../../etc")


# folder name -> how it is broken
BROKEN = {
    "eval-metrics-not-a-dict": _eval_metrics_not_a_dict,
    "metrics-not-utf8": _metrics_not_utf8,
    "metrics-torn-last-line": _metrics_torn,
    "metrics-wrong-types": _metrics_wrong_types,
    "metrics-binary": _metrics_binary,
    "metrics-is-a-folder": _metrics_is_a_folder,
    "config-bad-json": _config_bad_json,
    "config-a-list": _config_list,
    "config-wrong-types": _config_wrong_types,
    "config-not-utf8": _config_not_utf8,
    "empty-files": _empty_files,
    "summary-a-list": _summary_list,
    "summary-wrong-types": _summary_wrong_types,
    "summary-not-utf8": _summary_not_utf8,
    "process-wrong-types": _process_wrong_types,
    "process-not-utf8": _process_not_utf8,
    "model-config-bad": _model_config_bad,
}


def build_workspace(root: Path, names: tuple[str, ...] | None = None) -> Path:
    """``root`` filled with the two good runs and the broken folders ``names`` (all by default)."""
    root.mkdir(parents=True, exist_ok=True)
    write_run(root / GOOD[0], accuracy=0.75)
    write_run(root / GOOD[1], accuracy=0.5)
    for name in names if names is not None else tuple(BROKEN):
        BROKEN[name](root / name)
    return root
