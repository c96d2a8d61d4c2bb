"""The X API emulator: one implementation of X's behaviour for --demo and for the tests.

`XSandbox.handle()` takes a request (method, full URL, headers, body) and answers the way
x-api.md says X does: same paths, JSON shapes, partial errors, problem JSON, rate-limit headers
and 429s, verified OAuth 1.0a signatures, and the whole OAuth 2.0 PKCE flow. Transports (in-process
httpx, loopback HTTP) wrap it and add the fault knobs that need a connection (latency, drops).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from likes_tui.sandbox import seed
from likes_tui.sandbox.demo import (
    DEMO_ACCESS_TOKEN,
    DEMO_ACCESS_TOKEN_SECRET,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
    DEMO_BEARER,
    DEMO_CLIENT_ID,
    DEMO_CONFIDENTIAL_ID,
    DEMO_CONFIDENTIAL_SECRET,
    DEMO_REFRESH,
)

PROBLEMS = "https://api.x.com/2/problems/"
DAILY_PREFIX = "x-user-limit-24hour"
ALL_SCOPES = "tweet.read users.read like.read like.write offline.access"

DEFAULT_LIMITS: dict[str, tuple[int, float]] = {
    "like": (50, 900.0),
    "unlike": (50, 900.0),
    "me": (75, 900.0),
    "lookup": (900, 900.0),
    "users": (900, 900.0),
    "liked": (75, 900.0),
}
DAILY_LIMITS: dict[str, tuple[int, float]] = {"like": (1000, 86400.0)}
"""X's per-account cap on top of the windows: 1,000 likes per 24 hours."""


