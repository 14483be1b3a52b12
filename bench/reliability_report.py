"""Reliability figures (issue 7): bad data, exact resume, kills during save, corrupt and hostile files, faults.

    python bench/reliability_report.py --json            # full sweeps (a few minutes on 2 cores)
    python bench/reliability_report.py --json --quick    # smaller sweeps (about a minute)

Prints one JSON line (with --json) holding, among others:

- ``bad_inputs_tried``: the tests/data/bad corpus plus generated inputs (random bytes,
  random CSV dialects with quoted newlines, random JSON lines), each read with every
  format choice and built for every task; ``uncaught_exceptions`` counts anything but a
  ``DatasetError``, ``errors_without_file`` a ``DatasetError`` that does not name the file,
  ``csv_round_trip_failures`` generated CSV that did not read back unchanged;
- ``resume_scenarios`` / ``resume_max_param_diff``: stopped-and-resumed runs vs uninterrupted;
- ``kills_during_save`` / ``corrupt_latest``: SIGKILLs of a process writing checkpoints;
- ``corrupt_checkpoints_tried`` / ``corrupt_refused_with_fallback``;
- ``hostile_files`` / ``hostile_loads`` / ``code_executions``;
- ``nan_stop_steps_late``, ``cancel_steps_late``, ``oom_readable``, ``enospc_partial_files``.

The scenarios are the ones the tests run (tests/reliability_kit.py), repeated more often.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import errno
import io
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import reliability_kit as kit  # noqa: E402  (sets the offline environment too)

# --- 1. bad data ---------------------------------------------------------------------------


def _read_everything(path: Path, figures: dict[str, Any]) -> None:
    """Every format choice, every task: only DatasetError naming the file may come out."""
    from workbench.engine.data import FORMATS, read_table
    from workbench.engine.errors import DatasetError
    from workbench.engine.task_data import build_examples
    from workbench.engine.tasks.registry import TASKS

    figures["bad_inputs_tried"] += 1
    for fmt in (None, *FORMATS):
        figures["reader_calls"] += 1
        try:
            table = read_table(path, fmt)
        except DatasetError as exc:
            figures["errors_without_file"] += exc.path != path
            continue
        except Exception as exc:  # noqa: BLE001 - the figure being measured
            figures["uncaught_exceptions"] += 1
            figures["uncaught_examples"].append(f"{path.name} [{fmt}]: {type(exc).__name__}: {exc}"[:200])
            continue
        for task in TASKS:
            try:
                build_examples(table, task)
            except DatasetError as exc:
                figures["errors_without_file"] += exc.path != path
            except Exception as exc:  # noqa: BLE001
                figures["uncaught_exceptions"] += 1
                figures["uncaught_examples"].append(f"{path.name} [{fmt}/{task}]: {type(exc).__name__}: {exc}"[:200])


def _random_csv(rng: random.Random, path: Path) -> list[list[str]]:
    alphabet = 'abc xyz,;|\t"\n\u00e9\u4e2d0123'
    ncols = rng.randint(2, 4)
    delimiter = rng.choice([",", ";", "\t", "|"])
    header = [f"col{i}" for i in range(ncols)]
    rows = [["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(ncols)]
            for _ in range(rng.randint(1, 8))]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]),
                        quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return [header, *rows, [delimiter]]


def _random_json_lines(rng: random.Random) -> str:
    values = [None, True, 1, -3, 2.5, float("nan"), "x", "", [1, "a"], {"k": 1}, "pos", "neg"]
    lines = []
    for i in range(rng.randint(1, 10)):
        if rng.random() < 0.1:
            lines.append(rng.choice(["{broken", "[1, 2]", '"just a string"', ""]))
            continue
        record = {"text": rng.choice([f"t{i}", None, 5, ""]), "label": rng.choice(values),
                  "tokens": rng.choice([["a", "b"], "a b", None]), "tags": rng.choice([["O", "B-x"], ["O"], 3])}
        lines.append(json.dumps({k: v for k, v in record.items() if rng.random() < 0.9}))
    return "\n".join(lines)


def bad_data(workdir: Path, generated: int, figures: dict[str, Any]) -> None:
    from workbench.engine.data import read_table

    figures.update(bad_inputs_tried=0, reader_calls=0, uncaught_exceptions=0, errors_without_file=0,
                   csv_round_trip_failures=0, uncaught_examples=[])
    corpus = sorted(p for p in (REPO / "tests" / "data" / "bad").rglob("*") if p.is_file())
    figures["bad_corpus_files"] = len(corpus)
    for path in corpus:
        _read_everything(path, figures)
    rng = random.Random(0)
    folder = workdir / "generated"
    folder.mkdir()
    suffixes = [".csv", ".tsv", ".jsonl", ".txt", ".conll", ".conllu", ".json", ".dat"]
    for i in range(generated):
        kind = i % 4
        path = folder / f"g{i}{rng.choice(suffixes)}"
        if kind == 0:  # random bytes
            path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randint(0, 400))))
        elif kind == 1:  # structural characters
            text = "".join(rng.choice(',;\t|"{}[]:\n\r #-.0123456789abcOB\u00e9\u4e2d') for _ in range(300))
            path.write_bytes((b"\xef\xbb\xbf" if rng.random() < 0.3 else b"") + text.encode("utf-8"))
        elif kind == 2:  # a valid CSV in a random dialect: must read back unchanged
            path = path.with_suffix(".csv")
            header, *rows, (delimiter,) = _random_csv(rng, path)
            try:
                table = read_table(path, delimiter=delimiter)
                if table.columns != header or [[r[c] for c in header] for r in table.rows] != rows:
                    figures["csv_round_trip_failures"] += 1
            except Exception:  # noqa: BLE001
                figures["csv_round_trip_failures"] += 1
        else:  # random JSON lines, some broken
            path = path.with_suffix(".jsonl")
            path.write_text(_random_json_lines(rng), encoding="utf-8")
        _read_everything(path, figures)
    figures["uncaught_examples"] = figures["uncaught_examples"][:5]


# --- 2. exact resume -----------------------------------------------------------------------


def resume(workdir: Path, figures: dict[str, Any]) -> None:
    outcomes = [kit.resume_scenario(name, make, stop, workdir)
                for name, (make, stop) in kit.resume_scenarios(workdir).items()]
    figures["resume_scenarios"] = len(outcomes)
    figures["resume_max_param_diff"] = max(o.max_param_diff for o in outcomes)
    figures["resume_losses_identical"] = sum(o.losses_equal for o in outcomes)
    figures["resume_sample_order_identical"] = sum(o.order_equal for o in outcomes)


# --- 3. kills and full disks -----------------------------------------------------------------


def kills(workdir: Path, n: int, figures: dict[str, Any]) -> None:
    report = kit.kill_during_save(workdir / "killed-run", n, seed=1, load_every=10)
    figures.update(
        kills_during_save=report.kills, corrupt_latest=report.corrupt_latest,
        latest_moved_aside_then_restored=report.dangling_latest, unrecoverable_after_kill=report.unrecoverable,
        leftovers_after_cleanup=report.leftovers_after_clean, saves_completed_between_kills=report.saves_completed,
        kills_that_left_partial_files=report.killed_mid_write,
    )


def full_disk(workdir: Path, figures: dict[str, Any]) -> None:
    import safetensors.torch

    from workbench.engine.training.faults import DiskError

    folder = workdir / "full-disk" / "checkpoints"
    parts = kit.tiny_checkpoint_parts()
    kit.save_step(folder, 1, parts)
    real = safetensors.torch.save_file

    def half_then_enospc(tensors: Any, filename: str, *args: Any, **kwargs: Any) -> None:
        Path(filename).write_bytes(b"\x00" * 100)
        raise OSError(errno.ENOSPC, "No space left on device", filename)

    safetensors.torch.save_file = half_then_enospc
    try:
        kit.save_step(folder, 2, parts)
        figures["enospc_clear_message"] = False
    except DiskError as exc:
        figures["enospc_clear_message"] = "disk is full" in str(exc) and str(folder) in str(exc)
    finally:
        safetensors.torch.save_file = real
    figures["enospc_partial_files"] = sum(1 for p in folder.iterdir() if p.name not in ("latest", "step-0000001"))


# --- 4. corrupt checkpoints -------------------------------------------------------------------


def corrupt(workdir: Path, figures: dict[str, Any]) -> None:
    from workbench.engine.training.checkpoint_checks import CorruptCheckpoint
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    base = kit.stopped_run(workdir / "corrupt-base")
    tried = refused = 0
    for kind, damage in kit.CORRUPTIONS.items():
        run = workdir / f"corrupt-{kind}"
        shutil.copytree(base, run)
        config = TrainConfig.load(run / "config.json")
        config.output = str(run)
        damage(run / "checkpoints" / "step-0000006")
        tried += 1
        try:
            list(Trainer(config, resume_from=run).run())
        except CorruptCheckpoint as exc:
            refused += exc.fallback is not None and exc.fallback.name == "step-0000004" and "--checkpoint" in str(exc)
    figures["corrupt_checkpoints_tried"] = tried
    figures["corrupt_refused_with_fallback"] = refused


# --- 5. hostile files -------------------------------------------------------------------------


def hostile(workdir: Path, figures: dict[str, Any]) -> None:
    from workbench.engine.errors import WorkbenchError
    from workbench.engine.inference import Predictor
    from workbench.engine.models.loading import load_pretrained, resolve_spec
    from workbench.engine.training.trainer import Trainer

    train, dev = kit.sst2_slice(workdir / "hostile-data")
    loads = refused = executions = 0
    for kind in kit.HOSTILE_KINDS:
        sentinel = workdir / f"{kind}.sentinel"
        folder = kit.make_hostile(kind, workdir / f"hostile-{kind}", sentinel)
        run = kit.hostile_run_folder(kind, workdir / f"hostile-run-{kind}", sentinel,
                                     kit.tiny_classifier(train, dev, workdir / "unused"))
        for load in (
            # Defaults bind this iteration's folder and run (each is called before the next).
            lambda folder=folder: load_pretrained(resolve_spec(str(folder)), "classification", ["a", "b"]),
            lambda folder=folder: Predictor.load(str(folder)),
            lambda run=run: list(Trainer(kit.tiny_classifier(train, dev, run), resume_from=run).run()),
        ):
            loads += 1
            with contextlib.suppress(Exception):
                try:
                    load()
                except WorkbenchError:
                    refused += 1
        executions += sentinel.exists()
    figures.update(hostile_files=len(kit.HOSTILE_KINDS), hostile_loads=loads, hostile_refused_readably=refused,
                   code_executions=executions)


# --- 6. training faults -----------------------------------------------------------------------


def faults(workdir: Path, figures: dict[str, Any], nan_steps: list[int], cancel_steps: list[int]) -> None:
    import torch

    from workbench.engine.training.control import TrainControl
    from workbench.engine.training.events import StepLogged, TrainCancelled, TrainFailed
    from workbench.engine.training.faults import OutOfMemory
    from workbench.engine.training.trainer import Trainer

    train, dev = kit.sst2_slice(workdir / "faults-data")
    late = []
    for k in nan_steps:  # a NaN loss at step k (from a forward hook, as in transformers' tests)
        trainer = Trainer(kit.tiny_classifier(train, dev, workdir / f"nan-{k}", max_steps=k + 6, eval_every=2))
        calls = {"n": 0}

        def poison(module: Any, args: Any, output: Any, k: int = k, calls: dict = calls) -> Any:
            calls["n"] += module.training
            if module.training and calls["n"] == k:
                output.loss = output.loss * float("nan")
            return output

        events = []
        for event in trainer.run():
            events.append(event)
            if type(event).__name__ == "TrainBegin":
                trainer.model.register_forward_hook(poison)
        failed = events[-1]
        late.append(failed.step - k if isinstance(failed, TrainFailed) and f"step {failed.step}" in failed.message
                    else 10**6)
    figures["nan_stop_steps_late"] = max(late)

    late = []
    for k in cancel_steps:  # a stop from another thread, as the GUI sends it
        control = TrainControl()
        events = []
        for event in Trainer(kit.tiny_classifier(train, dev, workdir / f"cancel-{k}", max_steps=k + 20)).run(control):
            events.append(event)
            if isinstance(event, StepLogged) and event.step == k:
                thread = threading.Thread(target=control.request_stop)
                thread.start()
                thread.join()
        late.append(events[-1].step - k if isinstance(events[-1], TrainCancelled) else 10**6)
    figures["cancel_steps_late"] = max(late)

    trainer = Trainer(kit.tiny_classifier(train, dev, workdir / "oom", max_steps=8))

    def oom(module: Any, args: Any, output: Any) -> Any:
        if module.training:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return output

    try:
        for event in trainer.run():
            if type(event).__name__ == "TrainBegin":
                trainer.model.register_forward_hook(oom)
        figures["oom_readable"] = False
    except OutOfMemory as exc:
        figures["oom_readable"] = "smaller batch size" in str(exc) and "shorter max length" in str(exc)


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--quick", action="store_true", help="smaller sweeps (about a minute)")
    parser.add_argument("--kills", type=int, help="SIGKILLs during save (default 120; 20 with --quick)")
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {"quick": args.quick}
    timings: dict[str, float] = {}
    kill_count = args.kills or (20 if args.quick else 120)
    generated = 80 if args.quick else 400
    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp:
        workdir = Path(tmp)
        steps = [
            ("bad_data", lambda: bad_data(workdir, generated, figures)),
            ("resume", lambda: resume(workdir / "resume", figures)),
            ("kills", lambda: kills(workdir, kill_count, figures)),
            ("full_disk", lambda: full_disk(workdir, figures)),
            ("corrupt", lambda: corrupt(workdir, figures)),
            ("hostile", lambda: hostile(workdir, figures)),
            ("faults", lambda: faults(workdir, figures, [2, 5] if args.quick else [1, 3, 5, 9],
                                      [3] if args.quick else [1, 4, 7, 11])),
        ]
        (workdir / "resume").mkdir()
        for name, run in steps:
            start = time.perf_counter()
            run()
            timings[name] = round(time.perf_counter() - start, 1)
            if not args.json:
                print(f"{name}: done in {timings[name]} s", file=sys.stderr)
    figures["seconds"] = timings
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
