"""X as it is now (issue 20): plans that refuse likes, limits read from answers, and the
causes of a 402, in-process and over loopback HTTP."""

from __future__ import annotations

import pytest

from likes_tui.api import errors
from likes_tui.api.client import XClient
from likes_tui.plans import Plan, parse_limit
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import GENERATED_BASE, SEED_POST_ID

POST = str(GENERATED_BASE)


async def test_a_self_serve_app_is_refused_likes_and_unlikes_but_reads_and_is_billed(
    any_client: XClient, sandbox: XSandbox
) -> None:
    sandbox.plan = Plan.SELF_SERVE
    await any_client.me()  # who you are: allowed, and billed as a read
    before = list(sandbox.bill)
    for call in (any_client.like, any_client.unlike):
        with pytest.raises(errors.LikesNotInPlan) as info:
            await call(POST)
        assert info.value.status == 403 and not info.value.retryable
        assert "20 April 2026" in info.value.message and "Enterprise" in info.value.message
        assert "console" in info.value.message
    assert POST not in sandbox.liked_by()
    assert sandbox.bill == before  # a refusal is never billed
    post = await any_client.get_post(SEED_POST_ID)
    assert post.id == SEED_POST_ID
    assert "post_read" in [kind for _, kind, _, _ in sandbox.bill[len(before) :]]


async def test_the_plan_refusal_is_known_by_type_whatever_the_reason(
    any_client: XClient, sandbox: XSandbox
) -> None:
    """X's body is not recorded: the older `client-not-enrolled` reason gets the plan advice
    too, and the Project hint."""
    await any_client.me()
    sandbox.faults.not_enrolled = True
    with pytest.raises(errors.LikesNotInPlan) as info:
        await any_client.like(POST)
    assert "Project" in info.value.message and "self-serve" in info.value.message


def test_self_serve_uses_the_liked_tweets_window_seen_on_pay_per_use() -> None:
    assert XSandbox(plan=Plan.SELF_SERVE).limits["liked"] == (1, 900.0)
    assert XSandbox().limits["liked"] == (75, 900.0)
    assert parse_limit("liked_tweets=1/900") == ("liked", parse_limit("liked=1")[1])
    with pytest.raises(ValueError, match="NAME=COUNT"):
        parse_limit("favourites=3")


async def test_the_client_reads_the_window_x_reports(
    any_client: XClient, sandbox: XSandbox
) -> None:
    sandbox.limits["liked"] = (1, 900.0)
    await any_client.liked_posts()
    budget = any_client.rate_limits["liked"]
    assert (budget.limit, budget.remaining) == (1, 0)
    with pytest.raises(errors.RateLimited):
        await any_client.liked_posts()


async def test_credits_run_out_after_going_slightly_below_zero(
    any_client: XClient, sandbox: XSandbox
) -> None:
    await any_client.me()  # who you are: a user read, $0.010
    sandbox.credits = 0.01  # a like costs $0.015: it goes through, the balance goes negative
    await any_client.like(POST)
    assert sandbox.credits is not None and -0.01 < sandbox.credits < 0
    with pytest.raises(errors.PaymentRequired) as info:
        await any_client.like(str(GENERATED_BASE + 1))
    exc = info.value
    assert type(exc) is errors.PaymentRequired and exc.status == 402
    for cause in ("used up", "below zero", "auto-recharge", "spending limit"):
        assert cause in exc.message


async def test_a_spending_limit_says_adding_credits_will_not_help(
    any_client: XClient, sandbox: XSandbox
) -> None:
    sandbox.credits = 100.0
    sandbox.spending_limit = 0.015
    await any_client.like(POST)
    with pytest.raises(errors.SpendingLimitReached) as info:
        await any_client.like(str(GENERATED_BASE + 1))
    assert "next billing cycle" in info.value.message
    assert "will not help" in info.value.message


async def test_auto_recharge_runs_at_most_every_five_minutes(
    any_client: XClient, sandbox: XSandbox
) -> None:
    now = [1_800_000_000.0]
    sandbox.clock = lambda: now[0]
    sandbox.credits, sandbox.auto_recharge = 0.0, 0.015
    await any_client.like(POST)  # recharged, then spent
    with pytest.raises(errors.PaymentRequired):
        await any_client.like(str(GENERATED_BASE + 1))
    now[0] += 301
    await any_client.like(str(GENERATED_BASE + 1))
    assert sandbox.recharges == 2


async def test_owned_reads_are_for_the_app_s_owner_and_me_is_a_user_read(
    sandbox: XSandbox,
) -> None:
    """X's pricing since 21 April 2026: $0.001 only when the data is the authenticated
    user's and that user owns the App; `/2/users/me` is not on the owned-read list."""
    from likes_tui.sandbox.demo import ACCOUNTS
    from tests.conftest import make_client

    alice = ACCOUNTS[1]
    for account in ACCOUNTS[:2]:
        sandbox.likes.setdefault(account.user_id, {})[POST] = 1
    owner = make_client(sandbox)
    other = make_client(sandbox)
    other.signer.token = type(other.signer.token)(alice.bearer)  # type: ignore[attr-defined]
    try:
        for client in (owner, other):
            before = len(sandbox.bill)
            await client.me()
            await client.liked_posts()
            kinds = [kind for _, kind, _, _ in sandbox.bill[before:]]
            wanted = "owned_read" if client is owner else "post_read"
            assert kinds == ["user_read", wanted], kinds
    finally:
        await owner.aclose()
        await other.aclose()
