"""Run by test_backend: a Backend for X over loopback, warmed (or not, with --cold), then two
clients each make a request on the event loop. Prints what that loop had to import and how
many times a CA bundle was read."""

from __future__ import annotations

import asyncio
import json
import ssl
import sys

from likes_tui.api.client import XClient
from likes_tui.api.oauth2 import OAuth2Signer
from likes_tui.api.tokens import OAuth2Token
from likes_tui.core.backend import Backend
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.demo import DEMO_BEARER, DEMO_CLIENT_ID
from likes_tui.sandbox.server import serving

reads: list[object] = []
_load = ssl.SSLContext.load_verify_locations


def _counted(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
    reads.append(args)
    _load(self, *args, **kwargs)  # type: ignore[arg-type]


ssl.SSLContext.load_verify_locations = _counted  # type: ignore[method-assign]


async def requests(backend: Backend) -> dict[str, object]:
    before, read = set(sys.modules), len(reads)
    signer = OAuth2Signer(DEMO_CLIENT_ID, None, OAuth2Token(DEMO_BEARER), backend.endpoints)
    for _ in range(2):
        async with XClient(signer, base_url=backend.base_url, verify=backend.tls) as client:
            await client.me()
    return {"imported": sorted(set(sys.modules) - before), "ca_reads": len(reads) - read}


def main() -> None:
    with serving(XSandbox()) as server:
        backend = Backend(server.base_url)
        if "--cold" not in sys.argv:
            backend.warm()
        print(json.dumps(asyncio.run(requests(backend))))


if __name__ == "__main__":
    main()
