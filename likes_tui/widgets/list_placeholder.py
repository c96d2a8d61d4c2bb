"""The post list as it looks while empty, drawn in the first frame.

The live list is a DataTable (its module, its styles and its first render are about a tenth
of start-up), and it has nothing to show until the likes service is ready, so the main screen
paints this instead and swaps the table in once the service has loaded, before any row can
exist. It draws what the empty table draws (the frame, the title and the column headings) and
takes focus as the table would, so Tab or Esc right after start lands where it will."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

COLUMNS = ((" ♥", 4), ("Author", 18))
"""The post list's fixed columns, drawn here and by the table (widgets/post_table.py), whose
post text takes the rest."""


class ListPlaceholder(Widget, can_focus=True):
    COMPONENT_CLASSES = {"list-placeholder--header"}
    DEFAULT_CSS = """
    ListPlaceholder {
        background: $surface;
        color: $foreground;
        & > .list-placeholder--header { text-style: bold; background: $panel; }
    }
    """

    def on_mount(self) -> None:
        self.border_title = "Posts"

    def render(self) -> Text:
        width = self.content_region.width
        line = "".join(f" {label:<{size}} " for label, size in COLUMNS) + " Post"
        style: Style = self.get_component_rich_style("list-placeholder--header")
        return Text(line[:width].ljust(width), style=style, no_wrap=True, overflow="crop")
