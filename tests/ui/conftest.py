from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from likes_tui.app import LikesApp
from likes_tui.context import AppContext
from likes_tui.sandbox import XSandbox
from likes_tui.session import Backend

os.environ["TZ"] = "UTC"
time.tzset()


class Apps:
    """Builds LikesApp instances over a fresh config dir and an in-process sandbox."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.opened: list[AppContext] = []

    def demo(self, *, clock: Callable[[], float] = time.time, **sandbox_kw: object) -> LikesApp:
        backend = Backend.in_process_sandbox(clock=clock, **sandbox_kw)
        ctx = AppContext.open(
            demo=True, config_dir=str(self.tmp_path / "cfg"), backend=backend, clock=clock
        )
        self.opened.append(ctx)
        return LikesApp(ctx)

    def fresh(self, **sandbox_kw: object) -> LikesApp:
        """No account yet: starts on the set-up screen."""
        backend = Backend.in_process_sandbox(**sandbox_kw)
        ctx = AppContext.open(config_dir=str(self.tmp_path / "cfg"), backend=backend)
        self.opened.append(ctx)
        return LikesApp(ctx)


@pytest.fixture
def apps(tmp_path: Path) -> Iterator[Apps]:
    factory = Apps(tmp_path)
    yield factory
    for ctx in factory.opened:
        ctx.close()


def sandbox_of(app: LikesApp) -> XSandbox:
    sandbox = app.ctx.backend.sandbox  # type: ignore[attr-defined]
    assert isinstance(sandbox, XSandbox)
    return sandbox


async def wait_for(pilot: Pilot[None], predicate: Callable[[], bool], timeout: float = 10) -> None:
    """Let the app process messages until `predicate` holds (workers and the queue finish)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.01)
    await pilot.pause()  # let what the change started (a new screen's mounts) finish
