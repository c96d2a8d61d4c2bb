"""The likes service: one account's like state, queue progress, spend and hold, behind one
face for the UI.

Its parts, each the one owner of its state (see docs/ARCHITECTURE.md):
  session     the account's secrets, X client, sender and tasks (core/session.py)
  posts       the list's rows: paste, lookup, authors, like states (core/post_list.py)
  actions     like, unlike, undo, remove, resume, retry, drop (core/actions.py)
  queue       the queue's counts, the hold, the sender's news (core/queue_view.py)
  meter       what X billed, and the daily budget (core/meter.py)
  like_check  `c`'s progress (core/likecheck.py)
  archived    the imported archive: search, import, bulk unlike (core/archived.py)
Headless runs use core/batch.py over the same parts.

Everything here runs on the event loop; store calls go through `session.io` to a thread.
Screens call these methods and render what is published (`Update`s); they keep no copies.
No textual here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from likes_tui.api.errors import SecretsMissing
from likes_tui.billing import utc_day
from likes_tui.core.actions import Actions
from likes_tui.core.archived import ArchivedLikes
from likes_tui.core.likecheck import LikeCheck, start_or_stop
from likes_tui.core.meter import Meter
from likes_tui.core.post_list import Pasted, PostList
from likes_tui.core.queue_view import QueueMonitor
from likes_tui.core.session import Session
from likes_tui.core.status import AskResume, Notice, Update
from likes_tui.domain import Action, HoldReason, ResumeAnswer

if TYPE_CHECKING:
    from likes_tui.api.client import XClient
    from likes_tui.core.context import AppContext
    from likes_tui.core.costs import Estimate
    from likes_tui.core.posts import PostRow
    from likes_tui.core.view import Hold, QueueView, Wait
    from likes_tui.domain import HistoryPage
    from likes_tui.sending.sender import Event, Sender
    from likes_tui.store.state import DaySpend


class LikesService:
    def __init__(
        self,
        ctx: AppContext,
        publish: Callable[[Update], None],
        *,
        on_sender: Callable[[Event], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.session = session = Session(ctx, publish, on_sender=on_sender)
        self.meter = meter = Meter(session)
        self.posts = posts = PostList(session)
        self.like_check = LikeCheck()
        """`c`'s progress, kept between a stop and the `c` that carries on."""
        self.queue = queue = QueueMonitor(session, posts, meter, self.like_check)
        self.actions = actions = Actions(session, posts, queue)
        self.archived = ArchivedLikes(session, posts, actions)
        session.on_answer = meter.metered
        session.on_event = queue.sender_event
        session.spend_gate = meter.over_budget
        session.on_connected = queue.connected
        meter.on_cached = posts.note_cached
        meter.on_spent = queue.publish
        posts.auto_like = actions.auto_like

    # -- what the UI and tests read ----------------------------------------------------------

    @property
    def account(self) -> str:
        return self.ctx.account

    @property
    def rows(self) -> dict[str, PostRow]:
        return self.posts.rows

    @property
    def client(self) -> XClient | None:
        return self.session.client

    @property
    def sender(self) -> Sender | None:
        return self.session.sender

    @property
    def sleep(self) -> Callable[[float], Awaitable[None]]:
        return self.session.sleep

    @sleep.setter
    def sleep(self, value: Callable[[float], Awaitable[None]]) -> None:
        self.session.sleep = value

    @property
    def hold(self) -> Hold | None:
        return self.queue.hold

    @property
    def wait(self) -> Wait | None:
        return self.queue.wait

    @property
    def unsent(self) -> int:
        return self.queue.unsent

    @property
    def summary(self) -> str:
        return self.queue.summary

    @property
    def spent_today(self) -> float:
        return self.meter.spent_today

    @property
    def spent_session(self) -> float:
        return self.meter.spent_session

    @property
    def idle(self) -> bool:
        return self.session.idle

    def view(self) -> QueueView:
        return self.queue.view()

    # -- lifecycle -------------------------------------------------------------------------

    async def connect(self) -> XClient:
        return await self.session.connect()

    async def start(self) -> None:
        """Connect, show last run's unsent work as rows, and ask about it unless another
        process is sending it right now."""
        session, queue, posts = self.session, self.queue, self.posts
        try:
            await session.connect()
        except SecretsMissing as exc:
            name = self.ctx.profile.name if self.ctx.profile else ""
            queue.set_hold(HoldReason.SIGN_IN, f"cannot read {name}'s secrets")
            session.publish(Notice(exc.message, severity="error", timeout=15))
            await queue.refresh()
            return
        sender = session.sender
        assert sender is not None
        state, account = self.ctx.state, session.account
        await self.meter.load()
        today = utc_day(self.ctx.clock())
        posts.cached_today = (today, await session.io(state.post_cache.cached_post_ids, today))
        unsent = await session.io(state.queue.pending, account)
        if unsent:
            posts.add([item.post_id for item in unsent])
        if unsent and not await sender.try_hold():
            holder = sender.lock.holder() if sender.lock else None
            who = f" (pid {holder})" if holder else ""
            session.publish(
                Notice(
                    f"{len(unsent)} queued likes are being sent by another likes-tui{who}; "
                    "they show here as queued.",
                    timeout=8,
                )
            )
        elif unsent and self.ctx.settings.resume_pending != "auto":
            queue.set_hold(HoldReason.UNSENT, f"{len(unsent)} unsent from last time")
            stored = await session.io(state.holds.stored, account)
            held = ""
            if stored is not None:
                import time

                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(stored.at))
                held = f"Held since {when}: {stored.message}"
            session.publish(AskResume(len(unsent), held))
        await queue.refresh()
        if unsent:
            await posts.lookup([item.post_id for item in unsent])

    async def run_sender(self) -> None:
        """Send the queue, from the moment the account's secrets could be read (at start,
        or later, once the person fixed what stopped them)."""
        await self.session.connected.wait()
        assert self.session.sender is not None
        await self.session.sender.run()

    async def load_liked(self) -> None:
        await self.posts.load_liked()

    async def close(self) -> None:
        await self.session.close()

    async def wait_idle(self) -> None:
        await self.session.wait_idle()

    async def refresh_queue(self) -> None:
        await self.queue.refresh()

    # -- the list --------------------------------------------------------------------------

    def paste(self, text: str) -> Pasted:
        return self.posts.paste(text)

    async def lookup(self, ids: list[str]) -> None:
        await self.posts.lookup(ids)

    async def check_like_states(self) -> None:
        await start_or_stop(self.like_check, self.session, self.posts, self.queue.publish)

    # -- actions ---------------------------------------------------------------------------

    async def toggle(self, post_id: str | None) -> None:
        await self.actions.toggle(post_id)

    def targets(self, action: Action, ids: list[str] | None = None) -> list[PostRow]:
        return self.actions.targets(action, ids)

    def estimate(self, action: Action, count: int, *, reads: int = 0) -> Estimate:
        return self.actions.estimate(action, count, reads=reads)

    async def act_on(self, action: Action, ids: list[str] | None = None) -> None:
        await self.actions.act_on(action, ids)

    async def like_all(self) -> None:
        await self.actions.act_on(Action.LIKE)

    async def unlike_all(self) -> None:
        await self.actions.act_on(Action.UNLIKE)

    def last_undo_size(self) -> int:
        return self.actions.last_undo_size()

    def remove(self, ids: list[str]) -> None:
        self.actions.remove(ids)

    def clear(self) -> None:
        self.actions.clear()

    async def undo(self) -> None:
        await self.actions.undo()

    async def answer_resume(self, answer: ResumeAnswer | None) -> None:
        await self.actions.answer_resume(answer)

    async def resume_queue(self) -> None:
        await self.actions.resume_queue()

    async def retry_failed(self) -> None:
        await self.actions.retry_failed()

    async def drop_failed(self) -> None:
        await self.actions.drop_failed()

    async def toggle_auto_like(self) -> None:
        await self.actions.toggle_auto_like()

    # -- reads for the other screens -------------------------------------------------------

    async def spend_report(self, days: int = 7) -> list[DaySpend]:
        return await self.meter.spend_report(days)

    async def lookup_over_budget(self, count: int) -> str | None:
        return await self.meter.lookup_over_budget(count)

    async def history(self, search: str = "") -> HistoryPage:
        state = self.ctx.state
        return await self.session.io(
            state.history.page, self.account or None, search=search.strip()
        )
