"""Reading X's data export: zip, folder or like.js, whole or in parts, and every broken
shape refused with words a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from likes_tui.archive import ArchiveError, open_archive, posted_at
from tests import archive_fixtures as fx


@pytest.mark.parametrize("shape", ["zip", "folder", "like.js"])
def test_every_shape_gives_every_like_in_order(tmp_path: Path, shape: str) -> None:
    if shape == "zip":
        source = fx.make_zip(tmp_path / "twitter-2026.zip", 250, parts=3)
    elif shape == "folder":
        source = fx.make_folder(tmp_path / "archive", 250, parts=3)
    else:
        source = fx.make_like_js(tmp_path / "like.js", 250)
    archive = open_archive(source)
    likes = list(archive.likes())
    assert [like.post_id for like in likes] == fx.like_ids(250)
    assert likes[0].url.endswith(likes[0].post_id) and "rain" in likes[0].text
    if shape != "like.js":
        assert archive.account_id == fx.DEMO_ACCOUNT and archive.username == "likes_tui_demo"
        assert archive.generated_at == 1_793_527_200.0  # the manifest's 2026-11-01T10:00Z


def test_a_part_bigger_than_the_read_chunk_streams(tmp_path: Path, monkeypatch) -> None:
    from likes_tui import archive as mod

    monkeypatch.setattr(mod, "CHUNK", 512)  # every like crosses a chunk edge somewhere
    source = fx.make_like_js(tmp_path / "like.js", 300)
    assert [like.post_id for like in open_archive(source).likes()] == fx.like_ids(300)


def test_broken_inputs_are_refused_with_a_reason(tmp_path: Path) -> None:
    cut = fx.truncate(fx.make_zip(tmp_path / "cut.zip", 500))
    with pytest.raises(ArchiveError, match="not a complete zip"):
        open_archive(cut)
    folder = fx.make_folder(tmp_path / "broken", 300, parts=2)
    fx.break_part(folder)
    archive = open_archive(folder)
    with pytest.raises(ArchiveError, match=r"like-part1\.js is broken or cut short"):
        list(archive.likes())
    notes = tmp_path / "notes.txt"
    notes.write_text("https://x.com/a/status/1\n")
    with pytest.raises(ArchiveError, match="not an X archive"):
        open_archive(notes)
    with pytest.raises(ArchiveError, match=r"has no data/like\.js"):
        open_archive(tmp_path)  # a folder, but no archive in it
    half = fx.truncate(fx.make_like_js(tmp_path / "like.js", 100))
    with pytest.raises(ArchiveError, match="cut short"):
        list(open_archive(half).likes())


def test_a_posts_date_comes_from_its_id() -> None:
    assert posted_at("1228393702244134912") == pytest.approx(1_581_706_800, abs=3600)  # Feb 2020
    assert posted_at("12345") is None
