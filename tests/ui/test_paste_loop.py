"""The paste-and-like loop as a person runs it: paste, look, like, paste more."""

from __future__ import annotations

from textual import events
from textual.containers import Vertical
from textual.widgets import Input, Static

from likes_tui.sandbox.seed import GENERATED_BASE, SEED_POST_ID
from likes_tui.screens.confirm import ConfirmScreen
from likes_tui.screens.help import HelpScreen
from likes_tui.screens.main import MainScreen
from likes_tui.screens.setup import SetupScreen
from likes_tui.widgets.footer import KeyFooter
from likes_tui.widgets.post_table import PostTable
from likes_tui.widgets.url_input import UrlInput
from tests.conftest import Apps, choose_oauth1, sandbox_of, wait_for


def posts(n: int, start: int = 0) -> list[str]:
    return [str(GENERATED_BASE + i) for i in range(start, start + n)]


def rows(app) -> dict:
    return app.screen.rows


async def paste(pilot, text: str, *ids: str) -> None:
    app = pilot.app
    app.focused.post_message(events.Paste(text))
    screen = app.screen
    await wait_for(pilot, lambda: all(i in screen.rows and screen.rows[i].ready for i in ids))


def footer(app) -> str:
    return str(app.screen.query_one(KeyFooter).render())


async def test_a_second_paste_while_the_list_has_focus_is_looked_up(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        await paste(pilot, posts(1)[0], posts(1)[0])
        assert isinstance(app.focused, PostTable)  # focus moved to the list
        await paste(pilot, "\n".join(posts(2, 1)), *posts(2, 1))
        assert set(rows(app)) == set(posts(3))


async def test_a_paste_without_posts_lands_in_the_box_with_the_reason(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        await paste(pilot, posts(1)[0], posts(1)[0])
        app.focused.post_message(events.Paste("order #12345, phone 5551234567"))
        await pilot.pause()
        box = app.screen.query_one(UrlInput)
        assert app.focused is box and box.value == "order #12345, phone 5551234567"
        note = str(app.screen.query_one("#inline", Static).render())
        assert "numbers inside text are not taken as post ids" in note
        assert set(rows(app)) == set(posts(1))  # nothing looked up, nothing liked


async def test_esc_clears_the_box_then_moves_to_the_list_and_help_opens_from_anywhere(
    apps: Apps,
) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        box = app.screen.query_one(UrlInput)
        assert "esc" in footer(app) and "f1" in footer(app)  # the box says how to leave it
        await pilot.press("h", "i", "question_mark")
        assert box.value == "hi?" and not isinstance(app.screen, HelpScreen)  # ? is typed
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("escape")
        assert box.value == "" and app.focused is box
        await pilot.press("escape")
        assert isinstance(app.focused, PostTable)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await wait_for(pilot, lambda: app.service is not None and app.service.sender is not None)


async def test_a_large_like_all_asks_with_count_eta_and_cost(apps: Apps) -> None:
    app = apps.demo(post_count=40)
    async with app.run_test(size=(130, 40)) as pilot:
        ids = posts(25)
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        question = str(app.screen.query_one("#question", Static).render())
        assert "Like 25 posts" in question and "$0.375" in question and "about" in question
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert app.service is not None and app.service.unsent == 0  # nothing was queued
        assert sandbox_of(app).requests_to("like") == []
        await pilot.press("L")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set(ids))
        await wait_for(pilot, lambda: not any(r.pending for r in rows(app).values()))
        await pilot.press("u")  # undoing 25 asks too
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Undo 25 posts?" in app.screen.query_one(Vertical).border_title
        await pilot.press("y")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set())


async def test_marks_and_ranges_act_on_a_selection(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        ids = posts(6)
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("space", "down", "space")  # marks 0 and 2
        table = app.screen.query_one(PostTable)
        assert table.marked == {ids[0], ids[2]}
        await pilot.press("l")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == {ids[0], ids[2]})
        assert not table.marked
        await pilot.press("v", "down", "down", "v")  # range from row 3 to row 5
        assert table.marked == set(ids[3:6])
        await pilot.press("l")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == {ids[0], ids[2], *ids[3:6]})
        await wait_for(pilot, lambda: not any(r.pending for r in rows(app).values()))
        await pilot.press("U")  # unlike all
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set())


