"""Experiment tracking: the trainer's events, also sent to TensorBoard and MLflow.

The run folder (``metrics.jsonl``, ``config.json``, ``summary.json``) stays the
source of truth; a reporter is a copy for the tools people already use:

    workbench train ... --report-to tensorboard,mlflow
    tensorboard --logdir runs

Each reporter listens to the events the trainer writes to ``metrics.jsonl``
(``ReporterSet.send``) and works in its own thread, so a slow or unreachable
tracking server never stalls training. A reporter that fails (the MLflow server
is down, the disk is full) is switched off with one warning; the run goes on.
Only a process that writes the run folder reports (rank 0 under torchrun).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import queue
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from workbench.engine.errors import ConfigError
from workbench.engine.extras import MissingExtraError, require
from workbench.engine.training.events import (
    EvalDone,
    Event,
    StepLogged,
    TrainBegin,
    TrainCancelled,
    TrainFailed,
    TrainFinished,
)

log = logging.getLogger(__name__)

EXTRA = "tracking"
# Reporter name -> (the module it needs, what the install hint calls the feature).
_LIBRARIES = {
    "tensorboard": ("tensorboard", "Logging to TensorBoard"),
    "mlflow": ("mlflow", "Logging to MLflow"),
}
REPORTERS: tuple[str, ...] = tuple(_LIBRARIES)
# "none" turns reporting off (e.g. over a config file that turned it on).
_NONE = "none"
# How long the end of a run waits for a reporter to write what is queued (a local store
# needs milliseconds; a server that stopped answering is given up on).
_CLOSE_TIMEOUT_S = 30.0
# MLflow's metric and parameter names: letters, digits and _-./ and spaces.
_MLFLOW_KEY = re.compile(r"[^\w\-./ ]")
_MLFLOW_PARAM_CHARS = 500  # the shortest limit of the MLflow versions we accept


# ---- names ---------------------------------------------------------------------------


def parse_report_to(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"tensorboard,mlflow"`` (or a list of names) as a tuple of reporter names.

    ``"none"`` (or nothing) gives (); an unknown name is a ConfigError that lists the known ones.
    """
    if value is None:
        return ()
    parts = value.split(",") if isinstance(value, str) else list(value)
    names: list[str] = []
    for part in parts:
        name = str(part).strip().lower()
        if not name or name == _NONE:
            continue
        if name not in _LIBRARIES:
            raise ConfigError(
                f"report_to: unknown reporter {name!r}; choose from {', '.join(REPORTERS)} (or {_NONE})"
            )
        if name not in names:
            names.append(name)
    return tuple(names)


def report_to_problems(names: Iterable[str]) -> list[str]:
    """Unknown reporter names and missing libraries, as TrainConfig.problems words them."""
    out = []
    for name in names:
        if name not in _LIBRARIES:
            out.append(f"report_to: unknown reporter {name!r}; choose from {', '.join(REPORTERS)}")
            continue
        module, feature = _LIBRARIES[name]
        if not _installed(module):
            out.append(f"report_to: {MissingExtraError(feature, module, EXTRA)}")
    return out


def _installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it (validation runs on every edit)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken install
        return False


# ---- what is reported ----------------------------------------------------------------


def scalars(event: Event) -> dict[str, float]:
    """The numbers an event reports, under the names both tools show (``train/loss``, ``eval/accuracy``).

    Non-finite values (a grad norm with clipping off) are left out, as ``metrics.jsonl`` writes them as null.
    """
    if isinstance(event, StepLogged):
        values: dict[str, Any] = {
            "train/loss": event.loss,
            "train/learning_rate": event.learning_rate,
            "train/grad_norm": event.grad_norm,
            "train/samples_per_second": event.samples_per_second,
            "train/epoch": event.epoch,
        }
    elif isinstance(event, EvalDone):
        # Only the top-level numbers: per-label tables and reports stay in the run folder.
        # "eval_accuracy" is shown as eval/accuracy (the section already says eval).
        values = {f"eval/{name.removeprefix('eval_')}": value for name, value in event.metrics.items()}
    else:
        return {}
    return {
        key: float(value) for key, value in values.items()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    }  # fmt: skip


def event_step(event: Event) -> int:
    return int(getattr(event, "step", 0))


@dataclass(frozen=True)
class RunInfo:
    """What a reporter knows of the run besides its events."""

    folder: Path
    config: dict[str, Any]  # TrainConfig.to_dict()
    resuming: bool = False


# ---- the reporters -------------------------------------------------------------------


