"""OAuth 2.0 Authorization Code with PKCE: authorize URL, code exchange, refresh, revoke.

The token endpoint calls are plain form POSTs sent with the caller's httpx client, so the same
code runs against X and against the sandbox (in-process or over loopback).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

if TYPE_CHECKING:
    import httpx

from .errors import AuthError, NetworkError, SignInRequired, UnexpectedResponse, XError
from .tokens import OAuth2Token

SCOPES = ("tweet.read", "users.read", "like.read", "like.write", "offline.access")
DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"


@dataclass(frozen=True)
class OAuth2Endpoints:
    authorize: str
    token: str
    revoke: str

    @classmethod
    def for_base(cls, base_url: str) -> OAuth2Endpoints:
        """X's authorize page lives on x.com; an emulator serves it beside the API."""
        base = base_url.rstrip("/")
        host = urlsplit(base).hostname or ""
        if host in ("api.x.com", "api.twitter.com"):
            authorize = "https://x.com/i/oauth2/authorize"
        else:
            authorize = f"{base}/i/oauth2/authorize"
        return cls(authorize, f"{base}/2/oauth2/token", f"{base}/2/oauth2/revoke")


@dataclass(frozen=True)
class PKCERequest:
    """One sign-in attempt: the URL to open and what must come back."""

    url: str
    state: str = field(repr=False)
    code_verifier: str = field(repr=False)
    redirect_uri: str


class AuthorizationFailed(XError):
    """The browser sign-in did not produce a usable code."""


def begin(client_id: str, redirect_uri: str, endpoints: OAuth2Endpoints) -> PKCERequest:
    from authlib.common.security import generate_token
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    verifier = generate_token(64)
    state = generate_token(32)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES),
            "state": state,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    return PKCERequest(f"{endpoints.authorize}?{query}", state, verifier, redirect_uri)


def code_from_redirect(url: str, expected_state: str) -> str:
    """The authorization code from the URL the browser was sent to, after checking state."""
    parts = urlsplit(url.strip())
    query = parse_qs(parts.query)
    if "error" in query:
        raise AuthorizationFailed(f"X did not authorize the app: {query['error'][0]}.")
    state = query.get("state", [""])[0]
    if state != expected_state:
        raise AuthorizationFailed(
            "That redirect is from a different sign-in attempt (state mismatch). Start again."
        )
    code = query.get("code", [""])[0]
    if not code:
        raise AuthorizationFailed("The redirect URL has no code in it; paste the whole URL.")
    return code


async def _token_call(
    http: httpx.AsyncClient,
    url: str,
    form: dict[str, str],
    client_id: str,
    client_secret: str | None,
) -> dict[str, Any]:
    import httpx

    auth = httpx.BasicAuth(client_id, client_secret) if client_secret else None
    if not client_secret:
        form = {**form, "client_id": client_id}
    try:
        response = await http.post(url, data=form, auth=auth)
    except httpx.TimeoutException as exc:
        raise NetworkError("Timed out talking to X's token endpoint.") from exc
    except httpx.TransportError as exc:
        raise NetworkError("Could not reach X's token endpoint; check the network.") from exc
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code >= 400:
        err = data.get("error", "") if isinstance(data, dict) else ""
        desc = data.get("error_description", "") if isinstance(data, dict) else ""
        if err == "invalid_grant" or response.status_code in (400, 401):
            raise SignInRequired(
                f"X refused the sign-in ({err or response.status_code}"
                f"{': ' + desc if desc else ''}). Sign in again.",
                status=response.status_code,
            )
        raise AuthError(f"X's token endpoint answered {response.status_code}.")
    if not isinstance(data, dict):
        raise UnexpectedResponse("X's token endpoint sent something that is not JSON.")
    return data


async def exchange_code(
    http: httpx.AsyncClient,
    endpoints: OAuth2Endpoints,
    *,
    client_id: str,
    client_secret: str | None,
    code: str,
    code_verifier: str,
    redirect_uri: str,
    now: Callable[[], float] = time.time,
) -> OAuth2Token:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    data = await _token_call(http, endpoints.token, form, client_id, client_secret)
    return OAuth2Token.from_response(data, now())


async def refresh(
    http: httpx.AsyncClient,
    endpoints: OAuth2Endpoints,
    *,
    client_id: str,
    client_secret: str | None,
    refresh_token: str,
    now: Callable[[], float] = time.time,
) -> OAuth2Token:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    data = await _token_call(http, endpoints.token, form, client_id, client_secret)
    return OAuth2Token.from_response(data, now())


async def revoke(
    http: httpx.AsyncClient,
    endpoints: OAuth2Endpoints,
    *,
    client_id: str,
    client_secret: str | None,
    token: str,
    token_type_hint: str = "access_token",
) -> None:
    form = {"token": token, "token_type_hint": token_type_hint}
    await _token_call(http, endpoints.revoke, form, client_id, client_secret)


@dataclass
class OAuth2Session:
    """Bearer auth that refreshes itself.

    `load` re-reads the stored token and `save` persists a new one; both run under `lock`, a
    cross-process lock, because a refresh rotates the refresh token: two copies of the app
    sharing one credentials file must not both spend the same refresh token.
    """

    client_id: str
    client_secret: str | None = field(repr=False)
    token: OAuth2Token
    endpoints: OAuth2Endpoints
    save: Callable[[OAuth2Token], None] = lambda token: None
    load: Callable[[], OAuth2Token | None] = lambda: None
    lock: Callable[[], AbstractContextManager[Any]] = nullcontext
    clock: Callable[[], float] = time.time
    kind: str = "oauth2"

    def __post_init__(self) -> None:
        # The file lock blocks the thread: never let two coroutines of this process wait on it.
        self._inflight = asyncio.Lock()

    def sign(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self.token.access_token}"

    def needs_refresh(self) -> bool:
        return self.token.expires_soon(self.clock())

    async def refresh(self, http: httpx.AsyncClient, *, failed_token: str | None = None) -> None:
        """Get a new access token; a no-op if another process already refreshed it."""
        async with self._inflight:
            await self._refresh_locked(http, failed_token)

    async def _refresh_locked(self, http: httpx.AsyncClient, failed_token: str | None) -> None:
        with self.lock():
            stored = self.load()
            if (
                stored is not None
                and stored.access_token != (failed_token or self.token.access_token)
                and not stored.expires_soon(self.clock())
            ):
                self.token = stored
                return
            current = stored or self.token
            if not current.refresh_token:
                raise SignInRequired("The X session expired and cannot be renewed. Sign in again.")
            new = await refresh(
                http,
                self.endpoints,
                client_id=self.client_id,
                client_secret=self.client_secret,
                refresh_token=current.refresh_token,
                now=self.clock,
            )
            if new.refresh_token is None:
                new = replace(new, refresh_token=current.refresh_token)
            self.save(new)
            self.token = new
