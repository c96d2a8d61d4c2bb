"""The domain's small vocabulary, shared by every layer (pure: imports nothing of ours)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    LIKE = "like"
    UNLIKE = "unlike"

    @property
    def liked(self) -> bool:
        """The state X has once this action went through."""
        return self is Action.LIKE


class ResumeAnswer(StrEnum):
    """What the person answers about last run's unsent work."""

    RESUME = "resume"
    LATER = "later"
    DISCARD = "discard"


class RowStatus(StrEnum):
    LOOKING = "looking"
    READY = "ready"
    MISSING = "missing"
    """X says the post is deleted or protected."""
    ERROR = "error"


class QueueStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    """What queueing one post did."""

    QUEUED = "queued"
    DUPLICATE = "duplicate"
    """The same action was already queued."""
    DONE = "done"
    """History says X already has the wanted state."""
    CANCELLED = "cancelled"
    """It undid a queued opposite action that was never sent."""


class WaitReason(StrEnum):
    RATE_LIMIT = "rate limit"
    DAILY_CAP = "daily cap"
    RETRY = "retry"
    OTHER_SENDER = "other sender"
    PACE = "pace"
    """The person's pace (settings `pace`) spaces the sends."""
    HOURS = "hours"
    """Outside the person's sending hours (settings `hours`)."""


class HoldReason(StrEnum):
    """Why the queue is not sending although work waits."""

    UNSENT = "unsent"
    """Work from an earlier run waits for the person's answer."""
    SIGN_IN = "sign in"
    ACCOUNT = "account"
    """The App lacks access (not in a Project, read-only), or another refusal for the
    account as a whole."""
    PLAN = "plan"
    """The App's plan does not include likes (X's self-serve plans since April 2026)."""
    PAYMENT = "payment"
    """X answered 402: credits, a balance below zero, or a spending limit."""
    DAILY_CAP = "daily cap"
    """Headless runs stop at the daily cap instead of waiting hours."""
    NOT_ANSWERING = "not answering"
    """Headless runs stop when X has not answered for about a minute (not kept: the next
    run tries again)."""
    BUDGET = "budget"
    """The next like or unlike would pass the person's daily_budget_usd."""
    HOURS = "hours"
    """Headless runs stop outside the person's sending hours (not kept: the next run, from
    cron, carries on inside them)."""


@dataclass(frozen=True)
class BatchProgress:
    """One batch's figures; `sent` of `total` is what a progress bar shows."""

    liked: int = 0
    unliked: int = 0
    failed: int = 0
    skipped: int = 0
    """Superseded before they were sent (an undo, an opposite action)."""
    unsent: int = 0

    @property
    def sent(self) -> int:
        return self.liked + self.unliked

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.unsent


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    account: str
    post_id: str
    action: str
    outcome: str
    detail: str
    author: str
    excerpt: str
    at: float


@dataclass(frozen=True)
class HistoryPage:
    """The entries shown, newest first, and how many matched (more when it was cut short)."""

    entries: list[HistoryEntry]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)
