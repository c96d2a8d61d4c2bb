"""What X bills for the calls the app makes (pay-per-use), as published in spring 2026.

The rates change; the Developer Console shows the current ones. Writes are billed per request;
reads per resource returned, and a resource already billed in the current UTC day is free.
"""

from __future__ import annotations

from dataclasses import dataclass

from likes_tui.domain import Action

PRICES_READ_ON = "2026-04-20"
"""When the rates below were read from X's pricing page."""
LIKE = 0.015
"""A like: "User Interaction: Create"."""
UNLIKE = 0.010
"""An unlike: "Interaction: Delete"."""
POST_READ = 0.005
USER_READ = 0.010
OWNED_READ = 0.001
"""A post read back from one's own likes (`liked_tweets`)."""


def write_price(action: Action) -> float:
    return LIKE if action is Action.LIKE else UNLIKE


@dataclass(frozen=True)
class Estimate:
    """What a bulk action will take: how many requests, how long, what it costs."""

    count: int
    action: Action
    eta_seconds: float

    @property
    def cost_usd(self) -> float:
        return self.count * write_price(self.action)

    def words(self) -> str:
        from likes_tui.durations import clock_text

        verb = "like" if self.action is Action.LIKE else "unlike"
        posts = "post" if self.count == 1 else "posts"
        return (
            f"{verb.capitalize()} {self.count:,} {posts}: about {clock_text(self.eta_seconds)} "
            f"at X's pace, about ${self.cost_usd:,.2f} at X's pay-per-use rates "
            f"(${write_price(self.action):.3f} each, read {PRICES_READ_ON})."
        )