async def test_a_range_adds_to_the_marks_and_the_list_counts_them(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        ids = posts(6)
        await paste(pilot, "\n".join(ids), *ids)
        table = app.screen.query_one(PostTable)
        await pilot.press("space")  # marks 0, the cursor moves to 1
        assert table.border_subtitle == "1 marked · l likes it · esc clears"
        await pilot.press("down", "down", "v", "down", "v")  # a range over rows 3 and 4
        await pilot.pause()
        assert table.marked == {ids[0], ids[3], ids[4]}
        assert table.border_subtitle == "3 marked · l likes them · esc clears"
        await pilot.press("l")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == {ids[0], ids[3], ids[4]})
        await pilot.pause()
        assert table.border_subtitle == ""
        await wait_for(pilot, lambda: not any(r.pending for r in rows(app).values()))
        await pilot.press("g", "down", "down", "down", "space", "space")  # rows 3 and 4
        assert table.border_subtitle == "2 marked · l unlikes them · esc clears"
        await pilot.press("escape")
        await pilot.pause()
        assert not table.marked and table.border_subtitle == ""


async def test_d_is_undone_by_u_and_never_undoes_the_like_before_it(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        ids = posts(4)
        await paste(pilot, "\n".join(ids), *ids)
        table = app.screen.query_one(PostTable)
        await pilot.press("down", "l")  # likes row 1
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == {ids[1]})
        await pilot.press("down", "space", "space", "d")  # removes rows 2 and 3
        assert list(rows(app)) == ids[:2] and table.row_count == 2
        await pilot.press("u")
        await wait_for(pilot, lambda: list(rows(app)) == ids)
        assert [r.key.value for r in table.ordered_rows] == ids  # back where they stood
        assert any("2 posts back on the list" in n.message for n in app._notifications)
        assert sandbox_of(app).liked_by() == {ids[1]}  # the like before was not undone
        await pilot.press("g", "d")  # row 0 off, then back
        await pilot.press("u")
        await wait_for(pilot, lambda: list(rows(app)) == ids)
        assert [r.key.value for r in table.ordered_rows] == ids
        await pilot.press("u")  # now the like
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set())


async def test_open_copy_remove_and_clear(apps: Apps, monkeypatch) -> None:
    import webbrowser

    def no_browser(*args: object) -> object:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        ids = [SEED_POST_ID, *posts(2)]
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("o")
        url = "https://x.com/TwitterDev/status/" + SEED_POST_ID
        await wait_for(
            pilot, lambda: any("No browser here" in n.message for n in app._notifications)
        )
        assert any(url in n.message for n in app._notifications)
        await pilot.press("y")
        assert app.clipboard == url
        await pilot.press("d")
        assert SEED_POST_ID not in rows(app)
        assert SEED_POST_ID not in app.screen.query_one(PostTable).rows
        app.screen.action_clear_list()
        await pilot.pause()
        assert rows(app) == {} and app.screen.query_one(PostTable).row_count == 0


async def test_quitting_with_queued_work_says_what_is_kept(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 40)) as pilot:
        sandbox_of(app).limits["like"] = (1, 900.0)
        ids = posts(3)
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("L")
        await wait_for(pilot, lambda: app.service.wait is not None)
        messages: list[object] = []
        original = app.exit
        app.exit = lambda *a, **kw: (messages.append(kw.get("message")), original(*a, **kw))
        await pilot.press("ctrl+q")  # work is queued: it asks first, and n stays
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "thrown away with the demo" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert not messages and app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
    assert "2 likes and unlikes are" in str(messages[0]) and "demo" in str(messages[0])


