"""One line: account, like budget and reset time, queue progress, auto-like."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from likes_tui.api.errors import clock_text as duration_text
from likes_tui.store.state import QueueCounts

if TYPE_CHECKING:
    from likes_tui.api.models import RateLimit


def clock_text(seconds: float) -> str:
    """Rounded up: a countdown never shows 0:00 while it is still waiting."""
    return duration_text(seconds + 0.999)


DAILY_SHOWN_BELOW = 200
"""The daily cap (1,000 likes) is worth a place on the line only when it is getting close."""


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    account: reactive[str] = reactive("")
    like_limit: reactive[RateLimit | None] = reactive(None)
    daily_limit: reactive[RateLimit | None] = reactive(None)
    counts: reactive[QueueCounts] = reactive(QueueCounts())
    waiting_until: reactive[float | None] = reactive(None)
    waiting_reason: reactive[str] = reactive("")
    paused: reactive[str] = reactive("")
    other_sender: reactive[int | None] = reactive(None)
    """The pid (0 if unknown) of another likes-tui sending this account's queue."""
    auto_like: reactive[bool] = reactive(False)
    tick: reactive[int] = reactive(0)

    def __init__(self, clock: Callable[[], float] = time.time, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.clock = clock

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        if self.waiting_until is not None or self.counts.pending:
            self.tick += 1

    def render(self) -> Text:
        now = self.clock()
        text = Text()
        text.append(self.account or "not signed in", style="bold")
        limit = self.like_limit
        if limit is not None:
            if limit.reset_at > now:
                text.append(f"  │ likes {limit.remaining}/{limit.limit}")
                text.append(f" · reset {clock_text(limit.reset_at - now)}", style="dim")
            else:
                text.append(f"  │ likes {limit.limit}/{limit.limit}")
        else:
            text.append("  │ like budget unknown until the first like", style="dim")
        daily = self.daily_limit
        if daily is not None and daily.reset_at > now and daily.remaining < DAILY_SHOWN_BELOW:
            style = "bold yellow" if daily.remaining <= 0 else "dim"
            text.append(f" · {daily.remaining} left today", style=style)
        c = self.counts
        if c.total:
            text.append(f"  │ queue {c.done} done · {c.pending} pending")
            if c.failed:
                text.append(f" · {c.failed} failed", style="bold red")
            if c.pending:
                from likes_tui.queue.sender import eta_seconds

                eta = eta_seconds(c.pending, limit, now, daily=daily)
                text.append(f" · ETA {clock_text(eta)}", style="dim")
        if self.paused:
            text.append(f"  │ paused: {self.paused}", style="bold yellow")
        elif self.other_sender is not None:
            who = f" (pid {self.other_sender})" if self.other_sender else ""
            text.append(f"  │ being sent by another likes-tui{who}", style="yellow")
        elif self.waiting_until is not None and self.waiting_until > now:
            from likes_tui.queue.sender import DAILY_CAP

            why = "daily cap reached: " if self.waiting_reason == DAILY_CAP else ""
            wait = clock_text(self.waiting_until - now)
            text.append(f"  │ {why}next send in {wait}", style="yellow")
        if self.auto_like:
            text.append("  │ auto-like on", style="bold green")
        return text
