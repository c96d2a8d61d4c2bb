"""The post list: one row per post pasted (or left queued by an earlier run), what X said of
it, its author and this account's like state. It owns the rows; the other parts change
them through it and it publishes each change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from likes_tui.api.errors import NotAuthorized, NotFound, RateLimited, XError
from likes_tui.billing import utc_day
from likes_tui.core.posts import PostRow
from likes_tui.core.status import InlineNote, Notice, RowsChanged
from likes_tui.domain import Action, RowStatus

if TYPE_CHECKING:
    from likes_tui.api.models import Lookup, Post
    from likes_tui.core.session import Session

AUTHOR_TTL = 7 * 86400.0
"""How long an author read from X is kept (names rarely change): a week."""


@dataclass(frozen=True)
class Pasted:
    found: tuple[str, ...]
    """Every post id in the text, in order."""
    new: tuple[str, ...]
    """Those not in the list yet: to be looked up."""


class PostList:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.ctx = session.ctx
        self.rows: dict[str, PostRow] = {}
        self.known_liked: set[str] = set()
        """Posts X listed as liked at start (`sync_likes_at_start`)."""
        self.inline = ""
        """The line under the URL box (what the last paste found)."""
        self.cached_today: tuple[str, set[str]] = ("", set())
        """(UTC day, the posts the store holds for it): a lookup asks the store only for
        these, so a new post's request is not queued behind a store read."""
        self.auto_like: Callable[[list[PostRow]], Awaitable[None]] | None = None
        """Given the rows a lookup found, when auto-like is on (the actions queue them)."""

    # -- rows ------------------------------------------------------------------------------

    def publish(self, ids: Iterable[str], select: str | None = None) -> None:
        rows = tuple(self.rows[i] for i in dict.fromkeys(ids) if i in self.rows)
        if rows or select:
            self.session.publish(RowsChanged(rows, select))

    def add(self, ids: list[str], select: str | None = None) -> None:
        new = [post_id for post_id in ids if post_id not in self.rows]
        for post_id in new:
            self.rows[post_id] = PostRow(post_id)
        self.publish(new, select)

    def note_cached(self, day: str, ids: set[str]) -> None:
        kept = self.cached_today[1] if self.cached_today[0] == day else set()
        self.cached_today = (day, kept | ids)

    def _note(self, text: str) -> None:
        self.inline = text
        self.session.publish(InlineNote(text))

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
        self.add(new, select=result.ids[0])
        return Pasted(tuple(result.ids), tuple(new))

    # -- looking up ------------------------------------------------------------------------

    async def lookup(self, ids: list[str]) -> None:
        """Posts read today come from the cache; the rest from X, in one batched lookup
        without their authors. Authors read this week come from the cache too and the rows
        show at once; the other authors are read in one more request (the same user read X
        would bill for the expansion) and fill in when it answers."""
        from likes_tui.api.client import BATCH
        from likes_tui.api.models import Lookup

        client = await self.session.connect()
        today = utc_day(self.ctx.clock())
        day, kept = self.cached_today
        maybe = [i for i in ids if day == today and i in kept]
        posts = await self.read_today(maybe, kept_authors=False) if maybe else {}
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
        # One store read for the kept authors and the like states: submitted before the
        # meter's write of this answer (an fsync), not queued behind it.
        need = self._authors_needed(posts)
        since = self.ctx.clock() - AUTHOR_TTL
        authors, known, pending = await self.session.io(self._read_for_rows, need, since, posts)
        posts = _with_authors(posts, authors)
        await self._apply_lookup(Lookup(posts, errors), known, pending)
        await self._read_authors(posts)

    async def read_today(self, ids: list[str], *, kept_authors: bool = True) -> dict[str, Post]:
        """The posts of `ids` this computer read from X today (no request), with the authors
        read with them, and (`kept_authors`) those read this week."""
        from likes_tui.api.models import Post, User

        today = utc_day(self.ctx.clock())
        cached = await self.session.io(self.ctx.state.post_cache.cached_posts, ids, today)
        out: dict[str, Post] = {}
        for post_id, (item, author) in cached.items():
            users = {author["id"]: User.from_json(author)} if author else {}
            out[post_id] = Post.from_json(item, users)
        return await self._kept_authors(out) if kept_authors else out

    async def _kept_authors(self, posts: dict[str, Post]) -> dict[str, Post]:
        """The posts with the authors read this week (from the store; no request)."""
        need = self._authors_needed(posts)
        if not need:
            return posts
        since = self.ctx.clock() - AUTHOR_TTL
        known = await self.session.io(self.ctx.state.post_cache.cached_authors, need, since)
        return _with_authors(posts, known)

    @staticmethod
    def _authors_needed(posts: dict[str, Post]) -> list[str]:
        return sorted({p.author_id for p in posts.values() if p.author_id and p.author is None})

    def _read_for_rows(
        self, need: list[str], since: float, posts: dict[str, Post]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, bool], dict[str, Action]]:
        """On the store's thread: the kept authors, then what history and the queue say."""
        authors = self.ctx.state.post_cache.cached_authors(need, since) if need else {}
        return (authors, *self._states_of(list(posts)))

    async def _read_authors(self, posts: dict[str, Post]) -> None:
        """Read the authors not kept, in one request, and fill them into their rows."""
        missing = {p.author_id for p in posts.values() if p.author_id and p.author is None}
        client = self.session.client
        if not missing or client is None:
            return
        try:
            users = await client.get_users(sorted(missing))
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
            self.publish(changed)

    async def _apply_lookup(
        self, lookup: Lookup, known: dict[str, bool], pending: dict[str, Action]
    ) -> None:
        found = []
        for post_id, post in lookup.posts.items():
            row = self.rows.get(post_id) or PostRow(post_id)
            liked = row.liked
            if liked is None:
                liked = known.get(post_id, True if post_id in self.known_liked else None)
            action = pending.get(post_id)
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
        self.publish([*lookup.posts, *failed])
        if self.ctx.settings.auto_like and self.auto_like is not None:
            await self.auto_like([r for r in found if r.liked is not True and not r.pending])

    def _states_of(self, ids: list[str]) -> tuple[dict[str, bool], dict[str, Action]]:
        """What history says of these posts, and what is queued for them (one store call)."""
        state = self.ctx.state
        account = self.session.account
        pending = state.queue.pending_actions(account, ids)
        return state.history.known_states(account, ids), pending

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
        self.publish(ids)
        self.session.start_cancellable(self._lookup_at(ids, at))
        self.session.publish(
            Notice(
                f"{why}: {len(ids):,} posts are looked up by themselves in "
                f"{countdown(at - now)} (d takes a post off the list).",
                timeout=8,
            )
        )

    async def _lookup_at(self, ids: list[str], at: float) -> None:
        await self.session.sleep(max(0.0, at - self.ctx.clock()))
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

        client = self.session.client
        limit = client.rate_limits.get("lookup") if client else None
        if limit is None or limit.reset_at <= self.ctx.clock():
            return ids, None
        room = max(0, limit.remaining) * BATCH
        return (ids, None) if len(ids) <= room else (ids[:room], limit.reset_at)

    # -- like states -----------------------------------------------------------------------

    def unknown(self) -> set[str]:
        return {r.post_id for r in self.rows.values() if r.ready and r.liked is None}

    def settle_like_states(self, liked: set[str], not_liked: set[str]) -> None:
        """What `c` found: the unknown rows become liked or not."""
        settled = []
        for post_id in liked | not_liked:
            row = self.rows.get(post_id)
            if row is not None and row.liked is None and not row.pending:
                state = post_id in liked
                self.rows[post_id] = replace(row, liked=state, liked_at_lookup=state)
                settled.append(post_id)
        self.publish(settled)

    async def settle_from_store(self) -> None:
        """Rows shown as ? that the store now knows (an archive was imported)."""
        unknown = [r.post_id for r in self.rows.values() if r.liked is None and not r.pending]
        if not unknown:
            return
        state = self.ctx.state
        known = await self.session.io(state.history.known_states, self.session.account, unknown)
        self.settle_like_states(
            {i for i, liked in known.items() if liked},
            {i for i, liked in known.items() if not liked},
        )

    async def load_liked(self) -> None:
        """Recent likes from X, so posts liked elsewhere show as liked (one request). Only
        when `sync_likes_at_start` is on: X bills it (owned reads and every author)."""
        if not self.ctx.settings.sync_likes_at_start:
            return
        try:
            client = await self.session.connect()
            page = await client.liked_posts(max_results=100)
        except XError:
            return
        self.known_liked = {p.id for p in page.posts}

    async def settle_sent_elsewhere(self) -> None:
        """Rows still shown as queued that another process sent: show what it recorded."""
        waiting = [r.post_id for r in self.rows.values() if r.pending]
        if not waiting:
            return
        state = self.ctx.state
        account = self.session.account
        unsent = {i.post_id for i in await self.session.io(state.queue.pending, account)}
        settled = [post_id for post_id in waiting if post_id not in unsent]
        known = await self.session.io(state.history.known_states, account, settled)
        for post_id in settled:
            row = self.rows[post_id]
            self.rows[post_id] = replace(row, pending=None, liked=known.get(post_id, row.before))
        self.publish(settled)


def _with_authors(posts: dict[str, Post], authors: dict[str, dict[str, Any]]) -> dict[str, Post]:
    """The posts with these kept authors filled in (JSON as the cache keeps it)."""
    if not authors:
        return posts
    from likes_tui.api.models import User

    users = {uid: User.from_json(j) for uid, j in authors.items()}
    return {
        pid: replace(p, author=users[p.author_id])
        if p.author is None and p.author_id in users
        else p
        for pid, p in posts.items()
    }


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
