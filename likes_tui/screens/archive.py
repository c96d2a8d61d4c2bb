"""The likes your X archive holds (`likes-tui import`, or `i` here): searchable by text and
the post's date, and unliked in bulk by the same filter, through the queue, with the count,
cost and time shown first."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Header, Input, Static

from likes_tui.billing import utc_day, utc_day_start
from likes_tui.core.archived import ArchivedRow, ArchiveFilter, ArchivePage
from likes_tui.messages import QueueUpdated
from likes_tui.screens.listing import ListingScreen
from likes_tui.widgets.cells import as_laid_out
from likes_tui.widgets.fit_table import FitTable
from likes_tui.widgets.footer import KeyFooter

HOW_TO_GET_ONE = (
    "No archive imported for this account. Ask X for yours (Settings → Your account → "
    "Download an archive: X takes a day or so), then press i and give the .zip, its folder or "
    "its data/like.js. The app then knows every post you liked, at no cost."
)


def day_of(text: str) -> float | None:
    """A YYYY-MM-DD filter box as the start of that UTC day; None when empty or not a date."""
    try:
        return utc_day_start(text.strip())
    except ValueError:
        return None


class ImportScreen(ModalScreen[str | None]):
    """Where the archive is: a path typed or pasted."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical {
        width: 100%; max-width: 80; height: auto; background: $surface;
        border: round $accent; padding: 1 2;
    }
    ImportScreen Input { margin-top: 1; }
    ImportScreen Horizontal { height: auto; margin-top: 1; }
    ImportScreen Button { margin-right: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Import your X archive"
            yield Static(
                "The archive's .zip as X sent it, the folder it unpacks to, or its "
                "data/like.js. Nothing is sent to X."
            )
            yield Input(placeholder="~/Downloads/twitter-2026-11-30-….zip", id="path")
            with Horizontal():
                yield Button("Import", id="import", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if path:
            self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ArchiveScreen(ListingScreen):
    follows_queue = True
    DEFAULT_CSS = """
    ArchiveScreen #filters { height: auto; margin: 1 1 0 1; }
    ArchiveScreen #search { width: 1fr; }
    ArchiveScreen .day { width: 23; }
    ArchiveScreen #count { margin: 0 2; color: $text-muted; height: auto; }
    ArchiveScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("U", "unlike_matching", "Unlike these"),
        Binding("i", "import_archive", "Import"),
        Binding("enter", "open", "Open post", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="Search text, link or id", id="search")
            yield Input(placeholder="from YYYY-MM-DD", id="after", classes="day")
            yield Input(placeholder="before YYYY-MM-DD", id="before", classes="day")
        yield Static("", id="count", markup=False)
        yield FitTable(id="archived", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Archived likes"
        table = self.query_one(DataTable)
        table.add_column("Posted (UTC)", width=12)
        table.add_column("Now", width=8)
        table.add_column("Post", key="text")
        table.add_column("Id", width=19)
        self.page: ArchivePage | None = None
        self.load()
        table.focus()

    def where(self) -> ArchiveFilter:
        return ArchiveFilter(
            self.query_one("#search", Input).value.strip(),
            day_of(self.query_one("#before", Input).value),
            day_of(self.query_one("#after", Input).value),
        )

    @work(group="archive", exclusive=True)
    async def load(self) -> None:
        """One query per change of the filter, off the event loop; a newer one replaces it."""
        service = self.likes.service
        if service is None:
            return
        page = await service.archived.page(self.where())
        self.page = page
        table = self.query_one(FitTable)
        table.clear()
        table.add_keyed_rows((row.post_id, _cells(row, page)) for row in page.rows)
        self.query_one("#count", Static).update(self._count_words(page))

    def _count_words(self, page: ArchivePage) -> str:
        if not page.total:
            return HOW_TO_GET_ONE
        filtered = page.matching != page.total
        words = (
            f"{page.matching:,} of {page.total:,} archived likes match"
            if filtered
            else f"{page.total:,} archived likes"
        )
        if len(page.rows) < page.matching:
            words += f" · newest {len(page.rows):,} shown"
        if page.matching:
            words += f" · U unlikes {'these' if filtered else 'them all'}"
        return words

    def on_queue_updated(self, message: QueueUpdated) -> None:
        """An unlike sent or skipped: the shown rows' states move on (one query; a newer
        update replaces a running one)."""
        if self.page is not None and self.page.queued:
            self.load()

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        if event.input.id in ("before", "after") and event.value and day_of(event.value) is None:
            return  # half-typed dates keep the last filter
        self.load()

    @work(group="archive-import", exclusive=True)
    async def action_import_archive(self) -> None:
        service = self.likes.service
        if service is None:
            return
        path = await self.app.push_screen_wait(ImportScreen())
        if not path:
            return
        from likes_tui.archive import ArchiveError

        self.notify("Reading the archive…", timeout=3)
        try:
            result = await service.archived.import_from(path)
        except ArchiveError as exc:
            self.notify(f"{exc.message} Nothing was imported.", severity="error", timeout=12)
            return
        known = result.found - result.new
        self.notify(
            f"{result.found:,} likes read: {result.new:,} new, {known:,} known already.",
            title="Archive imported",
            timeout=8,
        )
        self.load()

    @work(group="archive-unlike", exclusive=True)
    async def action_unlike_matching(self) -> None:
        from likes_tui.screens.confirm import ConfirmScreen

        service = self.likes.service
        if service is None or self.page is None or not self.page.matching:
            self.notify("No archived like to unlike here.", severity="warning")
            return
        plan = await service.archived.plan_unlike(self.where())
        if not plan.post_ids:
            self.notify(f"All {plan.matching:,} are unliked already (history says so).", timeout=6)
            return
        done = plan.matching - len(plan.post_ids)
        picked = plan.where.words()
        body = f"The archived likes {picked}.\n\n" if picked else ""
        body += plan.estimate.words()
        if done:
            body += f"\n\n{done:,} of the {plan.matching:,} are unliked already; they are left out."
        body += (
            "\n\nOldest posts first, through the queue: closing the app keeps the rest, and "
            "`likes-tui resume` (from cron, say) carries on."
        )
        count = len(plan.post_ids)
        title = f"Unlike {count:,} archived like{'s' if count != 1 else ''}?"
        if await self.app.push_screen_wait(ConfirmScreen(title, body, "Unlike")):
            await service.archived.unlike(plan)
            self.load()


def _cells(row: ArchivedRow, page: ArchivePage) -> tuple[str | Text, ...]:
    posted = utc_day(row.posted_at) if row.posted_at else ""
    if row.post_id in page.queued:
        now = Text("queued", style="yellow")
    elif row.post_id in page.unliked:
        now = Text("unliked", style="dim")
    else:
        now = Text("liked", style="red")
    return posted, now, as_laid_out(row.text), row.post_id
