"""The X API client: one httpx.AsyncClient, both auth kinds, retries, rate-limit tracking."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from likes_tui.api import client_defaults
from likes_tui.api.client_defaults import DEFAULT_BASE_URL
from likes_tui.api.errors import (
    AuthError,
    Forbidden,
    NetworkError,
    NotAnswering,
    PaymentRequired,
    RequestTimeout,
    ServerError,
    UnexpectedResponse,
    XError,
    error_from_response,
    resource_error,
)

if TYPE_CHECKING:
    import ssl

    from likes_tui.api.tokens import OAuth2Token

from likes_tui.api.models import DAILY_HEADERS, LikedPage, LikeResult, Lookup, Post, RateLimit, User

POST_FIELDS = {
    "tweet.fields": "created_at,public_metrics,author_id",
    "expansions": "author_id",
    "user.fields": "username,name,verified,protected",
}
USER_FIELDS = {"user.fields": "username,name,verified,protected"}
POST_ONLY_FIELDS = {"tweet.fields": POST_FIELDS["tweet.fields"]}
"""A post lookup that leaves the authors out (the likes service adds them from its cache)."""
BATCH = 100
USER_AGENT = "likes-tui"


class Signer(Protocol):
    """Adds credentials to a request. OAuth 2.0 bearer tokens expire and are refreshed;
    OAuth 1.0a keys do not (`can_refresh` False, `refresh` is never called)."""

    kind: str
    can_refresh: bool

    def sign(self, request: httpx.Request) -> None: ...

    def needs_refresh(self) -> bool: ...

    async def refresh(self, http: httpx.AsyncClient, *, failed: OAuth2Token | None = None) -> None:
        """A new access token; `failed` is the one X just refused."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter for retryable failures."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap, self.base * 2**attempt))


