"""Textual's Footer, recomposed only when the keys it shows actually change.

The stock Footer rebuilds all its keys on every bindings signal (each focus change, each
cursor move in a table), which costs tens of milliseconds per keystroke on a busy screen.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen and self.is_attached:
            shown = tuple(
                (binding.key, binding.description, enabled)
                for (_, binding, enabled, _) in screen.active_bindings.values()
                if binding.show
            )
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
