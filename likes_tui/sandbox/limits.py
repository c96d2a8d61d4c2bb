"""Rate limits as X runs them: windows per user and endpoint that start on whole seconds, the
daily cap on likes, and the headers that report them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_LIMITS: dict[str, tuple[int, float]] = {
    "like": (50, 900.0),
    "unlike": (50, 900.0),
    "me": (75, 900.0),
    "lookup": (900, 900.0),
    "users": (900, 900.0),
    "liked": (75, 900.0),
    "liking_users": (75, 900.0),
}
DAILY_LIMITS: dict[str, tuple[int, float]] = {"like": (1000, 86400.0)}
"""X's per-account cap on top of the windows: 1,000 likes per 24 hours."""
DAILY_PREFIX = "x-user-limit-24hour"


@dataclass
class Window:
    start: float
    span: float
    count: int = 0


class Limits:
    """Mixed into XSandbox, whose state it reads (declared here for the type checker)."""

    clock: Callable[[], float]
    windows: dict[tuple[str, str], Window]

    def _window(self, user_id: str, key: str, span: float) -> Window:
        now = self.clock()
        window = self.windows.get((user_id, key))
        if window is None or now >= window.start + span:
            # Like X's, windows sit on whole seconds: the reset header is exact.
            window = Window(float(int(now)), span)
            self.windows[(user_id, key)] = window
        return window

    @staticmethod
    def _limit_headers(
        limit: int, remaining: int, window: Window, prefix: str = "x-rate-limit"
    ) -> dict[str, str]:
        return limit_headers(limit, remaining, window, prefix)


def limit_headers(
    limit: int, remaining: int, window: Window, prefix: str = "x-rate-limit"
) -> dict[str, str]:
    """The `<prefix>-limit`, `-remaining` and `-reset` headers X sends."""
    return {
        f"{prefix}-limit": str(limit),
        f"{prefix}-remaining": str(remaining),
        f"{prefix}-reset": str(int(window.start + window.span)),
    }
