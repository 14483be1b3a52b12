"""Overlaying a long run keeps the worker's GIL holds short (issue 20): metrics.jsonl is parsed a
slice at a time straight into the curves' arrays, never as one decode, one split and one list of
every record, each of which held the GIL (and so froze the window) for 50-100 ms on 300,000 steps."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from workbench.engine import runs
from workbench.engine.runs import JsonLines, iter_json_lines, parse_json_lines
from workbench.gui.widgets.curves import read_run_history


def _messy_log(rng: random.Random, lines: int) -> bytes:
    """Records, Chinese text, bad JSON, lists, stray non-UTF-8 bytes, blank lines, and a torn end."""
    out = []
    for step in range(1, lines + 1):
        kind = rng.random()
        if kind < 0.8:
            out.append(json.dumps({"event": "step", "step": step, "loss": rng.random(), "note": "训练" * rng.randint(0, 40)},
                                  ensure_ascii=False).encode())
        elif kind < 0.85:
            out.append(b'{"event": "step", "step": ' + str(step).encode() + b', "loss": 0.5, "x": "\xff\xfe"}')
        elif kind < 0.9:
            out.append(b"[1, 2, 3]")
        elif kind < 0.95:
            out.append(b'{"event": "eval", "ste')
        else:
            out.append(b"")
    return b"\n".join(out) + b'\n{"event": "step", "step": 99'


def _summary(lines: JsonLines) -> tuple:
    return lines.records, lines.skipped, lines.replaced, lines.torn


@pytest.mark.parametrize("seed", [0, 1])
def test_sliced_parsing_reads_what_a_whole_file_parse_reads(seed: int, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data = _messy_log(random.Random(seed), 400)
    whole = parse_json_lines(data)  # the default slice is larger than this log: one slice
    assert whole.records and whole.skipped and whole.replaced and whole.torn
    path = tmp_path / "metrics.jsonl"
    path.write_bytes(data)
    monkeypatch.setattr(runs, "_SLICE_BYTES", 97)  # slices end mid-line, mid-character, mid-record
    assert _summary(parse_json_lines(data)) == _summary(whole)
    streamed = JsonLines([])
    streamed.records.extend(iter_json_lines(path, streamed))
    assert _summary(streamed) == _summary(whole)


def test_an_overlay_reads_its_log_a_slice_at_a_time_into_the_curves_arrays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = 3000
    run = tmp_path / "long-run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"model": "bert-tiny", "task": "classification"}))
    records = [{"event": "train_begin", "start_step": 0, "total_steps": steps}]
    for step in range(1, steps + 1):
        records.append({"event": "step", "step": step, "loss": 1.0 / step, "learning_rate": 1e-3 * (1 - step / steps)})
        if step % 100 == 0:
            records.append({"event": "eval", "step": step, "reason": "scheduled",
                            "metrics": {"eval_loss": 2.0 / step, "eval_accuracy": step / steps}})
    (run / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    slice_bytes = 4096
    monkeypatch.setattr(runs, "_SLICE_BYTES", slice_bytes)
    parsed: list[int] = []
    real_parse_slice = runs._parse_slice

    def recording_parse_slice(data: bytes, out: JsonLines, at_end: bool):
        parsed.append(len(data))
        return real_parse_slice(data, out, at_end)

    monkeypatch.setattr(runs, "_parse_slice", recording_parse_slice)
    # The whole log as a list of records is what an overlay must never build.
    monkeypatch.setattr(runs.RunFolder, "read_metrics", lambda self: pytest.fail("read every record at once"))
    history = read_run_history(run)

    longest_line = max(len(json.dumps(r)) + 1 for r in records)
    assert len(parsed) > 10 and max(parsed) <= slice_bytes + longest_line
    step_records = [r for r in records if r["event"] == "step"]
    assert history.steps.tolist() == [float(r["step"]) for r in step_records]
    assert np.array_equal(history.loss, [r["loss"] for r in step_records])
    assert np.array_equal(history.lr, [r["learning_rate"] for r in step_records])
    assert history.eval_steps.tolist() == [float(s) for s in range(100, steps + 1, 100)]
    assert np.array_equal(history.metric("eval_accuracy"), [s / steps for s in range(100, steps + 1, 100)])
    assert history.steps.dtype == np.float64 and history.steps.flags.writeable
