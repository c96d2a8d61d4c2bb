"""Posts, names, searches and paths are people's text: brackets in them show as written.

Textual reads `[...]` in a str as markup: `[bold]` became style, `[abc]` vanished, and a
closing tag with no opening one (`[/b]`) raised MarkupError while drawing, which stopped
the app."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from textual.widgets import DataTable, Input, Static
from textual.widgets._toast import Toast

from likes_tui.sandbox.seed import SEED_POST_ID
from likes_tui.screens.history import HistoryScreen
from likes_tui.screens.main import MainScreen
from likes_tui.widgets.post_table import PostTable
from tests.archive_fixtures import like_ids
from tests.conftest import Apps, sandbox_of, wait_for
from tests.ui.test_archive_screen import import_from, notices, open_archive_screen

MARKUP = "closing [/b] first, then [bold]loud[/bold] :smile: [abc] [link=x]y[/link]"


def drawn(table: DataTable) -> str:
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_a_post_written_like_markup_shows_as_written_in_the_list_and_history(
    apps: Apps,
) -> None:
    app = apps.demo()
    async with app.run_test(size=(150, 30)) as pilot:
        sandbox = sandbox_of(app)
        sandbox.posts[SEED_POST_ID] = replace(sandbox.posts[SEED_POST_ID], text=MARKUP)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_for(pilot, lambda: screen.likes.service is not None)
        await pilot.press(*f"https://x.com/TwitterDev/status/{SEED_POST_ID}", "enter")
        table = screen.query_one(PostTable)
        await wait_for(pilot, lambda: "first, then" in str(table.get_cell(SEED_POST_ID, "text")))
        await pilot.pause()
        assert "closing [/b] first, then [bold]loud[/bold] :smile: [abc]" in drawn(table)

        await pilot.press("l")
        await wait_for(pilot, lambda: sandbox.posts[SEED_POST_ID].likes > 0)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        rows = history.query_one(DataTable)
        await wait_for(pilot, lambda: rows.row_count == 1)
        await pilot.pause()
        assert "closing [/b] first, then [bold]loud" in drawn(rows)
        history.query_one("#search", Input).value = "[/b]"
        await wait_for(pilot, lambda: "matching" in str(history.query_one("#count").render()))
        assert "1 entry matching '[/b]'" in str(history.query_one("#count", Static).render())
        history.query_one("#search", Input).value = "[/nothing]"
        await wait_for(pilot, lambda: rows.row_count == 0)
        await pilot.pause()
        assert "no entries match '[/nothing]'" in str(history.query_one("#count").render())
        assert app.is_running and app.return_code is None


async def test_archived_text_and_a_path_with_brackets_show_as_written(
    apps: Apps, tmp_path: Path
) -> None:
    post_id = like_ids(1)[0]
    like = {"like": {"tweetId": post_id, "fullText": MARKUP, "expandedUrl": ""}}
    folder = tmp_path / "export [bold] 2026"
    folder.mkdir()
    archive = folder / "like.js"
    archive.write_text("window.YTD.like.part0 = " + json.dumps([like]), encoding="utf-8")
    app = apps.demo()
    async with app.run_test(size=(150, 34), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        screen = await open_archive_screen(pilot)
        await import_from(pilot, folder / "missing [abc].zip")
        await wait_for(pilot, lambda: any("does not exist" in n for n in notices(app)))
        await wait_for(pilot, lambda: len(app.screen.query(Toast)) > 0)
        await pilot.pause()
        shown = " ".join(str(toast.render()) for toast in app.screen.query(Toast))
        assert "export [bold] 2026/missing [abc].zip" in shown.replace("\n", "")
        await import_from(pilot, archive)
        table = screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.pause()
        assert "closing [/b] first, then [bold]loud[/bold] :smile: [abc]" in drawn(table)
        assert app.is_running and app.return_code is None
