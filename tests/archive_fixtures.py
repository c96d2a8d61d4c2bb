"""X's data export as X lays it out (data/like.js, like-part1.js, …, account.js,
manifest.js), generated at any size, whole or broken, as a zip, a folder or a like.js."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from likes_tui.sandbox.seed import GENERATED_BASE

DEMO_ACCOUNT = "1590000000000000001"
GENERATED = "2026-11-01T10:00:00.000Z"


def like_ids(count: int, start: int = 0) -> list[str]:
    return [str(GENERATED_BASE + i) for i in range(start, start + count)]


def snowflake(day: str, n: int = 0) -> str:
    """A post id made on `day` (YYYY-MM-DD, UTC), as X's snowflake ids carry their time."""
    from datetime import UTC, datetime

    ms = int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)
    return str(((ms - 1288834974657) << 22) + n)


def like_part(ids: list[str], part: int = 0) -> str:
    items = [
        {
            "like": {
                "tweetId": post_id,
                "fullText": f"post {post_id}: rain and compilers" if n % 3 == 0 else f"post {n}",
                "expandedUrl": f"https://twitter.com/i/web/status/{post_id}",
            }
        }
        for n, post_id in enumerate(ids)
    ]
    body = json.dumps(items, indent=2, ensure_ascii=False)
    return f"window.YTD.like.part{part} = {body}"


def account_js(account_id: str = DEMO_ACCOUNT, username: str = "likes_tui_demo") -> str:
    account = {"accountId": account_id, "username": username, "accountDisplayName": "Demo"}
    return "window.YTD.account.part0 = " + json.dumps([{"account": account}], indent=2)


def manifest_js(generated: str = GENERATED) -> str:
    info = {
        "archiveInfo": {"sizeBytes": "1", "generationDate": generated, "isPartialArchive": False}
    }
    return "window.__THAR_CONFIG = " + json.dumps(info)


def files(
    count: int,
    *,
    parts: int = 1,
    account_id: str = DEMO_ACCOUNT,
    generated: str = GENERATED,
    ids: list[str] | None = None,
) -> dict[str, str]:
    """An archive's files by path: the likes (`ids`, else `count` generated ones) split over
    `parts` like files."""
    ids = like_ids(count) if ids is None else ids
    count = len(ids)
    size = -(-count // parts) if count else 0
    out = {
        "data/account.js": account_js(account_id),
        "data/manifest.js": manifest_js(generated),
        "Your archive.html": "<html>…</html>",
    }
    for part in range(parts):
        name = "data/like.js" if part == 0 else f"data/like-part{part}.js"
        out[name] = like_part(ids[part * size : (part + 1) * size], part)
    return out


def make_zip(path: Path, count: int, **kw: object) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files(count, **kw).items():  # type: ignore[arg-type]
            archive.writestr(name, text)
    return path


def make_folder(root: Path, count: int, **kw: object) -> Path:
    for name, text in files(count, **kw).items():  # type: ignore[arg-type]
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def make_like_js(path: Path, count: int) -> Path:
    path.write_text(like_part(like_ids(count)), encoding="utf-8")
    return path


def truncate(path: Path, keep: float = 0.6) -> Path:
    """The file cut short, as a download that stopped."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def break_part(root: Path, name: str = "data/like-part1.js") -> None:
    """One part of an unpacked archive with a broken entry in its middle."""
    target = root / name
    text = target.read_text(encoding="utf-8")
    middle = text.index('"tweetId"', len(text) // 2)
    target.write_text(text[:middle] + '"tweetId": ,' + text[middle + 10 :], encoding="utf-8")
