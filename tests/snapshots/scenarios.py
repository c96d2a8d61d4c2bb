"""Every screen and state a person sees, as scenarios shared by the snapshot tests and by
`uv run python scripts/screenshots.py` (the README's SVGs)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Input

from likes_tui import sandbox as sb
from likes_tui.plans import Plan
from likes_tui.sandbox.seed import DELETED_POST_ID, GENERATED_BASE, SEED_POST_ID
from likes_tui.store.state import QueueRequest, StateDB
from tests.conftest import Apps, choose_oauth1, sandbox_of, wait_for

NOON = 1767268800.0  # 2026-01-01 12:00 UTC: every time on screen is fixed
SIZE = (120, 34)


def clock() -> float:
    return NOON


async def paste(pilot: Pilot, text: str, *ids: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.focused is not None)  # the URL box, once mounted
    assert app.focused is not None
    app.focused.post_message(events.Paste(text))
    screen = app.screen
    await wait_for(
        pilot, lambda: all(i in screen.rows and screen.rows[i].status != "looking" for i in ids)
    )
    await list_ready(pilot)


async def list_ready(pilot: Pilot) -> None:
    """The live list has replaced its placeholder and fits its width (with or without its
    scrollbar): what a person sees a moment after each change."""
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.table is not None and screen.table.fitted)


async def settle_queue(pilot: Pilot) -> None:
    """Nothing pending, and the service's background work (the cost meter's records, the
    queue view) done: the status line shows its final figures."""
    screen = pilot.app.screen
    await wait_for(pilot, lambda: all(r.pending is None for r in screen.rows.values()))
    await wait_for(pilot, lambda: pilot.app.service.idle)


@dataclass(frozen=True)
class Scenario:
    name: str
    make: Callable[[Apps], App]
    run_before: Callable[[Pilot], Awaitable[None]] | None = None
    press: tuple[str, ...] = ()
    size: tuple[int, int] = SIZE


async def _looked_up(pilot: Pilot) -> None:
    await paste(pilot, f"https://twitter.com/TwitterDev/status/{SEED_POST_ID}", SEED_POST_ID)


async def _liked(pilot: Pilot) -> None:
    ids = [SEED_POST_ID, str(GENERATED_BASE + 1), str(GENERATED_BASE + 2)]
    await paste(pilot, "\n".join(ids), *ids)
    await pilot.press("l")
    await settle_queue(pilot)


async def _costs(pilot: Pilot) -> None:
    from textual.widgets import DataTable

    await _liked(pilot)
    await pilot.press("dollar_sign")
    await wait_for(pilot, lambda: pilot.app.screen.query(DataTable))
    table = pilot.app.screen.query_one(DataTable)
    await wait_for(pilot, lambda: table.row_count > 0)


async def _plan_refused(pilot: Pilot) -> None:
    """A pay-per-use App's first like: X refuses it for the plan (issue 20)."""
    await paste(pilot, f"https://x.com/TwitterDev/status/{SEED_POST_ID}", SEED_POST_ID)
    await pilot.press("l")
    service = pilot.app.service
    await wait_for(pilot, lambda: service.hold is not None)
    await wait_for(pilot, lambda: service.idle)


async def _errors(pilot: Pilot) -> None:
    text = f"https://x.com.evil.example/a/status/1\nhttps://x.com/gone/status/{DELETED_POST_ID}"
    await paste(pilot, text, DELETED_POST_ID)


async def _batch(pilot: Pilot) -> None:
    ids = [str(GENERATED_BASE + i) for i in range(80)]
    await paste(pilot, "\n".join(ids), *ids)
    await pilot.press("L")
    await pilot.pause()
    await pilot.press("y")  # 80 posts: the app asks first
    sandbox = sandbox_of(pilot.app)
    await wait_for(pilot, lambda: len(sandbox.liked_by()) == 50)
    await wait_for(pilot, lambda: pilot.app.service.wait is not None)


async def _oauth1_verified(pilot: Pilot) -> None:
    screen = pilot.app.screen
    await choose_oauth1(pilot)
    values = {
        "#o1-api-key": sb.DEMO_API_KEY,
        "#o1-api-secret": sb.DEMO_API_KEY_SECRET,
        "#o1-access-token": sb.DEMO_ACCESS_TOKEN,
        "#o1-access-secret": sb.DEMO_ACCESS_TOKEN_SECRET,
    }
    for selector, value in values.items():
        screen.query_one(selector, Input).value = value
    verify = screen.query_one("#o1-verify", Button)
    verify.press()
    await wait_for(pilot, lambda: not screen.query_one("#save", Button).disabled)
    await wait_for(pilot, lambda: not verify.has_class("-active"))  # the press flash is timed


