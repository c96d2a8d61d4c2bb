"""OAuth 1.0a signing: X's published worked example, and real verification by the sandbox."""

from __future__ import annotations

import httpx
import pytest

from likes_tui.api import errors
from likes_tui.api.client import XClient
from likes_tui.api.oauth1 import OAuth1Credentials, OAuth1Signer, oauth_params, signature
from likes_tui.core.signin import SANDBOX_BASE_URL, Backend, verify_oauth1
from likes_tui.sandbox import SandboxTransport, XSandbox
from tests.conftest import DEMO_OAUTH1, FAST_RETRY


def test_signature_matches_x_published_example() -> None:
    creds = OAuth1Credentials(
        "xvz1evFS4wEEPTGEFPHBog",
        "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
        "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    )
    params = [
        ("include_entities", "true"),
        ("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),
        *oauth_params(creds, "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", "1318622958"),
    ]
    sig = signature(
        "POST",
        "https://api.twitter.com/1.1/statuses/update.json",
        params,
        creds.api_key_secret,
        creds.access_token_secret,
    )
    assert sig == "hCtSmYh+iHYCEqBWrE7C7hYmtUk="


def test_signer_puts_an_oauth_header_with_the_signature() -> None:
    request = httpx.Request("GET", "https://api.x.com/2/users/me?user.fields=id")
    OAuth1Signer(DEMO_OAUTH1, clock=lambda: 1318622958).sign(request)
    header = request.headers["Authorization"]
    assert header.startswith("OAuth ") and 'oauth_timestamp="1318622958"' in header
    assert "oauth_signature=" in header
    assert DEMO_OAUTH1.access_token_secret not in header
    assert DEMO_OAUTH1.api_key_secret not in header


def test_user_id_comes_from_the_access_token_prefix() -> None:
    assert DEMO_OAUTH1.user_id == "1590000000000000001"
    assert OAuth1Credentials("k", "s", "no-digits-here", "t").user_id is None


def test_secrets_are_not_in_repr() -> None:
    text = repr(DEMO_OAUTH1)
    assert DEMO_OAUTH1.api_key_secret not in text
    assert DEMO_OAUTH1.access_token not in text
    assert DEMO_OAUTH1.access_token_secret not in text


def _client(sandbox: XSandbox, creds: OAuth1Credentials, clock=None) -> XClient:
    signer = OAuth1Signer(creds, clock=clock) if clock else OAuth1Signer(creds)
    return XClient(
        signer, base_url=SANDBOX_BASE_URL, transport=SandboxTransport(sandbox), retry=FAST_RETRY
    )


async def test_wrong_secret_is_rejected_with_advice() -> None:
    wrong = OAuth1Credentials(
        DEMO_OAUTH1.api_key,
        "not-the-secret",
        DEMO_OAUTH1.access_token,
        DEMO_OAUTH1.access_token_secret,
    )
    client = _client(XSandbox(), wrong)
    with pytest.raises(errors.AuthError) as info:
        await client.me()
    assert info.value.status == 401
    assert "four values" in info.value.message
    assert "not-the-secret" not in str(info.value) and "not-the-secret" not in repr(info.value)
    await client.aclose()


async def test_clock_skew_is_a_401_that_mentions_the_clock() -> None:
    import time

    client = _client(XSandbox(), DEMO_OAUTH1, clock=lambda: time.time() - 3600)
    with pytest.raises(errors.AuthError) as info:
        await client.me()
    assert "clock" in info.value.message
    await client.aclose()


async def test_a_replayed_nonce_is_rejected() -> None:
    sandbox = XSandbox()
    request = httpx.Request("GET", f"{SANDBOX_BASE_URL}/2/users/me")
    OAuth1Signer(DEMO_OAUTH1).sign(request)
    async with httpx.AsyncClient(transport=SandboxTransport(sandbox)) as http:
        first = await http.send(request)
        second = await http.send(request)
    assert (first.status_code, second.status_code) == (200, 401)


async def test_signature_for_one_url_does_not_verify_against_another(server) -> None:
    request = httpx.Request("GET", "https://api.x.com/2/users/me")
    OAuth1Signer(DEMO_OAUTH1).sign(request)
    headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
    async with httpx.AsyncClient() as http:
        moved = await http.get(f"{server.base_url}/2/users/me", headers=headers)
    assert moved.status_code == 401


async def test_a_client_routed_here_under_x_s_name_is_checked_against_the_url_it_signed(
    server,
) -> None:
    """X's sample code and tweepy sign https://api.twitter.com/…; routed to the sandbox with
    that Host, the signature is checked against what they signed, https included."""
    for host in ("api.twitter.com", "api.x.com"):
        request = httpx.Request("GET", f"https://{host}/2/users/me")
        OAuth1Signer(DEMO_OAUTH1).sign(request)
        async with httpx.AsyncClient() as http:
            routed = await http.get(f"{server.base_url}/2/users/me", headers=request.headers)
        assert routed.status_code == 200, host


async def test_oauth1_signed_post_over_loopback_likes(sandbox: XSandbox, server) -> None:
    client = XClient(OAuth1Signer(DEMO_OAUTH1), base_url=server.base_url, retry=FAST_RETRY)
    result = await client.like("1228393702244134912")
    assert result.liked and "1228393702244134912" in sandbox.liked_by()
    await client.aclose()


async def test_verify_cross_checks_the_token_owner() -> None:
    backend = Backend.in_process_sandbox()
    user = await verify_oauth1(DEMO_OAUTH1, backend)
    assert user.username == "likes_tui_demo"
    sandbox = backend.sandbox
    assert isinstance(sandbox, XSandbox)
    other = OAuth1Credentials(DEMO_OAUTH1.api_key, DEMO_OAUTH1.api_key_secret, "42-abc", "s42")
    sandbox.oauth1_tokens["42-abc"] = ("s42", sandbox.demo_user_id)
    with pytest.raises(errors.AuthError) as info:
        await verify_oauth1(other, backend)
    assert "belongs to user 42" in info.value.message
