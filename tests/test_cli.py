"""The command line: options, the sandbox server driven with curl, and config-dir safety."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from likes_tui import __version__
from likes_tui.cli.parser import build_parser
from likes_tui.core.context import AppContext
from likes_tui.sandbox import DEMO_BEARER

CLI = [sys.executable, "-m", "likes_tui"]


def test_version_and_help() -> None:
    out = subprocess.run([*CLI, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"likes-tui {__version__}"
    helptext = subprocess.run([*CLI, "--help"], capture_output=True, text=True, check=True).stdout
    for option in ("--demo", "--config-dir", "--api-base", "--profile", "--version", "sandbox"):
        assert option in helptext


def test_parser_reads_every_option() -> None:
    args = build_parser().parse_args(
        ["--demo", "--config-dir", "/x", "--api-base", "http://h", "--profile", "p"]
    )
    assert (args.demo, args.config_dir, args.api_base, args.profile) == (
        True,
        "/x",
        "http://h",
        "p",
    )


@pytest.fixture
def sandbox_process():
    proc = subprocess.Popen(
        [*CLI, "sandbox", "--port", "0", "--like-limit", "3", "--window", "60", "--daily-cap", "2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    yield first.split()[5], proc
    proc.terminate()
    proc.wait(timeout=10)


def curl(*args: str) -> tuple[int, dict]:
    out = subprocess.run(
        ["curl", "-s", "-w", "\n%{http_code}", *args], capture_output=True, text=True, check=True
    ).stdout
    body, _, code = out.rpartition("\n")
    return int(code), json.loads(body)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_sandbox_server_answers_curl_like_x(sandbox_process) -> None:
    base, _ = sandbox_process
    assert base.startswith("http://127.0.0.1:")
    auth = ["-H", f"Authorization: Bearer {DEMO_BEARER}"]
    status, me = curl(*auth, f"{base}/2/users/me")
    assert status == 200 and me["data"]["username"] == "likes_tui_demo"
    like = [
        *auth,
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-d",
        '{"tweet_id": "1228393702244134912"}',
    ]
    url = f"{base}/2/users/{me['data']['id']}/likes"
    assert curl(*like, url) == (200, {"data": {"liked": True}})
    assert curl(*like, url) == (200, {"data": {"liked": True}})
    status, body = curl(*like, url)  # the window allows 3; the daily cap of 2 refuses it
    assert status == 429 and body["title"] == "Too Many Requests"
    status, body = curl(f"{base}/2/users/me")
    assert status == 401 and body["title"] == "Unauthorized"
    status, body = curl(*auth, f"{base}/2/tweets?ids=1500000000000000001,1228393702244134912")
    assert status == 200 and body["errors"][0]["title"] == "Not Found Error"


def test_demo_never_touches_the_real_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    monkeypatch.setenv("LIKES_TUI_CONFIG_DIR", str(real))
    ctx = AppContext.open(demo=True)
    try:
        ctx.update_settings(auto_like=True)
        ctx.state.history.record(ctx.account, "1", "like", "ok")
        assert not real.exists()
        assert ctx.loc.root != real
    finally:
        ctx.close()
    assert not ctx.loc.root.exists()  # the temporary directory is gone afterwards


def test_an_unusable_config_dir_is_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    out = subprocess.run(
        [*CLI, "--config-dir", str(blocker / "cfg")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TERM": "dumb"},
    )
    assert out.returncode == 1
    assert "Cannot create or use the config directory" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_a_headless_run_through_an_x_outage_on_lookups_likes_everything(tmp_path: Path) -> None:
    """`likes-tui sandbox --error-rate 1 --fault-on lookup`: every lookup answers 503. The
    headless run still likes every post (a like needs only the id) and exits 0."""
    from likes_tui.api.oauth2 import OAuth2Token
    from likes_tui.sandbox import DEMO_CLIENT_ID
    from likes_tui.sandbox.seed import GENERATED_BASE
    from likes_tui.store.credentials import CredentialStore, OAuth2Profile
    from likes_tui.store.files import Locations

    server = subprocess.Popen(
        [*CLI, "sandbox", "--port", "0", "--error-rate", "1", "--fault-on", "lookup"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    base = server.stdout.readline().split()[5]
    cfg = tmp_path / "cfg"
    CredentialStore(Locations(cfg).ensure()).save(
        OAuth2Profile(
            "demo", DEMO_CLIENT_ID, None, "", OAuth2Token(DEMO_BEARER), "1590000000000000001", "d"
        )
    )
    ids = [str(GENERATED_BASE + i) for i in range(5)]
    try:
        out = subprocess.run(
            [*CLI, "--config-dir", str(cfg), "--api-base", base, "like", "--look-up", *ids],
            capture_output=True,
            text=True,
            timeout=120,
        )
        import httpx

        liked = httpx.get(
            f"{base}/2/users/1590000000000000001/liked_tweets",
            headers={"Authorization": f"Bearer {DEMO_BEARER}"},
        ).json()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "5 queued without a lookup: the lookup failed" in out.stdout
    assert {p["id"] for p in liked["data"]} == set(ids)


def test_the_sandbox_writes_its_banner_and_each_request_to_a_file_as_it_runs(
    tmp_path: Path,
) -> None:
    """Output to a file (or a pipe) arrives line by line, not when the server stops."""
    import httpx

    from likes_tui.sandbox.demo import ACCOUNTS, DEMO_APP_BEARER

    log = tmp_path / "sandbox.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*CLI, "sandbox", "--port", "0", "--approve-as", "likes_tui_alice"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while "Try:" not in log.read_text() and proc.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        text = log.read_text()
        for account in ACCOUNTS:
            assert account.access_token in text and account.bearer in text
        assert DEMO_APP_BEARER in text and "@likes_tui_alice" in text
        base = text.split()[5]
        reply = httpx.get(f"{base}/2/users/me", headers={"Authorization": "Bearer nope"})
        assert reply.status_code == 401
        assert reply.headers["content-type"].startswith("application/problem+json")
        while "GET /2/users/me 401" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_sandbox_help_documents_every_knob() -> None:
    helptext = subprocess.run(
        [*CLI, "sandbox", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for knob in (
        "--port",
        "--like-limit",
        "--window",
        "--daily-cap",
        "--posts",
        "--legacy-problem-types",
        "--approve-as",
        "--quiet",
        "--error-rate",
        "--drop-rate",
        "--latency",
        "--trickle",
        "--fault-on",
    ):
        assert knob in helptext, knob
