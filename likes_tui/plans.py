"""X's plans and the rate limits they run, by endpoint: the one place for these facts, so the
next change X makes is one edit here (prices live in billing.py).

Endpoint kinds are the rate-limit families the client and the sandbox count in: "like",
"unlike", "me", "lookup", "users", "liked" (a user's liked posts) and "liking_users".
Pure: imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Plan(StrEnum):
    """What an App is subscribed to, as far as likes are concerned."""

    SELF_SERVE = "self-serve"
    """Pay-per-use (and the free tier): since 20 April 2026 without Likes, Follows and
    Quote-Posts, by X's changelog of 16 April 2026."""
    ENTERPRISE = "enterprise"
    """Everything, likes included (the legacy Basic and Pro plans too, for earlier
    subscribers)."""


@dataclass(frozen=True)
class Limit:
    """`count` requests per `window` seconds, per user."""

    count: int
    window: float

    def __str__(self) -> str:
        return f"{self.count}/{self.window:g}"


WINDOW = 900.0
"""X's rate-limit window, fifteen minutes, until an answer shows another."""
DAY = 86400.0

DOCUMENTED: dict[str, Limit] = {
    "like": Limit(50, WINDOW),
    "unlike": Limit(50, WINDOW),
    "me": Limit(75, WINDOW),
    "lookup": Limit(900, WINDOW),
    "users": Limit(900, WINDOW),
    "liked": Limit(75, WINDOW),
    "liking_users": Limit(75, WINDOW),
}
"""X's rate-limit table (per user, 15-minute windows)."""

DAILY: dict[str, Limit] = {"like": Limit(1000, DAY), "unlike": Limit(1000, DAY)}
"""The per-user 24-hour caps on top of the windows: 1,000 likes and 1,000 unlikes."""

SEEN: dict[Plan, dict[str, Limit]] = {
    # xdevplatform/xdk issue 24 (February 2026): liked_tweets answered x-rate-limit-limit: 1
    # on pay-per-use, against 75 documented. The client reads the limit from every answer.
    Plan.SELF_SERVE: {"liked": Limit(1, WINDOW)},
}
"""Limits seen on a plan that differ from the documented ones."""

EXCLUDED: dict[Plan, frozenset[str]] = {Plan.SELF_SERVE: frozenset({"like", "unlike"})}
"""What a plan refuses with 403 (X's changelog, effective 20 April 2026; X's API overview
still lists Likes on pay-per-use: the app copes with either answer)."""

PLANS_WITH_LIKES = "Enterprise, or a legacy Basic or Pro subscription from before April 2026"

X_NAMES: dict[str, str] = {
    "likes": "like",
    "like": "like",
    "unlike": "unlike",
    "users_me": "me",
    "me": "me",
    "tweets": "lookup",
    "lookup": "lookup",
    "users": "users",
    "liked_tweets": "liked",
    "liked": "liked",
    "liking_users": "liking_users",
}
"""`--limit` names: X's path words (liked_tweets, liking_users, tweets, likes) or our kinds."""


def limits_for(plan: Plan) -> dict[str, Limit]:
    """The windows an App on `plan` meets, by endpoint kind."""
    return {**DOCUMENTED, **SEEN.get(plan, {})}


def allows(plan: Plan, kind: str) -> bool:
    return kind not in EXCLUDED.get(plan, frozenset())


def parse_limit(text: str) -> tuple[str, Limit]:
    """`liked_tweets=1/900` (or `like=50`, the window then 900 s): an endpoint kind and its
    window. ValueError says what is wrong."""
    name, sep, figure = text.partition("=")
    kind = X_NAMES.get(name.strip().lower())
    if not sep or kind is None:
        names = ", ".join(sorted(X_NAMES))
        raise ValueError(f"{text!r}: expected NAME=COUNT[/SECONDS] with NAME one of {names}")
    count, _, window = figure.partition("/")
    try:
        limit = Limit(int(count), float(window) if window else WINDOW)
    except ValueError:
        raise ValueError(f"{text!r}: COUNT must be a whole number, SECONDS a number") from None
    if limit.count < 0 or limit.window <= 0:
        raise ValueError(f"{text!r}: COUNT must be 0 or more, SECONDS more than 0")
    return kind, limit
