"""Who is asking: OAuth 2.0 bearer tokens and OAuth 1.0a signatures, checked as X checks them,
and the OAuth 2.0 endpoints (authorize, token, revoke) with PKCE."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from likes_tui.sandbox import seed
from likes_tui.sandbox.responses import ALL_SCOPES, Caller, Reply, Responses


@dataclass
class AccessToken:
    """An OAuth 2.0 access token the sandbox issued."""

    user_id: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float | None


def oauth_header_params(header: str) -> dict[str, str]:
    """The parameters of an `Authorization: OAuth …` header (after "OAuth ")."""
    params: dict[str, str] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key:
            params[unquote(key)] = unquote(value.strip('"'))
    return params


class SandboxAuth(Responses):
    """Mixed into XSandbox, whose state it reads (declared here for the type checker)."""

    clock: Callable[[], float]
    access_ttl: int
    _lock: threading.RLock
    clients: dict[str, str | None]
    consumers: dict[str, str]
    oauth1_tokens: dict[str, tuple[str, str]]
    access_tokens: dict[str, AccessToken]
    refresh_tokens: dict[str, tuple[str, str, frozenset[str]]]
    _codes: dict[str, dict[str, Any]]
    _nonces: set[tuple[str, str]]
    app_tokens: dict[str, str]
    approver: str
    users: dict[str, seed.SeedUser]

    def _authenticate(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> Caller | None:
        """Who is asking, or None for a 401: an unknown, expired or badly signed credential."""
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer "):
            app_key = self.app_tokens.get(auth[7:])
            if app_key is not None:
                return Caller(f"app:{app_key}", "app", frozenset())
            token = self.access_tokens.get(auth[7:])
            if token is None or (token.expires_at is not None and self.clock() >= token.expires_at):
                return None
            return Caller(token.user_id, "oauth2", token.scopes)
        if auth.startswith("OAuth "):
            user_id = self._verify_oauth1(method, url, headers, body)
            return Caller(user_id, "oauth1", frozenset(ALL_SCOPES.split())) if user_id else None
        return None

    def _verify_oauth1(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> str | None:
        """The user id if the HMAC-SHA1 signature, key, token, timestamp and nonce check out."""
        found: dict[str, str] = {}

        def token_secret(params: dict[str, str]) -> str | None:
            token = self.oauth1_tokens.get(params.get("oauth_token", ""))
            if token is None:
                return None
            found["user"] = token[1]
            return token[0]

        signed = self._signed_params(method, url, headers, body, token_secret)
        return found.get("user") if signed is not None else None

    def _signed_params(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes,
        token_secret: Callable[[dict[str, str]], str | None],
    ) -> dict[str, str] | None:
        """The request's oauth_* parameters if its signature checks out with the consumer's
        secret and the token secret `token_secret` finds for it (None there: no such token).
        The signed API calls and the PIN flow's token requests share it."""
        from likes_tui.api.oauth1 import request_params, signature

        auth = headers.get("authorization", "")
        if not auth.startswith("OAuth "):
            return None
        header = oauth_header_params(auth[6:])
        signed = request_params(url, headers.get("content-type", ""), body)
        params = dict(header)
        for key, value in signed:  # oauth_* parameters may come in the query or the body
            if key.startswith("oauth_") and key not in params:
                params[key] = value
        secret = self.consumers.get(params.get("oauth_consumer_key", ""))
        tsecret = token_secret(params)
        if secret is None or tsecret is None:
            return None
        nonce = self._fresh_nonce(params)
        if nonce is None:
            return None
        oparams = [
            (k, v) for k, v in header.items() if k.startswith("oauth_") and k != "oauth_signature"
        ]
        expected = signature(method, url.split("?", 1)[0], signed + oparams, secret, tsecret)
        if not hmac.compare_digest(expected, params.get("oauth_signature", "")):
            return None
        self._nonces.add(nonce)
        return params

    def _fresh_nonce(self, params: dict[str, str]) -> tuple[str, str] | None:
        """The request's (key, nonce) if its timestamp is within five minutes of ours and the
        nonce is new (the caller records it once the signature checks out)."""
        try:
            stamp = int(params.get("oauth_timestamp", ""))
        except ValueError:
            return None
        if abs(self.clock() - stamp) > 300:
            return None
        nonce = (params.get("oauth_consumer_key", ""), params.get("oauth_nonce", ""))
        if not nonce[1] or nonce in self._nonces:
            return None
        return nonce

    # -- OAuth 2.0 ------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> Reply:
        """Approves at once, as `approver` (or the account `sandbox_user` names), and
        redirects back with code and state."""
        client_id = query.get("client_id", "")
        redirect_uri = query.get("redirect_uri", "")
        if client_id not in self.clients or not redirect_uri:
            return self._json(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Unknown client or missing redirect_uri.",
                },
            )
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return self._redirect(
                redirect_uri, {"error": "invalid_request", "state": query.get("state", "")}
            )
        name = query.get("sandbox_user", self.approver).lower()
        approver = next((u for u in self.users.values() if u.username.lower() == name), None)
        if approver is None:
            return self._redirect(
                redirect_uri, {"error": "access_denied", "state": query.get("state", "")}
            )
        code = secrets.token_urlsafe(24)
        self._codes[code] = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "challenge": query.get("code_challenge", ""),
            "scopes": frozenset(query.get("scope", "").split()),
            "user_id": approver.id,
            "expires": self.clock() + 30,
        }
        return self._redirect(redirect_uri, {"state": query.get("state", ""), "code": code})

    def _client_auth(self, headers: dict[str, str], form: dict[str, str]) -> str | None:
        auth = headers.get("authorization", "")
        if auth.startswith("Basic "):
            try:
                cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                return None
            if (
                cid in self.clients
                and self.clients[cid] is not None
                and hmac.compare_digest(self.clients[cid] or "", secret)
            ):
                return cid
            return None
        cid = form.get("client_id", "")
        if cid in self.clients and self.clients[cid] is None:
            return cid
        return None

    def _token(self, headers: dict[str, str], body: bytes) -> Reply:
        form = dict(parse_qsl(body.decode(errors="replace")))
        client_id = self._client_auth(headers, form)
        if client_id is None:
            return self._oauth_error(401, "invalid_client", "Missing valid authorization header")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = self._codes.pop(form.get("code", ""), None)
            if code is None or code["expires"] < self.clock() or code["client_id"] != client_id:
                return self._oauth_error(
                    400, "invalid_request", "Value passed for the authorization code was invalid."
                )
            if form.get("redirect_uri") != code["redirect_uri"]:
                return self._oauth_error(400, "invalid_request", "redirect_uri does not match.")
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not verifier or challenge != code["challenge"]:
                return self._oauth_error(400, "invalid_request", "code_verifier does not match.")
            return self._json(200, self._issue(code["user_id"], client_id, code["scopes"], None))
        if grant == "refresh_token":
            entry = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if entry is None or entry[1] != client_id:
                return self._oauth_error(
                    400, "invalid_request", "Value passed for the token was invalid."
                )
            return self._json(200, self._issue(entry[0], client_id, entry[2], None))
        return self._oauth_error(400, "unsupported_grant_type", "Unsupported grant type.")

    def _issue(
        self, user_id: str, client_id: str, scopes: frozenset[str], expires_in: int | None
    ) -> dict[str, Any]:
        ttl = self.access_ttl if expires_in is None else expires_in
        access = secrets.token_urlsafe(32)
        self.access_tokens[access] = AccessToken(user_id, client_id, scopes, self.clock() + ttl)
        payload: dict[str, Any] = {
            "token_type": "bearer",
            "expires_in": ttl,
            "access_token": access,
            "scope": " ".join(sorted(scopes)),
        }
        if "offline.access" in scopes:
            refresh = secrets.token_urlsafe(32)
            self.refresh_tokens[refresh] = (user_id, client_id, scopes)
            payload["refresh_token"] = refresh
        return payload

    def _app_token(self, headers: dict[str, str], body: bytes) -> Reply:
        """POST /oauth2/token, grant_type=client_credentials, with the API Key and Secret in
        HTTP Basic: an app-only Bearer Token, which reads public data and cannot like."""
        form = dict(parse_qsl(body.decode(errors="replace")))
        auth = headers.get("authorization", "")
        key = secret = ""
        if auth.startswith("Basic "):
            try:
                key, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                key = ""
        expected = self.consumers.get(unquote(key))
        if expected is None or not hmac.compare_digest(expected, unquote(secret)):
            return self._json(
                403,
                {
                    "errors": [
                        {
                            "code": 99,
                            "label": "authenticity_token_error",
                            "message": "Unable to verify your credentials",
                        }
                    ]
                },
            )
        if form.get("grant_type") != "client_credentials":
            return self._oauth_error(400, "invalid_request", "Missing grant_type.")
        token = next((t for t, k in self.app_tokens.items() if k == unquote(key)), None)
        if token is None:
            token = "AAAAAAAAAAAAAAAAAAAAA" + secrets.token_urlsafe(60)
            self.app_tokens[token] = unquote(key)
        return self._json(200, {"token_type": "bearer", "access_token": token})

    def _revoke(self, headers: dict[str, str], body: bytes) -> Reply:
        form = dict(parse_qsl(body.decode(errors="replace")))
        if self._client_auth(headers, form) is None:
            return self._oauth_error(401, "invalid_client", "Missing valid authorization header")
        token = form.get("token", "")
        self.access_tokens.pop(token, None)
        self.refresh_tokens.pop(token, None)
        return self._json(200, {"revoked": True})
