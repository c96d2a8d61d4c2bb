"""The imported archive as the app uses it: search its likes, import one from a path, and
unlike what a filter picks through the same durable queue as every other unlike.

A part of the likes service (core/service.py), the one owner of nothing but what it reads:
the archive's rows live in the store; the queue's progress is QueueMonitor's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from likes_tui.core.status import Notice
from likes_tui.domain import Action, Outcome
from likes_tui.store.archive import ArchivedRow, ArchiveFilter, ImportResult
from likes_tui.store.state import QueueRequest

if TYPE_CHECKING:
    from collections.abc import Callable

    from likes_tui.archive import Archive
    from likes_tui.core.actions import Actions
    from likes_tui.core.costs import Estimate
    from likes_tui.core.post_list import PostList
    from likes_tui.core.session import Session
    from likes_tui.store.state import StateDB

__all__ = ["ArchiveFilter", "ArchivePage", "ArchivedLikes", "ArchivedRow", "UnlikePlan"]

SHOWN = 500
"""Rows a search shows (the count says how many match)."""


@dataclass(frozen=True)
class ArchivePage:
    """One search of the archive: the newest matching rows, how many match, and which of
    the shown ones history says were unliked since."""

    rows: tuple[ArchivedRow, ...] = ()
    matching: int = 0
    total: int = 0
    unliked: frozenset[str] = field(default_factory=frozenset)
    queued: frozenset[str] = field(default_factory=frozenset)
    """Shown rows with an unlike queued and not yet sent."""


@dataclass(frozen=True)
class UnlikePlan:
    """What unliking a filter's likes would do: the posts still liked, and its estimate."""

    where: ArchiveFilter
    post_ids: tuple[str, ...]
    excerpts: dict[str, str]
    estimate: Estimate
    matching: int
    """All the filter picks, unliked since or not."""


class ArchivedLikes:
    def __init__(self, session: Session, posts: PostList, actions: Actions) -> None:
        self.session = session
        self.posts = posts
        self.actions = actions
        self.ctx = session.ctx

    async def page(self, where: ArchiveFilter) -> ArchivePage:
        return await self.session.io(_page, self.ctx.state, self.session.account, where)

    async def import_from(self, path: str) -> ImportResult:
        """Read an archive into this account's known likes (ArchiveError when it cannot be
        read or is another account's; nothing is written then)."""
        from likes_tui.archive import NotThisAccount

        def run() -> ImportResult:
            try:
                archive, result = import_archive(
                    self.ctx.state, self.session.account, Path(path).expanduser(), self.ctx.clock
                )
            except NotThisAccount as exc:
                raise NotThisAccount(f"{exc.message} Switch accounts (F2) first.") from None
            sandbox = self.ctx.backend.sandbox if self.ctx.demo else None
            if sandbox is not None:  # the demo's X then has the posts and likes, as X would
                sandbox.load_likes(archive.likes(), self.session.account)  # type: ignore[attr-defined]
            return result

        result = await self.session.io(run)
        await self.posts.settle_from_store()
        return result

    async def plan_unlike(self, where: ArchiveFilter) -> UnlikePlan:
        ids, excerpts, matching = await self.session.io(
            _still_liked, self.ctx.state, self.session.account, where
        )
        estimate = self.actions.estimate(Action.UNLIKE, len(ids))
        return UnlikePlan(where, tuple(ids), excerpts, estimate, matching)

    async def unlike(self, plan: UnlikePlan) -> int:
        """Queue the plan's unlikes (oldest post first); the sender paces them over days
        if it must. How many were queued."""
        items = [
            QueueRequest(post_id, Action.UNLIKE, "", plan.excerpts.get(post_id, ""))
            for post_id in plan.post_ids
        ]
        io, account = self.session.io, self.session.account
        outcomes = await io(self.ctx.state.queue.enqueue_many, account, items)
        queued = sum(1 for outcome in outcomes.values() if outcome is Outcome.QUEUED)
        await self.actions.send_queued()
        self.session.publish(
            Notice(
                f"{queued:,} unlikes queued from the archive; they go out at X's pace "
                "(1,000 a day at most), and carry on after a restart or with "
                "`likes-tui resume`.",
                timeout=10,
            )
        )
        return queued


def import_archive(
    state: StateDB, account: str, path: Path | str, clock: Callable[[], float]
) -> tuple[Archive, ImportResult]:
    """Read the archive at `path` into `account`'s known likes, dated by the archive (else
    now). ArchiveError (NotThisAccount for another account's), with nothing written."""
    from likes_tui.archive import NotThisAccount, open_archive

    archive = open_archive(path)
    owner = archive.account_id
    if owner is not None and owner != account:
        whose = f"@{archive.username}'s" if archive.username else "another account's"
        raise NotThisAccount(
            f"That is {whose} archive (id {owner}), not this account's ({account})."
        )
    dated = archive.generated_at or clock()
    return archive, state.archive.import_likes(account, archive.likes(), dated)


def _page(state: StateDB, account: str, where: ArchiveFilter) -> ArchivePage:
    rows = tuple(state.archive.likes(account, where, limit=SHOWN))
    shown = [r.post_id for r in rows]
    known = state.history.known_states(account, shown)
    queued = state.queue.pending_actions(account, shown)
    return ArchivePage(
        rows,
        state.archive.count(account, where),
        state.archive.count(account),
        frozenset(i for i in shown if known.get(i) is False),
        frozenset(i for i, action in queued.items() if action == Action.UNLIKE),
    )


def _still_liked(
    state: StateDB, account: str, where: ArchiveFilter
) -> tuple[list[str], dict[str, str], int]:
    rows = state.archive.likes(account, where, limit=None)
    rows.reverse()  # oldest post first
    known = state.history.known_states(account, [r.post_id for r in rows])
    ids = [r.post_id for r in rows if known.get(r.post_id, True)]
    excerpts = {r.post_id: r.text[:120] for r in rows}
    return ids, excerpts, len(rows)
