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
from likes_tui.store.files import (
    Locations,
    StoreError,
    atomic_write,
    quarantine,
    valid_profile_name,
)
from likes_tui.store.locks import file_lock

MAX_PROFILE_BYTES = 64 * 1024
"""A profile is a few hundred bytes; anything this large is not one (and is not read whole)."""


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


valid_name = valid_profile_name


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


def _text(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    """A string field; absent or null is empty (or an error when required)."""
    value = data.get(key)
    if value is None:
        if required:
            raise ValueError(f"{key} is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{key} is not text")
    return str(value)


def _expiry(value: Any) -> float | None:
    """`expires_at` as seconds; anything unusable means unknown (the token is refreshed when
    X refuses it), not a crash."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _from_json(name: str, data: Any) -> Profile:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    kind = data.get("kind")
    if kind == "oauth1":
        return OAuth1Profile(
            name,
            OAuth1Credentials(
                _text(data, "api_key", required=True),
                _text(data, "api_key_secret", required=True),
                _text(data, "access_token", required=True),
                _text(data, "access_token_secret", required=True),
            ),
            _text(data, "user_id"),
            _text(data, "username"),
        )
    if kind == "oauth2":
        return OAuth2Profile(
            name,
            _text(data, "client_id", required=True),
            _text(data, "client_secret") or None,
            _text(data, "redirect_uri"),
            OAuth2Token(
                _text(data, "access_token", required=True),
                _text(data, "refresh_token") or None,
                _expiry(data.get("expires_at")),
                _text(data, "scope"),
            ),
            _text(data, "user_id"),
            _text(data, "username"),
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
            with path.open("rb") as handle:
                raw = handle.read(MAX_PROFILE_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"Cannot read {path}: {exc.strerror}. Fix its permissions (chmod 600).", path
            ) from None
        self._tighten(path)
        try:
            if len(raw) > MAX_PROFILE_BYTES:
                raise ValueError("too large to be an account file")
            return _from_json(name, json.loads(raw))
        except (ValueError, KeyError, TypeError, RecursionError):
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
        """Load/save callables for OAuth2Signer, bound to this profile's file."""

        def load() -> OAuth2Token | None:
            profile = self.load(name)
            return profile.token if isinstance(profile, OAuth2Profile) else None

        def save(token: OAuth2Token) -> None:
            profile = self.load(name)
            if isinstance(profile, OAuth2Profile):
                self.save(replace(profile, token=token))

        return load, save
