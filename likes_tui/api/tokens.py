"""The credentials themselves, apart from the OAuth machinery that uses them: the store reads
and writes these at start-up without loading that machinery."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from likes_tui.api.errors import APP_ONLY_ADVICE as APP_ONLY_ADVICE  # where callers look
from likes_tui.api.errors import UnexpectedResponse

REFRESH_MARGIN = 120.0
"""Refresh this many seconds before the access token expires."""


def looks_app_only(value: str) -> bool:
    """X's app-only Bearer Tokens begin with a run of A's (an encoded zero prefix); no user
    token, key or secret does."""
    return value.strip().startswith("A" * 20)


@dataclass(frozen=True)
class Secret:
    """A credential on its way to a request. Its repr is blank, so a crash report that shows
    a frame's locals (Textual's does) cannot show it; `.value` is read inline where used."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret(…)"


@dataclass(frozen=True)
class OAuth1Credentials:
    """The four values from the App's "Keys and tokens" page. Secrets never appear in repr."""

    api_key: str
    api_key_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    access_token_secret: str = field(repr=False)

    @property
    def user_id(self) -> str | None:
        """The numeric part of the access token before the first `-` is the user's id."""
        head = self.access_token.split("-", 1)[0]
        return head if head.isascii() and head.isdigit() else None


@dataclass(frozen=True)
class OAuth2Token:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    scope: str = ""

    @classmethod
    def from_response(cls, data: Mapping[str, Any], now: float) -> OAuth2Token:
        if not isinstance(data.get("access_token"), str):
            raise UnexpectedResponse("X's token endpoint sent no access token.")
        expires_in = data.get("expires_in")
        return cls(
            access_token=data["access_token"],
            refresh_token=data.get("refresh_token"),
            expires_at=now + float(expires_in) if isinstance(expires_in, int | float) else None,
            scope=str(data.get("scope", "")),
        )

    def expires_soon(self, now: float, margin: float = REFRESH_MARGIN) -> bool:
        return self.expires_at is not None and now >= self.expires_at - margin
