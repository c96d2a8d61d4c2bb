"""The service layer against the sandbox, in-process and over loopback HTTP."""

from __future__ import annotations

import time

import pytest

from likes_tui.api import errors
from likes_tui.api.client import XClient
from likes_tui.sandbox import XSandbox
from likes_tui.sandbox.seed import (
    DELETED_POST_ID,
    GENERATED_BASE,
    PROTECTED_POST_ID,
    SEED_POST_ID,
)
from tests.conftest import make_client


async def test_me_returns_the_demo_user_and_caches_the_id(any_client: XClient) -> None:
    user = await any_client.me()
    assert (user.username, user.id) == ("likes_tui_demo", "1590000000000000001")
    assert any_client.user_id == user.id


async def test_get_post_has_author_time_and_metrics(any_client: XClient) -> None:
    post = await any_client.get_post(SEED_POST_ID)
    assert post.author is not None and post.author.username == "TwitterDev"
    assert post.created_at is not None and post.created_at.year == 2020
    assert post.metrics.likes == 1024 and post.metrics.reposts == 161
    assert post.edit_history_ids == (SEED_POST_ID,)
    assert "📣" in post.text


async def test_like_then_unlike_is_one_request_each_after_setup(
    any_client: XClient, sandbox: XSandbox
) -> None:
    await any_client.me()
    before = any_client.request_count
    result = await any_client.like(SEED_POST_ID)
    assert result.liked is True
    assert any_client.request_count == before + 1
    assert SEED_POST_ID in sandbox.liked_by()
    result = await any_client.unlike(SEED_POST_ID)
    assert result.liked is False
    assert any_client.request_count == before + 2
    assert SEED_POST_ID not in sandbox.liked_by()


async def test_like_is_idempotent_and_counts_once(any_client: XClient, sandbox: XSandbox) -> None:
    before = sandbox.posts[SEED_POST_ID].likes
    await any_client.like(SEED_POST_ID)
    await any_client.like(SEED_POST_ID)
    assert sandbox.posts[SEED_POST_ID].likes == before + 1


async def test_rate_limit_headers_are_exposed(any_client: XClient) -> None:
    result = await any_client.like(SEED_POST_ID)
    assert result.rate_limit is not None
    assert result.rate_limit.limit == 50 and result.rate_limit.remaining == 49
    assert result.rate_limit.reset_at > time.time()
    assert any_client.rate_limits["like"] == result.rate_limit


async def test_batch_lookup_reports_missing_and_protected_posts(any_client: XClient) -> None:
    ids = [SEED_POST_ID, DELETED_POST_ID, PROTECTED_POST_ID, "1"]
    lookup = await any_client.get_posts(ids)
    assert set(lookup.posts) == {SEED_POST_ID}
    assert isinstance(lookup.errors[DELETED_POST_ID], errors.NotFound)
    assert isinstance(lookup.errors[PROTECTED_POST_ID], errors.NotAuthorized)
    assert isinstance(lookup.errors["1"], errors.NotFound)
    assert "protected" in lookup.errors[PROTECTED_POST_ID].message


async def test_batch_lookup_uses_100_ids_per_request() -> None:
    sandbox = XSandbox(post_count=250)
    client = make_client(sandbox)
    ids = [str(GENERATED_BASE + i) for i in range(250)]
    lookup = await client.get_posts(ids)
    assert len(lookup.posts) == 250 and not lookup.errors
    assert len(sandbox.requests_to("lookup")) == 3
    await client.aclose()


async def test_like_of_a_deleted_post_is_not_found(any_client: XClient) -> None:
    with pytest.raises(errors.NotFound) as info:
        await any_client.like(DELETED_POST_ID)
    assert DELETED_POST_ID in info.value.message


async def test_acting_for_another_user_is_forbidden(any_client: XClient) -> None:
    any_client.user_id = "2244994945"
    with pytest.raises(errors.Forbidden):
        await any_client.like(SEED_POST_ID)


