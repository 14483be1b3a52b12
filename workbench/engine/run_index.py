"""Every run folder under a workspace: discovery, status, config diffs, following a live run.

Qt-free helpers for the runs panel and for following a run that trains in
another process:

- ``scan_workspace(root)`` finds run folders (a ``config.json``, ``metrics.jsonl``
  or ``process.json`` in a folder) and describes each as a ``RunInfo``: status,
  task, model, data, final metrics, duration, start time.
- ``run_status`` infers the state: ``running`` while its process lives (or, with no
  ``process.json``, an older version's run, while ``metrics.jsonl`` keeps growing), else what the run said
  last (``finished``, ``cancelled``, ``failed``, ``early_stopped``, ``time_limit``),
  or ``crashed`` when it ended without a final event.
- ``MetricsTail`` reads ``metrics.jsonl`` incrementally (only the bytes added since
  the last call, never a torn last line); ``event_from_record`` turns each record
  back into the engine event it was written from.
- ``diff_configs``, ``archive_run``, ``delete_run``.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from workbench.engine import background
from workbench.engine.background import PROCESS_FILE, process_alive, read_process
from workbench.engine.errors import CheckpointError
from workbench.engine.export import META_FILE as EXPORT_META_FILE
from workbench.engine.run_status import ENDED as ENDED_STATUSES
from workbench.engine.run_status import RunStatus
from workbench.engine.runs import (
    CHECKPOINTS_DIR,
    CONFIG_FILE,
    METRICS_FILE,
    MODEL_DIR,
    SUMMARY_FILE,
    JsonLines,
    load_run_config,
    parse_json_lines,
    read_json_object,
)
from workbench.engine.training import events as ev

ARCHIVE_DIR = ".archive"
# Run statuses are defined once, in run_status.RunStatus; RunInfo carries them as plain
# strings (they end up in Qt models). ENDED: as written by the trainer (summary.json
# "status" and the last event).
ENDED = tuple(status.value for status in ENDED_STATUSES)
RUNNING = RunStatus.RUNNING.value
CRASHED = RunStatus.CRASHED.value  # no final event, and nothing trains it any more
FAILED = RunStatus.FAILED.value
NOT_STARTED = RunStatus.NOT_STARTED.value  # a config.json only
# A run without process.json (written by an older version: every training process records
# itself there now) counts as running while its metrics.jsonl changed this recently.
RECENT_S = 120.0
# How far back from the end of metrics.jsonl to look for the last event and evaluation.
_TAIL_BYTES = 64 * 1024
# How much of the unread end of metrics.jsonl to scan for a newline: a record is far
# smaller, so a longer run without one is a torn line, never a record still coming.
_TORN_SCAN_BYTES = 1024 * 1024
# Folders that are parts of a run, never runs themselves.
_NOT_RUNS = {CHECKPOINTS_DIR, MODEL_DIR, ARCHIVE_DIR}

_EVENTS: dict[str, type[ev.Event]] = {
    cls.kind: cls
    for cls in (ev.TrainBegin, ev.StepLogged, ev.EvalDone, ev.CheckpointSaved, ev.Paused, ev.Resumed,
                ev.TrainFinished, ev.TrainCancelled, ev.TrainFailed, ev.Status)
}


def event_from_record(record: dict[str, Any]) -> ev.Event | None:
    """The event a ``metrics.jsonl`` line was written from (``Event.to_record``), or None.

    Unknown kinds and records missing a field are skipped (a newer or older writer);
    extra keys are ignored.
    """
    cls = _EVENTS.get(str(record.get("event")))
    if cls is None:
        return None
    names = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in record.items() if k in names})
    except TypeError:
        return None


class MetricsTail:
    """Follows a growing ``metrics.jsonl``: each ``read`` returns only the complete new records.

    The writer appends a line per event; a line still being written (no newline
    yet) is left for the next call. A file that shrank (replaced by a new run) is
    read again from the start.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.offset = 0

    def read(self, max_bytes: int | None = None) -> list[dict[str, Any]]:
        try:
            size = self.path.stat().st_size
            if size < self.offset:
                self.offset = 0
            if size == self.offset:
                return []
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                data = handle.read(size - self.offset if max_bytes is None else min(max_bytes, size - self.offset))
        except OSError:  # gone, or a folder in its place: nothing to follow
            return []
        end = data.rfind(b"\n")
        if end < 0:
            if max_bytes is not None and len(data) >= max_bytes:
                # One line longer than the cap: take it whole rather than stall forever.
                return self.read(None)
            return []
        self.offset += end + 1
        return parse_json_lines(data[: end + 1]).records  # a damaged line: the rest of the log still counts

    @property
    def at_end(self) -> bool:
        """No complete record is left to read (a torn last line does not count as unread data:
        a process that died mid-write never finishes it, and waiting for it never ends)."""
        return not self._unread(_TORN_SCAN_BYTES).count(b"\n")

    def leftover(self) -> bytes:
        """The bytes after the last complete record: a line still being written, or torn by a crash."""
        data = self._unread(_TORN_SCAN_BYTES)
        return data if b"\n" not in data else b""

    def _unread(self, max_bytes: int) -> bytes:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return b""
        if size <= self.offset:
            return b""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                return handle.read(min(size - self.offset, max_bytes))
        except OSError:
            return b""


