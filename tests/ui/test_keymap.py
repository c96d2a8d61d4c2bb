"""One table (likes_tui/keymap.py) makes the bindings, the palette and the help: each entry
runs a real action, and all three show the same commands."""

from __future__ import annotations

from likes_tui.app import LikesApp
from likes_tui.commands import LikesCommands
from likes_tui.keymap import APP, MAIN
from likes_tui.screens.help import HelpScreen
from likes_tui.screens.main import MainScreen
from tests.conftest import Apps, wait_for


def test_every_command_runs_an_action_that_exists() -> None:
    for table, owner in ((MAIN, MainScreen), (APP, LikesApp)):
        for command in table:
            target, _, name = command.action.rpartition(".")
            cls = LikesApp if target == "app" else owner
            assert callable(getattr(cls, f"action_{name}", None)), command.action


async def test_the_palette_and_the_help_show_what_the_table_says(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_for(pilot, lambda: app.service is not None)
        hits = [hit async for hit in LikesCommands(app.screen).discover()]
        titles = [str(hit.display) for hit in hits]
        assert titles == [c.title for c in (*MAIN, *APP) if c.title]
        helps = {str(hit.display): hit.help for hit in hits}
        assert helps["Like / unlike selected post"].endswith("(l)")
        assert helps["History"].endswith("(h)")  # an app action, bound on the main screen
        assert helps["Resume queue"] == "Send unsent likes now"  # palette only: no key
        await pilot.press("escape")  # from the URL box to the list, where ? is a key
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        listed = {what for _, group in app.screen.groups() for _, what in group}
        assert {c.label for c in (*MAIN, *APP) if c.keys and c.label} <= listed