async def test_429_carries_the_reset_time_and_is_not_retried(sandbox: XSandbox) -> None:
    sandbox.limits["like"] = (2, 60.0)
    client = make_client(sandbox)
    await client.like(SEED_POST_ID)
    await client.like(SEED_POST_ID)
    sent = client.request_count
    with pytest.raises(errors.RateLimited) as info:
        await client.like(SEED_POST_ID)
    assert client.request_count == sent + 1
    assert info.value.reset_at is not None and info.value.reset_at > time.time()
    assert "resets in" in info.value.message
    await client.aclose()


async def test_5xx_is_retried_then_succeeds(sandbox: XSandbox) -> None:
    sandbox.faults.fail_next = 2
    client = make_client(sandbox)
    assert (await client.like(SEED_POST_ID)).liked
    assert client.request_count == 4  # me + two 503s + the like
    await client.aclose()


async def test_persistent_5xx_gives_server_error(sandbox: XSandbox) -> None:
    sandbox.faults.fail_next = 100
    client = make_client(sandbox)
    with pytest.raises(errors.ServerError) as info:
        await client.get_post(SEED_POST_ID)
    assert "server error" in info.value.message
    await client.aclose()


async def test_dropped_connections_are_retried_over_loopback(sandbox: XSandbox, server) -> None:
    sandbox.faults.drop_next = 2
    client = make_client(sandbox, base_url=server.base_url)
    assert (await client.get_post(SEED_POST_ID)).id == SEED_POST_ID
    await client.aclose()


async def test_dropped_after_processing_like_is_retried_and_liked_once(
    sandbox: XSandbox,
) -> None:
    client = make_client(sandbox)
    await client.me()
    before = sandbox.posts[SEED_POST_ID].likes
    sandbox.faults.drop_after_processing = True
    sandbox.faults.drop_next = 1
    assert (await client.like(SEED_POST_ID)).liked
    assert sandbox.posts[SEED_POST_ID].likes == before + 1
    await client.aclose()


async def test_timeouts_become_request_timeout(sandbox: XSandbox, server) -> None:
    sandbox.faults.latency = 0.5
    client = make_client(sandbox, base_url=server.base_url, timeout=0.1)
    with pytest.raises(errors.RequestTimeout):
        await client.get_post(SEED_POST_ID)
    await client.aclose()


async def test_connection_refused_is_a_network_error() -> None:
    client = make_client(XSandbox(), base_url="http://127.0.0.1:9")
    with pytest.raises(errors.NetworkError) as info:
        await client.me()
    assert "network" in info.value.message
    await client.aclose()


async def test_liked_posts_pages_newest_first(any_client: XClient) -> None:
    ids = [str(GENERATED_BASE + i) for i in range(12)]
    for post_id in ids:
        await any_client.like(post_id)
    page = await any_client.liked_posts(max_results=10)
    assert [p.id for p in page.posts] == ids[::-1][:10]
    assert page.next_token
    rest = await any_client.liked_posts(max_results=10, pagination_token=page.next_token)
    assert [p.id for p in rest.posts] == ids[1::-1]
    assert rest.next_token is None


async def test_user_by_username(any_client: XClient) -> None:
    user = await any_client.user_by_username("@TwitterDev")
    assert user.id == "2244994945"


async def test_client_not_enrolled_says_what_access_is_needed(sandbox: XSandbox) -> None:
    sandbox.faults.not_enrolled = True
    client = make_client(sandbox)
    with pytest.raises(errors.ClientNotEnrolled) as info:
        await client.me()
    assert "Project" in info.value.message
    await client.aclose()


async def test_out_of_credits_is_payment_required(sandbox: XSandbox) -> None:
    sandbox.faults.out_of_credits = True
    client = make_client(sandbox)
    with pytest.raises(errors.PaymentRequired) as info:
        await client.like(SEED_POST_ID)
    assert "credits" in info.value.message
    await client.aclose()


