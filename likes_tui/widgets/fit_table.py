"""A DataTable whose one flexible column takes the width the others leave."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey


class FitTable(DataTable[str | Text]):
    """The column keyed `FILL` is resized with the table, so nothing scrolls sideways and the
    columns after it (a post id, say) stay on screen.

    A str cell is shown as written: DataTable would read it as Rich markup, and the cells
    hold people's posts and names (`[/b]` in one stopped the app)."""

    FILL = "text"

    def add_column(self, *args: Any, **kwargs: Any) -> ColumnKey:
        key = super().add_column(*args, **kwargs)
        if key.value == self.FILL:
            self.call_after_refresh(self.fit)
        return key

    def add_row(self, *cells: str | Text, **kwargs: Any) -> RowKey:
        key = super().add_row(*(_plain(cell) for cell in cells), **kwargs)
        self.fit()
        return key

    def add_keyed_rows(self, rows: Iterable[tuple[str, Sequence[str | Text]]]) -> None:
        """Many rows, each with its key, fitted once at the end: a fit per row was 40% of
        adding the history screen's 500 rows (15 ms; 9 ms fitted once)."""
        add_row = super().add_row
        for key, cells in rows:
            add_row(*(_plain(cell) for cell in cells), key=key)
        self.fit()

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: str | Text,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, _plain(value), update_width=update_width)

    def update_rows(self, rows: Iterable[tuple[str, dict[str, str | Text]]]) -> None:
        """New values for many cells of existing rows, then one refresh: DataTable's
        update_cell refreshes the widget for each cell, which was most of showing 10,000
        lookups' answers (three cells a row). Like update_cell, it neither reorders rows
        nor remeasures columns; it raises for a row or column that is not there."""
        data = self._data
        changed = False
        for key, cells in rows:
            row = data[RowKey(key)]
            for column, value in cells.items():
                if ColumnKey(column) not in row:
                    raise KeyError(column)
                row[ColumnKey(column)] = _plain(value)
                changed = True
        if changed:
            self._cells_changed()

    def _cells_changed(self) -> None:
        """What DataTable.update_cell does after writing a cell: what is drawn starts again."""
        self._update_count += 1
        self.refresh()

    def remove_row(self, row_key: RowKey | str) -> None:
        super().remove_row(row_key)
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar takes columns from the content: fit again when it comes or goes, or
        the last column would run under it and the table would scroll sideways."""
        self.call_after_refresh(self.fit)

    def _fill_width(self) -> int | None:
        """The width the fill column should have now (None before it exists or is sized)."""
        fill = ColumnKey(self.FILL)
        if fill not in self.columns or not self.size.width:
            return None
        fixed = sum(c.width for key, c in self.columns.items() if key != fill)
        padding = 2 * self.cell_padding * len(self.columns)
        # the vertical scrollbar comes with more lines than fit: count them, rather than
        # wait for the scrollbar, so a fit right after adding rows is already right
        lines = self.row_count + (self.header_height if self.show_header else 0)
        scrollbar = self.styles.scrollbar_size_vertical if lines > self.content_region.height else 0
        return max(10, self.content_region.width - scrollbar - fixed - padding - 1)

    @property
    def fitted(self) -> bool:
        """The fill column has the width the table's size and scrollbar leave it."""
        width = self._fill_width()
        return width is None or self.columns[ColumnKey(self.FILL)].width == width

    def fit(self) -> None:
        width = self._fill_width()
        if width is None:
            return
        column = self.columns[ColumnKey(self.FILL)]
        if column.width != width:
            column.auto_width = False
            column.width = width
            # DataTable recomputes its scrollable width only when this is set (rows added
            # before the first fit were measured at the column's natural width).
            self._require_update_dimensions = True
            self.refresh()


def _plain(cell: str | Text) -> Text:
    """What DataTable makes of a str in a one-line row, without reading markup."""
    return Text(cell, no_wrap=True, end="") if isinstance(cell, str) else cell
