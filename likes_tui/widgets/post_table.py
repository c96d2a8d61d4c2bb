"""The session list: one row per post pasted or typed in this session."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from likes_tui.core.posts import PostRow
from likes_tui.widgets.fit_table import FitTable


def _excerpt(row: PostRow, width: int = 72) -> str:
    if row.post is None:
        return row.state_words()
    return row.post.excerpt(width)


class PostTable(FitTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Next post (also ↓)", show=False),
        Binding("k", "cursor_up", "Previous post (also ↑)", show=False),
    ]

    DEFAULT_CSS = """
    PostTable { height: 1fr; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        # Text labels, not str: a str label is parsed as markup, which loads rich's emoji table.
        self.add_column(Text("♥"), key="state", width=3)
        self.add_column(Text("Author"), key="author", width=18)
        self.add_column(Text("Post"), key="text")

    def upsert(self, row: PostRow) -> None:
        cells = self._cells(row)
        if row.post_id in self.rows:
            state, author, text = cells
            self.update_cell(row.post_id, "state", state)
            self.update_cell(row.post_id, "author", author)
            self.update_cell(row.post_id, "text", text)
        else:
            self.add_row(*cells, key=row.post_id)

    @staticmethod
    def _cells(row: PostRow) -> tuple[Text, str, str]:
        style = "bold red" if row.liked and row.status == "ready" else ""
        if row.status in ("missing", "error"):
            style = "dim"
        return Text(row.state_symbol(), style=style), row.author, _excerpt(row)

    @property
    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def select(self, post_id: str) -> None:
        if post_id in self.rows:
            self.move_cursor(row=self.get_row_index(post_id))
