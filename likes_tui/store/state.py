"""SQLite state: the history of every like/unlike, the durable queue of pending work, and the
last rate-limit budgets X reported.

WAL mode, `synchronous=FULL` for the queue's sake, schema versioned with `PRAGMA user_version`.
A queued action is committed before it is sent and marked done only after X confirms, so a
kill at any moment loses nothing (a resent like is harmless: X treats it as idempotent).

Several processes share the file (the app, headless runs, cron). A database another process is
writing is busy, not damaged: it is waited for, and only a file SQLite calls malformed is moved
aside. While a row is being sent it is 'sending'; only the account's one sender (see
`store.locks`) sends, and it turns rows a killed sender left 'sending' back into 'pending'.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from likes_tui.domain import BatchProgress
from likes_tui.store.files import StoreError, quarantine

MIGRATIONS: list[str] = [
    """
    CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        post_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('like', 'unlike')),
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
        detail TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        excerpt TEXT NOT NULL DEFAULT '',
        at REAL NOT NULL
    );
    CREATE INDEX history_by_account ON history (account, id);
    CREATE INDEX history_by_post ON history (account, post_id, id);
    CREATE TABLE queue (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        post_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('like', 'unlike')),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        excerpt TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX queue_by_status ON queue (account, status, id);
    """,
    """
    CREATE TABLE queue_v2 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        post_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('like', 'unlike')),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sending', 'done', 'failed', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        retryable INTEGER NOT NULL DEFAULT 1,
        author TEXT NOT NULL DEFAULT '',
        excerpt TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    INSERT INTO queue_v2 (id, account, post_id, action, status, attempts, error, author,
        excerpt, created_at, updated_at)
        SELECT id, account, post_id, action, status, attempts, error, author, excerpt,
        created_at, updated_at FROM queue;
    DROP TABLE queue;
    ALTER TABLE queue_v2 RENAME TO queue;
    CREATE INDEX queue_by_status ON queue (account, status, id);
    CREATE TABLE batches (
        account TEXT PRIMARY KEY,
        after_id INTEGER NOT NULL
    );
    CREATE TABLE budgets (
        account TEXT NOT NULL,
        kind TEXT NOT NULL,
        lim INTEGER NOT NULL,
        remaining INTEGER NOT NULL,
        reset_at REAL NOT NULL,
        seen_at REAL NOT NULL,
        PRIMARY KEY (account, kind)
    );
    """,
]

UNSENT = "('pending', 'sending')"
"""Statuses of work X has not confirmed yet."""

_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGE_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class _Damaged(sqlite3.DatabaseError):
    """SQLite's integrity check found the file damaged."""


def _code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_busy(exc: sqlite3.Error) -> bool:
    return _code(exc) in _BUSY_CODES or "locked" in str(exc).lower()


def _is_damaged(exc: sqlite3.Error) -> bool:
    return isinstance(exc, _Damaged) or _code(exc) in _DAMAGE_CODES


OPPOSITE = {"like": "unlike", "unlike": "like"}


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    account: str
    post_id: str
    action: str
    outcome: str
    detail: str
    author: str
    excerpt: str
    at: float


@dataclass(frozen=True)
class QueueItem:
    id: int
    account: str
    post_id: str
    action: str
    status: str
    attempts: int
    error: str
    retryable: int
    author: str
    excerpt: str
    created_at: float


@dataclass(frozen=True)
class QueueRequest:
    """One action to queue for a post; author and excerpt are kept for history."""

    post_id: str
    action: str
    author: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class StoredBudget:
    """A rate-limit budget as X last reported it, kept across restarts."""

    limit: int
    remaining: int
    reset_at: float
    seen_at: float


@dataclass(frozen=True)
class QueueCounts:
    pending: int = 0
    done: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.done + self.failed