@dataclass
class RunInfo:
    """One run folder as the runs panel lists it."""

    path: str
    name: str
    status: str
    task: str = ""
    model: str = ""
    data: str = ""
    metrics: dict[str, float] = field(default_factory=dict)  # final (or latest) eval_* figures
    duration_s: float | None = None  # training time, or time since the start while running
    started: float | None = None  # epoch seconds
    steps: int = 0
    pid: int | None = None
    has_model: bool = False  # model/ holds a final model
    has_checkpoint: bool = False
    problem: str = ""  # why the folder could not be read fully


def tail_records(metrics_path: Path, max_bytes: int = _TAIL_BYTES) -> list[dict[str, Any]]:
    """The complete records among the last ``max_bytes`` of ``metrics.jsonl`` (oldest first)."""
    return _tail_lines(metrics_path, max_bytes).records


def _tail_lines(metrics_path: Path, max_bytes: int = _TAIL_BYTES) -> JsonLines:
    try:
        with open(metrics_path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(size - max_bytes, 0))
            data = handle.read()
    except FileNotFoundError:
        return JsonLines([])
    except OSError as exc:  # a folder in its place, no permission
        return JsonLines([], error=f"cannot be read ({exc.strerror or exc})")
    if size > max_bytes:
        data = data[data.find(b"\n") + 1:]  # the first line is cut
    return parse_json_lines(data)


def is_run_folder(path: Path) -> bool:
    return any((path / name).is_file() for name in (CONFIG_FILE, METRICS_FILE, PROCESS_FILE)) and (
        path.name not in _NOT_RUNS
    ) and not (path / EXPORT_META_FILE).is_file()  # an ONNX export has a config.json too


def run_status(path: str | Path, records: list[dict[str, Any]] | None = None) -> str:
    """The state of one run folder (see the module docstring)."""
    path = Path(path)
    info = read_process(path)
    if info is not None and process_alive(info):
        return RUNNING
    metrics_path = path / METRICS_FILE
    records = tail_records(metrics_path) if records is None else records
    last = next((r for r in reversed(records)
                 if r.get("event") in ("finished", "cancelled", "failed", "train_begin")), None)
    if last is not None and last["event"] == "train_begin":
        last = None  # a resumed run: the final event of an earlier attempt is not its end
    summary = read_json_object(path / SUMMARY_FILE)[0] or {}
    if last is not None:
        if last["event"] == "finished":
            status = str(summary.get("status") or RunStatus.FINISHED.value)
            return status if status in ENDED else RunStatus.FINISHED.value
        return str(last["event"])
    if not metrics_path.is_file():
        if info is None:
            return NOT_STARTED
        # The process ended before its first event: a refused setting says why in its log.
        return FAILED if background.failure_message(path) else CRASHED
    if info is None or not background.same_host(info):  # no pid to ask: judge by the writes
        try:
            if time.time() - metrics_path.stat().st_mtime < RECENT_S:
                return RUNNING
        except OSError:
            pass
    return FAILED if info is not None and background.failure_message(path) else CRASHED


