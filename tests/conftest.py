from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from likes_tui.api.client import RetryPolicy, XClient
from likes_tui.api.oauth1 import OAuth1Credentials, OAuth1Signer
from likes_tui.api.oauth2 import OAuth2Endpoints, OAuth2Session, OAuth2Token
from likes_tui.sandbox import (
    DEMO_ACCESS_TOKEN,
    DEMO_ACCESS_TOKEN_SECRET,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
    DEMO_BEARER,
    DEMO_CLIENT_ID,
    SandboxTransport,
    XSandbox,
    serving,
)
from likes_tui.sandbox.server import SandboxServer
from likes_tui.session import SANDBOX_BASE_URL

DEMO_OAUTH1 = OAuth1Credentials(
    DEMO_API_KEY, DEMO_API_KEY_SECRET, DEMO_ACCESS_TOKEN, DEMO_ACCESS_TOKEN_SECRET
)
FAST_RETRY = RetryPolicy(attempts=4, base=0.001, cap=0.01)


async def no_sleep(_: float) -> None:
    return None


@pytest.fixture
def sandbox() -> XSandbox:
    return XSandbox(seed_random=1)


@pytest.fixture
def server(sandbox: XSandbox) -> Iterator[SandboxServer]:
    with serving(sandbox) as srv:
        yield srv


def make_client(
    sandbox: XSandbox,
    auth: str = "oauth2",
    base_url: str | None = None,
    **kw: object,
) -> XClient:
    """A client for the demo user, in-process unless `base_url` (a loopback server) is given."""
    transport = None if base_url else SandboxTransport(sandbox)
    base = base_url or SANDBOX_BASE_URL
    if auth == "oauth1":
        signer: object = OAuth1Signer(DEMO_OAUTH1)
    else:
        signer = OAuth2Session(
            DEMO_CLIENT_ID, None, OAuth2Token(DEMO_BEARER), OAuth2Endpoints.for_base(base)
        )
    kw.setdefault("retry", FAST_RETRY)
    return XClient(signer, base_url=base, transport=transport, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=["in-process", "loopback"])
async def any_client(request: pytest.FixtureRequest, sandbox: XSandbox) -> AsyncIterator[XClient]:
    """The same tests run against the sandbox in-process and over real loopback HTTP."""
    if request.param == "loopback":
        with serving(sandbox) as srv:
            client = make_client(sandbox, base_url=srv.base_url)
            yield client
            await client.aclose()
    else:
        client = make_client(sandbox)
        yield client
        await client.aclose()
