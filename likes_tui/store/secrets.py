"""Where an account's secrets live: the OS keyring, the account's owner-only file, or a
command the user names (a password manager).

keyring loads here only, when a secret is read or written, which the app does after its
first paint and off the event loop: importing it and picking a backend takes about 0.1 s.
Nothing here logs, and no error message carries a secret or a command's output.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from likes_tui.store.files import StoreError
from likes_tui.store.profiles import COMMAND_TIMEOUT

KEYRING_SERVICE = "likes-tui"
MAX_COMMAND_OUTPUT = 64 * 1024


class SecretsUnavailable(StoreError):
    """An account's secrets cannot be read or written; the message names the account."""


@dataclass(frozen=True)
class KeyringStatus:
    usable: bool
    backend: str
    """A name a person knows ("macOS Keychain"), or why none is usable."""


_KNOWN = {
    "macOS": "macOS Keychain",
    "Windows": "Windows Credential Manager",
    "SecretService": "Secret Service (GNOME Keyring, KeePassXC)",
    "kwallet": "KWallet",
}


def no_session_bus() -> str | None:
    """Why no OS keyring can answer here, found without loading keyring (about 0.12 s of
    imports, paid by every cron run whose secrets are in their file), or None when only
    keyring can tell. Off macOS and Windows the OS keyrings (Secret Service, KWallet) answer
    on the D-Bus session bus: with no bus address, no bus socket in XDG_RUNTIME_DIR, no
    backend named in PYTHON_KEYRING_BACKEND and no keyringrc.cfg, there is none."""
    if sys.platform in ("darwin", "win32", "cygwin"):
        return None
    env = os.environ
    if env.get("PYTHON_KEYRING_BACKEND") or env.get("DBUS_SESSION_BUS_ADDRESS"):
        return None
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):
        return None
    try:
        home = Path.home()
    except RuntimeError:  # no home directory: let keyring decide
        return None
    for root in (
        env.get("XDG_CONFIG_HOME") or home / ".config",
        env.get("XDG_DATA_HOME") or home / ".local" / "share",
    ):
        if (Path(root) / "python_keyring" / "keyringrc.cfg").exists():
            return None
    return "no D-Bus session here, so no Secret Service or KWallet"


_DISABLED = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}
"""Backends that store nothing: keyring's README disables it with the null one, and pip's
and Poetry's users set that to stop keyring prompts."""


def keyring_disabled() -> str | None:
    """Why PYTHON_KEYRING_BACKEND turns keyring off, found without loading it (a returning
    user's start paid 15 to 33 ms for keyring to say so), or None."""
    named = os.environ.get("PYTHON_KEYRING_BACKEND", "").strip()
    if named in _DISABLED:
        return "PYTHON_KEYRING_BACKEND turns keyring off"
    return None


def keyring_status() -> KeyringStatus:
    """Whether the keyring library found a backend that stores secrets for real."""
    if why := keyring_disabled() or no_session_bus():
        return KeyringStatus(False, why)
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring install or config must not stop the app
        return KeyringStatus(False, f"the keyring library failed to load ({type(exc).__name__})")
    if isinstance(backend, fail.Keyring) or type(backend).__module__.endswith(".null"):
        return KeyringStatus(False, "no OS keyring is usable here")
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return KeyringStatus(False, "no OS keyring is usable here")
    try:
        trusted = float(backend.priority) >= 1  # keyrings.alt's plain-text files are 0.5
    except Exception:
        trusted = False
    if not trusted:
        return KeyringStatus(False, f"only a low-priority keyring ({type(backend).__name__}) here")
    module = type(backend).__module__.rpartition(".")[2]
    return KeyringStatus(True, _KNOWN.get(module, type(backend).__name__))


