"""What the status line and the progress bar show: one immutable value the service publishes.

Apart from the updates (core/status.py) because the status line draws it in the first frame,
before the service and its updates have loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from likes_tui.domain import Action, BatchProgress, HoldReason, WaitReason

if TYPE_CHECKING:
    from likes_tui.api.models import RateLimit
    from likes_tui.sending.pace import Pace


class Hold(NamedTuple):
    """The queue is not sending, and why (first in the status line). The two small parts
    of the view are named tuples: a dataclass costs start-up a compile of each method."""

    reason: HoldReason
    message: str


class Wait(NamedTuple):
    """The queue waits for a time (a window's reset, a retry) or for another process."""

    reason: WaitReason
    until: float
    holder: int | None = None
    """With OTHER_SENDER: the pid sending this account's queue, when known."""
    action: Action | None = None
    """With RATE_LIMIT and DAILY_CAP: whose limit ("like" or "unlike")."""


class Checking(NamedTuple):
    """`c` is reading this account's likes: how far it got, and when it reads again."""

    pages: int
    """Pages of 100 read so far (carried over from a stopped check)."""
    most: int
    """Pages this check reads at most."""
    found: int
    looking_for: int
    next_at: float | None = None
    """When the next page is read, while the check waits for X's window."""


@dataclass(frozen=True)
class QueueView:
    """Everything the status line and the progress bar show, in one value."""

    handle: str = ""
    """The account as people know it (@name); its id is AppContext.account."""
    unsent: int = 0
    failed: int = 0
    batch: BatchProgress = field(default_factory=BatchProgress)
    like_limit: RateLimit | None = None
    unlike_limit: RateLimit | None = None
    like_daily: RateLimit | None = None
    unlike_daily: RateLimit | None = None
    unsent_unlikes: int = 0
    """How many of `unsent` are unlikes."""
    window: float | None = None
    """The like window's length as X runs it, once seen (seconds)."""
    unlike_window: float | None = None
    hold: Hold | None = None
    wait: Wait | None = None
    auto_like: bool = False
    summary: str = ""
    """How the last batch ended ("60 liked, 2 failed"), until the next one starts."""
    spent_today: float = 0.0
    """What X billed this account's calls today (UTC), as the app's meter counted them."""
    spent_session: float = 0.0
    """... and since this app started."""
    check: Checking | None = None
    """While `c` runs."""
    pace: Pace | None = None
    """The person's pace and hours, when they set one (the ETA and the line count it)."""
