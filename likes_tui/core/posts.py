"""The state of one post in the list, as the likes service knows it (immutable: a change is a
new row, so the table redraws what changed and nothing keeps a stale copy)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from likes_tui.domain import Action, RowStatus

if TYPE_CHECKING:
    from likes_tui.api.models import Post


@dataclass(frozen=True)
class PostRow:
    post_id: str
    post: Post | None = None
    status: RowStatus = RowStatus.LOOKING
    liked: bool | None = None
    """What X has (or will have once the pending action is sent); None = unknown."""
    pending: Action | None = None
    """The action queued or on its way."""
    liked_at_lookup: bool | None = None
    """The state X's counts were taken in: a like since then moves the count by one."""
    before: bool | None = None
    """The state shown before the pending action, restored if X refuses it."""
    error: str = ""
    retry_at: float | None = None
    """While looking: X's lookup limit was reached and the lookup runs again at this time."""

    @property
    def ready(self) -> bool:
        return self.status is RowStatus.READY

    @property
    def like_count(self) -> int:
        """X's count, corrected for our own like or unlike since the lookup. When the state
        then was not known, a like is taken as new (the usual case: X's answer is the same
        either way) and `counts_ours_assumed` says so."""
        if self.post is None:
            return 0
        count = self.post.metrics.likes
        if self.liked_at_lookup is not True and self.liked:
            count += 1
        elif self.liked_at_lookup is True and self.liked is False:
            count -= 1
        return max(0, count)

    @property
    def counts_ours_assumed(self) -> bool:
        """The count includes our like on the guess that it was new."""
        return self.liked_at_lookup is None and bool(self.liked)

    @property
    def author(self) -> str:
        if self.post and self.post.author:
            return f"@{self.post.author.username}"
        return ""

    @property
    def url(self) -> str:
        return self.post.url if self.post else f"https://x.com/i/web/status/{self.post_id}"

    def state_symbol(self) -> str:
        if self.status is RowStatus.LOOKING:
            return "…"
        if self.status is not RowStatus.READY:
            return "✗"
        if self.pending:
            return "♥…" if self.pending is Action.LIKE else "♡…"
        return {True: "♥", False: "♡", None: "?"}[self.liked]

    def state_words(self) -> str:
        if self.status is RowStatus.LOOKING and self.retry_at is not None:
            at = time.strftime("%H:%M:%S", time.localtime(self.retry_at))
            return f"X's lookup limit is reached; looked up again at {at}"
        if self.status is RowStatus.LOOKING:
            return "looking up…"
        if self.status is not RowStatus.READY:
            return self.error or "not available"
        if self.pending is Action.LIKE:
            return "liking (queued)"
        if self.pending is Action.UNLIKE:
            return "unliking (queued)"
        return {True: "liked", False: "not liked", None: "like state unknown"}[self.liked]
