"""Run engine work off the main thread and bring results back as queued signals.

Modelled on superqt's workers, by composition: a ``Worker`` (QObject) lives in
its own ``QThread`` and runs a plain callable. If the callable returns a
generator, each yielded item is emitted as ``event`` (the engine's events);
otherwise its return value is emitted as ``returned``. Exceptions become a
readable message on ``errored``: the project's own errors as they are, anything
else as "Unexpected error: ..." with the traceback kept for the log.

Rules this module keeps for the GUI:
- nothing but drawing runs on the main thread;
- every worker is owned by a ``TaskRunner``: one task at a time per owner
  (Orange's rule), and starting a new task cancels the old one;
- ``TaskRunner.shutdown()`` waits for the thread, so no test or exit leaves a
  QThread running.
"""

from __future__ import annotations

import inspect
import logging
import sys
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.engine.background import lower_cpu_priority
from workbench.engine.errors import WorkbenchError
from workbench.gui.i18n import translate

log = logging.getLogger(__name__)
# Every worker ever started, weakly: tests check that none is left running.
_LIVE: weakref.WeakSet[Worker] = weakref.WeakSet()


# transformers replaces its module object with a lazy one at the end of its
# __init__; a second thread importing from it in that window gets
# "cannot import name 'AutoTokenizer'". So the first worker imports the heavy
# libraries under a lock and every other worker waits for that to finish.
_IMPORT_LOCK = threading.Lock()
_HEAVY_READY = threading.Event()


def ensure_heavy_imports() -> None:
    """Import torch and transformers (and their lazily loaded core) once, in one thread."""
    if _HEAVY_READY.is_set():
        return
    with _IMPORT_LOCK:
        if _HEAVY_READY.is_set():
            return
        import gc

        import torch  # noqa: F401

        # The engine and BERT's modelling code too (the demo, the BERT presets and MiniLM):
        # imported later, by the first training run, their objects would land in the
        # collector's young generations all at once, and collecting them (main thread) took
        # up to 150 ms, a visible stall at the start of a run.
        import transformers.models.bert.modeling_bert  # noqa: F401
        from transformers import AutoConfig, AutoModel, AutoTokenizer, PreTrainedTokenizerFast  # noqa: F401

        import workbench.engine.inference  # noqa: F401
        import workbench.engine.training.trainer  # noqa: F401

        # The libraries' hundreds of thousands of objects live as long as the app: move them
        # out of the collector's sight, so a full collection (main thread) stays short.
        gc.freeze()
        _HEAVY_READY.set()


# How much lower a long background job (training) runs than the main thread; 10 of
# Linux's 0..19 niceness: about a tenth of the CPU weight when both want a core.
BACKGROUND_NICENESS = 10


def yield_cpu_to_the_gui() -> None:
    """Lower the calling worker thread's CPU priority, for a job that runs for minutes.

    Training keeps every core busy (torch's threads spin while they wait for each
    other), so without this the main thread queues behind them for tens of ms
    and the window stutters. On Linux niceness is per thread and the threads torch
    starts from this one inherit it; elsewhere Qt's thread priority is the lever.
    The thread keeps the whole CPU when the GUI is idle.
    """
    if sys.platform.startswith("linux"):
        if not lower_cpu_priority(threading.get_native_id(), BACKGROUND_NICENESS):
            log.debug("could not lower the worker's priority: the GUI is only less smooth")
    else:
        QThread.currentThread().setPriority(QThread.Priority.LowPriority)


def running_workers() -> list[Worker]:
    """Workers whose thread is still running (a test fixture asserts this is empty)."""
    out = []
    for worker in list(_LIVE):
        try:
            if worker.thread.isRunning():
                out.append(worker)
        except RuntimeError:  # the C++ side is already deleted: not running
            continue
    return out


def readable_error(exc: BaseException) -> str:
    """The message a user sees for an exception raised by engine work.

    The project's own errors stay English (the CLI prints the same text); the
    GUI's wording around others is translated (QCoreApplication.translate is
    thread-safe, and this runs in the worker thread).
    """
    if isinstance(exc, WorkbenchError):
        return str(exc)
    from workbench.engine.training.faults import (
        is_out_of_memory,  # torch.OutOfMemoryError by type too
    )

    if is_out_of_memory(exc):
        return translate(
            "Worker",
            "Out of memory. Try a smaller batch size or a shorter maximum length, "
            "or freeze some layers.",
        )
    return translate("Worker", "Unexpected error: {kind}: {message}").format(
        kind=type(exc).__name__, message=exc
    )


