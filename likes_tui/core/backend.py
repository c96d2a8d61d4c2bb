"""Where X is: the real API, a loopback emulator, or the in-process sandbox.

Kept free of module-level httpx imports so that building one costs nothing at start-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from likes_tui.api.client_defaults import DEFAULT_BASE_URL
from likes_tui.api.oauth2 import OAuth2Endpoints

if TYPE_CHECKING:
    import ssl

    import httpx

SANDBOX_BASE_URL = "https://sandbox.likes-tui.invalid"


@dataclass
class Backend:
    base_url: str = DEFAULT_BASE_URL
    transport: httpx.AsyncBaseTransport | None = None
    sandbox: object | None = None
    clock: Callable[[], float] = field(default=time.time)

    @classmethod
    def in_process_sandbox(
        cls, clock: Callable[[], float] = time.time, **sandbox_kw: object
    ) -> Backend:
        from likes_tui.sandbox import SandboxTransport, XSandbox
        from likes_tui.sandbox.contract import contract

        contract()  # X's definition, read here rather than by the first request (5 ms)
        sandbox = XSandbox(clock=clock, **sandbox_kw)
        return cls(SANDBOX_BASE_URL, SandboxTransport(sandbox), sandbox, clock)

    @property
    def endpoints(self) -> OAuth2Endpoints:
        return OAuth2Endpoints.for_base(self.base_url)

    @property
    def tls(self) -> ssl.SSLContext | bool:
        """One TLS context for every client of the real X (httpx would build one per client,
        reading certifi's bundle each time: 20 ms), begun at launch (api/tls.py); True where
        a transport is given."""
        if self.transport is not None:
            return True
        from likes_tui.api import tls

        return tls.context()

    def warm(self) -> None:
        """Off the event loop, before the first request: the TLS context, and what httpx
        imports only when it first connects (httpcore's anyio backend, IDNA). On the loop,
        a returning user's first lookup waited 40 ms for the client and 30 ms more for its
        first request."""
        if self.transport is not None:
            return
        import contextlib
        import importlib

        self.tls  # noqa: B018
        for name in ("httpcore._backends.anyio", "anyio._backends._asyncio", "encodings.idna"):
            with contextlib.suppress(ImportError):  # another httpx or anyio: only a warm-up
                importlib.import_module(name)

    def http(self) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(transport=self.transport, timeout=15.0, verify=self.tls)
