"""The state database as the rest of the app sees it: history, the queue and the budgets in
one SQLite file (see db.py for how it is opened, history.py, queue.py and budgets.py for the
tables)."""

from __future__ import annotations

from likes_tui.domain import BatchProgress
from likes_tui.store.budgets import BudgetTable, StoredBudget
from likes_tui.store.db import MIGRATIONS, UNSENT
from likes_tui.store.history import HistoryEntry
from likes_tui.store.queue import QueueCounts, QueueItem, QueueRequest, QueueTable


class StateDB(QueueTable, BudgetTable):
    """History, the queue and the budgets over one connection."""


__all__ = [
    "MIGRATIONS",
    "UNSENT",
    "BatchProgress",
    "HistoryEntry",
    "QueueCounts",
    "QueueItem",
    "QueueRequest",
    "StateDB",
    "StoredBudget",
]