def describe_run(path: str | Path) -> RunInfo:
    """Read one run folder's config, summary, process and the tail of its metrics.

    Never raises for what is in the files: a damaged or foreign file leaves its fields
    empty, and ``problem`` says which file and what is wrong with it.
    """
    path = Path(path)
    config, config_problem = read_json_object(path / CONFIG_FILE)
    summary, summary_problem = read_json_object(path / SUMMARY_FILE)
    config, summary = config or {}, summary or {}
    lines = _tail_lines(path / METRICS_FILE)
    records = lines.records
    process = read_process(path)
    info = RunInfo(
        path=str(path), name=path.name, status=run_status(path, records),
        task=_text(summary.get("task"), config.get("task")),
        model=_text(summary.get("model"), config.get("model")),
        data=_text(summary.get("data"), config.get("data")),
        pid=process.pid if process else None,
        has_model=(path / MODEL_DIR / "config.json").is_file(),
        has_checkpoint=(path / CHECKPOINTS_DIR / "latest").is_file(),
    )
    problems = [
        config_problem or ("" if (path / CONFIG_FILE).exists() else f"{path / CONFIG_FILE}: missing"),
        _mistyped(path / CONFIG_FILE, config), summary_problem or "", _mistyped(path / SUMMARY_FILE, summary),
        lines.problem(path / METRICS_FILE) or "", _process_problem(path, process),
    ]
    if info.status == FAILED and not records:
        problems.insert(0, background.failure_message(path) or "")
    info.problem = "; ".join(p for p in problems if p)
    source = summary if _eval_figures(summary) else next(
        (r.get("metrics") for r in reversed(records) if r.get("event") == "eval" and _eval_figures(r.get("metrics"))),
        {},
    )
    info.metrics = _eval_figures(source)
    steps = [r for r in records if r.get("event") == "step" and _number(r.get("step")) is not None]
    last_step = steps[-1] if steps else {}
    info.steps = int(_number(summary.get("steps")) or _number(last_step.get("step")) or 0)
    info.started = process.started if process else _first_record_time(path / METRICS_FILE)
    if info.status == RUNNING and info.started is not None:
        info.duration_s = max(time.time() - info.started, 0.0)
    else:
        info.duration_s = _number(summary.get("train_runtime_s"))
        if info.duration_s is None:
            info.duration_s = _number(last_step.get("elapsed_s"))
    return info


def _number(value: Any) -> float | None:
    """A finite JSON number (not a bool), else None: a hand-edited field is no figure."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _text(*values: Any) -> str:
    """The first non-empty string among ``values`` (a list or a number where a name belongs is skipped)."""
    return next((v for v in values if isinstance(v, str) and v), "")


def _eval_figures(source: Any) -> dict[str, float]:
    """The numeric ``eval_*`` entries of a summary or an eval record's metrics; {} for anything else."""
    if not isinstance(source, dict):
        return {}
    return {k: v for k, v in ((k, _number(v)) for k, v in source.items() if k.startswith("eval_")) if v is not None}


# The fields describe_run shows, and what each must be to be shown.
_TEXT_FIELDS = ("task", "model", "data", "status")
_NUMBER_FIELDS = ("steps", "train_runtime_s")


def _mistyped(path: Path, data: dict[str, Any]) -> str:
    """Which of the shown fields of a config or summary hold the wrong kind of value (left blank)."""
    bad = [k for k in _TEXT_FIELDS if data.get(k) is not None and not isinstance(data[k], str)]
    bad += [k for k in _NUMBER_FIELDS if data.get(k) is not None and _number(data[k]) is None]
    return f"{path}: {', '.join(bad)} not of the expected type (ignored)" if bad else ""


