"""`c`: which of the list's unknown posts this account has liked, read from its likes newest
first, 100 a request, at the pace of the window X reports for `liked_tweets`.

X documents 75 such requests per 15 minutes, but on pay-per-use it has been seen allowing one
(plans.SEEN), so ten pages can take over two hours. The check says how long before it starts
(and again when X's first answer shows a tighter window), waits out each window with a
countdown, stops on a second `c`, and a later `c` carries on from the page it reached.

Owned by the service and run on the event loop only (no locks)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from likes_tui.api.errors import RateLimited, XError
from likes_tui.api.models import RateLimit
from likes_tui.core.view import Checking
from likes_tui.durations import countdown
from likes_tui.plans import DOCUMENTED, SEEN, Plan
from likes_tui.sending.eta import eta_seconds

if TYPE_CHECKING:
    from likes_tui.api.client import XClient
    from likes_tui.core.post_list import PostList
    from likes_tui.core.session import Session
    from likes_tui.core.status import Severity

MOST_PAGES = 10
"""Pages of 100 one `c` reads at most (a later `c` reads the next ten)."""
RESET_MARGIN = 1.0
"""Read this long after X's reset time, for clock differences between us and X."""


def plan_seconds(pages: int, seen: RateLimit | None, now: float) -> float:
    """How long `pages` requests take at the window X last reported (X's documented one
    until an answer shows it)."""
    documented = DOCUMENTED["liked"]
    if seen is None:
        return eta_seconds(pages, None, now, per_request=1.0)
    return eta_seconds(pages, seen, now, per_request=1.0, window=documented.window)


def pace_words(seen: RateLimit | None) -> str:
    documented = DOCUMENTED["liked"]
    if seen is None:
        return f"X documents {documented.count} requests per 15 minutes"
    per = "request" if seen.limit == 1 else "requests"
    return f"X allows this App {seen.limit} {per} per 15 minutes"


@dataclass
class LikeCheck:
    """One check's progress, kept between a stop and the `c` that carries on."""

    token: str | None = None
    """Where the next page starts; None is the newest like."""
    pages: int = 0
    looked_for: frozenset[str] = frozenset()
    """The posts the pages read so far were searched for (a carry-on may only look for
    these: a post pasted since could be on a page already read)."""
    task: asyncio.Future[None] | None = field(default=None, repr=False)
    next_at: float | None = None
    found: int = 0
    looking_for: int = 0
    most: int = 0

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def can_carry_on(self, unknown: set[str]) -> bool:
        return self.token is not None and unknown <= self.looked_for

    def view(self) -> Checking | None:
        if not self.running:
            return None
        return Checking(self.pages, self.most, self.found, self.looking_for, self.next_at)


Settle = Callable[[set[str], set[str]], None]
"""(liked, certainly not liked): rows to settle as the pages come in."""


