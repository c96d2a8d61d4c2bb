"""The likes service without the UI: what it publishes, against the in-process sandbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

from likes_tui.core.backend import Backend
from likes_tui.core.context import AppContext
from likes_tui.core.service import LikesService
from likes_tui.core.status import AskResume, InlineNote, Notice, QueueChanged, RowsChanged, Update
from likes_tui.domain import Action, HoldReason, WaitReason
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import DELETED_POST_ID, GENERATED_BASE, PROTECTED_POST_ID, SEED_POST_ID
from tests.conftest import in_process


class Recorder:
    def __init__(self) -> None:
        self.updates: list[Update] = []

    def __call__(self, update: Update) -> None:
        self.updates.append(update)

    def of(self, kind: type) -> list:
        return [u for u in self.updates if isinstance(u, kind)]

    def last_view(self):
        return self.of(QueueChanged)[-1].view


def open_ctx(tmp_path: Path, backend: Backend) -> AppContext:
    return AppContext.open(demo=True, config_dir=str(tmp_path / "cfg"), backend=backend)


def ids(n: int, start: int = 0) -> list[str]:
    return [str(GENERATED_BASE + i) for i in range(start, start + n)]


async def until(predicate, timeout: float = 10) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


async def test_paste_publishes_rows_then_looks_them_up_with_one_reason_each(
    tmp_path: Path,
) -> None:
    ctx = open_ctx(tmp_path, Backend.in_process_sandbox())
    seen = Recorder()
    service = LikesService(ctx, seen)
    try:
        text = f"{SEED_POST_ID}\n{DELETED_POST_ID}\n{PROTECTED_POST_ID}\n{SEED_POST_ID}"
        pasted = service.paste(text)
        assert pasted.new == (SEED_POST_ID, DELETED_POST_ID, PROTECTED_POST_ID)
        first = seen.of(RowsChanged)[0]
        assert [r.status for r in first.rows] == ["looking"] * 3
        assert first.select == SEED_POST_ID
        await service.lookup(list(pasted.new))
        rows = service.rows
        assert rows[SEED_POST_ID].ready and rows[SEED_POST_ID].author == "@TwitterDev"
        assert rows[DELETED_POST_ID].status == "missing"
        note = seen.of(InlineNote)[-1].text
        assert "2 not available: 1 deleted or missing, 1 protected" in note
        assert "1 repeated" in note
    finally:
        await service.close()
        ctx.close()


async def test_toggle_is_optimistic_then_confirmed_and_undo_is_a_stack(tmp_path: Path) -> None:
    ctx = open_ctx(tmp_path, Backend.in_process_sandbox())
    seen = Recorder()
    service = LikesService(ctx, seen)
    sandbox = ctx.backend.sandbox
    assert isinstance(sandbox, XSandbox)
    try:
        posts = ids(3)
        service.paste("\n".join(posts))
        await service.lookup(posts)
        await service.start()
        runner = asyncio.create_task(service.run_sender())
        await service.toggle(posts[0])
        assert service.rows[posts[0]].pending is Action.LIKE
        await service.like_all()
        await until(lambda: sandbox.liked_by() == set(posts))
        await until(lambda: not any(r.pending for r in service.rows.values()))
        await service.undo()  # the Like all: posts 1 and 2 back to not liked
        await until(lambda: sandbox.liked_by() == {posts[0]})
        await service.undo()  # the first like
        await until(lambda: sandbox.liked_by() == set())
        await service.undo()
        assert seen.of(Notice)[-1].message == "Nothing to undo."
        runner.cancel()
    finally:
        await service.close()
        ctx.close()


async def test_batch_progress_is_counted_from_the_store_across_a_restart(tmp_path: Path) -> None:
    backend, sandbox = in_process(post_count=20)
    sandbox.limits["like"] = (3, 60.0)  # three now, the rest after a minute
    posts = ids(6)
    ctx = open_ctx(tmp_path, backend)
    seen = Recorder()
    service = LikesService(ctx, seen)
    service.paste("\n".join(posts))
    await service.lookup(posts)
    await service.start()
    runner = asyncio.create_task(service.run_sender())
    await service.like_all()
    await until(lambda: len(sandbox.liked_by()) == 3)
    await until(lambda: service.wait is not None and service.wait.reason is WaitReason.RATE_LIMIT)
    await service.refresh_queue()
    view = seen.last_view()
    assert (view.batch.sent, view.batch.total, view.unsent) == (3, 6, 3)
    assert view.wait is not None and view.like_limit is not None
    assert view.window is not None and 55 <= view.window <= 60  # the window X runs, not 900
    runner.cancel()
    await service.close()
    ctx.close()

    again = open_ctx(tmp_path, backend)  # a restart: a new context, service and sender
    seen = Recorder()
    service = LikesService(again, seen)
    try:
        await service.start()
        assert seen.of(AskResume)[0].count == 3
        assert service.hold is not None and service.hold.reason is HoldReason.UNSENT
        view = seen.last_view()
        assert (view.batch.sent, view.batch.total) == (3, 6)  # not "0 done" after a restart
        sandbox.limits["like"] = (50, 60.0)
        sandbox.windows.clear()
        service.sender.client.rate_limits.clear()
        runner = asyncio.create_task(service.run_sender())
        await service.answer_resume("resume")
        await until(lambda: len(sandbox.liked_by()) == 6)
        await until(lambda: service.summary != "")
        assert service.summary == "6 liked, 0 failed"
        assert any(n.message == "Batch done: 6 liked, 0 failed." for n in seen.of(Notice))
        assert seen.last_view().summary == "6 liked, 0 failed"
        runner.cancel()
    finally:
        await service.close()
        again.close()