class XClient:
    """Async X API v2 client for the Likes workflow.

    `user_id` is cached after `me()` (or given up front) so a like or unlike is exactly one
    request. `rate_limits` holds the latest `x-rate-limit-*` figures per endpoint kind, and
    the account's daily cap (`x-user-limit-24hour-*`) under `<kind>-24h` where X sends it.
    """

    def __init__(
        self,
        signer: Signer,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 15.0,
        deadline: float | None = None,
        retry: RetryPolicy | None = None,
        user_id: str | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_answer: Callable[[str, Any], None] | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.signer = signer
        self.on_answer = on_answer
        """Called with (endpoint kind, JSON) for each successful answer: the likes service's
        cost meter reads what X bills from it."""
        self.base_url = base_url.rstrip("/")
        self.user_id = user_id
        self.retry = retry or RetryPolicy()
        self.deadline = deadline or client_defaults.DEADLINE
        """Seconds one request may take in all. httpx's timeout restarts with every byte, so
        a server trickling its answer would otherwise hold a run forever."""
        self.give_up_after: float | None = None
        """Seconds without any answer from X (timeouts, dropped connections, across calls and
        retries) after which a call raises NotAnswering instead of trying again: a headless
        run then ends within a minute. None (the app) keeps trying; the person sees why."""
        self.unanswered_since: float | None = None
        """When the first request of the current run of unanswered ones went out."""
        self.rate_limits: dict[str, RateLimit] = {}
        self.request_count = 0
        self._sleep = sleep
        self.http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            verify=verify,
        )

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> XClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- transport -------------------------------------------------------------------------

    async def _send_once(
        self, kind: str, method: str, path: str, params: dict[str, str] | None, body: Any
    ) -> Any:
        # No local here holds a credential: a crash report shows every frame's locals.
        signer = self.signer
        if signer.can_refresh and signer.needs_refresh():
            await signer.refresh(self.http)
        content = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content else {}
        for first_try in (True, False):
            request = self.http.build_request(
                method, self.base_url + path, params=params, content=content, headers=headers
            )
            signed_with = getattr(signer, "token", None)
            signer.sign(request)
            self.request_count += 1
            response = await self._exchange(request)
            limit = RateLimit.from_headers(response.headers)
            if limit is not None:
                self.rate_limits[kind] = limit
            daily = RateLimit.from_headers(response.headers, DAILY_HEADERS)
            if daily is not None:
                self.rate_limits[f"{kind}-24h"] = daily
            if response.status_code == 401 and signer.can_refresh and first_try:
                await signer.refresh(self.http, failed=signed_with)
                continue
            if response.status_code >= 400:
                raise error_from_response(
                    response.status_code,
                    response.content,
                    response.headers,
                    auth_kind=self.signer.kind,
                    kind=kind,
                    reset_at=limit.reset_at if limit else _reset_header(response.headers),
                    daily_cap=(
                        (daily.limit, daily.reset_at)
                        if daily is not None and daily.remaining <= 0
                        else None
                    ),
                )
            try:
                data = response.json()
            except (ValueError, RecursionError):
                raise UnexpectedResponse(
                    f"X answered {response.status_code} with something that is not JSON."
                ) from None
            if self.on_answer is not None:
                self.on_answer(kind, data)
            return data
        raise AuthError("X did not accept the renewed token. Sign in again.")

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        """Send and read the whole answer within the deadline; every way that can fail
        becomes an XError (a crash would print the request's frame)."""
        started = time.monotonic()
        try:
            # asyncio.timeout, not wait_for: no new task, so the request goes out before the
            # event loop turns to other work (a redraw), and a paste's lookup starts at once.
            async with asyncio.timeout(self.deadline):
                response = await self.http.send(request)
        except TimeoutError:
            self._unanswered(started)
            raise RequestTimeout(
                f"X did not finish answering within {self.deadline:g} seconds."
            ) from None
        except httpx.TimeoutException:
            self._unanswered(started)
            raise RequestTimeout("X did not answer in time.") from None
        except httpx.TransportError:
            self._unanswered(started)
            raise NetworkError(
                "Could not reach X (connection failed or dropped); check the network."
            ) from None
        except httpx.HTTPError as exc:
            raise ServerError(
                f"X's answer could not be read ({type(exc).__name__}); it will be retried."
            ) from None
        self.unanswered_since = None
        return response

    def _unanswered(self, started: float) -> None:
        """One more request X did not answer. Past `give_up_after` (another try could not
        finish within it): NotAnswering."""
        if self.unanswered_since is None:
            self.unanswered_since = started
        if self.give_up_after is None:
            return
        waited = time.monotonic() - self.unanswered_since
        if waited + self.deadline > self.give_up_after:
            raise NotAnswering(
                f"X has not answered for {waited:.0f} seconds (timeouts or dropped "
                "connections); stopped trying."
            )

    async def _call(
        self,
        kind: str,
        method: str,
        path: str,
        params: dict[str, str] | None = None,
        body: Any = None,
    ) -> Any:
        attempt = 0
        while True:
            try:
                return await self._send_once(kind, method, path, params, body)
            except XError as exc:
                if not exc.retryable or attempt + 1 >= self.retry.attempts:
                    raise
                await self._sleep(self.retry.delay(attempt))
                attempt += 1

    # -- calls ----------------------------------------------------------------------------

    async def me(self) -> User:
        data = await self._call(
            "me", "GET", "/2/users/me", {"user.fields": "username,name,verified,protected"}
        )
        user = User.from_json(_data(data))
        self.user_id = user.id
        return user

    async def user_by_username(self, username: str) -> User:
        data = await self._call("users", "GET", f"/2/users/by/username/{username.lstrip('@')}")
        return User.from_json(_data(data))

    async def get_post(self, post_id: str) -> Post:
        data = await self._call("lookup", "GET", f"/2/tweets/{post_id}", dict(POST_FIELDS))
        users = _users(data)
        if "data" not in data:
            raise _first_error(data)
        return Post.from_json(data["data"], users)

    async def get_posts(
        self, ids: Iterable[str], concurrency: int = 4, *, authors: bool = True
    ) -> Lookup:
        """Look up any number of posts, 100 per request, a few requests at a time. A request
        that fails (a 429 on the lookup window, say) fails only its own posts: their error is
        in `errors`, and what the other requests found is kept. `authors=False` leaves the
        authors out (each is a user read X bills; the service may know them already)."""
        fields = POST_FIELDS if authors else POST_ONLY_FIELDS
        unique = list(dict.fromkeys(ids))
        chunks = [unique[i : i + BATCH] for i in range(0, len(unique), BATCH)]
        gate = asyncio.Semaphore(concurrency)
        posts: dict[str, Post] = {}
        errors: dict[str, XError] = {}

        async def one(chunk: list[str]) -> None:
            async with gate:
                try:
                    data = await self._call(
                        "lookup", "GET", "/2/tweets", {"ids": ",".join(chunk), **fields}
                    )
                except (AuthError, Forbidden, PaymentRequired):
                    raise  # about the account, not these posts: every request would fail
                except XError as exc:
                    errors.update(dict.fromkeys(chunk, exc))
                    return
            users = _users(data)
            for item in data.get("data") or []:
                post = Post.from_json(item, users)
                posts[post.id] = post
            for item in data.get("errors") or []:
                key = str(item.get("value") or item.get("resource_id") or "")
                if key:
                    errors[key] = resource_error(item)

        if len(chunks) == 1:
            await one(chunks[0])  # no task to schedule: the request goes out at once
        else:
            await asyncio.gather(*(one(c) for c in chunks))
        for post_id in unique:
            if post_id not in posts and post_id not in errors:
                errors[post_id] = resource_error(
                    {"type": "/2/problems/resource-not-found", "value": post_id}
                )
        return Lookup(posts, errors)

    async def get_users(self, ids: Iterable[str]) -> dict[str, User]:
        """Users by id, 100 per request; the ones X does not return are left out."""
        unique = list(dict.fromkeys(ids))
        found: dict[str, User] = {}
        for start in range(0, len(unique), BATCH):
            chunk = unique[start : start + BATCH]
            data = await self._call(
                "users", "GET", "/2/users", {"ids": ",".join(chunk), **USER_FIELDS}
            )
            for item in data.get("data") or []:
                user = User.from_json(item)
                found[user.id] = user
        return found

    async def _my_id(self) -> str:
        if self.user_id is None:
            await self.me()
        assert self.user_id is not None
        return self.user_id

    async def like(self, post_id: str) -> LikeResult:
        uid = await self._my_id()
        data = await self._call("like", "POST", f"/2/users/{uid}/likes", body={"tweet_id": post_id})
        return self._like_result("like", post_id, data)

    async def unlike(self, post_id: str) -> LikeResult:
        uid = await self._my_id()
        data = await self._call("unlike", "DELETE", f"/2/users/{uid}/likes/{post_id}")
        return self._like_result("unlike", post_id, data)

    def _like_result(self, kind: str, post_id: str, data: Any) -> LikeResult:
        payload = data.get("data") if isinstance(data, dict) else None
        if not isinstance(payload, dict) or "liked" not in payload:
            raise _first_error(data)
        return LikeResult(post_id, bool(payload["liked"]), self.rate_limits.get(kind))

    async def liked_posts(
        self, max_results: int = 100, pagination_token: str | None = None
    ) -> LikedPage:
        uid = await self._my_id()
        # Only the ids: the app reads this to know what is liked. Asking for the authors
        # too would bill a user read ($0.010) per author, ten times the owned read per post.
        params = {"max_results": str(max_results)}
        if pagination_token:
            params["pagination_token"] = pagination_token
        data = await self._call("liked", "GET", f"/2/users/{uid}/liked_tweets", params)
        users = _users(data)
        posts = tuple(Post.from_json(p, users) for p in data.get("data") or [])
        meta = data.get("meta") or {}
        return LikedPage(posts, meta.get("next_token"))


def _reset_header(headers: httpx.Headers) -> float | None:
    try:
        return float(headers["x-rate-limit-reset"])
    except (KeyError, ValueError):
        return None


def _data(payload: Any) -> dict[str, Any]:
    data = payload.get("data") if isinstance(payload, dict) else None
    if isinstance(data, dict):
        return data
    raise _first_error(payload)


def _users(payload: Any) -> dict[str, User]:
    includes = payload.get("includes") if isinstance(payload, dict) else None
    users = (includes or {}).get("users") or []
    return {str(u["id"]): User.from_json(u) for u in users if isinstance(u, dict) and "id" in u}


def _first_error(payload: Any) -> XError:
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if errors and isinstance(errors[0], dict):
        return resource_error(errors[0])
    return UnexpectedResponse("X answered without the data it documents.")
