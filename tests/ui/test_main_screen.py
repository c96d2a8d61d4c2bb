"""The main screen driven with the Pilot against the in-process sandbox."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

from textual import events
from textual.widgets import Static

from likes_tui.sandbox.seed import DELETED_POST_ID, GENERATED_BASE, SEED_POST_ID
from likes_tui.screens.history import HistoryScreen
from likes_tui.screens.main import MainScreen
from likes_tui.widgets.footer import KeyFooter
from likes_tui.widgets.post_card import PostCard
from likes_tui.widgets.post_table import PostTable
from likes_tui.widgets.status_bar import StatusBar
from likes_tui.widgets.url_input import UrlInput
from tests.conftest import Apps, sandbox_of, wait_for

SEED_URL = f"https://twitter.com/TwitterDev/status/{SEED_POST_ID}"


def main_of(app) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def card_text(app) -> str:
    return app.screen.query_one(PostCard).plain


def ready(app, *ids: str) -> bool:
    rows = main_of(app).rows
    return all(i in rows and rows[i].status != "looking" for i in ids)


async def test_demo_starts_on_main_screen_with_sandbox_banner_and_focused_input(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = main_of(app)
        assert isinstance(app.focused, UrlInput)
        assert "SANDBOX" in str(screen.query_one("#banner", Static).render())
        assert "@likes_tui_demo" in str(screen.query_one(StatusBar).render())


async def test_enter_looks_up_shows_card_and_l_likes_at_once(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.click(UrlInput)
        for ch in SEED_URL:
            await pilot.press(ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: ready(app, SEED_POST_ID))
        assert isinstance(app.focused, PostTable)
        text = card_text(app)
        assert "@TwitterDev" in text and "Introducing a new era" in text and "1,024" in text
        answer = sandbox_of(app).faults.held = asyncio.Event()  # X answers when told
        await pilot.press("l")
        assert (
            main_of(app).rows[SEED_POST_ID].liked is True
            and main_of(app).rows[SEED_POST_ID].pending == "like"
        )  # optimistic, before X answered
        answer.set()
        await wait_for(pilot, lambda: main_of(app).rows[SEED_POST_ID].pending is None)
        assert SEED_POST_ID in sandbox_of(app).liked_by()
        assert "Liked" in card_text(app)
        assert "last batch: 1 liked, 0 failed" in str(app.screen.query_one(StatusBar).render())
        sandbox_of(app).faults.held = None
        await pilot.press("l")
        await wait_for(
            pilot,
            lambda: (
                main_of(app).rows[SEED_POST_ID].pending is None
                and main_of(app).rows[SEED_POST_ID].liked is False
            ),
        )
        assert SEED_POST_ID not in sandbox_of(app).liked_by()


async def test_big_paste_with_junk_becomes_rows_looked_up_in_batches(apps: Apps) -> None:
    app = apps.demo(post_count=150)
    async with app.run_test(size=(140, 40)) as pilot:
        ids = [str(GENERATED_BASE + i) for i in range(150)]
        lines = [f"- look: https://x.com/someone/status/{i}?s=20 !!" for i in ids]
        lines += ["https://x.com.evil.example/a/status/1", "random words", ""]
        lines += [f"https://x.com/gone/status/{DELETED_POST_ID}"]
        app.focused.post_message(events.Paste("\n".join(lines)))
        await wait_for(pilot, lambda: ready(app, *ids, DELETED_POST_ID))
        table = app.screen.query_one(PostTable)
        assert table.row_count == 151
        assert len(sandbox_of(app).requests_to("lookup")) == 2
        inline = str(app.screen.query_one("#inline", Static).render())
        assert "x.com.evil.example is not an X or Twitter address" in inline
        assert "151 posts found" in inline
        assert "1 not available: Post 1500000000000000001 does not exist" in inline


async def test_unrecognised_text_gives_an_inline_message_not_a_crash(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        for ch in "hello world":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        inline = str(app.screen.query_one("#inline", Static).render())
        assert "no post URL or id found" in inline
        assert app.screen.query_one(PostTable).row_count == 0
        assert app.screen.query_one(UrlInput).value == "hello world"


async def test_deleted_post_row_says_why(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        app.focused.post_message(events.Paste(f"x.com/a/status/{DELETED_POST_ID}"))
        await wait_for(pilot, lambda: ready(app, DELETED_POST_ID))
        assert "does not exist or was deleted" in card_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert sandbox_of(app).requests_to("like") == []


async def test_failed_like_rolls_back_with_a_notification(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        app.focused.post_message(events.Paste(SEED_URL))
        await wait_for(pilot, lambda: ready(app, SEED_POST_ID))
        sandbox_of(app).posts[SEED_POST_ID].deleted = True  # deleted after we looked it up
        answer = sandbox_of(app).faults.held = asyncio.Event()  # X answers when told
        await pilot.press("l")
        assert (
            main_of(app).rows[SEED_POST_ID].liked is True
            and main_of(app).rows[SEED_POST_ID].pending == "like"
        )
        answer.set()
        await wait_for(pilot, lambda: main_of(app).rows[SEED_POST_ID].pending is None)
        assert main_of(app).rows[SEED_POST_ID].liked is None
        assert any("does not exist" in n.message for n in app._notifications)


async def test_like_all_then_undo(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        ids = [str(GENERATED_BASE + i) for i in range(5)]
        app.focused.post_message(events.Paste(" ".join(ids)))
        await wait_for(pilot, lambda: ready(app, *ids))
        await pilot.press("L")
        rows = main_of(app).rows
        await wait_for(pilot, lambda: all(rows[i].pending is None for i in ids))
        assert sandbox_of(app).liked_by() == set(ids)
        await pilot.press("down", "l")
        await wait_for(pilot, lambda: rows[ids[1]].pending is None)
        assert ids[1] not in sandbox_of(app).liked_by()
        await pilot.press("u")
        await wait_for(pilot, lambda: rows[ids[1]].pending is None and rows[ids[1]].liked)
        assert sandbox_of(app).liked_by() == set(ids)


async def test_auto_like_on_paste(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        await pilot.press("tab")  # leave the URL box so 'a' is a key, not a letter
        await pilot.press("a")
        assert app.ctx.settings.auto_like is True
        assert "auto_like = true" in app.ctx.loc.settings.read_text()
        ids = [str(GENERATED_BASE + i) for i in range(3)]
        main_of(app).query_one(UrlInput).post_message(events.Paste("\n".join(ids)))
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set(ids))


async def test_slash_and_i_return_to_the_input_and_j_k_move(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        ids = [str(GENERATED_BASE + i) for i in range(3)]
        app.focused.post_message(events.Paste("\n".join(ids)))
        await wait_for(pilot, lambda: ready(app, *ids))
        table = app.screen.query_one(PostTable)
        await pilot.press("j", "j")
        assert table.selected_key == ids[2]
        await pilot.press("k")
        assert table.selected_key == ids[1]
        assert app.screen.query_one(PostCard).row.post_id == ids[1]
        for key, where in (("g", 0), ("G", 2), ("home", 0), ("end", 2)):
            await pilot.press(key)
            assert table.selected_key == ids[where], key
        await pilot.press("slash")
        assert isinstance(app.focused, UrlInput)
        await pilot.press("tab", "i")
        assert isinstance(app.focused, UrlInput)


async def test_q_quits_outside_the_input_and_types_inside_it(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        await pilot.press("q")
        assert app.screen.query_one(UrlInput).value == "q"
        await pilot.press("tab", "q")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_q_quits_from_the_input(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_revoked_sign_in_pauses_the_queue_and_keeps_the_work(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(140, 40)) as pilot:
        app.focused.post_message(events.Paste(SEED_URL))
        await wait_for(pilot, lambda: ready(app, SEED_POST_ID))
        sandbox = sandbox_of(app)
        sandbox.expire_access_tokens()
        sandbox.refresh_tokens.clear()
        await pilot.press("l")
        await wait_for(pilot, lambda: app.service.hold is not None)
        assert any("F2 to sign in again" in n.message for n in app._notifications)
        assert app.ctx.state.queue.counts(app.ctx.account).pending == 1
        assert main_of(app).rows[SEED_POST_ID].pending == "like"
        assert "paused" in str(app.screen.query_one(StatusBar).render())
        assert SEED_POST_ID not in sandbox.liked_by()
        # Signing in again (a new token) sends what was kept.
        from likes_tui.api.oauth2 import OAuth2Token
        from likes_tui.messages import ProfileActivated

        token = OAuth2Token.from_response(sandbox.issue_token(), sandbox.clock())
        profile = replace(app.ctx.unlock(), token=token)
        app.post_message(ProfileActivated(profile))
        from likes_tui.screens.resume import ResumeScreen

        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        await pilot.press("r")  # the resume prompt for the kept work
        await wait_for(pilot, lambda: SEED_POST_ID in sandbox.liked_by())


async def test_undo_after_like_all_puts_every_post_back(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        ids = [str(GENERATED_BASE + i) for i in range(4)]
        app.focused.post_message(events.Paste("\n".join(ids)))
        await wait_for(pilot, lambda: ready(app, *ids))
        await pilot.press("l")  # like the first one alone
        rows = main_of(app).rows
        await wait_for(pilot, lambda: rows[ids[0]].pending is None)
        await pilot.press("L")  # then the other three
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set(ids))
        await wait_for(pilot, lambda: all(rows[i].pending is None for i in ids))
        await pilot.press("u")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == {ids[0]})
        await pilot.press("u")
        await wait_for(pilot, lambda: sandbox_of(app).liked_by() == set())


async def test_like_count_follows_our_like(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test() as pilot:
        app.focused.post_message(events.Paste(SEED_URL))
        await wait_for(pilot, lambda: ready(app, SEED_POST_ID))
        assert main_of(app).rows[SEED_POST_ID].liked is None
        await wait_for(pilot, lambda: "1,024" in card_text(app))
        await pilot.press("l")
        await wait_for(pilot, lambda: main_of(app).rows[SEED_POST_ID].pending is None)
        await wait_for(pilot, lambda: "Liked" in card_text(app))
        # unknown before: the like is taken as new, and the card says the count has it
        assert "♥ 1,025 with yours" in card_text(app)
        await pilot.press("l")  # unlike: now the state at X is known
        await wait_for(
            pilot,
            lambda: (
                main_of(app).rows[SEED_POST_ID].pending is None
                and main_of(app).rows[SEED_POST_ID].liked is False
            ),
        )
        assert "♥ 1,024 " in card_text(app)
    again = apps.demo()
    async with again.run_test() as pilot:
        again.focused.post_message(events.Paste(SEED_URL))
        await wait_for(pilot, lambda: ready(again, SEED_POST_ID))
        assert main_of(again).rows[SEED_POST_ID].liked is False  # from history
        await pilot.press("l")
        await wait_for(pilot, lambda: "♥ 1,025 " in card_text(again))
        assert "with yours" not in card_text(again)  # the state was known: no guess


async def test_c_settles_unknown_like_states_by_paging_liked_posts(apps: Apps) -> None:
    from tests.conftest import make_client

    app = apps.demo(post_count=250)
    sandbox = sandbox_of(app)
    sandbox.limits["like"] = (1000, 900.0)
    elsewhere = make_client(sandbox)  # likes made in another client, oldest first
    for i in range(200):
        await elsewhere.like(str(GENERATED_BASE + i))
    await elsewhere.aclose()
    old_likes, never = [str(GENERATED_BASE), str(GENERATED_BASE + 5)], str(GENERATED_BASE + 220)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "liked"))
        app.focused.post_message(events.Paste(" ".join([*old_likes, never])))
        await wait_for(pilot, lambda: ready(app, *old_likes, never))
        rows = main_of(app).rows
        assert [rows[i].liked for i in (*old_likes, never)] == [None, None, None]
        await pilot.press("c")
        await wait_for(pilot, lambda: rows[never].liked is not None)
        assert [rows[i].liked for i in (*old_likes, never)] == [True, True, False]
        assert len(sandbox.requests_to("liked")) == 2  # two pages; no start-up read (opt-in)
        assert any("2 liked, 1 not liked" in n.message for n in app._notifications)


def footer_text(app) -> str:
    return str(app.screen.query_one(KeyFooter).render())


async def test_footer_follows_focus_and_a_click_on_a_key_presses_it(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        footer = footer_text(app)
        # Typing goes to the URL box, so single-letter keys are not offered while it has focus.
        assert "URL box" in footer and "^p palette" in footer and "History" not in footer
        await pilot.press("tab")
        await wait_for(pilot, lambda: "History" in footer_text(app))
        assert "Like/unlike" in footer_text(app)
        x = footer_text(app).index(" h History")
        await pilot.click(KeyFooter, offset=(x + 1, 0))
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))


async def test_the_daily_cap_shows_what_is_left_and_when_sending_resumes(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(160, 40)) as pilot:
        sandbox = sandbox_of(app)
        sandbox.daily_limits["like"] = (2, 86400.0)
        ids = [str(GENERATED_BASE + i) for i in range(3)]
        app.focused.post_message(events.Paste("\n".join(ids)))
        await wait_for(pilot, lambda: ready(app, *ids))
        await pilot.press("L")
        await wait_for(pilot, lambda: len(sandbox.liked_by()) == 2)
        status = app.screen.query_one(StatusBar)
        await wait_for(pilot, lambda: "daily like cap reached" in str(status.render()))
        line = str(status.render())
        assert "0 left today" in line
        assert re.search(r"next send in (23:59:\d\d|1d 0:00:0\d)", line)
        assert re.search(r"ETA (23:59:\d\d|1d 0:00:0\d)", line)
        assert app.ctx.state.queue.counts(app.ctx.account).pending == 1
        assert sandbox.rejected_429 == 0


async def test_a_narrow_footer_packs_the_keys_closer(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(130, 24)) as pilot:
        await pilot.press("tab")
        await wait_for(pilot, lambda: "History" in footer_text(app))
        assert "h History ^q Quit ? Help f2 Accounts" in footer_text(app)
    app = apps.demo()
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.press("tab")
        await wait_for(pilot, lambda: "History" in footer_text(app))
        assert " h History  ^q Quit  ? Help " in footer_text(app)


class SteppingClock:
    """X's and the app's time. A wait holds until the test opens the gate, then moves the
    clock on at once instead of taking real seconds."""

    def __init__(self) -> None:
        self.now = 1_780_000_000.0
        self.gate = asyncio.Event()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await self.gate.wait()
        self.now += max(0.0, seconds)


async def test_posts_over_the_lookup_limit_are_looked_up_again_by_themselves(apps: Apps) -> None:
    clock = SteppingClock()
    app = apps.demo(clock=clock)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.service is not None)
        app.service.sleep = clock.sleep
        sandbox = sandbox_of(app)
        sandbox.limits["lookup"] = (1, 900.0)  # one lookup request per 15 minutes
        first, second = str(GENERATED_BASE + 1), str(GENERATED_BASE + 2)
        app.focused.post_message(events.Paste(first))
        await wait_for(pilot, lambda: ready(app, first))
        await pilot.press("slash")  # back to the URL box
        app.focused.post_message(events.Paste(second))
        rows = main_of(app).rows
        await wait_for(pilot, lambda: second in rows and rows[second].retry_at is not None)
        assert rows[second].status == "looking"
        assert "lookup limit is reached; looked up again at" in rows[second].state_words()
        assert any("looked up by themselves in" in n.message for n in app._notifications)
        waits_until = rows[second].retry_at
        clock.gate.set()  # the window's wait ends
        await wait_for(pilot, lambda: rows[second].status == "ready")
        assert clock.now >= waits_until  # it waited for X's window (on X's clock)
        # planned with the window X reported: it waited instead of meeting a 429
        assert [e.status for e in sandbox.requests_to("lookup")] == [200, 200]
        assert rows[second].post is not None and rows[second].retry_at is None
        await pilot.press("l")
        await wait_for(pilot, lambda: second in sandbox.liked_by())


async def test_a_paste_before_the_network_side_has_loaded_is_not_lost(apps: Apps) -> None:
    app = apps.demo()
    async with app.run_test(size=(120, 34)) as pilot:
        assert app.service is None  # nothing has loaded yet: the pastes come first
        other = str(GENERATED_BASE + 7)
        app.focused.post_message(events.Paste(other))
        app.focused.post_message(events.Paste(SEED_URL))
        await wait_for(pilot, lambda: ready(app, SEED_POST_ID, other))
        assert main_of(app).rows[SEED_POST_ID].author == "@TwitterDev"
        # the last paste's row is selected in the list that mounted meanwhile, and its
        # card shows
        table = main_of(app).table
        assert table is not None and table.selected_key == SEED_POST_ID
        assert app.focused is table
        await wait_for(pilot, lambda: "Introducing a new era" in card_text(app))


async def test_an_unusable_state_file_ends_the_app_with_a_message(apps: Apps, capsys) -> None:
    app = apps.demo()
    app.ctx.loc.state.mkdir()  # a directory where the database should be
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 1
    printed = capsys.readouterr()
    assert "Cannot open" in printed.out + printed.err


async def test_a_plan_without_likes_pauses_once_keeps_the_like_and_resume_sends_it(
    apps: Apps,
) -> None:
    """A pay-per-use App's first like: X refuses it for the plan. Said once, not retried, the
    like stays queued (the row says so), and Resume sends it once the plan includes likes."""
    from likes_tui.domain import HoldReason
    from likes_tui.plans import Plan

    app = apps.demo(plan=Plan.SELF_SERVE)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        assert app.focused is not None
        app.focused.post_message(events.Paste(SEED_URL))
        await wait_for(pilot, lambda: ready(app, SEED_POST_ID))
        await pilot.press("l")
        service = app.service
        await wait_for(pilot, lambda: service.hold is not None)
        assert service.hold is not None and service.hold.reason is HoldReason.PLAN
        sandbox = sandbox_of(app)
        await wait_for(pilot, lambda: service.idle)
        assert len(sandbox.requests_to("like")) == 1  # not retried
        assert main_of(app).rows[SEED_POST_ID].pending == "like"  # kept
        status = str(app.screen.query_one(StatusBar).render())
        assert "paused: this App's plan has no likes" in status
        paused = [n for n in app._notifications if n.title == "Queue paused"]
        assert len(paused) == 1 and "20 April 2026" in paused[0].message
        assert "ctrl+p → Resume queue" in paused[0].message

        sandbox.plan = Plan.ENTERPRISE
        app.action_resume_queue()
        await wait_for(pilot, lambda: main_of(app).rows[SEED_POST_ID].pending is None)
        assert SEED_POST_ID in sandbox.liked_by() and service.hold is None


async def test_after_an_account_switch_the_old_account_publishes_nothing(apps: Apps) -> None:
    """Issue 24: close() left a lookup waiting for X's window, which then filled the new
    account's screen with the old account's rows."""
    app = apps.demo()
    async with app.run_test(size=(140, 40)) as pilot:
        sandbox = sandbox_of(app)
        sandbox.limits["lookup"] = (1, 2.0)
        first, second = str(GENERATED_BASE + 1), str(GENERATED_BASE + 2)
        app.focused.post_message(events.Paste(first))
        await wait_for(pilot, lambda: ready(app, first))
        await pilot.press("slash")
        app.focused.post_message(events.Paste(second))
        rows = main_of(app).rows
        await wait_for(pilot, lambda: second in rows and rows[second].retry_at is not None)
        old = app.service
        assert old is not None
        (waiting,) = old.session._cancellable  # the lookup waiting for X's window
        app.show_account()  # what signing in as another account does
        await wait_for(pilot, lambda: app.service is not None and app.service is not old)
        await wait_for(pilot, lambda: waiting.done())
        assert waiting.cancelled() and old.session.closed
        new_screen = main_of(app)
        old.posts.publish([first, second])  # anything the old parts still say is dropped
        old.queue.publish()
        await pilot.pause()
        assert new_screen.table is not None and new_screen.table.row_count == 0
        assert new_screen.rows == {}
