"""Accounts for the set-up screen: list, load, sign out and remove, off the event loop; and
the credential types the screens name (so no screen reaches into the store or the API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from likes_tui.api.errors import PinRefused, XError
from likes_tui.api.oauth2 import DEFAULT_REDIRECT_URI
from likes_tui.api.tokens import APP_ONLY_ADVICE, OAuth1Credentials, looks_app_only
from likes_tui.store.credentials import OAuth1Profile, OAuth2Profile, Profile, profile_name_for
from likes_tui.store.files import StoreError
from likes_tui.store.profiles import ProfileInfo
from likes_tui.store.state import HistoryEntry

if TYPE_CHECKING:
    from likes_tui.core.context import AppContext


class Accounts:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    async def all(self) -> list[ProfileInfo]:
        """The stored accounts, read from their files (no keyring, no secret command)."""
        return await self.ctx.io(lambda: list(self.ctx.creds.infos()))

    async def info(self, name: str) -> ProfileInfo | None:
        return await self.ctx.io(self.ctx.creds.info, name)

    async def where_secrets_go(self) -> str:
        """Where a new account's secrets would be kept (asks keyring: off the loop)."""
        if self.ctx.demo:
            return "Demo: accounts signed in here live in a temporary directory, deleted on quit."
        return await self.ctx.io(self.ctx.creds.where_new_secrets_go)

    async def record_sign_in(self, user_id: str, answers: list[tuple[str, Any]]) -> None:
        """What X billed a sign-in's or Verify's reads, metered against that account."""
        from likes_tui.core.signin import record_sign_in

        if user_id and answers:
            ctx = self.ctx
            await ctx.io(
                record_sign_in, ctx.state, ctx.settings.prices, user_id, answers, ctx.clock()
            )

    async def unsent(self, name: str) -> int:
        """Likes and unlikes still queued for that account."""
        profile = await self.info(name)
        if profile is None or not profile.user_id:
            return 0
        user_id = profile.user_id
        return await self.ctx.io(lambda: self.ctx.state.queue.counts(user_id).pending)

    async def oauth2_app(self) -> tuple[ProfileInfo, str | None] | None:
        """An OAuth 2.0 account already set up (the active one first): a second account from
        the same App starts from its Client ID and callback."""
        profiles = await self.all()
        active = self.ctx.profile.name if self.ctx.profile else ""
        profiles.sort(key=lambda p: p.name != active)
        found = next((p for p in profiles if p.kind == "oauth2"), None)
        if found is None:
            return None
        try:
            full = await self.ctx.io(self.ctx.creds.load, found.name)
        except StoreError:
            full = None
        return found, full.client_secret if isinstance(full, OAuth2Profile) else None

    async def remove(self, name: str) -> list[str]:
        """Sign out everywhere: revoke with X, then forget the secrets here (keyring item
        and file). Returns warnings; raises StoreError if the keyring refused (the account
        stays, so removing it can be tried again)."""
        from likes_tui.core.signin import sign_out

        warnings: list[str] = []
        try:
            profile = await self.ctx.io(self.ctx.creds.load, name)
        except StoreError as exc:
            profile = None
            warnings.append(f"{exc.message} X could not be told; the sign-in ends on its own.")
        if profile is not None:
            warning = await sign_out(profile, self.ctx.backend)
            if warning:
                warnings.append(warning)
        if profile is not None and profile.secret_command:
            warnings.append(
                f"{name}'s secrets stay in your password manager: its secret command only read them."
            )
        await self.ctx.io(self.ctx.creds.delete, name)
        await self.ctx.forget(name)
        return warnings


__all__ = [
    "APP_ONLY_ADVICE",
    "DEFAULT_REDIRECT_URI",
    "Accounts",
    "HistoryEntry",
    "OAuth1Credentials",
    "OAuth1Profile",
    "OAuth2Profile",
    "PinRefused",
    "Profile",
    "ProfileInfo",
    "StoreError",
    "XError",
    "looks_app_only",
    "profile_name_for",
]
