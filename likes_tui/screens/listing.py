"""What the history and archive screens share: a search box over a table of posts whose last
column is the post id; Enter on a row goes back to the list with that post, Esc goes back."""

from __future__ import annotations

from textual import on
from textual.widgets import DataTable, Input

from likes_tui.screens.base import LikesScreen


class ListingScreen(LikesScreen):
    @on(Input.Submitted)
    def _submit(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        row = table.get_row_at(table.cursor_row)
        self.dismiss(str(row[-1]))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()
