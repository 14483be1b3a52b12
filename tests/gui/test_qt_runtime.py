"""Guards against Qt binding bugs that would crash a long session."""

from __future__ import annotations

import sys

import pytest


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_event_processing_keeps_none_alive(qapp) -> None:
    """PySide6 6.12.0 loses a reference to None per processEvents(); after ~10^5 calls the app aborts."""
    before = sys.getrefcount(None)
    for _ in range(2000):
        qapp.processEvents()
    assert sys.getrefcount(None) > before - 500


def test_garbage_is_collected_on_the_main_thread(qtbot, qapp) -> None:
    """Automatic collection is off (it would run in whichever thread allocates); the app's
    timer collects cycles on the main thread instead."""
    import gc
    import threading

    from workbench.gui.app import collect_garbage_on_main_thread

    collect_garbage_on_main_thread(qapp)
    assert not gc.isenabled()
    seen: list[str] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            seen.append(threading.current_thread().name)

    gc.collect()
    for _ in range(max(gc.get_threshold()[0] + 1, 1)):
        Cycle()  # unreachable cycles: only the collector frees them
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert set(seen) == {threading.main_thread().name}