async def test_removing_an_account_acts_on_the_active_one_and_names_its_unsent_work(
    apps: Apps,
) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 60)) as pilot:
        sandbox_of(app).limits["like"] = (0, 900.0)  # nothing goes out: the work stays queued
        ids = posts(2)
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("L")
        await wait_for(pilot, lambda: app.service.unsent == 2)
        await pilot.press("f2")
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#remove").press()  # no cursor moved: the active account
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        body = str(app.screen.query_one("#question", Static).render())
        assert "2 likes or unlikes queued for it" in body
        await pilot.press("n")
        assert app.ctx.creds.names() == ["sandbox-demo"]


async def test_escape_after_a_sign_in_asks_before_throwing_it_away(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("f2")
        await choose_oauth1(pilot)
        app.screen.query_one("#o1-access-secret", Input).focus()
        await pilot.press("enter")  # Enter in the last field runs Verify
        await wait_for(pilot, lambda: app.screen.verified is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        assert isinstance(app.screen, SetupScreen) and app.screen.verified is not None
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_keys_typed_fast_with_tabs_land_in_the_right_fields(apps: Apps) -> None:
    """A password manager's auto-type: value, Tab, value, Tab ... in one burst, as the
    terminal delivers it (Pilot.press would wait for each key to be handled)."""
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await choose_oauth1(pilot)
        app.screen.query_one("#o1-api-key", Input).focus()
        values = ["key111", "secret222", "1590000000000000001-tok333", "tsecret444"]
        keys: list[str] = []
        for value in values:
            keys += [*value, "tab"]
        for key in keys:  # all queued at once, not each waited for as Pilot.press does
            app.post_message(events.Key(key, None if key == "tab" else key))
        fields = ("#o1-api-key", "#o1-api-secret", "#o1-access-token", "#o1-access-secret")

        def got() -> list[str]:
            return [app.screen.query_one(s, Input).value for s in fields]

        await wait_for(pilot, lambda: got()[-1] == values[-1])
        assert got() == values


async def test_first_contact_texts(apps: Apps) -> None:
    first = apps.fresh()
    async with first.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert "likes-tui --demo" in str(first.screen.query_one(".help", Static).render())
    demo = apps.demo()
    async with demo.run_test(size=(130, 40)) as pilot:
        await pilot.pause()
        banner = str(demo.screen.query_one("#banner", Static).render())
        assert "demo history is discarded on quit" in banner.lower()


async def test_a_second_oauth2_account_starts_from_the_first_ones_app(tmp_path) -> None:
    from likes_tui.api.oauth2 import OAuth2Token
    from likes_tui.app import LikesApp
    from likes_tui.core.backend import Backend
    from likes_tui.core.context import AppContext
    from likes_tui.sandbox import DEMO_BEARER
    from likes_tui.store.credentials import CredentialStore, OAuth2Profile
    from likes_tui.store.files import Locations

    cfg = tmp_path / "cfg"
    CredentialStore(Locations(cfg).ensure()).save(
        OAuth2Profile(
            "first",
            "my-app-client-id",
            None,
            "http://127.0.0.1:9911/cb",
            OAuth2Token(DEMO_BEARER),
            "1590000000000000001",
            "likes_tui_demo",
        )
    )
    ctx = AppContext.open(config_dir=str(cfg), backend=Backend.in_process_sandbox())
    app = LikesApp(ctx)
    try:
        async with app.run_test(size=(120, 60)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            await pilot.press("f2")
            screen = app.screen
            await wait_for(pilot, lambda: screen.query_one("#o2-client-id", Input).value != "")
            assert screen.query_one("#o2-client-id", Input).value == "my-app-client-id"
            assert screen.query_one("#o2-redirect", Input).value == "http://127.0.0.1:9911/cb"
    finally:
        ctx.close()


async def test_a_lookup_over_the_daily_budget_asks_first(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 34)) as pilot:
        await wait_for(pilot, lambda: app.service is not None)
        app.ctx.update_settings(daily_budget_usd=0.01)
        posts = [str(GENERATED_BASE + i) for i in range(3)]
        app.focused.post_message(events.Paste(" ".join(posts)))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "may cost up to $0.04" in app.screen.body
        await pilot.press("n")
        await wait_for(pilot, lambda: not rows(app))
        assert not sandbox_of(app).requests_to("lookup")