async def test_read_only_oauth1_app_is_explained(sandbox: XSandbox) -> None:
    sandbox.faults.read_only_app = True
    client = make_client(sandbox, auth="oauth1")
    with pytest.raises(errors.ReadOnlyApp) as info:
        await client.like(SEED_POST_ID)
    assert "Read and write" in info.value.message and "regenerate" in info.value.message
    await client.aclose()


@pytest.mark.invalid_requests
async def test_invalid_ids_are_an_invalid_request(any_client: XClient) -> None:
    with pytest.raises(errors.InvalidRequest):
        await any_client.get_post("12345678901234567890")


async def test_the_daily_cap_is_reported_and_its_429_says_so(
    any_client: XClient, sandbox: XSandbox
) -> None:
    sandbox.daily_limits["like"] = (2, 86400.0)
    first, second, third = (str(GENERATED_BASE + i) for i in range(3))
    await any_client.like(first)
    await any_client.like(second)
    daily = any_client.rate_limits["like-24h"]
    assert (daily.limit, daily.remaining) == (2, 0)
    assert daily.reset_at > time.time() + 86000
    with pytest.raises(errors.RateLimited) as info:
        await any_client.like(third)
    assert info.value.daily and info.value.reset_at == daily.reset_at
    assert "daily cap of 2 likes per account is used up" in info.value.message
    assert "resets in 23:" in info.value.message
    await any_client.unlike(first)  # unlikes count against a cap of their own


async def test_unlikes_have_a_daily_cap_of_their_own(
    any_client: XClient, sandbox: XSandbox
) -> None:
    assert sandbox.daily_limits["unlike"] == (1000, 86400.0)  # X's rate-limit table
    sandbox.daily_limits["unlike"] = (2, 86400.0)
    posts = [str(GENERATED_BASE + i) for i in range(3)]
    for post in posts:
        await any_client.like(post)
    await any_client.unlike(posts[0])
    assert any_client.rate_limits["unlike-24h"].remaining == 1
    await any_client.unlike(posts[1])
    with pytest.raises(errors.RateLimited) as info:
        await any_client.unlike(posts[2])
    assert info.value.daily
    assert "daily cap of 2 unlikes per account is used up" in info.value.message
    assert posts[2] in sandbox.liked_by()


async def test_a_lookup_over_the_limit_keeps_what_the_earlier_requests_found() -> None:
    sandbox = XSandbox(post_count=150, seed_random=1)
    sandbox.limits["lookup"] = (1, 900.0)
    client = make_client(sandbox)
    ids = [str(GENERATED_BASE + i) for i in range(150)]
    lookup = await client.get_posts(ids, concurrency=1)
    assert set(lookup.posts) == set(ids[:100])
    assert set(lookup.errors) == set(ids[100:])
    assert all(isinstance(e, errors.RateLimited) for e in lookup.errors.values())
    await client.aclose()


async def test_an_app_only_token_cannot_like_and_the_error_says_what_to_use(
    sandbox: XSandbox,
) -> None:
    from likes_tui.api.oauth2 import OAuth2Endpoints, OAuth2Signer, OAuth2Token
    from likes_tui.core.signin import SANDBOX_BASE_URL
    from likes_tui.sandbox import DEMO_CLIENT_ID, SandboxTransport
    from likes_tui.sandbox.demo import DEMO_APP_BEARER

    signer = OAuth2Signer(
        DEMO_CLIENT_ID,
        None,
        OAuth2Token(DEMO_APP_BEARER),
        OAuth2Endpoints.for_base(SANDBOX_BASE_URL),
    )
    client = XClient(signer, base_url=SANDBOX_BASE_URL, transport=SandboxTransport(sandbox))
    assert (await client.get_post(SEED_POST_ID)).id == SEED_POST_ID  # reads work
    with pytest.raises(errors.AppOnlyToken) as info:
        await client.like(SEED_POST_ID)
    assert "app-only Bearer Token" in info.value.message
    assert "OAuth 1.0a" in info.value.message and "OAuth 2.0" in info.value.message
    assert not sandbox.liked_by()
    await client.aclose()
