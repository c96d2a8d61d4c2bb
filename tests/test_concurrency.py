"""Exactly one sender per account across real processes: two headless runs, and a headless
run beside the app, over one config dir and one loopback sandbox. The sandbox counts the like
requests it received: one per post."""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events

from likes_tui.api.oauth2 import OAuth2Token
from likes_tui.app import LikesApp
from likes_tui.core.context import AppContext
from likes_tui.sandbox import DEMO_BEARER, DEMO_CLIENT_ID, XSandbox, serving
from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.screens.confirm import ConfirmScreen
from likes_tui.screens.resume import ResumeScreen
from likes_tui.store.credentials import CredentialStore, OAuth2Profile
from likes_tui.store.files import Locations
from likes_tui.store.state import StateDB
from tests.conftest import wait_for
from tests.test_crash_recovery import cli


def account_dir(tmp_path: Path, sandbox: XSandbox) -> Path:
    cfg = tmp_path / "cfg"
    store = CredentialStore(Locations(cfg).ensure())
    store.save(
        OAuth2Profile(
            "demo",
            DEMO_CLIENT_ID,
            None,
            "",
            OAuth2Token(DEMO_BEARER),
            sandbox.demo_user_id,
            "likes_tui_demo",
        )
    )
    return cfg


def ids(start: int, count: int) -> list[str]:
    return [str(GENERATED_BASE + i) for i in range(start, start + count)]


def url_file(tmp_path: Path, name: str, posts: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(f"https://x.com/someone/status/{i}" for i in posts))
    return path


def history_counts(cfg: Path, account: str) -> Counter[str]:
    state = StateDB(cfg / "state.db")
    try:
        return Counter(
            h.post_id for h in state.history.entries(account, limit=10_000) if h.outcome == "ok"
        )
    finally:
        state.close()


def busy_sandbox(posts: int) -> XSandbox:
    sandbox = XSandbox(post_count=posts)
    sandbox.limits["like"] = (10_000, 900.0)
    sandbox.limits["lookup"] = (10_000, 900.0)
    sandbox.daily_limits["like"] = (10_000, 86400.0)
    sandbox.faults.latency = 0.004  # both processes are mid-batch at the same time
    return sandbox


