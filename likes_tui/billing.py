"""What X bills for an answer under pay-per-use, in one place for the app's meter and the
sandbox's bill (x-api.md, "What each call costs").

Writes are billed per request; reads per resource returned (an expanded author in `includes`
is a user returned). Reads of one's own data (`/2/users/me`, the posts of `liked_tweets`) are
"owned reads". A resource already billed in the current UTC day is not billed again that day,
and only successful answers that return data are billed. Pure: no I/O, no imports beyond the
standard library.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple


class Prices(NamedTuple):
    """US dollars per billed unit. The defaults are X's published rates, read on `read_on`;
    settings.toml can override each (`price_like = 0.015`, ...). A named tuple, as Charge:
    the settings load it before the first paint, where a dataclass costs a compile per
    generated method."""

    like: float = 0.015
    """A like: "User Interaction: Create", per request."""
    unlike: float = 0.010
    """An unlike: "Interaction: Delete", per request."""
    post_read: float = 0.005
    user_read: float = 0.010
    owned_read: float = 0.001
    """Since 21 April 2026 only when the data is the authenticated user's and that user owns
    the developer App; anyone else's `liked_tweets` is an ordinary post read."""
    like_read: float = 0.001
    """"Like: Read", per resource, since June 2026. X does not say which endpoint it meters:
    taken for `liking_users` (the users who liked a post)."""
    read_on: str = "2026-04-20"

    def of(self, kind: str) -> float:
        value = getattr(self, kind)
        assert isinstance(value, float)
        return value

    @classmethod
    def kinds(cls) -> tuple[str, ...]:
        return tuple(name for name in cls._fields if name != "read_on")


DEFAULT_PRICES = Prices()
KIND_WORDS = {
    "like": "likes",
    "unlike": "unlikes",
    "post_read": "posts read",
    "user_read": "users read",
    "owned_read": "own data read",
    "like_read": "likers read",
}


class Charge(NamedTuple):
    """One billable thing. `resource` ("post:ID", "user:ID") is what a UTC day's
    deduplication keys on; writes have none (each request is billed)."""

    kind: str
    resource: str | None


def dollars(usd: float) -> str:
    """Cents where they are enough, tenths of a cent below a dollar ($0.015 a like)."""
    return f"${usd:,.2f}" if usd >= 1 else f"${usd:.3f}"


def utc_day(at: float | None = None) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() if at is None else at))


def utc_day_start(day: str) -> float:
    """The start of a UTC day written YYYY-MM-DD (ValueError for anything else): how the
    command line, the archive's date boxes and `history --since` read a day."""
    from datetime import UTC, datetime

    return datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()


def first_day(days: int, now: float) -> str:
    """The first UTC day of the last `days` days (today counted)."""
    return utc_day(now - 86400 * max(0, days - 1))


def charges(endpoint: str, body: Any, *, owner: bool = True) -> list[Charge]:
    """What a successful answer from one of the app's endpoints bills, before the day's
    deduplication. `endpoint` is the client's kind: lookup, users, me, liked, liking_users,
    like or unlike. `owner`: the authenticated user owns the developer App (only then are
    its own liked posts owned reads). `GET /2/users/me` is not on X's owned-read list: a
    user read for everyone."""
    if not isinstance(body, dict):
        return []
    data = body.get("data")
    if endpoint in ("like", "unlike"):
        return [Charge(endpoint, None)] if isinstance(data, dict) and "liked" in data else []
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    items = [i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)]
    if endpoint == "me":
        return [Charge("user_read", f"user:{i['id']}") for i in items]
    out: list[Charge] = []
    if endpoint == "liked":
        kind = "owned_read" if owner else "post_read"
        out += [Charge(kind, f"post:{i['id']}") for i in items]
    elif endpoint == "lookup":
        out += [Charge("post_read", f"post:{i['id']}") for i in items]
    elif endpoint == "users":
        out += [Charge("user_read", f"user:{i['id']}") for i in items]
    elif endpoint == "liking_users":
        out += [Charge("like_read", f"user:{i['id']}") for i in items]
    includes = body.get("includes")
    users = includes.get("users") if isinstance(includes, dict) else None
    for user in users if isinstance(users, list) else []:
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            out.append(Charge("user_read", f"user:{user['id']}"))
    return out


class DayLedger:
    """The deduplication of one payer's charges: feed it charges, get back what is billed
    and at what price. Resources seen today are free; the set resets at UTC midnight."""

    def __init__(self, prices: Prices = DEFAULT_PRICES) -> None:
        self.prices = prices
        self.day = ""
        self.seen: set[str] = set()

    def bill(self, found: list[Charge], at: float) -> list[tuple[Charge, float]]:
        day = utc_day(at)
        if day != self.day:
            self.day, self.seen = day, set()
        out = []
        for charge in found:
            if charge.resource is not None:
                if charge.resource in self.seen:
                    continue
                self.seen.add(charge.resource)
            out.append((charge, self.prices.of(charge.kind)))
        return out
