"""Set-up, accounts, history, help and resume, driven with the Pilot."""

from __future__ import annotations

import stat

from textual import events
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, DataTable, Input, OptionList, Static

from likes_tui import sandbox as sb
from likes_tui.sandbox.seed import GENERATED_BASE, SEED_POST_ID
from likes_tui.screens.confirm import ConfirmScreen
from likes_tui.screens.help import HelpScreen
from likes_tui.screens.history import HistoryScreen
from likes_tui.screens.main import MainScreen
from likes_tui.screens.resume import ResumeScreen
from likes_tui.screens.setup import SetupScreen
from likes_tui.store.credentials import OAuth2Profile
from likes_tui.store.state import QueueRequest, StateDB
from tests.benchmarks._measure import fill_history
from tests.conftest import Apps, choose_oauth1, sandbox_of, wait_for


async def fill(pilot, selector: str, value: str) -> None:
    pilot.app.screen.query_one(selector, Input).value = value
    await pilot.pause()


def result_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_no_credentials_opens_setup_then_oauth1_verify_and_save(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await choose_oauth1(pilot)
        await fill(pilot, "#o1-api-key", sb.DEMO_API_KEY)
        await fill(pilot, "#o1-api-secret", sb.DEMO_API_KEY_SECRET)
        await fill(pilot, "#o1-access-token", sb.DEMO_ACCESS_TOKEN)
        await fill(pilot, "#o1-access-secret", sb.DEMO_ACCESS_TOKEN_SECRET)
        assert "1590000000000000001" in result_text(app, "#o1-userid")
        assert app.screen.query_one("#o1-api-secret", Input).password is True
        app.screen.query_one("#o1-verify", Button).press()
        await wait_for(pilot, lambda: "Signed in as" in result_text(app, "#o1-result"))
        assert "@likes_tui_demo (1590000000000000001)" in result_text(app, "#o1-result")
        assert not app.screen.query_one("#owns-app", Checkbox).display  # portal keys: the owner's
        app.screen.query_one("#save", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        path = app.ctx.loc.profile("likes_tui_demo")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert app.ctx.settings.active_profile == "likes_tui_demo"
        assert 'active_profile = "likes_tui_demo"' in app.ctx.loc.settings.read_text()


async def test_the_portals_app_only_bearer_token_is_recognised_where_it_does_not_belong(
    apps: Apps,
) -> None:
    from likes_tui.sandbox.demo import DEMO_APP_BEARER

    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        app.screen.query_one("#o2-client-id", Input).focus()
        await pilot.press("ctrl+u")
        app.focused.post_message(events.Paste(DEMO_APP_BEARER))
        await wait_for(pilot, lambda: "app-only Bearer Token" in result_text(app, "#o2-result"))
        await choose_oauth1(pilot)
        await fill(pilot, "#o1-api-key", sb.DEMO_API_KEY)
        await fill(pilot, "#o1-api-secret", sb.DEMO_API_KEY_SECRET)
        await fill(pilot, "#o1-access-token", DEMO_APP_BEARER)
        assert "app-only Bearer Token" in result_text(app, "#o1-result")
        await fill(pilot, "#o1-access-secret", sb.DEMO_ACCESS_TOKEN_SECRET)
        app.screen.query_one("#o1-verify", Button).press()
        await pilot.pause()
        text = result_text(app, "#o1-result")
        assert "Access Token and Secret" in text and "OAuth 2.0" in text
        assert not sandbox_of(app).requests_to("me")  # nothing was sent with it


async def test_wrong_oauth1_secret_says_what_to_fix(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await choose_oauth1(pilot)
        await fill(pilot, "#o1-api-key", sb.DEMO_API_KEY)
        await fill(pilot, "#o1-api-secret", "wrong-secret")
        await fill(pilot, "#o1-access-token", sb.DEMO_ACCESS_TOKEN)
        await fill(pilot, "#o1-access-secret", sb.DEMO_ACCESS_TOKEN_SECRET)
        app.screen.query_one("#o1-verify", Button).press()
        await wait_for(pilot, lambda: "✗" in result_text(app, "#o1-result"))
        text = result_text(app, "#o1-result")
        assert "four values" in text and "clock" in text
        assert "wrong-secret" not in text
        assert app.screen.query_one("#save", Button).disabled


async def test_missing_fields_are_named(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await choose_oauth1(pilot)
        app.screen.query_one("#o1-verify", Button).press()
        await pilot.pause()
        assert "Fill in: API Key, API Key Secret" in result_text(app, "#o1-result")


async def test_oauth2_sign_in_against_the_sandbox(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await fill(pilot, "#o2-client-id", sb.DEMO_CLIENT_ID)
        app.screen.query_one("#o2-signin", Button).press()
        await wait_for(pilot, lambda: "Signed in as" in result_text(app, "#o2-result"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.ctx.profile is not None and app.ctx.profile.kind == "oauth2"
        stored = app.ctx.creds.load(app.ctx.profile.name)
        assert isinstance(stored, OAuth2Profile) and stored.token.refresh_token


async def test_unknown_client_id_is_refused_clearly(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await fill(pilot, "#o2-client-id", "nope")
        app.screen.query_one("#o2-signin", Button).press()
        await wait_for(pilot, lambda: "✗" in result_text(app, "#o2-result"))


async def test_ctrl_r_reveals_and_hides_secrets(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        secret = app.screen.query_one("#o2-client-secret", Input)
        assert secret.password
        await pilot.press("ctrl+r")
        assert not secret.password
        await pilot.press("ctrl+r")
        assert secret.password


async def test_setup_cannot_be_left_without_an_account(apps: Apps) -> None:
    app = apps.fresh()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        assert isinstance(app.screen, SetupScreen)


async def test_accounts_add_switch_and_remove(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, SetupScreen)
        await choose_oauth1(pilot)
        app.screen.query_one("#o1-verify", Button).press()  # demo pre-fills the sandbox keys
        await wait_for(pilot, lambda: "Signed in as" in result_text(app, "#o1-result"))
        app.screen.query_one("#save", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.ctx.profile.kind == "oauth1"  # type: ignore[union-attr]
        await pilot.press("f2")
        accounts = app.screen.query_one("#accounts", OptionList)
        names = [accounts.get_option_at_index(i).id for i in range(accounts.option_count)]
        assert names == ["likes_tui_demo", "sandbox-demo"]
        accounts.highlighted = 1
        app.screen.query_one("#switch", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.ctx.profile.name == "sandbox-demo"  # type: ignore[union-attr]
        await pilot.press("f2")
        accounts = app.screen.query_one("#accounts", OptionList)
        accounts.highlighted = 0
        app.screen.query_one("#remove", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Sign out of likes_tui_demo?" in app.screen.query_one(Vertical).border_title
        await pilot.press("y")
        await wait_for(pilot, lambda: app.ctx.creds.names() == ["sandbox-demo"])
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_history_lists_newest_first_searches_and_opens_a_post(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(140, 40)) as pilot:
        ids = [SEED_POST_ID, str(GENERATED_BASE + 4)]
        app.focused.post_message(events.Paste("\n".join(ids)))
        main = app.screen
        await wait_for(
            pilot, lambda: all(i in main.rows and main.rows[i].status == "ready" for i in ids)
        )
        await pilot.press("L")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set(ids))
        await wait_for(pilot, lambda: all(main.rows[i].pending is None for i in ids))
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        assert str(table.get_row_at(0)[-1]) == ids[1]  # newest first
        await pilot.pause()
        assert table.max_scroll_x == 0  # the post column gives way: the ids stay on screen
        await pilot.press("slash")
        for ch in "TwitterDev":
            await pilot.press(ch)
        assert table.row_count == 1 and str(table.get_row_at(0)[-1]) == SEED_POST_ID
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.screen.query_one("#table").selected_key == SEED_POST_ID


async def test_history_survives_a_restart(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        app.focused.post_message(events.Paste(SEED_POST_ID))
        main = app.screen
        await wait_for(
            pilot, lambda: SEED_POST_ID in main.rows and main.rows[SEED_POST_ID].status == "ready"
        )
        await pilot.press("l")
        await wait_for(pilot, lambda: main.rows[SEED_POST_ID].pending is None)
    again = apps.demo()
    async with again.run_test() as pilot:
        await pilot.press("tab", "h")
        assert again.screen.query_one(DataTable).row_count == 1


async def test_help_lists_every_binding(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("tab", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        groups = dict(app.screen.groups())
        assert set(groups) == {"Post list", "URL box (letters are typed here)", "Everywhere"}
        actions = {what for keys in groups.values() for _, what in keys}
        assert {
            "Like/unlike",
            "Like all",
            "Unlike all",
            "Undo",
            "Mark",
            "Open",
            "History",
            "Quit",
            "Auto-like",
            "Clear, then to the list",
            "command palette: every action",
        } <= actions
        # Textual's own bindings (select, page left, cursor right...) are not a person's keys.
        assert not actions & {"Select", "Page left", "Page right", "Cursor right", "Scroll Up"}
        await pilot.press("end")
        await pilot.pause()
        scroll = app.screen.query_one("#keys")
        assert scroll.scroll_y > 0 or scroll.max_scroll_y == 0
        await pilot.press("k")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_pending_work_from_last_time_is_offered_and_resumed(apps: Apps) -> None:
    first = apps.demo()
    ids = [str(GENERATED_BASE + i) for i in range(3)]
    state = StateDB(first.ctx.loc.state)
    state.queue.enqueue_many(first.ctx.account, [QueueRequest(i, "like") for i in ids])
    state.close()
    async with first.run_test() as pilot:
        await pilot.pause()
        assert isinstance(first.screen, ResumeScreen)
        assert sandbox_of(first).requests_to("like") == []
        main = first.screen_stack[-2]
        assert isinstance(main, MainScreen)
        await wait_for(pilot, lambda: all(main.rows.get(i) and main.rows[i].post for i in ids))
        assert all(main.rows[i].pending == "like" for i in ids)  # the kept work is shown
        await pilot.press("r")
        await wait_for(pilot, lambda: sandbox_of(first).liked_by() == set(ids))


async def test_later_keeps_the_work_for_the_command_palette(apps: Apps) -> None:
    app = apps.demo()
    state = StateDB(app.ctx.loc.state)
    state.queue.enqueue(app.ctx.account, SEED_POST_ID, "like")
    state.close()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.ctx.state.queue.counts(app.ctx.account).pending == 1
        app.action_resume_queue()
        await wait_for(pilot, lambda: SEED_POST_ID in sandbox_of(app).liked_by())


async def test_command_palette_offers_every_action(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        await pilot.pause()
        from likes_tui.commands import LikesCommands

        provider = LikesCommands(app.screen)
        titles = {str(hit.display) async for hit in provider.discover()}
        titles |= {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "Like / unlike selected post",
            "Like all",
            "Undo",
            "History",
            "Accounts",
            "Toggle auto-like on paste",
            "Retry failed",
            "Drop failed",
            "Help: every key",
            "Resume queue",
            "Check like states",
        } <= titles
        assert any("theme" in t.lower() for t in titles)


async def test_browser_sign_in_through_the_loopback_listener(tmp_path, server) -> None:
    """The real path: X (the sandbox over HTTP) redirects the browser to the app's listener."""
    import httpx

    from likes_tui.app import LikesApp
    from likes_tui.core.context import AppContext
    from likes_tui.core.signin import Backend
    from tests.api.test_oauth2 import free_port

    ctx = AppContext.open(config_dir=str(tmp_path / "cfg"), backend=Backend(server.base_url))
    app = LikesApp(ctx)
    opened: list[str] = []
    app.open_url = lambda url, **kw: opened.append(url)  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(110, 60)) as pilot:
            await fill(pilot, "#o2-client-id", sb.DEMO_CLIENT_ID)
            await fill(pilot, "#o2-redirect", f"http://127.0.0.1:{free_port()}/callback")
            app.screen.query_one("#o2-signin", Button).press()
            await wait_for(pilot, lambda: bool(opened))
            await wait_for(
                pilot, lambda: "Waiting for the browser" in result_text(app, "#o2-result")
            )
            app.screen.query_one("#o2-copy", Button).press()
            await pilot.pause()
            assert app.clipboard == opened[0]
            async with httpx.AsyncClient(follow_redirects=True) as browser:
                page = await browser.get(opened[0])
            assert "close this tab" in page.text
            await wait_for(pilot, lambda: "Signed in as" in result_text(app, "#o2-result"))
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
    finally:
        ctx.close()


async def test_discarding_unsent_work_clears_it_from_the_list(apps: Apps) -> None:
    app = apps.demo()
    ids = [str(GENERATED_BASE + i) for i in range(2)]
    state = StateDB(app.ctx.loc.state)
    state.queue.enqueue_many(app.ctx.account, [QueueRequest(i, "like") for i in ids])
    state.close()
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        main = app.screen_stack[-2]
        await wait_for(pilot, lambda: all(main.rows.get(i) and main.rows[i].post for i in ids))
        await pilot.press("d")
        await wait_for(pilot, lambda: all(main.rows[i].pending is None for i in ids))
        assert app.ctx.state.queue.counts(app.ctx.account).pending == 0
        assert sandbox_of(app).requests_to("like") == []


async def test_a_new_like_after_later_runs_the_queue_again(apps: Apps) -> None:
    app = apps.demo()
    state = StateDB(app.ctx.loc.state)
    state.queue.enqueue(app.ctx.account, SEED_POST_ID, "like")
    state.close()
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        await pilot.press("l")  # Later
        app.screen.query_one("#url").post_message(events.Paste(str(GENERATED_BASE)))
        main = app.screen
        await wait_for(
            pilot,
            lambda: (
                str(GENERATED_BASE) in main.rows and main.rows[str(GENERATED_BASE)].post is not None
            ),
        )
        await pilot.press("l")
        await wait_for(
            pilot, lambda: sandbox_of(app).liked_by() == {SEED_POST_ID, str(GENERATED_BASE)}
        )


async def test_theme_chosen_in_the_palette_is_remembered(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert 'theme = "nord"' in app.ctx.loc.settings.read_text()
    again = apps.demo()
    async with again.run_test():
        assert again.theme == "nord"


async def test_the_costs_screen_itemises_what_x_billed(apps: Apps) -> None:
    from textual.widgets import DataTable

    from likes_tui.screens.costs import CostsScreen

    app = apps.demo()
    async with app.run_test(size=(120, 40)) as pilot:
        app.focused.post_message(events.Paste(SEED_POST_ID))
        main = app.screen
        await wait_for(pilot, lambda: SEED_POST_ID in main.rows and main.rows[SEED_POST_ID].ready)
        await pilot.press("l")
        await wait_for(pilot, lambda: main.rows[SEED_POST_ID].pending is None)
        await wait_for(pilot, lambda: app.service.idle and app.service.spent_today > 0)
        await pilot.press("dollar_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, CostsScreen))
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: table.row_count == 4)  # the day, then three kinds
        cells = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert cells[0][4] == "0.030"  # a post $0.005, its author $0.010, the like $0.015
        kinds = {row[1]: (row[2], row[4]) for row in cells[1:]}
        assert kinds == {
            "likes": ("1", "0.015"),
            "users read": ("1", "0.010"),
            "posts read": ("1", "0.005"),
        }
        assert "Today (UTC): $0.030" in str(app.screen.query_one("#summary", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, CostsScreen)


async def test_sign_in_with_a_pin_from_the_api_key_and_secret_alone(apps: Apps) -> None:
    """Step one gives the URL and a PIN box (masked, as a secret); a mistyped PIN says so and
    can be typed again; the right one shows who signed in, and Save goes on."""
    app = apps.fresh()
    async with app.run_test(size=(120, 70)) as pilot:
        await pilot.pause()
        await choose_oauth1(pilot)
        start = app.screen.query_one("#o1-pin-start", Button)
        start.press()
        await wait_for(pilot, lambda: "Fill in the API Key" in result_text(app, "#o1-result"))
        await fill(pilot, "#o1-api-key", sb.DEMO_API_KEY)
        await fill(pilot, "#o1-api-secret", sb.DEMO_API_KEY_SECRET)
        start.press()
        pin = app.screen.query_one("#o1-pin", Input)
        await wait_for(pilot, lambda: len(pin.value) == 7)  # the sandbox's PIN
        assert pin.password and app.focused is pin
        assert "/oauth/authorize?oauth_token=" in result_text(app, "#o1-pin-url")
        right = pin.value
        pin.value = f"{(int(right) + 1) % 10**7:07d}"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "did not accept that PIN" in result_text(app, "#o1-result"))
        assert pin.value == "" and app.screen.query_one("#save", Button).disabled
        pin.value = right
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Signed in as" in result_text(app, "#o1-result"))
        assert "@likes_tui_demo (1590000000000000001)" in result_text(app, "#o1-result")
        owns = app.screen.query_one("#owns-app", Checkbox)
        assert owns.display and owns.value is False  # asked once; "no" unless ticked
        owns.value = True
        app.screen.query_one("#save", Button).press()
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        saved = app.ctx.loc.profile("likes_tui_demo").read_text()
        assert right not in saved and "oauth_token" not in saved
        assert '"owns_app": true' in saved
        # the sign-in's GET /2/users/me is metered against the account, as X bills it
        kinds = app.ctx.state.spend.days("1590000000000000001")[0].kinds
        assert kinds["user_read"] == (1, 0.01)


async def test_a_history_search_with_no_match_says_so(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(140, 40)) as pilot:
        app.focused.post_message(events.Paste(SEED_POST_ID))
        main = app.screen
        await wait_for(pilot, lambda: SEED_POST_ID in main.rows and main.rows[SEED_POST_ID].ready)
        await pilot.press("l")
        await wait_for(pilot, lambda: main.rows[SEED_POST_ID].pending is None)
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        count = app.screen.query_one("#count", Static)
        await wait_for(pilot, lambda: str(count.render()) == "1 entry")
        await pilot.press("slash", *"rain")
        await wait_for(pilot, lambda: str(count.render()) == "no entries match 'rain'")


async def test_a_long_history_says_how_many_it_holds_beyond_the_newest_shown(
    apps: Apps,
) -> None:
    app = apps.demo()
    fill_history(app.ctx.loc.state, app.ctx.account, 1_200)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        await pilot.press("escape", "h")
        assert isinstance(app.screen, HistoryScreen)
        count = app.screen.query_one("#count", Static)
        table = app.screen.query_one(DataTable)
        await wait_for(pilot, lambda: str(count.render()) == "1,200 entries · newest 500 shown")
        assert table.row_count == 500
        assert str(table.get_row_at(0)[-1]) == str(GENERATED_BASE + 1_199)  # newest first
        await pilot.press("slash", *"rain")
        await wait_for(pilot, lambda: str(count.render()) == "120 entries matching 'rain'")
        assert table.row_count == 120
