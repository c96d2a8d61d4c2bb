"""The keys a person uses, grouped by where they work, built from the app's own bindings (so
it never drifts) without Textual's internal ones. Scrolls with j/k, the arrows, Home and End."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScroll(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 100%; max-width: 84; height: 85%; background: $surface; border: round $primary;
        padding: 0 1;
    }
    HelpScreen HelpScroll { height: 1fr; }
    HelpScreen #help-foot { color: $text-muted; height: auto; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", show=False)]

    def __init__(self, over: Screen[object]) -> None:
        super().__init__()
        self.over = over

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Keys"
            with HelpScroll(id="keys"):
                yield Static(self._table(), id="key-table")
            yield Static(
                "Every action is also in the command palette (ctrl+p).  "
                "j/k or ↑/↓ scroll, Home/End jump, Esc closes.",
                id="help-foot",
            )

    def on_mount(self) -> None:
        self.query_one(HelpScroll).focus()

    def groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(where, [(key, what)]) for the screen underneath and the whole app."""
        app = self.app
        name = type(self.over).__name__
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        screen_keys = _ours(self.over)
        if name == "MainScreen":
            list_keys = [
                ("↑ ↓  j k", "move in the list"),
                ("g Home  G End", "first post, last post"),
                *screen_keys,
            ]
            groups.append(("Post list", list_keys))
            box = next(iter(self.over.query("UrlInput")), None)
            box_keys = [("paste, Enter", "find every post in the text and look them up")]
            if box is not None:
                box_keys += _ours(box)
            groups.append(("URL box (letters are typed here)", box_keys))
        elif screen_keys:
            groups.append((WHERE.get(name, name), screen_keys))
        everywhere = [*_ours(app), (app.COMMAND_PALETTE_BINDING, "command palette: every action")]
        groups.append(("Everywhere", everywhere))
        return groups

    def _table(self) -> Group:
        parts: list[RenderableType] = []
        for where, keys in self.groups():
            parts.append(Text(where, style="bold underline"))
            table = Table.grid(padding=(0, 2))
            table.add_column(width=14)
            table.add_column()
            seen: set[str] = set()
            for key, what in keys:
                if what not in seen:
                    seen.add(what)
                    table.add_row(Text(key, style="bold"), what)
            parts += [table, Text("")]
        return Group(*parts)


WHERE = {"HistoryScreen": "History", "SetupScreen": "Accounts", "MainScreen": "Post list"}


def _ours(node: DOMNode) -> list[tuple[str, str]]:
    """The node's own bindings (its likes_tui classes', not Textual's), as (key, what)."""
    app = node.app
    keys: list[tuple[str, str]] = []
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("likes_tui"):
            continue
        for binding in Binding.make_bindings(vars(cls).get("BINDINGS", [])):
            if binding.description:
                keys.append((app.get_key_display(binding), binding.description))
    return keys
