"""Wiring between the API layer and the store: clients for profiles, sign-in flows, sign-out.

No textual here: screens call these from workers and get results or XError back.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from likes_tui.api import oauth2
from likes_tui.api.client import RetryPolicy, Signer, XClient
from likes_tui.api.errors import AuthError, XError
from likes_tui.api.models import User
from likes_tui.api.oauth1 import OAuth1Signer
from likes_tui.api.tokens import OAuth1Credentials, Secret
from likes_tui.billing import Prices, charges, utc_day
from likes_tui.core.backend import SANDBOX_BASE_URL, Backend
from likes_tui.store.credentials import CredentialStore, OAuth1Profile, OAuth2Profile, Profile

if TYPE_CHECKING:
    from likes_tui.api.callback import LoopbackListener
    from likes_tui.api.oauth1_pin import RequestToken
    from likes_tui.store.state import StateDB


def client_for(
    profile: Profile,
    store: CredentialStore | None,
    backend: Backend,
    *,
    retry: RetryPolicy | None = None,
) -> XClient:
    if isinstance(profile, OAuth1Profile):
        signer: Signer = OAuth1Signer(profile.creds, clock=backend.clock)
    else:
        load, save = store.token_saver(profile.name) if store else (lambda: None, lambda t: None)
        signer = oauth2.OAuth2Signer(
            profile.client_id,
            profile.client_secret,
            profile.token,
            backend.endpoints,
            save=save,
            load=load,
            lock=(lambda: store.lock(profile.name)) if store else nullcontext,
            clock=backend.clock,
        )
    return XClient(
        signer,
        base_url=backend.base_url,
        transport=backend.transport,
        retry=retry,
        user_id=profile.user_id or None,
        verify=backend.tls,
    )


Answers = list[tuple[str, Any]]
"""(endpoint kind, body) of each answer X gave a sign-in: what it billed is metered against
the account once it is known (record_sign_in)."""


async def verify_oauth1(
    creds: OAuth1Credentials, backend: Backend, answers: Answers | None = None
) -> User:
    """Call /2/users/me and check it agrees with the id inside the access token."""
    async with XClient(
        OAuth1Signer(creds, clock=backend.clock),
        base_url=backend.base_url,
        transport=backend.transport,
        retry=RetryPolicy(attempts=2),
        on_answer=_collect(answers),
        verify=backend.tls,
    ) as client:
        user = await client.me()
    if creds.user_id and creds.user_id != user.id:
        raise AuthError(
            f"The access token belongs to user {creds.user_id}, but X says these keys are "
            f"@{user.username} ({user.id}). Regenerate the Access Token and Secret."
        )
    return user


def _collect(answers: Answers | None) -> Callable[[str, Any], None] | None:
    return None if answers is None else lambda kind, body: answers.append((kind, body))


def record_sign_in(
    state: StateDB, prices: Prices, user_id: str, answers: Answers, now: float
) -> float:
    """Meter what a sign-in's reads cost (its GET /2/users/me, a user read) against the
    account it signed in; the dollars newly billed."""
    found = [c for kind, body in answers for c in charges(kind, body)]
    return state.spend.record_charges(user_id, utc_day(now), found, prices, now) if found else 0.0


class OAuth2SignIn:
    """One browser sign-in: build the URL, wait for the redirect (or take a pasted one), exchange."""

    def __init__(
        self, client_id: str, client_secret: str | None, redirect_uri: str, backend: Backend
    ) -> None:
        self.client_id = client_id.strip()
        self.client_secret = (client_secret or "").strip() or None
        self.redirect_uri = redirect_uri.strip() or oauth2.DEFAULT_REDIRECT_URI
        self.backend = backend
        self.request = oauth2.begin(self.client_id, self.redirect_uri, backend.endpoints)
        self.listener: LoopbackListener | None = None
        self.answers: Answers = []

    @property
    def url(self) -> str:
        return self.request.url

    async def listen(self) -> None:
        """Start the loopback listener (before the browser is opened)."""
        from likes_tui.api.callback import LoopbackListener  # (sign-in only, not a paste's)

        self.listener = await LoopbackListener(self.redirect_uri, self.request.state).start()

    async def wait_for_browser(self, timeout: float = 300.0) -> str:
        if self.listener is None:
            await self.listen()
        assert self.listener is not None
        return await self.listener.wait(timeout)

    async def cancel(self) -> None:
        if self.listener is not None:
            await self.listener.close()

    def code_from_pasted(self, url: str) -> str:
        return oauth2.code_from_redirect(url, self.request.state)

    async def approve_in_sandbox(self) -> str:
        """The in-process sandbox has no browser: follow its auto-approving authorize page."""
        async with self.backend.http() as http:
            response = await http.get(self.url)
        location = response.headers.get("location", "")
        if response.status_code != 302 or not location:
            raise oauth2.AuthorizationFailed("The sandbox refused the sign-in request.")
        return self.code_from_pasted(location)

    async def finish(self, code: str, profile_name: str | None = None) -> OAuth2Profile:
        async with self.backend.http() as http:
            token = await oauth2.exchange_code(
                http,
                self.backend.endpoints,
                client_id=self.client_id,
                client_secret=Secret(self.client_secret) if self.client_secret else None,
                code=Secret(code),
                code_verifier=Secret(self.request.code_verifier),
                redirect_uri=self.redirect_uri,
                now=self.backend.clock,
            )
        profile = OAuth2Profile(
            profile_name or "", self.client_id, self.client_secret, self.redirect_uri, token
        )
        async with client_for(profile, None, self.backend) as client:
            client.on_answer = _collect(self.answers)
            user = await client.me()
        return OAuth2Profile(
            profile_name or user.username,
            self.client_id,
            self.client_secret,
            self.redirect_uri,
            token,
            user.id,
            user.username,
        )


class OAuth1PinSignIn:
    """One PIN sign-in (three-legged OAuth 1.0a, `oob`): the API Key and Secret give a
    request token and the URL to approve at; the PIN X shows there gives this person's own
    Access Token and Secret. The request token stays in memory, in this object only."""

    def __init__(self, api_key: str, api_key_secret: str, backend: Backend) -> None:
        self.api_key = api_key.strip()
        self.api_key_secret = api_key_secret.strip()
        self.backend = backend
        self.request: RequestToken | None = None
        self.answers: Answers = []

    @property
    def url(self) -> str:
        return self.request.authorize_url if self.request else ""

    async def start(self) -> str:
        """Ask X for a request token (again, for a new PIN); the URL to open."""
        async with self.backend.http() as http:
            from likes_tui.api import oauth1_pin  # (sign-in only, not a paste's)

            self.request = await oauth1_pin.request_token(
                http,
                self.backend.base_url,
                self.api_key,
                self.api_key_secret,
                clock=self.backend.clock,
            )
        return self.url

    async def approve_in_sandbox(self, username: str | None = None) -> str:
        """The in-process sandbox has no browser: open its authorize page and read the PIN."""
        import re

        url = self.url + (f"&sandbox_user={username}" if username else "")
        async with self.backend.http() as http:
            page = await http.get(url)
        found = re.search(r'id="oauth_pin">(\d+)<', page.text)
        if page.status_code != 200 or found is None:
            raise AuthError("The sandbox refused the PIN sign-in request.")
        return found.group(1)

    async def finish(self, pin: str, profile_name: str | None = None) -> OAuth1Profile:
        """Exchange the PIN, then check the keys with GET /2/users/me (as Verify does)."""
        if self.request is None:
            raise AuthError("Get a PIN first.")
        async with self.backend.http() as http:
            from likes_tui.api import oauth1_pin

            result = await oauth1_pin.access_token(
                http,
                self.backend.base_url,
                self.api_key,
                self.api_key_secret,
                self.request,
                pin,
                clock=self.backend.clock,
            )
        self.request = None  # used: a new PIN needs a new request token
        user = await verify_oauth1(result.creds, self.backend, self.answers)
        return OAuth1Profile(
            profile_name or user.username, result.creds, user.id, user.username, owns_app=False
        )


OAUTH1_NOT_REVOKED = (
    "X's v2 API has no call to revoke OAuth 1.0a keys, so they still work at X: regenerate "
    "them on the App's Keys and tokens page if anyone else may have them."
)


async def sign_out(profile: Profile, backend: Backend) -> str | None:
    """Revoke the account's sign-in with X; returns a warning when X could not be told (the
    secrets here go anyway)."""
    if not isinstance(profile, OAuth2Profile):
        return OAUTH1_NOT_REVOKED
    try:
        async with backend.http() as http:
            for token, hint in (
                (Secret(profile.token.refresh_token or ""), "refresh_token"),
                (Secret(profile.token.access_token), "access_token"),
            ):
                if token.value:
                    await oauth2.revoke(
                        http,
                        backend.endpoints,
                        client_id=profile.client_id,
                        client_secret=(
                            Secret(profile.client_secret) if profile.client_secret else None
                        ),
                        token=token,
                        token_type_hint=hint,
                    )
    except XError as exc:
        return f"Could not revoke the token at X ({exc.message}); it expires on its own."
    return None


__all__ = [
    "SANDBOX_BASE_URL",
    "Backend",
    "OAuth1PinSignIn",
    "OAuth2SignIn",
    "client_for",
    "sign_out",
    "verify_oauth1",
]
