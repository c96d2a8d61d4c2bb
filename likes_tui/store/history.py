"""The history of every like and unlike: what the account did, and what X confirmed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from likes_tui.domain import HistoryEntry, HistoryPage
from likes_tui.store.db import Table, contains

__all__ = ["ENTRY_COLUMNS", "HistoryEntry", "HistoryPage", "HistoryTable"]


ENTRY_COLUMNS = "id, account, post_id, action, outcome, detail, author, excerpt, at"
"""HistoryEntry's fields, in its order."""


class HistoryTable(Table):
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

    def entries(
        self, account: str | None = None, search: str = "", limit: int = 500
    ) -> list[HistoryEntry]:
        """Newest first; `search` matches post id, author or text."""
        where, args = _matching(account, search)
        sql = f"SELECT {ENTRY_COLUMNS} FROM history WHERE {where} ORDER BY id DESC LIMIT ?"
        return [HistoryEntry(*row) for row in self.db.execute(sql, [*args, limit])]

    def page(self, account: str | None = None, search: str = "", limit: int = 500) -> HistoryPage:
        """The newest `limit` entries and how many match in all. The count is a second scan,
        so it is made only when the page is full (a short page is its own count)."""
        entries = self.entries(account, search, limit)
        total = len(entries)
        if total >= limit:
            where, args = _matching(account, search)
            (total,) = self.db.execute(
                f"SELECT COUNT(*) FROM history WHERE {where}", args
            ).fetchone()
        return HistoryPage(entries, total)

    def since(self, account: str | None, at: float = 0.0) -> Iterator[HistoryEntry]:
        """Newest first, from `at` on, read as it is used (`history` exports any size).
        The columns are named in the entry's order and passed by position: a dict per row
        was a third of exporting 100,000 rows."""
        sql = f"SELECT {ENTRY_COLUMNS} FROM history WHERE at >= ?"
        args: list[object] = [at]
        if account:
            sql += " AND account = ?"
            args.append(account)
        for row in self.db.execute(sql + " ORDER BY id DESC", args):
            yield HistoryEntry(*row)

    def last_sent(self, account: str) -> float | None:
        """When the account's last like or unlike went to X (a pace carries on from it)."""
        row = self.db.execute(
            "SELECT at FROM history WHERE account = ? ORDER BY id DESC LIMIT 1", (account,)
        ).fetchone()
        return row[0] if row else None

    def known_states(self, account: str, post_ids: Iterable[str]) -> dict[str, bool]:
        """Liked (True) or not (False) per post, from the last confirmed action or, where
        an imported archive is newer than that (or there is none), liked; absent = unknown."""
        ids = list(post_ids)
        rows = self._rows_in(
            "SELECT post_id, action, at FROM history WHERE id IN (SELECT MAX(id) FROM history"
            " WHERE account = ? AND outcome = 'ok' AND post_id IN ({marks}) GROUP BY post_id)",
            ids,
            account,
        )
        known = {row["post_id"]: (row["action"] == "like", row["at"]) for row in rows}
        archived = self._rows_in(
            "SELECT post_id, archived_at FROM archived_likes WHERE account = ? AND post_id IN"
            " ({marks})",
            ids,
            account,
        )
        for post_id, archived_at in archived:
            if post_id not in known or known[post_id][1] < archived_at:
                known[post_id] = (True, archived_at)
        return {post_id: liked for post_id, (liked, _) in known.items()}


def _matching(account: str | None, search: str) -> tuple[str, list[object]]:
    """The WHERE clause for an account's entries that `search` matches, and its arguments."""
    where = "1=1"
    args: list[object] = []
    if account:
        where += " AND account = ?"
        args.append(account)
    if search:
        like = contains(search)
        columns = ("post_id", "author", "excerpt", "action")
        where += " AND (" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")"
        args += [like] * len(columns)
    return where, args
