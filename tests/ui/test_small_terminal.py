"""An 80x24 terminal: the list keeps its rows, the key bar says where the other keys are, and
emoji never push a border out of line."""

from __future__ import annotations

from textual import events

from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.screens.help import HelpScreen
from likes_tui.widgets.cells import as_laid_out
from likes_tui.widgets.footer import KeyFooter
from likes_tui.widgets.post_card import PostCard
from likes_tui.widgets.post_table import PostTable
from tests.conftest import Apps, wait_for

IDS = [str(GENERATED_BASE + i) for i in range(1, 21)]


async def paste_twenty(pilot) -> PostTable:
    app = pilot.app
    app.focused.post_message(events.Paste("\n".join(IDS)))
    await wait_for(
        pilot, lambda: all(r.ready for r in app.screen.rows.values()) and app.screen.rows
    )
    await pilot.pause()
    return app.screen.query_one(PostTable)


async def test_at_80x24_the_list_keeps_twelve_rows_and_the_card_folds(apps: Apps) -> None:
    app = apps.demo()  # the demo's banner takes a line too
    async with app.run_test(size=(80, 24)) as pilot:
        table = await paste_twenty(pilot)
        rows_shown = table.scrollable_content_region.height - 1  # the column header
        assert rows_shown >= 12
        card = app.screen.query_one(PostCard)
        assert card.folded and card.outer_size.height == 4
        lines = card.plain.splitlines()
        assert "@XDevelopers" in lines[0] and "2026-" in lines[0]
        assert lines[1].startswith("? Like state unknown") and "♥" in lines[1]
    app = apps.demo()
    async with app.run_test(size=(80, 40)) as pilot:
        await paste_twenty(pilot)
        card = app.screen.query_one(PostCard)
        assert not card.folded and "Hot take" in card.plain  # room enough: the whole card


async def test_keys_that_do_not_fit_are_behind_question_mark(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(80, 24)) as pilot:
        await paste_twenty(pilot)
        footer = app.screen.query_one(KeyFooter)
        text = str(footer.render())
        assert text.rstrip().endswith("? all keys") and len(text) <= 80
        shown = [d for _, _, d, _ in footer.keys if d in text]
        assert shown and all(f" {d} " in f" {text} " for d in shown)  # no key cut in half
        assert "F2" not in text
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = [key for _, group in app.screen.groups() for key, _ in group]
        assert "f2" in keys
    app = apps.demo()
    async with app.run_test(size=(160, 24)) as pilot:
        await paste_twenty(pilot)
        assert "all keys" not in str(app.screen.query_one(KeyFooter).render())


def test_emoji_are_measured_as_the_terminal_draws_them() -> None:
    assert as_laid_out("rain 🌧️🦀 and 🖥️") == "rain 🌧🦀 and 🖥"
    assert as_laid_out("coffee ☕️") == "coffee ☕️"  # already two cells: left alone
    assert as_laid_out("plain") == "plain"


async def test_a_vs16_emoji_in_a_name_keeps_the_card_border_in_line(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 36)) as pilot:
        app.focused.post_message(events.Paste(str(GENERATED_BASE + 3)))  # @terminal_tales 🖥️
        await wait_for(pilot, lambda: "Terminal Tales" in app.screen.query_one(PostCard).plain)
        card = app.screen.query_one(PostCard)
        assert "\ufe0f" not in card.plain
        assert "Terminal Tales 🖥" in card.plain


async def test_no_color_draws_in_greys_and_the_like_state_still_shows(
    apps: Apps, monkeypatch
) -> None:
    import re

    monkeypatch.setenv("NO_COLOR", "1")
    app = apps.demo()
    async with app.run_test(size=(100, 30)) as pilot:
        await paste_twenty(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen.rows[IDS[0]].liked is True)
        await pilot.pause()
        svg = app.export_screenshot()
        card = app.screen.query_one(PostCard).plain
    chrome = {"ff5f57", "febc2e", "28c840", "c5c8c6"}  # the window buttons, the title
    colours = set(re.findall(r"fill=\"#([0-9a-f]{6})\"", svg)) - chrome
    assert colours and all(c[0:2] == c[2:4] == c[4:6] for c in colours), [
        c for c in colours if not c[0:2] == c[2:4] == c[4:6]
    ]
    assert "♥ Liked" in card  # said in words and a symbol, not by hue alone
