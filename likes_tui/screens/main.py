"""The main screen: paste URLs, see posts, like and unlike with single keys.

It renders what the likes service publishes (rows, the queue view, notes) and turns keys and
pastes into the service's calls, in workers. It keeps no domain state of its own.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from likes_tui.core.posts import PostRow
from likes_tui.core.status import InlineNote, QueueChanged, RowsChanged, Update
from likes_tui.messages import OpenPost
from likes_tui.screens.base import LikesScreen
from likes_tui.widgets.footer import KeyFooter
from likes_tui.widgets.post_card import PostCard
from likes_tui.widgets.post_table import PostTable
from likes_tui.widgets.status_bar import StatusBar
from likes_tui.widgets.url_input import UrlInput


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
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """Under 100 columns the card goes under the list (see main.tcss)."""

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
        yield ProgressBar(id="progress", show_eta=False)
        yield StatusBar(clock=self.ctx.clock, id="status")
        yield KeyFooter()

    def __init__(self) -> None:
        super().__init__()
        self._early: list[str] = []
        """Text submitted before the likes service was ready."""

    def service_ready(self) -> None:
        """The app built the likes service: submit what was pasted meanwhile."""
        early, self._early = self._early, []
        for text in early:
            self.submit_text(text)

    def on_mount(self) -> None:
        self.query_one(PostTable).border_title = "Posts"
        self.query_one(UrlInput).focus()
        self.query_one("#progress").display = False
        self.call_after_refresh(self.likes.main_screen_painted)

    # -- what the service publishes ----------------------------------------------------------

    def show(self, update: Update) -> None:
        """Render one update from the likes service (the app passes them down)."""
        if isinstance(update, RowsChanged):
            table = self.query_one(PostTable)
            for row in update.rows:
                table.upsert(row)
            if update.select is not None:
                table.select(update.select)
            self._show_selected()
        elif isinstance(update, QueueChanged):
            self.query_one(StatusBar).view = update.view
            progress = self.query_one("#progress", ProgressBar)
            batch = update.view.batch
            progress.display = batch.unsent > 0 and batch.total > 1
            progress.update(total=max(1, batch.total), progress=batch.sent + batch.failed)
        elif isinstance(update, InlineNote):
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

    def submit_text(self, text: str) -> bool:
        """Find every post reference in `text`: rows at once, one batched lookup after.
        Text that arrives before the service has loaded (a paste in the first moments)
        waits for it instead of being dropped."""
        if not text.strip():
            return False
        service = self.likes.service
        if service is None:
            self._early.append(text)
            return True
        pasted = service.paste(text)
        if pasted.new:
            self.lookup(list(pasted.new))
        if not pasted.found:
            return False
        self.query_one(PostTable).focus()
        return True

    @work(group="lookup")
    async def lookup(self, ids: list[str]) -> None:
        if self.likes.service is not None:
            await self.likes.service.lookup(ids)

    # -- actions -------------------------------------------------------------------------

    def selected_row(self) -> PostRow | None:
        service = self.likes.service
        key = self.query_one(PostTable).selected_key
        return service.rows.get(key) if service and key else None

    @property
    def rows(self) -> dict[str, PostRow]:
        """The service's rows (read-only here; tests and the card read them)."""
        service = self.likes.service
        return service.rows if service else {}

    def action_toggle_like(self) -> None:
        self._call("toggle", self.query_one(PostTable).selected_key)

    def action_like_all(self) -> None:
        self._call("like_all")

    def action_undo(self) -> None:
        self._call("undo")

    def action_check_likes(self) -> None:
        self._call("check_like_states")

    def action_toggle_auto_like(self) -> None:
        self._call("toggle_auto_like")

    def action_retry_failed(self) -> None:
        self._call("retry_failed")

    def action_drop_failed(self) -> None:
        self._call("drop_failed")

    def action_focus_input(self) -> None:
        self.query_one(UrlInput).focus()

    def _call(self, name: str, *args: object) -> None:
        """Run one of the service's actions in a worker; the order of keys is kept."""
        service = self.likes.service
        if service is not None:
            method = getattr(service, name)
            self.run_worker(method(*args), group="actions", exclusive=False)

    # -- selection ---------------------------------------------------------------------------

    @on(PostTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        self.query_one(PostCard).row = self.selected_row()

    @on(OpenPost)
    def _open_post(self, message: OpenPost) -> None:
        self.submit_text(message.post_id)
