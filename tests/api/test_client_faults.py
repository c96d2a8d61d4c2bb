"""The client under a hostile network: trickling bodies, broken encodings, absurd JSON. Every
such answer ends as an XError within the request's deadline, never a hang or a crash."""

from __future__ import annotations

import time

import httpx
import pytest

from likes_tui.api import errors
from likes_tui.api.client import RetryPolicy, XClient
from likes_tui.api.oauth1 import OAuth1Signer
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import SEED_POST_ID
from tests.conftest import DEMO_OAUTH1, make_client

ONE_TRY = RetryPolicy(attempts=1)


@pytest.mark.parametrize("where", ["in-process", "loopback"])
async def test_a_trickling_answer_is_cut_off_at_the_deadline(
    sandbox: XSandbox, server, where: str
) -> None:
    """A byte every 0.2 s keeps httpx's per-read timeout happy forever; the deadline does not."""
    sandbox.faults.trickle = 0.2
    base = server.base_url if where == "loopback" else None
    client = make_client(sandbox, base_url=base, retry=ONE_TRY, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(errors.RequestTimeout) as info:
        await client.like(SEED_POST_ID)
    assert time.monotonic() - started < 3
    assert "1 seconds" in info.value.message
    await client.aclose()


async def test_a_broken_gzip_body_is_retried_not_a_crash(sandbox: XSandbox, server) -> None:
    sandbox.faults.bad_gzip_next = 1
    client = make_client(sandbox, base_url=server.base_url)
    result = await client.like(SEED_POST_ID)
    assert result.liked and sandbox.liked_by() == {SEED_POST_ID}
    sandbox.faults.bad_gzip_next = 10
    with pytest.raises(errors.ServerError) as info:
        await make_client(sandbox, base_url=server.base_url, retry=ONE_TRY).unlike(SEED_POST_ID)
    assert "could not be read" in info.value.message
    await client.aclose()


async def test_deeply_nested_json_is_an_unexpected_response() -> None:
    def nested(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"[" * 200_000 + b"]" * 200_000)

    client = XClient(
        OAuth1Signer(DEMO_OAUTH1),
        base_url="https://api.x.com",
        transport=httpx.MockTransport(nested),
        retry=ONE_TRY,
        user_id="1",
    )
    with pytest.raises(errors.UnexpectedResponse):
        await client.like(SEED_POST_ID)
    await client.aclose()


async def test_fault_knobs_touch_only_the_endpoints_chosen(sandbox: XSandbox) -> None:
    sandbox.faults.error_rate = 1.0
    sandbox.faults.fault_on = "likes"
    client = make_client(sandbox, retry=ONE_TRY)
    lookup = await client.get_posts([SEED_POST_ID])
    assert SEED_POST_ID in lookup.posts
    with pytest.raises(errors.ServerError):
        await client.like(SEED_POST_ID)
    sandbox.faults.fault_on = "lookup"
    assert (await client.like(SEED_POST_ID)).liked
    lookup = await client.get_posts([SEED_POST_ID])
    assert isinstance(lookup.errors[SEED_POST_ID], errors.ServerError)
    await client.aclose()
