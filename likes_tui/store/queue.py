"""The durable queue: every like and unlike is committed here before it is sent and marked
done only after X confirms, so a kill at any moment loses nothing (a resent like is harmless:
X treats it as idempotent). While a row is being sent it is 'sending'; only the account's one
sender (see `store.locks`) sends, and it turns rows a killed sender left 'sending' back into
'pending'. The same post twice is one action; an opposite action replaces an unsent one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from likes_tui.domain import Action, BatchProgress, Outcome, QueueStatus
from likes_tui.store.db import UNSENT, Database, Table
from likes_tui.store.history import HistoryTable


@dataclass(frozen=True)
class QueueItem:
    id: int
    account: str
    post_id: str
    action: Action
    status: QueueStatus
    attempts: int
    error: str
    retryable: int
    author: str
    excerpt: str
    created_at: float


class QueueRequest(NamedTuple):
    """One action to queue for a post; author and excerpt are kept for history. A tuple,
    not a frozen dataclass: a 100,000-line --file builds one per line, and a frozen
    dataclass's __init__ costs three times as much."""

    post_id: str
    action: Action
    author: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class QueueCounts:
    pending: int = 0
    done: int = 0
    failed: int = 0
    unlikes: int = 0
    """How many of the pending are unlikes (they have windows and a daily cap of their own)."""

    @property
    def total(self) -> int:
        return self.pending + self.done + self.failed


FAILED = "('failed')"


