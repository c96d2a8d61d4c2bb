"""A pace the person chooses: "30 per hour" spaces the sends evenly, "09:00-22:00" keeps them
inside those local hours, the ETA counts both, and a later run keeps the pace of the last."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from likes_tui.domain import HoldReason, WaitReason
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.sending.pace import Pace
from likes_tui.sending.sender import Event, Paused, Sender, Sent, Waiting
from likes_tui.store.state import QueueRequest, StateDB
from tests.conftest import make_client

ACCOUNT = "1590000000000000001"


def local(hour: int, minute: int = 0, day: int = 3) -> float:
    return time.mktime((2026, 12, day, hour, minute, 0, 0, 0, -1))


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@pytest.mark.parametrize(
    ("text", "count", "period"),
    [("30 per hour", 30, 3600), ("500/day", 500, 86400), ("1 a minute", 1, 60), ("2/h", 2, 3600)],
)
def test_a_pace_reads_as_people_write_it(text: str, count: int, period: float) -> None:
    pace = Pace.parse(text)
    assert (pace.count, pace.period) == (count, period)


@pytest.mark.parametrize(
    ("pace", "hours", "words"),
    [("fast", "", "is not a count"), ("0 per hour", "", "is not a count"),
     ("", "9-22", "are not local hours"), ("", "09:00-09:00", "are not local hours"),
     ("", "25:00-26:00", "are not local hours")],
)  # fmt: skip
def test_a_pace_that_does_not_read_says_how_to_write_it(pace: str, hours: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Pace.parse(pace, hours)


def test_hours_open_and_close_in_local_time_even_over_midnight() -> None:
    day = Pace.parse("", "09:00-22:00")
    assert day.in_hours(local(9)) and day.in_hours(local(21, 59)) and not day.in_hours(local(22))
    assert day.opens_at(local(23)) == local(9, day=4)
    assert day.opens_at(local(7)) == local(9)
    night = Pace.parse("", "22:00-06:00")
    assert night.in_hours(local(23)) and night.in_hours(local(5)) and not night.in_hours(local(12))
    assert night.opens_at(local(12)) == local(22)


def test_the_eta_counts_the_spacing_and_only_the_hours() -> None:
    paced = Pace.parse("30 per hour", "09:00-22:00")
    assert paced.eta(local(10), 31) == 3600  # 30 gaps of two minutes
    assert paced.eta(local(23), 31) == 11 * 3600  # the hours open at 09:00, an hour after
    # 391 sends are 13 hours of sending: 09:00 to 22:00 the next day, from 23:00.
    assert paced.eta(local(23), 391) == 23 * 3600
    assert paced.eta(local(10), 5, at_least=7200) == 7200  # X's limits are slower
    assert Pace.parse("", "09:00-10:00").eta(local(9, 30), 1, at_least=3600) == 3600 + 23 * 3600


async def run_sender(
    tmp_path: Path, clock: Clock, pace: Pace, count: int, *, headless: bool = False
) -> tuple[list[Event], XSandbox]:
    sandbox = XSandbox(post_count=50, clock=clock)
    client = make_client(sandbox, user_id=ACCOUNT)
    db = StateDB(tmp_path / "s.db", clock)
    ids = [str(GENERATED_BASE + i) for i in range(count)]
    db.queue.enqueue_many(ACCOUNT, [QueueRequest(i, "like") for i in ids])
    events: list[Event] = []
    sender = Sender(
        client, db, ACCOUNT, on_event=events.append, clock=clock, sleep=clock.sleep,
        stop_at_daily_cap=headless,
    )  # fmt: skip
    sender.pace = lambda: pace
    await asyncio.wait_for(sender.run_until_idle(), 30)
    await client.aclose()
    db.close()
    return events, sandbox


async def test_the_sender_spaces_sends_at_the_pace_and_the_next_run_keeps_it(
    tmp_path: Path,
) -> None:
    clock = Clock(local(10))
    events, sandbox = await run_sender(tmp_path, clock, Pace.parse("30 per hour"), 4)
    assert len(sandbox.liked_by()) == 4
    waits = [e for e in events if isinstance(e, Waiting)]
    assert [w.reason for w in waits] == [WaitReason.PACE] * 3
    assert clock.now - local(10) == pytest.approx(360)  # two minutes between sends
    # A run a minute later (cron) waits out the rest of the spacing since the last send.
    clock.now += 60
    start = clock.now
    again, _ = await run_sender(tmp_path, clock, Pace.parse("30 per hour"), 5)
    first = next(e for e in again if isinstance(e, Waiting))
    assert first.reason is WaitReason.PACE and first.until == pytest.approx(start + 60)


async def test_outside_the_hours_the_app_waits_for_them_and_a_headless_run_stops(
    tmp_path: Path,
) -> None:
    hours = Pace.parse("", "09:00-22:00")
    clock = Clock(local(23))
    (tmp_path / "a").mkdir()
    events, sandbox = await run_sender(tmp_path / "a", clock, hours, 2, headless=True)
    [paused] = [e for e in events if isinstance(e, Paused)]
    assert paused.reason is HoldReason.HOURS and "09:00-22:00" in paused.message
    assert sandbox.liked_by() == set()
    (tmp_path / "b").mkdir()
    events, sandbox = await run_sender(tmp_path / "b", clock, hours, 2)
    [wait] = [e for e in events if isinstance(e, Waiting)]
    assert wait.reason is WaitReason.HOURS and wait.until == local(9, day=4)
    assert len([e for e in events if isinstance(e, Sent)]) == 2
