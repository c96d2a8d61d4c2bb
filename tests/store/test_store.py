"""Config directory, settings, credentials and SQLite state on a real disk."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from likes_tui.api.oauth2 import OAuth2Token
from likes_tui.store import settings as settings_mod
from likes_tui.store.credentials import CredentialStore, OAuth1Profile, OAuth2Profile
from likes_tui.store.files import ENV_VAR, Locations, StoreError, atomic_write, resolve_config_dir
from likes_tui.store.settings import Settings
from likes_tui.store.state import MIGRATIONS, QueueRequest, StateDB
from tests.conftest import DEMO_OAUTH1


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_config_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert resolve_config_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert resolve_config_dir(None) == tmp_path / "env"
    monkeypatch.delenv(ENV_VAR)
    assert resolve_config_dir(None).name == "likes-tui"


def test_directories_are_0700_and_credentials_0600(tmp_path: Path) -> None:
    loc = Locations(tmp_path / "cfg").ensure()
    CredentialStore(loc).save(OAuth1Profile("me", DEMO_OAUTH1, "1", "me"))
    assert mode(loc.root) == 0o700 and mode(loc.profiles) == 0o700
    assert mode(loc.profile("me")) == 0o600


def test_loose_directory_permissions_are_tightened(tmp_path: Path) -> None:
    root = tmp_path / "cfg"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    Locations(root).ensure()
    assert mode(root) == 0o700


def test_credentials_round_trip_both_kinds(tmp_path: Path) -> None:
    store = CredentialStore(Locations(tmp_path).ensure())
    one = OAuth1Profile("a", DEMO_OAUTH1, "1590000000000000001", "likes_tui_demo")
    two = OAuth2Profile(
        "b",
        "cid",
        None,
        "http://127.0.0.1:8765/callback",
        OAuth2Token("at", "rt", 5.0, "s"),
        "9",
        "nine",
    )
    store.save(one)
    store.save(two)
    assert store.names() == ["a", "b"]
    assert store.load("a") == one and store.load("b") == two
    store.delete("a")
    assert store.names() == ["b"]


def test_corrupt_credentials_are_moved_aside_with_a_message(tmp_path: Path) -> None:
    loc = Locations(tmp_path).ensure()
    loc.profile("bad").write_text("{not json")
    store = CredentialStore(loc)
    assert store.load("bad") is None
    assert not loc.profile("bad").exists()
    moved = list(loc.profiles.glob("bad.json.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_text() == "{not json"
    assert any("bad.json" in w and "moved" in w for w in store.warnings)


def test_unreadable_credentials_name_the_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    loc = Locations(tmp_path).ensure()
    loc.profile("x").write_text("{}")
    loc.profile("x").chmod(0)
    with pytest.raises(StoreError) as info:
        CredentialStore(loc).load("x")
    assert "x.json" in info.value.message


def test_secrets_do_not_appear_in_profile_repr() -> None:
    profile = OAuth2Profile(
        "b", "cid", "client-secret-value", "", OAuth2Token("access-value", "refresh-value")
    )
    text = repr(profile) + repr(OAuth1Profile("a", DEMO_OAUTH1))
    for secret in (
        "client-secret-value",
        "access-value",
        "refresh-value",
        DEMO_OAUTH1.api_key_secret,
        DEMO_OAUTH1.access_token_secret,
    ):
        assert secret not in text


def test_settings_round_trip_and_are_human_editable(tmp_path: Path) -> None:
    loc = Locations(tmp_path).ensure()
    settings_mod.save(loc, Settings(active_profile="me", auto_like=True))
    text = loc.settings.read_text()
    assert "auto_like = true" in text and "# " in text
    loc.settings.write_text(text.replace("auto_like = true", "auto_like = false"))
    loaded, warning = settings_mod.load(loc)
    assert warning is None and loaded == Settings(active_profile="me", auto_like=False)


def test_corrupt_settings_use_defaults_and_keep_the_bad_file(tmp_path: Path) -> None:
    loc = Locations(tmp_path).ensure()
    loc.settings.write_text("auto_like = [unclosed")
    loaded, warning = settings_mod.load(loc)
    assert loaded == Settings()
    assert warning is not None and "settings.toml" in warning and "moved" in warning
    assert list(tmp_path.glob("settings.toml.corrupt-*"))


def test_atomic_write_leaves_the_old_file_when_the_directory_is_read_only(
    tmp_path: Path,
) -> None:
    target = tmp_path / "f"
    target.write_text("old")
    with read_only(tmp_path), pytest.raises(StoreError) as info:
        atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert str(target) in info.value.message


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "f"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two" and mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_state_is_wal_and_versioned(tmp_path: Path) -> None:
    db = StateDB(tmp_path / "state.db")
    assert db.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    db.close()
    assert StateDB(tmp_path / "state.db").warning is None


def test_a_queue_from_schema_7_keeps_its_rows_and_never_reuses_an_id(tmp_path: Path) -> None:
    """Migration 8 rebuilds the queue (its status check written for speed): what was queued
    stays, with its ids, and a row deleted from the top does not hand its id out again."""
    path = tmp_path / "state.db"
    con = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:7]:
        con.executescript(script)
    con.execute("PRAGMA user_version = 7")
    for post_id in ("11111", "22222", "33333"):
        con.execute(
            "INSERT INTO queue (account, post_id, action, created_at, updated_at)"
            " VALUES ('me', ?, 'like', 1, 1)",
            (post_id,),
        )
    con.execute("DELETE FROM queue WHERE post_id = '33333'")
    con.close()
    db = StateDB(path)
    assert [item.post_id for item in db.queue.pending("me")] == ["11111", "22222"]
    assert [item.id for item in db.queue.pending("me")] == [1, 2]
    db.queue.enqueue("me", "44444", "like")
    assert db.queue.pending("me")[-1].id == 4
    with pytest.raises(sqlite3.IntegrityError):
        db.db.execute("UPDATE queue SET status = 'lost' WHERE id = 1")
    db.close()


def test_state_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    with pytest.raises(StoreError) as info:
        StateDB(path)
    assert "newer" in info.value.message


def test_corrupt_state_is_moved_aside_and_a_new_one_started(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not a database" * 100)
    db = StateDB(path)
    assert db.warning is not None and "state.db" in db.warning
    assert list(tmp_path.glob("state.db.corrupt-*"))
    db.history.record("1", "2", "like", "ok")
    assert len(db.history.entries()) == 1


def test_history_newest_first_and_searchable(tmp_path: Path) -> None:
    clock = iter(range(100)).__next__
    db = StateDB(tmp_path / "s.db", clock=lambda: float(clock()))
    db.history.record(
        "u", "111", "like", "ok", author="TwitterDev", excerpt="Introducing a new era"
    )
    db.history.record(
        "u", "222", "like", "failed", detail="gone", author="py_weekly", excerpt="async"
    )
    db.history.record(
        "u", "111", "unlike", "ok", author="TwitterDev", excerpt="Introducing a new era"
    )
    assert [(h.post_id, h.action) for h in db.history.entries("u")] == [
        ("111", "unlike"),
        ("222", "like"),
        ("111", "like"),
    ]
    assert [h.post_id for h in db.history.entries("u", search="py_week")] == ["222"]
    assert [h.action for h in db.history.entries("u", search="era")] == ["unlike", "like"]
    assert db.history.known_states("u", ["111", "222", "333"]) == {"111": False}


def test_queue_deduplicates_and_supersedes(tmp_path: Path) -> None:
    db = StateDB(tmp_path / "s.db")
    assert db.queue.enqueue("u", "1", "like") == "queued"
    assert db.queue.enqueue("u", "1", "like") == "duplicate"
    assert db.queue.enqueue("u", "1", "unlike") == "queued"  # state unknown: the unlike replaces it
    assert [(i.post_id, i.action) for i in db.queue.pending("u")] == [("1", "unlike")]
    db.history.record("u", "2", "unlike", "ok")  # known: not liked
    db.queue.enqueue("u", "2", "like")
    assert db.queue.enqueue("u", "2", "unlike") == "cancelled"  # nothing left to send
    assert [(i.post_id, i.action) for i in db.queue.pending("u")] == [("1", "unlike")]


def test_queue_survives_reopening_and_completes_with_history(tmp_path: Path) -> None:
    db = StateDB(tmp_path / "s.db")
    db.queue.enqueue_many(
        "u", [QueueRequest("1", "like", "a", "x"), QueueRequest("2", "like", "b", "y")]
    )
    db.close()
    db = StateDB(tmp_path / "s.db")
    item = db.queue.next_pending("u")
    assert item is not None and item.post_id == "1"
    db.queue.complete(item, liked=True)
    assert db.queue.counts("u").pending == 1 and db.queue.counts("u").done == 1
    assert db.history.entries("u")[0].post_id == "1" and db.history.entries("u")[0].outcome == "ok"


def test_failed_items_can_be_retried_or_dropped(tmp_path: Path) -> None:
    db = StateDB(tmp_path / "s.db")
    db.queue.enqueue_many("u", [QueueRequest("1", "like"), QueueRequest("2", "like")])
    for item in db.queue.pending("u"):
        db.queue.attempt_failed(item, "nope", final=True)
    assert db.queue.counts("u").failed == 2
    assert db.queue.retry_failed("u") == 2 and db.queue.counts("u").pending == 2
    for item in db.queue.pending("u"):
        db.queue.attempt_failed(item, "nope", final=True)
    assert db.queue.drop_failed("u") == 2 and db.queue.counts("u").total == 0


def test_unwritable_config_location_gives_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(StoreError) as info:
        Locations(blocker / "cfg").ensure()
    assert "not-a-dir" in info.value.message and "--config-dir" in info.value.message
    with pytest.raises(StoreError) as write_info:
        atomic_write(blocker / "settings.toml", b"x")
    assert "settings.toml" in write_info.value.message


def test_one_paste_with_repeats_and_reversals_queues_sensibly(tmp_path: Path) -> None:
    db = StateDB(tmp_path / "s.db")
    outcomes = db.queue.enqueue_many(
        "u",
        [
            QueueRequest("1", "like"),
            QueueRequest("1", "like"),
            QueueRequest("2", "like"),
            QueueRequest("2", "unlike"),
        ],
    )
    assert outcomes == {"1": "duplicate", "2": "queued"}
    assert [(i.post_id, i.action) for i in db.queue.pending("u")] == [
        ("1", "like"),
        ("2", "unlike"),
    ]


def _filled_state(path: Path, rows: int = 3000) -> None:
    db = StateDB(path)
    db.queue.enqueue("u", "42", "like")
    for i in range(rows):
        db.history.record("u", str(i), "like", "ok", excerpt="x" * 100)
    db.close()


def test_truncated_state_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    _filled_state(path)
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    db = StateDB(path)
    assert db.warning is not None and "damaged" in db.warning
    moved = list(tmp_path.glob("state.db.corrupt-*"))
    assert len(moved) == 1 and moved[0].stat().st_size > 0
    assert db.history.entries("u") == []


def test_state_damaged_in_the_middle_is_caught_at_open(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    _filled_state(path)
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(b"\xff" * 8192)
    db = StateDB(path)
    assert db.warning is not None and "state.db" in db.warning
    db.history.record("u", "1", "like", "ok")
    assert len(db.history.entries("u")) == 1


def test_unreadable_files_are_named_even_for_root(tmp_path: Path) -> None:
    """A directory where a file should be: unreadable whatever the user's privileges."""
    loc = Locations(tmp_path).ensure()
    loc.settings.mkdir()
    with pytest.raises(StoreError) as settings_error:
        settings_mod.load(loc)
    assert "settings.toml" in settings_error.value.message
    loc.profile("me").mkdir()
    with pytest.raises(StoreError) as profile_error:
        CredentialStore(loc).load("me")
    assert "me.json" in profile_error.value.message
    state = tmp_path / "state-dir.db"
    state.mkdir()
    with pytest.raises(StoreError) as state_error:
        StateDB(state)
    assert "state-dir.db" in state_error.value.message


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make `path` unwritable even for root (the immutable flag) or, failing that, by mode."""
    immutable = os.geteuid() == 0 and shutil.which("chattr") is not None
    if immutable:
        immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
    if not immutable:
        if os.geteuid() == 0:
            pytest.skip("root ignores modes and this filesystem has no immutable flag")
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o700 if path.is_dir() else 0o600)


def test_read_only_state_is_refused_at_open_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    _filled_state(path, rows=5)
    with read_only(path), pytest.raises(StoreError) as info:
        StateDB(path)
    assert "state.db" in info.value.message and "read-only" in info.value.message
    assert StateDB(path).queue.counts("u").pending == 1  # nothing lost


def test_read_only_settings_keep_the_old_file_and_say_so(tmp_path: Path) -> None:
    loc = Locations(tmp_path).ensure()
    settings_mod.save(loc, Settings(auto_like=False))
    with read_only(loc.settings):
        with pytest.raises(StoreError) as info:
            settings_mod.save(loc, Settings(auto_like=True))
        assert "settings.toml" in info.value.message
    assert "auto_like = false" in loc.settings.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".settings")] == []


def test_read_only_profiles_directory_says_which(tmp_path: Path) -> None:
    loc = Locations(tmp_path).ensure()
    with read_only(loc.profiles), pytest.raises(StoreError) as info:
        CredentialStore(loc).save(OAuth1Profile("me", DEMO_OAUTH1, "1", "me"))
    assert "me.json" in info.value.message


def test_credentials_readable_by_others_are_tightened_with_a_warning(tmp_path: Path) -> None:
    loc = Locations(tmp_path).ensure()
    store = CredentialStore(loc)
    store.save(OAuth1Profile("me", DEMO_OAUTH1, "1", "me"))
    loc.profile("me").chmod(0o644)
    assert store.load("me") is not None
    assert mode(loc.profile("me")) == 0o600
    assert "readable by others" in store.warnings[0] and "me.json" in store.warnings[0]
