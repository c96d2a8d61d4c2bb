"""The main screen: paste URLs, see posts, like and unlike with single keys.

It renders what the likes service publishes (rows, the queue view, notes) and turns keys and
pastes into the service's calls, in workers. It keeps no domain state of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from likes_tui.keymap import MAIN, bindings
from likes_tui.messages import OpenPost
from likes_tui.screens.base import LikesScreen
from likes_tui.widgets.footer import KeyFooter
from likes_tui.widgets.list_placeholder import ListPlaceholder
from likes_tui.widgets.post_card import PostCard
from likes_tui.widgets.status_bar import StatusBar
from likes_tui.widgets.url_input import UrlInput

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from likes_tui.core.posts import PostRow
    from likes_tui.core.service import LikesService
    from likes_tui.domain import Action
    from likes_tui.messages import InlineNoted, QueueUpdated, RowsBack, RowsGone, RowsUpdated
    from likes_tui.widgets.post_table import PostTable


SHORT = 34


class MainScreen(LikesScreen):
    BINDINGS = bindings(MAIN)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """Under 100 columns the card goes under the list (see main.tcss)."""
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT, "-tall")]
    """Under SHORT rows the URL box is one line and, under the list, the card folds to two:
    an 80x24 terminal keeps at least 12 rows of posts."""

    def compose(self) -> ComposeResult:
        if self.ctx.demo:
            yield Static(
                "SANDBOX: emulated X, not your real account. Demo history is discarded on quit.",
                id="banner",
            )
        yield UrlInput(
            placeholder="Paste post URLs or ids (any amount), or type one and press Enter", id="url"
        )
        yield Static("", id="inline", markup=False)
        with Horizontal(id="body"):
            yield ListPlaceholder(classes="post-list")
            yield PostCard(id="card")
        handle = f"@{self.ctx.profile.username}" if self.ctx.profile else ""
        yield StatusBar(handle, clock=self.ctx.clock, id="status")
        yield KeyFooter()

    def __init__(self) -> None:
        super().__init__()
        self._early: list[str] = []
        """Text submitted before the likes service was ready."""
        self.table: PostTable | None = None
        """The live post list, mounted when the service is ready (until then, and in the
        first frame, a ListPlaceholder stands in: no row can exist before the service)."""

    async def service_ready(self) -> None:
        """The app built the likes service: the live list replaces its placeholder, shows
        any rows the service already has, then what was pasted meanwhile is submitted. The
        app's loader thread has already imported the table's module, after the first paint."""
        from likes_tui.widgets.post_table import PostTable

        body = self.query_one("#body")
        if self.table is None and body.is_attached:  # not when the app is already closing
            table = PostTable(id="table", classes="post-list")
            table.border_title = "Posts"
            placeholder = self.query_one(ListPlaceholder)
            focused = placeholder.has_focus
            await body.mount(table, before=placeholder)
            await placeholder.remove()
            self.table = table
            table.upsert_many(self.rows.values())
            if focused or self._early:
                table.focus()
        early, self._early = self._early, []
        for text in early:
            self.submit_text(text)

    def on_resize(self, event: events.Resize) -> None:
        self.query_one(PostCard).folded = event.size.height < SHORT and event.size.width < 100

    def on_mount(self) -> None:
        self.query_one(UrlInput).focus()
        self.call_after_refresh(self.likes.main_screen_painted)

    # -- what the service publishes ----------------------------------------------------------

    def on_rows_updated(self, message: RowsUpdated) -> None:
        update = message.update
        if self.table is None:
            return
        self.table.upsert_many(update.rows)
        if update.select is not None:
            self.table.select(update.select)
        self._show_selected()

    def on_rows_gone(self, message: RowsGone) -> None:
        if self.table is None:
            return
        for post_id in message.update.ids:
            self.table.drop(post_id)
        self._show_selected()

    def on_rows_back(self, message: RowsBack) -> None:
        update = message.update
        if self.table is None:
            return
        self.table.rebuild(update.rows)
        if update.select is not None:
            self.table.select(update.select)
        self._show_selected()

    def on_queue_updated(self, message: QueueUpdated) -> None:
        """The status line, and the progress bar while a batch of more than one runs (it
        is mounted by the first such batch)."""
        from likes_tui.widgets.batch_bar import BatchBar  # (mounted by the first batch)

        update = message.update
        status = self.query_one(StatusBar)
        status.view = update.view
        batch = update.view.batch
        running = batch.unsent > 0 and batch.total > 1
        done = batch.sent + batch.failed
        bars = self.query(BatchBar)
        if bars:
            bars.first().update(total=batch.total, done=done)
            bars.first().display = running
        elif running:
            bar = BatchBar(id="progress")
            bar.update(total=batch.total, done=done)
            self.mount(bar, before=status)

    def on_inline_noted(self, message: InlineNoted) -> None:
        update = message.update
        inline = self.query_one("#inline", Static)
        inline.update(update.text)
        inline.set_class(update.text.startswith("✗"), "-error")

    # -- input ---------------------------------------------------------------------------

    @on(UrlInput.Submitted)
    def _submitted(self, event: UrlInput.Submitted) -> None:
        if self.submit_text(event.value):
            event.input.clear()

    @on(UrlInput.Pasted)
    def _pasted(self, event: UrlInput.Pasted) -> None:
        self.submit_text(event.text)

    @on(UrlInput.Leave)
    def _leave_box(self) -> None:
        self.query_one(".post-list").focus()

    def on_paste(self, event: events.Paste) -> None:
        """A paste wherever the focus is (the list, the card) goes to the URL box: it is
        looked up, or, with no post in it, left in the box with the reason beside it."""
        event.stop()
        box = self.query_one(UrlInput)
        if not self.submit_text(event.text):
            box.value = event.text.strip()
            box.focus()

    def submit_text(self, text: str) -> bool:
        """Find every post reference in `text`: rows at once, one batched lookup after.
        Text that arrives before the service has loaded (a paste in the first moments)
        waits for it instead of being dropped."""
        if not text.strip():
            return False
        service = self.likes.service
        if service is None or self.table is None:
            self._early.append(text)
            return True
        pasted = service.paste(text)
        if pasted.new:
            self.lookup(list(pasted.new))
        if not pasted.found:
            return False
        if self.table is not None:
            self.table.focus()
        return True

    @work(group="lookup")
    async def lookup(self, ids: list[str]) -> None:
        """Look the posts up; past today's daily_budget_usd, ask first (a no takes them
        off the list, unread)."""
        service = self.likes.service
        if service is None:
            return
        question = await service.lookup_over_budget(len(ids))
        if question is not None:
            from likes_tui.screens.confirm import ConfirmScreen

            yes = await self.app.push_screen_wait(
                ConfirmScreen("Over today's budget", question, "Look up")
            )
            if not yes:
                service.remove(ids)
                self.notify("Not looked up: today's budget.", severity="warning")
                return
        await service.lookup(ids)

    # -- actions -------------------------------------------------------------------------

    def selected_row(self) -> PostRow | None:
        service = self.likes.service
        key = self.table.selected_key if self.table else None
        return service.rows.get(key) if service and key else None

    @property
    def rows(self) -> dict[str, PostRow]:
        """The service's rows (read-only here; tests and the card read them)."""
        service = self.likes.service
        return service.rows if service else {}

    def action_toggle_like(self) -> None:
        """l: the marked posts (like them, or unlike them if all are liked), else the one
        under the cursor."""
        table = self.table
        service = self.likes.service
        if table is None or service is None:
            return
        if not table.marked:
            self._run(lambda s: s.toggle(table.selected_key))
            return
        from likes_tui.domain import Action  # (loaded with the service, after the first paint)

        marked = sorted(table.marked, key=table.get_row_index)
        action = Action.LIKE if service.targets(Action.LIKE, marked) else Action.UNLIKE
        self._bulk(action, marked)

    def action_like_all(self) -> None:
        from likes_tui.domain import Action

        self._bulk(Action.LIKE)

    def action_unlike_all(self) -> None:
        from likes_tui.domain import Action

        self._bulk(Action.UNLIKE)

    def _bulk(self, action: Action, ids: list[str] | None = None) -> None:
        """Act on many posts; above the `confirm_above` setting, ask first with the count,
        the ETA and the cost."""
        service = self.likes.service
        if service is None:
            return
        count = len(service.targets(action, ids))
        if count <= self.ctx.settings.confirm_above:
            self._run(lambda s: s.act_on(action, ids))
            self._clear_marks()
            return
        from likes_tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(lambda s: s.act_on(action, ids))
                self._clear_marks()

        verb = "Like" if action == "like" else "Unlike"
        self.app.push_screen(
            ConfirmScreen(
                f"{verb} {count:,} posts?", service.estimate(action, count).words(), verb
            ),
            answered,
        )

    def action_undo(self) -> None:
        """u: undo the last action; a large one asks first."""
        service = self.likes.service
        if service is None:
            return
        size = service.last_undo_size()
        if size <= self.ctx.settings.confirm_above:
            self._run(lambda s: s.undo())
            return
        from likes_tui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                f"Undo {size:,} posts?",
                f"This puts {size:,} posts back as they were before: {size:,} more requests "
                "to X, at its pace and its price.",
                "Undo",
            ),
            lambda yes: self._run(lambda s: s.undo()) if yes else None,
        )

    def _clear_marks(self) -> None:
        if self.table is not None:
            self.table.clear_marks()

    def action_mark(self) -> None:
        """space: mark or unmark the post under the cursor, then move down."""
        table = self.table
        key = table.selected_key if table else None
        if table is not None and key is not None:
            table.toggle_mark(key)
            table.action_cursor_down()

    def action_visual(self) -> None:
        """v: start marking a range at the cursor (the marks made so far stay); moving
        marks every row passed; v ends it."""
        if self.table is not None:
            self.table.toggle_visual()

    def on_post_table_marks_changed(self) -> None:
        """The list's bottom edge says how many posts are marked and what l does to them."""
        table = self.table
        service = self.likes.service
        if table is None:
            return
        count = len(table.marked)
        if count == 0 or service is None:
            table.border_subtitle = "v: marking a range" if table.visual_from is not None else ""
            return
        from likes_tui.domain import Action

        verb = "likes" if service.targets(Action.LIKE, list(table.marked)) else "unlikes"
        them = "it" if count == 1 else "them"
        ranging = " · v ends the range" if table.visual_from is not None else ""
        table.border_subtitle = f"{count} marked · l {verb} {them} · esc clears{ranging}"

    def action_unmark(self) -> None:
        table = self.table
        if table is not None and (table.marked or table.visual_from is not None):
            table.clear_marks()
            self.notify("Marks cleared.")

    def action_open_post(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_in_browser(row.url)

    @work(thread=True, group="browser")
    def open_in_browser(self, url: str) -> None:
        """The standard library's browser, if this machine has one (over SSH it may not)."""
        import webbrowser

        try:
            opened = webbrowser.get().open(url)
        except webbrowser.Error:
            opened = False
        if not opened:
            self.app.call_from_thread(
                self.notify,
                f"No browser here (over SSH?): {url}  — y copies it.",
                severity="warning",
                timeout=10,
            )

    def action_copy_url(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.app.copy_to_clipboard(row.url)  # OSC 52, for terminals that honour it
            self.copy_with_tools(row.url)

    @work(group="copy", exclusive=True, thread=True)
    def copy_with_tools(self, url: str) -> None:
        """The tools that exist here too (tmux, wl-copy, xclip, pbcopy), and honest words."""
        from likes_tui.core.clipboard import copy

        said = copy(url)
        self.app.call_from_thread(self.notify, said, timeout=6)

    def action_remove_row(self) -> None:
        """d: take the marked posts (or the one under the cursor) off the list; anything
        queued for them is still sent."""
        table = self.table
        service = self.likes.service
        if table is None:
            return
        ids = list(table.marked) or ([table.selected_key] if table.selected_key else [])
        if service is not None and ids:
            table.clear_marks()
            service.remove(ids)
            if len(ids) > 1:
                self.notify(f"{len(ids)} posts off the list; u puts them back.")

    def action_clear_list(self) -> None:
        service = self.likes.service
        if service is not None:
            self._clear_marks()
            service.clear()
            self.notify("The list is empty; queued likes are still sent. u puts it back.")

    def action_check_likes(self) -> None:
        self._run(lambda s: s.check_like_states())

    def action_toggle_auto_like(self) -> None:
        self._run(lambda s: s.toggle_auto_like())

    def action_retry_failed(self) -> None:
        self._run(lambda s: s.retry_failed())

    def action_drop_failed(self) -> None:
        self._run(lambda s: s.drop_failed())

    def action_focus_input(self) -> None:
        self.query_one(UrlInput).focus()

    def _run(self, action: Callable[[LikesService], Awaitable[None]]) -> None:
        """Run one of the service's actions in a worker; the order of keys is kept."""
        service = self.likes.service
        if service is not None:
            self.run_worker(action(service), group="actions", exclusive=False)

    # -- selection ---------------------------------------------------------------------------

    def on_data_table_row_highlighted(self) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        self.query_one(PostCard).row = self.selected_row()

    @on(OpenPost)
    def _open_post(self, message: OpenPost) -> None:
        self.submit_text(message.post_id)
