"""The command palette's provider: every action of the app by name (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from likes_tui.app import LikesApp

Command = tuple[str, str, Callable[[], object]]


class LikesCommands(Provider):
    def _commands(self) -> list[Command]:
        app: LikesApp = self.app  # type: ignore[assignment]
        main = app.main_screen()
        out: list[Command] = []
        if main is not None:
            out += [
                (
                    "Like / unlike selected post",
                    "Toggle the like on the selected post (l)",
                    main.action_toggle_like,
                ),
                ("Like all", "Like every post in the list not liked yet (L)", main.action_like_all),
                ("Unlike all", "Unlike every liked post in the list (U)", main.action_unlike_all),
                ("Undo", "Undo the last like, unlike or removal (u)", main.action_undo),
                (
                    "Mark post",
                    "Mark the selected post for l on a selection (space)",
                    main.action_mark,
                ),
                (
                    "Mark a range",
                    "Add every post the cursor passes to the marks (v, again to end)",
                    main.action_visual,
                ),
                ("Open in browser", "Open the selected post on x.com (o)", main.action_open_post),
                ("Copy URL", "Copy the selected post's URL (y)", main.action_copy_url),
                (
                    "Remove from list",
                    "Take the post (or the marked ones) off the list; u puts them back (d)",
                    main.action_remove_row,
                ),
                (
                    "Clear the list",
                    "Empty the list; queued likes are still sent",
                    main.action_clear_list,
                ),
                (
                    "Toggle auto-like on paste",
                    "Like every found post without a keystroke each (a)",
                    app.action_toggle_auto_like,
                ),
                ("Retry failed", "Send failed likes again (R)", app.action_retry_failed),
                ("Drop failed", "Forget failed likes (X)", app.action_drop_failed),
                ("Resume queue", "Send unsent likes now", app.action_resume_queue),
                (
                    "Check like states",
                    "Page through this account's likes to settle the posts shown as ?; again stops (c)",
                    main.action_check_likes,
                ),
            ]
        out += [
            ("History", "Every like and unlike made from this config dir (h)", app.action_history),
            ("Costs", "What X billed this account's calls, per day and kind ($)", app.action_costs),
            ("Accounts", "Add, switch or remove an account (F2)", app.action_accounts),
            (
                "Help: every key",
                "The keys of this screen and of the whole app (?)",
                app.action_help,
            ),
        ]
        return out

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, partial(callback), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(callback), help=help_text)
