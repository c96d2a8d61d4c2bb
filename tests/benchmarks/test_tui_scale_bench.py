"""The app with big lists, in-process against the sandbox: how long a keystroke waits with
10,000 posts in the list while their lookups run and while the queue sends (goal: p95 within
50 ms), against the same keystroke with 10 posts; and the history screen over 100,000 rows,
opened and searched (goal: 200 ms)."""

from __future__ import annotations

import asyncio
import statistics
import time

import pytest
from textual import events
from textual.app import App
from textual.widgets import DataTable, Input, Static

from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.screens.history import HistoryScreen
from tests.benchmarks._measure import fill_history
from tests.benchmarks.conftest import report
from tests.conftest import Apps, sandbox_of, wait_for

pytestmark = pytest.mark.benchmark


async def key_latencies(app, count: int) -> list[float]:
    """Seconds from a `j` reaching the app to the cursor having moved, `count` times."""
    table = app.screen.table
    waits = []
    for _ in range(count):
        before = table.cursor_row
        started = time.perf_counter()
        app.post_message(events.Key("j", "j"))
        while table.cursor_row == before:
            await asyncio.sleep(0.0005)
        waits.append(time.perf_counter() - started)
        await asyncio.sleep(0.02)  # a person's pace, about 50 keys a second at most
    return waits


async def until(predicate, timeout: float = 10) -> None:
    """Poll without the Pilot's trailing idle wait, which would count in the time."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        assert time.perf_counter() < deadline, "not reached in time"
        await asyncio.sleep(0.0005)


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


async def pasted(pilot, count: int) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.focused is not None)
    ids = [str(GENERATED_BASE + i) for i in range(count)]
    app.focused.post_message(events.Paste("\n".join(ids)))
    await wait_for(pilot, lambda: len(app.screen.rows) == count, timeout=120)
    await pilot.press("escape")


async def test_a_keystroke_with_10000_posts_while_lookups_and_sends_run(apps: Apps) -> None:
    small = apps.demo(post_count=20)
    async with small.run_test(size=(120, 34)) as pilot:
        await pasted(pilot, 20)
        await wait_for(pilot, lambda: all(r.ready for r in small.screen.rows.values()))
        base = await key_latencies(small, 15)
    app = apps.demo(post_count=10_000)
    async with app.run_test(size=(120, 34)) as pilot:
        sandbox_of(app).faults.latency = 1.0  # each lookup of 100 takes a slow round trip
        await pasted(pilot, 10_000)
        rows = app.screen.rows
        looking = await key_latencies(app, 60)
        assert not all(r.ready for r in rows.values()), "the lookups ended before the keys"
        await wait_for(pilot, lambda: all(r.ready for r in rows.values()), timeout=120)
        sandbox_of(app).faults.latency = 0.0
        sandbox_of(app).limits["like"] = (100_000, 900.0)
        await pilot.press("L")
        await pilot.pause(0.2)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.service.unsent > 0)
        sending = await key_latencies(app, 60)
        assert app.service.unsent > 0, "the queue emptied before the keys"
    for name, waits in (
        ("while 10,000 are looked up", looking),
        ("while the queue sends", sending),
    ):
        report(
            f"key, {name} (p95 ms; goal 50)",
            f"{p95(waits) * 1000:.1f}",
            f"{p95(base) * 1000:.1f}",
            f"p50 {statistics.median(waits) * 1000:.1f}",
        )


async def test_history_of_100000_opens_and_searches(apps: Apps) -> None:
    app = apps.demo()
    fill_history(app.ctx.loc.state, app.ctx.account, 100_000)
    async with app.run_test(size=(120, 34)) as pilot:
        await wait_for(pilot, lambda: app.focused is not None)
        await pilot.press("escape")
        opens = []
        searches = []
        for _ in range(5):  # the first also imports the screen and parses its styles
            started = time.perf_counter()
            app.post_message(events.Key("h", "h"))
            await until(lambda: isinstance(app.screen, HistoryScreen))
            screen = app.screen
            # (no table until the screen has composed)
            await until(lambda s=screen: any(t.row_count > 0 for t in s.query(DataTable)))
            screen._on_timer_update()  # the frame with the rows, laid out and rendered (as Pilot does)
            opens.append(time.perf_counter() - started)
            count = screen.query_one("#count", Static)
            started = time.perf_counter()
            screen.query_one("#search", Input).value = "author42"
            await until(lambda c=count: "matching 'author42'" in str(c.render()))
            screen._on_timer_update()
            searches.append(time.perf_counter() - started)
            assert str(count.render()) == "1,031 entries matching 'author42' · newest 500 shown"
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, HistoryScreen))
    for name, times in (("open", opens), ("search", searches)):
        report(
            f"history of 100,000: {name} (median ms; goal 200)",
            f"{statistics.median(times) * 1000:.0f}",
            "200",
            f"max {max(times) * 1000:.0f}",
        )


class BareTable(App[None]):
    """The floor for showing rows: a stock DataTable with the list's three columns."""

    def compose(self):
        yield DataTable()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("", "Author", "Post")


async def test_a_10000_post_paste_until_every_row_shows(apps: Apps) -> None:
    """From a paste of 10,000 URLs until the list holds every row, laid out and drawn, and
    until every row is looked up (the sandbox in process), against a stock DataTable given
    the same 10,000 rows in one add_rows (5 rounds each, medians)."""
    count = 10_000
    text = "\n".join(f"https://x.com/u/status/{GENERATED_BASE + i}" for i in range(count))
    rows = [(" ", "", f"https://x.com/u/status/{GENERATED_BASE + i}") for i in range(count)]
    shown, looked, bare = [], [], []
    for _ in range(5):
        base = BareTable()
        async with base.run_test(size=(120, 34)):
            table = base.query_one(DataTable)
            started = time.perf_counter()
            table.add_rows(rows)
            await until(lambda t=table: t.virtual_size.height > count)  # measured, laid out
            base.screen._on_timer_update()
            bare.append(time.perf_counter() - started)
        app = apps.demo(post_count=count)
        async with app.run_test(size=(120, 34)) as pilot:
            await wait_for(pilot, lambda a=app: a.service is not None and a.screen.table)
            table = app.screen.table
            started = time.perf_counter()
            app.focused.post_message(events.Paste(text))
            await until(lambda t=table: t.virtual_size.height > count)
            app.screen._on_timer_update()
            shown.append(time.perf_counter() - started)
            rows_of = app.screen.rows
            await until(lambda r=rows_of: all(row.ready for row in r.values()), timeout=120)
            looked.append(time.perf_counter() - started)
    b = statistics.median(bare)
    for name, times in (("every row shown", shown), ("every row looked up", looked)):
        median = statistics.median(times)
        report(
            f"paste of 10,000: {name} (median ms)",
            f"{median * 1000:.0f}",
            f"{b * 1000:.0f}",
            f"{median / b:.1f}x",
        )
