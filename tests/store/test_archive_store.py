"""The imported archive in the state database: once per like, all or nothing, filtered by
text and date, and merged with history so the newer word on a post wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from likes_tui.archive import ArchivedLike, ArchiveError, open_archive
from likes_tui.store.archive import ArchiveFilter
from likes_tui.store.state import StateDB
from tests.archive_fixtures import break_part, make_folder, snowflake

ME = "1590000000000000001"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_big_multi_part_archive_imports_once(tmp_path: Path) -> None:
    state = StateDB(tmp_path / "state.db")
    archive = open_archive(make_folder(tmp_path / "a", 20_000, parts=4))
    first = state.archive.import_likes(ME, archive.likes(), 1000.0)
    assert (first.found, first.new) == (20_000, 20_000)
    again = state.archive.import_likes(ME, archive.likes(), 1000.0)
    assert (again.found, again.new) == (20_000, 0)
    assert state.archive.count(ME) == 20_000
    assert state.archive.count("someone else") == 0


def test_a_broken_part_leaves_what_was_there(tmp_path: Path) -> None:
    state = StateDB(tmp_path / "state.db")
    state.archive.import_likes(ME, [ArchivedLike("123456789012")], 1000.0)
    broken = make_folder(tmp_path / "b", 3000, parts=3)
    break_part(broken)
    with pytest.raises(ArchiveError):
        state.archive.import_likes(ME, open_archive(broken).likes(), 2000.0)
    assert state.archive.count(ME) == 1


def test_filters_pick_by_text_and_the_posts_own_date(tmp_path: Path) -> None:
    state = StateDB(tmp_path / "state.db")
    likes = [
        ArchivedLike(snowflake("2018-06-01"), "Rain on the roof", "https://x.com/a/status/1"),
        ArchivedLike(snowflake("2021-01-01"), "compilers at night"),
        ArchivedLike(snowflake("2024-12-31"), "100% rain"),
    ]
    state.archive.import_likes(ME, likes, 1000.0)
    by = ArchiveFilter
    assert state.archive.count(ME, by(matching="rain")) == 2  # case-insensitive
    assert state.archive.count(ME, by(matching="100%")) == 1  # % is a character, not a wildcard
    assert state.archive.count(ME, by(matching="x.com/a")) == 1
    cut = 1609459200.0  # 2021-01-01
    assert [r.text for r in state.archive.likes(ME, by(before=cut))] == ["Rain on the roof"]
    assert list(state.archive.ids(ME, by(after=cut))) == [likes[1].post_id, likes[2].post_id]
    newest_first = [r.post_id for r in state.archive.likes(ME)]
    assert newest_first == [likes[2].post_id, likes[1].post_id, likes[0].post_id]


def test_history_and_the_archive_the_newer_says_whether_a_post_is_liked(tmp_path: Path) -> None:
    clock = Clock(5000.0)
    state = StateDB(tmp_path / "state.db", clock)
    state.history.record(ME, "111111111111", "unlike", "ok")  # at 5000
    state.history.record(ME, "222222222222", "unlike", "ok")
    clock.now = 9000.0
    state.history.record(ME, "333333333333", "unlike", "ok")  # after the archive
    likes = [ArchivedLike(p) for p in ("111111111111", "333333333333", "444444444444")]
    state.archive.import_likes(ME, likes, 8000.0)
    known = state.history.known_states(
        ME, ["111111111111", "222222222222", "333333333333", "444444444444", "555555555555"]
    )
    assert known == {
        "111111111111": True,  # liked again before the archive was made
        "222222222222": False,
        "333333333333": False,  # unliked since
        "444444444444": True,
    }
    assert state.history.known_states("someone else", ["444444444444"]) == {}