class KeyringVault:
    """One keyring item per account: its secrets as one JSON text, so a token rotation is
    one write that lands whole or not at all."""

    def __init__(self, account: str) -> None:
        self.account = account

    def _fail(self, doing: str, exc: Exception) -> SecretsUnavailable:
        return SecretsUnavailable(
            f"Account {self.account!r}: the OS keyring refused to {doing} its secrets "
            f'({type(exc).__name__}). Unlock the keyring, or set secret_store = "file" in '
            "settings.toml to keep them in an owner-only file."
        )

    def get(self, ref: str) -> dict[str, Any] | None:
        import keyring

        try:
            text = keyring.get_password(KEYRING_SERVICE, ref)
        except Exception as exc:
            raise self._fail("read", exc) from None
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise SecretsUnavailable(
                f"Account {self.account!r}: its keyring item is not one likes-tui wrote. "
                "Remove the account and set it up again."
            )
        return data

    def put(self, ref: str, secrets: Mapping[str, Any]) -> None:
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, ref, json.dumps(dict(secrets)))
        except Exception as exc:
            raise self._fail("store", exc) from None

    def delete(self, ref: str) -> None:
        """Forget the item; an item already gone is fine."""
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(KEYRING_SERVICE, ref)
        except PasswordDeleteError:
            return
        except Exception as exc:
            raise self._fail("delete", exc) from None


def split_command(text: str) -> tuple[str, ...]:
    """A command line as its words, the way this platform's shell would split it (but no
    shell runs it: no pipes, globs or variables)."""
    return tuple(shlex.split(text, posix=os.name != "nt"))


def run_secret_command(
    account: str,
    command: Sequence[str],
    allowed: Sequence[str],
    timeout: float = COMMAND_TIMEOUT,
) -> dict[str, str]:
    """Run the account's secret command and read the secrets it prints.

    It prints either a JSON object or `field: value` lines (blank and `#` lines skipped);
    the fields are the profile's secret names (`allowed`). Errors name the account and the
    program, never what it printed on standard output."""
    if not command:
        raise SecretsUnavailable(f"Account {account!r}: its secret_command is empty.")
    program = command[0]
    try:
        done = subprocess.run(
            list(command),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            shell=False,
            check=False,
        )
    except FileNotFoundError:
        raise SecretsUnavailable(
            f"Account {account!r}: its secret command {program!r} was not found. "
            "Check secret_command in its profile (no shell runs it, so give the program's "
            "name or path)."
        ) from None
    except PermissionError:
        raise SecretsUnavailable(
            f"Account {account!r}: its secret command {program!r} is not executable."
        ) from None
    except subprocess.TimeoutExpired:
        raise SecretsUnavailable(
            f"Account {account!r}: its secret command {program!r} did not finish in "
            f"{timeout:g} s. Run it yourself to see whether it waits for input."
        ) from None
    except OSError as exc:
        raise SecretsUnavailable(
            f"Account {account!r}: its secret command {program!r} could not start ({exc.strerror})."
        ) from None
    if done.returncode != 0:
        why = _first_line(done.stderr)
        raise SecretsUnavailable(
            f"Account {account!r}: its secret command {program!r} failed "
            f"(exit status {done.returncode}){': ' + why if why else ''}. "
            "Run it yourself to see why."
        )
    return parse_secret_output(account, program, done.stdout, allowed)


def _first_line(data: bytes) -> str:
    """The first line of what a command said on standard error, short (for the message)."""
    text = data.decode(errors="replace").strip().splitlines()
    return text[0][:160] if text else ""


def parse_secret_output(
    account: str, program: str, data: bytes, allowed: Sequence[str]
) -> dict[str, str]:
    where = f"Account {account!r}: the output of its secret command {program!r}"
    may = f"the fields it may print are {', '.join(allowed)}."
    if len(data) > MAX_COMMAND_OUTPUT:
        raise SecretsUnavailable(f"{where} is too long to be secrets.")
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise SecretsUnavailable(f"{where} is not text.") from None
    values: dict[str, str] = {}
    if text.lstrip().startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            raise SecretsUnavailable(f"{where} starts like JSON but is not.") from None
        if not isinstance(parsed, dict) or not all(isinstance(v, str) for v in parsed.values()):
            raise SecretsUnavailable(f"{where} is not a JSON object of texts.")
        values = {str(k): v for k, v in parsed.items()}
    else:
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            key, sep, value = stripped.partition(":")
            if not sep:
                key, sep, value = stripped.partition("=")
            if not sep:
                raise SecretsUnavailable(
                    f"{where} has a line that is not `field: value` (line {number})."
                )
            if key.strip() not in allowed:
                raise SecretsUnavailable(f"{where} has an unknown field (line {number}); {may}")
            values[key.strip()] = value.strip()
    if set(values) - set(allowed):
        raise SecretsUnavailable(f"{where} has an unknown field; {may}")
    return {k: v for k, v in values.items() if v}
