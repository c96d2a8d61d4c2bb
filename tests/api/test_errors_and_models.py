"""Every X error shape in x-api.md maps to an exception with advice; recorded payloads parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from likes_tui.api import errors
from likes_tui.api.client import _users
from likes_tui.api.models import Metrics, Post, RateLimit, User

FIXTURES = Path(__file__).parent.parent / "fixtures"


def recorded(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text())


def test_recorded_post_parses_with_string_ids_emoji_and_tco_links() -> None:
    body = recorded("get_tweet.json")[0]["response"]["body"]
    post = Post.from_json(body["data"])
    assert post.id == "1293593516040269825" and isinstance(post.id, str)
    assert "🥁" in post.text and "https://t.co/" in post.text
    assert post.edit_history_ids == ("1293593516040269825",)
    assert post.author is None and post.created_at is None


def test_recorded_batch_and_liked_posts_parse() -> None:
    batch = recorded("get_tweets.json")[0]["response"]["body"]
    posts = [Post.from_json(p) for p in batch["data"]]
    assert [p.id for p in posts] == ["1293593516040269825", "1293595870563381249"]
    liked = recorded("get_liked_tweets.json")[0]["response"]["body"]
    assert all(Post.from_json(p).id.isdigit() for p in liked["data"])


def test_recorded_user_and_like_responses_parse() -> None:
    user = User.from_json(recorded("get_user.json")[0]["response"]["body"]["data"])
    assert (user.id, user.username) == ("783214", "Twitter")
    like, unlike = recorded("like_and_unlike.json")
    assert like["response"]["body"] == {"data": {"liked": True}}
    limit = RateLimit.from_headers(like["response"]["headers"])
    assert limit == RateLimit(50, 48, 1619531089.0)
    assert unlike["response"]["body"]["data"]["liked"] is False


def test_includes_users_become_post_authors() -> None:
    payload = {
        "data": {"id": "1", "text": "hi", "author_id": "9"},
        "includes": {"users": [{"id": "9", "username": "nine", "name": "Nine"}]},
    }
    post = Post.from_json(payload["data"], _users(payload))
    assert post.author is not None and post.author.username == "nine"


def test_metrics_read_either_repost_name() -> None:
    assert Metrics.from_json({"retweet_count": 3}).reposts == 3
    assert Metrics.from_json({"repost_count": 4}).reposts == 4
    assert Metrics.from_json(None) == Metrics()


def test_created_at_with_milliseconds_and_z() -> None:
    post = Post.from_json({"id": "1", "text": "", "created_at": "2020-02-14T19:00:55.000Z"})
    assert (
        post.created_at is not None and post.created_at.isoformat() == "2020-02-14T19:00:55+00:00"
    )


def _err(status: int, body: dict | None, **kw) -> errors.XError:
    return errors.error_from_response(status, json.dumps(body or {}).encode(), {}, **kw)


@pytest.mark.parametrize(
    ("status", "body", "kw", "cls", "advice"),
    [
        (
            401,
            {
                "title": "Unauthorized",
                "type": "about:blank",
                "status": 401,
                "detail": "Unauthorized",
            },
            {"auth_kind": "oauth1"},
            errors.AuthError,
            "clock",
        ),
        (
            401,
            {"title": "Unauthorized", "type": "about:blank", "status": 401},
            {"auth_kind": "oauth2"},
            errors.AuthError,
            "Sign in again",
        ),
        (
            402,
            {"title": "Payment Required", "type": "https://api.x.com/2/problems/payment-required"},
            {},
            errors.PaymentRequired,
            "credits",
        ),
        (
            403,
            {
                "reason": "client-not-enrolled",
                "title": "Client Forbidden",
                "type": "https://api.twitter.com/2/problems/client-forbidden",
                "registration_url": "https://developer.x.com",
            },
            {},
            errors.ClientNotEnrolled,
            "Project",
        ),
        (
            403,
            {
                "reason": "oauth1-permissions",
                "title": "Forbidden",
                "type": "https://api.x.com/2/problems/oauth1-permissions",
            },
            {"auth_kind": "oauth1"},
            errors.ReadOnlyApp,
            "Read and write",
        ),
        (
            403,
            {
                "errors": [
                    {
                        "message": "You currently have access to a subset of X API endpoints",
                        "code": 453,
                    }
                ]
            },
            {"auth_kind": "oauth1"},
            errors.ClientNotEnrolled,
            "453",
        ),
        (
            403,
            {"title": "Forbidden", "detail": "Forbidden", "type": "about:blank"},
            {"auth_kind": "oauth2"},
            errors.MissingScope,
            "like.write",
        ),
        (404, {"title": "Not Found Error"}, {}, errors.NotFound, "find"),
        (
            400,
            {
                "errors": [{"parameters": {"ids": ["x"]}, "message": "bad"}],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
            {},
            errors.InvalidRequest,
            "invalid",
        ),
        (
            429,
            {
                "title": "Too Many Requests",
                "detail": "Too Many Requests",
                "type": "about:blank",
                "status": 429,
            },
            {"reset_at": 4102444800.0},
            errors.RateLimited,
            "resets in",
        ),
        (503, {"title": "Service Unavailable"}, {}, errors.ServerError, "retried"),
        (418, None, {}, errors.UnexpectedResponse, "418"),
    ],
)
def test_error_shapes_map_to_actionable_exceptions(status, body, kw, cls, advice) -> None:
    exc = _err(status, body, **kw)
    assert type(exc) is cls
    assert advice in exc.message
    assert exc.status == status


def test_rate_limited_keeps_reset_time_and_is_not_retryable() -> None:
    exc = _err(429, {}, reset_at=123.0)
    assert isinstance(exc, errors.RateLimited) and exc.reset_at == 123.0 and not exc.retryable


@pytest.mark.parametrize("prefix", ["https://api.twitter.com", "https://api.x.com"])
def test_partial_errors_accept_both_problem_prefixes(prefix: str) -> None:
    not_found = errors.resource_error(
        {
            "value": "123",
            "title": "Not Found Error",
            "type": f"{prefix}/2/problems/resource-not-found",
        }
    )
    protected = errors.resource_error(
        {
            "value": "9",
            "title": "Authorization Error",
            "type": f"{prefix}/2/problems/not-authorized-for-resource",
        }
    )
    assert isinstance(not_found, errors.NotFound) and "123" in not_found.message
    assert isinstance(protected, errors.NotAuthorized) and "protected" in protected.message


def test_non_json_error_bodies_do_not_crash() -> None:
    exc = errors.error_from_response(502, b"<html>Bad gateway</html>", {})
    assert isinstance(exc, errors.ServerError) and exc.retryable
