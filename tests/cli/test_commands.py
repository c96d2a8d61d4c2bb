"""The command line as a Unix tool, through the real entry point in a subprocess, against the
sandbox over loopback HTTP: exit codes, options anywhere, JSON events, Ctrl+C, accounts."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from likes_tui.api.oauth2 import OAuth2Token
from likes_tui.cli.output import EVENT_KEYS
from likes_tui.sandbox import (
    DEMO_ACCESS_TOKEN,
    DEMO_ACCESS_TOKEN_SECRET,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
    DEMO_BEARER,
    DEMO_CLIENT_ID,
    XSandbox,
)
from likes_tui.sandbox.seed import DELETED_POST_ID, GENERATED_BASE, PROTECTED_POST_ID
from likes_tui.store.credentials import CredentialStore, OAuth2Profile
from likes_tui.store.files import Locations

CLI = [sys.executable, "-m", "likes_tui"]
USER = "1590000000000000001"


def signed_in(tmp_path: Path) -> Path:
    cfg = tmp_path / "cfg"
    CredentialStore(Locations(cfg).ensure()).save(
        OAuth2Profile("demo", DEMO_CLIENT_ID, None, "", OAuth2Token(DEMO_BEARER), USER, "d")
    )
    return cfg


def cli(
    *args: str, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def ids(n: int, start: int = 0) -> list[str]:
    return [str(GENERATED_BASE + i) for i in range(start, start + n)]


def test_global_options_work_after_the_command(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    out = cli("like", *ids(2), "--config-dir", str(cfg), "--api-base", base)
    assert out.returncode == 0, out.stderr
    assert sandbox.liked_by() == set(ids(2))
    assert "liked 2, failed 0; 0 left in the queue" in out.stdout


def listed_codes(help_text: str) -> list[int]:
    table = help_text.split("exit status:\n", 1)[1]
    return [int(m) for m in re.findall(r"^  (\d+) ", table, re.MULTILINE)]


def test_each_command_lists_its_own_exit_codes_and_the_readme_all_of_them() -> None:
    from likes_tui.cli.exits import COMMAND_CODES, MEANING

    for command in COMMAND_CODES:
        text = cli(command, "--help").stdout
        assert listed_codes(text) == list(COMMAND_CODES[command]), command
        assert "--config-dir" in text, command
    assert listed_codes(cli("account", "add", "--help").stdout) == list(COMMAND_CODES["account"])
    assert listed_codes(cli("like", "--help").stdout)[-3:] == [130, 141, 143]
    assert listed_codes(cli("status", "--help").stdout) == [0, 1, 2, 130, 141, 143]
    top = cli("--help").stdout
    assert "Options such as --config-dir work before or after a command" in top
    assert listed_codes(top) == list(MEANING)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", readme, re.MULTILINE)
    assert [int(code) for code, _ in rows] == list(MEANING)
    for code, words in rows:  # the same words (the README marks code with backticks)
        assert words.replace("`", "") == MEANING[int(code)].replace("`", ""), code


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["like", "hello there"], 2, "no post URL or id in the input"),
        (["like"], 2, "no post URL or id in the input"),
        (["--profile", "nobody", "like", "1800000000000000001"], 1, "no account set up"),
        (["like", DELETED_POST_ID, PROTECTED_POST_ID], 1, "not available 2"),
    ],
    ids=["prose", "nothing", "unknown-profile", "all-gone"],
)
def test_exit_codes(tmp_path: Path, base: str, argv: list[str], code: int, words: str) -> None:
    cfg = signed_in(tmp_path)
    out = cli("--config-dir", str(cfg), "--api-base", base, *argv)
    assert out.returncode == code, out.stdout + out.stderr
    assert words in out.stdout + out.stderr
    assert "Traceback" not in out.stderr


def test_json_events_have_the_documented_keys(tmp_path: Path, base: str) -> None:
    cfg = signed_in(tmp_path)
    text = f"{ids(1)[0]}\norder #12345 today\n{DELETED_POST_ID}\n{ids(1, 1)[0]}"
    out = cli(
        "--config-dir", str(cfg), "--api-base", base, "like", "--json", "--file", "-", stdin=text
    )
    events = [json.loads(line) for line in out.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    # no lookup: the deleted post is queued, and the like's answer says it is gone
    assert kinds.count("queued") == 3 and kinds.count("sent") == 2
    skipped = [e for e in events if e["event"] == "skipped"]
    assert [e["post_id"] for e in skipped] == [None, DELETED_POST_ID]
    assert skipped[0]["text"] == "order #12345 today"  # a line it ignored is said
    assert "numbers inside text are not taken as post ids" in skipped[0]["reason"]
    assert "does not exist or was deleted" in skipped[1]["reason"] and kinds[-1] == "summary"
    for event in events:
        assert set(event) == {"event", *EVENT_KEYS[event["event"]]}, event
    summary = events[-1]
    assert summary["sent"] == 2 and summary["unavailable"] == 1 and summary["exit"] == 1
    assert out.returncode == 1
    looked = cli(
        "--config-dir",
        str(cfg),
        "--api-base",
        base,
        "like",
        "--json",
        "--look-up",
        "--force",
        "--file",
        "-",
        stdin=text,
    )
    events = [json.loads(line) for line in looked.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds.count("queued") == 2  # --look-up leaves the deleted post out before sending
    assert events[-1]["unavailable"] == 1 and looked.returncode == 1


def test_a_dry_run_says_what_it_would_send_and_cost_and_sends_nothing(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    common = ("--config-dir", str(cfg), "--api-base", base)
    assert cli("like", ids(1)[0], *common).returncode == 0  # history: this one is liked
    before = len(sandbox.log)
    out = cli("like", "--dry-run", "--json", *ids(25), *common)
    assert out.returncode == 0, out.stderr
    assert len(sandbox.log) == before  # not a request, not even a lookup
    events = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    for event in events:
        assert set(event) == {"event", *EVENT_KEYS[event["event"]]}, event
    assert [e["post_id"] for e in events if e["event"] == "would-send"] == ids(24, 1)
    estimate = next(e for e in events if e["event"] == "estimate")
    assert estimate["count"] == 24 and estimate["usd"] == 0.36  # 24 x $0.015
    assert estimate["reads_usd"] == 0 and estimate["eta_seconds"] >= 0
    reads = next(e for e in events if e["event"] == "would-read")
    assert (reads["posts"], reads["users"], reads["usd"]) == (0, 0, 0)
    text = cli("like", "--dry-run", *ids(25), *common).stdout
    assert "about $0.360 at X's pay-per-use rates" in text and "nothing was sent" in text
    assert "would read nothing from X: a like needs only the id" in text
    looked = cli("like", "--dry-run", "--look-up", "--json", *ids(25), *common).stdout
    events = [json.loads(line) for line in looked.splitlines() if line.startswith("{")]
    reads = next(e for e in events if e["event"] == "would-read")
    assert (reads["posts"], reads["users"], reads["usd"]) == (24, 24, 0.36)
    assert next(e for e in events if e["event"] == "estimate")["reads_usd"] == 0.36
    assert len(sandbox.log) == before


def test_quiet_prints_nothing_when_all_went_well(tmp_path: Path, base: str) -> None:
    cfg = signed_in(tmp_path)
    out = cli("--config-dir", str(cfg), "--api-base", base, "like", "-q", *ids(2))
    assert out.returncode == 0 and out.stdout == "" and out.stderr == ""


def sending(
    sandbox: XSandbox, cfg: Path, base: str, *options: str, first: str
) -> subprocess.Popen[str]:
    """A `like` of 60 posts against a slowed sandbox, read up to its first line holding
    `first` (a post sent): a run to stop mid-send."""
    sandbox.faults.latency = 0.05
    sandbox.faults.fault_on = "likes"
    proc = subprocess.Popen(
        [*CLI, "--config-dir", str(cfg), "--api-base", base, "like", *options, *ids(60)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if first in line:
            break
    return proc


def test_ctrl_c_stops_cleanly_and_says_what_is_still_queued(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    proc = sending(sandbox, cfg, base, first="liked ")
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "still queued; `likes-tui resume` sends them." in rest
    left = int(rest.split("stopped: ")[1].split()[0])
    assert 0 < left < 60
    sandbox.faults.latency = 0.0  # (it kept the run mid-send; the rest need not wait)
    resumed = cli("--config-dir", str(cfg), "--api-base", base, "resume")
    assert resumed.returncode == 0
    assert sandbox.liked_by() == set(ids(60))


def test_sigterm_stops_cleanly_with_its_own_status(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = signed_in(tmp_path)
    proc = sending(sandbox, cfg, base, "--json", first='"sent"')
    proc.send_signal(signal.SIGTERM)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == 143
    assert "Traceback" not in err
    last = json.loads(rest.splitlines()[-1])
    assert last["event"] == "interrupted" and last["exit"] == 143 and 0 < last["left"] < 60
    sandbox.faults.latency = 0.0  # (it kept the run mid-send; the rest need not wait)
    assert cli("--config-dir", str(cfg), "--api-base", base, "resume").returncode == 0
    assert sandbox.liked_by() == set(ids(60))


def test_a_closed_output_pipe_stops_the_run_and_keeps_the_rest(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    """`likes-tui like --file big.txt | head -3`: once head has its lines, the run stops as
    at Ctrl+C (status 141, no BrokenPipeError), the rest queued."""
    cfg = signed_in(tmp_path)
    sandbox.faults.latency = 0.05
    sandbox.faults.fault_on = "likes"
    common = f"--config-dir {cfg} --api-base {base}"
    program = (
        f"{' '.join(CLI)} {common} like {' '.join(ids(60))} 2>{tmp_path}/err | head -3; "
        'echo "status ${PIPESTATUS[0]}"'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert len(lines) == 4 and lines[-1] == "status 141", done.stdout
    err = (tmp_path / "err").read_text()
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert "output closed: " in err and "still queued; `likes-tui resume` sends them." in err
    sandbox.faults.latency = 0.0  # (it kept the run mid-send; the rest need not wait)
    assert cli("--config-dir", str(cfg), "--api-base", base, "resume").returncode == 0
    assert sandbox.liked_by() == set(ids(60))


def test_history_into_a_pipe_closed_early_stops_without_a_traceback(tmp_path: Path) -> None:
    """`likes-tui history --json | head -2` over 30,000 rows (written a thousand lines at a
    time): head gets whole lines, and the export stops with 141 when the pipe closes."""
    from likes_tui.store.files import Locations
    from tests.benchmarks._measure import fill_history

    cfg = signed_in(tmp_path)
    fill_history(Locations(cfg).ensure().state, USER, 30_000)
    program = (
        f"{' '.join(CLI)} --config-dir {cfg} history --json 2>{tmp_path}/err | head -2; "
        'echo "status ${PIPESTATUS[0]}"'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert lines[-1] == "status 141", done.stdout
    assert [json.loads(line)["post_id"] for line in lines[:2]] == ids(30_000)[::-1][:2]
    err = (tmp_path / "err").read_text()
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_account_add_oauth1_from_standard_input_then_list_use_remove(
    tmp_path: Path, base: str
) -> None:
    cfg = tmp_path / "cfg"
    common = ("--config-dir", str(cfg), "--api-base", base)
    keys = "\n".join(
        [DEMO_API_KEY, DEMO_API_KEY_SECRET, DEMO_ACCESS_TOKEN, DEMO_ACCESS_TOKEN_SECRET]
    )
    added = cli("account", "add", "mine", "--oauth1", *common, stdin=keys + "\n")
    assert added.returncode == 0, added.stderr
    assert "saved mine: @likes_tui_demo" in added.stdout
    for secret in (DEMO_API_KEY_SECRET, DEMO_ACCESS_TOKEN_SECRET):
        assert secret not in added.stdout + added.stderr
    listed = cli("account", "list", "--json", *common)
    accounts = [json.loads(line) for line in listed.stdout.splitlines()]
    assert accounts == [
        {
            "name": "mine",
            "kind": "oauth1",
            "username": "likes_tui_demo",
            "user_id": USER,
            "secrets": "file",
            "owns_app": True,  # keys from the portal are the App owner's
            "active": True,
        }
    ]
    assert cli("like", "1800000000000000001", *common).returncode == 0  # the new account works
    assert cli("account", "use", "nobody", *common).returncode == 1
    refused = cli("account", "remove", "mine", *common)  # no terminal to ask, no --yes
    assert refused.returncode == 2 and "kept" in refused.stderr
    removed = cli("account", "remove", "mine", "--yes", *common)
    assert removed.returncode == 0 and "removed mine" in removed.stdout
    assert cli("account", "list", *common).stdout == ""


def test_account_add_oauth1_with_wrong_keys_is_a_clear_failure(tmp_path: Path, base: str) -> None:
    keys = "\n".join([DEMO_API_KEY, "wrong", DEMO_ACCESS_TOKEN, DEMO_ACCESS_TOKEN_SECRET])
    out = cli(
        "account",
        "add",
        "x",
        "--oauth1",
        "--config-dir",
        str(tmp_path),
        "--api-base",
        base,
        stdin=keys,
    )
    assert out.returncode == 1 and "did not accept the OAuth 1.0a keys" in out.stderr
    assert "wrong" not in out.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def add_oauth2_in_a_browser(
    tmp_path: Path, base: str, name: str, client_id: str, *extra: str
) -> str:
    """`account add NAME --oauth2`, its sign-in approved as the person's browser would;
    returns what it printed."""
    proc = subprocess.Popen(
        [
            *CLI,
            "account",
            "add",
            name,
            "--oauth2",
            "--client-id",
            client_id,
            *extra,
            "--redirect-uri",
            f"http://127.0.0.1:{free_port()}/callback",
            "--config-dir",
            str(tmp_path / "cfg"),
            "--api-base",
            base,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = next(line.strip() for line in proc.stdout if line.startswith("http"))
    approved = httpx.get(url, follow_redirects=True, timeout=10)  # the person's browser
    assert approved.status_code == 200
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return out


def test_account_add_oauth2_through_the_loopback_redirect(tmp_path: Path, base: str) -> None:
    out = add_oauth2_in_a_browser(tmp_path, base, "browser", DEMO_CLIENT_ID)
    assert "saved browser: @likes_tui_demo" in out


def test_status_queue_and_history(tmp_path: Path, base: str, sandbox: XSandbox) -> None:
    cfg = signed_in(tmp_path)
    common = ("--config-dir", str(cfg), "--api-base", base)
    assert cli("like", *ids(3), *common).returncode == 0
    status = json.loads(cli("status", "--json", *common).stdout)
    assert status["pending"] == 0 and status["today"]["likes"] == 3
    billed = next(iter(sandbox.usage()["days"].values()))
    assert billed["by_kind"]["like"] == {"count": 3, "usd": 0.045}
    assert status["today"]["spent_usd"] == billed["total_usd"]  # the meter: X's bill
    day = json.loads(cli("usage", "--json", *common).stdout.splitlines()[0])
    assert day["total_usd"] == billed["total_usd"]
    assert day["by_kind"]["like"] == {"count": 3, "usd": 0.045}
    assert "posts read" not in cli("usage", *common).stdout  # a like needs only the id
    assert status["budgets"]["like"]["remaining"] == 997
    import re

    words = cli("status", *common).stdout
    assert re.search(
        r"^likes in the current window: 997 of 1000 left, resets in \d+:\d\d$", words, re.M
    )
    assert re.search(r"^likes today: 997 of 1000 left, resets in 2[34]:\d\d:\d\d$", words, re.M)
    assert "budget" not in words and " s\n" not in words
    sandbox.limits["like"] = (0, 900.0)  # the next likes wait: they stay queued
    proc = subprocess.Popen([*CLI, "like", *ids(2, 3), *common], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("waiting"):
            break
    os.kill(proc.pid, signal.SIGINT)
    proc.communicate(timeout=30)
    listed = [
        json.loads(line) for line in cli("queue", "list", "--json", *common).stdout.splitlines()
    ]
    assert {item["post_id"] for item in listed} == set(ids(2, 3))
    assert cli("queue", "clear", *common).returncode == 2  # asks; no terminal, no --yes
    cleared = cli("queue", "clear", "--yes", *common)
    assert "2 queued actions cancelled" in cleared.stdout
    csv_out = cli("history", "--csv", *common).stdout.splitlines()
    assert csv_out[0] == "at,post_id,action,outcome,author,excerpt,detail" and len(csv_out) == 4
    rows = [
        json.loads(line)
        for line in cli("history", "--json", "--since", "2000-01-01", *common).stdout.splitlines()
    ]
    assert {r["post_id"] for r in rows} == set(ids(3))
    assert cli("history", "--since", "yesterday", *common).returncode == 2


def secret_script(tmp_path: Path, fields: dict[str, str]) -> str:
    path = tmp_path / "pass-show.py"
    path.write_text(f"import json\nprint(json.dumps({fields!r}))\n")
    return f"{sys.executable} {path}"


def test_account_add_oauth1_with_a_secret_command_keeps_no_secret_and_likes(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    cfg = tmp_path / "cfg"
    common = ("--config-dir", str(cfg), "--api-base", base)
    command = secret_script(
        tmp_path,
        {
            "api_key": DEMO_API_KEY,
            "api_key_secret": DEMO_API_KEY_SECRET,
            "access_token": DEMO_ACCESS_TOKEN,
            "access_token_secret": DEMO_ACCESS_TOKEN_SECRET,
        },
    )
    added = cli("account", "add", "pass", "--oauth1", "--secret-command", command, *common)
    assert added.returncode == 0, added.stderr
    assert "secrets: secret command" in added.stdout
    stored = (cfg / "profiles" / "pass.json").read_text()
    for secret in (DEMO_API_KEY_SECRET, DEMO_ACCESS_TOKEN_SECRET, DEMO_ACCESS_TOKEN):
        assert secret not in stored + added.stdout + added.stderr
    liked = cli("like", *ids(1), *common)
    assert liked.returncode == 0, liked.stderr
    assert sandbox.liked_by() == set(ids(1))


def test_account_add_oauth2_with_a_secret_command_for_the_client_secret(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    from likes_tui.sandbox import DEMO_CONFIDENTIAL_ID, DEMO_CONFIDENTIAL_SECRET

    cfg = tmp_path / "cfg"
    command = secret_script(tmp_path, {"client_secret": DEMO_CONFIDENTIAL_SECRET})
    out = add_oauth2_in_a_browser(
        tmp_path, base, "app", DEMO_CONFIDENTIAL_ID, "--secret-command", command
    )
    assert "secrets: secret command + file" in out
    stored = (cfg / "profiles" / "app.json").read_text()
    assert DEMO_CONFIDENTIAL_SECRET not in stored and '"refresh_token"' in stored
    sandbox.expire_access_tokens()  # the refresh needs the client secret: the command gives it
    liked = cli("like", *ids(1), "--config-dir", str(cfg), "--api-base", base)
    assert liked.returncode == 0, liked.stderr
    refreshes = [e for e in sandbox.log if e.path == "/2/oauth2/token"]
    assert [e.status for e in refreshes] == [200, 200]  # the sign-in, then the refresh


def test_a_plan_without_likes_exits_77_keeps_the_queue_and_resume_sends_it_later(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    """X's self-serve plans lost likes on 20 April 2026: the like is refused once, not
    retried or billed, the queue is kept and says why; once the plan allows likes, resume."""
    from likes_tui.plans import Plan

    cfg = signed_in(tmp_path)
    common = ("--config-dir", str(cfg), "--api-base", base)
    sandbox.plan = Plan.SELF_SERVE
    out = cli("like", *ids(3), *common)
    assert out.returncode == 77, out.stdout + out.stderr
    said = out.stdout + out.stderr
    assert "20 April 2026" in said and "Enterprise" in said and "Traceback" not in said
    assert len([e for e in sandbox.log if e.endpoint == "like"]) == 1  # refused once, no retry
    assert "like" not in next(iter(sandbox.usage()["days"].values()), {}).get("by_kind", {})
    status = cli("status", *common).stdout
    assert "held since" in status and "plan" in status
    held = json.loads(cli("status", "--json", *common).stdout)["held"]
    assert held["reason"] == "plan"
    listed = cli("queue", "list", *common).stdout
    assert "held since" in listed and listed.count(ids(1)[0][:10]) >= 1
    items = [json.loads(x) for x in cli("queue", "list", "--json", *common).stdout.splitlines()]
    assert {i["post_id"] for i in items} == set(ids(3)) and all(i["held"] for i in items)

    sandbox.plan = Plan.ENTERPRISE  # the App moved to a plan with likes
    resumed = cli("resume", *common)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert sandbox.liked_by() >= set(ids(3))
    assert json.loads(cli("status", "--json", *common).stdout).get("held") is None


def test_account_add_with_a_pin_signs_in_another_account_and_keeps_no_request_token(
    tmp_path: Path, base: str, sandbox: XSandbox
) -> None:
    """The URL on standard error, the PIN on standard input; a mistyped PIN is asked again.
    Neither the request token nor the PIN is written anywhere."""
    import re

    cfg = tmp_path / "cfg"
    common = ("--config-dir", str(cfg), "--api-base", base)
    proc = subprocess.Popen(
        [*CLI, "account", "add", "friend", "--oauth1-pin", *common],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write(f"{DEMO_API_KEY}\n{DEMO_API_KEY_SECRET}\n")
    proc.stdin.flush()
    url = ""
    for line in proc.stderr:
        if "/oauth/authorize?oauth_token=" in line:
            url = line.strip()
            break
    token = url.split("oauth_token=", 1)[1]
    page = httpx.get(url + "&sandbox_user=likes_tui_alice", timeout=10)
    pin = re.search(r'id="oauth_pin">(\d{7})<', page.text)
    assert pin is not None
    wrong = f"{(int(pin.group(1)) + 1) % 10**7:07d}"
    out, err = proc.communicate(f"{wrong}\n{pin.group(1)}\n", timeout=30)
    assert proc.returncode == 0, out + err
    assert "X did not accept that PIN" in err
    assert "saved friend: @likes_tui_alice (1590000000000000002), oauth1" in out
    for path in cfg.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert token.encode() not in data and pin.group(1).encode() not in data, path
    listed = [json.loads(x) for x in cli("account", "list", "--json", *common).stdout.splitlines()]
    assert [a["username"] for a in listed] == ["likes_tui_alice"]
    liked = cli("like", "--profile", "friend", ids(1)[0], *common)
    assert liked.returncode == 0, liked.stdout + liked.stderr
    assert ids(1)[0] in sandbox.liked_by("1590000000000000002")
    # the sign-in's GET /2/users/me is a user read, metered against her: meter = bill
    usage = cli("usage", "--json", "--profile", "friend", *common).stdout.splitlines()[0]
    assert json.loads(usage)["by_kind"] == {
        "user_read": {"count": 1, "usd": 0.01},
        "like": {"count": 1, "usd": 0.015},
    }
    assert sum(u for who, u in sandbox.bill_by_user if who == "1590000000000000002") == 0.025
    profile = json.loads((cfg / "profiles" / "friend.json").read_text())
    assert profile["owns_app"] is False  # not asked without a terminal: "no"
    # she does own the App after all: said once, her secrets untouched
    told = cli("account", "owns-app", "friend", "yes", *common)
    assert told.returncode == 0, told.stderr
    assert "friend (@likes_tui_alice) owns the developer App" in told.stdout
    assert json.loads((cfg / "profiles" / "friend.json").read_text()) == {
        **profile,
        "owns_app": True,
    }
    assert "owns the App" in cli("account", "list", *common).stdout
    assert cli("like", "--profile", "friend", ids(2)[1], *common).returncode == 0  # still signs
    nobody = cli("account", "owns-app", "nobody", "no", *common)
    assert nobody.returncode == 1 and "no stored account named 'nobody'" in nobody.stderr


def test_account_add_with_a_pin_and_no_pin_saves_nothing(tmp_path: Path, base: str) -> None:
    add = ("account", "add", "friend", "--oauth1-pin", "--config-dir", str(tmp_path / "cfg"))
    done = cli(*add, "--api-base", base, stdin=f"{DEMO_API_KEY}\n{DEMO_API_KEY_SECRET}\n")
    assert done.returncode == 1 and "no PIN given; nothing saved" in done.stderr
    assert "/oauth/authorize?oauth_token=" in done.stderr and "Traceback" not in done.stderr
    wrong_keys = cli(*add, "--api-base", base, stdin=f"{DEMO_API_KEY}\nnot-the-secret\n")
    assert wrong_keys.returncode == 1 and "API Key and Secret" in wrong_keys.stderr


def test_usage_json_says_something_for_every_day_even_with_nothing_billed(
    tmp_path: Path, base: str
) -> None:
    """One object per UTC day of the window, newest first: a script tells "nothing" from
    "broken"."""
    import time as _time

    cfg = signed_in(tmp_path)
    common = ("--config-dir", str(cfg), "--api-base", base)
    out = cli("usage", "--json", "--days", "3", *common)
    days = [json.loads(line) for line in out.stdout.splitlines()]
    today = _time.strftime("%Y-%m-%d", _time.gmtime())
    assert out.returncode == 0 and len(days) == 3 and days[0]["day"] == today
    assert all(d["total_usd"] == 0 and d["by_kind"] == {} for d in days)
    assert days[0]["day"] > days[1]["day"] > days[2]["day"]
    assert cli("like", ids(1)[0], *common).returncode == 0
    again = cli("usage", "--json", "--days", "3", *common).stdout
    days = [json.loads(x) for x in again.splitlines()]
    assert days[0]["by_kind"] == {"like": {"count": 1, "usd": 0.015}} and len(days) == 3
    assert days[1]["total_usd"] == 0
