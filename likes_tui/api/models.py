"""Typed, frozen models for what X sends back, parsed defensively from its JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from likes_tui.api.errors import XError


@dataclass(frozen=True)
class User:
    id: str
    username: str
    name: str
    verified: bool = False
    protected: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> User:
        return cls(
            id=str(data["id"]),
            username=str(data.get("username", "")),
            name=str(data.get("name", "")),
            verified=bool(data.get("verified", False)),
            protected=bool(data.get("protected", False)),
        )


@dataclass(frozen=True)
class Metrics:
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0
    bookmarks: int = 0
    impressions: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Metrics:
        data = data or {}

        def num(*names: str) -> int:
            for name in names:
                value = data.get(name)
                if isinstance(value, int):
                    return value
            return 0

        return cls(
            likes=num("like_count"),
            reposts=num("retweet_count", "repost_count"),
            replies=num("reply_count"),
            quotes=num("quote_count"),
            bookmarks=num("bookmark_count"),
            impressions=num("impression_count"),
        )


def parse_time(value: Any) -> datetime | None:
    """X's `2020-02-14T19:00:55.000Z`; None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Post:
    id: str
    text: str
    author_id: str | None = None
    author: User | None = None
    created_at: datetime | None = None
    metrics: Metrics = field(default_factory=Metrics)
    edit_history_ids: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any], users: Mapping[str, User] | None = None) -> Post:
        author_id = data.get("author_id")
        author_id = str(author_id) if author_id is not None else None
        return cls(
            id=str(data["id"]),
            text=str(data.get("text", "")),
            author_id=author_id,
            author=(users or {}).get(author_id) if author_id else None,
            created_at=parse_time(data.get("created_at")),
            metrics=Metrics.from_json(data.get("public_metrics")),
            edit_history_ids=tuple(str(i) for i in data.get("edit_history_tweet_ids", ())),
        )

    @property
    def url(self) -> str:
        handle = self.author.username if self.author else "i/web"
        return f"https://x.com/{handle}/status/{self.id}"

    def excerpt(self, limit: int = 80) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= limit else flat[: limit - 1] + "…"


WINDOW_HEADERS = "x-rate-limit"
"""The per-endpoint window (15 minutes for likes)."""
DAILY_HEADERS = "x-user-limit-24hour"
"""The per-user daily cap on top of it (1,000 likes per 24 hours)."""


@dataclass(frozen=True)
class RateLimit:
    """From one response's `<prefix>-limit`, `-remaining` and `-reset` headers."""

    limit: int
    remaining: int
    reset_at: float

    @classmethod
    def from_headers(
        cls, headers: Mapping[str, str], prefix: str = WINDOW_HEADERS
    ) -> RateLimit | None:
        try:
            return cls(
                limit=int(headers[f"{prefix}-limit"]),
                remaining=int(headers[f"{prefix}-remaining"]),
                reset_at=float(headers[f"{prefix}-reset"]),
            )
        except (KeyError, ValueError):
            return None

    def exhausted(self, now: float) -> bool:
        return self.remaining <= 0 and self.reset_at > now


@dataclass(frozen=True)
class LikeResult:
    post_id: str
    liked: bool
    rate_limit: RateLimit | None = None


@dataclass(frozen=True)
class Lookup:
    """A batch lookup: the posts found and, per id, why the others were not."""

    posts: dict[str, Post]
    errors: dict[str, XError]


@dataclass(frozen=True)
class LikedPage:
    posts: tuple[Post, ...]
    next_token: str | None
