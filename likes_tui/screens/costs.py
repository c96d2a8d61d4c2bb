"""What X billed this account's calls: per UTC day and kind, from the app's meter."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from likes_tui.billing import KIND_WORDS
from likes_tui.screens.base import LikesScreen
from likes_tui.widgets.footer import KeyFooter


class CostsScreen(LikesScreen):
    DEFAULT_CSS = """
    CostsScreen #summary { margin: 1 2 0 2; height: auto; }
    CostsScreen DataTable { height: 1fr; margin: 1 1 0 1; }
    CostsScreen #rates { margin: 0 2; color: $text-muted; height: auto; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        yield DataTable(id="costs", cursor_type="row", zebra_stripes=True)
        yield Static("", id="rates")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Costs"
        table = self.query_one(DataTable)
        table.add_column("Day (UTC)", width=12)
        table.add_column("What", width=16)
        table.add_column("Count", width=7)
        table.add_column("Each", width=8)
        table.add_column("US$", width=9)
        self.load()
        table.focus()

    @work(group="costs", exclusive=True)
    async def load(self) -> None:
        service = self.likes.service
        if service is None:
            return
        days = await service.spend_report(days=7)
        prices = self.ctx.settings.prices
        table = self.query_one(DataTable)
        table.clear()
        for day in days:
            table.add_row(
                Text(day.day, style="bold"), "", "", "", Text(f"{day.total:.3f}", style="bold")
            )
            for kind, (n, usd) in sorted(day.kinds.items(), key=lambda kv: -kv[1][1]):
                table.add_row(
                    "", KIND_WORDS.get(kind, kind), f"{n:,}", f"{prices.of(kind):.3f}", f"{usd:.3f}"
                )
        today = service.spent_today
        self.query_one("#summary", Static).update(
            f"Today (UTC): ${today:.3f}    this session: ${service.spent_session:.3f}"
            + (
                f"    daily budget: ${self.ctx.settings.daily_budget_usd:.2f}"
                if self.ctx.settings.daily_budget_usd > 0
                else ""
            )
            if days
            else "Nothing billed in the last 7 days."
        )
        self.query_one("#rates", Static).update(
            f"X's pay-per-use rates (read {prices.read_on}; settings.toml's price_* override "
            "them). A post or user read twice in a UTC day is billed once; likes and unlikes "
            "are billed per request. `likes-tui usage` prints the same."
        )
