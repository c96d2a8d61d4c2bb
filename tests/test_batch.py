"""Headless runs (`likes-tui like`) against the in-process sandbox."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from likes_tui.backend import Backend
from likes_tui.batch import TRY_LATER, run
from likes_tui.context import AppContext
from likes_tui.sandbox.seed import GENERATED_BASE


async def test_posts_over_the_lookup_limit_are_still_liked(tmp_path: Path) -> None:
    backend = Backend.in_process_sandbox(post_count=150)
    sandbox = backend.sandbox
    sandbox.limits["lookup"] = (1, 900.0)  # one lookup request (100 posts), then 429s
    sandbox.limits["like"] = (500, 900.0)
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path), backend=backend)
    ids = [str(GENERATED_BASE + i) for i in range(150)]
    out = io.StringIO()
    try:
        status = await run(ctx, "\n".join(ids), "like", out)
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
        assert ctx.state.counts(ctx.account).pending == 2
    finally:
        ctx.close()
    assert status == TRY_LATER
    assert len(sandbox.liked_by()) == 3 and sandbox.rejected_429 == 0
    text = out.getvalue()
    assert "paused: X's daily cap is used up" in text and "likes-tui resume` after" in text
    assert "done: sent 3, failed 0; 2 left in the queue" in text
