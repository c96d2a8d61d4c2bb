"""What the keys do to the list and the queue: like, unlike, undo (a stack), remove, and the
queue as a whole (resume, retry, drop). A like shows at once (optimistic), is recorded in
the store, sent by the sender, and rolled back if X refuses it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from likes_tui.core.posts import PostRow
from likes_tui.core.status import Notice, RowsRemoved, RowsRestored, Severity
from likes_tui.core.undo import Removed, Toggled, Undoable
from likes_tui.domain import Action, HoldReason, Outcome, ResumeAnswer
from likes_tui.store.files import StoreError
from likes_tui.store.state import QueueRequest

if TYPE_CHECKING:
    from likes_tui.core.costs import Estimate
    from likes_tui.core.post_list import PostList
    from likes_tui.core.queue_view import QueueMonitor
    from likes_tui.core.session import Session


class Actions:
    def __init__(self, session: Session, posts: PostList, queue: QueueMonitor) -> None:
        self.session = session
        self.ctx = session.ctx
        self.posts = posts
        self.queue = queue
        self.undo_stack: list[Undoable] = []
        """Each entry is one action: a single l or a whole L as (post, state before), or the
        rows a `d` took off the list with where they stood."""

    @property
    def rows(self) -> dict[str, PostRow]:
        return self.posts.rows

    def _say(self, message: str, severity: Severity = "information") -> None:
        self.session.publish(Notice(message, severity))

    # -- like and unlike -------------------------------------------------------------------

    async def toggle(self, post_id: str | None) -> None:
        row = self.rows.get(post_id) if post_id else None
        if row is None:
            self._say("Nothing selected: paste a post URL first.", "warning")
            return
        if not row.ready:
            self._say(f"Cannot like this post: {row.state_words()}", "warning")
            return
        self.undo_stack.append(Toggled(((row.post_id, row.liked),)))
        await self.queue_rows([row], Action.UNLIKE if row.liked else Action.LIKE)

    def targets(self, action: Action, ids: list[str] | None = None) -> list[PostRow]:
        """The rows an action over `ids` (or the whole list) would change."""
        rows = [self.rows[i] for i in ids if i in self.rows] if ids else list(self.rows.values())
        return [r for r in rows if r.ready and r.liked is not action.liked]

    def estimate(self, action: Action, count: int, *, reads: int = 0) -> Estimate:
        """How long `count` more actions take at the pace X reported, and what they cost
        (`reads`: posts a headless run looks up first)."""
        from likes_tui.core.costs import Estimate
        from likes_tui.sending.eta import DEFAULT_WINDOW, documented, eta_seconds

        view = self.queue.view()
        like = action is Action.LIKE
        now = self.ctx.clock()
        kind = "like" if like else "unlike"
        eta = eta_seconds(
            (view.unsent - view.unsent_unlikes if like else view.unsent_unlikes) + count,
            (view.like_limit if like else view.unlike_limit) or documented(kind, now),
            now,
            daily=(view.like_daily if like else view.unlike_daily)
            or documented(kind, now, daily=True),
            window=(view.window if like else view.unlike_window) or DEFAULT_WINDOW,
        )
        pace = ""
        if view.pace is not None:
            eta = view.pace.eta(now, view.unsent + count, at_least=eta)
            pace = view.pace.words()
        return Estimate(count, action, eta, self.ctx.settings.prices, reads, pace)

    async def act_on(self, action: Action, ids: list[str] | None = None) -> None:
        """Like (or unlike) every post of `ids`, or of the whole list, not in that state."""
        todo = self.targets(action, ids)
        if not todo:
            state = "liked" if action.liked else "not liked"
            where = "marked post is" if ids else "post in the list is"
            self._say(f"Every {where} already {state}.")
            return
        self.undo_stack.append(Toggled(tuple((r.post_id, r.liked) for r in todo)))
        await self.queue_rows(todo, action)

    async def auto_like(self, rows: list[PostRow]) -> None:
        """Auto-like on paste: what a lookup found, liked without a keystroke each."""
        await self.queue_rows(rows, Action.LIKE)

    # -- undo ------------------------------------------------------------------------------

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
            self.session.publish(RowsRemoved(tuple(row.post_id for _, row in gone)))

    def clear(self) -> None:
        self.remove(list(self.rows))

    async def undo(self) -> None:
        """Undo the last l, L or d: each post goes back to what it was before, or back on
        the list where it stood."""
        if not self.undo_stack:
            self._say("Nothing to undo.")
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
            self._say("Already undone.")
            return
        for action in Action:
            await self.queue_rows(
                [r for r, before in changed if action.liked == bool(before)], action
            )
        if len(changed) == 1:
            row, before = changed[0]
            word = "like" if before else "unlike"
            self._say(f"Undo: {word} queued for {row.author or row.post_id}.")
        else:
            self._say(f"Undo: {len(changed)} posts put back as they were.")

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
            self._say("Already back on the list.")
            return
        first = back[0][1].post_id
        self.session.publish(RowsRestored(tuple(self.rows.values()), select=first))
        count = len(back)
        self._say(f"Undo: {count} post{'s' if count != 1 else ''} back on the list.")

    # -- into the queue --------------------------------------------------------------------

    async def queue_rows(self, rows: list[PostRow], action: Action) -> None:
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
        self.posts.publish(shown)
        io, account = self.session.io, self.session.account
        try:
            outcomes = await io(self.ctx.state.queue.enqueue_many, account, items)
        except StoreError as exc:
            self.rows.update(shown)
            self.posts.publish(shown)
            self._say(f"Could not queue: {exc.message}", "error")
            return
        settled = [
            post_id
            for post_id, outcome in outcomes.items()
            if outcome in (Outcome.CANCELLED, Outcome.DONE) and post_id in self.rows
        ]
        for post_id in settled:
            self.rows[post_id] = replace(self.rows[post_id], pending=None)
        self.posts.publish(settled)
        if await self.send_queued():
            self._say("The queue runs again; last time's unsent work goes first.")

    async def send_queued(self) -> bool:
        """New work is queued: the sender starts on it. True when that released the hold on
        last run's unsent work (it goes first)."""
        await self.session.connect()
        assert self.session.sender is not None
        hold = self.queue.hold
        released = hold is not None and hold.reason is HoldReason.UNSENT
        if released:
            self.queue.release_hold()
        self.session.sender.wake()
        await self.queue.refresh()
        return released

    # -- the queue as a whole --------------------------------------------------------------

    async def answer_resume(self, answer: ResumeAnswer | None) -> None:
        """The person's answer about last run's unsent work: resume, later or discard."""
        sender = self.session.sender
        assert sender is not None
        io, account, state = self.session.io, self.session.account, self.ctx.state
        if answer == ResumeAnswer.DISCARD and not await sender.try_hold():
            self._say("Another likes-tui started sending them; nothing was discarded.", "warning")
            self.queue.release_hold()
        elif answer == ResumeAnswer.DISCARD:
            discarded = [i.post_id for i in await io(state.queue.pending, account)]
            await io(state.queue.cancel_pending, account)
            known = await io(state.history.known_states, account, discarded)
            for post_id in discarded:
                row = self.rows.get(post_id)
                if row is not None:
                    self.rows[post_id] = replace(row, pending=None, liked=known.get(post_id))
            self.posts.publish(discarded)
            self._say(f"Discarded {len(discarded)} unsent actions.")
            self.queue.release_hold()
        elif answer == ResumeAnswer.RESUME:
            self.queue.release_hold()
            self._say("Resuming unsent likes.")
        else:
            self.session.publish(
                Notice("Unsent likes are kept; resume from the command palette.", timeout=6)
            )
        await self.queue.refresh()

    async def resume_queue(self) -> None:
        self.queue.release_hold()
        self._say("Queue resumed.")
        await self.queue.refresh()

    async def retry_failed(self) -> None:
        n = await self.session.io(self.ctx.state.queue.retry_failed, self.session.account)
        self._say(f"Retrying {n} failed actions." if n else "No failed actions.")
        if self.session.sender is not None:
            self.session.sender.wake()
        await self.queue.refresh()

    async def drop_failed(self) -> None:
        n = await self.session.io(self.ctx.state.queue.drop_failed, self.session.account)
        self._say(f"Dropped {n} failed actions." if n else "No failed actions.")
        await self.queue.refresh()

    async def toggle_auto_like(self) -> None:
        value = not self.ctx.settings.auto_like
        error = await self.ctx.change_settings(auto_like=value)
        self._say(error or f"Auto-like on paste is {'on' if value else 'off'}.")
        self.queue.publish()
