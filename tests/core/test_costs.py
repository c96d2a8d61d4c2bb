"""The cost meter: what X's pay-per-use billing charges for what the app does, counted by the
app and billed by the sandbox (x-api.md, "What each call costs")."""

from __future__ import annotations

import asyncio
from pathlib import Path

from likes_tui.billing import DEFAULT_PRICES, Charge, DayLedger, charges, utc_day
from likes_tui.core.backend import Backend
from likes_tui.core.service import LikesService
from likes_tui.domain import Action
from likes_tui.sandbox import XSandbox
from likes_tui.store.state import StateDB
from tests.conftest import in_process
from tests.core.test_service import Recorder, ids, open_ctx, until

MIDNIGHT = 1767225600.0  # 2026-01-01 00:00 UTC


def test_a_resource_is_billed_once_a_utc_day_and_again_after_midnight() -> None:
    ledger = DayLedger()
    post, author = Charge("post_read", "post:1"), Charge("user_read", "user:9")
    first = ledger.bill([post, author], MIDNIGHT - 60)
    assert [usd for _, usd in first] == [DEFAULT_PRICES.post_read, DEFAULT_PRICES.user_read]
    assert ledger.bill([post, author], MIDNIGHT - 1) == []  # same day: free
    assert len(ledger.bill([post], MIDNIGHT)) == 1  # a new UTC day bills it again
    like = Charge("like", None)
    assert len(ledger.bill([like, like], MIDNIGHT + 5)) == 2  # writes: every request


def test_what_an_answer_bills() -> None:
    lookup = {
        "data": [{"id": "1", "author_id": "9"}, {"id": "2", "author_id": "9"}],
        "includes": {"users": [{"id": "9"}]},
        "errors": [{"resource_id": "3"}],
    }
    assert charges("lookup", lookup) == [
        Charge("post_read", "post:1"),
        Charge("post_read", "post:2"),
        Charge("user_read", "user:9"),
    ]
    assert charges("liked", {"data": [{"id": "1"}], "meta": {}}) == [Charge("owned_read", "post:1")]
    assert charges("like", {"data": {"liked": True}}) == [Charge("like", None)]
    assert charges("lookup", {"errors": [{"resource_id": "3"}]}) == []  # nothing returned


def test_the_store_dedups_across_midnight_and_processes(tmp_path: Path) -> None:
    one, two = StateDB(tmp_path / "s.db"), StateDB(tmp_path / "s.db")
    day = utc_day(MIDNIGHT - 1)
    read = [Charge("post_read", "post:1")]
    assert one.spend.record_charges("u", day, read, DEFAULT_PRICES, MIDNIGHT - 1) == 0.005
    assert two.spend.record_charges("u", day, read, DEFAULT_PRICES, MIDNIGHT - 1) == 0.0
    next_day = utc_day(MIDNIGHT)
    assert two.spend.record_charges("u", next_day, read, DEFAULT_PRICES, MIDNIGHT) == 0.005
    assert one.spend.spent_on("u", day) == 0.005 and one.spend.spent_on("u", next_day) == 0.005
    one.close()
    two.close()


async def run_session(
    tmp_path: Path, backend: Backend, like: list[str], unlike: list[str]
) -> tuple[float, float]:
    """One run of the app's service: paste ten posts, like some, unlike some. Its meter:
    (this session, today)."""
    ctx = open_ctx(tmp_path, backend)
    service = LikesService(ctx, Recorder())
    sandbox = backend.sandbox
    assert isinstance(sandbox, XSandbox)
    try:
        await service.start()
        runner = asyncio.create_task(service.run_sender())
        posts = ids(10)
        service.paste("\n".join(posts))
        await service.lookup(posts)
        await service.act_on(Action.LIKE, like)
        await until(lambda: set(like) <= sandbox.liked_by())
        if unlike:
            await service.act_on(Action.UNLIKE, unlike)
            await until(lambda: not set(unlike) & sandbox.liked_by())
        await until(lambda: not any(r.pending for r in service.rows.values()))
        runner.cancel()
        await service.wait_idle()
        return service.spent_session, service.spent_today
    finally:
        await service.close()
        ctx.close()


async def test_the_meter_equals_the_sandbox_bill_to_the_cent(tmp_path: Path) -> None:
    """Paste 10, like 5, unlike 1, restart, paste the same 10 again, like 2 more."""
    backend, sandbox = in_process(post_count=20)
    posts = ids(10)
    first, _ = await run_session(tmp_path, backend, posts[:5], posts[:1])
    second, today = await run_session(tmp_path, backend, posts[5:7], [])
    days = sandbox.usage()["days"]
    billed = sum(day["total_usd"] for day in days.values())
    assert round(first + second, 2) == round(billed, 2)
    assert round(first + second, 6) == round(billed, 6)  # to the micro-dollar, in fact
    assert today == round(billed, 6)  # the meter survived the restart
    # the second run read the same posts and authors again the same day: only its 2 likes
    assert second == round(2 * DEFAULT_PRICES.like, 6)
    kinds = days[utc_day()]["by_kind"]
    assert kinds["like"]["count"] == 7 and kinds["unlike"]["count"] == 1
    assert kinds["post_read"]["count"] == 10


async def test_the_start_up_like_sync_is_opt_in(tmp_path: Path) -> None:
    """It used to read 100 likes and their authors at every start (up to about $1.10)."""
    backend, sandbox = in_process()
    ctx = open_ctx(tmp_path, backend)
    service = LikesService(ctx, Recorder())
    try:
        await service.start()
        await service.load_liked()
        assert sandbox.requests_to("liked") == [] and sandbox.usage()["days"] == {}
        ctx.update_settings(sync_likes_at_start=True)
        await service.load_liked()
        assert len(sandbox.requests_to("liked")) == 1
    finally:
        await service.close()
        ctx.close()