def test_two_headless_runs_with_overlapping_lists_send_each_post_once(tmp_path: Path) -> None:
    sandbox = busy_sandbox(400)
    cfg = account_dir(tmp_path, sandbox)
    first, second = ids(0, 250), ids(100, 250)  # 150 posts in both lists
    with serving(sandbox) as server:
        procs = [
            subprocess.Popen(
                cli(cfg, server.base_url, "like", "--file", str(url_file(tmp_path, n, posts))),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for n, posts in (("a.txt", first), ("b.txt", second))
        ]
        outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    everything = set(first) | set(second)
    likes = Counter(e.path.rsplit("/", 1)[0] for e in sandbox.requests_to("like"))
    assert sum(likes.values()) == len(everything) == 350
    assert sandbox.liked_by() == everything
    assert history_counts(cfg, sandbox.demo_user_id) == Counter(dict.fromkeys(everything, 1))
    assert any("another likes-tui" in out for out in outputs), outputs
    # two processes, one meter: what they recorded is what the sandbox billed
    state = StateDB(cfg / "state.db")
    try:
        metered = sum(day.total for day in state.spend.days(sandbox.demo_user_id))
    finally:
        state.close()
    billed = sum(day["total_usd"] for day in sandbox.usage()["days"].values())
    assert abs(metered - billed) < 0.001 and billed == round(350 * 0.015, 6)


async def test_a_headless_run_beside_the_app_sends_each_post_once(tmp_path: Path) -> None:
    sandbox = busy_sandbox(300)
    cfg = account_dir(tmp_path, sandbox)
    in_app, headless = ids(0, 120), ids(60, 120)
    with serving(sandbox) as server:
        ctx = AppContext.open(config_dir=str(cfg), api_base=server.base_url)
        app = LikesApp(ctx)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for(
                    pilot, lambda: app.service is not None and app.service.sender is not None
                )
                proc = subprocess.Popen(
                    cli(
                        cfg,
                        server.base_url,
                        "like",
                        "--file",
                        str(url_file(tmp_path, "h", headless)),
                    ),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                assert proc.stdout is not None
                assert "queued" in proc.stdout.readline()  # queued; now sending
                app.focused.post_message(events.Paste("\n".join(in_app)))
                main = app.screen
                await wait_for(
                    pilot, lambda: all(r.status == "ready" for r in main.rows.values()), 30
                )
                await pilot.press("L")
                await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
                await pilot.press("y")  # 120 posts: the app asks first
                out = proc.communicate(timeout=120)[0]
                assert proc.returncode == 0, out
                await wait_for(
                    pilot,
                    lambda: (
                        sandbox.liked_by() == set(in_app) | set(headless)
                        and not any(r.pending for r in main.rows.values())
                    ),
                    60,
                )
                assert all(main.rows[i].liked for i in in_app)
        finally:
            ctx.close()
    everything = set(in_app) | set(headless)
    assert len(sandbox.requests_to("like")) == len(everything) == 180
    assert history_counts(cfg, sandbox.demo_user_id) == Counter(dict.fromkeys(everything, 1))


async def test_work_another_process_is_sending_is_not_offered_for_discarding(
    tmp_path: Path,
) -> None:
    sandbox = busy_sandbox(200)
    sandbox.faults.latency = 0.03
    cfg = account_dir(tmp_path, sandbox)
    posts = ids(0, 100)
    with serving(sandbox) as server:
        proc = subprocess.Popen(
            cli(cfg, server.base_url, "like", "--file", str(url_file(tmp_path, "h", posts))),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("liked "):
                break  # the headless run is sending
        ctx = AppContext.open(config_dir=str(cfg), api_base=server.base_url)
        app = LikesApp(ctx)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for(
                    pilot, lambda: app.service is not None and app.service.sender is not None
                )
                await wait_for(
                    pilot,
                    lambda: any(
                        "being sent by another likes-tui" in n.message for n in app._notifications
                    ),
                )
                assert not isinstance(app.screen, ResumeScreen)
                sandbox.faults.latency = 0.0  # seen mid-send; the rest need not wait
                out = proc.communicate(timeout=120)[0]
        finally:
            ctx.close()
    assert proc.returncode == 0, out
    assert sandbox.liked_by() == set(posts)
    assert len(sandbox.requests_to("like")) == 100


@pytest.fixture
def shared_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A keyring in a file, for this process and the environment for the ones it starts."""
    import keyring

    from tests.keyrings import FILE_KEYRING_ENV, FileKeyring

    shelf = str(tmp_path / "keyring.json")
    monkeypatch.setenv(FILE_KEYRING_ENV, shelf)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyrings.FileKeyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield {
        FILE_KEYRING_ENV: shelf,
        "PYTHON_KEYRING_BACKEND": "tests.keyrings.FileKeyring",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    keyring.set_keyring(previous)


@pytest.mark.parametrize("home", ["file", "keyring"])
def test_two_processes_refreshing_one_account_refresh_once_and_both_keep_working(
    tmp_path: Path, request: pytest.FixtureRequest, home: str
) -> None:
    """Both start with an expired access token and the same refresh token, which X rotates:
    the token endpoint is called once, the other process takes the saved new token under
    the lock, and both like their posts. With the keyring store the two share a keyring
    (a file-backed test backend), as two copies of the app share the OS keyring."""
    env = dict(os.environ)
    if home == "keyring":
        env.update(request.getfixturevalue("shared_keyring"))
    sandbox = busy_sandbox(50)
    sandbox.faults.latency = 0.05
    issued = sandbox.issue_token(expires_in=7200)
    cfg = tmp_path / "cfg"
    store = CredentialStore(Locations(cfg).ensure())
    expired = OAuth2Token(issued["access_token"], issued["refresh_token"], time.time() - 60, "")
    info = store.save(
        OAuth2Profile(
            "demo", DEMO_CLIENT_ID, None, "", expired, sandbox.demo_user_id, "likes_tui_demo"
        )
    )
    assert info.home == home
    first, second = ids(0, 3), ids(3, 3)
    with serving(sandbox) as server:
        procs = [
            subprocess.Popen(
                cli(cfg, server.base_url, "like", *posts),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=env,
            )
            for posts in (first, second)
        ]
        outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    refreshes = [e for e in sandbox.log if e.path == "/2/oauth2/token"]
    assert [e.status for e in refreshes] == [200]
    assert sandbox.liked_by() == set(first) | set(second)
    stored = store.load("demo")
    assert isinstance(stored, OAuth2Profile)
    assert stored.token.refresh_token in sandbox.refresh_tokens
    assert stored.token.access_token in sandbox.access_tokens
    assert issued["refresh_token"] not in sandbox.refresh_tokens  # rotated, used once
    if home == "keyring":
        assert stored.token.refresh_token not in store.loc.profile("demo").read_text()


def test_two_archived_unlike_runs_on_a_flaky_x_unlike_each_post_once(tmp_path: Path) -> None:
    """The archive's bulk unlike from two terminals at once, while X drops and fails some
    requests: every archived like is unliked, history records each once, nothing is lost."""
    from likes_tui.archive import open_archive
    from tests.archive_fixtures import make_zip

    sandbox = busy_sandbox(400)
    sandbox.limits["unlike"] = (10_000, 900.0)
    sandbox.daily_limits["unlike"] = (10_000, 86400.0)
    cfg = account_dir(tmp_path, sandbox)
    archive = make_zip(tmp_path / "archive.zip", 100, parts=2)
    sandbox.load_likes(open_archive(archive).likes())
    with serving(sandbox) as server:
        done = subprocess.run(
            cli(cfg, server.base_url, "import", str(archive)), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        sandbox.faults.error_rate = 0.1
        sandbox.faults.drop_rate = 0.05
        sandbox.faults.fault_on = "likes"
        procs = [
            subprocess.Popen(
                cli(cfg, server.base_url, "unlike", "--archived"),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=180)[0] for p in procs]
        sandbox.faults.error_rate = sandbox.faults.drop_rate = 0.0
        # what a passing failure left behind is sent by `resume`, as a person would run it
        later = subprocess.run(cli(cfg, server.base_url, "resume"), capture_output=True, text=True)
    assert all(code in (0, 1) for code in [p.returncode for p in procs]), outputs
    assert later.returncode == 0, later.stdout + later.stderr
    archived = {like.post_id for like in open_archive(archive).likes()}
    assert sandbox.liked_by() & archived == set()
    unliked = Counter(
        h.post_id
        for h in StateDB(cfg / "state.db").history.entries(sandbox.demo_user_id, limit=10_000)
        if h.outcome == "ok" and h.action == "unlike"
    )
    assert unliked == Counter(dict.fromkeys(archived, 1))
    assert any("another likes-tui" in out for out in outputs), outputs  # one waited