class Worker(QObject):
    """Runs ``fn(*args, **kwargs)`` in its own thread when ``start()`` is called.

    Every signal carries the worker itself first, so one receiver can serve
    several workers and tell a superseded one's results apart.
    """

    event = Signal(object, object)  # (worker, item a generator yielded)
    returned = Signal(object, object)  # (worker, return value of a plain callable)
    errored = Signal(object, str)  # (worker, readable message)
    finished = Signal(object)  # (worker,) always, last

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._abort = False
        self.traceback: str | None = None
        self.thread = QThread()
        self.thread.setObjectName(getattr(fn, "__name__", "worker"))
        self.moveToThread(self.thread)
        self.thread.started.connect(self._run)

    def start(self) -> None:
        _LIVE.add(self)
        self.thread.start()

    def quit(self) -> None:
        """Ask a generator to stop at its next yield (a plain callable runs to the end)."""
        self._abort = True

    @property
    def aborted(self) -> bool:
        return self._abort

    @Slot()
    def _run(self) -> None:
        try:
            ensure_heavy_imports()
            result = self._fn(*self._args, **self._kwargs)
            if inspect.isgenerator(result):
                for item in result:
                    if self._abort:
                        result.close()
                        break
                    self.event.emit(self, item)
            elif not self._abort:
                self.returned.emit(self, result)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user
            self.traceback = traceback.format_exc()
            if not isinstance(exc, WorkbenchError):
                log.error("worker %s failed:\n%s", self.thread.objectName(), self.traceback)
            if not self._abort:
                self.errored.emit(self, readable_error(exc))
        finally:
            self.finished.emit(self)
            self.thread.quit()


class TaskRunner(QObject):
    """One task at a time for one owner; a new task supersedes the running one.

    ``run(fn, ..., on_result=..., on_error=..., on_event=...)`` starts ``fn`` in
    a worker thread. The worker's signals are received by this object's slots,
    which live on the main thread, so the callbacks always run there (even
    lambdas). Results of a superseded task are dropped: the newest request wins.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current: Worker | None = None
        self._callbacks: dict[Worker, dict[str, Callable[..., None] | None]] = {}
        self._all: list[Worker] = []

    @property
    def busy(self) -> bool:
        return self._current is not None

    @property
    def current(self) -> Worker | None:
        return self._current

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_event: Callable[[Any], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Worker:
        self.cancel()
        worker = Worker(fn, *args, **kwargs)
        self._callbacks[worker] = {
            "result": on_result, "error": on_error, "event": on_event, "finished": on_finished,
        }
        worker.returned.connect(self._on_returned)
        worker.errored.connect(self._on_errored)
        worker.event.connect(self._on_event)
        worker.finished.connect(self._on_finished)
        self._current = worker
        self._all.append(worker)
        self.busy_changed.emit(True)
        worker.start()
        return worker

    def cancel(self) -> None:
        """Drop the running task's results; a generator stops at its next yield."""
        worker = self._current
        if worker is None:
            return
        worker.quit()
        self._current = None
        self.busy_changed.emit(False)

    def _callback(self, worker: Worker, kind: str) -> Callable[..., None] | None:
        if worker is not self._current:
            return None  # superseded or cancelled: its results are stale
        return self._callbacks.get(worker, {}).get(kind)

    @Slot(object, object)
    def _on_event(self, worker: Worker, item: Any) -> None:
        callback = self._callback(worker, "event")
        if callback:
            callback(item)

    @Slot(object, object)
    def _on_returned(self, worker: Worker, value: Any) -> None:
        callback = self._callback(worker, "result")
        if callback:
            callback(value)

    @Slot(object, str)
    def _on_errored(self, worker: Worker, message: str) -> None:
        callback = self._callback(worker, "error")
        if callback:
            callback(message)

    @Slot(object)
    def _on_finished(self, worker: Worker) -> None:
        worker.thread.wait()
        callback = self._callback(worker, "finished")
        if worker is self._current:
            self._current = None
            self.busy_changed.emit(False)
        self._callbacks.pop(worker, None)
        if worker in self._all:
            self._all.remove(worker)
        worker.deleteLater()
        worker.thread.deleteLater()
        if callback:
            callback()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel and wait for every thread of this runner; True if all ended."""
        self.cancel()
        ok = True
        for worker in list(self._all):
            ok = worker.thread.wait(timeout_ms) and ok
        return ok
