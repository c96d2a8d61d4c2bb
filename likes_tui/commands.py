"""The command palette's provider (ctrl+p): every titled command of the key table
(likes_tui/keymap.py), the main screen's while it is open and the app's always, each with
the key that does it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from likes_tui.keymap import APP, MAIN, Command, keys_of

if TYPE_CHECKING:
    from likes_tui.app import LikesApp
    from likes_tui.screens.main import MainScreen

Entry = tuple[str, str, Callable[[], object]]


class LikesCommands(Provider):
    def _commands(self) -> Iterator[Entry]:
        app: LikesApp = self.app  # type: ignore[assignment]
        main = app.main_screen()
        tables: list[tuple[LikesApp | MainScreen, tuple[Command, ...]]] = [(app, APP)]
        if main is not None:
            tables.insert(0, (main, MAIN))
        for node, table in tables:
            for command in table:
                if not command.title:
                    continue
                keys = keys_of(command.action)
                words = app.get_key_display(keys[0].binding()) if keys else ""
                yield (
                    command.title,
                    command.palette_help(words),
                    partial(node.run_action, command.action),
                )

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
