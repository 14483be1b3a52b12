"""The desktop app (PySide6 + pyqtgraph). Talks to the engine, never the reverse."""

from __future__ import annotations
