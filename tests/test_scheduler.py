"""The durable queue sent by the scheduler against the sandbox with short rate windows."""

from __future__ import annotations

import asyncio
from pathlib import Path

from likes_tui.api.models import RateLimit
from likes_tui.domain import WaitReason
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import DELETED_POST_ID, GENERATED_BASE
from likes_tui.sending.eta import eta_seconds
from likes_tui.sending.sender import (
    Event,
    Failed,
    Paused,
    Sender,
    Sent,
    Unavailable,
    Waiting,
)
from likes_tui.store.state import QueueRequest, StateDB
from tests.conftest import make_client

ACCOUNT = "1590000000000000001"


class FakeClock:
    """One time for X and the app; waiting moves it on at once (no test waits a window out)."""

    def __init__(self) -> None:
        self.now = 1_780_000_000.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        self.slept += max(0.0, seconds)
        await asyncio.sleep(0)


def short_windows(
    limit: int = 50, window: float = 1.0, posts: int = 250, clock: FakeClock | None = None
) -> XSandbox:
    if clock is not None:
        sandbox = XSandbox(post_count=posts, seed_random=7, clock=clock)
    else:
        sandbox = XSandbox(post_count=posts, seed_random=7)
    sandbox.limits["like"] = (limit, window)
    sandbox.limits["unlike"] = (limit, window)
    return sandbox


def queue(db: StateDB, ids: list[str], action: str = "like") -> None:
    db.queue.enqueue_many(ACCOUNT, [QueueRequest(i, action) for i in ids])


