"""X's data export ("Download an archive of your data"): the likes in `data/like.js` (and
`like-part1.js`, … for big accounts), the account in `data/account.js`, the archive's date
in `data/manifest.js`. Read from the .zip, the unpacked folder, or a like.js alone.

Each part is `window.YTD.like.part0 = [ {"like": {"tweetId": …, "fullText": …,
"expandedUrl": …}}, … ]`. It is read as a stream, one like at a time, so 100,000 likes take
the memory of one chunk. Pure: no textual, no store."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 20
LIKE_PART = re.compile(r"(?:^|/)data/like(?:-part\d+)?\.js$|^like(?:-part\d+)?\.js$")
ASSIGN = re.compile(r"^\s*window\.YTD\.(\w+)\.part\d+\s*=\s*", re.ASCII)
ANY_ASSIGN = re.compile(r"^\s*window\.[\w.]+\s*=\s*", re.ASCII)
"""manifest.js assigns `window.__THAR_CONFIG`, the data files `window.YTD.<what>.partN`."""
SNOWFLAKE_EPOCH_MS = 1288834974657


class ArchiveError(Exception):
    """The input is not a usable X archive; the message says what is wrong with it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotThisAccount(ArchiveError):
    """The archive is another account's (account.js names it)."""


@dataclass(frozen=True)
class ArchivedLike:
    post_id: str
    text: str = ""
    url: str = ""


def posted_at(post_id: str) -> float | None:
    """When a post was made, from its id (X's snowflake ids carry the time since 2010)."""
    try:
        value = int(post_id)
    except ValueError:
        return None
    if value < 1 << 32:  # ids before snowflakes carry no time
        return None
    return ((value >> 22) + SNOWFLAKE_EPOCH_MS) / 1000


Opener = Callable[[], IO[bytes]]


@dataclass(frozen=True)
class Archive:
    source: Path
    parts: tuple[tuple[str, Opener], ...]
    """Each like part's name and how to open it, in order."""
    account_id: str | None = None
    username: str | None = None
    generated_at: float | None = None
    """When X made the archive (its manifest), else the like file's own date."""

    def likes(self) -> Iterator[ArchivedLike]:
        """Every like, part after part; ArchiveError at the first broken part."""
        for name, opener in self.parts:
            with opener() as raw:
                yield from _likes_in(io.TextIOWrapper(raw, encoding="utf-8-sig"), name)


def open_archive(path: str | Path) -> Archive:
    """The archive at `path`: a .zip, a folder (the unpacked archive or its data/), or a
    like.js; ArchiveError when it is none of these or cannot be read."""
    source = Path(path)
    if not source.exists():
        raise ArchiveError(f"{source} does not exist.")
    if source.is_dir():
        return _folder(source)
    if zipfile.is_zipfile(source):
        return _zip(source)
    with source.open("rb") as head:
        start = head.read(200).decode("utf-8-sig", "replace")
    assigned = ASSIGN.match(start)
    if assigned and assigned.group(1) == "like":
        return Archive(
            source, ((source.name, lambda: source.open("rb")),), None, None, source.stat().st_mtime
        )
    if source.suffix.lower() == ".zip":
        raise ArchiveError(f"{source} is not a complete zip file (cut short while downloading?).")
    raise ArchiveError(
        f"{source} is not an X archive: expected the .zip from Settings → Your account → "
        "Download an archive, its folder, or its data/like.js."
    )


def _folder(root: Path) -> Archive:
    data = root / "data" if (root / "data").is_dir() else root
    parts = sorted(data.glob("like*.js"), key=_part_order)
    parts = [p for p in parts if LIKE_PART.search(p.name)]
    if not parts:
        raise ArchiveError(f"{root} has no data/like.js: it is not an unpacked X archive.")
    account = _read_small(data / "account.js") if (data / "account.js").exists() else None
    manifest = _read_small(data / "manifest.js") if (data / "manifest.js").exists() else None
    openers = tuple((p.name, _file_opener(p)) for p in parts)
    return _with_meta(root, openers, account, manifest, parts[0].stat().st_mtime)


def _file_opener(path: Path) -> Opener:
    return lambda: path.open("rb")


