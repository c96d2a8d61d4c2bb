"""One command in a fresh process: its time, its peak memory and its output."""

from __future__ import annotations

import subprocess
import sys
import time

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
