"""Reads paced by the windows X reports (issue 20, point 3). `c` on pay-per-use, where X allows
one liked_tweets request per 15 minutes: it says how long first, waits out each window with a
countdown instead of meeting a 429, stops on a second `c`, and carries on from the page it
reached. Lookups plan the same way. In-process and over loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from likes_tui.core.backend import SANDBOX_BASE_URL, Backend
from likes_tui.core.batch import Batch
from likes_tui.core.context import AppContext
from likes_tui.core.service import LikesService
from likes_tui.core.status import Notice
from likes_tui.core.view import Checking, QueueView
from likes_tui.plans import Plan
from likes_tui.sandbox import SandboxTransport, XSandbox
from likes_tui.sandbox.server import serving
from likes_tui.widgets.status_line import line
from tests.core.test_service import Recorder, ids

START = 1_780_000_000.0


class Clock:
    """One clock for the sandbox and the app; the check's sleep moves it on."""

    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []
        self.gate: asyncio.Event | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.gate is not None:
            await self.gate.wait()
        self.now += seconds


@dataclass
class World:
    service: LikesService
    sandbox: XSandbox
    clock: Clock
    recorder: Recorder

    def notices(self) -> list[str]:
        return [n.message for n in self.recorder.of(Notice)]


@pytest.fixture(params=["in-process", "loopback"])
def backend_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sandbox(clock: Clock) -> XSandbox:
    return XSandbox(seed_random=1, clock=clock, plan=Plan.SELF_SERVE, post_count=800)


@pytest.fixture
def backend(backend_kind: str, sandbox: XSandbox, clock: Clock) -> Iterator[Backend]:
    if backend_kind == "in-process":
        yield Backend(SANDBOX_BASE_URL, SandboxTransport(sandbox), sandbox, clock)
        return
    with serving(sandbox) as srv:
        yield Backend(srv.base_url, sandbox=sandbox, clock=clock)


@pytest.fixture
async def world(
    tmp_path: Path, backend: Backend, sandbox: XSandbox, clock: Clock
) -> AsyncIterator[World]:
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path / "cfg"), backend=backend, clock=clock)
    recorder = Recorder()
    service = LikesService(ctx, recorder)
    service.sleep = clock.sleep
    await service.start()
    try:
        yield World(service, sandbox, clock, recorder)
    finally:
        await service.close()
        ctx.close()


async def listed(world: World, posts: list[str]) -> None:
    world.service.paste("\n".join(posts))
    await world.service.lookup(posts)
    await world.service.wait_idle()


def liked_elsewhere(sandbox: XSandbox, count: int, among: dict[int, str]) -> None:
    """`count` likes made in another client, newest first; `among` puts posts at positions."""
    others = iter(ids(count, 500))
    order = [among.get(i) or next(others) for i in range(count)]
    mine = sandbox.likes.setdefault(sandbox.demo_user_id, {})
    for seq, post in enumerate(reversed(order)):
        mine[post] = seq + 1


async def test_a_check_at_one_request_a_window_waits_the_window_out(world: World) -> None:
    posts = ids(3)
    await listed(world, posts)
    liked_elsewhere(world.sandbox, 250, {5: posts[0], 230: posts[1]})  # pages 1 and 3
    await world.service.check_like_states()
    notices = world.notices()
    start = next(n for n in notices if n.startswith("Looking for 3 posts"))
    assert "up to 10 pages" in start and "c stops" in start
    # X's first answer shows one request per 15 minutes: the new figure is said at once
    assert any("1 request per 15 minutes" in n and "2:15:" in n for n in notices)
    liked = world.sandbox.requests_to("liked")
    assert [e.status for e in liked] == [200, 200, 200]  # waited, never refused
    assert len(world.clock.slept) == 2 and all(880 < s <= 902 for s in world.clock.slept)
    assert [world.service.rows[p].liked for p in posts] == [True, True, False]
    assert "2 liked, 1 not liked (the list of likes ended)." in notices
    assert world.service.view().check is None