def _zip(source: Path) -> Archive:
    try:
        archive = zipfile.ZipFile(source)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{source} cannot be read as a zip ({exc}).") from None
    parts = sorted((n for n in names if LIKE_PART.search(n)), key=_part_order)
    if not parts:
        raise ArchiveError(f"{source} has no data/like.js: it is not an X archive.")

    def member(name: str) -> str | None:
        found = [n for n in names if n == f"data/{name}" or n.endswith(f"/data/{name}")]
        if not found:
            return None
        try:
            return archive.read(found[0]).decode("utf-8-sig")
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"{source}: {found[0]} cannot be read ({exc}).") from None

    def opener(name: str) -> Opener:
        return lambda: _checked(archive, name, source)

    info = archive.getinfo(parts[0])
    dated = time.mktime((*info.date_time, 0, 0, -1))
    openers = tuple((n, opener(n)) for n in parts)
    return _with_meta(source, openers, member("account.js"), member("manifest.js"), dated)


def _checked(archive: zipfile.ZipFile, name: str, source: Path) -> IO[bytes]:
    try:
        return archive.open(name)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{source}: {name} cannot be read ({exc}).") from None


def _part_order(name: object) -> tuple[int, str]:
    text = str(name)
    found = re.search(r"like-part(\d+)\.js$", text)
    return (int(found.group(1)) if found else 0, text)


def _read_small(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ArchiveError(f"{path} cannot be read ({exc}).") from None


def _assigned(text: str, name: str) -> Any:
    """The JSON a `window.YTD.<what>.part0 = …` file assigns."""
    found = ANY_ASSIGN.match(text)
    if not found:
        raise ArchiveError(f"{name} is not in X's archive format.")
    try:
        return json.loads(text[found.end() :])
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"{name} is broken ({exc.msg} at character {exc.pos}).") from None


def _with_meta(
    source: Path,
    parts: tuple[tuple[str, Opener], ...],
    account_js: str | None,
    manifest_js: str | None,
    file_date: float,
) -> Archive:
    account_id = username = None
    if account_js is not None:
        items = _assigned(account_js, "account.js")
        account = items[0].get("account", {}) if isinstance(items, list) and items else {}
        account_id = str(account.get("accountId") or "") or None
        username = account.get("username") or None
    generated = None
    if manifest_js is not None:
        with_info = _assigned(manifest_js, "manifest.js")
        info = with_info.get("archiveInfo", {}) if isinstance(with_info, dict) else {}
        stamp = info.get("generationDate")
        if isinstance(stamp, str):
            try:
                generated = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
            except ValueError:
                generated = None
    return Archive(source, parts, account_id, username, generated or file_date)


def _likes_in(stream: IO[str], name: str) -> Iterator[ArchivedLike]:
    """The likes of one part, decoded one object at a time from a growing buffer."""
    decoder = json.JSONDecoder()
    buffer = ""
    while "[" not in buffer:
        chunk = stream.read(CHUNK)
        if not chunk:
            raise ArchiveError(f"{name} is not in X's archive format (no list of likes).")
        buffer += chunk
    found = ASSIGN.match(buffer)
    if not found or found.group(1) != "like":
        raise ArchiveError(f"{name} is not X's like.js.")
    at = buffer.index("[", found.end()) + 1
    while True:
        at = _skip(buffer, at)
        if at < len(buffer) and buffer[at] == "]":
            return
        try:
            item, end = decoder.raw_decode(buffer, at)
        except json.JSONDecodeError as exc:
            chunk = stream.read(CHUNK)
            if not chunk:
                raise ArchiveError(
                    f"{name} is broken or cut short ({exc.msg} near character {exc.pos})."
                ) from None
            buffer = buffer[at:] + chunk
            at = 0
            continue
        like = item.get("like") if isinstance(item, dict) else None
        if not isinstance(like, dict):
            raise ArchiveError(f"{name} has an entry that is not a like near character {at}.")
        post_id = like.get("tweetId")
        if not isinstance(post_id, str) or not post_id.isdigit():
            raise ArchiveError(f"{name} has an entry without a post id near character {at}.")
        yield ArchivedLike(
            post_id, str(like.get("fullText") or ""), str(like.get("expandedUrl") or "")
        )
        at = end
        if at > CHUNK:  # keep the buffer to about one chunk
            buffer = buffer[at:]
            at = 0


def _skip(buffer: str, at: int) -> int:
    """Past whitespace and the comma between items."""
    while at < len(buffer) and buffer[at] in " \t\r\n,":
        at += 1
    return at
