"""In-process transport: httpx talks to the sandbox without a socket (fast --demo, fast tests)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx

from likes_tui.sandbox.core import Dropped, XSandbox


class SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, sandbox: XSandbox) -> None:
        self.sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        faults = self.sandbox.faults
        faulty = self.sandbox.faulty(request.method, str(request.url))
        if faults.latency and faulty:
            await asyncio.sleep(faults.latency)
        if faults.held is not None and faulty:
            await faults.held.wait()
        try:
            reply = self.sandbox.handle(
                request.method, str(request.url), dict(request.headers), body
            )
        except Dropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        if faults.trickle and faulty:
            return httpx.Response(
                reply.status,
                headers=reply.headers,
                content=_trickle(reply.body, faults.trickle),
                request=request,
            )
        return httpx.Response(
            reply.status, headers=reply.headers, content=reply.body, request=request
        )


async def _trickle(body: bytes, every: float) -> AsyncIterator[bytes]:
    for i in range(len(body)):
        await asyncio.sleep(every)
        yield body[i : i + 1]
