"""Durations as people read a countdown (pure; used by error messages and the status line)."""

from __future__ import annotations


def clock_text(seconds: float) -> str:
    """m:ss, h:mm:ss from an hour up, and "2d 3:04:05" from a day up (a queue past the
    daily caps takes days)."""
    whole = max(0, int(seconds))
    days, whole = divmod(whole, 86400)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}:{minutes:02d}:{secs:02d}"
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def countdown(seconds: float) -> str:
    """Rounded up: a countdown never shows 0:00 while it is still waiting."""
    return clock_text(seconds + 0.999)
