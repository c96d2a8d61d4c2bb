"""Deterministic seed data for the sandbox: a demo user, some authors, and posts shaped like X's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from likes_tui.sandbox.demo import ACCOUNTS, DEMO_USER_ID, DEMO_USERNAME


@dataclass
class SeedUser:
    id: str
    username: str
    name: str
    verified: bool = False
    protected: bool = False


@dataclass
class SeedPost:
    id: str
    author_id: str
    text: str
    created_at: datetime
    reposts: int = 0
    replies: int = 0
    likes: int = 0
    quotes: int = 0
    bookmarks: int = 0
    impressions: int = 0
    deleted: bool = False
    edit_history: list[str] = field(default_factory=list)


DEMO_USER = SeedUser(DEMO_USER_ID, DEMO_USERNAME, "Demo Person")
TWITTERDEV = SeedUser("2244994945", "TwitterDev", "Developers", verified=True)
XDEVELOPERS = SeedUser("1580000000000000002", "XDevelopers", "X Developers", verified=True)
TWITTER = SeedUser("783214", "Twitter", "Twitter", verified=True)
AUTHORS = [
    TWITTERDEV,
    XDEVELOPERS,
    TWITTER,
    SeedUser("1580000000000000003", "terminal_tales", "Terminal Tales 🖥️"),
    SeedUser("1580000000000000004", "rust_and_rain", "Ana Souza"),
    SeedUser("1580000000000000005", "py_weekly", "Python Weekly 🐍"),
]
PROTECTED_AUTHOR = SeedUser("1580000000000000009", "quiet_account", "Quiet 🔒", protected=True)

SEED_POST_ID = "1228393702244134912"
LAUNCH_POST_ID = "1293593516040269825"
DELETED_POST_ID = "1500000000000000001"
PROTECTED_POST_ID = "1600000000000000001"
GENERATED_BASE = 1800000000000000000

_TOPICS = [
    "Shipped a new terminal UI today ✨ keyboard first, mouse optional. https://t.co/Ab3dE9xYz1",
    "Hot take: every CLI deserves a --demo flag 🔥",
    "The rain sounds better with a compiler running 🌧️🦀",
    "Thread 🧵 on rate limits: read the x-rate-limit-reset header, then wait. That's it.",
    "New blog post: async Python without tears 🐍 https://t.co/Q764BDICa9",
    "Coffee ☕ + tmux + a good font = happiness",
    "Reminder: ids are strings. Always. 1228393702244134912 ≠ 1.2283937022441349e18",
    "We're rebuilding the docs from the ground up 📚 https://t.co/32VrwpGaJw",
    "What's your favourite Textual app? Mine renders at 60fps in a 80x24 terminal 🤯",
    "Weekend project: a tiny HTTP server in 80 lines. Don't do this at work 😅",
]


def authors_by_id() -> dict[str, SeedUser]:
    """Every user: the sandbox's accounts (the demo user first), then the posts' authors."""
    accounts = [DEMO_USER] + [SeedUser(a.user_id, a.username, a.name) for a in ACCOUNTS[1:]]
    users = [*accounts, *AUTHORS, PROTECTED_AUTHOR]
    return {u.id: u for u in users}


def posts(count: int = 60) -> dict[str, SeedPost]:
    """The fixed posts plus `count` generated ones (ids GENERATED_BASE + i)."""
    base = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    fixed = [
        SeedPost(
            SEED_POST_ID,
            TWITTERDEV.id,
            "Introducing a new era for the Twitter Developer Platform! 📣\n\n✅ The Twitter API v2 "
            "(Early Access)\n✅ The developer portal, reimagined\n\nhttps://t.co/wOBBkM3y2p",
            datetime(2020, 2, 14, 19, 0, 55, tzinfo=UTC),
            reposts=161,
            replies=30,
            likes=1024,
            quotes=57,
            bookmarks=8,
            impressions=0,
        ),
        SeedPost(
            LAUNCH_POST_ID,
            TWITTERDEV.id,
            "It’s finally here! 🥁 Say hello to the new #TwitterAPI.\n\nWe’re rebuilding the "
            "Twitter API v2 from the ground up to better serve our developer community. And "
            "today’s launch is only the beginning.\n\nhttps://t.co/32VrwpGaJw "
            "https://t.co/KaFSbjWUA8",
            datetime(2020, 8, 12, 17, 1, 42, tzinfo=UTC),
            reposts=2000,
            replies=500,
            likes=7000,
            quotes=600,
        ),
        SeedPost(
            DELETED_POST_ID,
            XDEVELOPERS.id,
            "This post was deleted.",
            datetime(2022, 3, 1, tzinfo=UTC),
            deleted=True,
        ),
        SeedPost(
            PROTECTED_POST_ID,
            PROTECTED_AUTHOR.id,
            "Only my followers can read this 🔒",
            datetime(2023, 6, 1, tzinfo=UTC),
        ),
    ]
    result = {p.id: p for p in fixed}
    for i in range(count):
        author = AUTHORS[i % len(AUTHORS)]
        post_id = str(GENERATED_BASE + i)
        result[post_id] = SeedPost(
            post_id,
            author.id,
            f"{_TOPICS[i % len(_TOPICS)]} #{i + 1}",
            base + timedelta(hours=7 * i, minutes=13 * i, seconds=i),
            reposts=(i * 37) % 500,
            replies=(i * 11) % 90,
            likes=(i * 53) % 2000,
            quotes=(i * 5) % 40,
            bookmarks=(i * 3) % 60,
            impressions=(i * 1931) % 100000,
        )
    for post in result.values():
        post.edit_history = [post.id]
    return result


def iso(dt: datetime) -> str:
    """X's timestamp form: milliseconds and a Z."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
