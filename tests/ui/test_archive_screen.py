"""The archive in the app, driven with the Pilot against the sandbox: import it with `i`, the
list then knows those posts (no ?, and `c` has nothing to check), search it, and unlike what
a filter picks, with the count and cost asked first, through the queue."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input

from likes_tui.archive import open_archive
from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.screens.archive import ArchiveScreen, ImportScreen
from likes_tui.screens.confirm import ConfirmScreen
from tests.archive_fixtures import make_zip
from tests.conftest import Apps, sandbox_of, wait_for


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_archive_screen(pilot) -> ArchiveScreen:
    await pilot.press("escape", "A")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ArchiveScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.page is not None)
    return screen


async def import_from(pilot, path: Path) -> None:
    await pilot.press("i")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ImportScreen))
    pilot.app.screen.query_one("#path", Input).value = str(path)
    await pilot.press("enter")


async def test_import_settles_the_list_then_a_filtered_unlike_goes_through_the_queue(
    apps: Apps, tmp_path: Path
) -> None:
    archive = make_zip(tmp_path / "twitter.zip", 12, parts=2)
    app = apps.demo(post_count=20)
    async with app.run_test(size=(130, 34)) as pilot:
        sandbox = sandbox_of(app)  # the demo's X learns the archive's likes at the import
        shown = [str(GENERATED_BASE + i) for i in (0, 1, 15)]
        await wait_for(pilot, lambda: app.focused is not None)
        app.focused.post_message(events.Paste("\n".join(shown)))
        main = app.screen
        await wait_for(pilot, lambda: all(i in main.rows and main.rows[i].ready for i in shown))
        assert [main.rows[i].liked for i in shown] == [None, None, None]  # shown as ?

        screen = await open_archive_screen(pilot)
        assert "No archive imported" in str(screen.query_one("#count").render())
        await import_from(pilot, archive)
        await wait_for(pilot, lambda: screen.page is not None and screen.page.total == 12)
        assert any("12 likes read: 12 new" in n for n in notices(app))
        assert sandbox.liked_by() == {like.post_id for like in open_archive(archive).likes()}
        assert screen.query_one(DataTable).row_count == 12
        # The list behind knows them now, at no cost: no ?, and nothing for `c` to check.
        assert [main.rows[i].liked for i in shown] == [True, True, None]
        assert app.service.posts.unknown() == {shown[2]}  # all `c` would look for

        await pilot.press("slash", *"rain and compilers")
        await wait_for(pilot, lambda: screen.page is not None and screen.page.matching == 4)
        await pilot.press("enter", "U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#question").render())
        assert "matching 'rain and compilers'" in question and "Unlike 4 posts" in question
        assert "$0.040" in question
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is screen)
        gone = {str(GENERATED_BASE + i) for i in (0, 3, 6, 9)}
        await wait_for(pilot, lambda: not (sandbox.liked_by() & gone))
        assert len(sandbox.liked_by()) == 8
        await wait_for(
            pilot, lambda: screen.page is not None and screen.page.unliked == frozenset(gone)
        )
        # Again: all four are unliked already, and nothing is sent twice.
        await pilot.press("U")
        await wait_for(pilot, lambda: any("unliked already" in n for n in notices(app)))
        assert len(sandbox.requests_to("unlike")) == 4


async def test_a_bad_archive_says_why_and_imports_nothing(apps: Apps, tmp_path: Path) -> None:
    theirs = make_zip(tmp_path / "theirs.zip", 5, account_id="42")
    app = apps.demo()
    async with app.run_test(size=(130, 34)) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        screen = await open_archive_screen(pilot)
        await import_from(pilot, theirs)
        await wait_for(pilot, lambda: any("not this account's" in n for n in notices(app)))
        await import_from(pilot, tmp_path / "nowhere.zip")
        await wait_for(pilot, lambda: any("does not exist" in n for n in notices(app)))
        errors = [n for n in notices(app) if "not this account's" in n or "does not exist" in n]
        assert len(errors) == 2 and all(n.endswith("Nothing was imported.") for n in errors)
        screen.load()
        await pilot.pause()
        assert screen.page is not None and screen.page.total == 0
