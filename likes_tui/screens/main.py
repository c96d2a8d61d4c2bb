"""The main screen: paste URLs, see posts, like and unlike with single keys."""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from likes_tui.api.errors import NotAuthorized, NotFound, RateLimited, XError
from likes_tui.core.posts import PostRow
from likes_tui.messages import LikeStates, OpenPost, PostsLooked, QueueEvent
from likes_tui.screens.base import LikesScreen
from likes_tui.widgets.footer import KeyFooter
from likes_tui.widgets.post_card import PostCard
from likes_tui.widgets.post_table import PostTable
from likes_tui.widgets.status_bar import StatusBar, clock_text
from likes_tui.widgets.url_input import UrlInput

OPPOSITE = {"like": "unlike", "unlike": "like"}


class MainScreen(LikesScreen):
    BINDINGS = [
        Binding("l", "toggle_like", "Like/unlike"),
        Binding("L", "like_all", "Like all"),
        Binding("u", "undo", "Undo"),
        Binding("slash", "focus_input", "URL box", key_display="/"),
        Binding("i", "focus_input", "URL box", show=False),
        Binding("a", "toggle_auto_like", "Auto-like"),
        Binding("c", "check_likes", "Check like states", show=False),
        Binding("h", "app.history", "History"),
        Binding("R", "retry_failed", "Retry failed", show=False),
        Binding("X", "drop_failed", "Drop failed", show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    inline_message: reactive[str] = reactive("")

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, PostRow] = {}
        self.undo_stack: list[list[tuple[str, bool | None]]] = []
        """Each entry is one action (a single l, or a whole L) as (post, state before) pairs."""

    def compose(self) -> ComposeResult:
        if self.ctx.demo:
            yield Static(
                "SANDBOX: a built-in emulator of X. Nothing here touches your real account.",
                id="banner",
            )
        yield UrlInput(
            placeholder="Paste post URLs or ids (any amount), or type one and press Enter", id="url"
        )
        yield Static("", id="inline")
        with Horizontal(id="body"):
            yield PostTable(id="table")
            yield PostCard(id="card")
        yield StatusBar(clock=self.ctx.clock, id="status")
        yield KeyFooter()

    NARROW = 100
    """Below this many columns the card goes under the list (see main.tcss)."""

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.NARROW, "-narrow")

    def on_mount(self) -> None:
        self.query_one(PostTable).border_title = "This session"
        self.query_one(UrlInput).focus()
        self.refresh_status()
        self.call_after_refresh(self.likes.main_screen_painted)

    # -- input ---------------------------------------------------------------------------

    def watch_inline_message(self, message: str) -> None:
        inline = self.query_one("#inline", Static)
        inline.update(message)
        inline.set_class(message.startswith("✗"), "-error")

    @on(UrlInput.Submitted)
    def _submitted(self, event: UrlInput.Submitted) -> None:
        if self.submit_text(event.value):
            event.input.clear()

    @on(UrlInput.Pasted)
    def _pasted(self, event: UrlInput.Pasted) -> None:
        self.submit_text(event.text)

    def submit_text(self, text: str) -> bool:
        """Find every post reference in `text`, add rows, and look them up together."""
        from likes_tui.urls import extract_post_ids  # on first use: start-up does not need it

        if not text.strip():
            return False
        result = extract_post_ids(text)
        notes = []
        if result.problems:
            notes.append(f"✗ {result.message}")
        if not result.ids:
            self.inline_message = " ".join(notes)
            return False
        new = [i for i in result.ids if i not in self.rows]
        if len(result.ids) > 1:
            notes.append(f"{len(result.ids)} posts found, {len(new)} new")
        if result.duplicates:
            notes.append(f"{result.duplicates} repeated")
        self.inline_message = " · ".join(notes)
        self.add_posts(new)
        table = self.query_one(PostTable)
        table.select(result.ids[0])
        table.focus()
        self._show_selected()
        return True

    def add_posts(self, ids: list[str]) -> None:
        """New rows for these posts (shown at once as 'looking up'), then one batched lookup."""
        table = self.query_one(PostTable)
        new = [post_id for post_id in ids if post_id not in self.rows]
        for post_id in new:
            row = PostRow(post_id)
            self.rows[post_id] = row
            table.upsert(row)
        if new:
            self.lookup(new)
            self._show_selected()

    @work(group="lookup")
    async def lookup(self, ids: list[str]) -> None:
        from likes_tui.api.models import Lookup

        client = self.likes.connect()
        try:
            lookup = await client.get_posts(ids)
        except XError as exc:
            lookup = Lookup({}, {i: exc for i in ids})
        self.post_message(PostsLooked(lookup))

    @on(PostsLooked)
    def _looked(self, message: PostsLooked) -> None:
        lookup = message.lookup
        known = self.ctx.state.known_states(self.ctx.account, lookup.posts)
        liked_elsewhere = self.likes.known_liked
        pending = {i.post_id: i.action for i in self.ctx.state.pending(self.ctx.account)}
        table = self.query_one(PostTable)
        found = []
        for post_id, post in lookup.posts.items():
            row = self.rows.setdefault(post_id, PostRow(post_id))
            row.post, row.status, row.retry_at = post, "ready", None
            if row.liked is None:
                row.liked = known.get(post_id, True if post_id in liked_elsewhere else None)
            row.liked_at_lookup = row.liked
            if post_id in pending:
                row.pending = pending[post_id]
                row.liked = pending[post_id] == "like"
            table.upsert(row)
            found.append(row)
        limited = {i: e for i, e in lookup.errors.items() if isinstance(e, RateLimited)}
        failed = {i: e for i, e in lookup.errors.items() if i not in limited}
        for post_id, error in failed.items():
            row = self.rows.setdefault(post_id, PostRow(post_id))
            row.status = "missing" if isinstance(error, NotFound | NotAuthorized) else "error"
            row.error = getattr(error, "message", str(error))
            row.retry_at = None
            table.upsert(row)
        if limited:
            self._look_up_later(list(limited), next(iter(limited.values())))
        if failed:
            first = next(iter(failed.values()))
            note = f"✗ {len(failed)} not available: {getattr(first, 'message', first)}"
            earlier = self.inline_message.removeprefix("✗ ")
            self.inline_message = f"{note} · {earlier}" if earlier else note
        self._show_selected()
        if self.ctx.settings.auto_like:
            self._queue([r for r in found if r.liked is not True and not r.pending], "like")

    def _look_up_later(self, ids: list[str], error: RateLimited) -> None:
        """X's lookup window is used up: the rows wait, and the lookup runs again by itself
        a second after the reset (likes have their own window and are not held up)."""
        now = self.ctx.clock()
        at = max(now, error.reset_at or now + 60) + 1
        table = self.query_one(PostTable)
        for post_id in ids:
            row = self.rows.setdefault(post_id, PostRow(post_id))
            row.status, row.retry_at = "looking", at
            table.upsert(row)
        self.set_timer(at - now, lambda: self.lookup(ids))
        self.notify(
            f"X's lookup limit is reached: {len(ids)} posts are looked up again by themselves "
            f"in {clock_text(at - now)}.",
            timeout=8,
        )

    # -- "have I liked this?" ---------------------------------------------------------------

    MAX_LIKED_PAGES = 10
    """Pages of 100 liked posts read per check (the endpoint allows 75 calls in 15 minutes)."""

    def action_check_likes(self) -> None:
        unknown = {r.post_id for r in self.rows.values() if r.status == "ready" and r.liked is None}
        if not unknown:
            self.notify("Every post in the list has a known like state.")
            return
        self.notify(f"Looking for {len(unknown)} posts among this account's likes…")
        self.check_like_states(unknown)

    @work(group="liked-scan", exclusive=True)
    async def check_like_states(self, unknown: set[str]) -> None:
        """Page through the account's likes, newest first, until every unknown post is found
        or the list ends (then the rest are certainly not liked)."""
        client = self.likes.connect()
        liked: set[str] = set()
        token: str | None = None
        complete = False
        try:
            for _ in range(self.MAX_LIKED_PAGES):
                page = await client.liked_posts(max_results=100, pagination_token=token)
                liked |= unknown & {p.id for p in page.posts}
                token = page.next_token
                if liked == unknown or token is None:
                    complete = token is None
                    break
        except XError as exc:
            self.notify(f"Could not check like states: {exc.message}", severity="error")
        not_liked = unknown - liked if complete else set()
        self.post_message(LikeStates(liked, not_liked, len(unknown - liked - not_liked)))

    @on(LikeStates)
    def _like_states(self, message: LikeStates) -> None:
        table = self.query_one(PostTable)
        for post_id in message.liked | message.not_liked:
            row = self.rows.get(post_id)
            if row is not None and row.liked is None and not row.pending:
                row.liked = row.liked_at_lookup = post_id in message.liked
                table.upsert(row)
        self._show_selected()
        still = f"; {message.unsettled} still unknown" if message.unsettled else ""
        self.notify(f"{len(message.liked)} liked, {len(message.not_liked)} not liked{still}.")

    # -- like / unlike ---------------------------------------------------------------------

    def forget_pending(self, post_ids: list[str]) -> None:
        """Discarded work: rows show what is known again instead of the dropped action."""
        known = self.ctx.state.known_states(self.ctx.account, post_ids)
        table = self.query_one(PostTable)
        for post_id in post_ids:
            row = self.rows.get(post_id)
            if row is not None:
                row.pending = None
                row.liked = known.get(post_id)
                table.upsert(row)
        self._show_selected()
        self.refresh_status()

    def selected_row(self) -> PostRow | None:
        key = self.query_one(PostTable).selected_key
        return self.rows.get(key) if key else None

    def action_toggle_like(self) -> None:
        row = self.selected_row()
        if row is None:
            self.notify("Nothing selected: paste a post URL first.", severity="warning")
            return
        if row.status != "ready":
            self.notify(f"Cannot like this post: {row.state_words()}", severity="warning")
            return
        action = "unlike" if row.liked else "like"
        self.undo_stack.append([(row.post_id, row.liked)])
        self._queue([row], action)

    def action_like_all(self) -> None:
        todo = [r for r in self.rows.values() if r.status == "ready" and r.liked is not True]
        if not todo:
            self.notify("Every post in the list is already liked.")
            return
        self.undo_stack.append([(r.post_id, r.liked) for r in todo])
        self._queue(todo, "like")

    def action_undo(self) -> None:
        """Undo the last l or L: each post goes back to what it was before."""
        if not self.undo_stack:
            self.notify("Nothing to undo.")
            return
        group = self.undo_stack.pop()
        changed = [
            (self.rows[post_id], before)
            for post_id, before in group
            if self.rows[post_id].liked != before or self.rows[post_id].pending
        ]
        if not changed:
            self.notify("Already undone.")
            return
        for action in ("like", "unlike"):
            rows = [row for row, before in changed if (action == "like") == bool(before)]
            self._queue(rows, action)
        if len(changed) == 1:
            row, before = changed[0]
            word = "like" if before else "unlike"
            self.notify(f"Undo: {word} queued for {row.author or row.post_id}.")
        else:
            self.notify(f"Undo: {len(changed)} posts put back as they were.")

    def _queue(self, rows: list[PostRow], action: str) -> None:
        """Optimistic: the rows change at once; the scheduler sends; failures roll back."""
        if not rows:
            return
        items = [(r.post_id, action, r.author, r.post.excerpt(120) if r.post else "") for r in rows]
        outcomes = self.likes.enqueue(items)
        table = self.query_one(PostTable)
        for row in rows:
            outcome = outcomes.get(row.post_id)
            if outcome is None:
                continue
            if not row.pending:
                row.before = row.liked
            row.liked = action == "like"
            row.pending = None if outcome in ("cancelled", "done") else action
            table.upsert(row)
        self._show_selected()
        self.refresh_status()

    # -- queue events ------------------------------------------------------------------------

    @on(QueueEvent)
    def _queue_event(self, message: QueueEvent) -> None:
        from likes_tui.queue.sender import OTHER_SENDER, Failed, Idle, Paused, Sent, Waiting

        event = message.event
        status = self.query_one(StatusBar)
        if not isinstance(event, Waiting) or event.reason != OTHER_SENDER:
            status.other_sender = None
        if isinstance(event, Sent):
            row = self.rows.get(event.item.post_id)
            if row is not None:
                if row.pending == event.item.action:
                    row.pending = None
                    row.liked = event.liked
                self.query_one(PostTable).upsert(row)
            status.waiting_until = None
        elif isinstance(event, Failed) and event.final:
            row = self.rows.get(event.item.post_id)
            if row is not None and row.pending == event.item.action:
                row.pending = None
                row.liked = row.before
                self.query_one(PostTable).upsert(row)
            who = row.author if row else event.item.post_id
            self.notify(
                f"{event.item.action.capitalize()} failed for {who}: {event.message}",
                severity="error",
                timeout=8,
            )
        elif isinstance(event, Waiting) and event.reason == OTHER_SENDER:
            status.other_sender = event.holder or 0
        elif isinstance(event, Waiting):
            status.waiting_until = event.until
            status.waiting_reason = event.reason
        elif isinstance(event, Paused):
            advice = " Press F2 to sign in again; queued likes are kept." if event.sign_in else ""
            self.notify(event.message + advice, title="Queue paused", severity="error", timeout=15)
        elif isinstance(event, Idle):
            status.waiting_until = None
            self._settle_sent_elsewhere()
        self._show_selected()
        self.refresh_status()

    def _settle_sent_elsewhere(self) -> None:
        """Rows still shown as queued that another process sent: show what it recorded."""
        waiting = [r.post_id for r in self.rows.values() if r.pending]
        if not waiting:
            return
        unsent = {i.post_id for i in self.ctx.state.pending(self.ctx.account)}
        settled = [post_id for post_id in waiting if post_id not in unsent]
        known = self.ctx.state.known_states(self.ctx.account, settled)
        table = self.query_one(PostTable)
        for post_id in settled:
            row = self.rows[post_id]
            row.pending = None
            row.liked = known.get(post_id, row.before)
            table.upsert(row)

    def refresh_status(self) -> None:
        status = self.query_one(StatusBar)
        app = self.likes
        profile = self.ctx.profile
        status.account = f"@{profile.username}" if profile else ""
        status.like_limit = app.like_limit()
        status.daily_limit = app.daily_like_limit()
        status.counts = app.queue_counts()
        status.paused = app.paused_reason()
        status.auto_like = self.ctx.settings.auto_like

    # -- selection / misc ----------------------------------------------------------------------

    @on(PostTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        card = self.query_one(PostCard)
        card.row = self.selected_row()

    @on(OpenPost)
    def _open_post(self, message: OpenPost) -> None:
        self.submit_text(message.post_id)

    def action_focus_input(self) -> None:
        self.query_one(UrlInput).focus()

    def action_toggle_auto_like(self) -> None:
        self.likes.action_toggle_auto_like()

    def action_retry_failed(self) -> None:
        self.likes.action_retry_failed()

    def action_drop_failed(self) -> None:
        self.likes.action_drop_failed()
