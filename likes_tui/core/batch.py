"""Headless runs (`like`, `resume`): queue a list of posts and send the queue until it is
empty, paused or given up on. Only the CLI uses this; it drives a LikesService's parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from likes_tui.api.errors import NotAuthorized, NotFound, RateLimited, XError
from likes_tui.domain import Action, HoldReason, Outcome
from likes_tui.store.state import QueueRequest

if TYPE_CHECKING:
    from likes_tui.api.models import Post
    from likes_tui.core.service import LikesService
    from likes_tui.sending.sender import Event

GIVE_UP_AFTER = 45.0
"""A headless run stops once X has not answered for this long (about one request's deadline
and a retry), the work kept queued: a script learns of it within a minute."""


@dataclass(frozen=True)
class QueueReport:
    """What queueing a list of posts for a headless run did."""

    already: tuple[str, ...] = ()
    """History says this account already has them in the wanted state (their outcome, when
    they reached the queue's own check, is DONE)."""
    unavailable: dict[str, str] = field(default_factory=dict)
    """X says they cannot be liked (deleted, protected): id -> reason."""
    unchecked: dict[str, str] = field(default_factory=dict)
    """Their lookup failed for a passing reason; queued anyway (a like needs only the id)."""
    lookup_limited: bool = False
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o == outcome)


@dataclass(frozen=True)
class SendReport:
    """How sending the queue ended."""

    sent: int
    unsent: int
    failed: int
    stopped_at_daily_cap: bool
    held: str | None
    held_for: HoldReason | None = None
    unavailable: int = 0
    """Posts X answered are deleted or protected when the like was sent."""


class Batch:
    def __init__(self, service: LikesService) -> None:
        self.service = service
        self.session = service.session
        self.ctx = service.ctx

    async def not_done(self, ids: list[str], action: Action) -> list[str]:
        """The posts history does not show in the wanted state (no request to X)."""
        known = await self.session.io(
            self.ctx.state.history.known_states, self.session.account, ids
        )
        return [i for i in ids if known.get(i) != action.liked]

    async def queue_posts(
        self, ids: list[str], action: Action, *, force: bool = False, look_up: bool = False
    ) -> QueueReport:
        """Queue posts for a run without the UI. Left out: what history says is done (unless
        `force`). A like needs only the id, so nothing is read from X unless `look_up`: the
        like's own answer says whether the post is gone (the sender's Unavailable), and the
        author and text come free from what this computer read today. With `look_up`, each
        post and its author are read first (billed), what X says is gone or protected is
        left out, and a post whose lookup failed for a passing reason is queued unchecked."""
        already: tuple[str, ...] = ()
        if look_up and not force:  # spare the reads; otherwise the enqueue itself checks
            todo = await self.not_done(ids, action)
            sending = set(todo)
            already = tuple(i for i in ids if i not in sending)
            ids = todo
        if not ids:
            return QueueReport(already=already)
        unavailable: dict[str, str] = {}
        unchecked: dict[str, str] = {}
        limited = False
        if look_up:
            lookup = await (await self.session.connect()).get_posts(ids)
            for post_id, error in lookup.errors.items():
                reason = getattr(error, "message", str(error))
                (unavailable if _gone(error) else unchecked)[post_id] = reason
            posts = lookup.posts
            limited = any(isinstance(lookup.errors[i], RateLimited) for i in unchecked)
        else:
            posts = await self.service.posts.read_today(ids)
        items = []
        for post_id in ids:
            post = posts.get(post_id)
            if post is not None:
                items.append(QueueRequest(post_id, action, post_author(post), post.excerpt(120)))
            elif post_id not in unavailable:
                items.append(QueueRequest(post_id, action))
        outcomes = await self.session.io(
            self.ctx.state.queue.enqueue_many, self.session.account, items, unless_done=not force
        )
        done = tuple(i for i, outcome in outcomes.items() if outcome is Outcome.DONE)
        return QueueReport(
            already=already + done,
            unavailable=unavailable,
            unchecked=unchecked,
            lookup_limited=limited,
            outcomes=outcomes,
        )

    async def send_all(self) -> SendReport:
        """Send everything queued for the account, then return."""
        session = self.session
        await session.connect()
        sender = session.sender
        assert sender is not None and session.client is not None
        sender.stop_at_daily_cap = True  # a script should not hang until tomorrow
        session.client.give_up_after = GIVE_UP_AFTER  # nor on a server that never answers
        from likes_tui.sending.sender import Sent, Unavailable

        sent = unavailable = 0
        outer = session.on_sender

        def count(event: Event) -> None:
            nonlocal sent, unavailable
            sent += isinstance(event, Sent)
            unavailable += isinstance(event, Unavailable)
            if outer is not None:
                outer(event)

        session.on_sender = count
        try:
            await sender.run_until_idle()
        finally:
            session.on_sender = outer
        await session.wait_idle()
        counts = await session.io(self.ctx.state.queue.counts, session.account)
        hold = self.service.queue.hold
        return SendReport(
            sent=sent,
            unsent=counts.pending,
            failed=counts.failed,
            stopped_at_daily_cap=sender.daily_cap_until is not None,
            held=sender.paused,
            held_for=hold.reason if hold and sender.paused else None,
            unavailable=unavailable,
        )

    async def retry_retryable(self) -> int:
        """Failed items that may succeed now go back to the queue (`resume`)."""
        return await self.session.io(
            self.ctx.state.queue.retry_failed, self.session.account, only_retryable=True
        )


def post_author(post: Post) -> str:
    return f"@{post.author.username}" if post.author else ""


def _gone(error: Exception) -> bool:
    """X's word that liking it cannot work: the post is gone, protected or not a post."""
    if isinstance(error, NotFound | NotAuthorized):
        return True
    return isinstance(error, XError) and not error.retryable and not isinstance(error, RateLimited)
