"""What a bulk action will cost before it is sent: the estimate the confirmations, the
headless runs and `like --dry-run` show (the rates and the billing rules: billing.py)."""

from __future__ import annotations

from dataclasses import dataclass

from likes_tui.billing import DEFAULT_PRICES, Prices, dollars
from likes_tui.domain import Action


@dataclass(frozen=True)
class Estimate:
    """What a bulk action will take: how many requests, how long, what it costs."""

    count: int
    action: Action
    eta_seconds: float
    prices: Prices = DEFAULT_PRICES
    reads: int = 0
    """Posts still to be looked up first (a headless run reads each before queueing it):
    at most a post and an author each, less what was read today already."""
    pace: str = ""
    """The person's pace and hours in words, when they set one."""

    @property
    def each(self) -> float:
        return self.prices.like if self.action is Action.LIKE else self.prices.unlike

    @property
    def cost_usd(self) -> float:
        return round(self.count * self.each, 6)

    @property
    def reads_usd(self) -> float:
        """The most the lookups can cost (a resource read today already is free)."""
        return round(self.reads * (self.prices.post_read + self.prices.user_read), 6)

    def words(self) -> str:
        from likes_tui.durations import clock_text

        verb = "like" if self.action is Action.LIKE else "unlike"
        posts = "post" if self.count == 1 else "posts"
        pace = (
            "within X's current window"
            if self.eta_seconds < 1
            else f"about {clock_text(self.eta_seconds)} at "
            + (f"your pace ({self.pace})" if self.pace else "X's pace")
        )
        text = (
            f"{verb.capitalize()} {self.count:,} {posts}: {pace}, "
            f"about {dollars(self.cost_usd)} at X's pay-per-use rates "
            f"(${self.each:.3f} each, read {self.prices.read_on})"
        )
        if self.reads:
            text += f", plus up to {dollars(self.reads_usd)} to look them up first"
        return text + "."