class QueueTable(Table):
    def __init__(self, database: Database, history: HistoryTable) -> None:
        super().__init__(database)
        self.history = history
        """Where a sent or failed row's outcome is written, in the same transaction."""

    def enqueue(
        self, account: str, post_id: str, action: str, *, author: str = "", excerpt: str = ""
    ) -> Outcome:
        """Queue one action; see `enqueue_many` for what it returns."""
        request = QueueRequest(post_id, Action(action), author, excerpt)
        return self.enqueue_many(account, [request])[post_id]

    def enqueue_many(
        self,
        account: str,
        items: Iterable[QueueRequest],
        *,
        unless_done: bool = True,
    ) -> dict[str, Outcome]:
        """Queue the requests in one transaction.

        Per post: 'queued'; 'duplicate' when the same action is already pending; 'done' when
        nothing is pending and history says X already has the wanted state (`unless_done`;
        checked inside the transaction, so a post another process just liked is not liked
        twice); 'cancelled' when it undoes a pending opposite action that was never sent and
        X already has the wanted state (nothing left to send). Otherwise the newer action
        replaces the older.
        """
        items = list(items)
        now = self.clock()
        outcomes: dict[str, Outcome] = {}
        with self._tx():
            self._start_batch_if_idle(account)
            post_ids = [item.post_id for item in items]
            pending = self._pending_for(account, post_ids)
            known_now = self.history.known_states(account, post_ids) if unless_done else {}
            new: dict[str, tuple[str, str, str]] = {}
            cancelled: list[int] = []
            for post_id, action, author, excerpt in items:
                queued_id, queued_action, status = pending.get(post_id, (None, None, None))
                if post_id in new:
                    queued_action = new[post_id][0]
                if queued_action == action:
                    outcomes[post_id] = Outcome.DUPLICATE
                    continue
                if queued_action is None and known_now.get(post_id) == (action == "like"):
                    outcomes[post_id] = Outcome.DONE
                    continue
                if status == "sending" and post_id not in new:
                    # On its way to X: it cannot be taken back, so the new action follows it.
                    pending.pop(post_id)
                    new[post_id] = (action, author, excerpt)
                    outcomes[post_id] = Outcome.QUEUED
                    continue
                if queued_action is not None:
                    new.pop(post_id, None)
                    if queued_id is not None:
                        cancelled.append(queued_id)
                        pending.pop(post_id)
                    known = self.history.known_states(account, [post_id]).get(post_id)
                    if known is not None and known == (action == "like"):
                        outcomes[post_id] = Outcome.CANCELLED
                        continue
                new[post_id] = (action, author, excerpt)
                outcomes[post_id] = Outcome.QUEUED
            self.db.executemany(
                "UPDATE queue SET status = 'cancelled', error = 'superseded', updated_at = ?"
                " WHERE id = ?",
                [(now, queue_id) for queue_id in cancelled],
            )
            self.db.executemany(
                "INSERT INTO queue (account, post_id, action, author, excerpt, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(account, pid, a, au, ex, now, now) for pid, (a, au, ex) in new.items()],
            )
        return outcomes

    def _start_batch_if_idle(self, account: str) -> None:
        """With nothing unsent, what is queued next starts a new batch (its progress counts
        from here, across restarts and processes)."""
        busy = self.db.execute(
            f"SELECT 1 FROM queue WHERE account = ? AND status IN {UNSENT} LIMIT 1", (account,)
        ).fetchone()
        if busy is None:
            self.db.execute(
                "INSERT INTO batches (account, after_id) VALUES (?, (SELECT COALESCE(MAX(id), 0)"
                " FROM queue)) ON CONFLICT (account) DO UPDATE SET after_id = excluded.after_id",
                (account,),
            )

    def batch(self, account: str) -> BatchProgress:
        """The current (or last) batch: what was queued since the queue was last empty."""
        row = self.db.execute("SELECT after_id FROM batches WHERE account = ?", (account,))
        found = row.fetchone()
        after = int(found[0]) if found else 0
        rows = self.db.execute(
            "SELECT status, action, COUNT(*) AS n FROM queue WHERE account = ? AND id > ?"
            " GROUP BY status, action",
            (account, after),
        )
        counts = {(r["status"], r["action"]): r["n"] for r in rows}

        def n(status: str, action: str | None = None) -> int:
            return sum(v for (s, a), v in counts.items() if s == status and action in (None, a))

        return BatchProgress(
            liked=n("done", "like"),
            unliked=n("done", "unlike"),
            failed=n("failed"),
            skipped=n("cancelled"),
            unsent=n("pending") + n("sending"),
        )

    def pending_actions(self, account: str, post_ids: list[str]) -> dict[str, Action]:
        """The action queued and not yet confirmed for each of these posts that has one."""
        return {
            post_id: _ACTIONS[action]
            for post_id, (_, action, _) in self._pending_for(account, post_ids).items()
        }

    def _pending_for(self, account: str, post_ids: list[str]) -> dict[str, tuple[int, str, str]]:
        """The latest unsent (id, action, status) per post."""
        rows = self._rows_in(
            f"SELECT id, post_id, action, status FROM queue WHERE account = ?"
            f" AND status IN {UNSENT} AND post_id IN ({{marks}}) ORDER BY id",
            list(dict.fromkeys(post_ids)),
            account,
        )
        return {row["post_id"]: (row["id"], row["action"], row["status"]) for row in rows}

    def next_pending(self, account: str) -> QueueItem | None:
        row = self.db.execute(
            f"SELECT {ITEM_COLUMNS} FROM queue WHERE account = ? AND status = 'pending'"
            " ORDER BY id LIMIT 1",
            (account,),
        ).fetchone()
        return _item(row) if row else None

    def pending(self, account: str) -> list[QueueItem]:
        """Everything X has not confirmed yet, including a row on its way."""
        return list(self._items(account, UNSENT))

    def _items(self, account: str, statuses: str) -> Iterator[QueueItem]:
        """The rows in `statuses` (an SQL list), oldest first, read as they are used."""
        rows = self.db.execute(
            f"SELECT {ITEM_COLUMNS} FROM queue WHERE account = ? AND status IN {statuses}"
            " ORDER BY id",
            (account,),
        )
        for row in rows:
            yield _item(row)

    def claim(self, item: QueueItem) -> bool:
        """Mark a pending row as on its way to X; False when it is no longer pending
        (cancelled or superseded since it was read)."""
        with self._tx():
            cur = self.db.execute(
                "UPDATE queue SET status = 'sending', updated_at = ? WHERE id = ?"
                " AND status = 'pending'",
                (self.clock(), item.id),
            )
            return cur.rowcount == 1

    def unclaim(self, item: QueueItem) -> None:
        """Back to pending without counting an attempt (X did not take it: a 429, a pause)."""
        with self._tx():
            self.db.execute(
                "UPDATE queue SET status = 'pending', updated_at = ? WHERE id = ?"
                " AND status = 'sending'",
                (self.clock(), item.id),
            )

    def release_interrupted(self, account: str) -> int:
        """Rows a sender left 'sending' when it died go back to 'pending'; how many. Only the
        account's sender calls this (it holds the send lock, so no one else is sending)."""
        return self._move(account, "sending", "pending")

    def listed(self, account: str) -> Iterator[QueueItem]:
        """What `queue list` shows, unsent then failed, read as it is printed (memory does
        not grow with the queue)."""
        yield from self._items(account, UNSENT)
        yield from self._items(account, FAILED)

    def failed(self, account: str) -> list[QueueItem]:
        return list(self._items(account, FAILED))

    def complete(self, item: QueueItem, liked: bool) -> None:
        """Mark done and write history in one transaction, after X confirmed."""
        with self._tx():
            self.db.execute(
                "UPDATE queue SET status = 'done', attempts = attempts + 1, updated_at = ? WHERE id = ?",
                (self.clock(), item.id),
            )
            self.history._insert_history(
                item.account,
                item.post_id,
                "like" if liked else "unlike",
                "ok",
                "",
                item.author,
                item.excerpt,
            )

    def unavailable(self, item: QueueItem, reason: str) -> None:
        """X answered that the post cannot be liked (deleted, protected): not sent, not
        failed, and never sent again (a headless run queues without a lookup, so this is
        where it learns it)."""
        with self._tx():
            self.db.execute(
                "UPDATE queue SET status = 'cancelled', attempts = attempts + 1, error = ?,"
                " retryable = 0, updated_at = ? WHERE id = ?",
                (reason, self.clock(), item.id),
            )

    def attempt_failed(
        self, item: QueueItem, error: str, *, final: bool, retryable: bool = True
    ) -> None:
        """`retryable` False: X's answer will not change (the post is gone, say), so `resume`
        does not send it again."""
        with self._tx():
            self.db.execute(
                "UPDATE queue SET attempts = attempts + 1, error = ?, status = ?, retryable = ?,"
                " updated_at = ? WHERE id = ?",
                (error, "failed" if final else "pending", int(retryable), self.clock(), item.id),
            )
            if final:
                self.history._insert_history(
                    item.account,
                    item.post_id,
                    item.action,
                    "failed",
                    error,
                    item.author,
                    item.excerpt,
                )

    def _move(
        self, account: str, old: str, new: str, *, fresh: bool = False, where: str = ""
    ) -> int:
        """Every item of the account in status `old` goes to `new`; how many moved."""
        reset = ", attempts = 0, error = '', retryable = 1" if fresh else ""
        with self._tx():
            cur = self.db.execute(
                f"UPDATE queue SET status = ?{reset}, updated_at = ? WHERE account = ?"
                f" AND status = ?{where}",
                (new, self.clock(), account, old),
            )
            return cur.rowcount

    def retry_failed(self, account: str, *, only_retryable: bool = False) -> int:
        """Failed items go back to pending; with `only_retryable`, not those X refused for
        good (deleted or protected posts)."""
        where = " AND retryable = 1" if only_retryable else ""
        return self._move(account, "failed", "pending", fresh=True, where=where)

    def drop_failed(self, account: str) -> int:
        return self._move(account, "failed", "cancelled")

    def cancel_pending(self, account: str) -> int:
        return self._move(account, "pending", "cancelled")

    def counts(self, account: str) -> QueueCounts:
        """The account's queue by status (a batch's own figures are `batch`)."""
        rows = self.db.execute(
            "SELECT status, action, COUNT(*) AS n FROM queue WHERE account = ?"
            " GROUP BY status, action",
            (account,),
        )
        by: dict[str, int] = {}
        unlikes = 0
        for r in rows:
            by[r["status"]] = by.get(r["status"], 0) + r["n"]
            if r["action"] == "unlike" and r["status"] in ("pending", "sending"):
                unlikes += r["n"]
        unsent = by.get("pending", 0) + by.get("sending", 0)
        return QueueCounts(unsent, by.get("done", 0), by.get("failed", 0), unlikes)


ITEM_COLUMNS = (
    "id, account, post_id, action, status, attempts, error, retryable, author, excerpt, created_at"
)
"""QueueItem's fields, in its order: rows are built by position (`queue list` of 100,000)."""
_ACTIONS = {action.value: action for action in Action}
_STATUSES = {status.value: status for status in QueueStatus}


def _item(row: sqlite3.Row) -> QueueItem:
    """A row selected with ITEM_COLUMNS."""
    (id_, account, post_id, action, status, attempts, error, retryable, author, excerpt, at) = row
    return QueueItem(
        id_, account, post_id, _ACTIONS[action], _STATUSES[status], attempts, error,
        retryable, author, excerpt, at,
    )  # fmt: skip
