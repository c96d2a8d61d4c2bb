"""Snapshots of every screen and state a person sees. Update deliberately with
`uv run pytest tests/snapshots --snapshot-update`, after looking at the report."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, TabbedContent

from likes_tui.sandbox.seed import DELETED_POST_ID, GENERATED_BASE, SEED_POST_ID
from tests.ui.conftest import Apps, sandbox_of, wait_for

NOON = 1767268800.0  # 2026-01-01 12:00 UTC: every time on screen is fixed
SIZE = (120, 34)


def clock() -> float:
    return NOON


async def paste(pilot: Pilot, text: str, *ids: str) -> None:
    app = pilot.app
    app.focused.post_message(events.Paste(text))
    rows = app.screen.rows
    await wait_for(pilot, lambda: all(i in rows and rows[i].status != "looking" for i in ids))


async def settle_queue(pilot: Pilot) -> None:
    rows = pilot.app.screen.rows
    await wait_for(pilot, lambda: all(r.pending is None for r in rows.values()))


def test_main_empty(snap_compare, apps: Apps) -> None:
    assert snap_compare(apps.demo(clock=clock), terminal_size=SIZE)


def test_main_with_a_looked_up_post(snap_compare, apps: Apps) -> None:
    async def run_before(pilot: Pilot) -> None:
        await paste(pilot, f"https://twitter.com/TwitterDev/status/{SEED_POST_ID}", SEED_POST_ID)

    assert snap_compare(apps.demo(clock=clock), terminal_size=SIZE, run_before=run_before)


def test_main_liked(snap_compare, apps: Apps) -> None:
    async def run_before(pilot: Pilot) -> None:
        ids = [SEED_POST_ID, str(GENERATED_BASE + 1), str(GENERATED_BASE + 2)]
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("l")
        await settle_queue(pilot)

    assert snap_compare(apps.demo(clock=clock), terminal_size=SIZE, run_before=run_before)


def test_main_error_state(snap_compare, apps: Apps) -> None:
    async def run_before(pilot: Pilot) -> None:
        text = f"https://x.com.evil.example/a/status/1\nhttps://x.com/gone/status/{DELETED_POST_ID}"
        await paste(pilot, text, DELETED_POST_ID)

    assert snap_compare(apps.demo(clock=clock), terminal_size=SIZE, run_before=run_before)


def test_main_batch_in_progress(snap_compare, apps: Apps) -> None:
    ids = [str(GENERATED_BASE + i) for i in range(80)]

    async def run_before(pilot: Pilot) -> None:
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("L")
        sandbox = sandbox_of(pilot.app)
        await wait_for(pilot, lambda: len(sandbox.liked_by()) == 50)
        await wait_for(pilot, lambda: pilot.app.scheduler.waiting_until is not None)

    app = apps.demo(clock=clock, post_count=80)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_setup_oauth2(snap_compare, apps: Apps) -> None:
    assert snap_compare(apps.fresh(), terminal_size=(110, 50))


def test_setup_oauth1_verified(snap_compare, apps: Apps) -> None:
    from likes_tui import sandbox as sb

    async def run_before(pilot: Pilot) -> None:
        screen = pilot.app.screen
        screen.query_one(TabbedContent).active = "oauth1"
        values = {
            "#o1-api-key": sb.DEMO_API_KEY,
            "#o1-api-secret": sb.DEMO_API_KEY_SECRET,
            "#o1-access-token": sb.DEMO_ACCESS_TOKEN,
            "#o1-access-secret": sb.DEMO_ACCESS_TOKEN_SECRET,
        }
        for selector, value in values.items():
            screen.query_one(selector, Input).value = value
        screen.query_one("#o1-verify", Button).press()
        await wait_for(pilot, lambda: not screen.query_one("#save", Button).disabled)

    assert snap_compare(apps.fresh(), terminal_size=(110, 50), run_before=run_before)


def test_history(snap_compare, apps: Apps) -> None:
    async def run_before(pilot: Pilot) -> None:
        ids = [SEED_POST_ID, str(GENERATED_BASE + 3), DELETED_POST_ID]
        await paste(pilot, "\n".join(ids), *ids)
        await pilot.press("L")
        await settle_queue(pilot)
        await pilot.press("down", "l")
        await settle_queue(pilot)
        await pilot.press("h")
        await pilot.pause()

    assert snap_compare(apps.demo(clock=clock), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, apps: Apps) -> None:
    assert snap_compare(apps.demo(clock=clock), press=["tab", "question_mark"], terminal_size=(120, 40))


def test_resume_prompt(snap_compare, apps: Apps) -> None:
    from likes_tui.store.state import StateDB

    app = apps.demo(clock=clock)
    state = StateDB(app.ctx.loc.state)
    state.enqueue_many(app.ctx.account, [(str(GENERATED_BASE + i), "like", "", "") for i in range(7)])
    state.close()
    assert snap_compare(app, terminal_size=SIZE)
