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
from typing import TYPE_CHECKING, TextIO

from likes_tui.api.errors import XError
from likes_tui.core.context import AppContext
from likes_tui.core.service import QueueReport
from likes_tui.domain import Action, Outcome, WaitReason
from likes_tui.queue.sender import (
    Event,
    Failed,
    Idle,
    Paused,
    Resending,
    Sent,
    Waiting,
)
from likes_tui.store.files import StoreError
from likes_tui.urls import extract_post_ids

if TYPE_CHECKING:
    from likes_tui.core.service import LikesService

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


async def queue_text(
    service: LikesService, text: str, action: Action, out: TextIO, *, force: bool = False
) -> tuple[int, QueueReport]:
    """Find post ids in `text` and queue them through the service; say what happened.
    Returns how many ids the text held, and the service's report."""
    result = extract_post_ids(text)
    for problem in result.problems:
        print(f"skipped {problem.text[:60]!r}: {problem.reason}", file=out)
    if not result.ids:
        return 0, QueueReport()
    report = await service.queue_posts(list(result.ids), action, force=force)
    if report.already:
        print(
            f"{len(report.already)} already {action}d by this account (history); "
            "--force sends them again",
            file=out,
        )
    for post_id, reason in report.unavailable.items():
        print(f"skipped {post_id}: {reason}", file=out)
    if report.unchecked:
        why = next(iter(report.unchecked.values()))
        note = (
            "X's lookup limit is reached" if report.lookup_limited else f"the lookup failed ({why})"
        )
        print(f"{len(report.unchecked)} queued without a lookup: {note}", file=out)
    if report.outcomes:
        words = [f"{report.count(Outcome.QUEUED)} queued"]
        if report.count(Outcome.DUPLICATE):
            words.append(f"{report.count(Outcome.DUPLICATE)} were queued already")
        print(", ".join(words), file=out, flush=True)
    return len(result.ids), report


async def send_pending(service: LikesService, out: TextIO, report: QueueReport) -> int:
    """Send everything queued for the account; the exit status (see the module)."""
    result = await service.send_all()
    already = len(report.already) + report.count(Outcome.DONE)
    parts = [f"sent {result.sent}"]
    if already:
        parts.append(f"already done {already}")
    if report.unavailable:
        parts.append(f"not available {len(report.unavailable)}")
    parts.append(f"failed {result.failed}")
    print(f"done: {', '.join(parts)}; {result.unsent} left in the queue", file=out, flush=True)
    if result.stopped_at_daily_cap and result.failed == 0:
        return TRY_LATER
    if result.held is not None or result.failed or report.unavailable:
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
    from likes_tui.core.service import LikesService

    if ctx.profile is None:
        print("likes-tui: no account set up; run likes-tui once to sign in.", file=out)
        return FAILED
    service = LikesService(ctx, lambda update: None, on_sender=Printer(out, ctx.clock))
    try:
        report = QueueReport()
        if text is not None:
            found, report = await queue_text(service, text, Action(action), out, force=force)
            if not found:
                print("likes-tui: no post URL or id in the input.", file=out)
                return USAGE
        else:
            retried = await service.retry_retryable()
            if retried:
                print(f"retrying {retried} that failed earlier", file=out)
        return await send_pending(service, out, report)
    except XError as exc:
        print(f"likes-tui: {exc.message}", file=out)
        return FAILED
    except StoreError as exc:
        print(f"likes-tui: {exc.message}", file=out)
        return FAILED
    finally:
        await service.close()
