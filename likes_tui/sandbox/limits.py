"""Rate limits as X runs them: windows per user and endpoint that start on whole seconds, the
daily cap on likes, and the headers that report them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from likes_tui.plans import DAILY, Limit, Plan, limits_for

DAILY_PREFIX = "x-user-limit-24hour"


def windows_for(plan: Plan) -> dict[str, tuple[int, float]]:
    """The sandbox's windows (count, seconds) by endpoint kind, as X runs them on `plan`."""
    return {kind: (lim.count, lim.window) for kind, lim in limits_for(plan).items()}


def daily_caps(caps: dict[str, Limit] = DAILY) -> dict[str, tuple[int, float]]:
    """X's per-account caps on top of the windows: 1,000 likes and 1,000 unlikes a day."""
    return {kind: (lim.count, lim.window) for kind, lim in caps.items()}


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
