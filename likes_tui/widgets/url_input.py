"""The URL box. A paste of any size is taken whole (Textual's Input keeps only the first line)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input


class UrlInput(Input):
    @dataclass
    class Pasted(Message):
        """Text pasted that holds at least one post reference."""

        text: str

    def _on_paste(self, event: events.Paste) -> None:
        from likes_tui.urls import extract_post_ids  # on first use: start-up does not need it

        text = event.text
        if text and ("\n" in text.strip() or extract_post_ids(text).ids):
            event.stop()
            event.prevent_default()
            self.post_message(self.Pasted(text))
        # Otherwise Input's own paste handler (next in the MRO) inserts the text.
