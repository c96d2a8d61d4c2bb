"""The state database file: opening it safely beside other processes, its schema and
migrations, and write transactions.

WAL mode, `synchronous=FULL` for the queue's sake, schema versioned with `PRAGMA user_version`.
Several processes share the file (the app, headless runs, cron). A database another process is
writing is busy, not damaged: it is waited for, and only a file SQLite calls malformed is moved
aside.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

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
    """
    CREATE TABLE charges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        day TEXT NOT NULL,
        kind TEXT NOT NULL,
        resource TEXT,
        usd REAL NOT NULL,
        at REAL NOT NULL
    );
    CREATE UNIQUE INDEX charges_once_a_day ON charges (account, day, resource)
        WHERE resource IS NOT NULL;
    CREATE INDEX charges_by_day ON charges (account, day);
    """,
    """
    CREATE TABLE post_cache (
        post_id TEXT PRIMARY KEY,
        day TEXT NOT NULL,
        post TEXT NOT NULL,
        author TEXT,
        at REAL NOT NULL
    );
    CREATE TABLE author_cache (
        user_id TEXT PRIMARY KEY,
        user TEXT NOT NULL,
        fetched_at REAL NOT NULL
    );
    """,
    """
    CREATE TABLE holds (
        account TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        message TEXT NOT NULL,
        at REAL NOT NULL
    );
    """,
    """
    CREATE TABLE archived_likes (
        account TEXT NOT NULL,
        post_id TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        posted_at REAL,
        archived_at REAL NOT NULL,
        PRIMARY KEY (account, post_id)
    ) WITHOUT ROWID;
    CREATE INDEX archived_by_time ON archived_likes (account, posted_at);
    """,
    """
    CREATE INDEX queue_by_action ON queue (account, status, action);
    CREATE INDEX queue_by_post ON queue (account, post_id, status);
    """,
    # The status check as equalities: SQLite builds an IN list of more than two values into
    # a lookup table once per statement run, and an executemany runs the INSERT once a row
    # (about 2 µs a row: 0.2 s of queueing 100,000 posts). The sequence is carried over so
    # no id is used twice.
    """
    CREATE TABLE queue_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        post_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('like', 'unlike')),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status = 'pending' OR status = 'sending' OR status = 'done'
                   OR status = 'failed' OR status = 'cancelled'),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        retryable INTEGER NOT NULL DEFAULT 1,
        author TEXT NOT NULL DEFAULT '',
        excerpt TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    INSERT INTO queue_v3 (id, account, post_id, action, status, attempts, error, retryable,
        author, excerpt, created_at, updated_at)
        SELECT id, account, post_id, action, status, attempts, error, retryable, author,
        excerpt, created_at, updated_at FROM queue;
    UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT seq FROM sqlite_sequence
        WHERE name = 'queue')) WHERE name = 'queue_v3';
    INSERT INTO sqlite_sequence (name, seq)
        SELECT 'queue_v3', seq FROM sqlite_sequence WHERE name = 'queue'
        AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'queue_v3');
    DROP TABLE queue;
    ALTER TABLE queue_v3 RENAME TO queue;
    CREATE INDEX queue_by_status ON queue (account, status, id);
    CREATE INDEX queue_by_action ON queue (account, status, action);
    CREATE INDEX queue_by_post ON queue (account, post_id, status);
    """,
]


def contains(text: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') for values that contain `text` as it is typed: its
    own %, _ and backslashes match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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


class Database:
    """One connection, used from the store's one worker thread (calls are short and local)."""

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

    def _rows_in(self, sql: str, ids: list[str], *before: object) -> Iterator[sqlite3.Row]:
        """Run `sql`, whose `{marks}` is an IN list of `ids`, in chunks of 500 (SQLite
        limits the parameters of one statement); `before` are the parameters ahead of it."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(sql.format(marks=marks), (*before, *chunk))

    def _tx(self) -> _Tx:
        return _Tx(self.db, self.path)


class Table:
    """A group of the state database's tables over its one connection. StateDB composes
    them (`state.queue`, `state.history`, …); a table that needs another is given it."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.clock = database.clock

    @property
    def db(self) -> sqlite3.Connection:
        return self.database.db

    def _tx(self) -> _Tx:
        return self.database._tx()

    def _rows_in(self, sql: str, ids: list[str], *before: object) -> Iterator[sqlite3.Row]:
        return self.database._rows_in(sql, ids, *before)


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
