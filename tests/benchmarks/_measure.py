"""What the benchmarks share: one command in a fresh process (its time, its peak memory and
its output), and a history of any size."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from likes_tui.sandbox.seed import GENERATED_BASE
from likes_tui.store.state import StateDB
from tests.cli.test_commands import CLI

LAUNCH = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
    "sys.stderr.write(f'\\npeak {peak}\\n'); sys.exit(done.returncode)"
)
"""Runs the command from a small process: a child's peak RSS starts at its parent's size
when it forked (Linux keeps the old image's high-water mark across exec), and pytest's is
large."""


def run(*args: str, ok: tuple[int, ...] = (0, 75)) -> tuple[float, float, str]:
    """Seconds, peak RSS in MB and standard output of one command in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, *CLI, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    assert done.returncode in ok, done.stderr
    peak = int(done.stderr.rsplit("peak ", 1)[1])
    return seconds, peak / 1024, done.stdout


def fill_history(state_path: Path, account: str, n: int) -> None:
    """`n` confirmed likes in history, in one transaction: 97 authors, and every tenth post
    about rain (something to search for)."""
    state = StateDB(state_path)
    rows = [
        (account, str(GENERATED_BASE + i), "like", "ok", "", f"@author{i % 97}",
         f"post number {i} about rain" if i % 10 == 0 else f"post number {i}", 1.7e9 + i)
        for i in range(n)
    ]  # fmt: skip
    with state.database._tx():
        state.db.executemany(
            "INSERT INTO history (account, post_id, action, outcome, detail, author, excerpt,"
            " at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    state.close()