class StateDB:
    """One connection, used from the app's event loop (calls are short and local)."""

    def __init__(
        self,
        path: Path | str,
        clock: Callable[[], float] = time.time,
        *,
        busy_timeout: float = 30.0,
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.busy_timeout = busy_timeout
        """How long to wait for another process's write transaction before giving up."""
        self.warning: str | None = None
        try:
            self.db = self._open_waiting()
        except sqlite3.DatabaseError as exc:
            if not _is_damaged(exc):
                raise StoreError(f"Cannot open {self.path}: {exc}.", self.path) from None
            if self.path == Path(":memory:") or not self.path.exists():
                raise StoreError(f"Cannot open {self.path}: {exc}.", self.path) from None
            moved = quarantine(self.path)
            for suffix in ("-wal", "-shm"):
                side = Path(str(self.path) + suffix)
                if side.exists():
                    side.replace(Path(str(moved) + suffix))
            self.warning = (
                f"{self.path} was damaged ({exc}); moved to {moved.name} and a new one started. "
                "History and pending likes from the old file are in that copy."
            )
            self.db = self._open_waiting()

    def _open_waiting(self) -> sqlite3.Connection:
        """Open, waiting out another process's write transaction: SQLite's busy handler covers
        most statements, but switching to WAL or recovering a WAL can answer 'locked' at once."""
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.01
        while True:
            try:
                return self._open()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{self.path} is in use by another likes-tui and stayed locked for "
                        f"{self.busy_timeout:g} s; try again when it has finished.",
                        self.path,
                    ) from None
                time.sleep(pause)
                pause = min(0.25, pause * 2)

    def _open(self) -> sqlite3.Connection:
        if str(self.path) != ":memory:" and not self.path.exists():
            # History is private: create the file owner-only (SQLite copies the mode to -wal).
            with contextlib.suppress(OSError):
                os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
        try:
            db = sqlite3.connect(
                self.path,
                isolation_level=None,
                timeout=self.busy_timeout,
                check_same_thread=False,  # used from the store's one worker thread (OffLoop)
            )
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"Cannot open {self.path}: {exc}. Check the directory's permissions.", self.path
            ) from None
        db.row_factory = sqlite3.Row
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise _Damaged(check.splitlines()[-1].strip())
            self._migrate(db)
            # A read-only file opens and reads fine; find out now, not at the first like.
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            db.close()
            if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
                raise StoreError(
                    f"{self.path} is read-only; likes cannot be recorded. Make it writable.",
                    self.path,
                ) from None
            raise
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """Bring the schema up to date in one write transaction. The version is read again
        inside it: another process may have migrated while this one waited for the lock."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"The state file was written by a newer likes-tui (schema {version}); upgrade."
            )
        if version == len(MIGRATIONS):
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for script in MIGRATIONS[version:]:
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def _tx(self) -> _Tx:
        return _Tx(self.db, self.path)

    # -- history ---------------------------------------------------------------------------

    def record(
        self,
        account: str,
        post_id: str,
        action: str,
        outcome: str,
        *,
        detail: str = "",
        author: str = "",
        excerpt: str = "",
    ) -> None:
        with self._tx():
            self._insert_history(account, post_id, action, outcome, detail, author, excerpt)

    def _insert_history(
        self,
        account: str,
        post_id: str,
        action: str,
        outcome: str,
        detail: str,
        author: str,
        excerpt: str,
    ) -> None:
        self.db.execute(
            "INSERT INTO history (account, post_id, action, outcome, detail, author, excerpt, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (account, post_id, action, outcome, detail, author, excerpt, self.clock()),
        )

    def history(
        self, account: str | None = None, search: str = "", limit: int = 500
    ) -> list[HistoryEntry]:
        """Newest first; `search` matches post id, author or text."""
        sql = "SELECT * FROM history WHERE 1=1"
        args: list[object] = []
        if account:
            sql += " AND account = ?"
            args.append(account)
        if search:
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{escaped}%"
            sql += (
                " AND ("
                + " OR ".join(
                    f"{col} LIKE ? ESCAPE '\\'"
                    for col in ("post_id", "author", "excerpt", "action")
                )
                + ")"
            )
            args += [like, like, like, like]
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        return [HistoryEntry(**dict(row)) for row in self.db.execute(sql, args)]

    def known_states(self, account: str, post_ids: Iterable[str]) -> dict[str, bool]:
        """Liked (True) or not (False) per post, from the last confirmed action; absent = unknown."""
        ids = list(post_ids)
        result: dict[str, bool] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT post_id, action FROM history WHERE id IN (SELECT MAX(id) FROM history"
                f" WHERE account = ? AND outcome = 'ok' AND post_id IN ({marks}) GROUP BY post_id)",
                [account, *chunk],
            )
            result.update({row["post_id"]: row["action"] == "like" for row in rows})
        return result

    # -- queue -----------------------------------------------------------------------------

    def enqueue(
        self, account: str, post_id: str, action: str, *, author: str = "", excerpt: str = ""
    ) -> str:
        """Queue one action; see `enqueue_many` for what it returns."""
        return self.enqueue_many(account, [QueueRequest(post_id, action, author, excerpt)])[post_id]

    def enqueue_many(
        self,
        account: str,
        items: Iterable[QueueRequest],
        *,
        unless_done: bool = True,
    ) -> dict[str, str]:
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
        outcomes: dict[str, str] = {}
        with self._tx():
            self._start_batch_if_idle(account)
            post_ids = [item.post_id for item in items]
            pending = self._pending_for(account, post_ids)
            known_now = self.known_states(account, post_ids) if unless_done else {}
            new: dict[str, tuple[str, str, str]] = {}
            cancelled: list[int] = []
            for item in items:
                post_id, action, author, excerpt = (
                    item.post_id,
                    item.action,
                    item.author,
                    item.excerpt,
                )
                queued_id, queued_action, status = pending.get(post_id, (None, None, None))
                if post_id in new:
                    queued_action = new[post_id][0]
                if queued_action == action:
                    outcomes[post_id] = "duplicate"
                    continue
                if queued_action is None and known_now.get(post_id) == (action == "like"):
                    outcomes[post_id] = "done"
                    continue
                if status == "sending" and post_id not in new:
                    # On its way to X: it cannot be taken back, so the new action follows it.
                    pending.pop(post_id)
                    new[post_id] = (action, author, excerpt)
                    outcomes[post_id] = "queued"
                    continue
                if queued_action is not None:
                    new.pop(post_id, None)
                    if queued_id is not None:
                        cancelled.append(queued_id)
                        pending.pop(post_id)
                    known = self.known_states(account, [post_id]).get(post_id)
                    if known is not None and known == (action == "like"):
                        outcomes[post_id] = "cancelled"
                        continue
                new[post_id] = (action, author, excerpt)
                outcomes[post_id] = "queued"
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

    def _pending_for(self, account: str, post_ids: list[str]) -> dict[str, tuple[int, str, str]]:
        """The latest unsent (id, action, status) per post."""
        found: dict[str, tuple[int, str, str]] = {}
        unique = list(dict.fromkeys(post_ids))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            rows = self.db.execute(
                f"SELECT id, post_id, action, status FROM queue WHERE account = ?"
                f" AND status IN {UNSENT} AND post_id IN ({','.join('?' * len(chunk))})"
                " ORDER BY id",
                [account, *chunk],
            )
            found.update(
                {row["post_id"]: (row["id"], row["action"], row["status"]) for row in rows}
            )
        return found

    def next_pending(self, account: str) -> QueueItem | None:
        row = self.db.execute(
            "SELECT * FROM queue WHERE account = ? AND status = 'pending' ORDER BY id LIMIT 1",
            (account,),
        ).fetchone()
        return _item(row) if row else None

    def pending(self, account: str) -> list[QueueItem]:
        """Everything X has not confirmed yet, including a row on its way."""
        rows = self.db.execute(
            f"SELECT * FROM queue WHERE account = ? AND status IN {UNSENT} ORDER BY id",
            (account,),
        )
        return [_item(r) for r in rows]

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

    def failed(self, account: str) -> list[QueueItem]:
        rows = self.db.execute(
            "SELECT * FROM queue WHERE account = ? AND status = 'failed' ORDER BY id", (account,)
        )
        return [_item(r) for r in rows]

    def complete(self, item: QueueItem, liked: bool) -> None:
        """Mark done and write history in one transaction, after X confirmed."""
        with self._tx():
            self.db.execute(
                "UPDATE queue SET status = 'done', attempts = attempts + 1, updated_at = ? WHERE id = ?",
                (self.clock(), item.id),
            )
            self._insert_history(
                item.account,
                item.post_id,
                "like" if liked else "unlike",
                "ok",
                "",
                item.author,
                item.excerpt,
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
                self._insert_history(
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

    def counts(self, account: str, since_id: int = 0) -> QueueCounts:
        """Unsent and failed work whenever queued; done only since `since_id` (this session)."""
        rows = self.db.execute(
            "SELECT status, COUNT(*) AS n FROM queue WHERE account = ?"
            " AND (id > ? OR status IN ('pending', 'sending', 'failed')) GROUP BY status",
            (account, since_id),
        )
        by = {r["status"]: r["n"] for r in rows}
        unsent = by.get("pending", 0) + by.get("sending", 0)
        return QueueCounts(unsent, by.get("done", 0), by.get("failed", 0))

    # -- rate-limit budgets ---------------------------------------------------------------

    def save_budget(
        self, account: str, kind: str, limit: int, remaining: int, reset_at: float
    ) -> None:
        """The latest figures X reported for one endpoint kind, so a restart respects them."""
        with self._tx():
            self.db.execute(
                "INSERT INTO budgets (account, kind, lim, remaining, reset_at, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, kind) DO UPDATE SET"
                " lim = excluded.lim, remaining = excluded.remaining,"
                " reset_at = excluded.reset_at, seen_at = excluded.seen_at",
                (account, kind, limit, remaining, reset_at, self.clock()),
            )

    def budgets(self, account: str) -> dict[str, StoredBudget]:
        """Per endpoint kind, for windows that have not reset."""
        rows = self.db.execute(
            "SELECT kind, lim, remaining, reset_at, seen_at FROM budgets"
            " WHERE account = ? AND reset_at > ?",
            (account, self.clock()),
        )
        return {
            r["kind"]: StoredBudget(r["lim"], r["remaining"], r["reset_at"], r["seen_at"])
            for r in rows
        }

    def last_queue_id(self) -> int:
        row = self.db.execute("SELECT MAX(id) FROM queue").fetchone()
        return int(row[0] or 0)


class _Tx:
    """One write transaction; SQLite failures become a StoreError naming the file."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        self.path = path

    def __enter__(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot write {self.path}: {exc}.", self.path) from None

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.Error:
                pass
        self.db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error) or exc_type is None:
            raise StoreError(
                f"Cannot write {self.path}: {exc or 'commit failed'}. Check that the file and "
                "its directory are writable.",
                self.path,
            ) from None


def _item(row: sqlite3.Row) -> QueueItem:
    data = dict(row)
    data.pop("updated_at", None)
    return QueueItem(**data)
