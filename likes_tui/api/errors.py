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

APP_ONLY_ADVICE = (
    'That is an app-only Bearer Token (the portal\'s "Bearer Token"): it reads public posts, '
    "but X refuses it for likes. Sign in with OAuth 2.0 (the Client ID), or use OAuth 1.0a "
    "with the Access Token and Secret (under Authentication Tokens)."
)
"""What a person reads when they gave the app-only token (tokens.py spots it, the 403
says it)."""


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


class NotAnswering(NetworkError):
    """Requests have gone unanswered for longer than the caller would wait (a headless run's
    give-up): not retried; the work stays queued."""

    retryable = False


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


class PinRefused(AuthError):
    """A PIN sign-in's verifier was refused: mistyped (`expired` False: type it again) or its
    request token used or expired (get a new PIN)."""

    def __init__(self, message: str, *, expired: bool = False, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.expired = expired


class SignInRequired(AuthError):
    """The OAuth 2.0 session cannot be refreshed (revoked or expired): sign in again."""


class SecretsMissing(SignInRequired):
    """The account's secrets could not be read here (a locked keyring, a failing secret
    command): nothing was sent, and the message says what to fix."""


class PaymentRequired(XError):
    """402 on pay-per-use plans: no credits left, a balance below zero, or an auto-recharge
    that has not run yet (it runs at most every five minutes)."""


class SpendingLimitReached(PaymentRequired):
    """402 for the spending limit set in the developer console: blocked until the next
    billing cycle, whatever credits the account holds."""


class Forbidden(XError):
    """403 of any kind."""


class ClientNotEnrolled(Forbidden):
    """The developer App is not in a Project, or its access tier lacks the endpoint."""


class LikesNotInPlan(ClientNotEnrolled):
    """A like or unlike refused for the App's access (`client-forbidden`): since 20 April
    2026 X's self-serve plans do not include likes. Sending again cannot help."""


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


SPENDING_LIMIT_TYPES = frozenset({"spending-limit", "spend-cap", "spending-limit-reached"})
"""402 problem types taken as the console's spending limit. X's body for it is not recorded
(only a credits 402 is, as application/json); these are our guesses, and any other 402 gets
the advice that names every cause."""


def payment_error(problem: str, kw: dict[str, Any]) -> PaymentRequired:
    """A 402, by problem type: the spending limit, or credits (used up, below zero, or an
    auto-recharge still to come). Likes wait in the queue either way."""
    if problem in SPENDING_LIMIT_TYPES:
        return SpendingLimitReached(
            "X says this App reached the spending limit set in the developer console (402): "
            "requests are blocked until the next billing cycle, so adding credits will not "
            "help. Raise the limit (console.x.com → Billing → Spending limit) or wait for the "
            "new cycle; queued likes are kept.",
            **kw,
        )
    return PaymentRequired(
        "X refused the request for payment (402). Either the credits are used up, or the "
        "balance went below zero (it must be back above zero: add enough to cover it), or "
        "auto-recharge has not run yet (it runs at most every 5 minutes: resume in a few "
        "minutes), or a spending limit is reached (blocked until the next billing cycle). "
        "See console.x.com → Billing; queued likes are kept and sent once X accepts them.",
        **kw,
    )


def plan_advice(reason: str) -> str:
    """What a person can do when X refuses likes for the App's access."""
    from likes_tui.plans import PLANS_WITH_LIKES

    project = (
        " X also says the App is not enrolled: make sure it is attached to a Project."
        if reason == "client-not-enrolled"
        else ""
    )
    return (
        "X refused the like for this App's plan (403 client-forbidden). Since 20 April 2026 "
        "the self-serve plans (pay-per-use) no longer include likes; they need "
        f"{PLANS_WITH_LIKES}. Check the App's plan in the developer console "
        f"(console.x.com → your Project → Plan / Products).{project} Queued likes are kept; "
        "resume once the plan includes likes."
    )


def error_from_response(
    status: int,
    body_bytes: bytes,
    headers: Mapping[str, str],
    *,
    auth_kind: str = "",
    kind: str = "",
    reset_at: float | None = None,
    daily_cap: tuple[int, float] | None = None,
) -> XError:
    """Turn a non-2xx answer into the right exception with advice for the person. It goes
    by status and problem `type` (and X's `reason`), never by the wording of `detail`.

    `kind` is the endpoint kind asked ("like", "unlike", "lookup"...); `daily_cap` is
    (limit, reset time) when the answer says the 24-hour cap is used up."""
    try:
        body = json.loads(body_bytes) if body_bytes else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    fields = _problem_fields(body)
    problem = problem_kind(fields["problem_type"])
    reason = body.get("reason") if isinstance(body.get("reason"), str) else ""
    detail = fields["detail"] or ""
    text = f"{detail} {fields['title'] or ''} {reason} {body.get('errors', '')}".lower()
    kw = {"status": status, **fields}

    if status == 429 and daily_cap is not None:
        cap, daily_reset = daily_cap
        what = f"{kind}s" if kind in ("like", "unlike") else "requests"
        return RateLimited(
            f"X's daily cap of {cap:,} {what} per account is used up; {_fmt_reset(daily_reset)}.",
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
        return payment_error(problem, kw)
    if status == 403:
        if problem == "unsupported-authentication":
            return AppOnlyToken(APP_ONLY_ADVICE, **kw)
        if problem == "client-forbidden" and kind in ("like", "unlike"):
            return LikesNotInPlan(plan_advice(str(reason or "")), **kw)
        if reason == "client-not-enrolled" or problem == "client-forbidden":
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
