"""Posts as X returned them today, and the authors read in the last week.

A post pasted again the same UTC day (in this run or after a restart) is shown from here,
without a request: X would not bill the second read that day either, and it saves the
request, the wait and the lookup window. Authors are kept for a week (names rarely change):
a new post by an author read this week costs its post read only, not a user read again."""

from __future__ import annotations

import json
from typing import Any

from likes_tui.store.db import Table


class PostCacheTable(Table):
    def cache_posts(
        self, day: str, posts: list[tuple[dict[str, Any], dict[str, Any] | None]], at: float
    ) -> None:
        """(post JSON, its author's JSON) as X returned them, for `day` (UTC)."""
        with self._tx():
            self._insert_posts(day, posts, at)

    def _insert_posts(
        self, day: str, posts: list[tuple[dict[str, Any], dict[str, Any] | None]], at: float
    ) -> None:
        if posts:
            self.db.executemany(
                "INSERT INTO post_cache (post_id, day, post, author, at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (post_id) DO UPDATE SET day = excluded.day,"
                " post = excluded.post, author = excluded.author, at = excluded.at",
                [
                    (
                        str(post["id"]),
                        day,
                        json.dumps(post),
                        json.dumps(author) if author else None,
                        at,
                    )
                    for post, author in posts
                ],
            )
            self.db.execute("DELETE FROM post_cache WHERE day < ?", (day,))

    def cached_post_ids(self, day: str) -> set[str]:
        return {
            r["post_id"]
            for r in self.db.execute("SELECT post_id FROM post_cache WHERE day = ?", (day,))
        }

    def cached_posts(
        self, ids: list[str], day: str
    ) -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
        """The posts of `ids` read on `day`, as (post JSON, author JSON)."""
        rows = self._rows_in(
            "SELECT post_id, post, author FROM post_cache WHERE day = ? AND post_id IN ({marks})",
            ids,
            day,
        )
        return {
            r["post_id"]: (json.loads(r["post"]), json.loads(r["author"]) if r["author"] else None)
            for r in rows
        }

    def cache_authors(self, users: list[dict[str, Any]], at: float) -> None:
        with self._tx():
            self._insert_authors(users, at)

    def _insert_authors(self, users: list[dict[str, Any]], at: float) -> None:
        if users:
            self.db.executemany(
                "INSERT INTO author_cache (user_id, user, fetched_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET user = excluded.user,"
                " fetched_at = excluded.fetched_at",
                [(str(u["id"]), json.dumps(u), at) for u in users],
            )

    def cached_authors(self, ids: list[str], since: float) -> dict[str, dict[str, Any]]:
        """The authors of `ids` read at `since` or later, as X returned them."""
        rows = self._rows_in(
            "SELECT user_id, user FROM author_cache WHERE fetched_at >= ? AND user_id IN ({marks})",
            ids,
            since,
        )
        return {r["user_id"]: json.loads(r["user"]) for r in rows}
