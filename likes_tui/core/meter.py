"""The cost meter: what X bills each answer (into the spend table, shared by every process),
today's and this session's spend, and the person's daily budget (money; X's rate limits
are the sender's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from likes_tui.billing import Charge, charges, first_day, utc_day
from likes_tui.domain import Action
from likes_tui.store.files import StoreError

if TYPE_CHECKING:
    from likes_tui.core.session import Session
    from likes_tui.store.state import DaySpend

PostAndAuthor = tuple[dict[str, Any], dict[str, Any] | None]


class Meter:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.ctx = session.ctx
        self.spent_today = 0.0
        self.spent_session = 0.0
        """What X billed this account's calls: today (UTC, every process) and since start."""
        self.on_cached: Callable[[str, set[str]], None] = lambda day, ids: None
        """Told the posts an answer put in today's cache (the post list keeps their ids)."""
        self.on_spent: Callable[[], None] = lambda: None
        """Told when the spend changed (the queue view shows it)."""

    async def load(self) -> None:
        day = utc_day(self.ctx.clock())
        self.spent_today = await self.session.io(
            self.ctx.state.spend.spent_on, self.session.account, day
        )

    def metered(self, endpoint: str, data: Any) -> None:
        """Every successful answer: what X bills for it goes into the spend table (where a
        resource already billed today, by any process, costs nothing again), and its posts
        and users into the caches, in one write."""
        owner = self.ctx.profile.owns_app if self.ctx.profile else True
        found = charges(endpoint, data, owner=owner)
        posts: list[PostAndAuthor] = []
        users: list[dict[str, Any]] = []
        if endpoint in ("lookup", "users") and isinstance(data, dict):
            posts, users = posts_and_users(endpoint, data)
        if found or posts or users:
            self.session.spawn(self._record_answer(found, posts, users))

    async def _record_answer(
        self, found: list[Charge], posts: list[PostAndAuthor], users: list[dict[str, Any]]
    ) -> None:
        now = self.ctx.clock()
        day = utc_day(now)
        state = self.ctx.state
        prices = self.ctx.settings.prices
        account = self.session.account
        io = self.session.io
        try:
            billed = await io(state.record_answer, account, day, found, prices, posts, users, now)
            if posts:
                self.on_cached(day, {str(p["id"]) for p, _ in posts})
            if found:
                self.spent_today = await io(state.spend.spent_on, account, day)
        except StoreError:
            return
        if found:
            self.spent_session = round(self.spent_session + billed, 6)
            self.on_spent()

    async def _budget_and_spent(self) -> tuple[float, float]:
        """daily_budget_usd (0: off), and what today cost so far (read only when it is on)."""
        budget = self.ctx.settings.daily_budget_usd
        if budget <= 0:
            return budget, 0.0
        day = utc_day(self.ctx.clock())
        return budget, await self.session.io(
            self.ctx.state.spend.spent_on, self.session.account, day
        )

    async def over_budget(self, action: Action) -> str | None:
        """Why sending one more `action` would pass today's daily_budget_usd, or None."""
        budget, spent = await self._budget_and_spent()
        if budget <= 0:
            return None
        prices = self.ctx.settings.prices
        price = prices.like if action is Action.LIKE else prices.unlike
        if spent + price <= budget + 1e-9:
            return None
        return (
            f"today's budget of ${budget:.2f} is reached (${spent:.3f} spent); raise "
            "daily_budget_usd or resume after 00:00 UTC"
        )

    async def spend_report(self, days: int = 7) -> list[DaySpend]:
        """What X billed this account per UTC day and kind, newest first."""
        since = first_day(days, self.ctx.clock())
        return await self.session.io(self.ctx.state.spend.days, self.session.account, since)

    async def lookup_over_budget(self, count: int) -> str | None:
        """Looking up `count` posts may pass today's budget: what to ask, or None."""
        if count <= 0:
            return None
        budget, spent = await self._budget_and_spent()
        if budget <= 0:
            return None
        prices = self.ctx.settings.prices
        most = count * (prices.post_read + prices.user_read)
        if spent + most <= budget + 1e-9:
            return None
        return (
            f"Looking up {count:,} posts may cost up to ${most:.2f} (less for posts and authors "
            f"read today), and ${spent:.3f} of today's ${budget:.2f} budget is spent."
        )


def posts_and_users(
    endpoint: str, data: dict[str, Any]
) -> tuple[list[PostAndAuthor], list[dict[str, Any]]]:
    """A lookup's posts with their expanded authors, and every user an answer returned."""
    includes = data.get("includes")
    users = includes.get("users") if isinstance(includes, dict) else None
    items = data.get("data")
    listed = items if isinstance(items, list) else [items] if isinstance(items, dict) else []
    listed = [i for i in listed if isinstance(i, dict) and isinstance(i.get("id"), str)]
    if endpoint == "users":
        return [], listed
    kept = [u for u in users or [] if isinstance(u, dict) and isinstance(u.get("id"), str)]
    authors = {u["id"]: u for u in kept}
    return [(p, authors.get(p.get("author_id"))) for p in listed], kept
