"""The session list: one row per post pasted or typed in this session."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets.data_table import ColumnKey, RowKey

from likes_tui.core.posts import PostRow
from likes_tui.widgets.cells import as_laid_out
from likes_tui.widgets.fit_table import FitTable
from likes_tui.widgets.list_placeholder import COLUMNS


def _excerpt(row: PostRow, width: int = 72) -> str:
    if row.post is None:
        return row.state_words()
    return as_laid_out(row.post.excerpt(width))


class PostTable(FitTable):
    class MarksChanged(Message):
        """The marks changed (the screen shows their count and what l would do)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Next post (also ↓)", show=False),
        Binding("k", "cursor_up", "Previous post (also ↑)", show=False),
        Binding("g,home", "first_post", "First post", show=False),
        Binding("G,end", "last_post", "Last post", show=False),
    ]

    def action_first_post(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_post(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    DEFAULT_CSS = """
    PostTable { height: 1fr; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.marked: set[str] = set()
        """Posts marked for an action on a selection (UI selection, like the cursor)."""
        self.visual_from: int | None = None
        """While marking a range: the row it started at."""
        self.visual_base: frozenset[str] = frozenset()
        """While marking a range: the marks made before it (the range adds to them)."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        # Text labels, not str: a str label is parsed as markup, which loads rich's emoji table.
        for key, (label, width) in zip(("state", "author"), COLUMNS, strict=True):
            self.add_column(Text(label), key=key, width=width)
        self.add_column(Text("Post"), key="text")

    def _cells_changed(self) -> None:
        """A cell's new value, without DataTable forgetting where its rows are. Its update
        counter keys the row order and the line offsets as well as what it renders, so every
        changed cell made the next frame rebuild both lists for all rows (about 2 ms at
        10,000, many times a second while the queue sends; a keystroke's p95 then was 26 to
        34 ms). A value changes neither the order nor a row's height: both lists are kept
        under the new count, and only the rendering starts again."""
        count, rows = self._update_count, self.row_count
        offsets = self._offset_cache.get(count)
        ordered = self._ordered_row_cache.get((rows, count))
        super()._cells_changed()
        count = self._update_count
        if offsets is not None:
            self._offset_cache.set(count, offsets)
        if ordered is not None:
            self._ordered_row_cache.set((rows, count), ordered)

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: str | Text,
        *,
        update_width: bool = False,
    ) -> None:
        """One cell, as update_rows writes it (keeping the row order and offsets)."""
        if update_width:
            super().update_cell(row_key, column_key, value, update_width=True)
            return
        key = row_key.value if isinstance(row_key, RowKey) else row_key
        column = column_key.value if isinstance(column_key, ColumnKey) else column_key
        if key is None or column is None or RowKey(key) not in self.rows:
            super().update_cell(row_key, column_key, value)  # DataTable's error
            return
        self.update_rows([(key, {column: value})])

    def upsert(self, row: PostRow) -> None:
        self.upsert_many((row,))

    def upsert_many(self, rows: Iterable[PostRow]) -> None:
        """Each row's cells, new rows added at the end in order: one refresh for the
        updated ones and one fit for the added ones, however many (a 10,000-post paste
        and each batch of its lookups' answers)."""
        updated: dict[str, dict[str, str | Text]] = {}
        added: dict[str, tuple[Text, str, str]] = {}
        for row in rows:
            state, author, text = cells = self._cells(row, row.post_id in self.marked)
            if row.post_id in self.rows:
                updated[row.post_id] = {"state": state, "author": author, "text": text}
            else:
                added[row.post_id] = cells
        if updated:
            self.update_rows(updated.items())
        if added:
            self.add_keyed_rows(added.items())

    @staticmethod
    def _cells(row: PostRow, marked: bool = False) -> tuple[Text, str, str]:
        style = "bold red" if row.liked and row.status == "ready" else ""
        if row.status in ("missing", "error"):
            style = "dim"
        state = Text("▌" if marked else " ", style="bold $accent" if marked else "")
        state.append(row.state_symbol(), style=style)
        return state, row.author, _excerpt(row)

    def rebuild(self, rows: tuple[PostRow, ...]) -> None:
        """Every row again, in this order (rows came back to where they stood)."""
        self.clear()
        self.add_keyed_rows(
            (row.post_id, self._cells(row, row.post_id in self.marked)) for row in rows
        )

    def drop(self, post_id: str) -> None:
        if post_id in self.marked:
            self.marked.discard(post_id)
            self.post_message(self.MarksChanged())
        if post_id in self.rows:
            self.remove_row(post_id)

    def toggle_mark(self, post_id: str) -> None:
        self.marked ^= {post_id}
        self._redraw(post_id)
        self.post_message(self.MarksChanged())

    def toggle_visual(self) -> None:
        """v: start a range at the cursor (adding to the marks made so far), or end it."""
        if self.visual_from is not None:
            self.visual_from = None
        else:
            self.visual_from = self.cursor_row
            self.visual_base = frozenset(self.marked)
            self.extend_visual()
        self.post_message(self.MarksChanged())

    def clear_marks(self) -> None:
        marked, self.marked = self.marked, set()
        self.visual_from = None
        self.visual_base = frozenset()
        for post_id in marked:
            self._redraw(post_id)
        self.post_message(self.MarksChanged())

    def extend_visual(self) -> None:
        """In range mode, the marks are those made before it plus the rows from where it
        started to the cursor."""
        if self.visual_from is None or self.row_count == 0:
            return
        low, high = sorted((self.visual_from, self.cursor_row))
        keys = [self.ordered_rows[i].key.value for i in range(low, high + 1)]
        wanted = {k for k in keys if k is not None} | self.visual_base
        changed = wanted ^ self.marked
        self.marked = wanted
        for post_id in changed:
            self._redraw(post_id)
        if changed:
            self.post_message(self.MarksChanged())

    def on_data_table_row_highlighted(self) -> None:
        self.extend_visual()

    def _redraw(self, post_id: str) -> None:
        """Show or hide the mark in the state cell (the rest of the row is unchanged)."""
        if post_id not in self.rows:
            return
        cell = self.get_cell(post_id, "state")
        state = cell.copy() if isinstance(cell, Text) else Text(str(cell))
        marked = post_id in self.marked
        state.plain = ("▌" if marked else " ") + state.plain[1:]
        state.stylize("bold" if marked else "", 0, 1)
        self.update_cell(post_id, "state", state)

    @property
    def selected_key(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def select(self, post_id: str) -> None:
        if post_id in self.rows:
            self.move_cursor(row=self.get_row_index(post_id))