class Reporter:
    """One tracking tool. Methods run in the reporter's own thread; exceptions switch it off."""

    name = "reporter"
    label = "Reporter"  # the tool's name in warnings

    def __init__(self, info: RunInfo) -> None:
        self.info = info

    def start(self) -> None:
        """Open the tool's run (the first thing the thread does: it may wait on a server)."""

    def handle(self, event: Event) -> None:
        raise NotImplementedError

    def close(self, outcome: str) -> None:
        """Flush and end; ``outcome`` is "finished", "cancelled" or "failed"."""


class TensorBoardReporter(Reporter):
    """Event files in the run folder: ``tensorboard --logdir RUNS`` shows every run by its folder name."""

    name = "tensorboard"
    label = "TensorBoard"

    def __init__(self, info: RunInfo) -> None:
        super().__init__(info)
        self._writer: Any = None

    def handle(self, event: Event) -> None:
        if isinstance(event, TrainBegin) and self._writer is None:
            self._open(event.start_step)
        if self._writer is None:
            return
        step = event_step(event)
        for key, value in scalars(event).items():
            self._writer.add_scalar(key, value, global_step=step)
        if isinstance(event, EvalDone):
            self._writer.flush()  # a TensorBoard open beside the run shows each evaluation soon

    def _open(self, start_step: int) -> None:
        require("tensorboard", EXTRA, "Logging to TensorBoard")
        from torch.utils.tensorboard import SummaryWriter

        # A resumed run drops what the old process logged after its last checkpoint: those
        # steps are trained again (metrics.jsonl keeps both, TensorBoard would draw a zigzag).
        purge = start_step + 1 if start_step > 0 else None
        self._writer = SummaryWriter(log_dir=str(self.info.folder), purge_step=purge, flush_secs=10)
        text = json.dumps(self.info.config, indent=2, ensure_ascii=False)
        # Markdown: indented lines are shown as code, as the JSON file reads.
        self._writer.add_text("config", "\n".join("    " + line for line in text.splitlines()), global_step=start_step)

    def close(self, outcome: str) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def mlflow_tracking_uri(run_folder: Path) -> str:
    """``MLFLOW_TRACKING_URI`` when set, else a file store beside the runs (``RUNS/mlruns``)."""
    uri = os.environ.get("MLFLOW_TRACKING_URI", "").strip()
    return uri or (Path(run_folder).resolve().parent / "mlruns").as_uri()


def _is_file_store(uri: str) -> bool:
    scheme = urlparse(uri).scheme
    return scheme in ("", "file") or len(scheme) == 1  # a Windows drive letter reads as a scheme


class MlflowReporter(Reporter):
    """A run in an MLflow experiment (``MLFLOW_EXPERIMENT_NAME``, default "workbench"), named after the run folder."""

    name = "mlflow"
    label = "MLflow"
    _ENDINGS = {"finished": "FINISHED", "cancelled": "KILLED", "failed": "FAILED"}

    def __init__(self, info: RunInfo) -> None:
        super().__init__(info)
        self._client: Any = None
        self._run_id: str | None = None
        self._ended = False

    def start(self) -> None:
        require("mlflow", EXTRA, "Logging to MLflow")
        uri = mlflow_tracking_uri(self.info.folder)
        if _is_file_store(uri):
            # MLflow 3 refuses its file store unless asked; the default here is one on purpose
            # (no database or server to set up). A user's explicit "false" is kept.
            os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
        from mlflow.entities import Param
        from mlflow.tracking import MlflowClient

        self._client = MlflowClient(tracking_uri=uri)
        name = os.environ.get("MLFLOW_EXPERIMENT_NAME", "").strip() or "workbench"
        experiment = self._client.get_experiment_by_name(name)
        experiment_id = experiment.experiment_id if experiment else self._client.create_experiment(name)
        folder = str(Path(self.info.folder).resolve())
        self._run_id = self._resumed_run(experiment_id, folder) if self.info.resuming else None
        if self._run_id is not None:
            self._client.update_run(self._run_id, status="RUNNING")
            return  # its parameters were logged when it began (MLflow keeps them immutable)
        run = self._client.create_run(experiment_id, run_name=Path(folder).name, tags={
            "workbench.run_folder": folder,
            "workbench.task": str(self.info.config.get("task")),
            "workbench.model": str(self.info.config.get("model")),
        })  # fmt: skip
        self._run_id = run.info.run_id
        params = [Param(key, _param_text(value)) for key, value in sorted(self.info.config.items())]
        for i in range(0, len(params), 100):  # MLflow takes at most 100 parameters per batch
            self._client.log_batch(self._run_id, params=params[i : i + 100])

    def _resumed_run(self, experiment_id: str, folder: str) -> str | None:
        """The MLflow run this run folder reported to before it was stopped, if any."""
        quoted = folder.replace("\\", "\\\\").replace("'", "\\'")
        found = self._client.search_runs(
            [experiment_id], filter_string=f"tags.`workbench.run_folder` = '{quoted}'",
            max_results=1, order_by=["attributes.start_time DESC"],
        )
        return found[0].info.run_id if found else None

    def handle(self, event: Event) -> None:
        from mlflow.entities import Metric

        values = scalars(event)
        if values:
            now = int(time.time() * 1000)
            step = event_step(event)
            metrics = [Metric(_MLFLOW_KEY.sub("_", key), value, now, step) for key, value in values.items()]
            self._client.log_batch(self._run_id, metrics=metrics)

    def close(self, outcome: str) -> None:
        if self._client is not None and self._run_id is not None and not self._ended:
            self._ended = True
            self._client.set_terminated(self._run_id, status=self._ENDINGS.get(outcome, "FAILED"))


