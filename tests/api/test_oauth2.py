"""OAuth 2.0 PKCE sign-in, refresh with rotation, revoke, and the loopback listener."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from likes_tui.api import errors, oauth2
from likes_tui.api.callback import LoopbackListener
from likes_tui.api.oauth2 import OAuth2Token
from likes_tui.core.signin import Backend, OAuth2SignIn, client_for, sign_out
from likes_tui.sandbox import (
    DEMO_CLIENT_ID,
    DEMO_CONFIDENTIAL_ID,
    DEMO_CONFIDENTIAL_SECRET,
    XSandbox,
)
from likes_tui.sandbox.seed import SEED_POST_ID
from likes_tui.store.credentials import CredentialStore, OAuth2Profile
from likes_tui.store.files import Locations
from tests.conftest import FAST_RETRY, in_process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_authorize_url_has_pkce_s256_state_and_scopes() -> None:
    endpoints = oauth2.OAuth2Endpoints.for_base("https://api.x.com")
    req = oauth2.begin("cid", "http://127.0.0.1:8765/callback", endpoints)
    parts = urlsplit(req.url)
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://x.com/i/oauth2/authorize"
    assert q["code_challenge_method"] == "S256" and q["response_type"] == "code"
    assert q["scope"] == "tweet.read users.read like.read like.write offline.access"
    assert q["state"] == req.state and len(req.state) >= 32
    assert req.code_verifier not in req.url
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    assert q["code_challenge"] == create_s256_code_challenge(req.code_verifier)
    assert oauth2.begin("cid", "http://x", endpoints).state != req.state


async def test_browser_sign_in_over_loopback_end_to_end(server) -> None:
    backend = Backend(server.base_url)
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    flow = OAuth2SignIn(DEMO_CLIENT_ID, None, redirect, backend)
    await flow.listen()
    async with httpx.AsyncClient(follow_redirects=True) as browser:
        page, code = await asyncio.gather(browser.get(flow.url), flow.wait_for_browser(5))
    assert page.status_code == 200 and "close this tab" in page.text
    profile = await flow.finish(code)
    assert profile.username == "likes_tui_demo" and profile.user_id
    assert profile.token.refresh_token and profile.token.expires_at
    assert "like.write" in profile.token.scope
    async with client_for(profile, None, backend) as client:
        assert (await client.like(SEED_POST_ID)).liked


async def test_confidential_client_uses_basic_auth(server) -> None:
    backend = Backend(server.base_url)
    flow = OAuth2SignIn(
        DEMO_CONFIDENTIAL_ID, DEMO_CONFIDENTIAL_SECRET, "http://127.0.0.1:1/cb", backend
    )
    async with httpx.AsyncClient() as browser:
        location = (await browser.get(flow.url)).headers["location"]
    profile = await flow.finish(flow.code_from_pasted(location))
    assert profile.client_secret == DEMO_CONFIDENTIAL_SECRET
    wrong = OAuth2SignIn(DEMO_CONFIDENTIAL_ID, "wrong", "http://127.0.0.1:1/cb", backend)
    async with httpx.AsyncClient() as browser:
        location = (await browser.get(wrong.url)).headers["location"]
    with pytest.raises(errors.SignInRequired):
        await wrong.finish(wrong.code_from_pasted(location))


async def test_pasted_redirect_url_with_wrong_state_is_refused() -> None:
    flow = OAuth2SignIn(DEMO_CLIENT_ID, None, "", Backend.in_process_sandbox())
    with pytest.raises(oauth2.AuthorizationFailed) as info:
        flow.code_from_pasted("http://127.0.0.1:8765/callback?state=evil&code=abc")
    assert "state" in info.value.message
    with pytest.raises(oauth2.AuthorizationFailed):
        flow.code_from_pasted(f"http://127.0.0.1:8765/callback?state={flow.request.state}")
    with pytest.raises(oauth2.AuthorizationFailed) as forged:
        flow.code_from_pasted("http://127.0.0.1:8765/callback?error=access_denied&state=x")
    assert "state mismatch" in forged.value.message
    with pytest.raises(oauth2.AuthorizationFailed) as denied:
        flow.code_from_pasted(
            f"http://127.0.0.1:8765/callback?error=access_denied&state={flow.request.state}"
        )
    assert "access_denied" in denied.value.message
    with pytest.raises(oauth2.AuthorizationFailed) as junk:
        flow.code_from_pasted("hello")
    assert "whole address" in junk.value.message


async def test_code_verifier_is_checked() -> None:
    backend = Backend.in_process_sandbox()
    flow = OAuth2SignIn(DEMO_CLIENT_ID, None, "", backend)
    code = await flow.approve_in_sandbox()
    flow.request = replace(flow.request, code_verifier="x" * 64)
    with pytest.raises(errors.SignInRequired):
        await flow.finish(code)


async def test_listener_accepts_only_the_expected_state_once_then_closes() -> None:
    port = free_port()
    listener = await LoopbackListener(f"http://127.0.0.1:{port}/callback", "good").start()
    async with httpx.AsyncClient() as http:
        bad = await http.get(f"http://127.0.0.1:{port}/callback?state=bad&code=c1")
        other = await http.get(f"http://127.0.0.1:{port}/favicon.ico")
        good = await http.get(f"http://127.0.0.1:{port}/callback?state=good&code=c2")
        assert (bad.status_code, other.status_code, good.status_code) == (400, 404, 200)
        assert await listener.wait(1) == "c2"
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{port}/callback?state=good&code=c3")


async def test_listener_ignores_an_error_without_the_sign_ins_state_and_escapes_it() -> None:
    """Any web page can make the browser request the loopback address: without this sign-in's
    state the request neither ends the wait nor puts its text into the page unescaped."""
    port = free_port()
    listener = await LoopbackListener(f"http://127.0.0.1:{port}/callback", "good").start()
    script = "<script>alert(1)</script>"
    async with httpx.AsyncClient() as http:
        for query in (
            {"error": script},
            {"error": script, "state": "bad"},
            {"state": script, "code": script},
        ):
            page = await http.get(f"http://127.0.0.1:{port}/callback", params=query)
            assert page.status_code == 400
            assert "<script>" not in page.text
        denied = await http.get(
            f"http://127.0.0.1:{port}/callback", params={"error": script, "state": "good"}
        )
        assert denied.status_code == 400
        assert "<script>" not in denied.text and "&lt;script&gt;" in denied.text
    with pytest.raises(oauth2.AuthorizationFailed) as info:
        await listener.wait(1)
    assert "did not authorize" in info.value.message


async def test_a_forged_error_leaves_the_sign_in_waiting_for_the_real_answer() -> None:
    port = free_port()
    listener = await LoopbackListener(f"http://127.0.0.1:{port}/callback", "good").start()
    async with httpx.AsyncClient() as http:
        await http.get(f"http://127.0.0.1:{port}/callback?error=access_denied")
        await http.get(f"http://127.0.0.1:{port}/callback?error=access_denied&state=evil")
        good = await http.get(f"http://127.0.0.1:{port}/callback?state=good&code=real")
        assert good.status_code == 200
    assert await listener.wait(1) == "real"


async def test_listener_binds_loopback_only() -> None:
    port = free_port()
    listener = await LoopbackListener(f"http://127.0.0.1:{port}/callback", "s").start()
    addresses = {sock.getsockname()[0] for sock in listener._server.sockets}  # type: ignore[union-attr]
    assert addresses == {"127.0.0.1"}
    await listener.close()


async def test_listener_times_out_with_advice() -> None:
    listener = await LoopbackListener(f"http://127.0.0.1:{free_port()}/cb", "s").start()
    with pytest.raises(oauth2.AuthorizationFailed) as info:
        await listener.wait(0.05)
    assert "paste" in info.value.message


def test_listener_refuses_non_loopback_redirects() -> None:
    with pytest.raises(oauth2.AuthorizationFailed):
        LoopbackListener("https://example.com/callback", "s")


def _stored_profile(tmp_path: Path, backend: Backend, sandbox: XSandbox, expires_in: int):
    store = CredentialStore(Locations(tmp_path).ensure())
    issued = sandbox.issue_token(expires_in=expires_in)
    token = OAuth2Token.from_response(issued, backend.clock())
    profile = OAuth2Profile("demo", DEMO_CLIENT_ID, None, "", token, sandbox.demo_user_id, "d")
    store.save(profile)
    return store, profile, issued


async def test_expiring_token_is_refreshed_first_and_rotation_persisted(tmp_path: Path) -> None:
    backend, sandbox = in_process()
    store, profile, issued = _stored_profile(tmp_path, backend, sandbox, expires_in=60)
    async with client_for(profile, store, backend) as client:
        assert (await client.like(SEED_POST_ID)).liked
    saved = store.load("demo")
    assert isinstance(saved, OAuth2Profile)
    assert saved.token.refresh_token != issued["refresh_token"]
    assert saved.token.access_token != issued["access_token"]
    assert issued["refresh_token"] not in sandbox.refresh_tokens  # the old one is dead


async def test_401_refreshes_exactly_once(tmp_path: Path) -> None:
    backend, sandbox = in_process()
    store, profile, _ = _stored_profile(tmp_path, backend, sandbox, expires_in=7200)
    sandbox.expire_access_tokens()
    async with client_for(profile, store, backend) as client:
        assert (await client.like(SEED_POST_ID)).liked
        token_calls = [e for e in sandbox.log if e.path == "/2/oauth2/token"]
        assert len(token_calls) == 1
        like_calls = sandbox.requests_to("like")
        assert [e.status for e in like_calls] == [401, 200]


async def test_revoked_refresh_token_asks_to_sign_in_again(tmp_path: Path) -> None:
    backend, sandbox = in_process()
    store, profile, issued = _stored_profile(tmp_path, backend, sandbox, expires_in=7200)
    sandbox.refresh_tokens.clear()
    sandbox.expire_access_tokens()
    async with client_for(profile, store, backend) as client:
        with pytest.raises(errors.SignInRequired) as info:
            await client.like(SEED_POST_ID)
    assert "Sign in again" in info.value.message
    assert issued["refresh_token"] not in info.value.message


async def test_second_copy_of_the_app_reuses_a_fresh_token_instead_of_spending_refresh(
    tmp_path: Path,
) -> None:
    backend, sandbox = in_process()
    store, profile, _ = _stored_profile(tmp_path, backend, sandbox, expires_in=60)
    first = client_for(profile, store, backend)
    second = client_for(profile, store, backend)  # started from the same, stale file
    await first.like(SEED_POST_ID)
    await second.unlike(SEED_POST_ID)
    assert len([e for e in sandbox.log if e.path == "/2/oauth2/token"]) == 1
    await first.aclose()
    await second.aclose()


async def test_sign_out_revokes_both_tokens(tmp_path: Path) -> None:
    backend, sandbox = in_process()
    _, profile, issued = _stored_profile(tmp_path, backend, sandbox, expires_in=7200)
    assert await sign_out(profile, backend) is None
    assert issued["access_token"] not in sandbox.access_tokens
    assert issued["refresh_token"] not in sandbox.refresh_tokens


def test_token_repr_hides_secrets() -> None:
    token = OAuth2Token("secret-access", "secret-refresh", 1.0, "like.write")
    assert "secret" not in repr(token)


async def test_concurrent_401s_refresh_once_without_deadlock(tmp_path: Path) -> None:
    from likes_tui.sandbox.seed import GENERATED_BASE

    backend, sandbox = in_process(post_count=400)
    store, profile, _ = _stored_profile(tmp_path, backend, sandbox, expires_in=7200)
    sandbox.expire_access_tokens()
    async with client_for(profile, store, backend) as client:
        ids = [str(GENERATED_BASE + i) for i in range(400)]
        lookup = await asyncio.wait_for(client.get_posts(ids), 10)
    assert len(lookup.posts) == 400
    assert len([e for e in sandbox.log if e.path == "/2/oauth2/token"]) == 1


@pytest.mark.parametrize("after_x_answered", [False, True])
async def test_a_dropped_connection_during_a_refresh(
    tmp_path: Path, after_x_answered: bool
) -> None:
    """Dropped before X handled the refresh: it is sent again and the like goes out. Dropped
    after X rotated the refresh token, the new one never arrived and the old one is dead, as
    on X: nothing can renew the sign-in, and the error says to sign in again."""
    backend, sandbox = in_process()
    store, profile, issued = _stored_profile(tmp_path, backend, sandbox, expires_in=60)
    sandbox.faults.drop_next = 1
    sandbox.faults.drop_after_processing = after_x_answered
    async with client_for(profile, store, backend, retry=FAST_RETRY) as client:
        if after_x_answered:
            with pytest.raises(errors.SignInRequired, match="Sign in again"):
                await client.like(SEED_POST_ID)
        else:
            assert (await client.like(SEED_POST_ID)).liked
    assert issued["refresh_token"] not in sandbox.refresh_tokens
