"""The likes an account's X archive holds (`likes-tui import`): known like state that cost
nothing to learn, dated by the archive, searchable, and the source of a bulk unlike.

A like the archive holds counts as liked until history has a newer confirmed action for the
post (history.known_states merges the two)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from likes_tui.store.db import Table, contains

if TYPE_CHECKING:
    from likes_tui.archive import ArchivedLike

BATCH = 5000
"""Rows per executemany: one statement per batch, not one per like."""


@dataclass(frozen=True)
class ArchiveFilter:
    """Which archived likes: text (in the post, its URL or id), and the post's own time."""

    matching: str = ""
    before: float | None = None
    """Posts made before this time (epoch seconds)."""
    after: float | None = None
    """Posts made at or after this time."""

    def words(self) -> str:
        """The filter as a person would say it ("" for every archived like)."""
        from likes_tui.billing import utc_day as day

        parts = []
        if self.matching:
            parts.append(f"matching {self.matching!r}")
        if self.after is not None:
            parts.append(f"posted from {day(self.after)}")
        if self.before is not None:
            parts.append(f"posted before {day(self.before)}")
        return ", ".join(parts)

    def where(self, account: str) -> tuple[str, list[object]]:
        sql = "account = ?"
        args: list[object] = [account]
        if self.matching:
            sql += " AND (text LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\' OR post_id LIKE ?)"
            args += [contains(self.matching)] * 3
        if self.before is not None:
            sql += " AND posted_at < ?"
            args.append(self.before)
        if self.after is not None:
            sql += " AND posted_at >= ?"
            args.append(self.after)
        return sql, args


@dataclass(frozen=True)
class ArchivedRow:
    post_id: str
    text: str
    url: str
    posted_at: float | None
    archived_at: float


@dataclass(frozen=True)
class ImportResult:
    found: int
    new: int
    archived_at: float
    """The date the likes were recorded with (the archive's)."""


class ArchiveTable(Table):
    def import_likes(
        self, account: str, likes: Iterable[ArchivedLike], archived_at: float
    ) -> ImportResult:
        """Every like in one transaction, written in batches: a broken part raises and
        leaves the table as it was. A like already known keeps its row; a newer archive
        moves its date forward. Importing the same archive twice changes nothing."""
        from likes_tui.archive import posted_at  # (the reader, zipfile: imports only)

        found = 0
        with self._tx():
            before = self._count(account)
            rows = (
                (account, like.post_id, like.text, like.url, posted_at(like.post_id), archived_at)
                for like in likes
            )
            while batch := list(islice(rows, BATCH)):
                found += len(batch)
                self.db.executemany(
                    "INSERT INTO archived_likes (account, post_id, text, url, posted_at, "
                    "archived_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, post_id) DO "
                    "UPDATE SET archived_at = excluded.archived_at, text = excluded.text, "
                    "url = excluded.url WHERE excluded.archived_at > archived_likes.archived_at",
                    batch,
                )
            new = self._count(account) - before
        return ImportResult(found, new, archived_at)

    def _count(self, account: str) -> int:
        row = self.db.execute(
            "SELECT COUNT(*) FROM archived_likes WHERE account = ?", (account,)
        ).fetchone()
        return int(row[0])

    def count(self, account: str, where: ArchiveFilter | None = None) -> int:
        sql, args = (where or ArchiveFilter()).where(account)
        return int(
            self.db.execute(f"SELECT COUNT(*) FROM archived_likes WHERE {sql}", args).fetchone()[0]
        )

    def likes(
        self, account: str, where: ArchiveFilter | None = None, limit: int | None = 500
    ) -> list[ArchivedRow]:
        """Newest post first."""
        sql, args = (where or ArchiveFilter()).where(account)
        query = (
            "SELECT post_id, text, url, posted_at, archived_at FROM archived_likes "
            f"WHERE {sql} ORDER BY posted_at DESC, post_id DESC"
        )
        if limit is not None:
            query += " LIMIT ?"
            args.append(limit)
        return [ArchivedRow(*row) for row in self.db.execute(query, args)]

    def ids(self, account: str, where: ArchiveFilter | None = None) -> Iterator[str]:
        """The matching post ids, oldest post first (a bulk unlike starts with the oldest)."""
        sql, args = (where or ArchiveFilter()).where(account)
        cursor = self.db.execute(
            f"SELECT post_id FROM archived_likes WHERE {sql} ORDER BY posted_at, post_id", args
        )
        for row in cursor:
            yield row[0]
