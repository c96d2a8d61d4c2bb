"""Every like and unlike made from this config dir, newest first, searchable."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from likes_tui.domain import HistoryEntry, HistoryPage
from likes_tui.screens.listing import ListingScreen
from likes_tui.widgets.cells import as_laid_out
from likes_tui.widgets.fit_table import FitTable
from likes_tui.widgets.footer import KeyFooter


class HistoryScreen(ListingScreen):
    DEFAULT_CSS = """
    HistoryScreen #search { margin: 1 1 0 1; }
    HistoryScreen #count { margin: 0 2; color: $text-muted; height: 1; }
    HistoryScreen DataTable { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("enter", "open", "Open post", show=True),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search by post id, @author, text or action", id="search")
        yield Static("", id="count", markup=False)
        yield FitTable(id="history", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "History"
        table = self.query_one(DataTable)
        table.add_column("When", width=16)
        table.add_column("Action", width=7)
        table.add_column("Result", width=7)
        table.add_column("Author", width=16)
        table.add_column("Post", key="text")
        table.add_column("Id", width=19)
        self.load("")
        table.focus()

    @work(group="history", exclusive=True)
    async def load(self, search: str) -> None:
        """One query per search, off the event loop; a newer keystroke replaces it."""
        service = self.likes.service
        if service is None:
            return
        page = await service.history(search)
        table = self.query_one(FitTable)
        table.clear()
        table.add_keyed_rows((str(entry.id), _cells(entry)) for entry in page.entries)
        self.query_one("#count", Static).update(_count(page, search.strip()))

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self.load(event.value)


def _cells(entry: HistoryEntry) -> tuple[str | Text, ...]:
    when = datetime.fromtimestamp(entry.at).strftime("%Y-%m-%d %H:%M")
    ok = entry.outcome == "ok"
    result = Text("ok" if ok else "failed", style="green" if ok else "bold red")
    action = Text(entry.action, style="red" if entry.action == "like" else "")
    excerpt = as_laid_out(entry.excerpt)
    text = excerpt if ok or not entry.detail else f"{excerpt}  ({entry.detail})"
    return when, action, result, entry.author, text, entry.post_id


def _count(page: HistoryPage, query: str) -> str:
    """How many entries match; when the table holds only the newest, says so (as the
    archive screen does)."""
    if not page.entries:
        return (
            f"no entries match {query!r}" if query else "no entries yet: likes you make appear here"
        )
    words = f"{page.total:,} entr{'y' if page.total == 1 else 'ies'}"
    words += f" matching {query!r}" if query else ""
    if page.truncated:
        words += f" · newest {len(page.entries):,} shown"
    return words
