"""The QApplication, for the whole app (``start.py``) and for each panel run on its own.

``create_app`` makes it once (names, language, main-thread garbage collection);
``exec_panel`` is every panel's ``python -m`` entry point. It sits below the panels and
the main window and imports neither, so they can all use it without an import cycle.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from workbench.resources import resource_path

# The built-in demo: a small sentiment data set written for the project (installed with the package).
DEMO_DATASET = resource_path("demo", "reviews.csv")


def create_app(argv: Sequence[str] = ()) -> object:
    from PySide6.QtWidgets import QApplication

    from workbench.gui.settings import APPLICATION, ORGANIZATION

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Transformer Workbench")
    from workbench.gui.i18n import install_language, system_language
    from workbench.gui.settings import Settings

    install_language(Settings().language() or system_language())
    collect_garbage_on_main_thread(app)
    switch_threads_quickly()
    return app


# How long a thread may keep the interpreter lock while another waits for it (Python's default: 5 ms).
_SWITCH_INTERVAL_S = 0.0005


def switch_threads_quickly() -> None:
    """Let the GUI thread take the interpreter lock back from a busy worker within 0.5 ms, not 5.

    Qt calls into Python for every method a Python class overrides: a header sizing a table
    whose model is ours asks it for hundreds of sections, and each call must take the lock
    back. While a worker ran the slice bootstrap (many short numpy calls), each wait was up to
    the 5 ms switch interval: the monkey test measured 8-12 s frozen windows (py-spy: the main
    thread in Shiboken's GilState::acquire under QHeaderView::sectionSizeFromContents). A 60x8
    Python table repainted in 30-60 ms beside such a worker, 11-18 ms with 0.5 ms, 5 ms idle.
    What it costs a training worker (bench/switch_interval.py, MiniLM, 2 cores): 0.98x the
    steps/s, inside the run-to-run spread of about ±4 %.
    """
    sys.setswitchinterval(_SWITCH_INTERVAL_S)


_FULL_COLLECTION_EVERY_S = 60.0


def collect_garbage_on_main_thread(app: Any, interval_ms: int = 100) -> None:
    """Run Python's cyclic garbage collector on the GUI thread only, from a timer.

    Automatic collection runs in whichever thread happens to allocate. When that is a
    worker and the garbage holds Qt objects made on the main thread, their destructors
    run in the worker and can deadlock against the main thread (Qt's object mutex in one
    thread, the GIL in the other: it hung a GUI test). pyqtgraph's GarbageCollector
    does the same. Idempotent: the app keeps one collector. Every 100 ms: a young
    generation's pause grows with what was allocated since the last tick (at 500 ms a
    busy worker left up to 200,000 objects, an 80 ms pause).
    """
    import gc
    import time

    from PySide6.QtCore import QTimer

    if getattr(app, "_workbench_gc_timer", None) is not None:
        return
    gc.disable()

    last_full = [time.monotonic()]

    def collect() -> None:
        # The oldest generation past its threshold, as automatic collection does, but a
        # full collection (tens to hundreds of ms with torch loaded: a visible stall) at
        # most once a minute; CPython has a similar brake on full collections.
        counts, limits = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > limits[generation]:
                if generation == 2:
                    if time.monotonic() - last_full[0] < _FULL_COLLECTION_EVERY_S:
                        continue
                    last_full[0] = time.monotonic()
                gc.collect(generation)
                break

    timer = QTimer(app)
    timer.setObjectName("main-thread garbage collector")
    timer.timeout.connect(collect)
    timer.start(interval_ms)
    app._workbench_gc_timer = timer


def exec_panel(panel: Any, title: str, size: tuple[int, int] = (1100, 750)) -> int:
    """Show one panel on its own (each panel's ``python -m`` entry point), then shut it down."""
    from PySide6.QtWidgets import QApplication

    panel.setWindowTitle(f"{title} — Transformer Workbench")
    panel.resize(*size)
    panel.show()
    code = int(QApplication.instance().exec())  # type: ignore[union-attr]
    panel.shutdown()
    return code
