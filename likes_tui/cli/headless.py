"""Headless runs for scripts and cron: `likes-tui like ...` and `likes-tui resume`.

The same queue, scheduler and history as the app, printing one line per event. A post is
left out only when X says it is gone or protected (or history says it is already in the
wanted state); a lookup that failed for a passing reason does not hold a like back, since a
like needs only the id. The exit status says whether everything asked for was done.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from likes_tui.api.errors import NotAuthorized, NotFound, RateLimited, XError
from likes_tui.core.context import AppContext
from likes_tui.domain import WaitReason
from likes_tui.queue.sender import (
    Event,
    Failed,
    Idle,
    Paused,
    Resending,
    Sender,
    Sent,
    Waiting,
)
from likes_tui.store.files import StoreError
from likes_tui.urls import extract_post_ids

if TYPE_CHECKING:
    from likes_tui.api.client import XClient

OK = 0
FAILED = 1
"""Something asked for was not done: a post gone or protected, a failure, a sign-in."""
USAGE = 2
TRY_LATER = 75
"""Exit status (EX_TEMPFAIL) when X's daily cap stopped the run: nothing failed, run
`likes-tui resume` after the reset."""


class Printer:
    def __init__(self, out: TextIO, clock: Callable[[], float] = time.time) -> None:
        self.out = out
        self.clock = clock
        self.sent = 0

    def __call__(self, event: Event) -> None:
        if isinstance(event, Sent):
            self.sent += 1
            word = "liked" if event.liked else "unliked"
            self.say(f"{word} {event.item.post_id} {event.item.author}".rstrip())
        elif isinstance(event, Failed):
            final = "gave up" if event.final else "will retry"
            self.say(f"failed {event.item.post_id}: {event.message} ({final})")
        elif isinstance(event, Waiting) and event.reason is WaitReason.OTHER_SENDER:
            who = f" (pid {event.holder})" if event.holder else ""
            self.say(
                f"waiting: another likes-tui{who} is sending this account's queue, "
                "these posts included"
            )
        elif isinstance(event, Waiting):
            self.say(f"waiting {max(0, int(event.until - self.clock()))}s for the {event.reason}")
        elif isinstance(event, Resending):
            self.say(
                f"sending {event.count} again: an earlier run stopped before X's answer "
                "was recorded"
            )
        elif isinstance(event, Paused):
            self.say(f"paused: {event.message}")
        elif isinstance(event, Idle):
            pass

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)


@dataclass
class Queued:
    """What queueing a paste did."""

    found: int = 0
    queued: int = 0
    already: int = 0
    unavailable: dict[str, str] = field(default_factory=dict)
    """Posts left out because X says they cannot be liked: id -> reason."""


def _gone(error: Exception) -> bool:
    """X's word that liking it cannot work: the post is gone, protected or not a post."""
    if isinstance(error, NotFound | NotAuthorized):
        return True
    return isinstance(error, XError) and not error.retryable and not isinstance(error, RateLimited)


async def queue_text(
    ctx: AppContext, client: XClient, text: str, action: str, out: TextIO, *, force: bool = False
) -> Queued:
    """Find post ids in `text`, look them up (for history), and queue them."""
    result = extract_post_ids(text)
    for problem in result.problems:
        print(f"skipped {problem.text[:60]!r}: {problem.reason}", file=out)
    report = Queued(found=len(result.ids))
    if not result.ids:
        return report
    wanted = action == "like"
    ids = list(result.ids)
    if not force:
        known = ctx.state.known_states(ctx.account, ids)
        done = [i for i in ids if known.get(i) == wanted]
        if done:
            report.already = len(done)
            print(
                f"{len(done)} already {action}d by this account (history); "
                "--force sends them again",
                file=out,
            )
            ids = [i for i in ids if known.get(i) != wanted]
    if not ids:
        return report
    lookup = await client.get_posts(ids)
    unchecked: dict[str, str] = {}
    for post_id, error in lookup.errors.items():
        reason = getattr(error, "message", str(error))
        if _gone(error):
            report.unavailable[post_id] = reason
            print(f"skipped {post_id}: {reason}", file=out)
        else:
            unchecked[post_id] = reason
    if unchecked:
        # A like needs only the id: queue these unchecked (history shows them without
        # author and text); the scheduler retries what a passing fault refuses.
        why = next(iter(unchecked.values()))
        limited = any(isinstance(lookup.errors[i], RateLimited) for i in unchecked)
        note = "X's lookup limit is reached" if limited else f"the lookup failed ({why})"
        print(f"{len(unchecked)} queued without a lookup: {note}", file=out)
    items: list[tuple[str, str, str, str]] = []
    for post_id in ids:
        post = lookup.posts.get(post_id)
        if post is not None:
            author = f"@{post.author.username}" if post.author else ""
            items.append((post_id, action, author, post.excerpt(120)))
        elif post_id in unchecked:
            items.append((post_id, action, "", ""))
    outcomes = ctx.state.enqueue_many(ctx.account, items, unless_done=not force)
    report.queued = sum(1 for o in outcomes.values() if o == "queued")
    waiting = sum(1 for o in outcomes.values() if o == "duplicate")
    report.already += sum(1 for o in outcomes.values() if o == "done")
    words = [f"{report.queued} queued"]
    if waiting:
        words.append(f"{waiting} were queued already")
    print(", ".join(words), file=out, flush=True)
    return report


async def send_pending(
    ctx: AppContext, client: XClient, out: TextIO, report: Queued | None = None
) -> int:
    """Send everything queued for the account; the exit status (see the module)."""
    printer = Printer(out, ctx.clock)
    scheduler = Sender(
        client,
        ctx.state,
        ctx.account,
        on_event=printer,
        clock=ctx.clock,
        stop_at_daily_cap=True,
        lock=ctx.send_lock(),
    )
    await scheduler.run_until_idle()
    counts = ctx.state.counts(ctx.account)
    report = report or Queued()
    parts = [f"sent {printer.sent}"]
    if report.already:
        parts.append(f"already done {report.already}")
    if report.unavailable:
        parts.append(f"not available {len(report.unavailable)}")
    parts.append(f"failed {counts.failed}")
    print(f"done: {', '.join(parts)}; {counts.pending} left in the queue", file=out, flush=True)
    if scheduler.daily_cap_until is not None and counts.failed == 0:
        return TRY_LATER
    if scheduler.paused is not None or counts.failed or report.unavailable:
        return FAILED
    return OK


async def run(
    ctx: AppContext,
    text: str | None,
    action: str,
    out: TextIO = sys.stdout,
    *,
    force: bool = False,
) -> int:
    """`like` (text given) or `resume` (None): queue, send, and say how it went."""
    if ctx.profile is None:
        print("likes-tui: no account set up; run likes-tui once to sign in.", file=out)
        return FAILED
    try:
        async with ctx.client() as client:
            report = None
            if text is not None:
                report = await queue_text(ctx, client, text, action, out, force=force)
                if not report.found:
                    print("likes-tui: no post URL or id in the input.", file=out)
                    return USAGE
            else:
                retried = ctx.state.retry_failed(ctx.account, only_retryable=True)
                if retried:
                    print(f"retrying {retried} that failed earlier", file=out)
            return await send_pending(ctx, client, out, report)
    except XError as exc:
        print(f"likes-tui: {exc.message}", file=out)
        return FAILED
    except StoreError as exc:
        print(f"likes-tui: {exc.message}", file=out)
        return FAILED
