"""A DataTable whose one flexible column takes the width the others leave."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey


class FitTable(DataTable[str | Text]):
    """The column keyed `FILL` is resized with the table, so nothing scrolls sideways and the
    columns after it (a post id, say) stay on screen."""

    FILL = "text"

    def add_column(self, *args: Any, **kwargs: Any) -> ColumnKey:
        key = super().add_column(*args, **kwargs)
        if key.value == self.FILL:
            self.call_after_refresh(self.fit)
        return key

    def on_resize(self) -> None:
        self.fit()

    def watch_show_vertical_scrollbar(self) -> None:
        """The scrollbar takes columns from the content: fit again when it comes or goes, or
        the last column would run under it and the table would scroll sideways."""
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        fill = ColumnKey(self.FILL)
        if fill not in self.columns or not self.size.width:
            return
        fixed = sum(c.width for key, c in self.columns.items() if key != fill)
        padding = 2 * self.cell_padding * len(self.columns)
        width = max(10, self.scrollable_content_region.width - fixed - padding - 1)
        column = self.columns[fill]
        if column.width != width:
            column.auto_width = False
            column.width = width
            # DataTable recomputes its scrollable width only when this is set (rows added
            # before the first fit were measured at the column's natural width).
            self._require_update_dimensions = True
            self.refresh()
