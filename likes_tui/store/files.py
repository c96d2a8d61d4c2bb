"""Paths on disk and the two operations every important write uses: atomic replace and quarantine."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from likes_tui.store import platform

ENV_VAR = "LIKES_TUI_CONFIG_DIR"
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
PROFILE_NAME_RULE = "1 to 64 letters, digits, '_', '.', '@' or '-', not starting with '.'"
APP_NAME = "likes-tui"


class StoreError(Exception):
    """A file could not be read or written; `message` names the file and what to do."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def valid_profile_name(name: str) -> bool:
    """A name that stays a plain file name inside profiles/ (no '..', no '/')."""
    return bool(_PROFILE_NAME.match(name)) and not name.startswith(".")


def check_profile_name(name: str) -> str:
    if not valid_profile_name(name):
        raise StoreError(f"{name!r} is not a valid account name ({PROFILE_NAME_RULE}).")
    return name


def default_config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def resolve_config_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """`--config-dir`, else $LIKES_TUI_CONFIG_DIR, else the platform's config dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_config_dir()


@dataclass(frozen=True)
class Locations:
    """Every path the app uses; nobody else builds paths."""

    root: Path

    @property
    def settings(self) -> Path:
        return self.root / "settings.toml"

    @property
    def profiles(self) -> Path:
        return self.root / "profiles"

    @property
    def state(self) -> Path:
        return self.root / "state.db"

    def profile(self, name: str) -> Path:
        """Every path built from a name read from outside (a flag, settings.toml) is checked
        here, so no name can reach outside profiles/."""
        return self.profiles / f"{check_profile_name(name)}.json"

    def lock(self, name: str) -> Path:
        return self.profiles / f".{check_profile_name(name)}.lock"

    @property
    def locks(self) -> Path:
        return self.root / "locks"

    def send_lock(self, account: str) -> Path:
        """The lock held by the process sending this account's queue (account = user id)."""
        safe = account if account.isascii() and account.isdigit() else "x" + account.encode().hex()
        return self.locks / f"send-{safe}.lock"

    def ensure(self) -> Locations:
        """Create the directories owner-only (0700), tightening them if they exist."""
        self.ensure_reporting()
        return self

    def ensure_reporting(self) -> list[str]:
        """`ensure`, returning a warning for each directory others could read or enter."""
        warnings = []
        for path in (self.root, self.profiles, self.locks):
            try:
                path.mkdir(mode=0o700, parents=True, exist_ok=True)
                mode = platform.loosen_check(path, 0o700)
                if mode:
                    warnings.append(
                        f"{path} was open to other users (mode {mode:o}); it is now 0700. "
                        "Check that nobody copied the credentials in it."
                    )
            except OSError as exc:
                raise StoreError(
                    f"Cannot create or use the config directory {path}: {exc.strerror}. "
                    "Choose another with --config-dir.",
                    path,
                ) from None
        return warnings


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write via a temp file in the same directory, fsync, then os.replace: all or nothing."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise StoreError(f"Cannot write {path}: {exc.strerror}.", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            platform.set_mode(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        platform.sync_directory(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StoreError(f"Cannot write {path}: {exc.strerror}.", path) from None


def quarantine(path: Path) -> Path:
    """Move an unreadable file aside (never overwrite it) and return where it went."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    return target