async def test_the_queue_pauses_before_passing_the_daily_budget_and_resumes(
    tmp_path: Path,
) -> None:
    from likes_tui.domain import HoldReason

    backend, sandbox = in_process()
    ctx = open_ctx(tmp_path, backend)
    ctx.update_settings(daily_budget_usd=0.05)
    service = LikesService(ctx, Recorder())
    posts = ids(2)  # two posts, two authors: $0.03 of reads
    try:
        await service.start()
        runner = asyncio.create_task(service.run_sender())
        service.paste("\n".join(posts))
        await service.lookup(posts)
        await service.act_on(Action.LIKE, posts)
        await until(lambda: service.hold is not None)
        assert service.hold is not None and service.hold.reason is HoldReason.BUDGET
        assert "budget of $0.05 is reached" in service.hold.message
        assert sandbox.liked_by() == {posts[0]}  # $0.045 spent; one more like is $0.06
        ctx.update_settings(daily_budget_usd=1.0)
        await service.resume_queue()
        await until(lambda: sandbox.liked_by() == set(posts))
        runner.cancel()
    finally:
        await service.close()
        ctx.close()


async def test_posts_read_today_are_shown_again_without_a_request(tmp_path: Path) -> None:
    backend, sandbox = in_process()
    posts = ids(3)
    for run in range(2):  # the second run is a restart
        ctx = open_ctx(tmp_path, backend)
        service = LikesService(ctx, Recorder())
        try:
            await service.start()
            service.paste("\n".join(posts))
            await service.lookup(posts)
            await service.wait_idle()
            assert all(service.rows[p].ready and service.rows[p].author for p in posts)
            assert len(sandbox.requests_to("lookup")) == 1, run
        finally:
            await service.close()
            ctx.close()


async def test_checking_like_states_reads_only_ids_at_the_owned_rate(tmp_path: Path) -> None:
    """`c` needs only which posts are liked: no author is read (or billed) with them."""
    backend, sandbox = in_process()
    ctx = open_ctx(tmp_path, backend)
    service = LikesService(ctx, Recorder())
    posts = ids(3)
    try:
        await service.start()
        service.paste("\n".join(posts))
        await service.lookup(posts)
        elsewhere = [*posts[:2], *ids(2, 10)]  # liked in another client; two not in the list
        for seq, post in enumerate(elsewhere):
            sandbox.likes.setdefault(sandbox.demo_user_id, {})[post] = seq + 1
        before = dict(sandbox.usage()["days"][utc_day()]["by_kind"])
        await service.check_like_states()
        await service.wait_idle()
        after = sandbox.usage()["days"][utc_day()]["by_kind"]
        assert after["user_read"] == before["user_read"]
        # the two posts read today already are free again; the other two are owned reads
        assert after["owned_read"] == {"count": 2, "usd": 0.002}
        assert [service.rows[p].liked for p in posts] == [True, True, False]
    finally:
        await service.close()
        ctx.close()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_authors_read_this_week_are_not_read_again(tmp_path: Path) -> None:
    """Day 1: a post by @TwitterDev reads the post and its author. Day 2: another of its
    posts reads the post only. Nine days on, the author is read again (kept a week)."""
    from likes_tui.core.context import AppContext

    clock = Clock(MIDNIGHT + 3600)
    backend, sandbox = in_process(clock=clock)
    by_twitterdev = [p for p in ids(20) if sandbox.posts[p].author_id == "2244994945"][:3]
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path / "cfg"), backend=backend, clock=clock)
    service = LikesService(ctx, Recorder())
    try:
        await service.start()
        for day, post in zip((0, 1, 9), by_twitterdev, strict=True):
            clock.now = MIDNIGHT + 3600 + day * 86400
            users_before = len(sandbox.requests_to("users"))
            service.paste(post)
            await service.lookup([post])
            await service.wait_idle()
            assert service.rows[post].author == "@TwitterDev", day
            read_author = len(sandbox.requests_to("users")) > users_before
            assert read_author == (day in (0, 9)), day
    finally:
        await service.close()
        ctx.close()


async def test_across_utc_midnight_the_meter_and_the_bill_start_a_new_day(tmp_path: Path) -> None:
    """The same post read at 23:59 and at 00:01 UTC is billed twice, once each day, by the
    sandbox and by the meter alike; today's spend starts again from zero."""
    from likes_tui.core.context import AppContext

    clock = Clock(MIDNIGHT - 60)
    backend, sandbox = in_process(clock=clock)
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path / "cfg"), backend=backend, clock=clock)
    service = LikesService(ctx, Recorder())
    post = ids(1)[0]
    try:
        await service.start()
        service.paste(post)
        await service.lookup([post])
        await service.wait_idle()
        before_midnight = service.spent_today
        assert before_midnight == DEFAULT_PRICES.post_read + DEFAULT_PRICES.user_read
        clock.now = MIDNIGHT + 60
        service.remove([post])
        service.paste(post)
        await service.lookup([post])  # the post cache is yesterday's: X is asked again
        await service.wait_idle()
        assert service.spent_today == DEFAULT_PRICES.post_read  # the author is kept a week
        assert service.spent_session == round(before_midnight + DEFAULT_PRICES.post_read, 6)
        bill = sandbox.usage()["days"]
        assert {day: v["total_usd"] for day, v in bill.items()} == {
            utc_day(MIDNIGHT - 60): before_midnight,
            utc_day(MIDNIGHT + 60): DEFAULT_PRICES.post_read,
        }
    finally:
        await service.close()
        ctx.close()
