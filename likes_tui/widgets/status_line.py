"""What the status line says, worked out from the likes service's QueueView and the clock:
why the queue waits (first), batch progress, ETA, rate limits, account, spend. Pure: the
StatusBar widget draws it, from the first view the service publishes (after the first paint,
which is why this is a module of its own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text

from likes_tui.billing import dollars
from likes_tui.domain import HoldReason, WaitReason
from likes_tui.durations import countdown

if TYPE_CHECKING:
    from likes_tui.core.view import QueueView

DAILY_SHOWN_BELOW = 200
"""The daily cap (1,000 likes) is worth a place on the line only when it is getting close."""
SEPARATOR = "  │ "
HELD = {
    HoldReason.PLAN: "this App's plan has no likes (ctrl+p Resume once it has)",
    HoldReason.PAYMENT: "X asks for payment, 402 (ctrl+p Resume once settled)",
}
"""Holds whose full message is a paragraph (it shows in the notice): the line's words."""


class Segment(NamedTuple):
    text: Text
    priority: int
    """0 is kept longest; higher numbers are dropped first when the line is too narrow."""


def ticking(v: QueueView, now: float) -> bool:
    """Whether a countdown on the line runs (the line is redrawn each second while so)."""
    if v.wait is not None and v.wait.until > now:
        return True
    if v.check is not None and v.check.next_at is not None and v.check.next_at > now:
        return True
    return bool(v.unsent) and any(
        b is not None and b.reset_at > now
        for b in (v.like_limit, v.like_daily, v.unlike_limit, v.unlike_daily)
    )


def segments(v: QueueView, now: float) -> list[Segment]:
    """In display order; each with its priority."""
    out: list[Segment] = []
    reason = _reason(v, now)
    if reason is not None:
        out.append(Segment(reason, 0))
    check = _check(v, now)
    if check is not None:
        out.append(Segment(check, 0))
    out.append(Segment(Text(v.handle or "not signed in", style="bold"), 4))
    batch = v.batch
    if v.unsent:
        progress = Text(f"sent {batch.sent}/{batch.total}")
        out.append(Segment(progress, 1))
        eta = _eta(v, now) if v.hold is None else None
        if eta is not None:
            out.append(Segment(Text(f"ETA {countdown(eta)}", style="dim"), 2))
        if v.pace is not None:
            out.append(Segment(Text(f"pace {v.pace.words()}", style="dim"), 3))
    if v.failed:
        out.append(Segment(Text(f"{v.failed} failed", style="bold red"), 1))
    limit = _rate_limit(v, now)
    if limit is not None:
        out.append(Segment(limit, 5))
    for daily, word in ((v.like_daily, ""), (v.unlike_daily, " unlikes")):
        if daily is not None and daily.reset_at > now and daily.remaining < DAILY_SHOWN_BELOW:
            style = "bold yellow" if daily.remaining <= 0 else "dim"
            out.append(Segment(Text(f"{daily.remaining}{word} left today", style=style), 3))
    if not v.unsent and v.summary:
        out.append(Segment(Text(f"last batch: {v.summary}", style="dim"), 6))
    if v.auto_like:
        out.append(Segment(Text("auto-like on", style="bold green"), 3))
    if v.spent_today:
        spent = f"{dollars(v.spent_today)} today"
        if v.spent_session and round(v.spent_session, 6) != round(v.spent_today, 6):
            spent += f" ({dollars(v.spent_session)} this run)"
        out.append(Segment(Text(spent, style="dim"), 4))
    return out


def _reason(v: QueueView, now: float) -> Text | None:
    if v.hold is not None:
        short = HELD.get(v.hold.reason, v.hold.message)
        return Text(f"paused: {short}", style="bold yellow")
    wait = v.wait
    if wait is None:
        return None
    if wait.reason is WaitReason.OTHER_SENDER:
        who = f" (pid {wait.holder})" if wait.holder else ""
        return Text(f"being sent by another likes-tui{who}", style="yellow")
    if wait.until <= now:
        return None
    left = countdown(wait.until - now)
    words = {
        WaitReason.RATE_LIMIT: f"rate limit: next send in {left}",
        WaitReason.DAILY_CAP: f"daily {wait.action or 'like'} cap reached: next send in {left}",
        WaitReason.RETRY: f"X had a problem: retrying in {left}",
        WaitReason.PACE: f"your pace: next send in {left}",
        WaitReason.HOURS: f"outside your sending hours: next send in {left}",
    }[wait.reason]
    return Text(words, style="yellow")


def _check(v: QueueView, now: float) -> Text | None:
    c = v.check
    if c is None:
        return None
    text = f"checking likes: page {c.pages}/{c.most} · {c.found}/{c.looking_for} found"
    if c.next_at is not None and c.next_at > now:
        text += f" · next page in {countdown(c.next_at - now)}"
    return Text(text + " · c stops", style="cyan")


def _eta(v: QueueView, now: float) -> float | None:
    from likes_tui.sending.eta import DEFAULT_WINDOW, documented, eta_seconds

    # The sender sends in queue order, one at a time: likes and unlikes add up. Until X has
    # reported a window, its documented one is assumed (50 per 15 minutes, 1,000 a day).
    likes = eta_seconds(
        v.unsent - v.unsent_unlikes,
        v.like_limit or documented("like", now),
        now,
        daily=v.like_daily or documented("like", now, daily=True),
        window=v.window or DEFAULT_WINDOW,
    )
    unlikes = eta_seconds(
        v.unsent_unlikes,
        v.unlike_limit or documented("unlike", now),
        now,
        daily=v.unlike_daily or documented("unlike", now, daily=True),
        window=v.unlike_window or v.window or DEFAULT_WINDOW,
    )
    if v.pace is not None:
        start = now  # the next send may be waiting for its slot already
        if v.wait is not None and v.wait.reason in (WaitReason.PACE, WaitReason.HOURS):
            start = max(now, v.wait.until)
        return start - now + v.pace.eta(start, v.unsent, at_least=likes + unlikes)
    return likes + unlikes


def _rate_limit(v: QueueView, now: float) -> Text | None:
    """The like window, only while work waits for it."""
    limit = v.like_limit
    if limit is None or not v.unsent:
        return None
    if limit.reset_at <= now:
        return Text(f"likes {limit.limit}/{limit.limit}", style="dim")
    text = Text(f"likes {limit.remaining}/{limit.limit}", style="dim")
    text.append(f" · resets in {countdown(limit.reset_at - now)}", style="dim")
    return text


def fit(segments: list[Segment], width: int) -> list[Segment]:
    """The most important segments that fit whole, in display order."""
    kept: list[Segment] = []
    used = 0
    for segment in sorted(segments, key=lambda s: s.priority):
        cost = segment.text.cell_len + (len(SEPARATOR) if kept else 0)
        if used + cost <= width:
            kept.append(segment)
            used += cost
    return [s for s in segments if any(s is k for k in kept)]


def line(v: QueueView, now: float, width: int) -> Text:
    """The most important items that fit in `width` cells, whole, in display order."""
    return Text(SEPARATOR).join(s.text for s in fit(segments(v, now), width))
