"""The PIN sign-in as third-party clients run it, unchanged, with X's hosts routed to the
sandbox over loopback (tests/x_routing.py): tweepy's OAuth1UserHandler, and requests-oauthlib
making the calls X's Manage-Likes sample makes (request token with no callback, the PIN, the
access token, then a like and an unlike signed with the new keys)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from likes_tui.sandbox import DEMO_API_KEY, DEMO_API_KEY_SECRET, XSandbox, serving
from likes_tui.sandbox.seed import SEED_POST_ID
from tests.x_routing import routed


@pytest.fixture
def sandbox() -> XSandbox:
    return XSandbox(seed_random=1)


@pytest.fixture
def x(sandbox: XSandbox) -> Iterator[None]:
    with serving(sandbox) as server, routed(server.base_url):
        yield


def approve(url: str, user: str = "") -> str:
    """What the person does in a browser: open the URL, read the 7-digit PIN."""
    page = requests.get(url + (f"&sandbox_user={user}" if user else ""), timeout=10)
    found = re.search(r'id="oauth_pin">(\d{7})<', page.text)
    assert page.status_code == 200 and found, page.text
    return found.group(1)


def test_tweepy_signs_in_with_a_pin_and_likes(x: None, sandbox: XSandbox) -> None:
    import tweepy

    handler = tweepy.OAuth1UserHandler(DEMO_API_KEY, DEMO_API_KEY_SECRET, callback="oob")
    url = handler.get_authorization_url()
    assert url.startswith("https://api.twitter.com/oauth/authorize?oauth_token=")
    token, secret = handler.get_access_token(approve(url, "likes_tui_bob"))
    client = tweepy.Client(
        consumer_key=DEMO_API_KEY,
        consumer_secret=DEMO_API_KEY_SECRET,
        access_token=token,
        access_token_secret=secret,
    )
    me = client.get_me(user_auth=True)
    assert me.data.username == "likes_tui_bob"
    assert client.like(SEED_POST_ID).data == {"liked": True}
    assert SEED_POST_ID in sandbox.liked_by(str(me.data.id))
    with pytest.raises(tweepy.TweepyException, match="401"):
        handler.get_access_token("0000000")  # the request token was used
    assert not sandbox.violations


def test_the_calls_x_s_sample_makes(x: None, sandbox: XSandbox) -> None:
    from requests_oauthlib import OAuth1Session

    oauth = OAuth1Session(DEMO_API_KEY, client_secret=DEMO_API_KEY_SECRET)  # no callback
    answer = oauth.fetch_request_token("https://api.twitter.com/oauth/request_token")
    assert answer["oauth_callback_confirmed"] == "true"
    url = oauth.authorization_url("https://api.twitter.com/oauth/authorize")
    oauth = OAuth1Session(
        DEMO_API_KEY,
        client_secret=DEMO_API_KEY_SECRET,
        resource_owner_key=answer["oauth_token"],
        resource_owner_secret=answer["oauth_token_secret"],
        verifier=approve(url),
    )
    tokens = oauth.fetch_access_token("https://api.twitter.com/oauth/access_token")
    assert tokens["screen_name"] == "likes_tui_demo"
    user = tokens["user_id"]
    oauth = OAuth1Session(
        DEMO_API_KEY,
        client_secret=DEMO_API_KEY_SECRET,
        resource_owner_key=tokens["oauth_token"],
        resource_owner_secret=tokens["oauth_token_secret"],
    )
    liked = oauth.post(
        f"https://api.twitter.com/2/users/{user}/likes", json={"tweet_id": SEED_POST_ID}
    )
    assert liked.status_code == 200 and liked.json() == {"data": {"liked": True}}
    unliked = oauth.delete(f"https://api.twitter.com/2/users/{user}/likes/{SEED_POST_ID}")
    assert unliked.status_code == 200 and unliked.json() == {"data": {"liked": False}}
    assert SEED_POST_ID not in sandbox.liked_by(user)


def test_a_wrong_pin_fails_as_the_sample_sees_it(x: None) -> None:
    from requests_oauthlib import OAuth1Session
    from requests_oauthlib.oauth1_session import TokenRequestDenied

    oauth = OAuth1Session(DEMO_API_KEY, client_secret=DEMO_API_KEY_SECRET, callback_uri="oob")
    answer = oauth.fetch_request_token("https://api.twitter.com/oauth/request_token")
    pin = approve(oauth.authorization_url("https://api.twitter.com/oauth/authorize"))
    oauth = OAuth1Session(
        DEMO_API_KEY,
        client_secret=DEMO_API_KEY_SECRET,
        resource_owner_key=answer["oauth_token"],
        resource_owner_secret=answer["oauth_token_secret"],
        verifier=f"{(int(pin) + 1) % 10**7:07d}",
    )
    with pytest.raises(TokenRequestDenied, match="Invalid oauth_verifier"):
        oauth.fetch_access_token("https://api.twitter.com/oauth/access_token")
