"""One error hierarchy for everything X (or the network) can answer.

Every exception carries `message`: one sentence a person can act on. Nothing secret ever goes
into an exception: no header, no token, no request body; only status, X's own problem fields and
our advice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from likes_tui.durations import clock_text


class XError(Exception):
    """Base class. `retryable` tells the scheduler whether sending again may help."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        problem_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.title = title
        self.detail = detail
        self.problem_type = problem_type

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class NetworkError(XError):
    """The request never got an answer: DNS, refused or dropped connection."""

    retryable = True


class RequestTimeout(NetworkError):
    retryable = True


class ServerError(XError):
    """X answered 5xx: its problem, not ours. Safe to retry."""

    retryable = True


class UnexpectedResponse(XError):
    """The answer was not the JSON X documents."""


class RateLimited(XError):
    """429. Not retried blindly: `reset_at` (Unix seconds) says when the window opens again.
    `daily` is True when it is the account's 24-hour cap, not the 15-minute window."""

    def __init__(
        self, message: str, *, reset_at: float | None, daily: bool = False, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.reset_at = reset_at
        self.daily = daily


class AuthError(XError):
    """401: the credentials were not accepted."""


class SignInRequired(AuthError):
    """The OAuth 2.0 session cannot be refreshed (revoked or expired): sign in again."""


class SecretsMissing(SignInRequired):
    """The account's secrets could not be read here (a locked keyring, a failing secret
    command): nothing was sent, and the message says what to fix."""


class PaymentRequired(XError):
    """402 on pay-per-use plans: the account is out of credits."""


class Forbidden(XError):
    """403 of any kind."""


class ClientNotEnrolled(Forbidden):
    """The developer App is not in a Project, or its access tier lacks the endpoint."""


class ReadOnlyApp(Forbidden):
    """OAuth 1.0a tokens created while the App was read-only."""


class AppOnlyToken(Forbidden):
    """An app-only Bearer Token used where X wants a user's token (like, unlike, /me)."""


class MissingScope(Forbidden):
    """OAuth 2.0 token lacks like.write (or another needed scope)."""


class NotFound(XError):
    """The post (or user) does not exist or was deleted."""


class NotAuthorized(XError):
    """The post belongs to a protected account you do not follow."""


class InvalidRequest(XError):
    """400: the request was malformed (a bug or an impossible id)."""


def problem_kind(problem_type: str | None) -> str:
    """The part of a problem `type` URI after `/2/problems/`, for either host prefix."""
    if not problem_type:
        return ""
    marker = "/2/problems/"
    return problem_type.split(marker, 1)[1] if marker in problem_type else problem_type


def _problem_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": body.get("title") if isinstance(body.get("title"), str) else None,
        "detail": body.get("detail") if isinstance(body.get("detail"), str) else None,
        "problem_type": body.get("type") if isinstance(body.get("type"), str) else None,
    }


def _fmt_reset(reset_at: float | None) -> str:
    if reset_at is None:
        return "X did not say when the limit resets; wait a few minutes"
    return f"the limit resets in {clock_text(reset_at - time.time())}"


def resource_error(item: Mapping[str, Any]) -> XError:
    """Map one entry of a 200 response's `errors` array (a partial error) to an exception."""
    kind = problem_kind(item.get("type"))
    detail = item.get("detail") if isinstance(item.get("detail"), str) else None
    title = item.get("title") if isinstance(item.get("title"), str) else None
    value = item.get("value") or item.get("resource_id") or ""
    problem_type = item.get("type") if isinstance(item.get("type"), str) else None
    cls: type[XError] = XError
    message = detail or title or f"X reported a problem with {value}."
    if kind == "resource-not-found":
        cls, message = NotFound, f"Post {value} does not exist or was deleted."
    elif kind == "not-authorized-for-resource":
        cls, message = NotAuthorized, f"Post {value} is from a protected account you cannot see."
    return cls(message, status=200, title=title, detail=detail, problem_type=problem_type)


def error_from_response(
    status: int,
    body_bytes: bytes,
    headers: Mapping[str, str],
    *,
    auth_kind: str = "",
    reset_at: float | None = None,
    daily_cap: tuple[int, float] | None = None,
) -> XError:
    """Turn a non-2xx answer into the right exception with advice for the person.

    `daily_cap` is (limit, reset time) when the answer says the 24-hour cap is used up."""
    try:
        body = json.loads(body_bytes) if body_bytes else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    fields = _problem_fields(body)
    kind = problem_kind(fields["problem_type"])
    reason = body.get("reason") if isinstance(body.get("reason"), str) else ""
    detail = fields["detail"] or ""
    text = f"{detail} {fields['title'] or ''} {reason} {body.get('errors', '')}".lower()
    kw = {"status": status, **fields}

    if status == 429 and daily_cap is not None:
        cap, daily_reset = daily_cap
        return RateLimited(
            f"X's daily cap of {cap:,} per account is used up; {_fmt_reset(daily_reset)}.",
            reset_at=daily_reset,
            daily=True,
            **kw,
        )
    if status == 429:
        return RateLimited(
            f"X's rate limit was reached; {_fmt_reset(reset_at)}.", reset_at=reset_at, **kw
        )
    if status == 401:
        if auth_kind == "oauth1":
            return AuthError(
                "X did not accept the OAuth 1.0a keys. Check all four values; if they are right, "
                "check this computer's clock (signatures carry a timestamp).",
                **kw,
            )
        if auth_kind == "oauth2":
            return AuthError("X did not accept the OAuth 2.0 token. Sign in again.", **kw)
        return AuthError("X did not accept the credentials.", **kw)
    if status == 402:
        return PaymentRequired(
            "X says this account is out of API credits (402). Add credits in the developer "
            "portal; pending likes are kept and will be sent later.",
            **kw,
        )
    if status == 403:
        if kind == "unsupported-authentication":
            from likes_tui.api.tokens import APP_ONLY_ADVICE

            return AppOnlyToken(APP_ONLY_ADVICE, **kw)
        if reason == "client-not-enrolled" or kind == "client-forbidden":
            return ClientNotEnrolled(
                "X refused this App: it must be attached to a Project with an access level that "
                "includes the Likes endpoints (see the developer portal).",
                **kw,
            )
        if reason == "oauth1-permissions" or ("permission" in text and auth_kind == "oauth1"):
            return ReadOnlyApp(
                "The App is read-only. In the developer portal set its permissions to "
                "Read and write, then regenerate the Access Token and Secret.",
                **kw,
            )
        if "453" in text or "subset of" in text:
            return ClientNotEnrolled(
                "Your access tier does not include this endpoint (X error 453). "
                "Upgrade the App's access level in the developer portal.",
                **kw,
            )
        if "scope" in text or auth_kind == "oauth2":
            return MissingScope(
                "The OAuth 2.0 token lacks the like.write scope. Sign in again to grant it.",
                **kw,
            )
        return Forbidden(f"X refused the request (403){': ' + detail if detail else ''}.", **kw)
    if status == 404:
        return NotFound("X could not find that post or user.", **kw)
    if status == 400:
        first = body.get("errors")
        said = ""
        if isinstance(first, list) and first and isinstance(first[0], dict):
            said = str(first[0].get("message") or "")
        return InvalidRequest(
            f"X rejected the request as invalid: {said or detail or 'no reason given'}.", **kw
        )
    if status >= 500:
        return ServerError(f"X had a server error ({status}); it will be retried.", **kw)
    return UnexpectedResponse(f"X answered with an unexpected status {status}.", **kw)
