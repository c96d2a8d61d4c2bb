"""The state database as the rest of the app sees it: history, the queue and the rate limits in
one SQLite file (see db.py for how it is opened, history.py, queue.py and rate_limits.py for the
tables)."""

from __future__ import annotations

from typing import Any

from likes_tui.billing import Charge, Prices
from likes_tui.domain import BatchProgress
from likes_tui.store.db import MIGRATIONS, UNSENT
from likes_tui.store.history import HistoryEntry
from likes_tui.store.holds import HoldTable, StoredHold
from likes_tui.store.post_cache import PostCacheTable
from likes_tui.store.queue import QueueCounts, QueueItem, QueueRequest, QueueTable
from likes_tui.store.rate_limits import RateLimitTable, StoredRateLimit
from likes_tui.store.spend import DaySpend, SpendTable


class StateDB(QueueTable, RateLimitTable, SpendTable, PostCacheTable, HoldTable):
    """History, the queue, the rate limits, the spend, today's posts and why the queue is held,
    over one connection."""

    def record_answer(
        self,
        account: str,
        day: str,
        found: list[Charge],
        prices: Prices,
        posts: list[tuple[dict[str, Any], dict[str, Any] | None]],
        users: list[dict[str, Any]],
        at: float,
    ) -> float:
        """What one answer billed, its posts and its users, in one transaction (one commit
        per answer: a lookup right after waits behind one write, not three)."""
        with self._tx():
            billed = self._insert_charges(account, day, found, prices, at)
            self._insert_posts(day, posts, at)
            self._insert_authors(users, at)
        return billed


__all__ = [
    "MIGRATIONS",
    "UNSENT",
    "BatchProgress",
    "DaySpend",
    "HistoryEntry",
    "QueueCounts",
    "QueueItem",
    "QueueRequest",
    "StateDB",
    "StoredHold",
    "StoredRateLimit",
]
