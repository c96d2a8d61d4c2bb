"""In-process transport: httpx talks to the sandbox without a socket (fast --demo, fast tests)."""

from __future__ import annotations

import asyncio

import httpx

from .core import Dropped, XSandbox


class SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, sandbox: XSandbox) -> None:
        self.sandbox = sandbox

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        if self.sandbox.faults.latency:
            await asyncio.sleep(self.sandbox.faults.latency)
        try:
            reply = self.sandbox.handle(
                request.method, str(request.url), dict(request.headers), body
            )
        except Dropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        return httpx.Response(
            reply.status, headers=reply.headers, content=reply.body, request=request
        )
