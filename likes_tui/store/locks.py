"""Cross-process locks: the credential lock around a token refresh, and the send lock that
makes one process at a time the sender of an account's queue.

They are taken through filelock (fcntl's flock on Unix, msvcrt's locking on Windows), the
only place that knows how this platform locks a file. A lock dies with its process, so a
killed sender never leaves its account locked: the soft (file-exists) fallback, which would
outlive a crash, is off.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import BaseFileLock


def _lock(path: Path, *, thread_local: bool) -> BaseFileLock:
    """filelock loads with the first lock (after the first paint; start-up needs none)."""
    from filelock import FileLock

    return FileLock(
        path,
        mode=0o600,
        thread_local=thread_local,
        fallback_to_soft=False,
        preserve_lock_file=True,  # never unlink a lock file another process may be opening
    )


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock shared by every running copy of the app (blocks). Not tied to a
    thread: a token refresh takes it on one worker thread and gives it back on another."""
    with _lock(path, thread_local=False):
        yield


class SendLock:
    """Held by the one process sending an account's queue; taken without blocking.

    The holder writes its pid beside the lock (`NAME.pid`), so the others can say who is
    sending; the lock file itself is left to the lock (Windows locks its bytes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pid_path = path.with_name(path.name + ".pid")
        self._lock = _lock(path, thread_local=False)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def try_acquire(self) -> bool:
        """True when this process holds the lock now (also when it already did)."""
        from filelock import Timeout

        if self.held:
            return True
        try:
            self._lock.acquire(blocking=False)
        except Timeout:
            return False
        with contextlib.suppress(OSError):
            self.pid_path.write_text(str(os.getpid()), encoding="ascii")
        return True

    def release(self) -> None:
        if self.held:
            self._lock.release(force=True)

    def holder(self) -> int | None:
        """The pid written by whoever holds the lock (None when unknown or free)."""
        try:
            text = self.pid_path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None
