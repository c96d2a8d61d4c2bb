"""Names and files from outside (flags, settings.toml, hand-edited profiles) cannot lead
outside the config dir or end in a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from likes_tui.cli.headless import FAILED, run
from likes_tui.core.context import AppContext
from likes_tui.store.credentials import CredentialStore, OAuth2Profile
from likes_tui.store.files import Locations, StoreError
from tests.cli.test_commands import signed_in

CLI = [sys.executable, "-m", "likes_tui"]


def outside_file(tmp_path: Path) -> Path:
    victim = tmp_path / "outside" / "name.json"
    victim.parent.mkdir()
    victim.write_text("not a profile")
    victim.chmod(0o644)
    return victim


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


def test_a_profile_flag_cannot_reach_outside_the_config_dir(tmp_path: Path) -> None:
    victim = outside_file(tmp_path)
    cfg = tmp_path / "a" / "cfg"
    out = cli("--config-dir", str(cfg), "--profile", "../../../outside/name", "like", "1")
    assert out.returncode == 2
    assert "not a valid account name" in out.stderr and "Traceback" not in out.stderr
    assert victim.read_text() == "not a profile"
    assert victim.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in victim.parent.iterdir()] == ["name.json"]


def test_an_active_profile_in_settings_cannot_reach_outside(tmp_path: Path) -> None:
    victim = outside_file(tmp_path)
    cfg = tmp_path / "cfg"
    cfg.mkdir(mode=0o700)
    (cfg / "settings.toml").write_text('active_profile = "../outside/name"\n')
    ctx = AppContext.open(config_dir=str(cfg))
    try:
        assert ctx.profile is None
        assert any("not a valid account name" in w for w in ctx.warnings)
    finally:
        ctx.close()
    assert victim.stat().st_mode & 0o777 == 0o644 and victim.read_text() == "not a profile"


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "", "x" * 65, "a\x00b"])
def test_the_store_refuses_names_that_are_not_plain(tmp_path: Path, name: str) -> None:
    store = CredentialStore(Locations(tmp_path).ensure())
    with pytest.raises(StoreError):
        store.load(name)
    with pytest.raises(StoreError):
        store.delete(name)


def write_profile(cfg: Path, data: object, name: str = "demo") -> Path:
    loc = Locations(cfg).ensure()
    path = loc.profile(name)
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    path.chmod(0o600)
    return path


OAUTH2 = {
    "kind": "oauth2",
    "client_id": "cid",
    "client_secret": None,
    "redirect_uri": "http://127.0.0.1:8765/callback",
    "access_token": "at",
    "refresh_token": "rt",
    "expires_at": 1.0,
    "scope": "like.write",
    "user_id": "1590000000000000001",
    "username": "u",
}


def test_hand_edited_fields_of_the_wrong_type_do_not_crash(tmp_path: Path) -> None:
    write_profile(tmp_path, {**OAUTH2, "expires_at": "tomorrow", "user_id": None})
    profile = CredentialStore(Locations(tmp_path)).load("demo")
    assert isinstance(profile, OAuth2Profile)
    assert profile.token.expires_at is None  # unknown: refreshed when X refuses it
    assert profile.user_id == ""  # not the string "None"
    assert not profile.token.expires_soon(0)


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,
        json.dumps({**OAUTH2, "padding": "x" * 200_000}),
        json.dumps({**OAUTH2, "access_token": {"nested": True}}),
        json.dumps(["oauth2"]),
    ],
    ids=["deeply-nested", "huge", "wrong-type", "not-an-object"],
)
def test_unusable_profiles_are_moved_aside_with_a_message(tmp_path: Path, content: str) -> None:
    path = write_profile(tmp_path, content)
    store = CredentialStore(Locations(tmp_path))
    assert store.load("demo") is None
    assert store.warnings and "moved to" in store.warnings[0]
    assert not path.exists() and list(path.parent.glob("demo.json.corrupt-*"))


def test_a_loose_config_dir_is_tightened_and_said(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    cfg.chmod(0o777)
    ctx = AppContext.open(config_dir=str(cfg))
    try:
        assert any("open to other users (mode 777)" in w for w in ctx.warnings)
    finally:
        ctx.close()
    assert cfg.stat().st_mode & 0o777 == 0o700


def test_headless_runs_print_the_warnings(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir(mode=0o700)
    (cfg / "settings.toml").write_text("this is = = not toml")
    out = cli("--config-dir", str(cfg), "resume")
    assert "settings.toml was not valid TOML" in out.stderr
    assert "Traceback" not in out.stdout + out.stderr


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: None, "No such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00 https://x.com/a/status/1"), "not UTF-8"),
    ],
    ids=["missing", "directory", "not-utf8"],
)
def test_a_bad_input_file_is_a_usage_error(tmp_path: Path, make, words: str) -> None:
    path = tmp_path / "urls.txt"
    make(path)
    out = cli("--config-dir", str(tmp_path / "cfg"), "like", "--file", str(path))
    assert out.returncode == 2, out.stderr
    assert words in out.stderr and "Traceback" not in out.stdout + out.stderr


def test_a_pipe_given_as_the_file_is_read_whole_once(tmp_path: Path) -> None:
    """`like --file <(grep … urls.txt)`: a pipe reads once, so none of it may go to looking
    at its start or checking its encoding (two posts of more than 64 bytes of text)."""
    cfg = signed_in(tmp_path)
    urls = (
        "https://x.com/a/status/100000000000000001\\nhttps://x.com/a/status/100000000000000002\\n"
    )
    program = " ".join(CLI) + f" --config-dir {cfg} like --dry-run --file <(printf '{urls}')"
    out = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "would like 100000000000000001" in out.stdout
    assert "would like 100000000000000002" in out.stdout


def test_a_file_that_stops_being_utf8_after_megabytes_queues_nothing(tmp_path: Path) -> None:
    """The file is read as the run goes, but checked whole first: a bad byte 2 MB in refuses
    it before any line is queued."""
    path = tmp_path / "urls.txt"
    good = "".join(f"https://x.com/a/status/{10**17 + i}\n" for i in range(50_000))
    path.write_bytes(good.encode() + b"\xff\n")
    cfg = signed_in(tmp_path)
    out = cli("--config-dir", str(cfg), "like", "--dry-run", "--file", str(path))
    assert out.returncode == 2, out.stderr
    assert "not UTF-8" in out.stderr and "would like" not in out.stdout


async def test_a_store_error_during_a_run_is_a_message(tmp_path: Path) -> None:
    ctx = AppContext.open(demo=True, config_dir=str(tmp_path))

    def broken(*args: object, **kw: object) -> dict[str, str]:
        raise StoreError(f"Cannot write {ctx.loc.state}: disk I/O error.")

    ctx.state.queue.enqueue_many = broken  # type: ignore[method-assign]
    out = io.StringIO()
    try:
        status = await run(ctx, "1228393702244134912", "like", out)
    finally:
        ctx.close()
    assert status == FAILED
    assert "likes-tui: Cannot write" in out.getvalue()
