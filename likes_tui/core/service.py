"""The likes service: the one owner of like state, queue progress, budgets and the held state.

It owns the X client and the sender for the active account, knows every post in the list
(what X said, what history says, what is queued), counts the queue from the store (so the
figures are true right after a restart and while another process sends), and keeps one
hold with its reason. Screens call its methods and render what it publishes (`Update`s); they
keep no copies. Store calls run off the event loop (`OffLoop`). No textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from likes_tui.api.errors import NotAuthorized, NotFound, RateLimited, SecretsMissing, XError
from likes_tui.billing import Charge, charges, first_day, utc_day
from likes_tui.core.likecheck import LikeCheck, run_check
from likes_tui.core.posts import PostRow
from likes_tui.core.status import (
    AskResume,
    InlineNote,
    Notice,
    QueueChanged,
    RowsChanged,
    RowsRemoved,
    RowsRestored,
    Update,
)
from likes_tui.core.undo import Removed, Toggled, Undoable
from likes_tui.core.view import Hold, QueueView, Wait
from likes_tui.domain import Action, BatchProgress, HoldReason, Outcome, RowStatus, WaitReason
from likes_tui.store.files import StoreError
from likes_tui.store.state import DaySpend, HistoryEntry, QueueRequest

if TYPE_CHECKING:
    from likes_tui.api.client import XClient
    from likes_tui.api.models import Lookup, Post
    from likes_tui.core.context import AppContext
    from likes_tui.core.costs import Estimate
    from likes_tui.queue.sender import Event, Sender

AUTHOR_TTL = 7 * 86400.0
"""How long an author read from X is kept (names rarely change): a week."""


@dataclass(frozen=True)
class Pasted:
    found: tuple[str, ...]
    """Every post id in the text, in order."""
    new: tuple[str, ...]
    """Those not in the list yet: to be looked up."""


@dataclass(frozen=True)
class QueueReport:
    """What queueing a list of posts for a headless run did."""

    already: tuple[str, ...] = ()
    """History says this account already has them in the wanted state."""
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


GIVE_UP_AFTER = 45.0
"""A headless run stops once X has not answered for this long (about one request's deadline
and a retry), the work kept queued: a script learns of it within a minute."""


class LikesService:
    def __init__(
        self,
        ctx: AppContext,
        publish: Callable[[Update], None],
        *,
        on_sender: Callable[[Event], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.publish = publish
        self.on_sender = on_sender
        """Also told every sender event as it happens (headless runs print them)."""
        self.io = ctx.io
        self.client: XClient | None = None
        self.sender: Sender | None = None
        self.rows: dict[str, PostRow] = {}
        self.undo_stack: list[Undoable] = []
        """Each entry is one action: a single l or a whole L as (post, state before), or the
        rows a `d` took off the list with where they stood."""
        self.known_liked: set[str] = set()
        self.hold: Hold | None = None
        self.wait: Wait | None = None
        self.unsent = 0
        self.unsent_unlikes = 0
        self.failed = 0
        self.batch = BatchProgress()
        self.summary = ""
        self.inline = ""
        """The line under the URL box (what the last paste found)."""
        self.cached_today: tuple[str, set[str]] = ("", set())
        """(UTC day, the posts the store holds for it): a lookup asks the store only for
        these, so a new post's request is not queued behind a store read."""
        self.spent_today = 0.0
        self.spent_session = 0.0
        """What X billed this account's calls: today (UTC, every process) and since start."""
        self._refreshing = False
        self._refresh_again = False
        self._tasks: set[asyncio.Future[None]] = set()
        self._connecting = asyncio.Lock()
        self._connected = asyncio.Event()
        self._lookups_waiting: set[asyncio.Task[None]] = set()
        """Lookups waiting for X's window (cancelled on close: the account may change)."""
        self.like_check = LikeCheck()
        """`c`'s progress, kept between a stop and the `c` that carries on."""
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def account(self) -> str:
        return self.ctx.account

    async def connect(self) -> XClient:
        """The client and the sender, built on first need (after the first paint): the
        account's secrets are read then, off the event loop. Secrets that cannot be read
        (a locked keyring, a failing secret command) raise SecretsMissing, which holds the
        queue like an expired sign-in."""
        if self.client is not None:
            return self.client
        async with self._connecting:
            if self.client is not None:
                return self.client
            return await self._connect()

    async def _connect(self) -> XClient:
        from likes_tui.queue.sender import Sender

        said = len(self.ctx.warnings)
        try:
            profile = await self.io(self.ctx.unlock)
        except StoreError as exc:
            raise SecretsMissing(exc.message) from None
        for warning in self.ctx.warnings[said:]:  # e.g. a keyring that refused a move
            self.publish(Notice(warning, severity="warning", title="Secrets", timeout=12))
        self.client = client = self.ctx.client(profile)
        client.on_answer = self._metered
        self.sender = sender = Sender(
            client,
            self.ctx.state,
            self.account,
            on_event=self._sender_event,
            clock=self.ctx.clock,
            sleep=lambda seconds: self.sleep(seconds),
            lock=self.ctx.send_lock(),
            io=self.io,
        )
        sender.spend_gate = self._over_budget
        self._connected.set()
        if self.hold is not None and self.hold.reason is HoldReason.SIGN_IN:
            self.hold = None  # the secrets are readable again: nothing else held the queue
            self._publish_queue()
        return client

    async def start(self) -> None:
        """Connect, show last run's unsent work as rows, and ask about it unless another
        process is sending it right now."""
        try:
            await self.connect()
        except SecretsMissing as exc:
            name = self.ctx.profile.name if self.ctx.profile else ""
            self._set_hold(HoldReason.SIGN_IN, f"cannot read {name}'s secrets")
            self.publish(Notice(exc.message, severity="error", timeout=15))
            await self.refresh_queue()
            return
        assert self.sender is not None
        today = utc_day(self.ctx.clock())
        self.spent_today = await self.io(self.ctx.state.spent_on, self.account, today)
        self.cached_today = (today, await self.io(self.ctx.state.cached_post_ids, today))
        unsent = await self.io(self.ctx.state.pending, self.account)
        if unsent:
            self._add_rows([item.post_id for item in unsent])
        if unsent and not await self.sender.try_hold():
            holder = self.sender.lock.holder() if self.sender.lock else None
            who = f" (pid {holder})" if holder else ""
            self.publish(
                Notice(
                    f"{len(unsent)} queued likes are being sent by another likes-tui{who}; "
                    "they show here as queued.",
                    timeout=8,
                )
            )
        elif unsent and self.ctx.settings.resume_pending != "auto":
            self._set_hold(HoldReason.UNSENT, f"{len(unsent)} unsent from last time")
            stored = await self.io(self.ctx.state.stored_hold, self.account)
            held = ""
            if stored is not None:
                import time

                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(stored.at))
                held = f"Held since {when}: {stored.message}"
            self.publish(AskResume(len(unsent), held))
        await self.refresh_queue()
        if unsent:
            await self.lookup([item.post_id for item in unsent])

    async def run_sender(self) -> None:
        """Send the queue, from the moment the account's secrets could be read (at start,
        or later, once the person fixed what stopped them)."""
        await self._connected.wait()
        assert self.sender is not None
        await self.sender.run()

    async def load_liked(self) -> None:
        """Recent likes from X, so posts liked elsewhere show as liked (one request). Only
        when `sync_likes_at_start` is on: X bills it (owned reads and every author)."""
        if not self.ctx.settings.sync_likes_at_start:
            return
        try:
            client = await self.connect()
            page = await client.liked_posts(max_results=100)
        except XError:
            return
        self.known_liked = {p.id for p in page.posts}

    async def close(self) -> None:
        for waiting in list(self._lookups_waiting):
            waiting.cancel()
        task = self.like_check.task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.wait([task])
        if self._tasks:  # what answers were billed is recorded before the store closes
            await asyncio.wait(list(self._tasks))
        if self.client is not None:
            await self.client.aclose()
        if self.sender is not None:
            self.sender.let_go()

    # -- publishing ------------------------------------------------------------------------

    def view(self) -> QueueView:
        client = self.client
        limits = client.rate_limits if client else {}
        return QueueView(
            account=f"@{self.ctx.profile.username}" if self.ctx.profile else "",
            unsent=self.unsent,
            failed=self.failed,
            batch=self.batch,
            like_budget=limits.get("like"),
            unlike_budget=limits.get("unlike"),
            daily_budget=limits.get("like-24h"),
            unlike_daily=limits.get("unlike-24h"),
            unsent_unlikes=self.unsent_unlikes,
            window=self.sender.windows.get("like") if self.sender else None,
            unlike_window=self.sender.windows.get("unlike") if self.sender else None,
            hold=self.hold,
            wait=self.wait,
            auto_like=self.ctx.settings.auto_like,
            summary=self.summary,
            spent_today=self.spent_today,
            spent_session=self.spent_session,
            check=self.like_check.view(),
        )

    def _publish_rows(self, ids: Iterable[str], select: str | None = None) -> None:
        rows = tuple(self.rows[i] for i in dict.fromkeys(ids) if i in self.rows)
        if rows or select:
            self.publish(RowsChanged(rows, select))

    def _publish_queue(self) -> None:
        self.publish(QueueChanged(self.view()))

    async def refresh_queue(self) -> None:
        """Count the queue from the store (true after a restart, and while another process
        sends), then publish. A call while one is reading asks for one more read after it,
        so the last change is never missed."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        try:
            while True:
                self._refresh_again = False
                counts, batch = await self.io(self._read_queue)
                self._apply_counts(counts, batch)
                if not self._refresh_again:
                    break
        finally:
            self._refreshing = False

    def _apply_counts(self, counts: tuple[int, int, int], batch: BatchProgress) -> None:
        was_running = self.unsent > 0
        self.unsent, self.failed, self.unsent_unlikes = counts
        self.batch = batch
        if batch.unsent:
            self.summary = ""
        elif was_running and batch.total:
            self.summary = _summary(batch)
            self.publish(Notice(f"Batch done: {self.summary}.", timeout=8))
        self._publish_queue()

    def _read_queue(self) -> tuple[tuple[int, int, int], BatchProgress]:
        counts = self.ctx.state.counts(self.account)
        return (counts.pending, counts.failed, counts.unlikes), self.ctx.state.batch(self.account)

    def _set_hold(self, reason: HoldReason, message: str) -> None:
        self.hold = Hold(reason, message)
        if self.sender is not None:
            self.sender.pause(message, reason, announce=False)

    def _release_hold(self) -> None:
        self.hold = None
        if self.sender is not None:
            self.sender.resume()

    # -- the sender's news -----------------------------------------------------------------

    def _sender_event(self, event: Event) -> None:
        from likes_tui.queue.sender import (
            Failed,
            Idle,
            Paused,
            Resending,
            Sent,
            Unavailable,
            Waiting,
        )

        if self.on_sender is not None:
            self.on_sender(event)
        changed: list[str] = []
        if isinstance(event, Sent):
            self.wait = None
            row = self.rows.get(event.item.post_id)
            if row is not None and row.pending == event.item.action:
                self.rows[row.post_id] = replace(row, pending=None, liked=event.liked)
                changed.append(row.post_id)
        elif isinstance(event, Failed) and event.final:
            row = self.rows.get(event.item.post_id)
            if row is not None and row.pending == event.item.action:
                self.rows[row.post_id] = replace(row, pending=None, liked=row.before)
                changed.append(row.post_id)
            who = (row.author if row else "") or event.item.post_id
            self.publish(
                Notice(
                    f"{event.item.action.capitalize()} failed for {who}: {event.message}",
                    severity="error",
                    timeout=8,
                )
            )
        elif isinstance(event, Unavailable):
            row = self.rows.get(event.item.post_id)
            if row is not None:
                self.rows[row.post_id] = replace(
                    row,
                    pending=None,
                    liked=row.before,
                    status=RowStatus.MISSING,
                    error=event.message,
                )
                changed.append(row.post_id)
            self.publish(Notice(f"Not sent: {event.message}", severity="warning", timeout=8))
        elif isinstance(event, Waiting):
            until = event.until
            if event.reason in (WaitReason.RATE_LIMIT, WaitReason.DAILY_CAP) and self.sender:
                until -= self.sender.reset_margin  # X's reset, as the budget shows it
            self.wait = Wait(event.reason, until, event.holder, event.action)
        elif isinstance(event, Paused):
            self.hold = Hold(event.reason, event.message)
            advice = (
                " Press F2 to sign in again; queued likes are kept."
                if event.sign_in
                else " In this app: ctrl+p → Resume queue."
                if event.reason in (HoldReason.PLAN, HoldReason.PAYMENT)
                else ""
            )
            self.publish(Notice(event.message + advice, "error", title="Queue paused", timeout=15))
        elif isinstance(event, Resending):
            self.publish(
                Notice(
                    f"{event.count} likes from a run that stopped mid-send go out again "
                    "(X counts a repeated like once).",
                    timeout=8,
                )
            )
        elif isinstance(event, Idle):
            self.wait = None
            self._spawn(self._settle_sent_elsewhere())
        self._publish_rows(changed)
        self._publish_queue()
        self._spawn(self.refresh_queue())

    @property
    def idle(self) -> bool:
        """No background work (a refresh, the meter's records) is still running."""
        return not self._tasks

    # -- the cost meter ----------------------------------------------------------------------

    def _metered(self, endpoint: str, data: Any) -> None:
        """Every successful answer: what X bills for it goes into the spend table (where a
        resource already billed today, by any process, costs nothing again), and its posts
        and users into the caches, in one write."""
        owner = self.ctx.profile.owns_app if self.ctx.profile else True
        found = charges(endpoint, data, owner=owner)
        posts: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        users: list[dict[str, Any]] = []
        if endpoint in ("lookup", "users") and isinstance(data, dict):
            posts, users = _posts_and_users(endpoint, data)
        if found or posts or users:
            self._spawn(self._record_answer(found, posts, users))

    async def _record_answer(
        self,
        found: list[Charge],
        posts: list[tuple[dict[str, Any], dict[str, Any] | None]],
        users: list[dict[str, Any]],
    ) -> None:
        now = self.ctx.clock()
        day = utc_day(now)
        state = self.ctx.state
        prices = self.ctx.settings.prices
        try:
            billed = await self.io(
                state.record_answer, self.account, day, found, prices, posts, users, now
            )
            if posts:
                kept = self.cached_today[1] if self.cached_today[0] == day else set()
                self.cached_today = (day, kept | {str(p["id"]) for p, _ in posts})
            if found:
                self.spent_today = await self.io(state.spent_on, self.account, day)
        except StoreError:
            return
        if found:
            self.spent_session = round(self.spent_session + billed, 6)
            self._publish_queue()

    async def _budget_and_spent(self) -> tuple[float, float]:
        """daily_budget_usd (0: off), and what today cost so far (read only when it is on)."""
        budget = self.ctx.settings.daily_budget_usd
        if budget <= 0:
            return budget, 0.0
        day = utc_day(self.ctx.clock())
        return budget, await self.io(self.ctx.state.spent_on, self.account, day)

    async def _over_budget(self, action: str) -> str | None:
        """Why sending one more `action` would pass today's daily_budget_usd, or None."""
        budget, spent = await self._budget_and_spent()
        if budget <= 0:
            return None
        prices = self.ctx.settings.prices
        price = prices.like if action == "like" else prices.unlike
        if spent + price <= budget + 1e-9:
            return None
        return (
            f"today's budget of ${budget:.2f} is reached (${spent:.3f} spent); raise "
            "daily_budget_usd or resume after 00:00 UTC"
        )

    async def spend_report(self, days: int = 7) -> list[DaySpend]:
        """What X billed this account per UTC day and kind, newest first."""
        since = first_day(days, self.ctx.clock())
        return await self.io(self.ctx.state.spend, self.account, since)

    async def lookup_over_budget(self, count: int) -> str | None:
        """Looking up `count` posts may pass today's budget: what to ask, or None."""
        if count <= 0:
            return None
        budget, spent = await self._budget_and_spent()
        if budget <= 0:
            return None
        prices = self.ctx.settings.prices
        most = count * (prices.post_read + prices.user_read)
        if spent + most <= budget + 1e-9:
            return None
        return (
            f"Looking up {count:,} posts may cost up to ${most:.2f} (less for posts and authors "
            f"read today), and ${spent:.3f} of today's ${budget:.2f} budget is spent."
        )

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Background work the sender's callback starts (it cannot await)."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _settle_sent_elsewhere(self) -> None:
        """Rows still shown as queued that another process sent: show what it recorded."""
        waiting = [r.post_id for r in self.rows.values() if r.pending]
        if not waiting:
            return
        state = self.ctx.state
        unsent = {i.post_id for i in await self.io(state.pending, self.account)}
        settled = [post_id for post_id in waiting if post_id not in unsent]
        known = await self.io(state.known_states, self.account, settled)
        for post_id in settled:
            row = self.rows[post_id]
            self.rows[post_id] = replace(row, pending=None, liked=known.get(post_id, row.before))
        self._publish_rows(settled)

    # -- pasting and looking up ------------------------------------------------------------

    def paste(self, text: str) -> Pasted:
        """Find every post reference in `text` and add rows for the new ones (the caller
        looks them up, in a worker). Says what it found under the box."""
        from likes_tui.urls import extract_post_ids  # on first use: start-up does not need it

        if not text.strip():
            return Pasted((), ())
        result = extract_post_ids(text)
        notes = []
        if result.problems:
            notes.append(f"✗ {result.message}")
        if not result.ids:
            self._note(" ".join(notes))
            return Pasted((), ())
        new = [i for i in result.ids if i not in self.rows]
        if len(result.ids) > 1:
            notes.append(f"{len(result.ids)} posts found, {len(new)} new")
        if result.duplicates:
            notes.append(f"{result.duplicates} repeated")
        self._note(" · ".join(notes))
        self._add_rows(new, select=result.ids[0])
        return Pasted(tuple(result.ids), tuple(new))

    def _note(self, text: str) -> None:
        self.inline = text
        self.publish(InlineNote(text))

    def _add_rows(self, ids: list[str], select: str | None = None) -> None:
        new = [post_id for post_id in ids if post_id not in self.rows]
        for post_id in new:
            self.rows[post_id] = PostRow(post_id)
        self._publish_rows(new, select)

    async def lookup(self, ids: list[str]) -> None:
        """Posts read today come from the cache; the rest from X, in one batched lookup
        without their authors. Authors read this week come from the cache too and the rows
        show at once; the other authors are read in one more request (the same user read X
        would bill for the expansion) and fill in when it answers."""
        from likes_tui.api.client import BATCH
        from likes_tui.api.models import Lookup

        client = await self.connect()
        today = utc_day(self.ctx.clock())
        day, kept = self.cached_today
        maybe = [i for i in ids if day == today and i in kept]
        posts = await self._read_today(maybe, kept_authors=False) if maybe else {}
        rest = [i for i in ids if i not in posts]
        rest, later_at = self._lookup_room(rest)
        if later_at is not None:
            later = [i for i in ids if i not in posts and i not in rest]
            room = client.rate_limits["lookup"].remaining * BATCH
            self._look_up_later(
                later,
                later_at,
                f"X's lookup window takes {room:,} more posts until it resets"
                if room
                else "X's lookup limit is reached",
            )
        errors: dict[str, XError] = {}
        if rest:
            try:
                fetched = await client.get_posts(rest, authors=False)
            except XError as exc:
                fetched = Lookup({}, dict.fromkeys(rest, exc))
            posts.update(fetched.posts)
            errors = dict(fetched.errors)
        posts = await self._kept_authors(posts)
        await self._apply_lookup(Lookup(posts, errors))
        await self._read_authors(posts)

    async def _kept_authors(self, posts: dict[str, Post]) -> dict[str, Post]:
        """The posts with the authors read this week (from the store; no request)."""
        need = {p.author_id for p in posts.values() if p.author_id and p.author is None}
        if not need:
            return posts
        from likes_tui.api.models import User

        since = self.ctx.clock() - AUTHOR_TTL
        known = await self.io(self.ctx.state.cached_authors, sorted(need), since)
        users = {uid: User.from_json(j) for uid, j in known.items()}
        return {
            pid: replace(p, author=users[p.author_id])
            if p.author is None and p.author_id in users
            else p
            for pid, p in posts.items()
        }

    async def _read_authors(self, posts: dict[str, Post]) -> None:
        """Read the authors not kept, in one request, and fill them into their rows."""
        missing = {p.author_id for p in posts.values() if p.author_id and p.author is None}
        if not missing or self.client is None:
            return
        try:
            users = await self.client.get_users(sorted(missing))
        except XError:
            return  # the rows keep their posts; the author shows as unknown
        changed = []
        for post_id, post in posts.items():
            row = self.rows.get(post_id)
            user = users.get(post.author_id or "")
            if user and row and row.post is not None and row.post.author is None:
                self.rows[post_id] = replace(row, post=replace(row.post, author=user))
                changed.append(post_id)
        if changed:
            self._publish_rows(changed)

    async def _apply_lookup(self, lookup: Lookup) -> None:
        known, pending = await self.io(self._states_of, list(lookup.posts))
        found = []
        for post_id, post in lookup.posts.items():
            row = self.rows.get(post_id) or PostRow(post_id)
            liked = row.liked
            if liked is None:
                liked = known.get(post_id, True if post_id in self.known_liked else None)
            action = Action(pending[post_id]) if post_id in pending else None
            row = replace(
                row,
                post=post,
                status=RowStatus.READY,
                retry_at=None,
                liked=action.liked if action else liked,
                liked_at_lookup=liked,
                pending=action,
            )
            self.rows[post_id] = row
            found.append(row)
        limited = {i: e for i, e in lookup.errors.items() if isinstance(e, RateLimited)}
        failed = {i: e for i, e in lookup.errors.items() if i not in limited}
        for post_id, error in failed.items():
            gone = isinstance(error, NotFound | NotAuthorized)
            self.rows[post_id] = replace(
                self.rows.get(post_id) or PostRow(post_id),
                status=RowStatus.MISSING if gone else RowStatus.ERROR,
                error=getattr(error, "message", str(error)),
                retry_at=None,
            )
        if limited:
            error = next(iter(limited.values()))
            self._look_up_later(list(limited), error.reset_at, "X's lookup limit is reached")
        if failed:
            note = f"✗ {len(failed)} not available: {_reasons(failed)}"
            earlier = self.inline.removeprefix("✗ ")
            self._note(f"{note} · {earlier}" if earlier else note)
        self._publish_rows([*lookup.posts, *failed])
        if self.ctx.settings.auto_like:
            await self._queue(
                [r for r in found if r.liked is not True and not r.pending], Action.LIKE
            )

    def _states_of(self, ids: list[str]) -> tuple[dict[str, bool], dict[str, str]]:
        """What history says of these posts, and what is queued for them (one store call)."""
        state = self.ctx.state
        pending = {i.post_id: i.action for i in state.pending(self.account) if i.post_id in ids}
        return state.known_states(self.account, ids), pending

    def _look_up_later(self, ids: list[str], reset_at: float | None, why: str) -> None:
        """X's lookup window is used up: the rows wait, and the lookup runs again by itself
        a second after the reset (likes have their own window and are not held up). Rows
        removed meanwhile (d) are not looked up."""
        from likes_tui.durations import countdown

        now = self.ctx.clock()
        at = max(now, reset_at or now + 60) + 1
        for post_id in ids:
            row = self.rows.get(post_id) or PostRow(post_id)
            self.rows[post_id] = replace(row, status=RowStatus.LOOKING, retry_at=at)
        self._publish_rows(ids)
        task = asyncio.ensure_future(self._lookup_at(ids, at))
        self._lookups_waiting.add(task)
        task.add_done_callback(self._lookups_waiting.discard)
        self.publish(
            Notice(
                f"{why}: {len(ids):,} posts are looked up by themselves in "
                f"{countdown(at - now)} (d takes a post off the list).",
                timeout=8,
            )
        )

    async def _lookup_at(self, ids: list[str], at: float) -> None:
        await self.sleep(max(0.0, at - self.ctx.clock()))
        still = [
            i
            for i in ids
            if (row := self.rows.get(i)) is not None and row.status is RowStatus.LOOKING
        ]
        if still:
            await self.lookup(still)

    def _lookup_room(self, ids: list[str]) -> tuple[list[str], float | None]:
        """The posts the lookup window X last reported takes now, and when the rest can go
        (None: all of them now). Planning with X's figure keeps the lookup from a 429."""
        from likes_tui.api.client import BATCH

        limit = self.client.rate_limits.get("lookup") if self.client else None
        if limit is None or limit.reset_at <= self.ctx.clock():
            return ids, None
        room = max(0, limit.remaining) * BATCH
        return (ids, None) if len(ids) <= room else (ids[:room], limit.reset_at)

    # -- "have I liked this?" ----------------------------------------------------------------

    def unknown(self) -> set[str]:
        return {r.post_id for r in self.rows.values() if r.ready and r.liked is None}

    async def check_like_states(self) -> None:
        """Start `c` (which of the unknown posts are liked), or stop the one running; a
        later `c` carries on from the page it reached. See core/likecheck.py."""
        check = self.like_check
        if check.running:
            assert check.task is not None
            check.task.cancel()
            await asyncio.wait([check.task])
            self._publish_queue()
            self.publish(
                Notice(
                    f"Check stopped after page {check.pages}: c carries on from there."
                    if check.pages
                    else "Check stopped before its first page."
                )
            )
            return
        unknown = self.unknown()
        if not unknown:
            self.publish(Notice("Every post in the list has a known like state."))
            return
        client = await self.connect()
        check.task = asyncio.ensure_future(
            run_check(
                check,
                client,
                unknown,
                clock=self.ctx.clock,
                sleep=self.sleep,
                settle=self._settle_like_states,
                progress=self._publish_queue,
                say=lambda text, severity: self.publish(Notice(text, severity, timeout=8)),
            )
        )
        await asyncio.wait([check.task])
        self._publish_queue()

    def _settle_like_states(self, liked: set[str], not_liked: set[str]) -> None:
        settled = []
        for post_id in liked | not_liked:
            row = self.rows.get(post_id)
            if row is not None and row.liked is None and not row.pending:
                state = post_id in liked
                self.rows[post_id] = replace(row, liked=state, liked_at_lookup=state)
                settled.append(post_id)
        self._publish_rows(settled)

    # -- like and unlike -------------------------------------------------------------------

    async def toggle(self, post_id: str | None) -> None:
        row = self.rows.get(post_id) if post_id else None
        if row is None:
            self.publish(Notice("Nothing selected: paste a post URL first.", "warning"))
            return
        if not row.ready:
            self.publish(Notice(f"Cannot like this post: {row.state_words()}", "warning"))
            return
        self.undo_stack.append(Toggled(((row.post_id, row.liked),)))
        await self._queue([row], Action.UNLIKE if row.liked else Action.LIKE)

    def targets(self, action: Action, ids: list[str] | None = None) -> list[PostRow]:
        """The rows an action over `ids` (or the whole list) would change."""
        rows = [self.rows[i] for i in ids if i in self.rows] if ids else list(self.rows.values())
        return [r for r in rows if r.ready and r.liked is not action.liked]

    def estimate(self, action: Action, count: int, *, reads: int = 0) -> Estimate:
        """How long `count` more actions take at the pace X reported, and what they cost
        (`reads`: posts a headless run looks up first)."""
        from likes_tui.core.costs import Estimate
        from likes_tui.queue.eta import DEFAULT_WINDOW, documented, eta_seconds

        view = self.view()
        like = action is Action.LIKE
        now = self.ctx.clock()
        kind = "like" if like else "unlike"
        eta = eta_seconds(
            (view.unsent - view.unsent_unlikes if like else view.unsent_unlikes) + count,
            (view.like_budget if like else view.unlike_budget) or documented(kind, now),
            now,
            daily=(view.daily_budget if like else view.unlike_daily)
            or documented(kind, now, daily=True),
            window=(view.window if like else view.unlike_window) or DEFAULT_WINDOW,
        )
        return Estimate(count, action, eta, self.ctx.settings.prices, reads)

    async def act_on(self, action: Action, ids: list[str] | None = None) -> None:
        """Like (or unlike) every post of `ids`, or of the whole list, not in that state."""
        todo = self.targets(action, ids)
        if not todo:
            state = "liked" if action.liked else "not liked"
            where = "marked post is" if ids else "post in the list is"
            self.publish(Notice(f"Every {where} already {state}."))
            return
        self.undo_stack.append(Toggled(tuple((r.post_id, r.liked) for r in todo)))
        await self._queue(todo, action)

    async def like_all(self) -> None:
        await self.act_on(Action.LIKE)

    async def unlike_all(self) -> None:
        await self.act_on(Action.UNLIKE)

    def last_undo_size(self) -> int:
        """How many requests to X the next undo sends (a removal sends none)."""
        last = self.undo_stack[-1] if self.undo_stack else None
        return len(last.before) if isinstance(last, Toggled) else 0

    def remove(self, ids: list[str]) -> None:
        """Take posts off the list (their queued actions still go out); `u` puts them back."""
        where = {post_id: at for at, post_id in enumerate(self.rows)}
        gone = tuple(sorted((where[i], self.rows.pop(i)) for i in set(ids) if i in where))
        if gone:
            self.undo_stack.append(Removed(gone))
            self.publish(RowsRemoved(tuple(row.post_id for _, row in gone)))

    def clear(self) -> None:
        self.remove(list(self.rows))

    async def undo(self) -> None:
        """Undo the last l, L or d: each post goes back to what it was before, or back on
        the list where it stood."""
        if not self.undo_stack:
            self.publish(Notice("Nothing to undo."))
            return
        last = self.undo_stack.pop()
        if isinstance(last, Removed):
            self._restore(last)
            return
        changed = [
            (self.rows[post_id], before)
            for post_id, before in last.before
            if post_id in self.rows
            and (self.rows[post_id].liked != before or self.rows[post_id].pending)
        ]
        if not changed:
            self.publish(Notice("Already undone."))
            return
        for action in Action:
            await self._queue([r for r, before in changed if action.liked == bool(before)], action)
        if len(changed) == 1:
            row, before = changed[0]
            word = "like" if before else "unlike"
            self.publish(Notice(f"Undo: {word} queued for {row.author or row.post_id}."))
        else:
            self.publish(Notice(f"Undo: {len(changed)} posts put back as they were."))

    def _restore(self, removed: Removed) -> None:
        """Rows a `d` took off go back where they stood; a post pasted again since keeps
        its newer row."""
        rows = list(self.rows.items())
        back = [(at, row) for at, row in removed.rows if row.post_id not in self.rows]
        for at, row in back:
            rows.insert(min(at, len(rows)), (row.post_id, row))
        self.rows.clear()
        self.rows.update(rows)
        if not back:
            self.publish(Notice("Already back on the list."))
            return
        first = back[0][1].post_id
        self.publish(RowsRestored(tuple(self.rows.values()), select=first))
        count = len(back)
        self.publish(Notice(f"Undo: {count} post{'s' if count != 1 else ''} back on the list."))

    async def _queue(self, rows: list[PostRow], action: Action) -> None:
        """Optimistic: the rows change at once (before the first await, so keys pressed in
        a row act in order); the store records; the sender sends; failures roll back."""
        if not rows:
            return
        items = [
            QueueRequest(r.post_id, action, r.author, r.post.excerpt(120) if r.post else "")
            for r in rows
        ]
        shown = {r.post_id: self.rows[r.post_id] for r in rows}
        for post_id, current in shown.items():
            self.rows[post_id] = replace(
                current,
                before=current.before if current.pending else current.liked,
                liked=action.liked,
                pending=action,
            )
        self._publish_rows(shown)
        try:
            outcomes = await self.io(self.ctx.state.enqueue_many, self.account, items)
        except StoreError as exc:
            self.rows.update(shown)
            self._publish_rows(shown)
            self.publish(Notice(f"Could not queue: {exc.message}", "error"))
            return
        settled = [
            post_id
            for post_id, outcome in outcomes.items()
            if outcome in (Outcome.CANCELLED, Outcome.DONE) and post_id in self.rows
        ]
        for post_id in settled:
            self.rows[post_id] = replace(self.rows[post_id], pending=None)
        self._publish_rows(settled)
        await self.connect()
        assert self.sender is not None
        if self.hold is not None and self.hold.reason is HoldReason.UNSENT:
            self._release_hold()
            self.publish(Notice("The queue runs again; last time's unsent work goes first."))
        self.sender.wake()
        await self.refresh_queue()

    # -- the queue as a whole --------------------------------------------------------------

    async def answer_resume(self, answer: str | None) -> None:
        """The person's answer about last run's unsent work: resume, later or discard."""
        assert self.sender is not None
        if answer == "discard" and not await self.sender.try_hold():
            self.publish(
                Notice("Another likes-tui started sending them; nothing was discarded.", "warning")
            )
            self._release_hold()
        elif answer == "discard":
            state = self.ctx.state
            discarded = [i.post_id for i in await self.io(state.pending, self.account)]
            await self.io(state.cancel_pending, self.account)
            known = await self.io(state.known_states, self.account, discarded)
            for post_id in discarded:
                row = self.rows.get(post_id)
                if row is not None:
                    self.rows[post_id] = replace(row, pending=None, liked=known.get(post_id))
            self._publish_rows(discarded)
            self.publish(Notice(f"Discarded {len(discarded)} unsent actions."))
            self._release_hold()
        elif answer == "resume":
            self._release_hold()
            self.publish(Notice("Resuming unsent likes."))
        else:
            self.publish(
                Notice("Unsent likes are kept; resume from the command palette.", timeout=6)
            )
        await self.refresh_queue()

    async def resume_queue(self) -> None:
        self._release_hold()
        self.publish(Notice("Queue resumed."))
        await self.refresh_queue()

    async def retry_failed(self) -> None:
        n = await self.io(self.ctx.state.retry_failed, self.account)
        self.publish(Notice(f"Retrying {n} failed actions." if n else "No failed actions."))
        if self.sender is not None:
            self.sender.wake()
        await self.refresh_queue()

    async def drop_failed(self) -> None:
        n = await self.io(self.ctx.state.drop_failed, self.account)
        self.publish(Notice(f"Dropped {n} failed actions." if n else "No failed actions."))
        await self.refresh_queue()

    async def toggle_auto_like(self) -> None:
        value = not self.ctx.settings.auto_like
        error = await self.io(self.ctx.update_settings, auto_like=value)
        self.publish(Notice(error or f"Auto-like on paste is {'on' if value else 'off'}."))
        self._publish_queue()

    # -- headless runs ---------------------------------------------------------------------

    async def not_done(self, ids: list[str], action: Action) -> list[str]:
        """The posts history does not show in the wanted state (no request to X)."""
        known = await self.io(self.ctx.state.known_states, self.account, ids)
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
        state = self.ctx.state
        already: tuple[str, ...] = ()
        if not force:
            todo = await self.not_done(ids, action)
            already = tuple(i for i in ids if i not in todo)
            ids = todo
        if not ids:
            return QueueReport(already=already)
        unavailable: dict[str, str] = {}
        unchecked: dict[str, str] = {}
        limited = False
        if look_up:
            lookup = await (await self.connect()).get_posts(ids)
            for post_id, error in lookup.errors.items():
                reason = getattr(error, "message", str(error))
                (unavailable if _gone(error) else unchecked)[post_id] = reason
            posts = lookup.posts
            limited = any(isinstance(lookup.errors[i], RateLimited) for i in unchecked)
        else:
            posts = await self._read_today(ids)
        items = []
        for post_id in ids:
            post = posts.get(post_id)
            if post is not None:
                items.append(QueueRequest(post_id, action, post_author(post), post.excerpt(120)))
            elif post_id not in unavailable:
                items.append(QueueRequest(post_id, action))
        outcomes = await self.io(state.enqueue_many, self.account, items, unless_done=not force)
        return QueueReport(
            already=already,
            unavailable=unavailable,
            unchecked=unchecked,
            lookup_limited=limited,
            outcomes={k: Outcome(v) for k, v in outcomes.items()},
        )

    async def _read_today(self, ids: list[str], *, kept_authors: bool = True) -> dict[str, Post]:
        """The posts of `ids` this computer read from X today (no request), with the authors
        read with them, and (`kept_authors`) those read this week."""
        from likes_tui.api.models import Post, User

        today = utc_day(self.ctx.clock())
        cached = await self.io(self.ctx.state.cached_posts, ids, today)
        out: dict[str, Post] = {}
        for post_id, (item, author) in cached.items():
            users = {author["id"]: User.from_json(author)} if author else {}
            out[post_id] = Post.from_json(item, users)
        return await self._kept_authors(out) if kept_authors else out

    async def send_all(self) -> SendReport:
        """Send everything queued for the account, then return (headless runs)."""
        await self.connect()
        assert self.sender is not None
        self.sender.stop_at_daily_cap = True  # a script should not hang until tomorrow
        if self.client is not None:
            self.client.give_up_after = GIVE_UP_AFTER  # nor on a server that never answers
        from likes_tui.queue.sender import Sent, Unavailable

        sent = unavailable = 0
        outer = self.on_sender

        def count(event: Event) -> None:
            nonlocal sent, unavailable
            sent += isinstance(event, Sent)
            unavailable += isinstance(event, Unavailable)
            if outer is not None:
                outer(event)

        self.on_sender = count
        try:
            await self.sender.run_until_idle()
        finally:
            self.on_sender = outer
        await self.wait_idle()
        counts = await self.io(self.ctx.state.counts, self.account)
        return SendReport(
            sent=sent,
            unsent=counts.pending,
            failed=counts.failed,
            stopped_at_daily_cap=self.sender.daily_cap_until is not None,
            held=self.sender.paused,
            held_for=self.hold.reason if self.hold and self.sender.paused else None,
            unavailable=unavailable,
        )

    async def retry_retryable(self) -> int:
        """Failed items that may succeed now go back to the queue (`resume`)."""
        return await self.io(self.ctx.state.retry_failed, self.account, only_retryable=True)

    async def history(self, search: str = "") -> list[HistoryEntry]:
        return await self.io(self.ctx.state.history, self.account or None, search=search.strip())

    async def wait_idle(self) -> None:
        """Let spawned refreshes finish (tests and shutdown)."""
        while self._tasks:
            with contextlib.suppress(Exception):
                await asyncio.gather(*list(self._tasks))


def post_author(post: Post) -> str:
    return f"@{post.author.username}" if post.author else ""


def _gone(error: Exception) -> bool:
    """X's word that liking it cannot work: the post is gone, protected or not a post."""
    if isinstance(error, NotFound | NotAuthorized):
        return True
    return isinstance(error, XError) and not error.retryable and not isinstance(error, RateLimited)


def _summary(batch: BatchProgress) -> str:
    parts = []
    if batch.liked or not batch.unliked:
        parts.append(f"{batch.liked} liked")
    if batch.unliked:
        parts.append(f"{batch.unliked} unliked")
    parts.append(f"{batch.failed} failed")
    if batch.skipped:
        parts.append(f"{batch.skipped} skipped")
    return ", ".join(parts)


def _reasons(errors: dict[str, XError]) -> str:
    """One reason each: "2 deleted, 1 protected" rather than the first reason for all."""
    kinds: dict[str, int] = {}
    for error in errors.values():
        if isinstance(error, NotFound):
            word = "deleted or missing"
        elif isinstance(error, NotAuthorized):
            word = "protected"
        else:
            word = getattr(error, "message", str(error)).rstrip(".")
        kinds[word] = kinds.get(word, 0) + 1
    if len(errors) == 1:
        only = next(iter(errors.values()))
        return getattr(only, "message", str(only))
    return ", ".join(f"{n} {word}" for word, n in kinds.items())


def _posts_and_users(
    endpoint: str, data: dict[str, Any]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any] | None]], list[dict[str, Any]]]:
    """A lookup's posts with their expanded authors, and every user an answer returned."""
    includes = data.get("includes")
    users = includes.get("users") if isinstance(includes, dict) else None
    items = data.get("data")
    listed = items if isinstance(items, list) else [items] if isinstance(items, dict) else []
    listed = [i for i in listed if isinstance(i, dict) and isinstance(i.get("id"), str)]
    if endpoint == "users":
        return [], listed
    kept = [u for u in users or [] if isinstance(u, dict) and isinstance(u.get("id"), str)]
    authors = {u["id"]: u for u in kept}
    return [(p, authors.get(p.get("author_id"))) for p in listed], kept
