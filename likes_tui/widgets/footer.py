"""The key bar: the screen's shown bindings in one widget, styled like Textual's Footer.

Textual's Footer builds a widget per key, composes empty, then rebuilds all of them when the
screen's bindings settle (just before the first paint) and again on every bindings signal
after that (each focus change, each cursor move in a table). That was about 14 ms of start-up,
a third of what the main screen costs over a bare Textual app. Here the keys are one line of
text: a bindings signal re-renders it when the shown keys change, and a click on a key presses
it, as on the stock Footer.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.screen import Screen
from textual.widget import Widget

Key = tuple[str, str, str, bool]
"""(key, how it is shown, description, enabled)"""


def shown_keys(screen: Screen[object]) -> tuple[Key, ...]:
    """The bindings a footer shows for `screen` now: one per action, as Textual's Footer."""
    app = screen.app
    keys: dict[str, Key] = {}
    for _, binding, enabled, _ in screen.active_bindings.values():
        if binding.show and binding.action not in keys:
            keys[binding.action] = (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                enabled,
            )
    return tuple(keys.values())


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description", "key-footer--palette"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--palette {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: tuple[Key, ...] = ()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            keys = shown_keys(screen)
            if keys != self.keys:
                self.keys = keys
                self.refresh()

    def render(self) -> RenderResult:
        text = self._keys_text(self.keys, compact=False)
        if text.cell_len > self.size.width:
            text = self._fitted()  # narrow terminal: one space between keys, then `?`
        palette = self._palette()
        if palette is not None:
            key, display = palette
            click = Style(meta={"key": key})
            tail = Text.assemble(
                ("▏", self.get_component_rich_style("key-footer--palette")),
                (f"{display} ", self.get_component_rich_style("key-footer--key") + click),
                ("palette ", self.get_component_rich_style("key-footer--description") + click),
            )
            gap = self.size.width - text.cell_len - tail.cell_len
            if gap >= 1:
                text.append(" " * gap)
                text.append_text(tail)
        return text

    def _fitted(self) -> Text:
        """As many keys as fit, packed closer; when some are left out, `? all keys` says
        where they are (the help lists every key), so a key is never cut in half."""
        text = self._keys_text(self.keys, compact=True)
        width = self.size.width
        if text.cell_len <= width:
            return text
        more = [k for k in self.keys if k[0] == "question_mark"] or [
            ("question_mark", "?", "", True)
        ]
        rest = [k for k in self.keys if k[0] != "question_mark"]
        tail = self._keys_text([(*more[0][:2], "all keys", True)], compact=True)
        while rest:
            text = self._keys_text(rest, compact=True)
            if text.cell_len + tail.cell_len <= width:
                break
            rest.pop()
        text = self._keys_text(rest, compact=True)
        text.append_text(tail)
        return text

    def _keys_text(self, keys: Iterable[Key], *, compact: bool) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        text = Text(no_wrap=True, overflow="crop", end="")
        for key, display, description, enabled in keys:
            click = Style(meta={"key": key}, dim=not enabled)
            text.append(f"{display} " if compact else f" {display} ", key_style + click)
            text.append(f"{description} ", description_style + click)
        return text

    def _palette(self) -> tuple[str, str] | None:
        """The command palette's key, shown on the right as on Textual's Footer."""
        app = self.app
        if not app.ENABLE_COMMAND_PALETTE:
            return None
        active = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if active is None:
            return None
        return active.binding.key, app.get_key_display(active.binding)

    def on_click(self, event: events.Click) -> None:
        key = event.style.meta.get("key")
        if key:
            event.stop()
            self.app.simulate_key(key)
