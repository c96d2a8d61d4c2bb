"""The state database as the rest of the app sees it: history, the queue and the rate limits in
one SQLite file (see db.py for how it is opened, history.py, queue.py and rate_limits.py for the
tables)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from likes_tui.billing import Charge, Prices
from likes_tui.domain import BatchProgress
from likes_tui.store.archive import ArchiveTable
from likes_tui.store.db import MIGRATIONS, UNSENT, Database
from likes_tui.store.history import HistoryEntry, HistoryTable
from likes_tui.store.holds import HoldTable, StoredHold
from likes_tui.store.post_cache import PostCacheTable
from likes_tui.store.queue import QueueCounts, QueueItem, QueueRequest, QueueTable
from likes_tui.store.rate_limits import RateLimitTable, StoredRateLimit
from likes_tui.store.spend import DaySpend, SpendTable


class StateDB:
    """History, the queue, the rate limits, the spend, today's posts, why the queue is held
    and the imported archive, over one connection: each group of tables is an attribute
    (`state.queue.pending(…)`)."""

    def __init__(
        self,
        path: Path | str,
        clock: Callable[[], float] = time.time,
        *,
        busy_timeout: float = 30.0,
    ) -> None:
        self.database = database = Database(path, clock, busy_timeout=busy_timeout)
        self.history = HistoryTable(database)
        self.queue = QueueTable(database, self.history)
        self.rate_limits = RateLimitTable(database)
        self.spend = SpendTable(database)
        self.post_cache = PostCacheTable(database)
        self.holds = HoldTable(database)
        self.archive = ArchiveTable(database)

    @property
    def warning(self) -> str | None:
        """Why the file was replaced on opening (it was damaged), if it was."""
        return self.database.warning

    @property
    def db(self) -> sqlite3.Connection:
        return self.database.db

    def close(self) -> None:
        self.database.close()

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
        with self.database._tx():
            billed = self.spend._insert_charges(account, day, found, prices, at)
            self.post_cache._insert_posts(day, posts, at)
            self.post_cache._insert_authors(users, at)
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
