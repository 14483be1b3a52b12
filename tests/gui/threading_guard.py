"""A test guard: fail when a widget or a plot item is touched from a thread other than the main one.

Qt widgets and pyqtgraph items belong to the GUI thread; touching one from a worker
works most of the time and crashes or corrupts the display some other time, so a test
has to catch it every time. ``ThreadGuard`` installs a profile hook in every worker
thread (``workers.Worker`` threads and any ``threading.Thread``) that records

- a call of a Qt method (``c_call``) bound to a widget, a graphics item or scene, an item
  model or a text document: ``label.setText``, ``widget.update``, ``model.dataChanged``...
- a call of a Python method (``call``) from pyqtgraph or from ``workbench/gui`` whose
  ``self`` is such an object: ``PlotDataItem.setData``, ``ImageItem.setImage``, a panel's
  ``_update_...`` ...

The main thread is not profiled, so the guard costs nothing there; in a worker it adds
roughly a microsecond per Python call. Use the ``thread_guard`` fixture::

    from tests.gui.threading_guard import thread_guard  # noqa: F401  (the fixture)

    def test_flow(qtbot, thread_guard): ...   # fails at teardown on any off-thread touch
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

# Where Python-level GUI code lives: a method defined in these files with a guarded `self`.
_GUI_SOURCES = ("pyqtgraph", "/workbench/gui/", "\\workbench\\gui\\")
_MAX_RECORDED = 50


class ThreadGuard:
    """Records off-main-thread calls into Qt widgets and pyqtgraph items while installed."""

    def __init__(self) -> None:
        from PySide6.QtCore import QAbstractItemModel
        from PySide6.QtGui import QTextDocument, QWindow
        from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QLayout, QWidget

        # GUI-thread-only classes (pyqtgraph items are QGraphicsItems, its widgets QWidgets).
        self._guarded: tuple[type, ...] = (
            QWidget, QGraphicsItem, QGraphicsScene, QAbstractItemModel, QTextDocument, QLayout, QWindow,
        )  # fmt: skip
        self._main = threading.main_thread().ident
        self._lock = threading.Lock()
        self._gui_code: dict[Any, bool] = {}  # code object -> defined in GUI sources
        self.violations: list[str] = []
        self.calls_checked = 0  # calls seen in worker threads: proof that the hook ran
        self._saved_init: Any = None
        self._active = False

    # ---- install / uninstall ---------------------------------------------------------
    def install(self) -> None:
        from workbench.gui import workers

        # Import torch/transformers here, unprofiled: every worker does it first and
        # under a profile hook it would take several times as long.
        workers.ensure_heavy_imports()
        original = workers.Worker.__init__
        hook = self._hook

        @functools.wraps(original)
        def guarded_init(worker: Any, fn: Any, *args: Any, **kwargs: Any) -> None:
            @functools.wraps(fn)
            def profiled(*a: Any, **k: Any) -> Any:
                # Runs first in the worker thread; the hook stays for the thread's life,
                # so a generator's iteration (after fn returns) is profiled too.
                sys.setprofile(hook)
                return fn(*a, **k)

            original(worker, profiled, *args, **kwargs)

        # The work function is wrapped, not Worker._run: Worker connects thread.started to
        # its own method, and a replacement would lose the worker thread as its context.
        self._saved_init = original
        workers.Worker.__init__ = guarded_init  # type: ignore[method-assign]
        threading.setprofile(hook)
        self._active = True

    def uninstall(self) -> None:
        from workbench.gui import workers

        self._active = False  # a worker still running keeps its hook: make it a no-op
        threading.setprofile(None)  # type: ignore[arg-type]
        if self._saved_init is not None:
            workers.Worker.__init__ = self._saved_init  # type: ignore[method-assign]
            self._saved_init = None

    # ---- results ---------------------------------------------------------------------
    def take(self) -> list[str]:
        """The violations recorded so far, which are then forgotten (for a test that expects some)."""
        with self._lock:
            found, self.violations = self.violations, []
        return found

    def assert_clean(self) -> None:
        found = self.take()
        assert not found, (
            f"{len(found)} call(s) into Qt widgets or pyqtgraph items from a worker thread "
            "(move them to a slot on the main thread):\n  " + "\n  ".join(found)
        )

    # ---- the hook --------------------------------------------------------------------
    def _hook(self, frame: FrameType, event: str, arg: Any) -> None:
        if not self._active:
            return
        if event == "c_call":
            self.calls_checked += 1
            owner = getattr(arg, "__self__", None)
            if owner is not None and isinstance(owner, self._guarded):
                self._record(f"{type(owner).__name__}.{getattr(arg, '__name__', '?')}", frame)
        elif event == "call":
            self.calls_checked += 1
            code = frame.f_code
            gui = self._gui_code.get(code)
            if gui is None:
                gui = self._gui_code[code] = (
                    code.co_argcount > 0
                    and code.co_varnames[0] == "self"
                    and any(part in code.co_filename for part in _GUI_SOURCES)
                )
            if gui:
                owner = frame.f_locals.get("self")  # only for GUI code: f_locals is not free
                if isinstance(owner, self._guarded):
                    self._record(f"{type(owner).__name__}.{code.co_name}", frame.f_back)

    def _record(self, what: str, frame: FrameType | None) -> None:
        if threading.get_ident() == self._main:
            return
        where = f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "?"
        entry = f"{what} from thread {threading.current_thread().name!r} at {where}"
        with self._lock:
            if len(self.violations) < _MAX_RECORDED:
                self.violations.append(entry)


@pytest.fixture
def thread_guard(qapp) -> Iterator[ThreadGuard]:  # noqa: ANN001 - pytest-qt's QApplication
    """Fails the test (at teardown) if a worker thread touched a widget or a plot item."""
    guard = ThreadGuard()
    guard.install()
    try:
        yield guard
    finally:
        guard.uninstall()
    guard.assert_clean()
