"""What a `like` or `unlike` run is given, read for it: the words on its command line, the
imported archive's likes a filter picks, and --file (text, standard input, a pipe, or an
archive's like.js or .zip). Loaded only for those commands, not at a plain launch."""

from __future__ import annotations

import itertools
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from likes_tui.cli.headless import PostIds

if TYPE_CHECKING:
    import argparse

    from likes_tui.core.context import AppContext


class UsageError(Exception):
    """The command line asks for something that cannot work: exit status 2."""


def read_input(ctx: AppContext, args: argparse.Namespace) -> Iterator[str | PostIds]:
    """The lines of input, each ending in a newline: the URLs and ids given on the command
    line, the imported archive's likes the filters pick (`unlike --archived`), and --file (an
    archive's like.js or .zip gives its likes). A text file and standard input are read as the
    run needs each chunk, so a million-line file is never held whole. UsageError, before any
    of it is read for the run, when some of it cannot be read. Ids from an archive come as
    PostIds, not as text to parse again."""
    parts: list[Iterable[str | PostIds]] = [[f"{word}\n" for word in args.urls]]
    filters = [getattr(args, name, None) for name in ("before", "after", "matching")]
    if getattr(args, "archived", False):
        from likes_tui.cli.archive import archived_ids

        try:
            parts.append([PostIds(archived_ids(ctx, args))])
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    elif any(value is not None for value in filters):
        raise UsageError("--before, --after and --matching pick from the archive: add --archived.")
    if args.file == "-":
        parts.append(_ended(sys.stdin))
    elif args.file:
        parts.append(_file_lines(args.file))
    return itertools.chain.from_iterable(parts)


def _ended(lines: Iterable[str]) -> Iterator[str]:
    """`lines`, the last one given the newline a file may lack."""
    for line in lines:
        yield line if line.endswith("\n") else f"{line}\n"


def _file_lines(name: str) -> Iterable[str | PostIds]:
    path = Path(name)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise UsageError(f"cannot read --file {name}: {exc.strerror}.") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"--file {name} is a directory; name a text file.")
    if not stat.S_ISREG(mode):
        # A pipe (`--file <(…)`, /dev/stdin) can be read once: taken whole, as text.
        return _ended(_decoded(path, name).splitlines(keepends=True))
    try:
        with path.open("rb") as head:
            start = head.read(64)
    except OSError as exc:
        raise UsageError(f"cannot read --file {name}: {exc.strerror}.") from None
    if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"window.YTD.") or start.startswith(
        b"PK\x03\x04"
    ):
        from likes_tui.archive import ArchiveError, open_archive

        try:  # held whole (about 7 MB per 100,000 likes): a broken part refuses it all
            return [PostIds(like.post_id for like in open_archive(path).likes())]
        except ArchiveError as exc:
            raise UsageError(f"--file {name}: {exc.message}") from None
    _check_utf8(path, name)
    return _ended(_read_lines(path))


def _decoded(path: Path, name: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read --file {name}: {exc.strerror}.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"--file {name} is not UTF-8 text.") from None


def _check_utf8(path: Path, name: str) -> None:
    """Read the file once, a megabyte at a time, to refuse it whole if it is not UTF-8 text
    (rather than after queueing the lines before the bad byte)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as raw:
            while block := raw.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except OSError as exc:
        raise UsageError(f"cannot read --file {name}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"--file {name} is not UTF-8 text.") from None


def _read_lines(path: Path) -> Iterator[str]:
    """The file's lines as they are read (a byte changed since the check reads as U+FFFD)."""
    with path.open(encoding="utf-8", errors="replace", newline=None) as text:
        yield from text
