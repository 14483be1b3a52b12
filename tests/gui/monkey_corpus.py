"""The files the monkey test opens: one good data set, malformed data files, half-written run folders.

``build_corpus(root, workspace)`` writes them and returns a ``Corpus``. The good data set is
what training runs use (the first SST-2 rows, else the built-in demo); everything else is
damaged the ways real files are: wrong encodings, ragged rows, empty and binary files, JSON
lines with wrong types, run folders whose writer died (torn ``metrics.jsonl``), whose config
is not JSON, whose model is missing, whose process record lies. The run folders go into the
workspace (the runs panel scans them at start) under names starting with ``CORPUS_PREFIX``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from workbench.gui.app import DEMO_DATASET

CORPUS_PREFIX = "corpus-"
_GOOD_ROWS = 300


@dataclass
class Corpus:
    good_data: Path  # a clean labelled CSV (sentence,label) the tiny training runs use
    data_files: list[Path] = field(default_factory=list)  # malformed data files
    run_folders: list[Path] = field(default_factory=list)  # half-written run folders (in the workspace)
    other_folders: list[Path] = field(default_factory=list)  # folders that are not runs at all

    def all_files(self) -> list[Path]:
        return [self.good_data, *self.data_files]


def _good_rows(shared_data: Path | None) -> list[tuple[str, str]]:
    """(sentence, label) pairs: SST-2's first rows where the shared data is, else the demo set."""
    if shared_data is not None and (shared_data / "sst2" / "train.tsv").is_file():
        lines = (shared_data / "sst2" / "train.tsv").read_text(encoding="utf-8").splitlines()[1: _GOOD_ROWS + 1]
        return [(text.strip(), "pos" if label == "1" else "neg")
                for text, label in (line.rsplit("\t", 1) for line in lines)]
    import csv

    with open(DEMO_DATASET, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return [(row[0], row[1]) for row in rows[1:] if len(row) >= 2]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _write_data_files(folder: Path, rows: list[tuple[str, str]]) -> list[Path]:
    out: list[tuple[str, bytes]] = []
    body = "".join(f"{_csv_cell(t)},{y}\n" for t, y in rows[:60])
    out.append(("latin1.csv", ("sentence,label\n" + body + "café crème,pos\nnaïve façade,neg\n").encode("latin-1",
                                                                                                   "replace")))
    out.append(("utf16.csv", ("sentence,label\n" + body).encode("utf-16")))
    out.append(("mixed_bytes.csv", b"sentence,label\n" + body.encode() + b"bad \xff\xfe byte,pos\n\x80\x81,neg\n"))
    ragged = "sentence,label\n" + "".join(
        f"{_csv_cell(t)}{',' * (i % 4)}{y if i % 3 else ''}\n" for i, (t, y) in enumerate(rows[:60]))
    out.append(("ragged.csv", ragged.encode()))
    out.append(("empty.csv", b""))
    out.append(("header_only.csv", b"sentence,label\n"))
    out.append(("one_column.csv", ("sentence\n" + "".join(f"{_csv_cell(t)}\n" for t, _ in rows[:40])).encode()))
    out.append(("binary.csv", bytes((i * 37 + 11) % 256 for i in range(20_000))))
    out.append(("binary.jsonl", b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 40))
    out.append(("unclosed_quote.csv", b'sentence,label\n"never closed,pos\nnext,neg\n' + body.encode()))
    out.append(("huge_cell.csv", ("sentence,label\n" + _csv_cell("word " * 200_000) + ",pos\nshort,neg\n").encode()))
    wide = ",".join(f"c{i}" for i in range(800)) + ",label\n" + "".join(
        ",".join(str((r * 7 + c) % 10) for c in range(800)) + ",pos\n" for r in range(30))
    out.append(("wide.csv", wide.encode()))
    typed = [
        {"text": 12345, "label": "pos"}, {"text": None, "label": "neg"}, {"text": ["a", "list"], "label": 1},
        {"text": {"nested": "dict"}, "label": [1, 2]}, {"text": "fine", "label": {"no": "scalar"}},
        {"text": "only text"}, {"label": "only label"}, [1, 2, 3], "a bare string", 3.14, None, True,
    ]
    out.append(("wrong_types.jsonl", "".join(json.dumps(r) + "\n" for r in typed * 5).encode()))
    out.append(("torn.jsonl", ("".join(json.dumps({"text": t, "label": y}) + "\n" for t, y in rows[:40])
                               + '{"text": "cut off in the mid').encode()))
    out.append(("not_json.jsonl", b"this is not json\n{also not\n]\n"))
    out.append(("tabs_in.tsv", ("text\tlabel\textra\n" + "".join(
        f"{t}\t{y}\t{'x' * (i % 5)}\t\t\n" for i, (t, y) in enumerate(rows[:50]))).encode()))
    out.append(("bad.conll", b"EU B-ORG\nrejects\nGerman B-MISC extra cols here\n\n\n-DOCSTART- -X- O\n\xff\xfe\n"))
    out.append(("bad.conllu", b"# sent_id = 1\n1\tThe\n2\tcat\tNOUN\n\nnot\ta\tnumber\n"))
    out.append(("junk.xlsx", b"PK\x03\x04 this is not a workbook" * 50))
    out.append(("junk.parquet", b"PAR1 garbage without a footer"))
    out.append(("emoji_labels.csv", ("sentence,label\n" + "".join(
        f"{_csv_cell(t)},{'😀' if i % 2 else 'مرحبا'}\n" for i, (t, _) in enumerate(rows[:60]))).encode()))
    out.append(("one_label.csv", ("sentence,label\n" + "".join(f"{_csv_cell(t)},pos\n" for t, _ in rows[:30])).encode()))
    out.append(("lines.txt", "\n\n".join(t for t, _ in rows[:30]).encode() + b"\n\xff\n"))
    paths = []
    for name, data in out:
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _config(good: Path, name: str, workspace: Path) -> dict:
    return {"data": str(good), "model": "bert-tiny", "task": "classification", "max_steps": 10,
            "batch_size": 8, "vocab_size": 2000, "output": str(workspace / name)}


def _records(steps: int, final: dict | None = None) -> str:
    lines = [{"event": "train_begin", "total_steps": 10, "num_train_examples": 100, "num_validation_examples": 20,
              "steps_per_epoch": 13, "device": "cpu"}]
    for step in range(1, steps + 1):
        lines.append({"event": "step", "step": step, "total_steps": 10, "epoch": step / 13, "loss": 0.7 - step / 100,
                      "learning_rate": 1e-4, "grad_norm": 1.0, "samples_per_second": 50.0, "elapsed_s": step * 0.1,
                      "eta_s": 1.0})
    if final is not None:
        lines.append(final)
    return "".join(json.dumps(r) + "\n" for r in lines)


def _write_run_folders(workspace: Path, good: Path) -> list[Path]:
    runs: dict[str, dict[str, bytes | str]] = {
        # The writer died mid-line: the last record never ends.
        "torn-metrics": {"config.json": json.dumps(_config(good, "x", workspace)),
                         "metrics.jsonl": _records(4) + '{"event": "step", "step": 5, "lo'},
        "bad-config": {"config.json": "{this is not json", "metrics.jsonl": _records(3)},
        "config-a-list": {"config.json": "[1, 2, 3]", "metrics.jsonl": _records(2)},
        "config-wrong-types": {"config.json": json.dumps({"data": 5, "model": ["x"], "max_steps": "ten",
                                                          "batch_size": None, "task": 7}),
                               "metrics.jsonl": _records(2)},
        "metrics-not-a-dict": {"config.json": json.dumps(_config(good, "m", workspace)),
                               "metrics.jsonl": _records(3) + json.dumps(
                                   {"event": "eval", "step": 3, "epoch": 0.2, "metrics": "not a dict"}) + "\n"},
        "metrics-wrong-types": {"config.json": json.dumps(_config(good, "w", workspace)),
                                "metrics.jsonl": "".join(json.dumps(r) + "\n" for r in [
                                    {"event": "step", "step": "one", "loss": "high", "total_steps": None},
                                    {"event": "eval", "step": None, "metrics": {"eval_loss": "nan?"}},
                                    {"event": "step", "step": 2, "loss": None, "epoch": [1]},
                                    [1, 2], "string", {"no_event": True}])},
        "non-utf8-metrics": {"config.json": json.dumps(_config(good, "u", workspace)),
                             "metrics.jsonl": _records(3).encode() + b'{"event": "step", "step": 4, "\xff\xfe": 1}\n'},
        "finished-missing-model": {"config.json": json.dumps(_config(good, "f", workspace)),
                                   "metrics.jsonl": _records(10, {"event": "finished", "step": 10, "summary": {}}),
                                   "summary.json": json.dumps({"status": "finished", "steps": 10,
                                                               "eval_accuracy": 0.5}),
                                   "model/config.json": "{}"},  # a model folder without weights
        "summary-junk": {"config.json": json.dumps(_config(good, "s", workspace)),
                         "metrics.jsonl": _records(2), "summary.json": b"\x00\x01 not json \xff"},
        "dangling-checkpoint": {"config.json": json.dumps(_config(good, "d", workspace)),
                                "metrics.jsonl": _records(5, {"event": "cancelled", "step": 5,
                                                              "checkpoint": "checkpoints/step-5"}),
                                "checkpoints/latest": "step-5"},  # names a checkpoint that is not there
        "dead-process": {"config.json": json.dumps(_config(good, "p", workspace)),
                         "process.json": json.dumps({"pid": 2 ** 22 + 17, "host": "elsewhere", "started": 1.0}),
                         "metrics.jsonl": _records(1)},
        "process-junk": {"process.json": "not json at all"},
        "config-only": {"config.json": json.dumps(_config(good, "c", workspace))},
        "empty-metrics": {"config.json": json.dumps(_config(good, "e", workspace)), "metrics.jsonl": ""},
    }
    folders = []
    for name, files in runs.items():
        folder = workspace / f"{CORPUS_PREFIX}{name}"
        for relative, content in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        _age(folder)
        folders.append(folder)
    return folders


def _age(folder: Path, seconds: float = 3600.0) -> None:
    """Date the folder's files an hour back: left by a run that died then, not one writing now
    (a metrics.jsonl written in the last two minutes, with no process record, reads as running)."""
    import os
    import time

    when = time.time() - seconds
    for path in [*folder.rglob("*"), folder]:
        os.utime(path, (when, when))


def build_corpus(root: Path, workspace: Path, shared_data: Path | None = None) -> Corpus:
    """Write the corpus: data files under ``root``, run folders in ``workspace``."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    workspace.mkdir(parents=True, exist_ok=True)
    rows = _good_rows(shared_data)
    good = data / "good.csv"
    good.write_text("sentence,label\n" + "".join(f"{_csv_cell(t)},{y}\n" for t, y in rows), encoding="utf-8")
    corpus = Corpus(good_data=good)
    corpus.data_files = _write_data_files(data, rows)
    corpus.run_folders = _write_run_folders(workspace, good)
    empty = root / "empty-folder"
    empty.mkdir(exist_ok=True)
    corpus.other_folders = [empty, data]
    return corpus
