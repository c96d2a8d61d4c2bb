"""The App's money at X, as the pricing page describes it: a prepaid balance that a request
may take slightly below zero (then everything is refused until credits cover it), a spending
limit per billing cycle (refused until the next cycle, whatever the balance), and
auto-recharge, which runs at most once every five minutes."""

from __future__ import annotations

from collections.abc import Callable

from likes_tui.sandbox.responses import Reply, Responses

RECHARGE_EVERY = 300.0
"""X's auto-recharge runs at most once in five minutes."""


class Credits(Responses):
    """Mixed into XSandbox, whose fields and state it reads (declared for the type checker)."""

    clock: Callable[[], float]
    credits: float | None
    spending_limit: float | None
    auto_recharge: float
    cycle_spend: float
    recharged_at: float | None
    recharges: int

    def _payment_refusal(self) -> Reply | None:
        """The 402 X gives before it handles a request, if the money says no."""
        if self.spending_limit is not None and self.cycle_spend >= self.spending_limit:
            # X's body for this case is not recorded: the type is our guess (the client
            # takes any other 402 with advice that names every cause).
            return self._payment(
                "SpendingLimitReached",
                f"Your spending limit of ${self.spending_limit:.2f} for this billing cycle is "
                "reached. Requests are blocked until the next billing cycle.",
                "spending-limit",
            )
        if self.credits is None or self.credits > 0:
            return None
        now = self.clock()
        if self.auto_recharge > 0 and (
            self.recharged_at is None or now - self.recharged_at >= RECHARGE_EVERY
        ):
            self.credits += self.auto_recharge
            self.recharged_at = now
            self.recharges += 1
            return None if self.credits > 0 else self._credits_refusal()
        return self._credits_refusal()

    def _credits_refusal(self) -> Reply:
        # The one 402 on record came as application/json (x-api.md); its exact fields are
        # not, so these follow X's problem shape with a `credits` type.
        balance = self.credits or 0.0
        detail = (
            f"Your enrolled account has a negative balance (${balance:.3f}). Add credits to "
            "cover it to continue."
            if balance < 0
            else "Your enrolled account does not have any credits to fulfill this request."
        )
        return self._payment("CreditsDepleted", detail, "credits")

    def _payment(self, title: str, detail: str, kind: str) -> Reply:
        return self._json(
            402, {"title": title, "detail": detail, "type": self._problem_type(kind), "status": 402}
        )

    def _spend(self, usd: float) -> None:
        """Take one billed answer's price (after it was served: a balance can go below zero)."""
        self.cycle_spend += usd
        if self.credits is not None:
            self.credits -= usd
