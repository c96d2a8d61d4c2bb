"""Typed access from a screen to the app it runs in (messages up, attributes down)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from likes_tui.app import LikesApp
    from likes_tui.core.context import AppContext


class LikesScreen(Screen[object]):
    follows_queue: ClassVar[bool] = False
    """The app sends this screen the queue's news (QueueUpdated) too while it is on top."""

    @property
    def likes(self) -> LikesApp:
        return cast("LikesApp", self.app)

    @property
    def ctx(self) -> AppContext:
        return self.likes.ctx
