"""The sandbox's several accounts: each signs in with its own credentials, and the authorize
step can be told which account approves."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.demo import ACCOUNTS, DEMO_CLIENT_ID

BASE = "https://api.x.com"
VERIFIER = "a" * 50
REDIRECT = "http://127.0.0.1:8765/callback"


def sign_in(box: XSandbox, **extra: str) -> dict[str, str]:
    """The whole OAuth 2.0 PKCE dance against the sandbox; the token response."""
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
    )
    query = {
        "response_type": "code",
        "client_id": DEMO_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "tweet.read users.read like.read like.write offline.access",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    reply = box.handle("GET", f"{BASE}/i/oauth2/authorize?{urlencode(query)}", {}, b"")
    code = parse_qs(urlsplit(reply.headers["location"]).query)["code"][0]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
        "client_id": DEMO_CLIENT_ID,
    }
    token = box.handle(
        "POST",
        f"{BASE}/2/oauth2/token",
        {"content-type": "application/x-www-form-urlencoded"},
        urlencode(form).encode(),
    )
    return json.loads(token.body)


def me(box: XSandbox, bearer: str) -> str:
    reply = box.handle("GET", f"{BASE}/2/users/me", {"authorization": f"Bearer {bearer}"}, b"")
    return json.loads(reply.body)["data"]["username"]


def test_sign_ins_approve_as_the_chosen_account() -> None:
    box = XSandbox()
    assert me(box, sign_in(box)["access_token"]) == "likes_tui_demo"
    box.approver = "likes_tui_bob"
    assert me(box, sign_in(box)["access_token"]) == "likes_tui_bob"
    picked = sign_in(box, sandbox_user="likes_tui_alice")
    assert me(box, picked["access_token"]) == "likes_tui_alice"


@pytest.mark.parametrize("account", ACCOUNTS, ids=[a.username for a in ACCOUNTS])
def test_each_account_has_its_own_tokens(account) -> None:  # type: ignore[no-untyped-def]
    box = XSandbox()
    assert me(box, account.bearer) == account.username
    assert box.oauth1_tokens[account.access_token] == (
        account.access_token_secret,
        account.user_id,
    )


def test_liking_as_the_wrong_user_is_refused() -> None:
    box = XSandbox()
    alice, bob = ACCOUNTS[1], ACCOUNTS[2]
    reply = box.handle(
        "POST",
        f"{BASE}/2/users/{bob.user_id}/likes",
        {"authorization": f"Bearer {alice.bearer}", "content-type": "application/json"},
        b'{"tweet_id": "1228393702244134912"}',
    )
    assert reply.status == 403
    assert not box.liked_by(bob.user_id) and not box.liked_by(alice.user_id)
