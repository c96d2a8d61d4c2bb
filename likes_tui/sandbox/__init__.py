"""An X API v2 emulator used by `likes-tui --demo`, `likes-tui sandbox` and the tests."""

from .core import (
    DEMO_ACCESS_TOKEN,
    DEMO_ACCESS_TOKEN_SECRET,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
    DEMO_BEARER,
    DEMO_CLIENT_ID,
    DEMO_CONFIDENTIAL_ID,
    DEMO_CONFIDENTIAL_SECRET,
    DEMO_REFRESH,
    Faults,
    XSandbox,
)
from .server import SandboxServer, serving
from .transport import SandboxTransport

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