def _process_problem(path: Path, process: background.ProcessInfo | None) -> str:
    if process is not None:
        return ""
    _data, problem = read_json_object(path / PROCESS_FILE)
    if problem is None and (path / PROCESS_FILE).exists():
        problem = f"{path / PROCESS_FILE}: does not name a process (pid, start time, command)"
    return problem or ""


def _first_record_time(metrics_path: Path) -> float | None:
    """When a run began writing: its metrics file's creation (or the config's) time."""
    for path in (metrics_path, metrics_path.with_name(CONFIG_FILE)):
        try:
            stat = path.stat()
        except OSError:
            continue
        return float(getattr(stat, "st_birthtime", 0) or min(stat.st_mtime, stat.st_ctime))
    return None


def find_runs(root: str | Path, max_depth: int = 3) -> list[Path]:
    """Run folders under ``root`` (itself included), at most ``max_depth`` levels down.

    Hidden folders (``.archive``) and the parts of a run (``checkpoints/``, ``model/``)
    are not searched. Runs inside a run folder are listed too: older versions let a
    run folder be the workspace, and a run nobody sees is a run somebody deletes.
    """
    root = Path(root)
    if not root.is_dir():
        raise CheckpointError(f"{root}: not a folder. Choose the workspace folder that holds your runs.")
    found: list[Path] = []

    def walk(folder: Path, depth: int) -> None:
        if is_run_folder(folder):
            found.append(folder)
        if depth >= max_depth:
            return
        try:
            children = sorted(p for p in folder.iterdir() if p.is_dir())
        except OSError:
            return
        for child in children:
            if not child.name.startswith(".") and child.name not in _NOT_RUNS:
                walk(child, depth + 1)

    walk(root, 0)
    return found


def scan_workspace(root: str | Path) -> list[RunInfo]:
    """Every run under ``root`` described (worker thread: reads a few files per run).

    One malformed run folder is listed with its problem; it never hides the others.
    """
    out = []
    for path in find_runs(root):
        try:
            out.append(describe_run(path))
        except Exception as exc:  # noqa: BLE001 - a hand-edited or half-written folder is data
            out.append(RunInfo(path=str(path), name=path.name, status=CRASHED,
                               problem=f"cannot be read ({type(exc).__name__}: {exc})"))
    return out


