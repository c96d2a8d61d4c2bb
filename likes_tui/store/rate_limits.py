"""The last rate limits X reported, per account and endpoint kind, so a restart (or
another process) does not send into a window that is already used up."""

from __future__ import annotations

from dataclasses import dataclass

from likes_tui.store.db import Table


@dataclass(frozen=True)
class StoredRateLimit:
    """A rate limit as X last reported it, kept across restarts (in the `budgets` table:
    its on-disk name from before "budget" came to mean money only)."""

    limit: int
    remaining: int
    reset_at: float
    seen_at: float


class RateLimitTable(Table):
    def save(self, account: str, kind: str, limit: int, remaining: int, reset_at: float) -> None:
        """The latest figures X reported for one endpoint kind, so a restart respects them."""
        with self._tx():
            self.db.execute(
                "INSERT INTO budgets (account, kind, lim, remaining, reset_at, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, kind) DO UPDATE SET"
                " lim = excluded.lim, remaining = excluded.remaining,"
                " reset_at = excluded.reset_at, seen_at = excluded.seen_at",
                (account, kind, limit, remaining, reset_at, self.clock()),
            )

    def stored(self, account: str) -> dict[str, StoredRateLimit]:
        """Per endpoint kind, for windows that have not reset."""
        rows = self.db.execute(
            "SELECT kind, lim, remaining, reset_at, seen_at FROM budgets"
            " WHERE account = ? AND reset_at > ?",
            (account, self.clock()),
        )
        return {
            r["kind"]: StoredRateLimit(r["lim"], r["remaining"], r["reset_at"], r["seen_at"])
            for r in rows
        }
