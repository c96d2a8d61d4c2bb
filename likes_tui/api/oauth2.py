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

from likes_tui.api.errors import AuthError, NetworkError, SignInRequired, UnexpectedResponse, XError
from likes_tui.api.tokens import OAuth2Token, Secret

TOKEN_DEADLINE = 30.0
"""Seconds a call to the token endpoint may take in all."""

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


class ForeignRedirect(AuthorizationFailed):
    """A redirect whose `state` is not this sign-in's: from another attempt, or forged."""


def code_from_redirect(url: str, expected_state: str) -> str:
    """The authorization code from the URL the browser was sent to. `state` is checked before
    anything else is believed: an `error` without this sign-in's state is not X's answer."""
    parts = urlsplit(url.strip())
    query = parse_qs(parts.query)
    state = query.get("state", [""])[0]
    if not state and "code" not in query and "error" not in query:
        raise ForeignRedirect(
            "That is not the address X sent the browser to: it has no code or state in it. "
            "Paste the whole address from the browser's address bar."
        )
    if state != expected_state:
        raise ForeignRedirect(
            "That redirect is from a different sign-in attempt (state mismatch). Start again."
        )
    if "error" in query:
        raise AuthorizationFailed(f"X did not authorize the app: {query['error'][0][:100]}.")
    code = query.get("code", [""])[0]
    if not code:
        raise AuthorizationFailed("The redirect URL has no code in it; paste the whole URL.")
    return code


async def _token_call(
    http: httpx.AsyncClient,
    url: str,
    form: dict[str, str | Secret],
    client_id: str,
    client_secret: Secret | None,
) -> dict[str, Any]:
    """POST to the token or revoke endpoint. Credentials arrive as Secret and are unwrapped
    only inside the call's arguments, so no local of any frame holds one."""
    import httpx

    if client_secret is None:
        form = {**form, "client_id": client_id}
    try:
        response = await asyncio.wait_for(
            http.post(
                url,
                data={k: v.value if isinstance(v, Secret) else v for k, v in form.items()},
                auth=httpx.BasicAuth(client_id, client_secret.value)
                if client_secret
                else httpx.Auth(),
            ),
            TOKEN_DEADLINE,
        )
    except (TimeoutError, httpx.TimeoutException):
        raise NetworkError("Timed out talking to X's token endpoint.") from None
    except httpx.TransportError:
        raise NetworkError("Could not reach X's token endpoint; check the network.") from None
    except httpx.HTTPError as exc:
        raise UnexpectedResponse(
            f"X's token endpoint sent an unreadable answer ({type(exc).__name__})."
        ) from None
    try:
        data = response.json()
    except (ValueError, RecursionError):
        data = {}
    if response.status_code >= 400:
        err = data.get("error", "") if isinstance(data, dict) else ""
        desc = data.get("error_description", "") if isinstance(data, dict) else ""
        err = err if isinstance(err, str) else ""
        desc = desc if isinstance(desc, str) else ""
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


def _secret(value: str | None) -> Secret | None:
    return Secret(value) if value else None


async def exchange_code(
    http: httpx.AsyncClient,
    endpoints: OAuth2Endpoints,
    *,
    client_id: str,
    client_secret: Secret | None,
    code: Secret,
    code_verifier: Secret,
    redirect_uri: str,
    now: Callable[[], float] = time.time,
) -> OAuth2Token:
    form: dict[str, str | Secret] = {
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
    client_secret: Secret | None,
    refresh_token: Secret,
    now: Callable[[], float] = time.time,
) -> OAuth2Token:
    form: dict[str, str | Secret] = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    data = await _token_call(http, endpoints.token, form, client_id, client_secret)
    return OAuth2Token.from_response(data, now())


async def revoke(
    http: httpx.AsyncClient,
    endpoints: OAuth2Endpoints,
    *,
    client_id: str,
    client_secret: Secret | None,
    token: Secret,
    token_type_hint: str = "access_token",
) -> None:
    form: dict[str, str | Secret] = {"token": token, "token_type_hint": token_type_hint}
    await _token_call(http, endpoints.revoke, form, client_id, client_secret)


@dataclass
class OAuth2Signer:
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
    can_refresh: bool = True

    def __post_init__(self) -> None:
        # The file lock blocks the thread: never let two coroutines of this process wait on it.
        self._inflight = asyncio.Lock()

    def sign(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self.token.access_token}"

    def needs_refresh(self) -> bool:
        return self.token.expires_soon(self.clock())

    async def refresh(self, http: httpx.AsyncClient, *, failed: OAuth2Token | None = None) -> None:
        """Get a new access token; a no-op if another process already refreshed it.
        `failed` is the token X just refused (the one this session signed with)."""
        async with self._inflight:
            await self._refresh_locked(http, failed)

    async def _refresh_locked(self, http: httpx.AsyncClient, failed: OAuth2Token | None) -> None:
        """The cross-process lock, the stored token and its save block (a file, a keyring),
        so they run on a thread and the event loop keeps drawing while another process
        holds the lock. The new token is saved before anything is signed with it."""
        lock = self.lock()
        taking = asyncio.ensure_future(asyncio.to_thread(lock.__enter__))
        try:
            await asyncio.shield(taking)
        except asyncio.CancelledError:
            # The thread still takes the lock: give it back when it has.
            taking.add_done_callback(
                lambda done: done.exception() or lock.__exit__(None, None, None)
            )
            raise
        try:
            await self._refresh_held(http, failed)
        finally:
            await asyncio.to_thread(lock.__exit__, None, None, None)

    async def _refresh_held(self, http: httpx.AsyncClient, failed: OAuth2Token | None) -> None:
        stored = await asyncio.to_thread(self.load)
        if (
            stored is not None
            and stored.access_token != (failed or self.token).access_token
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
            client_secret=_secret(self.client_secret),
            refresh_token=Secret(current.refresh_token),
            now=self.clock,
        )
        if new.refresh_token is None:
            new = replace(new, refresh_token=current.refresh_token)
        await asyncio.to_thread(self.save, new)
        self.token = new
