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
    return [
        ("oauth_consumer_key", creds.api_key),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", timestamp),
        ("oauth_token", creds.access_token),
        ("oauth_version", "1.0"),
    ]


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
        from authlib.common.security import generate_token
        from authlib.oauth1.rfc5849.parameters import prepare_headers

        url = str(request.url)
        oparams = oauth_params(self.creds, generate_token(32), str(int(self.clock())))
        params = request_params(url, request.headers.get("content-type", ""), request.content)
        sig = signature(
            request.method,
            url.split("?", 1)[0],
            params + oparams,
            self.creds.api_key_secret,
            self.creds.access_token_secret,
        )
        headers = prepare_headers([*oparams, ("oauth_signature", sig)], {})
        request.headers["Authorization"] = headers["Authorization"]