async def run_check(
    check: LikeCheck,
    client: XClient,
    unknown: set[str],
    *,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
    settle: Settle,
    progress: Callable[[], None],
    say: Callable[[str, Severity], None],
) -> None:
    """Read pages until every unknown post is found, the likes end (the rest are then
    certainly not liked) or MOST_PAGES are read. Errors keep the place for a later `c`."""
    carry_on = check.can_carry_on(unknown)
    if not carry_on:
        check.token, check.pages, check.looked_for = None, 0, frozenset(unknown)
    first_page = check.pages + 1
    check.most = check.pages + MOST_PAGES
    check.found, check.looking_for, check.next_at = 0, len(unknown), None
    seen = client.rate_limits.get("liked")
    where = f"from page {first_page}" if carry_on else "newest first"
    say(
        f"Looking for {len(unknown)} posts among this account's likes, {where}: up to "
        f"{MOST_PAGES} pages of 100, {_how_long(seen, clock())}. c stops; a later c "
        "carries on.",
        "information",
    )
    liked: set[str] = set()
    read = 0
    progress()
    while read < MOST_PAGES:
        limit = client.rate_limits.get("liked")
        if limit is not None and limit.exhausted(clock()):
            await _wait(check, limit.reset_at + RESET_MARGIN, clock, sleep, progress)
        try:
            page = await client.liked_posts(max_results=100, pagination_token=check.token)
        except RateLimited as exc:
            until = exc.reset_at + RESET_MARGIN if exc.reset_at else clock() + 60
            await _wait(check, until, clock, sleep, progress)
            continue
        except XError as exc:
            say(
                f"Could not check like states: {exc.message} (c tries again from page "
                f"{check.pages + 1}).",
                "error",
            )
            return
        read += 1
        check.pages += 1
        found = unknown & {p.id for p in page.posts}
        liked |= found
        check.found = len(liked)
        check.token = page.next_token
        ended = check.token is None
        settle(found, unknown - liked if ended else set())
        progress()
        if ended or liked == unknown:
            break
        if read == 1 and seen is None:
            _replan(client.rate_limits.get("liked"), MOST_PAGES - 1, clock, say)
    rest = len(unknown - liked)
    if check.token is None:
        check.pages, check.looked_for = 0, frozenset()
        say(f"{len(liked)} liked, {rest} not liked (the list of likes ended).", "information")
    elif rest:
        say(
            f"{len(liked)} liked; {rest} still unknown after page {check.pages} "
            f"(c carries on from page {check.pages + 1}).",
            "information",
        )
    else:
        say(f"All {len(liked)} are liked.", "information")


def _how_long(seen: RateLimit | None, now: float) -> str:
    if seen is not None:
        return f"{countdown(plan_seconds(MOST_PAGES, seen, now))} at most ({pace_words(seen)})"
    slow = SEEN[Plan.SELF_SERVE]["liked"]
    tight = RateLimit(slow.count, slow.count, now + slow.window)
    return (
        f"seconds at the {DOCUMENTED['liked'].count} requests per 15 minutes X documents, up "
        f"to {countdown(plan_seconds(MOST_PAGES, tight, now))} at the 1 seen on "
        "pay-per-use (the first answer tells)"
    )


def _replan(
    seen: RateLimit | None,
    pages: int,
    clock: Callable[[], float],
    say: Callable[[str, Severity], None],
) -> None:
    """X's first answer showed its window: say so when it is tighter than documented."""
    if seen is None or pages <= 0 or seen.limit >= DOCUMENTED["liked"].count:
        return
    took = plan_seconds(pages, seen, clock())
    say(
        f"{pace_words(seen)}: the other {pages} pages can take {countdown(took)}. "
        "c stops; a later c carries on.",
        "warning",
    )


async def _wait(
    check: LikeCheck,
    until: float,
    clock: Callable[[], float],
    sleep: Callable[[float], Awaitable[None]],
    progress: Callable[[], None],
) -> None:
    check.next_at = until
    progress()
    delay = until - clock()
    if delay > 0:
        await sleep(delay)
    check.next_at = None
    progress()


async def start_or_stop(
    check: LikeCheck, session: Session, posts: PostList, progress: Callable[[], None]
) -> None:
    """`c`: start the check (which of the unknown posts are liked), or stop the one
    running; a later `c` carries on from the page it reached."""
    from likes_tui.core.status import Notice

    if check.running:
        assert check.task is not None
        check.task.cancel()
        await asyncio.wait([check.task])
        progress()
        session.publish(
            Notice(
                f"Check stopped after page {check.pages}: c carries on from there."
                if check.pages
                else "Check stopped before its first page."
            )
        )
        return
    unknown = posts.unknown()
    if not unknown:
        session.publish(Notice("Every post in the list has a known like state."))
        return
    client = await session.connect()
    check.task = session.start_cancellable(
        run_check(
            check,
            client,
            unknown,
            clock=session.ctx.clock,
            sleep=session.sleep,
            settle=posts.settle_like_states,
            progress=progress,
            say=lambda text, severity: session.publish(Notice(text, severity, timeout=8)),
        )
    )
    await asyncio.wait([check.task])
    progress()
