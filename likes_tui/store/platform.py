"""What differs between POSIX systems (Linux, macOS) and Windows for files that hold
secrets, in one place: owner-only modes, and syncing a directory after a rename.

On POSIX the config directory is 0700 and credential files 0600, checked and tightened at
each start. Windows has no such modes: files there inherit the access list of the folder
they are in, and the platform's config folder (under %LOCALAPPDATA%) is the user's own, open
to that user, administrators and the system. The app sets no access list of its own there,
and says so.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

WINDOWS = os.name == "nt"

FILE_PROTECTION = (
    "On Windows they are protected by your user folder's permissions (you, administrators "
    "and the system), not by permissions of their own."
    if WINDOWS
    else "Only your user can read them (mode 0600)."
)
FIX_FILE_ACCESS = (
    "Check that your user may read it (its Properties, Security tab)."
    if WINDOWS
    else "Fix its permissions (chmod 600)."
)


def set_mode(fd: int, mode: int) -> None:
    """Give a file just written its mode (POSIX; Windows has none to give)."""
    if not WINDOWS:
        os.fchmod(fd, mode)


def loosen_check(path: Path, mode: int) -> int | None:
    """Tighten `path` to `mode` if others may read it; returns the loose mode it had, or None.
    Windows modes say nothing about other users, so nothing is checked there."""
    if WINDOWS:
        return None
    try:
        current = path.stat().st_mode & 0o777
        if current & 0o077:
            path.chmod(mode)
            return current
    except OSError:
        pass
    return None


def sync_directory(path: Path) -> None:
    """Make a rename in `path` durable (POSIX); Windows cannot open a directory for it and
    its rename is durable once the file's own data is."""
    if WINDOWS:
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
