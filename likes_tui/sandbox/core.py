"""The X API emulator: one implementation of X's behaviour for --demo and for the tests.

`XSandbox.handle()` takes a request (method, full URL, headers, body) and answers the way
x-api.md says X does: same paths, JSON shapes, partial errors, problem JSON, rate-limit headers
and 429s, verified OAuth 1.0a signatures, and the whole OAuth 2.0 PKCE flow. Transports (in-process
httpx, loopback HTTP) wrap it and add the fault knobs that need a connection (latency, drops).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from likes_tui.billing import DEFAULT_PRICES, DayLedger, Prices, charges
from likes_tui.plans import Plan, allows
from likes_tui.sandbox import seed
from likes_tui.sandbox.auth import AccessToken
from likes_tui.sandbox.contract import Operation, Violation, canonical, contract
from likes_tui.sandbox.credits import Credits
from likes_tui.sandbox.demo import (
    ACCOUNTS,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
    DEMO_APP_BEARER,
    DEMO_CLIENT_ID,
    DEMO_CONFIDENTIAL_ID,
    DEMO_CONFIDENTIAL_SECRET,
)
from likes_tui.sandbox.limits import DAILY_PREFIX, Limits, Window, daily_caps, windows_for
from likes_tui.sandbox.pin import PinFlow, RequestToken
from likes_tui.sandbox.responses import ALL_SCOPES, Caller, Reply

if TYPE_CHECKING:
    import asyncio

    from likes_tui.archive import ArchivedLike


class Dropped(Exception):
    """The connection is dropped without an answer (fault injection)."""


FAULT_SCOPES = {"lookup": frozenset({"lookup"}), "likes": frozenset({"like", "unlike"})}
"""`fault_on` values other than "all": the endpoints the fault knobs then touch."""

ENDPOINTS = {
    ("GET", "/2/tweets"): "lookup",
    ("GET", "/2/tweets/{id}"): "lookup",
    ("GET", "/2/tweets/{id}/liking_users"): "liking_users",
    ("GET", "/2/users"): "users",
    ("GET", "/2/users/by"): "users",
    ("GET", "/2/users/by/username/{username}"): "users",
    ("GET", "/2/users/{id}"): "users",
    ("GET", "/2/users/me"): "me",
    ("GET", "/2/users/{id}/liked_tweets"): "liked",
    ("POST", "/2/users/{id}/likes"): "like",
    ("DELETE", "/2/users/{id}/likes/{tweet_id}"): "unlike",
}
"""Each operation of X's definition the sandbox serves, by the rate-limit family it counts in."""


@dataclass
class Faults:
    """Knobs the tests turn (and `likes-tui sandbox` flags). Rates are probabilities per
    request; `*_next` count down. `fault_on` limits the rate, latency and trickle knobs to
    "lookup" (post lookups), "likes" (like and unlike) or "all" endpoints."""

    latency: float = 0.0
    held: asyncio.Event | None = None
    """The in-process transport answers only once this is set: a test looks at what the app
    shows before X answers for as long as it needs, then lets the answer go."""
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
class LogEntry:
    time: float
    method: str
    path: str
    status: int
    user_id: str | None
    endpoint: str = ""
    remaining_before: int | None = None


