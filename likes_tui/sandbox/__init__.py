"""An X API v2 emulator used by `likes-tui --demo`, `likes-tui sandbox` and the tests.

Every name loads on first use, so `--demo` reads its credentials (sandbox.demo) before the
first paint without loading the emulator or its transports (which need httpx or a server).
"""

from __future__ import annotations

from typing import Any

from likes_tui.sandbox.demo import (
    DEMO_ACCESS_TOKEN,
    DEMO_ACCESS_TOKEN_SECRET,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
    DEMO_BEARER,
    DEMO_CLIENT_ID,
    DEMO_CONFIDENTIAL_ID,
    DEMO_CONFIDENTIAL_SECRET,
    DEMO_REFRESH,
)

_LAZY = {
    "Faults": "core",
    "XSandbox": "core",
    "SandboxServer": "server",
    "serving": "server",
    "SandboxTransport": "transport",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)


__all__ = [
    "DEMO_ACCESS_TOKEN",
    "DEMO_ACCESS_TOKEN_SECRET",
    "DEMO_API_KEY",
    "DEMO_API_KEY_SECRET",
    "DEMO_BEARER",
    "DEMO_CLIENT_ID",
    "DEMO_CONFIDENTIAL_ID",
    "DEMO_CONFIDENTIAL_SECRET",
    "DEMO_REFRESH",
    "Faults",
    "SandboxServer",
    "SandboxTransport",
    "XSandbox",
    "serving",
]
