"""How long queued work takes at X's pace: a figure for people, from the rate limits X reported."""

from __future__ import annotations

import math

from likes_tui.api.models import RateLimit

DEFAULT_WINDOW = 900.0
"""X's window for likes, until a window's length has been seen."""
DAY = 86400.0


def documented(kind: str, now: float, *, daily: bool = False) -> RateLimit:
    """X's documented window (or daily cap) for `kind`, as if its first request were now:
    what an estimate assumes until X has reported the real one (plans.py)."""
    from likes_tui.plans import DAILY, DOCUMENTED

    limit = (DAILY if daily else DOCUMENTED)[kind]
    return RateLimit(limit.count, limit.count, now + limit.window)


def eta_seconds(
    pending: int,
    limit: RateLimit | None,
    now: float,
    *,
    daily: RateLimit | None = None,
    per_request: float = 0.3,
    window: float = DEFAULT_WINDOW,
) -> float:
    """How long `pending` actions take at the rate limit's pace (a rough figure for people).
    With the daily cap known, what it cannot take today waits for its reset (and further
    days, for more than a day's worth)."""
    if pending <= 0:
        return 0.0
    if daily is not None:
        today = max(0, daily.remaining) if daily.reset_at > now else daily.limit
        if pending > today:
            later = pending - today
            days = math.ceil(later / max(1, daily.limit)) - 1
            last = later - days * daily.limit
            start = max(0.0, daily.reset_at - now) + days * DAY
            fresh = RateLimit(limit.limit, limit.limit, window) if limit else None
            return start + eta_seconds(last, fresh, 0.0, per_request=per_request, window=window)
    if limit is None:
        return pending * per_request
    remaining = max(0, limit.remaining) if limit.reset_at > now else limit.limit
    if pending <= remaining:
        return pending * per_request
    windows = math.ceil((pending - remaining) / max(1, limit.limit))
    wait = max(0.0, limit.reset_at - now) + (windows - 1) * window
    return wait + pending * per_request
