"""The status line as a person watches it: a countdown that ticks (fake clock), progress that
survives a restart, a summary when a batch ends, and a narrow line that drops whole items."""

from __future__ import annotations

from textual import events

from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.screens.main import MainScreen
from likes_tui.screens.resume import ResumeScreen
from likes_tui.widgets.status_bar import StatusBar
from tests.conftest import Apps, sandbox_of, wait_for

NOON = 1767268800.0


class FakeClock:
    def __init__(self) -> None:
        self.now = NOON

    def __call__(self) -> float:
        return self.now


def status(app) -> str:
    return str(app.screen.query_one(StatusBar).render())


def posts(n: int) -> list[str]:
    return [str(GENERATED_BASE + i) for i in range(n)]


async def paste_and_like_all(pilot, ids: list[str]) -> None:
    app = pilot.app
    app.focused.post_message(events.Paste("\n".join(ids)))
    screen = app.screen
    await wait_for(pilot, lambda: all(i in screen.rows and screen.rows[i].ready for i in ids))
    await pilot.press("L")


async def test_the_countdown_ticks_with_the_clock_and_the_reason_comes_first(apps: Apps) -> None:
    clock = FakeClock()
    app = apps.demo(clock=clock, post_count=10)
    async with app.run_test(size=(130, 30)) as pilot:
        sandbox_of(app).limits["like"] = (2, 60.0)
        await paste_and_like_all(pilot, posts(3))
        await wait_for(pilot, lambda: "next send in" in status(app))
        line = status(app)
        assert line.startswith("rate limit: next send in 1:00"), line
        assert "sent 2/3" in line and "likes 0/2 · resets in 1:00" in line
        clock.now += 10
        await wait_for(pilot, lambda: "next send in 0:50" in status(app), timeout=3)
        assert "resets in 0:50" in status(app)
        clock.now += 50.5  # the window reset: the countdown goes, the budget shows full
        await wait_for(pilot, lambda: "next send in" not in status(app), timeout=3)
        assert "likes 2/2" in status(app)


async def test_progress_is_true_across_a_restart(apps: Apps) -> None:
    app = apps.demo(post_count=10)
    async with app.run_test(size=(130, 30)) as pilot:
        sandbox_of(app).limits["like"] = (3, 60.0)
        await paste_and_like_all(pilot, posts(6))
        await wait_for(pilot, lambda: len(sandbox_of(app).liked_by()) == 3)
        await wait_for(pilot, lambda: "sent 3/6" in status(app))
    again = apps.demo(post_count=10)
    async with again.run_test(size=(130, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, ResumeScreen))
        await pilot.press("l")  # later
        await wait_for(pilot, lambda: isinstance(again.screen, MainScreen))
        await wait_for(pilot, lambda: "sent 3/6" in status(again))
        line = status(again)
        assert line.startswith("paused: 3 unsent from last time"), line
        bar = again.screen.query_one("#progress")
        assert bar.display and (bar.done, bar.total) == (3, 6)


async def test_a_finished_batch_says_how_it_went(apps: Apps) -> None:
    app = apps.demo(post_count=10)
    async with app.run_test(size=(130, 30)) as pilot:
        await paste_and_like_all(pilot, posts(4))
        await wait_for(pilot, lambda: "last batch: 4 liked, 0 failed" in status(app))
        assert any("Batch done: 4 liked, 0 failed." in n.message for n in app._notifications)
        assert not app.screen.query_one("#progress").display


async def test_at_80_columns_whole_items_drop_and_no_number_is_cut(apps: Apps) -> None:
    clock = FakeClock()
    app = apps.demo(clock=clock, post_count=10)
    async with app.run_test(size=(80, 24)) as pilot:
        sandbox_of(app).limits["like"] = (2, 60.0)
        await paste_and_like_all(pilot, posts(5))
        await wait_for(pilot, lambda: "next send in" in status(app))
        bar = app.screen.query_one(StatusBar)
        line = status(app)
        assert len(line) <= bar.size.width - 2
        assert line.startswith("rate limit: next send in 1:00")
        assert "sent 2/5" in line
        full = " │ ".join(s.text.plain for s in bar.segments(clock()))
        assert len(full) > len(line)  # something had to go, and it went whole
        for piece in line.split("│"):
            assert f" {piece.strip()} " in f" {full} "  # whole items only, none cut short


def test_the_spend_shows_today_and_this_run_when_they_differ() -> None:
    from likes_tui.core.view import QueueView
    from likes_tui.widgets.status_bar import StatusBar

    bar = StatusBar("@me", clock=lambda: 0.0)
    bar.view = QueueView(handle="@me", spent_today=0.12, spent_session=0.03)
    texts = [s.text.plain for s in bar.segments(0.0)]
    assert "$0.120 today ($0.030 this run)" in texts
    bar.view = QueueView(handle="@me", spent_today=1.5, spent_session=1.5)
    assert "$1.50 today" in [s.text.plain for s in bar.segments(0.0)]
    bar.view = QueueView(handle="@me")
    assert not any("today" in s.text.plain for s in bar.segments(0.0))


async def test_a_pace_the_person_set_shows_with_its_countdown_and_stretches_the_eta(
    apps: Apps,
) -> None:
    clock = FakeClock()
    app = apps.demo(clock=clock, post_count=10)
    app.ctx.update_settings(pace="2 per minute")
    async with app.run_test(size=(150, 30)) as pilot:
        await paste_and_like_all(pilot, posts(3))
        await wait_for(pilot, lambda: "your pace: next send in" in status(app))
        line = status(app)
        assert line.startswith("your pace: next send in 0:30"), line
        assert "sent 1/3" in line and "pace 2 per minute" in line
        assert "ETA 1:00" in line  # the second in 30 s, the third 30 s after it
        clock.now += 10
        await wait_for(pilot, lambda: "next send in 0:20" in status(app), timeout=3)
