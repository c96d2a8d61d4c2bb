"""Every key binding, generated from the live bindings so it never drifts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 80; height: 80%; background: $surface; border: round $primary; padding: 0 1;
    }
    HelpScreen DataTable { height: 1fr; }
    HelpScreen #help-foot { color: $text-muted; height: auto; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", show=False)]

    def __init__(self, over: Screen[object]) -> None:
        super().__init__()
        self.over = over

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Keys"
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Every action is also in the command palette (ctrl+p). "
                "In the URL box, letters are typed; press Tab or Enter to leave it.  Esc closes.",
                id="help-foot",
            )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Action", "Where")
        seen: set[tuple[str, str]] = set()
        sources = [(type(self.over).__name__, _bindings(self.over))]
        palette = [
            Binding(
                self.app.COMMAND_PALETTE_BINDING,
                "command_palette",
                "Command palette",
                key_display=self.app.COMMAND_PALETTE_DISPLAY,
            )
        ]
        sources.append(("everywhere", _bindings(self.app) + palette))
        for node in self.over.query("PostTable"):
            sources.append((type(node).__name__, _bindings(node)))
        for where, bindings in sources:
            for binding in bindings:
                if not binding.description or binding.action in NOISE:
                    continue
                key = binding.key_display or self.app.get_key_display(binding)
                description = CLEARER.get(binding.action, binding.description)
                if (key, description) in seen:
                    continue
                seen.add((key, description))
                table.add_row(Text(key, style="bold"), description, _where(where))
        table.focus()


NOISE = frozenset(
    {
        "app.focus_next",
        "app.focus_previous",
        "screen.copy_text",
        "cursor_left",
        "cursor_right",
    }
)
"""Textual's own bindings that say nothing about this app."""
CLEARER = {"command_palette": "Command palette: every action by name"}


def _bindings(node: DOMNode) -> list[Binding]:
    """The node's bindings as its classes declare them (BINDINGS, through the MRO)."""
    return [
        binding
        for cls in type(node).__mro__
        for binding in Binding.make_bindings(vars(cls).get("BINDINGS", []))
    ]


def _where(name: str) -> str:
    return {
        "MainScreen": "main screen",
        "PostTable": "post list",
        "UrlInput": "URL box",
        "HistoryScreen": "history",
        "SetupScreen": "accounts",
    }.get(name, name)
