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

        sandbox = XSandbox(clock=clock, **sandbox_kw)
        return cls(SANDBOX_BASE_URL, SandboxTransport(sandbox), sandbox, clock)

    @property
    def endpoints(self) -> OAuth2Endpoints:
        return OAuth2Endpoints.for_base(self.base_url)

    def http(self) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(transport=self.transport, timeout=15.0)