class Dropped(Exception):
    """The connection is dropped without an answer (fault injection)."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


FAULT_SCOPES = {"lookup": frozenset({"lookup"}), "likes": frozenset({"like", "unlike"})}
"""`fault_on` values other than "all": the endpoints the fault knobs then touch."""


@dataclass
class Faults:
    """Knobs the tests turn (and `likes-tui sandbox` flags). Rates are probabilities per
    request; `*_next` count down. `fault_on` limits the rate, latency and trickle knobs to
    "lookup" (post lookups), "likes" (like and unlike) or "all" endpoints."""

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    trickle: float = 0.0
    """Seconds between the bytes of a response body: a server that never quite stops."""
    fault_on: str = "all"
    fail_next: int = 0
    fail_status: int = 503
    drop_next: int = 0
    drop_after_processing: bool = False
    bad_gzip_next: int = 0
    """Answers whose body claims gzip but is not (httpx cannot decode it)."""
    read_only_app: bool = False
    not_enrolled: bool = False
    out_of_credits: bool = False


@dataclass
class AccessToken:
    user_id: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float | None


@dataclass(frozen=True)
class Caller:
    """Who made a request, as the credentials say."""

    user_id: str
    kind: str
    scopes: frozenset[str]


@dataclass
class LogEntry:
    time: float
    method: str
    path: str
    status: int
    user_id: str | None
    endpoint: str = ""
    remaining_before: int | None = None


@dataclass
class _Window:
    start: float
    span: float
    count: int = 0


@dataclass
class XSandbox:
    """In-memory X. Thread-safe: the loopback server calls it from several threads."""

    post_count: int = 60
    limits: dict[str, tuple[int, float]] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    daily_limits: dict[str, tuple[int, float]] = field(default_factory=lambda: dict(DAILY_LIMITS))
    access_ttl: int = 7200
    clock: Callable[[], float] = time.time
    seed_random: int | None = None
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._rng = random.Random(self.seed_random)
        self.users = seed.authors_by_id()
        self.posts = seed.posts(self.post_count)
        self.likes: dict[str, dict[str, int]] = {}
        self._like_seq = 0
        self.windows: dict[tuple[str, str], _Window] = {}
        self.log: list[LogEntry] = []
        self.clients: dict[str, str | None] = {
            DEMO_CLIENT_ID: None,
            DEMO_CONFIDENTIAL_ID: DEMO_CONFIDENTIAL_SECRET,
        }
        self.consumers: dict[str, str] = {DEMO_API_KEY: DEMO_API_KEY_SECRET}
        self.oauth1_tokens: dict[str, tuple[str, str]] = {
            DEMO_ACCESS_TOKEN: (DEMO_ACCESS_TOKEN_SECRET, seed.DEMO_USER.id)
        }
        self.access_tokens: dict[str, AccessToken] = {
            DEMO_BEARER: AccessToken(
                seed.DEMO_USER.id, DEMO_CLIENT_ID, frozenset(ALL_SCOPES.split()), None
            )
        }
        self.refresh_tokens: dict[str, tuple[str, str, frozenset[str]]] = {
            DEMO_REFRESH: (seed.DEMO_USER.id, DEMO_CLIENT_ID, frozenset(ALL_SCOPES.split()))
        }
        self._codes: dict[str, dict[str, Any]] = {}
        self._nonces: set[tuple[str, str]] = set()
        self.rejected_429 = 0

    # -- helpers tests use ----------------------------------------------------------------

    @property
    def demo_user_id(self) -> str:
        return seed.DEMO_USER.id

    def liked_by(self, user_id: str | None = None) -> set[str]:
        with self._lock:
            return set(self.likes.get(user_id or self.demo_user_id, {}))

    def requests_to(self, endpoint: str) -> list[LogEntry]:
        with self._lock:
            return [e for e in self.log if e.endpoint == endpoint]

    def expire_access_tokens(self) -> None:
        with self._lock:
            for token in self.access_tokens.values():
                token.expires_at = self.clock() - 1

    def issue_token(
        self, *, expires_in: int | None = None, scopes: str = ALL_SCOPES
    ) -> dict[str, Any]:
        """Mint a token pair for the demo user (as if a sign-in had just happened)."""
        with self._lock:
            return self._issue(
                seed.DEMO_USER.id, DEMO_CLIENT_ID, frozenset(scopes.split()), expires_in
            )

    # -- entry point ----------------------------------------------------------------------

    def faulty(self, method: str, url: str) -> bool:
        """Whether the fault knobs (rates, latency, trickle) apply to this request."""
        scope = FAULT_SCOPES.get(self.faults.fault_on)
        if scope is None:
            return True
        seg = (unquote(urlsplit(url).path).rstrip("/") or "/").strip("/").split("/")
        return self._endpoint(method.upper(), seg) in scope

    def handle(self, method: str, url: str, headers: dict[str, str], body: bytes) -> Reply:
        headers = {k.lower(): v for k, v in headers.items()}
        with self._lock:
            f = self.faults
            faulty = self.faulty(method, url)
            if f.drop_next > 0 and not f.drop_after_processing:
                f.drop_next -= 1
                raise Dropped
            if faulty and f.drop_rate and self._rng.random() < f.drop_rate:
                raise Dropped
            if f.fail_next > 0:
                f.fail_next -= 1
                return self._problem(f.fail_status, "Service Unavailable", "Service Unavailable")
            if faulty and f.error_rate and self._rng.random() < f.error_rate:
                return self._problem(503, "Service Unavailable", "Service Unavailable")
            reply, entry = self._route(method.upper(), url, headers, body)
            entry.status = reply.status
            self.log.append(entry)
            if f.drop_next > 0 and f.drop_after_processing:
                f.drop_next -= 1
                raise Dropped
            if f.bad_gzip_next > 0:
                f.bad_gzip_next -= 1
                reply.headers["content-encoding"] = "gzip"
                reply.body = b"\x1f\x8b not really gzip " + reply.body
            return reply

    # -- routing --------------------------------------------------------------------------

    def _route(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[Reply, LogEntry]:
        parts = urlsplit(url)
        path = unquote(parts.path).rstrip("/") or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        seg = path.strip("/").split("/")
        entry = LogEntry(self.clock(), method, path, 0, None)

        if path == "/i/oauth2/authorize" and method == "GET":
            return self._authorize(query), entry
        if path == "/2/oauth2/token" and method == "POST":
            return self._token(headers, body), entry
        if path == "/2/oauth2/revoke" and method == "POST":
            return self._revoke(headers, body), entry

        endpoint = self._endpoint(method, seg)
        entry.endpoint = endpoint or ""
        if endpoint is None:
            return self._problem(404, "Not Found Error", "Sorry, that page does not exist"), entry
        caller = self._authenticate(method, url, headers, body)
        if caller is None:
            return self._problem(401, "Unauthorized", "Unauthorized"), entry
        user_id = entry.user_id = caller.user_id
        if self.faults.not_enrolled:
            return self._client_forbidden(), entry
        if self.faults.out_of_credits:
            return self._problem(
                402, "Payment Required", "Your account has no credits left."
            ), entry

        limit, span = self.limits[endpoint]
        window = self._window(user_id, endpoint, span)
        entry.remaining_before = limit - window.count
        if window.count >= limit:
            self.rejected_429 += 1
            return self._problem(
                429, "Too Many Requests", "Too Many Requests", limit_headers=(limit, 0, window)
            ), entry
        daily_headers: dict[str, str] = {}
        if endpoint in self.daily_limits:
            cap, day = self.daily_limits[endpoint]
            daily = self._window(user_id, f"{endpoint}-24h", day)
            if daily.count >= cap:
                self.rejected_429 += 1
                reply = self._problem(
                    429,
                    "Too Many Requests",
                    "Too Many Requests",
                    limit_headers=(limit, limit - window.count, window),
                )
                reply.headers.update(self._limit_headers(cap, 0, daily, DAILY_PREFIX))
                return reply, entry
            daily.count += 1
            daily_headers = self._limit_headers(cap, cap - daily.count, daily, DAILY_PREFIX)
        window.count += 1
        rate = (limit, limit - window.count, window)
        reply = self._dispatch(endpoint, seg, query, body, caller)
        reply.headers.update(self._limit_headers(*rate))
        reply.headers.update(daily_headers)
        return reply, entry

    @staticmethod
    def _endpoint(method: str, seg: list[str]) -> str | None:
        if len(seg) < 2 or seg[0] != "2":
            return None
        if seg[1] == "tweets" and method == "GET" and len(seg) in (2, 3):
            return "lookup"
        if seg[1] != "users":
            return None
        if seg[2:] == ["me"] and method == "GET":
            return "me"
        if len(seg) == 5 and seg[2] == "by" and seg[3] == "username" and method == "GET":
            return "users"
        if len(seg) == 3 and method == "GET":
            return "users"
        if len(seg) == 4 and seg[3] == "likes" and method == "POST":
            return "like"
        if len(seg) == 5 and seg[3] == "likes" and method == "DELETE":
            return "unlike"
        if len(seg) == 4 and seg[3] == "liked_tweets" and method == "GET":
            return "liked"
        return None

    def _dispatch(
        self, endpoint: str, seg: list[str], query: dict[str, str], body: bytes, caller: Caller
    ) -> Reply:
        user_id = caller.user_id
        if endpoint == "me":
            return self._json(200, {"data": self._user_json(self.users[user_id], query)})
        if endpoint == "users":
            if seg[2] == "by":
                name = seg[4].lower()
                found = next((u for u in self.users.values() if u.username.lower() == name), None)
            else:
                found = self.users.get(seg[2])
            if found is None:
                value = seg[4] if seg[2] == "by" else seg[2]
                return self._json(200, {"errors": [self._not_found("user", value, "username")]})
            return self._json(200, {"data": self._user_json(found, query)})
        if endpoint == "lookup":
            return self._lookup(seg, query, user_id)
        if endpoint in ("like", "unlike", "liked") and seg[2] != user_id:
            return self._problem(
                403, "Forbidden", "You are not allowed to act on behalf of another user."
            )
        if endpoint in ("like", "unlike"):
            if self.faults.read_only_app and caller.kind == "oauth1":
                return self._json(
                    403,
                    {
                        "title": "Forbidden",
                        "detail": "Your client app is not configured with the appropriate "
                        "oauth1 app permissions for this endpoint.",
                        "type": PROBLEMS + "oauth1-permissions",
                        "reason": "oauth1-permissions",
                        "status": 403,
                    },
                )
            if "like.write" not in caller.scopes:
                return self._problem(403, "Forbidden", "Missing scope like.write.")
            if endpoint == "like":
                try:
                    tweet_id = str(json.loads(body or b"{}")["tweet_id"])
                except (ValueError, KeyError, TypeError):
                    return self._invalid({"tweet_id": ""}, "The `tweet_id` field is required.")
                return self._set_like(user_id, tweet_id, True)
            return self._set_like(user_id, seg[4], False)
        return self._liked_tweets(user_id, query)

    # -- endpoints ------------------------------------------------------------------------

    def _post_problem(self, post_id: str) -> dict[str, Any] | None:
        post = self.posts.get(post_id)
        if post is None or post.deleted:
            return self._not_found("tweet", post_id, "id")
        author = self.users.get(post.author_id)
        if author and author.protected:
            return {
                "value": post_id,
                "detail": f"Sorry, you are not authorized to see the Tweet with id: [{post_id}].",
                "title": "Authorization Error",
                "resource_type": "tweet",
                "parameter": "id",
                "resource_id": post_id,
                "type": PROBLEMS + "not-authorized-for-resource",
            }
        return None

    def _lookup(self, seg: list[str], query: dict[str, str], user_id: str) -> Reply:
        if len(seg) == 3:
            ids = [seg[2]]
        else:
            raw = query.get("ids", "")
            ids = [i for i in raw.split(",") if i]
            if not ids or len(ids) > 100:
                return self._invalid(
                    {"ids": raw}, "The `ids` query parameter value must have 1 to 100 items."
                )
        for i in ids:
            if not (i.isascii() and i.isdigit() and len(i) <= 19):
                return self._invalid(
                    {"id" if len(seg) == 3 else "ids": i},
                    f"The `id` query parameter value [{i}] does not match ^[0-9]{{1,19}}$",
                )
        data, errors, authors = [], [], {}
        for post_id in ids:
            problem = self._post_problem(post_id)
            if problem:
                errors.append(problem)
                continue
            post = self.posts[post_id]
            data.append(self._post_json(post, query))
            authors[post.author_id] = self.users[post.author_id]
        payload: dict[str, Any] = {}
        if data:
            payload["data"] = data[0] if len(seg) == 3 else data
            if "author_id" in query.get("expansions", ""):
                payload["includes"] = {
                    "users": [self._user_json(u, query) for u in authors.values()]
                }
        if errors:
            payload["errors"] = errors
        return self._json(200, payload)

    def _set_like(self, user_id: str, post_id: str, liked: bool) -> Reply:
        problem = self._post_problem(post_id)
        if problem:
            return self._json(200, {"errors": [problem]})
        mine = self.likes.setdefault(user_id, {})
        post = self.posts[post_id]
        if liked and post_id not in mine:
            self._like_seq += 1
            mine[post_id] = self._like_seq
            post.likes += 1
        elif not liked and post_id in mine:
            del mine[post_id]
            post.likes = max(0, post.likes - 1)
        return self._json(200, {"data": {"liked": liked}})

    def _liked_tweets(self, user_id: str, query: dict[str, str]) -> Reply:
        try:
            size = int(query.get("max_results", "100"))
        except ValueError:
            size = -1
        if not 1 <= size <= 100:
            return self._invalid(
                {"max_results": query.get("max_results", "")},
                "The `max_results` query parameter value must be between 1 and 100.",
            )
        order = sorted(self.likes.get(user_id, {}).items(), key=lambda kv: -kv[1])
        ids = [pid for pid, _ in order if not self._post_problem(pid)]
        token = query.get("pagination_token", "")
        start = int(token) if token.isdigit() else 0
        page = ids[start : start + size]
        payload: dict[str, Any] = {}
        if page:
            payload["data"] = [self._post_json(self.posts[p], query) for p in page]
            if "author_id" in query.get("expansions", ""):
                authors = {self.posts[p].author_id for p in page}
                payload["includes"] = {
                    "users": [self._user_json(self.users[a], query) for a in authors]
                }
        meta: dict[str, Any] = {"result_count": len(page)}
        if start + size < len(ids):
            meta["next_token"] = str(start + size)
        if start > 0:
            meta["previous_token"] = str(max(0, start - size))
        payload["meta"] = meta
        return self._json(200, payload)

    # -- auth -----------------------------------------------------------------------------

    def _authenticate(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> Caller | None:
        """Who is asking, or None for a 401: an unknown, expired or badly signed credential."""
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer "):
            token = self.access_tokens.get(auth[7:])
            if token is None or (token.expires_at is not None and self.clock() >= token.expires_at):
                return None
            return Caller(token.user_id, "oauth2", token.scopes)
        if auth.startswith("OAuth "):
            user_id = self._verify_oauth1(method, url, headers, body, auth[6:])
            return Caller(user_id, "oauth1", frozenset(ALL_SCOPES.split())) if user_id else None
        return None

    def _verify_oauth1(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes,
        header: str,
    ) -> str | None:
        """The user id if the HMAC-SHA1 signature, key, token, timestamp and nonce check out."""
        from likes_tui.api.oauth1 import request_params, signature

        params: dict[str, str] = {}
        for part in header.split(","):
            key, _, value = part.strip().partition("=")
            params[unquote(key)] = unquote(value.strip('"'))
        consumer_secret = self.consumers.get(params.get("oauth_consumer_key", ""))
        token = self.oauth1_tokens.get(params.get("oauth_token", ""))
        if consumer_secret is None or token is None:
            return None
        token_secret, user_id = token
        try:
            stamp = int(params.get("oauth_timestamp", ""))
        except ValueError:
            return None
        if abs(self.clock() - stamp) > 300:
            return None
        nonce = (params.get("oauth_consumer_key", ""), params.get("oauth_nonce", ""))
        if not nonce[1] or nonce in self._nonces:
            return None
        oparams = [
            (k, v) for k, v in params.items() if k.startswith("oauth_") and k != "oauth_signature"
        ]
        expected = signature(
            method,
            url.split("?", 1)[0],
            request_params(url, headers.get("content-type", ""), body) + oparams,
            consumer_secret,
            token_secret,
        )
        if not hmac.compare_digest(expected, params.get("oauth_signature", "")):
            return None
        self._nonces.add(nonce)
        return user_id

    # -- OAuth 2.0 ------------------------------------------------------------------------

    def _authorize(self, query: dict[str, str]) -> Reply:
        """Auto-approves as the demo user and redirects back with code and state."""
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
        code = secrets.token_urlsafe(24)
        self._codes[code] = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "challenge": query.get("code_challenge", ""),
            "scopes": frozenset(query.get("scope", "").split()),
            "user_id": seed.DEMO_USER.id,
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

    def _revoke(self, headers: dict[str, str], body: bytes) -> Reply:
        form = dict(parse_qsl(body.decode(errors="replace")))
        if self._client_auth(headers, form) is None:
            return self._oauth_error(401, "invalid_client", "Missing valid authorization header")
        token = form.get("token", "")
        self.access_tokens.pop(token, None)
        self.refresh_tokens.pop(token, None)
        return self._json(200, {"revoked": True})

    # -- rate limits ----------------------------------------------------------------------

    def _window(self, user_id: str, key: str, span: float) -> _Window:
        now = self.clock()
        window = self.windows.get((user_id, key))
        if window is None or now >= window.start + span:
            # Like X's, windows sit on whole seconds: the reset header is exact.
            window = _Window(float(int(now)), span)
            self.windows[(user_id, key)] = window
        return window

    @staticmethod
    def _limit_headers(
        limit: int, remaining: int, window: _Window, prefix: str = "x-rate-limit"
    ) -> dict[str, str]:
        return {
            f"{prefix}-limit": str(limit),
            f"{prefix}-remaining": str(remaining),
            f"{prefix}-reset": str(int(window.start + window.span)),
        }

    # -- response shapes ------------------------------------------------------------------

    def _user_json(self, user: seed.SeedUser, query: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        fields = query.get("user.fields", "")
        if "verified" in fields:
            data["verified"] = user.verified
        if "protected" in fields:
            data["protected"] = user.protected
        return data

    def _post_json(self, post: seed.SeedPost, query: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "edit_history_tweet_ids": list(post.edit_history),
            "id": post.id,
            "text": post.text,
        }
        fields = query.get("tweet.fields", "")
        if "author_id" in fields:
            data["author_id"] = post.author_id
        if "created_at" in fields:
            data["created_at"] = seed.iso(post.created_at)
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "retweet_count": post.reposts,
                "reply_count": post.replies,
                "like_count": post.likes,
                "quote_count": post.quotes,
                "bookmark_count": post.bookmarks,
                "impression_count": post.impressions,
            }
        return data

    @staticmethod
    def _not_found(resource: str, value: str, parameter: str) -> dict[str, Any]:
        noun = "tweet" if resource == "tweet" else "user"
        return {
            "value": value,
            "detail": f"Could not find {noun} with {parameter}: [{value}].",
            "title": "Not Found Error",
            "resource_type": resource,
            "parameter": parameter,
            "resource_id": value,
            "type": PROBLEMS + "resource-not-found",
        }

    def _json(self, status: int, payload: Any) -> Reply:
        return Reply(
            status,
            {"content-type": "application/json; charset=utf-8"},
            json.dumps(payload, ensure_ascii=False).encode(),
        )

    def _problem(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        type_: str = "about:blank",
        limit_headers: tuple[int, int, _Window] | None = None,
    ) -> Reply:
        reply = self._json(
            status, {"title": title, "detail": detail, "type": type_, "status": status}
        )
        if limit_headers:
            reply.headers.update(self._limit_headers(*limit_headers))
        return reply

    def _invalid(self, parameters: dict[str, str], message: str) -> Reply:
        return self._json(
            400,
            {
                "errors": [
                    {"parameters": {k: [v] for k, v in parameters.items()}, "message": message}
                ],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": PROBLEMS + "invalid-request",
            },
        )

    def _client_forbidden(self) -> Reply:
        return self._json(
            403,
            {
                "client_id": "0",
                "detail": "When authenticating requests to the Twitter API v2 endpoints, you must "
                "use keys and tokens from a Twitter developer App that is attached to a Project.",
                "registration_url": "https://developer.x.com/en/docs/projects/overview",
                "title": "Client Forbidden",
                "required_enrollment": "Appropriate Level of API Access",
                "reason": "client-not-enrolled",
                "type": PROBLEMS + "client-forbidden",
            },
        )

    def _oauth_error(self, status: int, error: str, description: str) -> Reply:
        return self._json(status, {"error": error, "error_description": description})

    @staticmethod
    def _redirect(uri: str, params: dict[str, str]) -> Reply:
        sep = "&" if "?" in uri else "?"
        return Reply(
            302, {"location": f"{uri}{sep}{urlencode(params)}", "content-length": "0"}, b""
        )
