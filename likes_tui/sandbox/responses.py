"""How X dresses its answers: JSON bodies, problem JSON, the shapes of users and posts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from likes_tui.sandbox import seed
from likes_tui.sandbox.contract import Violation
from likes_tui.sandbox.limits import Window
from likes_tui.sandbox.limits import limit_headers as headers_for

PROBLEMS = "https://api.x.com/2/problems/"
LEGACY_PROBLEMS = "https://api.twitter.com/2/problems/"
PROBLEM_JSON = "application/problem+json"
ALL_SCOPES = "tweet.read users.read like.read like.write offline.access"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    billed: float = 0.0
    """What X's pay-per-use billing charged for this answer (US dollars; not sent)."""


@dataclass(frozen=True)
class Caller:
    """Who made a request, as the credentials say."""

    user_id: str
    kind: str
    scopes: frozenset[str]


class Responses:
    """Mixed into XSandbox: the answers it builds."""

    users: dict[str, seed.SeedUser]
    legacy_problems: bool

    def _problem_type(self, name: str) -> str:
        return (LEGACY_PROBLEMS if self.legacy_problems else PROBLEMS) + name

    def _user_json(self, user: seed.SeedUser, query: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user.id, "name": user.name, "username": user.username}
        fields = query.get("user.fields", "").split(",")
        if "verified" in fields:
            data["verified"] = user.verified
        if "protected" in fields:
            data["protected"] = user.protected
        return data

    def _post_json(self, post: seed.SeedPost, query: dict[str, str]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "edit_history_tweet_ids": list(post.edit_history),
            "id": post.id,
            "text": post.text,
        }
        fields = query.get("tweet.fields", "").split(",")
        expansions = query.get("expansions", "").split(",")
        if "author_id" in fields or "author_id" in expansions:
            data["author_id"] = post.author_id
        if "created_at" in fields:
            data["created_at"] = seed.iso(post.created_at)
        if "public_metrics" in fields:
            data["public_metrics"] = {
                "retweet_count": post.reposts,
                "reply_count": post.replies,
                "like_count": post.likes,
                "quote_count": post.quotes,
                "bookmark_count": post.bookmarks,
                "impression_count": post.impressions,
            }
        return data

    def _not_found(self, resource: str, value: str, parameter: str) -> dict[str, Any]:
        noun = "tweet" if resource == "tweet" else "user"
        return {
            "value": value,
            "detail": f"Could not find {noun} with {parameter}: [{value}].",
            "title": "Not Found Error",
            "resource_type": resource,
            "parameter": parameter,
            "resource_id": value,
            "type": self._problem_type("resource-not-found"),
        }

    def _json(self, status: int, payload: Any, *, problem: bool = False) -> Reply:
        """`problem`: a problem reply (RFC 7807), which X sends as application/problem+json."""
        kind = PROBLEM_JSON if problem else "application/json"
        return Reply(
            status,
            {"content-type": f"{kind}; charset=utf-8"},
            json.dumps(payload, ensure_ascii=False).encode(),
        )

    def _problem(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        type_: str = "about:blank",
        limit_headers: tuple[int, int, Window] | None = None,
    ) -> Reply:
        reply = self._json(
            status,
            {"title": title, "detail": detail, "type": type_, "status": status},
            problem=True,
        )
        if limit_headers:
            reply.headers.update(headers_for(*limit_headers))
        return reply

    def _invalid(self, violations: list[Violation]) -> Reply:
        return self._json(
            400,
            {
                "errors": [v.as_error() for v in violations],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": self._problem_type("invalid-request"),
            },
            problem=True,
        )

    def _unsupported_authentication(self) -> Reply:
        return self._json(
            403,
            {
                "title": "Unsupported Authentication",
                "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                "endpoint.  Supported authentication types are [OAuth 1.0a User Context, "
                "OAuth 2.0 User Context].",
                "type": self._problem_type("unsupported-authentication"),
                "status": 403,
            },
            problem=True,
        )

    def _client_forbidden(self) -> Reply:
        return self._json(
            403,
            {
                "client_id": "0",
                "detail": "When authenticating requests to the Twitter API v2 endpoints, you must "
                "use keys and tokens from a Twitter developer App that is attached to a Project.",
                "registration_url": "https://developer.x.com/en/docs/projects/overview",
                "title": "Client Forbidden",
                "required_enrollment": "Appropriate Level of API Access",
                "reason": "client-not-enrolled",
                "type": self._problem_type("client-forbidden"),
            },
            problem=True,
        )

    def _plan_refusal(self, plan: str) -> Reply:
        """A like or unlike from an App whose plan lacks them. X's exact body for it is not
        recorded (x-api.md): this is its known access-refusal shape, `client-forbidden` with
        a `reason`, here naming the plan."""
        return self._json(
            403,
            {
                "client_id": "0",
                "detail": f"Your App's {plan} plan does not include this endpoint. Likes were "
                "removed from all self-serve tiers on 20 April 2026.",
                "registration_url": "https://docs.x.com/x-api/getting-started/pricing",
                "title": "Client Forbidden",
                "required_enrollment": "Enterprise",
                "reason": f"{plan}-plan",
                "type": self._problem_type("client-forbidden"),
            },
            problem=True,
        )

    def _oauth_error(self, status: int, error: str, description: str) -> Reply:
        return self._json(status, {"error": error, "error_description": description})

    @staticmethod
    def _redirect(uri: str, params: dict[str, str]) -> Reply:
        sep = "&" if "?" in uri else "?"
        return Reply(
            302, {"location": f"{uri}{sep}{urlencode(params)}", "content-length": "0"}, b""
        )
