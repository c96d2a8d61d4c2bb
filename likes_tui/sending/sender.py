"""Sends the durable queue to X at the fastest pace the rate limit allows.

It reads the `x-rate-limit-*` figures the client saw last and never sends into an exhausted
window; after a 429 it waits for the reset X gave; 5xx, timeouts and dropped connections back
off with jitter; account-level refusals (sign-in needed, no credits, wrong access) pause the
queue with the work kept. Events go to `on_event`; the UI turns them into messages.

Across processes: only the holder of the account's send lock sends, so two copies of the app
or a headless run beside the app never send the same row; the others wait and say who is
sending. The rate limits X reported are kept in the state database and respected after a restart.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from likes_tui.api.errors import (
    AuthError,
    Forbidden,
    LikesNotInPlan,
    NotAnswering,
    NotAuthorized,
    NotFound,
    PaymentRequired,
    RateLimited,
    XError,
)
from likes_tui.api.models import RateLimit
from likes_tui.domain import Action, HoldReason, WaitReason
from likes_tui.sending.pace import Pace
from likes_tui.store.offloop import OffLoop
from likes_tui.store.state import QueueItem, StateDB

if TYPE_CHECKING:
    from likes_tui.api.client import XClient
    from likes_tui.store.locks import SendLock

LOCK_POLL = 0.5
"""How often a waiting process looks whether the other sender has finished."""


@dataclass(frozen=True)
class Sent:
    item: QueueItem
    liked: bool


@dataclass(frozen=True)
class Failed:
    item: QueueItem
    message: str
    final: bool


@dataclass(frozen=True)
class Unavailable:
    """X answered that the post is deleted or protected: not sent, and not a failure."""

    item: QueueItem
    message: str


@dataclass(frozen=True)
class Waiting:
    until: float
    reason: WaitReason
    holder: int | None = None
    """With OTHER_SENDER: the pid of the process sending, when known."""
    action: Action | None = None
    """With RATE_LIMIT and DAILY_CAP: whose limit it is."""


@dataclass(frozen=True)
class Resending:
    """Rows a killed sender had on their way to X go out again (X may already have them)."""

    count: int


@dataclass(frozen=True)
class Paused:
    message: str
    reason: HoldReason

    @property
    def sign_in(self) -> bool:
        """Only signing in again (F2) can unpause it."""
        return self.reason is HoldReason.SIGN_IN


@dataclass(frozen=True)
class Idle:
    pass


Event = Sent | Failed | Unavailable | Waiting | Paused | Idle | Resending


class Sender:
    def __init__(
        self,
        client: XClient,
        state: StateDB,
        account: str,
        *,
        on_event: Callable[[Event], None] = lambda e: None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_attempts: int = 8,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        reset_margin: float = 0.25,
        stop_at_daily_cap: bool = False,
        lock: SendLock | None = None,
        io: OffLoop | None = None,
    ) -> None:
        self.client = client
        self.state = state
        self.io = io or OffLoop()
        """Every store call runs through it, off the event loop."""
        self.account = account
        self.on_event = on_event
        self.clock = clock
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.reset_margin = reset_margin
        """Sent this long after X's reset time, for clock differences between us and X."""
        self.stop_at_daily_cap = stop_at_daily_cap
        """Pause instead of waiting hours for the daily cap (headless runs: a script should
        not hang until tomorrow)."""
        self.lock = lock
        """The account's send lock; None sends without asking (one process, as in tests)."""
        self.daily_cap_until: float | None = None
        """When the daily cap resets, once a stop at it has paused the queue."""
        self.paused: str | None = None
        self.other_sender: int | None = None
        """The pid sending this account's queue while this process waits for it (0: unknown)."""
        self.windows: dict[str, float] = {}
        """Window lengths seen per endpoint kind (seconds)."""
        self.spend_gate: Callable[[Action], Awaitable[str | None]] | None = None
        """Asked before each send with its action: a message when sending it would pass
        the person's daily budget (the queue then pauses, saying so)."""
        self.pace: Callable[[], Pace] = Pace
        """The person's pace and hours, read before each send (a settings change applies
        to the next one)."""
        self.last_sent: float | None = None
        """When this account last sent (read from history once: a cron run keeps the pace
        of the one before)."""
        self._last_sent_loaded = False
        self._wake = asyncio.Event()
        self._resume = asyncio.Event()
        self._resume.set()
        self._rate_limits_loaded = False
        self._hold_stored = True
        """Whether the state database may hold a reason this queue was held (cleared at the
        first send X accepts)."""

    def wake(self) -> None:
        self._wake.set()

    def pause(self, message: str, reason: HoldReason, *, announce: bool = True) -> None:
        self.paused = message
        self._resume.clear()
        if announce:
            self.on_event(Paused(message, reason))

    def resume(self) -> None:
        self.paused = None
        self._resume.set()
        self._wake.set()

    # -- rate limits kept across restarts--------------------------------------------------

    async def load_rate_limits(self) -> None:
        """What X last reported, from the state database, where newer than what the client
        saw itself (another process, or this one before a restart, spent the window)."""

        self._rate_limits_loaded = True
        stored_limits = await self.io(self.state.rate_limits.stored, self.account)
        for kind, seen in stored_limits.items():
            mine = self.client.rate_limits.get(kind)
            stored = RateLimit(seen.limit, seen.remaining, seen.reset_at)
            if mine is None or mine.reset_at < stored.reset_at or mine.remaining > stored.remaining:
                self.client.rate_limits[kind] = stored

    async def save_rate_limits(self, *kinds: str) -> None:
        for kind in kinds:
            limit = self.client.rate_limits.get(kind)
            if limit is not None:
                await self.io(
                    self.state.rate_limits.save,
                    self.account,
                    kind,
                    limit.limit,
                    limit.remaining,
                    limit.reset_at,
                )

    # -- the one sender ---------------------------------------------------------------------

    async def try_hold(self) -> bool:
        """Become the account's sender if no other process is. On taking over, rows a killed
        sender left on their way go back to pending, and its rate limits are read."""
        if self.lock is None or self.lock.held:
            if not self._rate_limits_loaded:
                await self.load_rate_limits()
            return True
        if not self.lock.try_acquire():
            return False
        self.other_sender = None
        interrupted = await self.io(self.state.queue.release_interrupted, self.account)
        if interrupted:
            self.on_event(Resending(interrupted))
        await self.load_rate_limits()
        return True

    def let_go(self) -> None:
        """Stop being the sender (idle, paused or closing), so another process can send."""
        if self.lock is not None:
            self.lock.release()

    async def _wait_for_sender(self) -> None:
        """Another process sends this account's queue (ours included): wait until it stops."""
        assert self.lock is not None
        if self.other_sender is None:
            self.other_sender = self.lock.holder() or 0
            self.on_event(
                Waiting(
                    self.clock() + LOCK_POLL, WaitReason.OTHER_SENDER, self.other_sender or None
                )
            )
        await self.sleep(LOCK_POLL)

    async def run(self) -> None:
        try:
            while True:
                if not self._resume.is_set():
                    self.let_go()
                    await self._resume.wait()
                if await self.io(self.state.queue.next_pending, self.account) is None:
                    self.let_go()
                    self._wake.clear()
                    self.other_sender = None
                    self.on_event(Idle())
                    await self._wake.wait()
                    continue
                if not await self.try_hold():
                    await self._wait_for_sender()
                    continue
                await self._send_next()
        finally:
            self.let_go()

    async def run_until_idle(self) -> None:
        """Send everything pending, then return (used by tests and one-shot runs). While
        another process is sending, wait for it: it sends this process's rows too."""
        try:
            while self.paused is None:
                if not await self.try_hold():
                    await self._wait_for_sender()
                    if not await self.io(self.state.queue.pending, self.account):
                        return  # the other process sent it all, this process's rows included
                    continue
                if await self.io(self.state.queue.next_pending, self.account) is None:
                    return
                await self._send_next()
        finally:
            self.let_go()

    async def _send_next(self) -> None:
        item = await self.io(self.state.queue.next_pending, self.account)
        if item is None:
            return
        await self._respect_pace()
        if self.paused is not None:
            return
        await self._respect_rate_limit(item.action)
        if self.paused is None and self.spend_gate is not None:
            over = await self.spend_gate(item.action)
            if over is not None:
                self.pause(over, HoldReason.BUDGET)
                return
        if self.paused is None and await self.io(self.state.queue.claim, item):
            await self._send(item)

    async def _wait_until(
        self, until: float, reason: WaitReason, action: Action | None = None
    ) -> None:
        self.on_event(Waiting(until, reason, action=action))
        delay = until - self.clock()
        if delay > 0:
            await self.sleep(delay)

    async def _wait_for_daily_cap(self, until: float, action: Action) -> None:
        if not self.stop_at_daily_cap:
            await self._wait_until(until, WaitReason.DAILY_CAP, action)
            return
        self.daily_cap_until = until
        at = time.strftime("%Y-%m-%d %H:%M", time.localtime(until))
        self.pause(
            f"X's daily {action} cap is used up; the rest stays queued for `likes-tui resume` "
            f"after {at}.",
            HoldReason.DAILY_CAP,
        )

    async def _respect_pace(self) -> None:
        """Space the sends at the person's pace, inside their hours; outside them a headless
        run stops (TRY_LATER) rather than wait for morning."""
        pace = self.pace()
        if not pace.active:
            return
        if not self._last_sent_loaded:
            self._last_sent_loaded = True
            stored = await self.io(self.state.history.last_sent, self.account)
            if stored is not None and (self.last_sent is None or stored > self.last_sent):
                self.last_sent = stored
        now = self.clock()
        spaced = pace.spaced(now, self.last_sent)
        at = pace.next_send(now, self.last_sent)
        if at <= now:
            return
        outside = at > spaced  # the wait is for the hours to open, not for the spacing
        if outside and self.stop_at_daily_cap:
            opens = time.strftime("%Y-%m-%d %H:%M", time.localtime(at))
            self.pause(
                f"outside your sending hours ({pace.words()}); the rest stays queued for "
                f"`likes-tui resume` after {opens}.",
                HoldReason.HOURS,
            )
            return
        await self._wait_until(at, WaitReason.HOURS if outside else WaitReason.PACE)

    async def _respect_rate_limit(self, action: Action) -> None:
        """Never send into a used-up window or a used-up daily cap: wait for its reset."""
        daily = self.client.rate_limits.get(f"{action}-24h")
        if daily is not None and daily.exhausted(self.clock()):
            await self._wait_for_daily_cap(daily.reset_at + self.reset_margin, action)
            if self.paused is not None:
                return
        limit = self.client.rate_limits.get(action)
        if limit is not None and limit.exhausted(self.clock()):
            await self._wait_until(
                limit.reset_at + self.reset_margin, WaitReason.RATE_LIMIT, action
            )

    async def _send(self, item: QueueItem) -> None:
        """Send one claimed row and record what X said: it leaves 'sending' on every path
        but a kill (the next sender puts it back)."""
        call = self.client.like if item.action is Action.LIKE else self.client.unlike
        self.last_sent = self.clock()
        try:
            result = await call(item.post_id)
        except XError as exc:
            await self.save_rate_limits(item.action, f"{item.action}-24h")
            await self._failed(item, exc)
        except BaseException:
            await asyncio.shield(
                self.io(self.state.queue.attempt_failed, item, "interrupted", final=False)
            )
            raise
        else:
            self._note_window(item.action)
            await self.save_rate_limits(item.action, f"{item.action}-24h")
            await self.io(self.state.queue.complete, item, result.liked)
            if self._hold_stored:
                await self.io(self.state.holds.clear, self.account)
                self._hold_stored = False
            self.on_event(Sent(item, result.liked))

    def _note_window(self, kind: str) -> None:
        """The window's length as X runs it: the first request of a window sees its whole
        span until the reset (the ETA uses it, not an assumed 15 minutes)."""
        limit = self.client.rate_limits.get(kind)
        if limit is not None and limit.remaining == limit.limit - 1:
            self.windows[kind] = max(1.0, limit.reset_at - self.clock())

    async def _failed(self, item: QueueItem, exc: XError) -> None:
        if isinstance(exc, RateLimited | AuthError | PaymentRequired | Forbidden | NotAnswering):
            await self.io(self.state.queue.unclaim, item)
        if isinstance(exc, NotAnswering):
            self.pause(
                f"{exc.message} The rest stays queued for `likes-tui resume`.",
                HoldReason.NOT_ANSWERING,
            )
        elif isinstance(exc, RateLimited):
            until = exc.reset_at + self.reset_margin if exc.reset_at else self.clock() + 60
            if exc.daily:
                await self._wait_for_daily_cap(max(until, self.clock() + 1), item.action)
            else:
                await self._wait_until(
                    max(until, self.clock() + 1), WaitReason.RATE_LIMIT, item.action
                )
        elif isinstance(exc, AuthError):
            self.pause(exc.message, HoldReason.SIGN_IN)
        elif isinstance(exc, PaymentRequired | Forbidden):
            # Said once, kept for `status`, `queue list` and the next run; sending again
            # cannot help until the person changed something at X.
            reason = (
                HoldReason.PLAN
                if isinstance(exc, LikesNotInPlan)
                else HoldReason.PAYMENT
                if isinstance(exc, PaymentRequired)
                else HoldReason.ACCOUNT
            )
            await self.io(self.state.holds.save, self.account, str(reason), exc.message)
            self._hold_stored = True
            self.pause(exc.message, reason)
        elif isinstance(exc, NotFound | NotAuthorized):
            await self.io(self.state.queue.unavailable, item, exc.message)
            self.on_event(Unavailable(item, exc.message))
        else:
            final = not exc.retryable or item.attempts + 1 >= self.max_attempts
            await self.io(
                self.state.queue.attempt_failed,
                item,
                exc.message,
                final=final,
                retryable=exc.retryable,
            )
            self.on_event(Failed(item, exc.message, final))
            if not final:
                cap = min(self.backoff_cap, self.backoff_base * 2**item.attempts)
                await self._wait_until(
                    self.clock() + random.uniform(cap / 2, cap), WaitReason.RETRY
                )
