"""Three-legged OAuth 1.0a, as X serves it to command-line apps and its own sample code:
`POST /oauth/request_token`, `GET /oauth/authorize` (the person approves and is shown a
7-digit PIN, or is sent to the callback) and `POST /oauth/access_token`.

What X documents: the three paths, `oauth_callback=oob` for the PIN, the answers' form-encoded
fields. What it does not, and is assumed here: request tokens live 15 minutes and work once;
a wrong verifier leaves the request token usable (the person may retype the PIN); a missing
`oauth_callback` is taken as `oob` (X's docs call it required, yet X's Manage-Likes sample
sends none); refusals are 401 with X's v1.1 error JSON (code 32, "Could not authenticate
you.") for a bad signature, and plain text for a bad request token or verifier, as X's
OAuth 1.0a endpoints have long answered."""

from __future__ import annotations

import base64
import hmac
import random
import secrets
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from likes_tui.sandbox.auth import SandboxAuth
from likes_tui.sandbox.responses import Reply

REQUEST_TOKEN_TTL = 900.0
"""Seconds a request token can be approved and exchanged (assumed: X does not say)."""


@dataclass
class RequestToken:
    consumer_key: str
    secret: str
    callback: str
    expires_at: float
    user_id: str | None = None
    """Who approved it, once approved."""
    verifier: str | None = None


class PinFlow(SandboxAuth):
    """Mixed into XSandbox, whose state it reads (declared here for the type checker)."""

    request_tokens: dict[str, RequestToken]
    seed_random: int | None
    _rng: random.Random

    def _random_token(self, nbytes: int) -> str:
        """Unguessable, or reproducible when the sandbox is seeded (snapshots, tests)."""
        if self.seed_random is None:
            return secrets.token_urlsafe(nbytes)
        return base64.urlsafe_b64encode(self._rng.randbytes(nbytes)).rstrip(b"=").decode()

    def _random_pin(self) -> str:
        below = self._rng.randrange if self.seed_random is not None else secrets.randbelow
        return f"{below(10**7):07d}"

    def _oauth_refused(self, text: str) -> Reply:
        return Reply(401, {"content-type": "text/plain; charset=utf-8"}, text.encode())

    def _not_authenticated(self) -> Reply:
        return self._json(401, {"errors": [{"code": 32, "message": "Could not authenticate you."}]})

    def _request_token(self, method: str, url: str, headers: dict[str, str], body: bytes) -> Reply:
        """POST /oauth/request_token: signed with the API Key and Secret alone."""
        params = self._signed_params(method, url, headers, body, lambda p: "")
        if params is None or "oauth_token" in params:
            return self._not_authenticated()
        callback = params.get("oauth_callback") or "oob"
        if callback != "oob" and not callback.startswith(("http://", "https://")):
            message = "Desktop applications only support the oauth_callback value 'oob'"
            return self._json(400, {"errors": [{"code": 417, "message": message}]})
        token = self._random_token(20)
        secret = self._random_token(24)
        self.request_tokens[token] = RequestToken(
            params["oauth_consumer_key"], secret, callback, self.clock() + REQUEST_TOKEN_TTL
        )
        form = {
            "oauth_token": token,
            "oauth_token_secret": secret,
            "oauth_callback_confirmed": "true",
        }
        return Reply(200, {"content-type": "text/html; charset=utf-8"}, urlencode(form).encode())

    def _live_request_token(self, token: str) -> RequestToken | None:
        found = self.request_tokens.get(token)
        if found is None or found.expires_at <= self.clock():
            self.request_tokens.pop(token, None)
            return None
        return found

    def _oauth1_authorize(self, query: dict[str, str]) -> Reply:
        """GET /oauth/authorize (or /oauth/authenticate): approves at once as `approver`, or
        the account `sandbox_user` names, then shows the PIN (oob) or goes to the callback."""
        request = self._live_request_token(query.get("oauth_token", ""))
        if request is None:
            return self._html_page(
                403,
                "Whoa there!",
                "The request token for this page is invalid. It may have already been used, "
                "or expired because it is too old. Please go back to the site or application "
                "that sent you here and try again; it was probably just a mistake.",
            )
        name = query.get("sandbox_user", self.approver).lower()
        user = next((u for u in self.users.values() if u.username.lower() == name), None)
        if user is None:
            return self._html_page(403, "No such account", f"The sandbox has no account @{name}.")
        request.user_id = user.id
        if request.callback == "oob":
            request.verifier = self._random_pin()
            return self._html_page(
                200,
                "Authorize likes-tui sandbox App",
                f"You have authorized the App as @{escape(user.username)}. Enter this PIN to "
                f'complete the authorization process: <kbd><code id="oauth_pin">'
                f"{request.verifier}</code></kbd>",
            )
        request.verifier = self._random_token(24)
        token = query.get("oauth_token", "")
        return self._redirect(
            request.callback, {"oauth_token": token, "oauth_verifier": request.verifier}
        )

    def _access_token(self, method: str, url: str, headers: dict[str, str], body: bytes) -> Reply:
        """POST /oauth/access_token: the request token, signed with its secret, and the
        verifier (the PIN) give the user's Access Token and Secret, once."""
        found: dict[str, RequestToken] = {}

        def request_secret(params: dict[str, str]) -> str | None:
            request = self._live_request_token(params.get("oauth_token", ""))
            if request is None:
                return None
            found["request"] = request
            return request.secret

        params = self._signed_params(method, url, headers, body, request_secret)
        request = found.get("request")
        if request is None:
            return self._oauth_refused("Invalid request token.")
        if params is None or params.get("oauth_consumer_key") != request.consumer_key:
            return self._not_authenticated()
        verifier = params.get("oauth_verifier", "")
        if (
            request.verifier is None
            or request.user_id is None
            or not hmac.compare_digest(verifier, request.verifier)
        ):
            return self._oauth_refused(
                "Error processing your OAuth request: Invalid oauth_verifier parameter"
            )
        del self.request_tokens[params["oauth_token"]]  # single use
        user = self.users[request.user_id]
        token = f"{user.id}-{self._random_token(30)}"
        secret = self._random_token(33)
        self.oauth1_tokens[token] = (secret, user.id)
        form = {
            "oauth_token": token,
            "oauth_token_secret": secret,
            "user_id": user.id,
            "screen_name": user.username,
        }
        return Reply(200, {"content-type": "text/html; charset=utf-8"}, urlencode(form).encode())

    @staticmethod
    def _html_page(status: int, title: str, html: str) -> Reply:
        page = (
            f"<!doctype html><html><head><title>{escape(title)}</title></head>"
            f"<body><h1>{escape(title)}</h1><p>{html}</p></body></html>"
        )
        return Reply(status, {"content-type": "text/html; charset=utf-8"}, page.encode())
