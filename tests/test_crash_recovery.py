"""A real process killed with SIGKILL mid-batch loses nothing and doubles nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from likes_tui.api.oauth2 import OAuth2Token
from likes_tui.sandbox import DEMO_BEARER, DEMO_CLIENT_ID, XSandbox, serving
from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.store.credentials import CredentialStore, OAuth2Profile
from likes_tui.store.files import Locations
from likes_tui.store.state import StateDB


def cli(cfg: Path, base_url: str, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "likes_tui",
        "--config-dir",
        str(cfg),
        "--api-base",
        base_url,
        *args,
    ]


def test_sigkill_mid_batch_then_resume(tmp_path: Path) -> None:
    sandbox = XSandbox(post_count=120)
    sandbox.limits["like"] = (40, 1.0)
    sandbox.faults.latency = 0.005
    ids = [str(GENERATED_BASE + i) for i in range(120)]
    before = {i: sandbox.posts[i].likes for i in ids}
    cfg = tmp_path / "cfg"
    store = CredentialStore(Locations(cfg).ensure())
    account = sandbox.demo_user_id
    store.save(
        OAuth2Profile(
            "demo", DEMO_CLIENT_ID, None, "", OAuth2Token(DEMO_BEARER), account, "likes_tui_demo"
        )
    )
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(f"https://x.com/someone/status/{i}" for i in ids + ids[:10]))
    with serving(sandbox) as server:
        proc = subprocess.Popen(
            cli(cfg, server.base_url, "like", "--file", str(urls)),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert proc.stdout is not None
        liked_lines = 0
        for line in proc.stdout:
            if line.startswith("liked "):
                liked_lines += 1
                if liked_lines == 30:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        sent_before_kill = len(sandbox.liked_by())
        assert 30 <= sent_before_kill < 120

        state = StateDB(cfg / "state.db")
        assert state.queue.counts(account).pending >= 120 - sent_before_kill
        state.close()

        resumed = subprocess.run(
            cli(cfg, server.base_url, "resume"), capture_output=True, text=True, timeout=120
        )
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert "failed 0; 0 left in the queue" in resumed.stdout
        # A like on its way when the kill came is sent again, and the resume says so: the
        # only request X can get twice (if the kill came after X took it).
        again = re.search(r"sending (\d+) again", resumed.stdout)
        resent = int(again.group(1)) if again else 0
        assert resent <= 1
        assert 120 <= len(sandbox.requests_to("like")) <= 120 + resent

    assert sandbox.liked_by() == set(ids)
    assert all(sandbox.posts[i].likes == before[i] + 1 for i in ids)
    state = StateDB(cfg / "state.db")
    ok = Counter(
        h.post_id for h in state.history.entries(account, limit=10_000) if h.outcome == "ok"
    )
    state.close()
    assert set(ok) == set(ids) and set(ok.values()) == {1}