async def _oauth1_pin(pilot: Pilot) -> None:
    """Sign in with PIN: the URL to approve at, and the PIN box (issue 21)."""
    screen = pilot.app.screen
    await choose_oauth1(pilot)
    screen.query_one("#o1-api-key", Input).value = sb.DEMO_API_KEY
    screen.query_one("#o1-api-secret", Input).value = sb.DEMO_API_KEY_SECRET
    start = screen.query_one("#o1-pin-start", Button)
    start.press()
    pin = screen.query_one("#o1-pin", Input)
    await wait_for(pilot, lambda: len(pin.value) == 7 and pilot.app.focused is pin)
    await wait_for(pilot, lambda: not start.has_class("-active"))  # the press flash is timed
    pin.cursor_blink = False  # the wait above can outlast a blink (seen under load)


async def _history(pilot: Pilot) -> None:
    ids = [SEED_POST_ID, str(GENERATED_BASE + 3), DELETED_POST_ID]
    await paste(pilot, "\n".join(ids), *ids)
    await pilot.press("L")
    await settle_queue(pilot)
    await pilot.press("down", "l")
    await settle_queue(pilot)
    await pilot.press("h")
    await pilot.pause()


def _with_long_history(apps: Apps) -> App:
    """1,200 likes in history: more than the screen holds (the newest 500)."""
    from tests.benchmarks._measure import fill_history

    app = apps.demo(clock=clock)
    fill_history(app.ctx.loc.state, app.ctx.account, 1_200)
    return app


async def _long_history(pilot: Pilot) -> None:
    from textual.widgets import Static

    from likes_tui.screens.history import HistoryScreen

    await list_ready(pilot)
    await pilot.press("escape", "h")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))
    count = pilot.app.screen.query_one("#count", Static)
    await wait_for(pilot, lambda: str(count.render()) == "1,200 entries · newest 500 shown")


async def _marked(pilot: Pilot) -> None:
    ids = [str(GENERATED_BASE + i) for i in range(6)]
    await paste(pilot, "\n".join(ids), *ids)
    await pilot.press("space", "down", "space", "down")
    await pilot.pause()


async def _confirm_bulk(pilot: Pilot) -> None:
    from likes_tui.screens.confirm import ConfirmScreen

    ids = [str(GENERATED_BASE + i) for i in range(30)]
    await paste(pilot, "\n".join(ids), *ids)
    await list_ready(pilot)
    await pilot.press("L")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))


ARCHIVED = [
    ("2017-03-02", "Finally learned how to exit vim. Only took three years 🎉"),
    ("2018-11-20", "Rain on the window, tea on the desk, a compiler in the terminal 🌧️"),
    ("2019-06-14", "Hot take: YAML was a mistake"),
    ("2020-04-01", "Working from home day 17: the cat has taken over the standing desk 🐈"),
    ("2021-08-09", "Thread 🧵 on the rain radar I built with a Raspberry Pi"),
    ("2022-02-22", "2/22/22 22:22 — had to post it"),
    ("2023-10-05", "New blog post: async Python without tears 🐍"),
    ("2024-12-31", "Year in review: 312 commits, 4 talks, 1 very patient partner"),
    ("2025-07-19", "Just got caught in the rain without an umbrella, again"),
]


def _with_archive(apps: Apps) -> App:
    from likes_tui.archive import ArchivedLike
    from tests.archive_fixtures import snowflake

    app = apps.demo(clock=clock)
    state = StateDB(app.ctx.loc.state)
    likes = [ArchivedLike(snowflake(day, 7), text) for day, text in ARCHIVED]
    state.archive.import_likes(app.ctx.account, likes, NOON - 86400 * 30)
    state.close()
    return app


async def _archive_open(pilot: Pilot) -> None:
    from textual.widgets import DataTable

    from likes_tui.screens.archive import ArchiveScreen

    await list_ready(pilot)
    await pilot.press("escape", "A")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ArchiveScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.page is not None)
    await wait_for(pilot, lambda: screen.query_one(DataTable).row_count == screen.page.matching)


