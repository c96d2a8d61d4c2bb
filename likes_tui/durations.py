"""Durations as people read a countdown (pure; used by error messages and the status line)."""

from __future__ import annotations


def clock_text(seconds: float) -> str:
    """m:ss, or h:mm:ss from an hour up."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def countdown(seconds: float) -> str:
    """Rounded up: a countdown never shows 0:00 while it is still waiting."""
    return clock_text(seconds + 0.999)
