"""Three-legged OAuth 1.0a with a PIN (`oauth_callback=oob`), as X's sample code signs in:
the only OAuth 1.0a way to sign in an account that does not own the App (the portal's Access
Token is the owner's), and it needs no browser on this machine.

The request token and the PIN are held in memory only, never in a repr, log or file; the
errors raised say what to do without quoting either."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from likes_tui.api.errors import AuthError, NetworkError, PinRefused, UnexpectedResponse
from likes_tui.api.oauth1 import authorization
from likes_tui.api.tokens import OAuth1Credentials

if TYPE_CHECKING:
    import httpx

PIN_DIGITS = 7


@dataclass(frozen=True)
class RequestToken:
    """Step one's answer: what the person approves, and what step three is signed with."""

    token: str = field(repr=False)
    secret: str = field(repr=False)
    authorize_url: str = field(repr=False)


@dataclass(frozen=True)
class PinSignIn:
    """Step three's answer: the person's own Access Token and Secret."""

    creds: OAuth1Credentials
    user_id: str
    screen_name: str


def clean_pin(text: str) -> str:
    """The digits of what the person typed (X shows the PIN as 7 digits; spaces are
    forgiven). Raises PinRefused for anything else, before X is asked."""
    pin = "".join(text.split())
    if not pin.isascii() or not pin.isdigit() or len(pin) != PIN_DIGITS:
        raise PinRefused(
            f"A PIN is the {PIN_DIGITS} digits X shows after you authorize the App; "
            "type them again."
        )
    return pin


async def request_token(
    http: httpx.AsyncClient,
    base_url: str,
    api_key: str,
    api_key_secret: str,
    *,
    callback: str = "oob",
    clock: Callable[[], float] = time.time,
) -> RequestToken:
    """Step one: POST /oauth/request_token, signed with the API Key and Secret alone."""
    url = f"{base_url}/oauth/request_token"
    auth = authorization(
        "POST", url, [], api_key, api_key_secret, extra=[("oauth_callback", callback)], clock=clock
    )
    response = await _post(http, url, auth)
    if response.status_code in (401, 403):
        raise AuthError(
            "X did not accept the API Key and Secret for a PIN sign-in "
            f"({response.status_code}). Copy both again from the App's Keys and tokens page, "
            "and check this computer's clock (OAuth 1.0a signatures carry the time)."
        )
    form = _form(response, "request_token")
    if form.get("oauth_callback_confirmed") != "true":
        raise UnexpectedResponse("X did not confirm the PIN sign-in (oauth_callback_confirmed).")
    token = form["oauth_token"]
    return RequestToken(
        token,
        form["oauth_token_secret"],
        f"{base_url}/oauth/authorize?{urlencode({'oauth_token': token})}",
    )


async def access_token(
    http: httpx.AsyncClient,
    base_url: str,
    api_key: str,
    api_key_secret: str,
    request: RequestToken,
    pin: str,
    *,
    clock: Callable[[], float] = time.time,
) -> PinSignIn:
    """Step three: POST /oauth/access_token with the PIN as `oauth_verifier`."""
    verifier = clean_pin(pin)
    url = f"{base_url}/oauth/access_token"
    auth = authorization(
        "POST",
        url,
        [],
        api_key,
        api_key_secret,
        token=request.token,
        token_secret=request.secret,
        extra=[("oauth_verifier", verifier)],
        clock=clock,
    )
    response = await _post(http, url, auth)
    if response.status_code == 401:
        text = response.text.lower()
        if "verifier" in text:
            raise PinRefused(
                "X did not accept that PIN. Check the 7 digits and type them again (the same "
                "authorization stays valid for a few minutes)."
            )
        raise PinRefused(
            "X no longer accepts this sign-in: its PIN was used or has expired. Get a new PIN "
            "and authorize again.",
            expired=True,
        )
    if response.status_code >= 400:
        raise AuthError(f"X refused the PIN sign-in ({response.status_code}). Try again.")
    form = _form(response, "access_token")
    creds = OAuth1Credentials(
        api_key, api_key_secret, form["oauth_token"], form["oauth_token_secret"]
    )
    return PinSignIn(creds, form.get("user_id", ""), form.get("screen_name", ""))


async def _post(http: httpx.AsyncClient, url: str, auth: str) -> httpx.Response:
    import httpx

    try:
        return await http.post(url, headers={"Authorization": auth})
    except httpx.HTTPError:
        raise NetworkError(
            "Could not reach X for the PIN sign-in; check the connection and try again."
        ) from None


def _form(response: httpx.Response, step: str) -> dict[str, str]:
    if response.status_code >= 400:
        raise UnexpectedResponse(
            f"X answered the PIN sign-in's {step} with {response.status_code}; try again later."
        )
    form = dict(parse_qsl(response.text.strip()))
    if "oauth_token" not in form or "oauth_token_secret" not in form:
        raise UnexpectedResponse(f"X's {step} answer had no token in it; try again later.")
    return form
