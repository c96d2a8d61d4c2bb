"""Headless runs (`likes-tui like`) against the in-process sandbox."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from likes_tui.cli.headless import FAILED, TRY_LATER, USAGE, run
from likes_tui.core.backend import Backend
from likes_tui.core.context import AppContext
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import DELETED_POST_ID, GENERATED_BASE, PROTECTED_POST_ID, SEED_POST_ID
from likes_tui.store.state import QueueRequest


async def test_with_look_up_posts_over_the_lookup_limit_are_still_liked(tmp_path: Path) -> None:
    backend = Backend.in_process_sandbox(post_count=150)
    sandbox = backend.sandbox
    sandbox.limits["lookup"] = (1, 900.0)  # one lookup request (100 posts), then 429s
    sandbox.limits["like"] = (500, 900.0)
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path), backend=backend)
    ids = [str(GENERATED_BASE + i) for i in range(150)]
    out = io.StringIO()
    try:
        status = await run(ctx, "\n".join(ids), "like", out, look_up=True)
    finally:
        ctx.close()
    assert status == 0, out.getvalue()
    assert sandbox.liked_by() == set(ids)
    assert "50 queued without a lookup: X's lookup limit is reached" in out.getvalue()
    assert "skipped" not in out.getvalue()


async def test_a_headless_run_stops_at_the_daily_cap_instead_of_waiting_a_day(
    tmp_path: Path,
) -> None:
    backend = Backend.in_process_sandbox(post_count=10)
    sandbox = backend.sandbox
    sandbox.daily_limits["like"] = (3, 86400.0)
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path), backend=backend)
    ids = [str(GENERATED_BASE + i) for i in range(5)]
    out = io.StringIO()
    try:
        status = await asyncio.wait_for(run(ctx, "\n".join(ids), "like", out), 30)
        assert ctx.state.queue.counts(ctx.account).pending == 2
    finally:
        ctx.close()
    assert status == TRY_LATER
    assert len(sandbox.liked_by()) == 3 and sandbox.rejected_429 == 0
    text = out.getvalue()
    assert "paused: X's daily like cap is used up" in text and "likes-tui resume` after" in text
    assert "liked 3, failed 0; 2 left in the queue" in text


def demo_ctx(tmp_path: Path, **sandbox_kw: object) -> tuple[AppContext, XSandbox]:
    backend = Backend.in_process_sandbox(**sandbox_kw)
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path), backend=backend)
    sandbox = backend.sandbox
    assert isinstance(sandbox, XSandbox)
    return ctx, sandbox


@pytest.mark.parametrize("fault", ["error_rate", "drop_rate"])
async def test_with_look_up_posts_whose_lookup_failed_for_a_passing_reason_are_liked(
    tmp_path: Path, fault: str
) -> None:
    """An X outage on lookups (5xx, dropped connections) must not lose the posts."""
    ctx, sandbox = demo_ctx(tmp_path, post_count=200)
    sandbox.limits["like"] = (500, 900.0)
    setattr(sandbox.faults, fault, 1.0)
    sandbox.faults.fault_on = "lookup"
    ids = [str(GENERATED_BASE + i) for i in range(200)]
    out = io.StringIO()
    try:
        ctx.client = _fast_retries(ctx)  # type: ignore[method-assign]
        status = await run(ctx, "\n".join(ids), "like", out, look_up=True)
    finally:
        ctx.close()
    assert status == 0, out.getvalue()
    assert sandbox.liked_by() == set(ids)
    assert "200 queued without a lookup: the lookup failed" in out.getvalue()


def _fast_retries(ctx: AppContext):
    from likes_tui.core.signin import client_for
    from tests.conftest import FAST_RETRY

    assert ctx.profile is not None
    return lambda profile: client_for(profile, ctx.creds, ctx.backend, retry=FAST_RETRY)


async def test_deleted_and_protected_posts_are_skipped_and_the_exit_status_says_so(
    tmp_path: Path,
) -> None:
    ctx, sandbox = demo_ctx(tmp_path)
    out = io.StringIO()
    try:
        status = await run(
            ctx, f"{DELETED_POST_ID}\n{PROTECTED_POST_ID}\n{SEED_POST_ID}", "like", out
        )
    finally:
        ctx.close()
    assert status == FAILED
    assert sandbox.liked_by() == {SEED_POST_ID}
    text = out.getvalue()
    assert f"skipped {DELETED_POST_ID}" in text and f"skipped {PROTECTED_POST_ID}" in text
    assert "not available 2" in text


async def test_input_without_a_post_is_a_usage_error(tmp_path: Path) -> None:
    ctx, sandbox = demo_ctx(tmp_path)
    out = io.StringIO()
    try:
        assert await run(ctx, "hello there", "like", out) == USAGE
        assert await run(ctx, "", "like", out) == USAGE
    finally:
        ctx.close()
    assert sandbox.requests_to("like") == []


async def test_running_the_same_list_twice_likes_each_post_once(tmp_path: Path) -> None:
    ctx, sandbox = demo_ctx(tmp_path)
    ids = [str(GENERATED_BASE + i) for i in range(3)]
    try:
        first, second, forced = io.StringIO(), io.StringIO(), io.StringIO()
        assert await run(ctx, " ".join(ids), "like", first) == 0
        lookups = len(sandbox.requests_to("lookup"))
        assert await run(ctx, " ".join(ids), "like", second) == 0
        assert len(sandbox.requests_to("like")) == 3
        assert len(sandbox.requests_to("lookup")) == lookups  # nothing read either
        assert "0 queued, 3 already liked" in second.getvalue()
        assert await run(ctx, ids[0], "like", forced, force=True) == 0
        assert len(sandbox.requests_to("like")) == 4
    finally:
        ctx.close()


async def test_resume_retries_what_failed_for_a_passing_reason_only(tmp_path: Path) -> None:
    ctx, sandbox = demo_ctx(tmp_path)
    account = ctx.account
    try:
        ctx.state.queue.enqueue_many(
            account, [QueueRequest(SEED_POST_ID, "like"), QueueRequest(DELETED_POST_ID, "like")]
        )
        for item in ctx.state.queue.pending(account):
            gone = item.post_id == DELETED_POST_ID
            ctx.state.queue.claim(item)
            ctx.state.queue.attempt_failed(item, "boom", final=True, retryable=not gone)
        out = io.StringIO()
        status = await run(ctx, None, "like", out)
        assert "retrying 1 that failed earlier" in out.getvalue()
        assert sandbox.liked_by() == {SEED_POST_ID}
        assert [i.post_id for i in ctx.state.queue.failed(account)] == [DELETED_POST_ID]
    finally:
        ctx.close()
    assert status == FAILED


async def test_budgets_are_respected_after_a_restart(tmp_path: Path) -> None:
    """A new process must not send into a window an earlier one used up: the second run
    waits out the rest of the first run's 2 s window (on a fake clock X shares) instead of
    being refused."""
    from tests.test_scheduler import FakeClock

    clock = FakeClock()
    backend = Backend.in_process_sandbox(clock=clock, post_count=20)
    sandbox = backend.sandbox
    sandbox.limits["like"] = (3, 2.0)
    ids = [str(GENERATED_BASE + i) for i in range(6)]
    for part in (ids[:3], ids[3:]):  # two runs, as two processes would be: fresh clients
        ctx = AppContext.open(demo=True, config_dir=str(tmp_path), backend=backend, clock=clock)
        ctx.sleep = clock.sleep
        try:
            assert await asyncio.wait_for(run(ctx, " ".join(part), "like", io.StringIO()), 30) == 0
        finally:
            ctx.close()
    assert sandbox.liked_by() == set(ids)
    assert sandbox.rejected_429 == 0
    assert 1.0 <= clock.slept <= 2.5  # the rest of the window, once


async def test_a_run_gives_up_on_a_server_that_never_finishes_answering(
    tmp_path: Path, monkeypatch
) -> None:
    """Issue 23: a trickling server held a one-post run past 120 s. Here a request's
    deadline is 0.5 s and the run waits 1 s of silence (30 s and 45 s in use)."""
    from likes_tui.api import client_defaults
    from likes_tui.cli.headless import NOT_ANSWERING
    from likes_tui.core import batch

    monkeypatch.setattr(client_defaults, "DEADLINE", 0.5)
    monkeypatch.setattr(batch, "GIVE_UP_AFTER", 1.0)
    ctx, sandbox = demo_ctx(tmp_path, post_count=10)
    sandbox.faults.trickle = 0.2  # a byte every 0.2 s: each answer takes seconds
    out = io.StringIO()
    try:
        started = asyncio.get_running_loop().time()
        status = await asyncio.wait_for(run(ctx, SEED_POST_ID, "like", out), 30)
        took = asyncio.get_running_loop().time() - started
        assert ctx.state.queue.counts(ctx.account).pending == 1  # kept for `resume`
    finally:
        ctx.close()
    assert status == NOT_ANSWERING == 69
    assert took < 2.5  # two tries at most, not 8 x 4 of them
    text = out.getvalue()
    assert "X has not answered for" in text and "stays queued for `likes-tui resume`" in text
    assert "liked 0, failed 0; 1 left in the queue" in text
    sandbox.faults.trickle = 0.0
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path), backend=ctx.backend)
    try:
        assert await run(ctx, None, "like", io.StringIO()) == 0  # resume: X answers again
    finally:
        ctx.close()
    assert SEED_POST_ID in sandbox.liked_by()


def test_text_lines_and_known_ids_come_in_their_order_a_chunk_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from likes_tui.cli import headless
    from likes_tui.cli.headless import PostIds, chunks

    monkeypatch.setattr(headless, "CHUNK_LINES", 2)
    given = ["a\n", "b\n", "c\n", PostIds(("1", "2", "3")), "d\n", PostIds(())]
    assert list(chunks(given)) == ["a\nb\n", "c\n", ("1", "2"), ("3",), "d\n"]
    assert [type(block).__name__ for block in chunks(given)][2:4] == ["PostIds", "PostIds"]
    assert list(chunks("x\ny\nz")) == ["x\ny\n", "z"]


@pytest.mark.parametrize("held", [1_000, 10], ids=["ids-in-memory", "ids-on-disk"])
async def test_a_big_input_is_queued_a_chunk_at_a_time_with_the_same_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held: int
) -> None:
    """Chunks of 7 lines: a post repeated across chunks is one action, history and junk
    are counted over the whole input, and the dry run and the run agree, whether the ids met
    so far fit in memory or have moved to disk."""
    from likes_tui.cli import headless
    from likes_tui.store import seen

    monkeypatch.setattr(headless, "CHUNK_LINES", 7)
    monkeypatch.setattr(seen, "IN_MEMORY", held)
    ctx, sandbox = demo_ctx(tmp_path, post_count=40)
    sandbox.limits["like"] = (500, 900.0)
    ids = [str(GENERATED_BASE + i) for i in range(30)]
    ctx.state.history.record(ctx.account, ids[3], "like", "ok")
    lines = [*ids, ids[0], ids[12], "not a post at all", ids[29]]
    out = io.StringIO()
    try:
        dry = await run(ctx, "\n".join(lines), "like", out, dry=True)
        said = out.getvalue()
        assert dry == 0 and said.count("would like") == 29
        assert said.count("skipped") == 2  # the liked one, and the junk line
        out = io.StringIO()
        status = await run(ctx, "\n".join(lines), "like", out)
    finally:
        ctx.close()
    text = out.getvalue()
    assert status == 0, text
    assert sandbox.liked_by() == set(ids) - {ids[3]}
    assert len(sandbox.requests_to("like")) == 29
    assert "29 queued, 1 already liked\n" in text
    # each chunk says what it did before the next one's parse speaks (lines 28-34 are one)
    junk = text.index("not a post at all")
    assert text.index(f"queued {ids[27]}\n") < junk < text.index(f"queued {ids[28]}\n")
    assert "liked 29, already liked 1, failed 0; 0 left in the queue" in text