async def test_200_likes_finish_exactly_once_without_sending_into_an_exhausted_window(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    sandbox = short_windows(window=900.0, clock=clock)
    client = make_client(sandbox, user_id=ACCOUNT, sleep=clock.sleep)
    db = StateDB(tmp_path / "s.db", clock)
    ids = [str(GENERATED_BASE + i) for i in range(200)]
    before = {i: sandbox.posts[i].likes for i in ids}
    queue(db, ids + ids[:20])  # the same posts pasted twice become one action each
    events: list[Event] = []
    scheduler = Sender(client, db, ACCOUNT, on_event=events.append, clock=clock, sleep=clock.sleep)
    await asyncio.wait_for(scheduler.run_until_idle(), 30)
    assert 3 * 900 <= clock.slept < 4 * 900 + 10  # three windows waited out, on X's clock
    assert sandbox.liked_by() == set(ids)
    likes = sandbox.requests_to("like")
    assert len(likes) == 200
    assert all(sandbox.posts[i].likes == before[i] + 1 for i in ids)
    assert sandbox.rejected_429 == 0
    assert all(e.remaining_before and e.remaining_before > 0 for e in likes)
    assert any(isinstance(e, Waiting) and e.reason == "rate limit" for e in events)
    ok = [h.post_id for h in db.history.entries(ACCOUNT, limit=1000) if h.outcome == "ok"]
    assert sorted(ok) == sorted(ids)
    await client.aclose()


async def test_429_from_an_unknown_window_waits_for_reset_then_continues(tmp_path: Path) -> None:
    clock = FakeClock()
    sandbox = short_windows(limit=3, window=900.0, clock=clock)
    other = make_client(sandbox, user_id=ACCOUNT, sleep=clock.sleep)
    for i in range(3):  # another copy of the app spent the window
        await other.like(str(GENERATED_BASE + 100 + i))
    client = make_client(sandbox, user_id=ACCOUNT, sleep=clock.sleep)
    db = StateDB(tmp_path / "s.db", clock)
    queue(db, [str(GENERATED_BASE + i) for i in range(4)])
    events: list[Event] = []
    sender = Sender(client, db, ACCOUNT, on_event=events.append, clock=clock, sleep=clock.sleep)
    await asyncio.wait_for(sender.run_until_idle(), 15)
    assert 900 <= clock.slept < 2 * 900 + 10
    assert sandbox.rejected_429 == 1
    assert len(sandbox.liked_by()) == 7
    assert db.queue.counts(ACCOUNT).done == 4
    await client.aclose()
    await other.aclose()


async def test_5xx_bursts_and_dropped_connections_are_survived(tmp_path: Path) -> None:
    sandbox = short_windows(limit=100)
    sandbox.faults.error_rate = 0.3
    sandbox.faults.drop_rate = 0.15
    client = make_client(sandbox, user_id=ACCOUNT)
    db = StateDB(tmp_path / "s.db")
    ids = [str(GENERATED_BASE + i) for i in range(40)]
    queue(db, ids)
    scheduler = Sender(client, db, ACCOUNT, backoff_base=0.001, backoff_cap=0.01, max_attempts=50)
    await asyncio.wait_for(scheduler.run_until_idle(), 30)
    assert sandbox.liked_by() == set(ids)
    assert db.queue.counts(ACCOUNT).failed == 0
    await client.aclose()


async def test_a_deleted_post_is_left_alone_and_the_rest_go_on(tmp_path: Path) -> None:
    """X's answer to the like says the post is gone: not sent, not a failure, not retried."""
    sandbox = short_windows()
    client = make_client(sandbox, user_id=ACCOUNT)
    db = StateDB(tmp_path / "s.db")
    queue(db, [str(GENERATED_BASE), DELETED_POST_ID, str(GENERATED_BASE + 1)])
    events: list[Event] = []
    await Sender(client, db, ACCOUNT, on_event=events.append).run_until_idle()
    gone = [e for e in events if isinstance(e, Unavailable)]
    assert [e.item.post_id for e in gone] == [DELETED_POST_ID]
    assert gone[0].message.startswith(f"Post {DELETED_POST_ID}")
    assert not [e for e in events if isinstance(e, Failed)]
    assert len([e for e in events if isinstance(e, Sent)]) == 2
    counts = db.queue.counts(ACCOUNT)
    assert (counts.pending, counts.failed, counts.done) == (0, 0, 2)
    assert db.queue.retry_failed(ACCOUNT) == 0  # resume does not send it again
    assert len(sandbox.requests_to("like")) == 3
    await client.aclose()


async def test_out_of_credits_pauses_and_keeps_the_work(tmp_path: Path) -> None:
    sandbox = short_windows()
    sandbox.faults.out_of_credits = True
    client = make_client(sandbox, user_id=ACCOUNT)
    db = StateDB(tmp_path / "s.db")
    queue(db, [str(GENERATED_BASE + i) for i in range(3)])
    events: list[Event] = []
    scheduler = Sender(client, db, ACCOUNT, on_event=events.append)
    await scheduler.run_until_idle()
    assert isinstance(events[-1], Paused) and "credits" in events[-1].message
    assert db.queue.counts(ACCOUNT).pending == 3
    sandbox.faults.out_of_credits = False
    scheduler.resume()
    await scheduler.run_until_idle()
    assert db.queue.counts(ACCOUNT).done == 3
    await client.aclose()


async def test_unlike_queued_after_like_supersedes_it(tmp_path: Path) -> None:
    sandbox = short_windows()
    client = make_client(sandbox, user_id=ACCOUNT)
    db = StateDB(tmp_path / "s.db")
    post = str(GENERATED_BASE)
    db.queue.enqueue(ACCOUNT, post, "like")
    db.queue.enqueue(ACCOUNT, post, "unlike")
    await Sender(client, db, ACCOUNT).run_until_idle()
    assert post not in sandbox.liked_by()
    assert sandbox.requests_to("like") == [] and len(sandbox.requests_to("unlike")) == 1
    await client.aclose()


def test_eta_follows_the_rate_limit() -> None:
    now = 1000.0
    assert eta_seconds(0, None, now) == 0
    assert eta_seconds(10, RateLimit(50, 40, now + 100), now, per_request=0.1) == 1.0
    # 140 pending, 40 left now, then windows of 50: 2 more windows after this one resets
    eta = eta_seconds(140, RateLimit(50, 40, now + 100), now, per_request=0.0, window=900)
    assert eta == 100 + 900


async def test_the_daily_cap_is_waited_out_and_never_sent_into(tmp_path: Path) -> None:
    clock = FakeClock()
    sandbox = short_windows(limit=50, window=900.0, clock=clock)
    sandbox.daily_limits["like"] = (3, 86400.0)
    client = make_client(sandbox, user_id=ACCOUNT, sleep=clock.sleep)
    db = StateDB(tmp_path / "s.db", clock)
    ids = [str(GENERATED_BASE + i) for i in range(5)]
    queue(db, ids)
    events: list[Event] = []
    sender = Sender(client, db, ACCOUNT, on_event=events.append, clock=clock, sleep=clock.sleep)
    await asyncio.wait_for(sender.run_until_idle(), 15)
    assert 86400 <= clock.slept < 86400 + 60  # a day waited out, not slept through
    assert sandbox.liked_by() == set(ids)
    assert sandbox.rejected_429 == 0  # it waited for the reset instead of asking
    assert any(isinstance(e, Waiting) and e.reason is WaitReason.DAILY_CAP for e in events)
    assert client.rate_limits["like-24h"].limit == 3
    await client.aclose()


async def test_a_daily_cap_spent_elsewhere_is_a_429_that_is_waited_out(tmp_path: Path) -> None:
    clock = FakeClock()
    sandbox = short_windows(limit=50, window=900.0, clock=clock)
    sandbox.daily_limits["like"] = (2, 86400.0)
    other = make_client(sandbox, user_id=ACCOUNT, sleep=clock.sleep)
    for i in range(2):  # another copy of the app used today's likes
        await other.like(str(GENERATED_BASE + 100 + i))
    client = make_client(sandbox, user_id=ACCOUNT, sleep=clock.sleep)
    db = StateDB(tmp_path / "s.db", clock)
    queue(db, [str(GENERATED_BASE + i) for i in range(2)])
    events: list[Event] = []
    sender = Sender(client, db, ACCOUNT, on_event=events.append, clock=clock, sleep=clock.sleep)
    await asyncio.wait_for(sender.run_until_idle(), 15)
    assert sandbox.rejected_429 == 1
    assert next(e.reason for e in events if isinstance(e, Waiting)) is WaitReason.DAILY_CAP
    assert db.queue.counts(ACCOUNT).done == 2
    await client.aclose()
    await other.aclose()


def test_eta_waits_for_the_daily_cap_when_today_cannot_take_it_all() -> None:
    now = 1000.0
    window = RateLimit(50, 50, now + 900)
    # 10 pending, 2 left today: 8 wait for the daily reset an hour away.
    daily = RateLimit(1000, 2, now + 3600)
    assert eta_seconds(10, window, now, daily=daily, per_request=0.0) == 3600
    # More than a day's worth: a whole further day, then windows of 50.
    eta = eta_seconds(1102, window, now, daily=daily, per_request=0.0, window=900)
    assert eta == 3600 + 86400 + 900
    # Plenty left today: the daily cap changes nothing.
    assert eta_seconds(10, window, now, daily=RateLimit(1000, 500, now + 3600)) == (
        eta_seconds(10, window, now)
    )
