"""The queue as the person sees it: counts read from the store (true after a restart and
while another process sends), the one hold with its reason, what the sender waits for, and
the sender's events turned into rows, notices and a fresh QueueView."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from likes_tui.core.status import Notice, QueueChanged
from likes_tui.core.view import Hold, QueueView, Wait
from likes_tui.domain import BatchProgress, HoldReason, RowStatus, WaitReason

if TYPE_CHECKING:
    from likes_tui.core.likecheck import LikeCheck
    from likes_tui.core.meter import Meter
    from likes_tui.core.post_list import PostList
    from likes_tui.core.session import Session
    from likes_tui.sending.sender import Event

REFRESH_GAP = 0.1
"""Seconds between two counts of the queue while it changes (a count of 100,000 rows takes
about 15 ms of the store's one thread)."""


class QueueMonitor:
    def __init__(self, session: Session, posts: PostList, meter: Meter, check: LikeCheck) -> None:
        self.session = session
        self.ctx = session.ctx
        self.posts = posts
        self.meter = meter
        self.check = check
        self.hold: Hold | None = None
        self.wait: Wait | None = None
        self.unsent = 0
        self.unsent_unlikes = 0
        self.failed = 0
        self.batch = BatchProgress()
        self.summary = ""
        self._refreshing = False
        self._refresh_again = False

    def view(self) -> QueueView:
        session = self.session
        limits = session.client.rate_limits if session.client else {}
        sender = session.sender
        return QueueView(
            handle=f"@{self.ctx.profile.username}" if self.ctx.profile else "",
            unsent=self.unsent,
            failed=self.failed,
            batch=self.batch,
            like_limit=limits.get("like"),
            unlike_limit=limits.get("unlike"),
            like_daily=limits.get("like-24h"),
            unlike_daily=limits.get("unlike-24h"),
            unsent_unlikes=self.unsent_unlikes,
            window=sender.windows.get("like") if sender else None,
            unlike_window=sender.windows.get("unlike") if sender else None,
            hold=self.hold,
            wait=self.wait,
            auto_like=self.ctx.settings.auto_like,
            summary=self.summary,
            spent_today=self.meter.spent_today,
            spent_session=self.meter.spent_session,
            check=self.check.view(),
            pace=pace if (pace := self.ctx.pace()).active else None,
        )

    def publish(self) -> None:
        self.session.publish(QueueChanged(self.view()))

    async def refresh(self) -> None:
        """Count the queue from the store, then publish. A call while one is reading asks
        for one more read after it, so the last change is never missed; that read waits
        REFRESH_GAP, so a fast queue's sends do not queue behind its own counting."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        try:
            while True:
                self._refresh_again = False
                counts, batch = await self.session.io(self._read)
                self._apply(counts, batch)
                if not self._refresh_again:
                    break
                await asyncio.sleep(REFRESH_GAP)
        finally:
            self._refreshing = False

    def _apply(self, counts: tuple[int, int, int], batch: BatchProgress) -> None:
        was_running = self.unsent > 0
        self.unsent, self.failed, self.unsent_unlikes = counts
        self.batch = batch
        if batch.unsent:
            self.summary = ""
        elif was_running and batch.total:
            self.summary = _summary(batch)
            self.session.publish(Notice(f"Batch done: {self.summary}.", timeout=8))
        self.publish()

    def _read(self) -> tuple[tuple[int, int, int], BatchProgress]:
        state, account = self.ctx.state, self.session.account
        counts = state.queue.counts(account)
        return (counts.pending, counts.failed, counts.unlikes), state.queue.batch(account)

    # -- the hold --------------------------------------------------------------------------

    def set_hold(self, reason: HoldReason, message: str) -> None:
        self.hold = Hold(reason, message)
        if self.session.sender is not None:
            self.session.sender.pause(message, reason, announce=False)

    def release_hold(self) -> None:
        self.hold = None
        if self.session.sender is not None:
            self.session.sender.resume()

    def connected(self) -> None:
        """The secrets are readable again: a sign-in hold is over (nothing else held it)."""
        if self.hold is not None and self.hold.reason is HoldReason.SIGN_IN:
            self.hold = None
            self.publish()

    # -- the sender's news -----------------------------------------------------------------

    def sender_event(self, event: Event) -> None:
        from likes_tui.sending.sender import (
            Failed,
            Idle,
            Paused,
            Resending,
            Sent,
            Unavailable,
            Waiting,
        )

        rows = self.posts.rows
        publish = self.session.publish
        changed: list[str] = []
        if isinstance(event, Sent):
            self.wait = None
            row = rows.get(event.item.post_id)
            if row is not None and row.pending == event.item.action:
                rows[row.post_id] = replace(row, pending=None, liked=event.liked)
                changed.append(row.post_id)
        elif isinstance(event, Failed) and event.final:
            row = rows.get(event.item.post_id)
            if row is not None and row.pending == event.item.action:
                rows[row.post_id] = replace(row, pending=None, liked=row.before)
                changed.append(row.post_id)
            who = (row.author if row else "") or event.item.post_id
            publish(
                Notice(
                    f"{event.item.action.capitalize()} failed for {who}: {event.message}",
                    severity="error",
                    timeout=8,
                )
            )
        elif isinstance(event, Unavailable):
            row = rows.get(event.item.post_id)
            if row is not None:
                rows[row.post_id] = replace(
                    row,
                    pending=None,
                    liked=row.before,
                    status=RowStatus.MISSING,
                    error=event.message,
                )
                changed.append(row.post_id)
                publish(Notice(f"Not sent: {event.message}", severity="warning", timeout=8))
            # Not in the list (an archive's bulk unlike): the batch's summary counts it.
        elif isinstance(event, Waiting):
            until = event.until
            sender = self.session.sender
            if event.reason in (WaitReason.RATE_LIMIT, WaitReason.DAILY_CAP) and sender:
                until -= sender.reset_margin  # X's reset, as the rate limit shows it
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
            publish(Notice(event.message + advice, "error", title="Queue paused", timeout=15))
        elif isinstance(event, Resending):
            publish(
                Notice(
                    f"{event.count} likes from a run that stopped mid-send go out again "
                    "(X counts a repeated like once).",
                    timeout=8,
                )
            )
        elif isinstance(event, Idle):
            self.wait = None
            self.session.spawn(self.posts.settle_sent_elsewhere())
        self.posts.publish(changed)
        self.publish()
        self.session.spawn(self.refresh())


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