@dataclass
class XSandbox(PinFlow, Limits, Credits):
    """In-memory X. Thread-safe: the loopback server calls it from several threads."""

    post_count: int = 60
    plan: Plan = Plan.ENTERPRISE
    """The App's plan: self-serve refuses likes and runs the limits seen there (plans.py)."""
    limits: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Windows by endpoint kind, on top of the plan's."""
    daily_limits: dict[str, tuple[int, float]] = field(default_factory=daily_caps)
    access_ttl: int = 7200
    clock: Callable[[], float] = time.time
    seed_random: int | None = None
    faults: Faults = field(default_factory=Faults)
    prices: Prices = DEFAULT_PRICES
    """The rates the sandbox bills at (X's published ones by default)."""
    legacy_problems: bool = False
    """Problem `type`s under https://api.twitter.com/2/problems/, as many real answers still
    are, instead of the definition's https://api.x.com/2/problems/."""
    credits: float | None = None
    """The App's prepaid balance in US dollars; None: never runs out."""
    spending_limit: float | None = None
    """US dollars the App may spend this billing cycle (the sandbox's life is one cycle)."""
    auto_recharge: float = 0.0
    """Dollars added when the balance is used up, at most every five minutes; 0: off."""

    def __post_init__(self) -> None:
        self.plan = Plan(self.plan)
        self.limits = {**windows_for(self.plan), **self.limits}
        self.cycle_spend = 0.0
        self.recharged_at: float | None = None
        self.recharges = 0
        self._lock = threading.RLock()
        self._rng = random.Random(self.seed_random)
        self.users = seed.authors_by_id()
        self.posts = seed.posts(self.post_count)
        self.likes: dict[str, dict[str, int]] = {}
        self._like_seq = 0
        self.windows: dict[tuple[str, str], Window] = {}
        self.log: list[LogEntry] = []
        self.clients: dict[str, str | None] = {
            DEMO_CLIENT_ID: None,
            DEMO_CONFIDENTIAL_ID: DEMO_CONFIDENTIAL_SECRET,
        }
        self.consumers: dict[str, str] = {DEMO_API_KEY: DEMO_API_KEY_SECRET}
        scopes = frozenset(ALL_SCOPES.split())
        self.oauth1_tokens: dict[str, tuple[str, str]] = {
            a.access_token: (a.access_token_secret, a.user_id) for a in ACCOUNTS
        }
        self.access_tokens: dict[str, AccessToken] = {
            a.bearer: AccessToken(a.user_id, DEMO_CLIENT_ID, scopes, None) for a in ACCOUNTS
        }
        self.refresh_tokens: dict[str, tuple[str, str, frozenset[str]]] = {
            a.refresh: (a.user_id, DEMO_CLIENT_ID, scopes) for a in ACCOUNTS
        }
        self.app_tokens: dict[str, str] = {DEMO_APP_BEARER: DEMO_API_KEY}
        """App-only Bearer Tokens (client credentials), by the API Key they were issued to."""
        self.approver = seed.DEMO_USER.username
        """The account that approves an OAuth 2.0 authorization (`sandbox_user=` on the
        authorize URL names another)."""
        self._codes: dict[str, dict[str, Any]] = {}
        self.request_tokens: dict[str, RequestToken] = {}
        """OAuth 1.0a request tokens of PIN sign-ins under way (sandbox/pin.py)."""
        self._nonces: set[tuple[str, str]] = set()
        self.rejected_429 = 0
        self.violations: list[tuple[str, str, Violation]] = []
        """(method, path, what) for every request X's definition would reject."""
        self._page_tokens: dict[str, tuple[str, int]] = {}
        self._ledgers: dict[str, DayLedger] = {}
        """One per paying user: X does not say whether a day's deduplication is per App or
        per user; taken per user, as the app's meter counts it (per account). If X dedups
        per App, the meter reads high for an App two accounts share, never low."""
        self.app_owner = seed.DEMO_USER.id
        """The sandbox App's owner: only its own data are owned reads ($0.001)."""
        self.bill: list[tuple[str, str, str | None, float]] = []
        self.bill_by_user: list[tuple[str, float]] = []
        """Who paid each line of `bill` (the user the credentials act for)."""
        """X's bill for the sandbox's one App: (UTC day, kind, resource, US dollars) per
        billed item, after the day's deduplication."""

    # -- helpers tests use ----------------------------------------------------------------

    @property
    def demo_user_id(self) -> str:
        return seed.DEMO_USER.id

    def liked_by(self, user_id: str | None = None) -> set[str]:
        with self._lock:
            return set(self.likes.get(user_id or self.demo_user_id, {}))

    def load_likes(self, likes: Iterable[ArchivedLike], user_id: str | None = None) -> int:
        """Start with these likes (an archive's, `--liked-from`): each post exists (made up
        from the archive's text when the seed lacks it) and is liked by the user."""
        from likes_tui.archive import posted_at

        user = user_id or self.demo_user_id
        count = 0
        with self._lock:
            mine = self.likes.setdefault(user, {})
            for like in likes:
                post = self.posts.get(like.post_id)
                if post is None:
                    made = posted_at(like.post_id)
                    post = seed.SeedPost(
                        like.post_id,
                        seed.AUTHORS[int(like.post_id) % len(seed.AUTHORS)].id,
                        like.text or f"post {like.post_id}",
                        datetime.fromtimestamp(made or 0, UTC),
                        edit_history=[like.post_id],
                    )
                    self.posts[like.post_id] = post
                if like.post_id not in mine:
                    self._like_seq += 1
                    mine[like.post_id] = self._like_seq
                    post.likes += 1
                    count += 1
        return count

    def usage(self) -> dict[str, Any]:
        """The bill per UTC day and kind (GET /sandbox/usage, outside X's paths)."""
        with self._lock:
            days: dict[str, dict[str, Any]] = {}
            for day, kind, _, usd in self.bill:
                entry = days.setdefault(day, {"total_usd": 0.0, "by_kind": {}})
                item = entry["by_kind"].setdefault(kind, {"count": 0, "usd": 0.0})
                item["count"] += 1
                item["usd"] = round(item["usd"] + usd, 6)
                entry["total_usd"] = round(entry["total_usd"] + usd, 6)
            rates = {k: self.prices.of(k) for k in self.prices.kinds()}
            return {
                "days": days,
                "prices": rates,
                "prices_read_on": self.prices.read_on,
                "plan": str(self.plan),
                "balance_usd": None if self.credits is None else round(self.credits, 6),
                "cycle_spend_usd": round(self.cycle_spend, 6),
                "spending_limit_usd": self.spending_limit,
            }

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
        return self._endpoint(method.upper(), unquote(urlsplit(url).path)) in scope

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
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = dict(canonical(pairs))
        entry = LogEntry(self.clock(), method, path, 0, None)

        if path == "/i/oauth2/authorize" and method == "GET":
            return self._authorize(query), entry
        if path == "/2/oauth2/token" and method == "POST":
            return self._token(headers, body), entry
        if path == "/oauth2/token" and method == "POST":
            return self._app_token(headers, body), entry
        if path == "/2/oauth2/revoke" and method == "POST":
            return self._revoke(headers, body), entry
        if path == "/oauth/request_token" and method == "POST":
            return self._request_token(method, url, headers, body), entry
        if path in ("/oauth/authorize", "/oauth/authenticate") and method == "GET":
            return self._oauth1_authorize(query), entry
        if path == "/oauth/access_token" and method == "POST":
            return self._access_token(method, url, headers, body), entry
        if path == "/sandbox/usage" and method == "GET":
            return self._json(200, self.usage()), entry

        matched = contract().match(method, path)
        if matched is None or (method, matched[0].template) not in ENDPOINTS:
            return self._problem(404, "Not Found Error", "Sorry, that page does not exist"), entry
        op, path_values = matched
        endpoint = entry.endpoint = ENDPOINTS[(method, op.template)]
        caller = self._authenticate(method, url, headers, body)
        if caller is None:
            return self._problem(401, "Unauthorized", "Unauthorized"), entry
        if caller.kind == "app" and not op.app_only_allowed:
            return self._unsupported_authentication(), entry
        user_id = entry.user_id = caller.user_id
        violations = contract().check(op, path_values, pairs, headers.get("content-type", ""), body)
        if violations:
            self.violations.extend((method, path, v) for v in violations)
            return self._invalid(violations), entry
        if self.faults.not_enrolled:
            return self._client_forbidden(), entry
        if not allows(self.plan, endpoint):
            return self._plan_refusal(self.plan), entry
        if self.faults.out_of_credits:
            return self._credits_refusal(), entry
        refused = self._payment_refusal()
        if refused is not None:
            return refused, entry

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
        reply = self._dispatch(endpoint, op, path_values, query, body, caller)
        if reply.status == 200:
            found = charges(
                endpoint, json.loads(reply.body), owner=caller.user_id == self.app_owner
            )
            ledger = self._ledgers.setdefault(caller.user_id, DayLedger(self.prices))
            for charge, usd in ledger.bill(found, self.clock()):
                self.bill.append((ledger.day, charge.kind, charge.resource, usd))
                self.bill_by_user.append((caller.user_id, usd))
                reply.billed += usd
            self._spend(reply.billed)
        reply.headers.update(self._limit_headers(*rate))
        reply.headers.update(daily_headers)
        return reply, entry

    @staticmethod
    def _endpoint(method: str, path: str) -> str | None:
        matched = contract().match(method, path.rstrip("/") or "/")
        return ENDPOINTS.get((method, matched[0].template)) if matched else None

    def _dispatch(
        self,
        endpoint: str,
        op: Operation,
        path_values: dict[str, str],
        query: dict[str, str],
        body: bytes,
        caller: Caller,
    ) -> Reply:
        user_id = caller.user_id
        if endpoint == "me":
            return self._json(200, {"data": self._user_json(self.users[user_id], query)})
        if endpoint == "users":
            return self._users(op.template, path_values, query)
        if endpoint == "lookup":
            ids = [path_values["id"]] if "id" in path_values else query["ids"].split(",")
            return self._lookup(ids, query, single="id" in path_values)
        if endpoint == "liking_users":
            return self._liking_users(path_values["id"], query)
        if path_values["id"] != user_id:
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
                        "type": self._problem_type("oauth1-permissions"),
                        "reason": "oauth1-permissions",
                        "status": 403,
                    },
                    problem=True,
                )
            if "like.write" not in caller.scopes:
                return self._problem(403, "Forbidden", "Missing scope like.write.")
            if endpoint == "like":
                return self._set_like(user_id, str(json.loads(body)["tweet_id"]), True)
            return self._set_like(user_id, path_values["tweet_id"], False)
        return self._liked_tweets(user_id, query)

    # -- endpoints ------------------------------------------------------------------------

    def _post_problem(self, post_id: str, parameter: str = "id") -> dict[str, Any] | None:
        post = self.posts.get(post_id)
        if post is None or post.deleted:
            return self._not_found("tweet", post_id, parameter)
        author = self.users.get(post.author_id)
        if author and author.protected:
            return {
                "value": post_id,
                "detail": f"Sorry, you are not authorized to see the Tweet with id: [{post_id}].",
                "title": "Authorization Error",
                "resource_type": "tweet",
                "parameter": parameter,
                "resource_id": post_id,
                "type": self._problem_type("not-authorized-for-resource"),
            }
        return None

    def _lookup(self, ids: list[str], query: dict[str, str], *, single: bool) -> Reply:
        data, errors, authors = [], [], {}
        for post_id in ids:
            problem = self._post_problem(post_id, "id" if single else "ids")
            if problem:
                errors.append(problem)
                continue
            post = self.posts[post_id]
            data.append(self._post_json(post, query))
            authors[post.author_id] = self.users[post.author_id]
        payload: dict[str, Any] = {}
        if data:
            payload["data"] = data[0] if single else data
            if "author_id" in query.get("expansions", "").split(","):
                payload["includes"] = {
                    "users": [self._user_json(u, query) for u in authors.values()]
                }
        if errors:
            payload["errors"] = errors
        return self._json(200, payload)

    def _users(self, template: str, path_values: dict[str, str], query: dict[str, str]) -> Reply:
        """The four user lookups: by id or username, one or a list."""
        by_name = {u.username.lower(): u for u in self.users.values()}
        if template == "/2/users/{id}":
            wanted, parameter, single = [path_values["id"]], "id", True
        elif template == "/2/users/by/username/{username}":
            wanted, parameter, single = [path_values["username"]], "username", True
        elif template == "/2/users/by":
            wanted, parameter, single = query["usernames"].split(","), "usernames", False
        else:
            wanted, parameter, single = query["ids"].split(","), "ids", False
        data, errors = [], []
        for value in wanted:
            user = (
                by_name.get(value.lower())
                if parameter in ("username", "usernames")
                else self.users.get(value)
            )
            if user is None:
                errors.append(self._not_found("user", value, parameter))
            else:
                data.append(self._user_json(user, query))
        payload: dict[str, Any] = {}
        if data:
            payload["data"] = data[0] if single else data
        if errors:
            payload["errors"] = errors
        return self._json(200, payload)

    def _set_like(self, user_id: str, post_id: str, liked: bool) -> Reply:
        problem = self._post_problem(post_id, "tweet_id")
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

    def _page(
        self, kind: str, items: list[str], query: dict[str, str], default_size: int
    ) -> tuple[list[str], dict[str, Any]] | Reply:
        """One page of `items` and its `meta`, with opaque tokens as X gives; an unknown
        token is a 400, not page one."""
        size = int(query.get("max_results", default_size))
        token = query.get("pagination_token")
        start = 0
        if token is not None:
            known = self._page_tokens.get(token)
            if known is None or known[0] != kind:
                return self._invalid(
                    [
                        Violation(
                            "pagination_token",
                            token,
                            f"The `pagination_token` query parameter value [{token}] is not valid",
                        )
                    ]
                )
            start = known[1]
        page = items[start : start + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if start + size < len(items):
            meta["next_token"] = self._page_token(kind, start + size)
        if start > 0:
            meta["previous_token"] = self._page_token(kind, max(0, start - size))
        return page, meta

    def _page_token(self, kind: str, offset: int) -> str:
        for token, known in self._page_tokens.items():
            if known == (kind, offset):
                return token
        alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
        token = "".join(self._rng.choice(alphabet) for _ in range(13))
        self._page_tokens[token] = (kind, offset)
        return token

    def _liked_tweets(self, user_id: str, query: dict[str, str]) -> Reply:
        order = sorted(self.likes.get(user_id, {}).items(), key=lambda kv: -kv[1])
        ids = [pid for pid, _ in order if not self._post_problem(pid)]
        paged = self._page(f"liked:{user_id}", ids, query, 100)
        if isinstance(paged, Reply):
            return paged
        page, meta = paged
        payload: dict[str, Any] = {}
        if page:
            payload["data"] = [self._post_json(self.posts[p], query) for p in page]
            if "author_id" in query.get("expansions", "").split(","):
                authors = {self.posts[p].author_id for p in page}
                payload["includes"] = {
                    "users": [self._user_json(self.users[a], query) for a in authors]
                }
        payload["meta"] = meta
        return self._json(200, payload)

    def _liking_users(self, post_id: str, query: dict[str, str]) -> Reply:
        """The sandbox's accounts that like the post, most recent like first."""
        problem = self._post_problem(post_id)
        if problem:
            return self._json(200, {"errors": [problem]})
        likers = sorted(
            (seq, uid) for uid, liked in self.likes.items() if (seq := liked.get(post_id))
        )
        paged = self._page(f"liking:{post_id}", [uid for _, uid in reversed(likers)], query, 100)
        if isinstance(paged, Reply):
            return paged
        page, meta = paged
        payload: dict[str, Any] = {}
        if page:
            payload["data"] = [self._user_json(self.users[uid], query) for uid in page]
        payload["meta"] = meta
        return self._json(200, payload)
