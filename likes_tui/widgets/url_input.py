"""The URL box. A paste of any size is taken whole (Textual's Input keeps only the first line)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class UrlInput(Input):
    BINDINGS = [
        Binding("escape", "leave", "Clear, then to the list", key_display="esc"),
        Binding("f1", "app.help", "Help"),
    ]

    class Pasted(Message):
        """Text pasted that holds at least one post reference."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Leave(Message):
        """Esc on an empty box: the person wants the list."""

    def action_leave(self) -> None:
        """Esc clears the box; Esc on an empty box moves to the list."""
        if self.value:
            self.clear()
        else:
            self.post_message(self.Leave())

    def _on_paste(self, event: events.Paste) -> None:
        from likes_tui.urls import extract_post_ids  # on first use: start-up does not need it

        text = event.text
        if text and ("\n" in text.strip() or extract_post_ids(text).ids):
            event.stop()
            event.prevent_default()
            self.post_message(self.Pasted(text))
        # Otherwise Input's own paste handler (next in the MRO) inserts the text.
