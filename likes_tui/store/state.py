"""The state database as the rest of the app sees it: history, the queue and the budgets in
one SQLite file (see db.py for how it is opened, history.py, queue.py and budgets.py for the
tables)."""

from __future__ import annotations

from likes_tui.domain import BatchProgress
from likes_tui.store.budgets import BudgetTable, StoredBudget
from likes_tui.store.db import MIGRATIONS, UNSENT
from likes_tui.store.history import HistoryEntry
from likes_tui.store.post_cache import PostCacheTable
from likes_tui.store.queue import QueueCounts, QueueItem, QueueRequest, QueueTable
from likes_tui.store.spend import DaySpend, SpendTable


class StateDB(QueueTable, BudgetTable, SpendTable, PostCacheTable):
    """History, the queue, the budgets, the spend and today's posts over one connection."""


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
    "StoredBudget",
]
