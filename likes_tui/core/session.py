"""One account's session: its secrets unlocked, its X client and its sender, and every task
the likes service starts for it.

It is built on the event loop and lives there: the service's parts run on the loop and send
store calls through `io` (a thread). `close()` ends everything it started and stops
publishing, so after an account switch no update from the old account reaches the screen."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from likes_tui.api.errors import SecretsMissing
from likes_tui.core.status import Notice, Update
from likes_tui.domain import Action
from likes_tui.store.files import StoreError

if TYPE_CHECKING:
    from likes_tui.api.client import XClient
    from likes_tui.core.context import AppContext
    from likes_tui.sending.sender import Event, Sender


class Session:
    def __init__(
        self,
        ctx: AppContext,
        publish: Callable[[Update], None],
        *,
        on_sender: Callable[[Event], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self._publish = publish
        self.on_sender = on_sender
        """Also told every sender event as it happens (headless runs print them)."""
        self.io = ctx.io
        self.client: XClient | None = None
        self.sender: Sender | None = None
        self.sleep: Callable[[float], Awaitable[None]] = ctx.sleep
        self.closed = False
        # What the other parts hand the client and the sender (set before connect).
        self.on_answer: Callable[[str, Any], None] | None = None
        self.on_event: Callable[[Event], None] = lambda event: None
        self.spend_gate: Callable[[Action], Awaitable[str | None]] | None = None
        self.on_connected: Callable[[], None] = lambda: None
        self._tasks: set[asyncio.Future[None]] = set()
        """Work that must finish (the meter's records): close waits for it."""
        self._cancellable: set[asyncio.Future[Any]] = set()
        """Work that may stop (lookups waiting for X's window, `c`): close cancels it."""
        self._connecting = asyncio.Lock()
        self.connected = asyncio.Event()

    @property
    def account(self) -> str:
        return self.ctx.account

    def publish(self, update: Update) -> None:
        """Tell the UI; nothing once closed (the account changed)."""
        if not self.closed:
            self._publish(update)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Background work a callback starts (it cannot await); close waits for it."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def start_cancellable(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        """Work that may wait long; close cancels it."""
        task = asyncio.ensure_future(coro)
        self._cancellable.add(task)
        task.add_done_callback(self._cancellable.discard)
        return task

    @property
    def idle(self) -> bool:
        """No background work (a refresh, the meter's records) is still running."""
        return not self._tasks

    async def wait_idle(self) -> None:
        """Let spawned work finish (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def connect(self) -> XClient:
        """The client and the sender, built on first need (after the first paint): the
        account's secrets are read then, off the event loop. Secrets that cannot be read
        (a locked keyring, a failing secret command) raise SecretsMissing, which holds the
        queue like an expired sign-in."""
        if self.client is not None:
            return self.client
        async with self._connecting:
            if self.client is not None:
                return self.client
            return await self._connect()

    async def _connect(self) -> XClient:
        from likes_tui.sending.sender import Sender

        said = len(self.ctx.warnings)
        try:
            profile = await self.io(self.ctx.unlock)
        except StoreError as exc:
            raise SecretsMissing(exc.message) from None
        for warning in self.ctx.warnings[said:]:  # e.g. a keyring that refused a move
            self.publish(Notice(warning, severity="warning", title="Secrets", timeout=12))
        self.client = client = self.ctx.client(profile)
        client.on_answer = self.on_answer
        self.sender = sender = Sender(
            client,
            self.ctx.state,
            self.account,
            on_event=self._event,
            clock=self.ctx.clock,
            sleep=lambda seconds: self.sleep(seconds),
            lock=self.ctx.send_lock(),
            io=self.io,
        )
        sender.spend_gate = self.spend_gate
        sender.pace = self.ctx.pace
        self.connected.set()
        self.on_connected()
        return client

    def _event(self, event: Event) -> None:
        if self.on_sender is not None:
            self.on_sender(event)
        if not self.closed:
            self.on_event(event)

    async def close(self) -> None:
        """Stop publishing, cancel what may stop, let the meter's records finish (what X
        billed is written before the store closes), close the client, let go of sending."""
        self.closed = True
        waiting = list(self._cancellable)
        for task in waiting:
            task.cancel()
        if waiting:
            await asyncio.wait(waiting)
        if self._tasks:
            await asyncio.wait(list(self._tasks))
        if self.client is not None:
            await self.client.aclose()
        if self.sender is not None:
            self.sender.let_go()
