"""OAuth 1.0a User Context signing (HMAC-SHA1) with authlib's RFC 5849 primitives.

authlib is imported on first use: start-up should not pay for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from likes_tui.api.tokens import OAuth1Credentials

if TYPE_CHECKING:
    import httpx


def signature(
    method: str,
    url: str,
    params: list[tuple[str, str]],
    consumer_secret: str,
    token_secret: str,
) -> str:
    """The base64 HMAC-SHA1 signature of a request (RFC 5849 section 3.4)."""
    from authlib.oauth1.rfc5849.signature import construct_base_string, hmac_sha1_signature

    base = construct_base_string(method.upper(), url, params)
    return str(hmac_sha1_signature(base, consumer_secret, token_secret))


def oauth_params(creds: OAuth1Credentials, nonce: str, timestamp: str) -> list[tuple[str, str]]:
    """The oauth_* parameters a request is signed with (no oauth_token when the Access Token
    is empty: a PIN flow's first request)."""
    token = creds.access_token
    return [
        ("oauth_consumer_key", creds.api_key),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", timestamp),
        *([("oauth_token", token)] if token else []),
        ("oauth_version", "1.0"),
    ]


def authorization(
    method: str,
    url: str,
    params: list[tuple[str, str]],
    api_key: str,
    api_key_secret: str,
    *,
    token: str = "",
    token_secret: str = "",
    extra: list[tuple[str, str]] | None = None,
    clock: Callable[[], float] = time.time,
) -> str:
    """The `Authorization: OAuth …` value for a request whose query and form parameters are
    `params`: API calls (with the Access Token) and the PIN flow's token requests (with a
    request token, or none) alike. `extra`: oauth_callback, oauth_verifier."""
    from authlib.common.security import generate_token
    from authlib.oauth1.rfc5849.parameters import prepare_headers

    creds = OAuth1Credentials(api_key, api_key_secret, token, token_secret)
    stamp = str(int(clock()))
    oparams = [*oauth_params(creds, generate_token(32), stamp), *(extra or [])]
    sig = signature(method, url.split("?", 1)[0], params + oparams, api_key_secret, token_secret)
    return str(prepare_headers([*oparams, ("oauth_signature", sig)], {})["Authorization"])


def request_params(url: str, content_type: str, body: bytes) -> list[tuple[str, str]]:
    """Query parameters, plus form parameters for urlencoded bodies (JSON is not signed)."""
    params = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    if "application/x-www-form-urlencoded" in content_type and body:
        params += parse_qsl(body.decode(), keep_blank_values=True)
    return params


@dataclass
class OAuth1Signer:
    """Adds an `Authorization: OAuth ...` header to each request."""

    creds: OAuth1Credentials
    clock: Callable[[], float] = time.time
    kind: str = "oauth1"
    can_refresh: bool = False

    def needs_refresh(self) -> bool:
        return False

    async def refresh(self, http: httpx.AsyncClient, *, failed: object = None) -> None:
        """OAuth 1.0a keys do not expire: nothing to refresh."""

    def sign(self, request: httpx.Request) -> None:
        url = str(request.url)
        params = request_params(url, request.headers.get("content-type", ""), request.content)
        request.headers["Authorization"] = authorization(
            request.method,
            url,
            params,
            self.creds.api_key,
            self.creds.api_key_secret,
            token=self.creds.access_token,
            token_secret=self.creds.access_token_secret,
            clock=self.clock,
        )
