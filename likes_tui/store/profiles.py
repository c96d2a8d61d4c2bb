"""The account files in profiles/: one JSON file each, 0600, that says who the account is,
which kind of sign-in it uses and where its secrets are, without the secrets themselves
(except for an account whose secrets live in the file).

This is the part of the accounts that start-up reads before the first paint: listing and
picking an account needs no secret, so neither the API's token types nor the keyring load
here. store/credentials.py adds the secrets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from likes_tui.store import platform
from likes_tui.store.files import Locations, StoreError, quarantine, valid_profile_name

COMMAND_TIMEOUT = 30.0
"""Seconds a secret command may take (a password manager may ask for its passphrase)."""

if TYPE_CHECKING:  # (types only: evaluating them would cost start-up time)
    AuthKind = Literal["oauth1", "oauth2"]
    SecretHome = Literal["keyring", "file"]
    """Where an account's stored secrets are; its file records it."""
    SecretPolicy = Literal["auto", "keyring", "file"]
    """settings.toml's `secret_store`: where new accounts' secrets go. "auto" is the OS
    keyring when one is usable, else the owner-only file; "keyring" is that or an error."""

MAX_PROFILE_BYTES = 64 * 1024
"""A profile is a few hundred bytes; anything this large is not one (and is not read whole)."""

SECRET_HOMES: tuple[SecretHome, ...] = ("keyring", "file")
OAUTH1_SECRETS = ("api_key", "api_key_secret", "access_token", "access_token_secret")
OAUTH2_TOKEN = ("access_token", "refresh_token", "expires_at", "scope")
OAUTH2_SECRETS = ("client_secret", *OAUTH2_TOKEN)
REQUIRED: dict[str, tuple[str, ...]] = {"oauth1": OAUTH1_SECRETS, "oauth2": ("access_token",)}
COMMAND_FIELDS: dict[str, tuple[str, ...]] = {
    "oauth1": OAUTH1_SECRETS,
    "oauth2": ("client_secret",),
}
"""What a secret command supplies: OAuth 1.0a's four values, a confidential OAuth 2.0
client's secret. OAuth 2.0 tokens rotate, so they stay in the keyring or the file."""


class ProfileInfo(NamedTuple):
    """An account as its file describes it, without secrets: enough to list, name and pick
    it before the first paint (reading a keyring costs about 0.1 s; a command, more). The
    modules that read secrets load after the paint."""

    name: str
    kind: AuthKind
    user_id: str = ""
    username: str = ""
    client_id: str = ""
    redirect_uri: str = ""
    home: SecretHome = "file"
    secret_ref: str = ""
    secret_command: tuple[str, ...] = ()
    owns_app: bool = False
    """The account owns the developer App, so its own data are owned reads ($0.001). Yes for
    keys from the portal (its Access Token is the owner's); asked at a PIN or OAuth 2.0
    sign-in, "no" when unsure. Files without it: yes for OAuth 1.0a, no for OAuth 2.0."""

    @property
    def kept_in(self) -> str:
        """Where the secrets are, in words (account lists show it)."""
        where = "OS keyring" if self.home == "keyring" else "file"
        if not self.secret_command:
            return where
        if self.kind == "oauth1":
            return "secret command"
        return f"secret command + {where}"


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


def info_from(name: str, data: Any) -> ProfileInfo:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    kind = data.get("kind")
    if kind not in ("oauth1", "oauth2"):
        raise ValueError(f"unknown kind {kind!r}")
    home = data.get("secrets", "file")
    if home not in SECRET_HOMES:
        raise ValueError(f"unknown secrets store {home!r}")
    command = data.get("secret_command") or ()
    if not isinstance(command, list | tuple) or not all(isinstance(w, str) for w in command):
        raise ValueError("secret_command is not a list of words")
    info = ProfileInfo(
        name,
        kind,
        _text(data, "user_id"),
        _text(data, "username"),
        _text(data, "client_id", required=kind == "oauth2"),
        _text(data, "redirect_uri"),
        home,
        _text(data, "secret_ref", required=home == "keyring"),
        tuple(command),
        _flag(data, "owns_app", kind == "oauth1"),
    )
    return info


def _flag(data: dict[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} is not true or false")
    return value


def info_json(info: ProfileInfo) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": info.kind,
        "user_id": info.user_id,
        "username": info.username,
    }
    if info.kind == "oauth2":
        data.update(client_id=info.client_id, redirect_uri=info.redirect_uri)
    data["secrets"] = info.home
    if info.home == "keyring":
        data["secret_ref"] = info.secret_ref
    if info.secret_command:
        data["secret_command"] = list(info.secret_command)
    data["owns_app"] = info.owns_app
    return data


def stored_fields(info: ProfileInfo) -> tuple[str, ...]:
    """The secrets the keyring or the file holds: all but what the secret command gives."""
    fields = OAUTH1_SECRETS if info.kind == "oauth1" else OAUTH2_SECRETS
    if not info.secret_command:
        return fields
    return tuple(key for key in fields if key not in COMMAND_FIELDS[info.kind])


class ProfileFiles:
    """The account files of one config directory (reads them; credentials.py writes)."""

    def __init__(self, loc: Locations) -> None:
        self.loc = loc
        self.warnings: list[str] = []

    def names(self) -> list[str]:
        if not self.loc.profiles.exists():
            return []
        return sorted(
            p.stem for p in self.loc.profiles.glob("*.json") if valid_profile_name(p.stem)
        )

    def read(self, name: str) -> tuple[ProfileInfo, dict[str, Any]] | None:
        """The file's account and its fields, or None if absent. A corrupt file is moved
        aside with a warning."""
        path = self.loc.profile(name)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_PROFILE_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"Cannot read {path}: {exc.strerror}. {platform.FIX_FILE_ACCESS}", path
            ) from None
        self._tighten(path)
        try:
            if len(raw) > MAX_PROFILE_BYTES:
                raise ValueError("too large to be an account file")
            import json  # (only once an account exists: a first run or --demo reads none)

            data = json.loads(raw)
            info = info_from(name, data)
            if info.home == "file" and not info.secret_command:
                for key in REQUIRED[info.kind]:  # a file that should hold them must hold them
                    _text(data, key, required=True)
            return info, data
        except (ValueError, KeyError, TypeError, RecursionError):
            self._set_aside(path)
            return None

    def _set_aside(self, path: Path) -> None:
        moved = quarantine(path)
        self.warnings.append(
            f"{path} was unreadable; moved to {moved.name}. Set up that account again."
        )

    def _tighten(self, path: Path) -> None:
        """A credentials file others can read is made owner-only again, and the user told."""
        loose = platform.loosen_check(path, 0o600)
        if loose:
            self.warnings.append(
                f"{path} was readable by others (mode {loose:o}); it is now 0600. "
                "Consider regenerating those keys."
            )

    def info(self, name: str) -> ProfileInfo | None:
        """The account without its secrets (reads its file only)."""
        found = self.read(name)
        return found[0] if found else None

    def infos(self) -> Iterator[ProfileInfo]:
        for name in self.names():
            info = self.info(name)
            if info is not None:
                yield info
