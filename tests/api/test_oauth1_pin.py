"""Three-legged OAuth 1.0a with a PIN, against the sandbox in-process and over loopback HTTP:
the flow X's sample code uses, its refusals, and that the request token and the PIN stay out
of logs and errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from likes_tui.api import oauth1_pin
from likes_tui.api.client import XClient
from likes_tui.api.errors import AuthError, PinRefused
from likes_tui.api.oauth1 import OAuth1Signer
from likes_tui.core.backend import SANDBOX_BASE_URL, Backend
from likes_tui.core.signin import OAuth1PinSignIn
from likes_tui.sandbox import DEMO_API_KEY, DEMO_API_KEY_SECRET, SandboxTransport, XSandbox
from likes_tui.sandbox.pin import REQUEST_TOKEN_TTL
from likes_tui.sandbox.seed import SEED_POST_ID
from likes_tui.sandbox.server import SandboxServer
from tests.core.test_costs import Clock

START = 1_780_000_000.0


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def sandbox(clock: Clock) -> XSandbox:
    return XSandbox(seed_random=1, clock=clock)


@pytest.fixture
def lines() -> list[str]:
    return []


@pytest.fixture(params=["in-process", "loopback"])
def backend(
    request: pytest.FixtureRequest, sandbox: XSandbox, clock: Clock, lines: list[str]
) -> Iterator[Backend]:
    if request.param == "in-process":
        yield Backend(SANDBOX_BASE_URL, SandboxTransport(sandbox), sandbox, clock)
        return
    server = SandboxServer(sandbox, log=lines.append).start()
    try:
        yield Backend(server.base_url, sandbox=sandbox, clock=clock)
    finally:
        server.stop()


def sign_in(backend: Backend) -> OAuth1PinSignIn:
    return OAuth1PinSignIn(DEMO_API_KEY, DEMO_API_KEY_SECRET, backend)


async def test_a_pin_signs_in_and_the_new_keys_like(backend: Backend, sandbox: XSandbox) -> None:
    flow = sign_in(backend)
    url = await flow.start()
    assert "/oauth/authorize?oauth_token=" in url
    pin = await flow.approve_in_sandbox()
    assert len(pin) == 7 and pin.isdigit()
    profile = await flow.finish(pin)
    assert (profile.username, profile.user_id) == ("likes_tui_demo", sandbox.demo_user_id)
    assert profile.creds.access_token.startswith(f"{sandbox.demo_user_id}-")
    async with XClient(
        OAuth1Signer(profile.creds, clock=backend.clock),
        base_url=backend.base_url,
        transport=backend.transport,
    ) as client:
        await client.like(SEED_POST_ID)
    assert SEED_POST_ID in sandbox.liked_by()


async def test_another_account_signs_in_with_the_app_s_keys(
    backend: Backend, sandbox: XSandbox
) -> None:
    """What the portal's Access Token cannot do: an account that does not own the App."""
    flow = sign_in(backend)
    await flow.start()
    profile = await flow.finish(await flow.approve_in_sandbox("likes_tui_alice"))
    assert profile.username == "likes_tui_alice" and profile.user_id == "1590000000000000002"


async def test_a_wrong_pin_can_be_typed_again_and_a_used_one_cannot(backend: Backend) -> None:
    flow = sign_in(backend)
    await flow.start()
    pin = await flow.approve_in_sandbox()
    wrong = f"{(int(pin) + 1) % 10**7:07d}"
    with pytest.raises(PinRefused) as info:
        await flow.finish(wrong)
    assert not info.value.expired and "type them again" in info.value.message
    assert pin not in info.value.message and wrong not in repr(info.value)
    with pytest.raises(PinRefused, match="7 digits"):
        await flow.finish("12 34")  # not sent to X at all
    request = flow.request
    assert request is not None and request.token not in repr(request)
    await flow.finish(f" {pin[:3]} {pin[3:]} ")  # spaces forgiven
    flow.request = request  # the same request token again: used
    with pytest.raises(PinRefused) as info:
        await flow.finish(pin)
    assert info.value.expired and "Get a new PIN" in info.value.message


async def test_a_request_token_expires(backend: Backend, clock: Clock) -> None:
    flow = sign_in(backend)
    await flow.start()
    pin = await flow.approve_in_sandbox()
    clock.now += REQUEST_TOKEN_TTL + 1
    with pytest.raises(PinRefused) as info:
        await flow.finish(pin)
    assert info.value.expired
    async with backend.http() as http:
        page = await http.get(flow.url or "")
    assert page.status_code == 403 and "invalid" in page.text  # the authorize page says so


async def test_wrong_api_keys_are_refused_at_the_first_step(backend: Backend) -> None:
    flow = OAuth1PinSignIn(DEMO_API_KEY, "not-the-secret", backend)
    with pytest.raises(AuthError, match="API Key and Secret"):
        await flow.start()


async def test_the_sandbox_refuses_what_x_refuses(backend: Backend, sandbox: XSandbox) -> None:
    base = backend.base_url
    async with backend.http() as http:
        request = await oauth1_pin.request_token(
            http, base, DEMO_API_KEY, DEMO_API_KEY_SECRET, clock=backend.clock
        )
        forged = oauth1_pin.RequestToken(request.token, "wrong", request.authorize_url)
        # not approved yet: no verifier can be right; signed with the wrong token secret
        for token in (request, forged):
            with pytest.raises(PinRefused):
                await oauth1_pin.access_token(
                    http,
                    base,
                    DEMO_API_KEY,
                    DEMO_API_KEY_SECRET,
                    token,
                    "1234567",
                    clock=backend.clock,
                )
        # unsigned
        bare = await http.post(f"{base}/oauth/request_token")
        assert bare.status_code == 401 and bare.json()["errors"][0]["code"] == 32
    assert not sandbox.violations


async def test_a_callback_url_gets_the_token_and_verifier(backend: Backend) -> None:
    async with backend.http() as http:
        request = await oauth1_pin.request_token(
            http,
            backend.base_url,
            DEMO_API_KEY,
            DEMO_API_KEY_SECRET,
            callback="http://127.0.0.1:9/done",
            clock=backend.clock,
        )
        page = await http.get(request.authorize_url)
        assert page.status_code == 302
        location = httpx.URL(page.headers["location"])
        assert location.host == "127.0.0.1" and location.path == "/done"
        assert location.params["oauth_token"] == request.token
        verifier = location.params["oauth_verifier"]
        assert verifier
        # the long verifier of a callback is not a PIN: sent as X's sample code sends it
        from likes_tui.api.oauth1 import authorization

        url = f"{backend.base_url}/oauth/access_token"
        auth = authorization(
            "POST",
            url,
            [],
            DEMO_API_KEY,
            DEMO_API_KEY_SECRET,
            token=request.token,
            token_secret=request.secret,
            extra=[("oauth_verifier", verifier)],
            clock=backend.clock,
        )
        answer = await http.post(url, headers={"Authorization": auth})
    assert answer.status_code == 200
    form = dict(httpx.QueryParams(answer.text))
    assert set(form) == {"oauth_token", "oauth_token_secret", "user_id", "screen_name"}


async def test_the_request_token_and_pin_are_in_no_log_line(
    backend: Backend, lines: list[str]
) -> None:
    flow = sign_in(backend)
    await flow.start()
    assert flow.request is not None
    token = flow.request.token
    pin = await flow.approve_in_sandbox()
    with pytest.raises(PinRefused):
        await flow.finish("0000000" if pin != "0000000" else "1111111")
    await flow.finish(pin)
    for line in lines:
        assert token not in line and pin not in line, line
