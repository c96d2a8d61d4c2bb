"""X's archive on the command line, in subprocesses against the sandbox over loopback:
`import`, `unlike --archived` by filter and over days, `like --file like.js`, and
`likes-tui sandbox --liked-from`."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import httpx

from likes_tui.archive import open_archive
from likes_tui.sandbox import DEMO_BEARER, XSandbox
from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.store.files import Locations
from likes_tui.store.state import StateDB
from tests.archive_fixtures import (
    break_part,
    files,
    like_ids,
    like_part,
    make_folder,
    make_like_js,
    make_zip,
    snowflake,
    truncate,
)
from tests.cli.test_commands import CLI, USER, cli, signed_in


def archived(cfg: Path) -> int:
    state = StateDB(Locations(cfg).state)
    try:
        return state.archive.count(USER)
    finally:
        state.close()


def next_day(sandbox: XSandbox, cfg: Path) -> None:
    """A day later, as X and the app see it: X's day starts again, and the cap the app was
    told about has reset."""
    sandbox.windows.clear()
    state = StateDB(Locations(cfg).state)
    try:
        with state.database._tx():
            state.db.execute("UPDATE budgets SET reset_at = 0")
    finally:
        state.close()


def events(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_import_records_every_like_once_and_the_app_then_knows_them(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    archive = make_zip(tmp_path / "twitter-2026-11-01.zip", 150, parts=3)
    first = cli("import", str(archive), "--config-dir", str(cfg), "--json")
    assert first.returncode == 0, first.stderr
    [done] = events(first.stdout)
    assert done["event"] == "imported"
    assert (done["found"], done["new"], done["total"]) == (150, 150, 150)
    again = cli("import", str(archive), "--config-dir", str(cfg))
    assert again.returncode == 0, again.stderr
    assert "imported 150 likes" in again.stdout and "0 new, 150 known already" in again.stdout
    assert archived(cfg) == 150
    # The archive settled them: a like sends nothing and costs nothing.
    like = cli("like", str(GENERATED_BASE + 7), "--api-base", base, "--config-dir", str(cfg))
    assert like.returncode == 0, like.stderr
    assert "already liked" in like.stdout
    assert sandbox.requests_to("like") == []


def test_a_bad_archive_changes_nothing_and_says_why(tmp_path: Path) -> None:
    cfg = signed_in(tmp_path)
    theirs = make_zip(tmp_path / "theirs.zip", 10, account_id="999")
    cut = truncate(make_zip(tmp_path / "cut.zip", 3000))
    broken = make_folder(tmp_path / "broken", 90, parts=3)
    break_part(broken)
    not_one = tmp_path / "notes.txt"
    not_one.write_text("hello")
    for path, words in (
        (theirs, "archive (id 999)"),
        (cut, "not a complete zip"),
        (broken, "like-part1.js is broken"),
        (not_one, "is not an X archive"),
        (tmp_path / "missing.zip", "does not exist"),
    ):
        done = cli("import", str(path), "--config-dir", str(cfg))
        assert done.returncode == 2, (path, done.stdout, done.stderr)
        assert words in done.stderr and "nothing was imported" in done.stderr.lower()
        assert archived(cfg) == 0, path  # a broken third part keeps the first two out too


def test_unlike_archived_by_filter_runs_at_the_daily_cap_and_resume_carries_on(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    old = [snowflake("2019-03-01", n) for n in range(8)]
    new = [snowflake("2025-05-01", n) for n in range(4)]
    root = tmp_path / "archive"
    for name, text in files(0, ids=old + new).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    sandbox.load_likes(open_archive(root).likes())
    sandbox.daily_limits["unlike"] = (5, 86400.0)
    assert cli("import", str(root), "--config-dir", str(cfg)).returncode == 0

    dry = cli(
        "unlike", "--archived", "--before", "2020-01-01", "--dry-run", "--json",
        "--api-base", base, "--config-dir", str(cfg),
    )  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    would = [e["post_id"] for e in events(dry.stdout) if e["event"] == "would-send"]
    assert would == old
    [estimate] = [e for e in events(dry.stdout) if e["event"] == "estimate"]
    assert estimate["count"] == 8 and estimate["usd"] > 0
    assert sandbox.requests_to("unlike") == []

    run = cli(
        "unlike", "--archived", "--before", "2020-01-01", "--api-base", base,
        "--config-dir", str(cfg),
    )  # fmt: skip
    assert run.returncode == 75, run.stdout + run.stderr  # the day's cap, the rest queued
    assert "unliked 5" in run.stdout and "3 left in the queue" in run.stdout
    assert sandbox.liked_by() == set(old[5:] + new)
    next_day(sandbox, cfg)
    later = cli("resume", "--api-base", base, "--config-dir", str(cfg))
    assert later.returncode == 0, later.stdout + later.stderr
    assert sandbox.liked_by() == set(new)

    matching = cli(
        "unlike", "--archived", "--matching", "rain and compilers", "--dry-run",
        "--api-base", base, "--config-dir", str(cfg),
    )  # fmt: skip
    assert matching.returncode == 0
    assert matching.stdout.count("would unlike") == 1  # one of 2025; 2019 is unliked already
    assert "already unliked" in matching.stdout


def test_unlike_archived_without_an_archive_or_filters_without_it_is_a_usage_error(
    tmp_path: Path, base: str
) -> None:
    cfg = signed_in(tmp_path)
    none = cli("unlike", "--archived", "--api-base", base, "--config-dir", str(cfg))
    assert none.returncode == 2 and "likes-tui import" in none.stderr
    stray = cli("unlike", "--before", "2020-01-01", "--config-dir", str(cfg))
    assert stray.returncode == 2 and "add --archived" in stray.stderr
    bad_day = cli("unlike", "--archived", "--before", "last year", "--config-dir", str(cfg))
    assert bad_day.returncode == 2 and "not a date" in bad_day.stderr


def test_like_and_unlike_take_an_archives_like_js_as_their_file(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    like_js = make_like_js(tmp_path / "like.js", 12)
    done = cli("like", "--file", str(like_js), "--api-base", base, "--config-dir", str(cfg))
    assert done.returncode == 0, done.stderr
    assert "liked 12" in done.stdout
    assert len(sandbox.liked_by()) == 12
    undone = cli("unlike", "--file", str(like_js), "--api-base", base, "--config-dir", str(cfg))
    assert undone.returncode == 0, undone.stderr
    assert sandbox.liked_by() == set()


def test_a_like_js_with_an_odd_post_id_says_which_and_queues_the_rest(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    """An archive's ids skip the parser only when they are plain post ids: one with a
    leading zero or Arabic-Indic digits (both pass str.isdigit) is reported as text would be."""
    cfg = signed_in(tmp_path)
    ids = like_ids(4)
    odd = ["0" + ids[0], "\u0661\u0662\u0663\u0664\u0665\u0666"]
    like_js = tmp_path / "like.js"
    like_js.write_text(like_part([*ids, *odd]), encoding="utf-8")
    done = cli("like", "--file", str(like_js), "--api-base", base, "--config-dir", str(cfg))
    assert done.returncode == 0, done.stderr
    assert "post ids use the digits 0-9 only" in done.stdout
    assert sandbox.liked_by() == set(ids)  # the leading zero names ids[0]: one like
    assert "4 queued" in done.stdout and "1 not a post" in done.stdout


def test_the_sandbox_can_start_with_an_archives_likes(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "archive.zip", 30)
    server = subprocess.Popen(
        [*CLI, "sandbox", "--port", "0", "--quiet", "--liked-from", str(archive)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        url = first.split("listening on ")[1].split()[0]
        banner = "".join(iter(server.stdout.readline, "\n"))
        while "starts with" not in banner:
            banner += server.stdout.readline()
        assert "30 likes of @likes_tui_demo" in banner
        answer = httpx.get(
            f"{url}/2/users/{USER}/liked_tweets",
            params={"max_results": 100},
            headers={"Authorization": f"Bearer {DEMO_BEARER}"},
        )
        assert answer.status_code == 200
        assert len(answer.json()["data"]) == 30
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_run_outside_the_hours_stops_with_75_and_a_pace_stretches_the_estimate(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    now = time.localtime()
    start = (now.tm_hour + 2) % 24
    hours = f"{start:02d}:00-{(start + 1) % 24:02d}:00"  # an hour that is not now
    common = ("--api-base", base, "--config-dir", str(cfg))
    run = cli("like", str(GENERATED_BASE + 1), "--hours", hours, *common)
    assert run.returncode == 75, run.stdout + run.stderr
    assert f"outside your sending hours ({hours})" in run.stdout
    assert "1 left in the queue" in run.stdout and sandbox.requests_to("like") == []
    dry = cli(
        "like", *[str(GENERATED_BASE + i) for i in range(2, 33)], "--pace", "30 per hour",
        "--dry-run", "--json", *common,
    )  # fmt: skip
    [estimate] = [e for e in events(dry.stdout) if e["event"] == "estimate"]
    assert estimate["count"] == 31 and estimate["eta_seconds"] >= 3600  # one queued too
    bad = cli("resume", "--pace", "lots", *common)
    assert bad.returncode == 2 and "is not a count per second" in bad.stderr


def test_an_import_killed_midway_leaves_all_or_nothing(tmp_path: Path) -> None:
    """SIGKILL while the likes are being written: the archive is in the state file whole or
    not at all, and the next import finishes the job."""
    cfg = signed_in(tmp_path)
    assert cli("status", "--config-dir", str(cfg)).returncode == 0  # the state file exists
    archive = make_zip(tmp_path / "big.zip", 150_000, parts=3)
    wal = Locations(cfg).state.with_name("state.db-wal")
    start = wal.stat().st_size if wal.exists() else 0
    child = subprocess.Popen(
        [*CLI, "import", str(archive), "--config-dir", str(cfg)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while child.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > start + (1 << 20):  # a MB of likes written
            child.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)  # a file's growth sends no event: look again shortly
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the import finished before the kill"
    assert archived(cfg) in (0, 150_000)
    again = cli("import", str(archive), "--config-dir", str(cfg))
    assert again.returncode == 0, again.stderr
    assert archived(cfg) == 150_000


def test_status_names_the_pace_the_hours_and_the_archive(tmp_path: Path) -> None:
    cfg = signed_in(tmp_path)
    (cfg / "settings.toml").write_text('pace = "30 per hour"\nhours = "22:00-06:00"\n')
    make_folder(tmp_path / "archive", 7)
    assert cli("import", str(tmp_path / "archive"), "--config-dir", str(cfg)).returncode == 0
    report = json.loads(cli("status", "--json", "--config-dir", str(cfg)).stdout)
    assert report["pace"] == {"rate": "30 per hour", "hours": "22:00-06:00"}
    assert report["archived"] == 7
    text = cli("status", "--config-dir", str(cfg)).stdout
    assert "pace: 30 per hour, 22:00-06:00" in text and "archive: 7 likes imported" in text
    (cfg / "settings.toml").write_text('pace = "lots"\n')
    unread = cli("status", "--json", "--config-dir", str(cfg))
    assert "is not a count per second" in unread.stderr and "as fast as X allows" in unread.stderr
    assert json.loads(unread.stdout)["pace"] == {"rate": None, "hours": None}
