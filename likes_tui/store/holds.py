"""Why an account's queue is held, kept across processes: a headless `like` refused for the
App's plan leaves the reason for `status`, `queue list` and the next run to show."""

from __future__ import annotations

from dataclasses import dataclass

from likes_tui.store.db import Table


@dataclass(frozen=True)
class StoredHold:
    reason: str
    message: str
    at: float


class HoldTable(Table):
    def save(self, account: str, reason: str, message: str) -> None:
        with self._tx():
            self.db.execute(
                "INSERT INTO holds (account, reason, message, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (account) DO UPDATE SET reason = excluded.reason,"
                " message = excluded.message, at = excluded.at",
                (account, reason, message, self.clock()),
            )

    def clear(self, account: str) -> None:
        """X accepted a like or unlike again: whatever held the queue is over."""
        with self._tx():
            self.db.execute("DELETE FROM holds WHERE account = ?", (account,))

    def stored(self, account: str) -> StoredHold | None:
        row = self.db.execute(
            "SELECT reason, message, at FROM holds WHERE account = ?", (account,)
        ).fetchone()
        return StoredHold(row["reason"], row["message"], row["at"]) if row else None