async def _archive_unlike_rainy(pilot: Pilot) -> None:
    from likes_tui.screens.confirm import ConfirmScreen

    await _archive_open(pilot)
    screen = pilot.app.screen
    await pilot.press("slash", *"rain")
    await wait_for(pilot, lambda: screen.page is not None and screen.page.matching == 3)
    await pilot.press("tab", *"2019-01-01", "enter")
    await wait_for(pilot, lambda: screen.page is not None and screen.page.matching == 2)
    await pilot.press("U")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))


def _with_pending(apps: Apps) -> App:
    app = apps.demo(clock=clock)
    state = StateDB(app.ctx.loc.state)
    items = [QueueRequest(str(GENERATED_BASE + i), "like") for i in range(7)]
    state.queue.enqueue_many(app.ctx.account, items)
    state.close()
    return app


async def _resume_ready(pilot: Pilot) -> None:
    from likes_tui.screens.resume import ResumeScreen

    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ResumeScreen))
    main = pilot.app.screen_stack[-2]
    await wait_for(pilot, lambda: len(main.rows) == 7 and all(r.post for r in main.rows.values()))
    await wait_for(pilot, lambda: main.table is not None and main.table.fitted)


def _several_accounts(apps: Apps) -> App:
    """The demo account plus two more: a PIN sign-in that does not own the App, and keys
    from the portal."""
    from likes_tui.api.tokens import OAuth1Credentials
    from likes_tui.sandbox.demo import ACCOUNTS
    from likes_tui.store.credentials import OAuth1Profile

    app = apps.demo(clock=clock)
    for account, owns in zip(ACCOUNTS[1:], (False, True), strict=True):
        creds = OAuth1Credentials(
            sb.DEMO_API_KEY,
            sb.DEMO_API_KEY_SECRET,
            account.access_token,
            account.access_token_secret,
        )
        name = account.username.removeprefix("likes_tui_")
        app.ctx.creds.save(
            OAuth1Profile(name, creds, account.user_id, account.username, owns_app=owns)
        )
    return app


async def _accounts_open(pilot: Pilot) -> None:
    from textual.widgets import OptionList

    await list_ready(pilot)
    await pilot.press("f2")
    await wait_for(
        pilot,
        lambda: (
            len(pilot.app.screen.query("#accounts")) == 1
            and pilot.app.screen.query_one("#accounts", OptionList).option_count == 3
        ),
    )


SCENARIOS = [
    Scenario("main_empty", lambda a: a.demo(clock=clock), list_ready),
    Scenario("main_post", lambda a: a.demo(clock=clock), _looked_up),
    Scenario("main_liked", lambda a: a.demo(clock=clock), _liked),
    Scenario("main_errors", lambda a: a.demo(clock=clock), _errors),
    Scenario(
        "main_plan_refused", lambda a: a.demo(clock=clock, plan=Plan.SELF_SERVE), _plan_refused
    ),
    Scenario("main_batch", lambda a: a.demo(clock=clock, post_count=80), _batch),
    Scenario("main_narrow", lambda a: a.demo(clock=clock), _liked, size=(80, 24)),
    Scenario("main_marked", lambda a: a.demo(clock=clock), _marked),
    Scenario("confirm_bulk", lambda a: a.demo(clock=clock, post_count=40), _confirm_bulk),
    Scenario("setup_oauth2", lambda a: a.fresh(), size=(110, 50)),
    Scenario("setup_oauth1", lambda a: a.fresh(), _oauth1_verified, size=(110, 50)),
    Scenario("setup_oauth1_pin", lambda a: a.fresh(seed_random=1), _oauth1_pin, size=(110, 60)),
    Scenario("history", lambda a: a.demo(clock=clock), _history),
    Scenario("history_long", _with_long_history, _long_history),
    Scenario("costs", lambda a: a.demo(clock=clock), _costs),
    Scenario(
        "help",
        lambda a: a.demo(clock=clock),
        list_ready,
        press=("tab", "question_mark"),
        size=(120, 40),
    ),
    Scenario("resume", _with_pending, _resume_ready),
    Scenario("archive_empty", lambda a: a.demo(clock=clock), _archive_open),
    Scenario("archive", _with_archive, _archive_open),
    Scenario("archive_unlike", _with_archive, _archive_unlike_rainy),
    Scenario("accounts_several", _several_accounts, _accounts_open, size=(110, 50)),
]
