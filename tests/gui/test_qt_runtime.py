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
