"""What X billed this app's calls, per account and UTC day (the meter's ledger).

A read resource is billed once a UTC day, as X bills it: the unique index makes a second
insert of the same resource that day a no-op, across processes too. Writes (likes, unlikes)
have no resource and are billed per request."""

from __future__ import annotations

from dataclasses import dataclass

from likes_tui.billing import Charge, Prices
from likes_tui.store.db import Table


@dataclass(frozen=True)
class DaySpend:
    """One UTC day's spend for one account: per kind (count, dollars), and the total."""

    day: str
    kinds: dict[str, tuple[int, float]]

    @property
    def total(self) -> float:
        return round(sum(usd for _, usd in self.kinds.values()), 6)


class SpendTable(Table):
    def record_charges(
        self, account: str, day: str, found: list[Charge], prices: Prices, at: float
    ) -> float:
        """Record what an answer billed; returns the dollars newly billed (a resource
        already billed today costs nothing)."""
        with self._tx():
            return self._insert_charges(account, day, found, prices, at)

    def _insert_charges(
        self, account: str, day: str, found: list[Charge], prices: Prices, at: float
    ) -> float:
        """record_charges inside a transaction the caller holds."""
        billed = 0.0
        for charge in found:
            usd = prices.of(charge.kind)
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO charges (account, day, kind, resource, usd, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (account, day, charge.kind, charge.resource, usd, at),
            )
            if cursor.rowcount:
                billed += usd
        return round(billed, 6)

    def days(self, account: str, since_day: str = "") -> list[DaySpend]:
        """Per UTC day from `since_day` on (all days if empty), newest first."""
        rows = self.db.execute(
            "SELECT day, kind, COUNT(*) AS n, SUM(usd) AS usd FROM charges"
            " WHERE account = ? AND day >= ? GROUP BY day, kind ORDER BY day DESC",
            (account, since_day),
        )
        days: dict[str, dict[str, tuple[int, float]]] = {}
        for r in rows:
            days.setdefault(r["day"], {})[r["kind"]] = (r["n"], round(r["usd"], 6))
        return [DaySpend(day, kinds) for day, kinds in days.items()]

    def spent_on(self, account: str, day: str) -> float:
        row = self.db.execute(
            "SELECT COALESCE(SUM(usd), 0) AS usd FROM charges WHERE account = ? AND day = ?",
            (account, day),
        ).fetchone()
        return round(float(row["usd"]), 6)
