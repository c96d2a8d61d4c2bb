"""The batch's progress as one bar across the screen, with its percentage.

One small widget instead of Textual's ProgressBar (a bar, a percentage and an ETA label: three
widget types whose styles would be parsed at start-up though the bar only shows during a batch).
The ETA is the status line's."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class BatchBar(Widget, can_focus=False):
    COMPONENT_CLASSES = {"batch-bar--done", "batch-bar--left"}
    DEFAULT_CSS = """
    BatchBar {
        height: 1;
        & > .batch-bar--done { color: $primary; }
        & > .batch-bar--left { color: $surface-lighten-2; }
    }
    """

    done: reactive[int] = reactive(0)
    total: reactive[int] = reactive(1)

    def update(self, *, done: int, total: int) -> None:
        self.total = max(1, total)
        self.done = min(max(0, done), self.total)

    def render(self) -> Text:
        percent = f" {100 * self.done // self.total:>3}%"
        width = max(0, self.size.width - len(percent))
        halves = round(2 * width * self.done / self.total)
        full, half = divmod(halves, 2)
        done_style = Style.from_color(self.get_component_rich_style("batch-bar--done").color)
        left_style = Style.from_color(self.get_component_rich_style("batch-bar--left").color)
        bar = Text("━" * full, done_style)
        if half:
            bar.append("╸", done_style)
        bar.append("━" * (width - full - half), left_style)
        bar.append(percent)
        return bar