def _param_text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text[:_MLFLOW_PARAM_CHARS]


_CLASSES: dict[str, type[Reporter]] = {"tensorboard": TensorBoardReporter, "mlflow": MlflowReporter}


# ---- threads and failures ------------------------------------------------------------

_STOP = object()  # the queue's last item


def outcome_of(event: Event) -> str | None:
    """How a run ended, for the events that end one."""
    if isinstance(event, TrainFinished):
        return "finished"
    if isinstance(event, TrainCancelled):
        return "cancelled"
    if isinstance(event, TrainFailed):
        return "failed"
    return None


class _Channel:
    """One reporter fed through a queue by its own daemon thread; the first exception switches it off."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.failure: str | None = None  # set by the thread, read by the trainer's thread
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name=f"reporter-{reporter.name}", daemon=True)
        self._thread.start()

    def put(self, item: Any) -> None:
        if self.failure is None:
            self._queue.put(item)

    def stop(self, outcome: str, timeout: float) -> None:
        self._queue.put((_STOP, outcome))
        self._thread.join(timeout)
        if self._thread.is_alive() and self.failure is None:
            self.failure = f"it did not finish within {timeout:g} s (is the server reachable?)"

    def _work(self) -> None:
        try:
            self.reporter.start()
        except Exception as exc:  # noqa: BLE001 - any failure of a tracking tool must spare the run
            self._fail(exc)
        while True:
            item = self._queue.get()
            if isinstance(item, tuple) and item[0] is _STOP:
                if self.failure is None:
                    try:
                        self.reporter.close(item[1])
                    except Exception as exc:  # noqa: BLE001
                        self._fail(exc)
                return
            if self.failure is None:
                try:
                    self.reporter.handle(item)
                except Exception as exc:  # noqa: BLE001
                    self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.failure = f"{type(exc).__name__}: {exc}".strip()
        log.warning("%s reporting stopped: %s", self.reporter.label, self.failure)


class ReporterSet:
    """The reporters of one run. ``send`` every event written to metrics.jsonl, ``close`` at the end.

    Nothing starts before the first event (``TrainBegin``, after the run folder exists), so a
    run that fails while preparing leaves no trace in TensorBoard or MLflow either.
    """

    def __init__(self, names: Iterable[str], info: RunInfo | None) -> None:
        self.names = parse_report_to(names) if info is not None else ()
        self.info = info
        self._channels: list[_Channel] = []
        self._started = False
        self._closed = False
        self._warned: set[str] = set()

    def send(self, event: Event) -> None:
        if not self.names or self._closed:
            return
        if not self._started:
            self._started = True
            assert self.info is not None
            self._channels = [_Channel(_CLASSES[name](self.info)) for name in self.names]
        for channel in self._channels:
            channel.put(event)
        outcome = outcome_of(event)
        if outcome is not None:
            self.close(outcome)  # the run ended: flush now, so what follows reads complete files

    def close(self, outcome: str = "failed") -> None:
        """End every reporter's run (idempotent); waits a bounded time for what is queued."""
        if self._closed:
            return
        self._closed = True
        for channel in self._channels:
            channel.stop(outcome, _CLOSE_TIMEOUT_S)

    def take_warnings(self) -> list[str]:
        """One sentence per reporter that failed, each said once."""
        out = []
        for channel in self._channels:
            if channel.failure is not None and channel.reporter.name not in self._warned:
                self._warned.add(channel.reporter.name)
                out.append(
                    f"{channel.reporter.label} reporting stopped ({channel.failure}). The run goes on; "
                    "its run folder keeps every metric."
                )
        return out


def reporters_for_run(names: Iterable[str], folder: Path | None, config: dict[str, Any], *,
                      resuming: bool = False) -> ReporterSet:
    """The reporters ``names`` for a run writing ``folder``; none without a folder (torchrun's other ranks)."""
    return ReporterSet(names, RunInfo(Path(folder), config, resuming) if folder is not None else None)