async def test_a_second_c_stops_the_check_and_a_third_carries_on(world: World) -> None:
    posts = ids(2)
    await listed(world, posts)
    liked_elsewhere(world.sandbox, 250, {150: posts[0]})  # on page 2
    world.clock.gate = asyncio.Event()  # the wait for page 2 does not end by itself
    first = asyncio.ensure_future(world.service.check_like_states())
    async with asyncio.timeout(10):
        while not world.clock.slept:
            await asyncio.sleep(0.01)
    view = world.service.view()
    assert view.check == Checking(1, 10, 0, 2, view.check.next_at if view.check else None)
    assert view.check is not None and view.check.next_at is not None
    shown = line(view, world.clock.now, 200).plain
    assert "checking likes: page 1/10 · 0/2 found · next page in 15:0" in shown
    await world.service.check_like_states()  # c again: stops
    await first
    assert "Check stopped after page 1: c carries on from there." in world.notices()
    assert world.service.view().check is None
    assert len(world.sandbox.requests_to("liked")) == 1

    world.clock.gate = None
    await world.service.check_like_states()  # a later c: from page 2
    assert any("from page 2" in n for n in world.notices())
    # pages 2 and 3 only (page 1 is not read again); the likes end on page 3
    assert len(world.sandbox.requests_to("liked")) == 3
    assert [world.service.rows[p].liked for p in posts] == [True, False]
    assert "1 liked, 1 not liked (the list of likes ended)." in world.notices()


async def test_a_post_pasted_after_a_stop_starts_the_check_from_the_newest(
    world: World,
) -> None:
    """Pages already read were not searched for it: carrying on could miss it."""
    posts = ids(2)
    await listed(world, posts[:1])
    liked_elsewhere(world.sandbox, 250, {1: posts[1], 150: posts[0]})
    world.clock.gate = asyncio.Event()
    first = asyncio.ensure_future(world.service.check_like_states())
    async with asyncio.timeout(10):
        while not world.clock.slept:
            await asyncio.sleep(0.01)
    await world.service.check_like_states()
    await first
    world.clock.gate = None
    await listed(world, posts[1:])
    await world.service.check_like_states()
    assert any("newest first" in n for n in world.notices()[-4:])
    assert [world.service.rows[p].liked for p in posts] == [True, True]


def test_the_status_line_counts_down_to_the_next_page() -> None:
    view = QueueView(handle="@me", check=Checking(3, 10, 1, 4, START + 65))
    assert "page 3/10 · 1/4 found · next page in 1:05 · c stops" in line(view, START, 120).plain


async def test_lookups_plan_with_the_window_x_reported_and_skip_posts_taken_off(
    world: World,
) -> None:
    """Lookups do the same: what the window takes goes now, the rest waits for the reset
    with a countdown instead of meeting a 429, and a post taken off meanwhile is not read."""
    world.sandbox.limits["lookup"] = (2, 900.0)
    await listed(world, ids(1))  # X's answer shows the window: 1 request left
    world.clock.gate = asyncio.Event()
    many = ids(250, 1)
    world.service.paste("\n".join(many))
    await world.service.lookup(many)
    said = world.notices()[-1]
    assert "takes 100 more posts until it resets: 150 posts are looked up by themselves" in said
    rows = world.service.rows
    assert sum(rows[p].ready for p in many) == 100
    waiting = [p for p in many if rows[p].retry_at is not None]
    assert len(waiting) == 150 and all(rows[p].status == "looking" for p in waiting)
    world.service.remove(waiting[:60])  # d on 60 of them
    world.clock.gate.set()
    async with asyncio.timeout(10):
        while any(p in rows and not rows[p].ready for p in waiting):
            await asyncio.sleep(0.01)
    assert [e.status for e in world.sandbox.requests_to("lookup")] == [200, 200, 200]
    assert all(p not in rows for p in waiting[:60])  # not brought back
    assert len(world.clock.slept) == 1 and 890 < world.clock.slept[0] <= 902


async def test_the_first_batch_s_estimate_is_the_sender_s_real_pace(tmp_path: Path) -> None:
    """Issue 23: before X has reported any window, 60 likes were estimated at 0:18 and took
    15 minutes. The estimate assumes X's documented window (50 per 15 minutes) until it
    knows better, and the sender's real time is held to it."""
    from likes_tui.domain import Action

    clock = Clock()
    box = XSandbox(seed_random=1, clock=clock, post_count=80)
    backend = Backend(SANDBOX_BASE_URL, SandboxTransport(box), box, clock)
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path / "cfg"), backend=backend, clock=clock)
    service = LikesService(ctx, Recorder())
    service.sleep = clock.sleep
    posts = ids(60)
    try:
        await service.start()
        estimate = service.estimate(Action.LIKE, len(posts))
        assert 900 <= estimate.eta_seconds <= 930, estimate.words()
        assert "about 15:" in estimate.words()
        started = clock.now
        await Batch(service).queue_posts(posts, Action.LIKE)
        await service.sender.run_until_idle()  # type: ignore[union-attr]
        took = clock.now - started
        assert box.liked_by() >= set(posts) and box.rejected_429 == 0
        assert abs(took - estimate.eta_seconds) <= 0.05 * took, (took, estimate.eta_seconds)
    finally:
        await service.close()
        ctx.close()
