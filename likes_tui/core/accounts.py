"""Accounts for the set-up screen: list, load, sign out and remove, off the event loop; and
the credential types the screens name (so no screen reaches into the store or the API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from likes_tui.api.errors import XError
from likes_tui.api.oauth2 import DEFAULT_REDIRECT_URI
from likes_tui.api.tokens import APP_ONLY_ADVICE, OAuth1Credentials, looks_app_only
from likes_tui.store.credentials import OAuth1Profile, OAuth2Profile, Profile, profile_name_for
from likes_tui.store.state import HistoryEntry

if TYPE_CHECKING:
    from likes_tui.core.context import AppContext


class Accounts:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    async def all(self) -> list[Profile]:
        return await self.ctx.io(lambda: list(self.ctx.creds.all()))

    async def load(self, name: str) -> Profile | None:
        return await self.ctx.io(self.ctx.creds.load, name)

    async def unsent(self, name: str) -> int:
        """Likes and unlikes still queued for that account."""
        profile = await self.load(name)
        if profile is None or not profile.user_id:
            return 0
        user_id = profile.user_id
        return await self.ctx.io(lambda: self.ctx.state.counts(user_id).pending)

    async def oauth2_app(self) -> OAuth2Profile | None:
        """An OAuth 2.0 account already set up (the active one first): a second account from
        the same App starts from its Client ID and callback."""
        profiles = await self.all()
        active = self.ctx.profile.name if self.ctx.profile else ""
        profiles.sort(key=lambda p: p.name != active)
        return next((p for p in profiles if isinstance(p, OAuth2Profile)), None)

    async def remove(self, name: str) -> str | None:
        """Revoke with X (OAuth 2.0) and delete the file; a warning if X could not be told."""
        from likes_tui.core.signin import sign_out

        profile = await self.load(name)
        warning = await sign_out(profile, self.ctx.backend) if profile is not None else None
        await self.ctx.io(self.ctx.remove, name)
        return warning


__all__ = [
    "APP_ONLY_ADVICE",
    "DEFAULT_REDIRECT_URI",
    "Accounts",
    "HistoryEntry",
    "OAuth1Credentials",
    "OAuth1Profile",
    "OAuth2Profile",
    "Profile",
    "XError",
    "looks_app_only",
    "profile_name_for",
]
