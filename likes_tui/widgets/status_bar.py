"""The status line's widget: the account until the likes service publishes its first view
(the first frame needs nothing more), then what widgets/status_line.py makes of each view
and the clock. Countdowns tick every second while something waits and disappear when nothing
does; when the line is too narrow, the least important items go first, none cut in half.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

if TYPE_CHECKING:
    from likes_tui.core.view import QueueView
    from likes_tui.widgets.status_line import Segment


def _wording() -> ModuleType:
    """widgets/status_line.py, which loads with the service's first view (after the first
    paint, like everything the view is made of)."""
    from likes_tui.widgets import status_line

    return status_line


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    view: reactive[QueueView | None] = reactive(None, layout=False)

    def __init__(
        self, handle: str = "", clock: Callable[[], float] = time.time, **kw: object
    ) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.handle = handle
        self.clock = clock

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Redraw while a countdown runs, so it ticks; idle lines stay still."""
        if self.view is not None and _wording().ticking(self.view, self.clock()):
            self.refresh()

    def segments(self, now: float) -> list[Segment]:
        """The items the line would show with room for all, in display order."""
        return _wording().segments(self.view, now) if self.view is not None else []

    def render(self) -> Text:
        if self.view is None:
            return Text(self.handle or "not signed in", style="bold")
        width = max(1, self.size.width - 2) if self.size.width else 200
        line: Text = _wording().line(self.view, self.clock(), width)
        return line
