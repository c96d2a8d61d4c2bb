"""Headless runs for scripts and cron: `likes-tui like ...` and `likes-tui resume`.

The same queue, scheduler and history as the app, printing one line per event.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

from .api.errors import RateLimited, XError
from .context import AppContext
from .scheduler import Event, Failed, Idle, Paused, Scheduler, Sent, Waiting
from .urls import extract_post_ids

if TYPE_CHECKING:
    from .api.client import XClient


class Printer:
    def __init__(self, out: TextIO, clock=time.time) -> None:
        self.out = out
        self.clock = clock

    def __call__(self, event: Event) -> None:
        if isinstance(event, Sent):
            word = "liked" if event.liked else "unliked"
            self.say(f"{word} {event.item.post_id} {event.item.author}".rstrip())
        elif isinstance(event, Failed):
            final = "gave up" if event.final else "will retry"
            self.say(f"failed {event.item.post_id}: {event.message} ({final})")
        elif isinstance(event, Waiting):
            self.say(f"waiting {max(0, int(event.until - self.clock()))}s for the {event.reason}")
        elif isinstance(event, Paused):
            self.say(f"paused: {event.message}")
        elif isinstance(event, Idle):
            pass

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)


async def queue_text(ctx: AppContext, client: XClient, text: str, action: str, out: TextIO) -> int:
    """Find post ids in `text`, look them up (for history), and queue them. Returns how many."""
    result = extract_post_ids(text)
    for problem in result.problems:
        print(f"skipped {problem.text[:60]!r}: {problem.reason}", file=out)
    if not result.ids:
        return 0
    lookup = await client.get_posts(result.ids)
    unchecked = [i for i, e in lookup.errors.items() if isinstance(e, RateLimited)]
    for post_id, error in lookup.errors.items():
        if post_id not in unchecked:
            print(f"skipped {post_id}: {getattr(error, 'message', error)}", file=out)
    if unchecked:
        # A like needs only the id, and likes have their own window: queue these unchecked
        # (history shows them without author and text).
        print(f"{len(unchecked)} queued without a lookup: X's lookup limit is reached", file=out)
    items: list[tuple[str, str, str, str]] = []
    for post_id in result.ids:
        post = lookup.posts.get(post_id)
        if post is not None:
            author = f"@{post.author.username}" if post.author else ""
            items.append((post_id, action, author, post.excerpt(120)))
        elif post_id in unchecked:
            items.append((post_id, action, "", ""))
    outcomes = ctx.state.enqueue_many(ctx.account, items)
    queued = sum(1 for o in outcomes.values() if o == "queued")
    print(
        f"queued {queued} ({len(items) - queued} already queued or cancelled)", file=out, flush=True
    )
    return queued


TRY_LATER = 75
"""Exit status (EX_TEMPFAIL) when X's daily cap stopped the run: nothing failed, run
`likes-tui resume` after the reset."""


async def send_pending(ctx: AppContext, client: XClient, out: TextIO) -> int:
    """Send everything queued for the account; exit status 0 when all went through, 75 when
    the daily cap stopped the run (the rest stays queued), 1 otherwise."""
    printer = Printer(out, ctx.clock)
    scheduler = Scheduler(
        client, ctx.state, ctx.account, on_event=printer, clock=ctx.clock, stop_at_daily_cap=True
    )
    await scheduler.run_until_idle()
    counts = ctx.state.counts(ctx.account)
    print(f"done: {counts.pending} pending, {counts.failed} failed", file=out, flush=True)
    if scheduler.daily_cap_until is not None and counts.failed == 0:
        return TRY_LATER
    return 0 if scheduler.paused is None and counts.failed == 0 else 1


async def run(ctx: AppContext, text: str | None, action: str, out: TextIO = sys.stdout) -> int:
    if ctx.profile is None:
        print("likes-tui: no account set up; run likes-tui once to sign in.", file=out)
        return 2
    try:
        async with ctx.client() as client:
            if text is not None:
                await queue_text(ctx, client, text, action, out)
            return await send_pending(ctx, client, out)
    except XError as exc:
        print(f"likes-tui: {exc.message}", file=out)
        return 1
