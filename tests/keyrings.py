"""Keyring backends for tests: one in memory, and one in a JSON file that several processes
share (the cross-process tests point PYTHON_KEYRING_BACKEND at it). No test touches the
keyring of the machine it runs on: tests/conftest.py sets the "fail" backend for every
process unless a test picks one of these."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError, PasswordSetError

FILE_KEYRING_ENV = "LIKES_TUI_TEST_KEYRING"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.refuse_writes = False
        self.writes = 0

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refuse_writes:
            raise PasswordSetError("the keyring is locked")
        self.writes += 1
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("no such item")


class FileKeyring(KeyringBackend):
    """Items in the JSON file named by $LIKES_TUI_TEST_KEYRING, replaced whole on each write
    (likes-tui writes an account's item under that account's lock)."""

    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ[FILE_KEYRING_ENV])

    def _items(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        return dict(data)

    def _write(self, items: dict[str, str]) -> None:
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(items))
        os.replace(tmp, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._items().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        items = self._items()
        items[f"{service}\0{username}"] = password
        self._write(items)

    def delete_password(self, service: str, username: str) -> None:
        items = self._items()
        if items.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError("no such item")
        self._write(items)
