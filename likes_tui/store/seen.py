"""The post ids one long input has named so far: a million-line `like --file` drops the ids an
earlier chunk already named, in bounded memory."""

from __future__ import annotations

import sqlite3

IN_MEMORY = 20_000
"""Ids held in a set before they move to disk: one chunk of input (cli.headless.CHUNK_LINES),
so a paste-sized input never touches SQLite. Measured on `like --dry-run` of 1,000,000 ids:
past this, a set of 200,000 took the peak from 44 MB to 102 MB, and disk costs about 0.6 µs
an id."""


class SeenIds:
    """A set, then a private temporary SQLite database (SQLite deletes it on close) whose
    page cache is SQLite's default 2 MB whatever the input's size. Post ids are integers of at
    most 63 bits (urls.MAX_POST_ID): on disk they are stored and compared as integers."""

    def __init__(self, in_memory: int | None = None) -> None:
        self.in_memory = IN_MEMORY if in_memory is None else in_memory
        self._set: set[str] = set()
        self._db: sqlite3.Connection | None = None

    def fresh(self, ids: list[str]) -> list[str]:
        """`ids` (distinct, digits only, as urls.extract_post_ids gives them) not met before,
        in their order; from now on they have been met."""
        if self._db is None and len(self._set) + len(ids) <= self.in_memory:
            new = [post_id for post_id in ids if post_id not in self._set]
            self._set.update(new)
            return new
        if self._db is None:
            # one caller at a time, but not always on the thread that opened it (headless reads
            # and parses on its own thread, and closes from the loop's)
            self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("CREATE TABLE seen (id INTEGER PRIMARY KEY)")
            self._insert(list(self._set))
            self._set = set()
        if not ids:
            return []
        added = self._insert(ids)
        if len(added) == len(ids):
            return ids
        return [post_id for post_id in ids if int(post_id) in added]

    def _insert(self, ids: list[str]) -> set[int]:
        """Insert `ids` in one statement; the ones that were not there yet. Digit strings
        joined with commas are a JSON array of numbers, so nothing is converted here."""
        assert self._db is not None
        rows = self._db.execute(
            "INSERT INTO seen (id) SELECT value FROM json_each(?) WHERE true"
            " ON CONFLICT DO NOTHING RETURNING id",
            ("[" + ",".join(ids) + "]",),
        )
        return {row[0] for row in rows}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._set = set()
