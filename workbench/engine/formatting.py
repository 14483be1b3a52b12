"""Plain-text formatting shared by the command line and the app (no Qt here)."""

from __future__ import annotations


def format_duration(seconds: float) -> str:
    """``seconds`` as ``MM:SS``, or ``H:MM:SS`` from an hour up; negative counts as zero."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
