"""Credentials per profile, one JSON file each, 0600, written atomically.

A profile is one X account signed in one way. The OAuth 2.0 refresh token rotates, so reading
and rewriting it happens under a per-profile file lock shared by every running copy of the app.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from likes_tui.api.tokens import OAuth1Credentials, OAuth2Token

from .files import Locations, StoreError, atomic_write, quarantine
from .locks import file_lock

_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


@dataclass(frozen=True)
class OAuth2Profile:
    name: str
    client_id: str
    client_secret: str | None = field(repr=False)
    redirect_uri: str
    token: OAuth2Token
    user_id: str = ""
    username: str = ""
    kind: str = "oauth2"


@dataclass(frozen=True)
class OAuth1Profile:
    name: str
    creds: OAuth1Credentials
    user_id: str = ""
    username: str = ""
    kind: str = "oauth1"


Profile = OAuth1Profile | OAuth2Profile


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name)) and not name.startswith(".")


def profile_name_for(username: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.@-]", "", username.lstrip("@"))[:64]
    return cleaned or "default"


def _to_json(profile: Profile) -> dict[str, Any]:
    base = {"kind": profile.kind, "user_id": profile.user_id, "username": profile.username}
    if isinstance(profile, OAuth1Profile):
        c = profile.creds
        return {
            **base,
            "api_key": c.api_key,
            "api_key_secret": c.api_key_secret,
            "access_token": c.access_token,
            "access_token_secret": c.access_token_secret,
        }
    t = profile.token
    return {
        **base,
        "client_id": profile.client_id,
        "client_secret": profile.client_secret,
        "redirect_uri": profile.redirect_uri,
        "access_token": t.access_token,
        "refresh_token": t.refresh_token,
        "expires_at": t.expires_at,
        "scope": t.scope,
    }


def _from_json(name: str, data: dict[str, Any]) -> Profile:
    kind = data["kind"]
    if kind == "oauth1":
        return OAuth1Profile(
            name,
            OAuth1Credentials(
                str(data["api_key"]),
                str(data["api_key_secret"]),
                str(data["access_token"]),
                str(data["access_token_secret"]),
            ),
            str(data.get("user_id", "")),
            str(data.get("username", "")),
        )
    if kind == "oauth2":
        return OAuth2Profile(
            name,
            str(data["client_id"]),
            data.get("client_secret") or None,
            str(data.get("redirect_uri", "")),
            OAuth2Token(
                str(data["access_token"]),
                data.get("refresh_token"),
                data.get("expires_at"),
                str(data.get("scope", "")),
            ),
            str(data.get("user_id", "")),
            str(data.get("username", "")),
        )
    raise ValueError(f"unknown kind {kind!r}")


class CredentialStore:
    def __init__(self, loc: Locations) -> None:
        self.loc = loc
        self.warnings: list[str] = []

    def names(self) -> list[str]:
        if not self.loc.profiles.exists():
            return []
        return sorted(p.stem for p in self.loc.profiles.glob("*.json") if valid_name(p.stem))

    def load(self, name: str) -> Profile | None:
        """The profile, or None if absent. A corrupt file is moved aside with a warning."""
        path = self.loc.profile(name)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"Cannot read {path}: {exc.strerror}. Fix its permissions (chmod 600).", path
            ) from None
        self._tighten(path)
        try:
            return _from_json(name, json.loads(raw))
        except (ValueError, KeyError, TypeError):
            moved = quarantine(path)
            self.warnings.append(
                f"{path} was unreadable; moved to {moved.name}. Set up that account again."
            )
            return None

    def _tighten(self, path: Path) -> None:
        """A credentials file others can read is made owner-only again, and the user told."""
        try:
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                path.chmod(0o600)
                self.warnings.append(
                    f"{path} was readable by others (mode {mode:o}); it is now 0600. "
                    "Consider regenerating those keys."
                )
        except OSError:
            pass

    def all(self) -> Iterator[Profile]:
        for name in self.names():
            profile = self.load(name)
            if profile is not None:
                yield profile

    def save(self, profile: Profile) -> None:
        if not valid_name(profile.name):
            raise StoreError(f"{profile.name!r} is not a usable profile name.")
        self.loc.ensure()
        data = json.dumps(_to_json(profile), indent=2).encode()
        atomic_write(self.loc.profile(profile.name), data, mode=0o600)

    def delete(self, name: str) -> None:
        path = self.loc.profile(name)
        path.unlink(missing_ok=True)
        self.loc.lock(name).unlink(missing_ok=True)

    def lock(self, name: str) -> AbstractContextManager[None]:
        self.loc.ensure()
        return file_lock(self.loc.lock(name))

    def token_saver(
        self, name: str
    ) -> tuple[Callable[[], OAuth2Token | None], Callable[[OAuth2Token], None]]:
        """Load/save callables for OAuth2Session, bound to this profile's file."""

        def load() -> OAuth2Token | None:
            profile = self.load(name)
            return profile.token if isinstance(profile, OAuth2Profile) else None

        def save(token: OAuth2Token) -> None:
            profile = self.load(name)
            if isinstance(profile, OAuth2Profile):
                self.save(replace(profile, token=token))

        return load, save