def runs_inside(folder: str | Path) -> list[Path]:
    """The run folders strictly inside ``folder`` (what deleting or moving it would take along)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [p for p in find_runs(folder, max_depth=8) if p != folder]


def enclosing_run(folder: str | Path) -> Path | None:
    """The run folder that ``folder`` is, or lies inside (a model/ or checkpoint too), else None."""
    path = Path(folder).resolve()
    for candidate in (path, *path.parents):
        # A checkpoint (checkpoints/step-N) holds a config.json too: it belongs to its run.
        if candidate.parent.name != CHECKPOINTS_DIR and is_run_folder(candidate):
            return candidate
    return None


def workspace_problem(folder: str | Path) -> str | None:
    """Why ``folder`` cannot be the workspace, or None when it can.

    A run folder (or a folder inside one) as the workspace would put new runs inside
    that run, where deleting the run deletes them too; a folder the user cannot write
    to would fail at the first Start.
    """
    path = Path(folder).expanduser()
    run = enclosing_run(path)
    if run is not None:
        where = "is a run folder" if run == path.resolve() else f"is inside the run folder {run}"
        return (f"{path} {where}. New runs would be written inside that run, and deleting or "
                f"archiving it would take them along. Choose the folder that holds your runs, "
                f"for example {run.parent}.")
    probe = path if path.exists() else next((p for p in path.parents if p.exists()), None)
    if probe is None or not probe.is_dir() or not _can_make_folder_in(probe):
        return f"{path}: you cannot write to this folder, so no run could be saved there. Choose another one."
    return None


def _can_make_folder_in(folder: Path) -> bool:
    """Try it: permission bits say yes to root in /proc, where nothing can be made."""
    import tempfile

    try:
        Path(tempfile.mkdtemp(prefix=".workbench-probe-", dir=folder)).rmdir()
    except OSError:
        return False
    return True


def _refuse_enclosing(run_dir: Path, workspace: Path | None, action: str) -> None:
    """Refuse to move or delete more than the one run the user sees."""
    if workspace is not None and workspace.exists():
        ws, run = workspace.resolve(), run_dir.resolve()
        if run == ws or run in ws.parents:
            raise CheckpointError(f"{run_dir}: this is the workspace folder (or holds it), so it cannot be "
                                  f"{action}d from here. Choose another workspace first.")
    nested = runs_inside(run_dir)
    if nested:
        names = ", ".join(str(p.relative_to(run_dir)) for p in nested[:5])
        more = f" and {len(nested) - 5} more" if len(nested) > 5 else ""
        raise CheckpointError(f"{run_dir}: holds {len(nested)} other run(s) ({names}{more}), which would be "
                              f"{action}d with it. {action.capitalize()} those first; nothing was changed.")


def flatten(config: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def diff_configs(a: dict[str, Any], b: dict[str, Any], *, ignore: tuple[str, ...] = ("output",)
                 ) -> list[tuple[str, Any, Any]]:
    """The settings two configs disagree on, as (key, value in a, value in b), sorted by key.

    Nested dicts (an old config's ``extra``) are compared key by key ("extra.note"); a key one config
    lacks shows as None there. ``output`` differs between any two runs, so it is left out.
    """
    fa, fb = flatten(a), flatten(b)
    return [
        (key, fa.get(key), fb.get(key))
        for key in sorted(set(fa) | set(fb))
        if key not in ignore and fa.get(key) != fb.get(key)
    ]


def read_config(run_dir: str | Path) -> dict[str, Any]:
    """The run's config.json, or a CheckpointError (there is no config to compare)."""
    return load_run_config(run_dir)


def _refuse_live(run_dir: Path, action: str) -> None:
    if run_status(run_dir) == RUNNING:
        raise CheckpointError(f"{run_dir}: still running; stop it before you {action} it.")


def archive_run(run_dir: str | Path, workspace: str | Path) -> Path:
    """Move a run into ``WORKSPACE/.archive/`` (out of the list, kept on disk). Returns its new place."""
    run_dir, workspace = Path(run_dir), Path(workspace)
    _refuse_live(run_dir, "archive")
    _refuse_enclosing(run_dir, workspace, "archive")
    archive = workspace / ARCHIVE_DIR
    archive.mkdir(parents=True, exist_ok=True)
    target = archive / run_dir.name
    n = 1
    while target.exists():  # two runs of the same name archived: keep both
        n += 1
        target = archive / f"{run_dir.name}-{n}"
    shutil.move(str(run_dir), str(target))
    return target


def delete_run(run_dir: str | Path, workspace: str | Path | None = None) -> None:
    """Remove a run folder and everything in it (checkpoints, model): never the workspace, never
    a folder that holds other runs."""
    run_dir = Path(run_dir)
    _refuse_live(run_dir, "delete")
    if not is_run_folder(run_dir):
        raise CheckpointError(f"{run_dir}: not a run folder; nothing was deleted.")
    _refuse_enclosing(run_dir, Path(workspace) if workspace is not None else None, "delete")
    shutil.rmtree(run_dir)


def model_spec(run_dir: str | Path) -> str | None:
    """What to load for prediction from a run: the run (its intact final ``model/``), else its
    newest intact checkpoint; None when it has nothing to load. The rule is run_weights.py's,
    the same one ``Predictor.load(run_dir)`` follows."""
    from workbench.engine.errors import ModelError
    from workbench.engine.models.run_weights import choose_weights

    run_dir = Path(run_dir)
    try:
        chosen = choose_weights(run_dir)
    except ModelError:
        return None
    if chosen is None:
        return None
    return str(chosen.folder) if chosen.from_checkpoint else str(run_dir)
