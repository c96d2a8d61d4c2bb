"""First paint as a person sees it: a child on a real pseudo-terminal, timed from spawn to the
moment its first frame's text reaches the terminal."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07")
BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("bare app painted")

Bare().run()
"""


def _spawn(
    argv: list[str], env: dict[str, str], size: tuple[int, int]
) -> tuple[int, subprocess.Popen[bytes], float]:
    """The child on its own pseudo-terminal of `size` (rows, columns): the terminal's side,
    the process and when it was spawned."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    return master, proc, started


def _quit(master: int, proc: subprocess.Popen[bytes]) -> None:
    """ctrl+q, as a person quits (the demo cleans up); killed if it does not go."""
    os.write(master, b"\x11")
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _seen_at(master: int, marker: bytes, started: float, deadline: float) -> float | None:
    """Seconds from `started` until `marker` shows in what the child writes from now on
    (escape sequences stripped), or None if it has not by `deadline` or the child is gone."""
    seen = b""
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            seen += os.read(master, 65536)
        except OSError:
            return None
        if marker in ANSI.sub(b"", seen):
            return time.perf_counter() - started
    return None


def first_paint(argv: list[str], marker: bytes, env: dict[str, str], size=(34, 120)) -> float:
    """Seconds from spawn until `marker` shows in what the child wrote to its terminal."""
    master, proc, started = _spawn(argv, env, size)
    try:
        painted = _seen_at(master, marker, started, started + 30)
        _quit(master, proc)
    finally:
        os.close(master)
    if painted is None:
        raise RuntimeError(f"{argv} never painted {marker!r}")
    return painted


def paste_answered(
    argv: list[str],
    marker: bytes,
    paste: bytes,
    answer: bytes,
    env: dict[str, str],
    size=(34, 120),
) -> tuple[float, float]:
    """A person who pastes the moment the first frame shows: seconds from spawn to that
    frame, and from spawn until `answer` shows (the pasted post's card)."""
    master, proc, started = _spawn(argv, env, size)
    answered = None
    try:
        painted = _seen_at(master, marker, started, started + 30)
        if painted is not None:
            os.write(master, b"\x1b[200~" + paste + b"\x1b[201~")
            answered = _seen_at(master, answer, started, started + 30)
        _quit(master, proc)
    finally:
        os.close(master)
    if painted is None or answered is None:
        raise RuntimeError(f"{argv} never answered the paste with {answer!r}")
    return painted, answered


def demo_argv() -> list[str]:
    return [sys.executable, "-m", "likes_tui", "--demo"]


def bare_argv() -> list[str]:
    return [sys.executable, "-c", BARE]


DEMO_MARKER = b"Paste post URLs or ids"
BARE_MARKER = b"bare app painted"


def user_env(pycache: str | Path) -> dict[str, str]:
    """A user's environment: bytecode caches on (in a private directory), a real TERM."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["TERM"] = "xterm-256color"
    env.pop("TEXTUAL", None)
    return env


def run_to_exit(argv: list[str], env: dict[str, str], size=(34, 120), timeout=300) -> int:
    """Run `argv` on its own pseudo-terminal until it exits (reading what it writes, so it
    never blocks on a full terminal); its exit status."""
    master, proc, _ = _spawn(argv, env, size)
    deadline = time.perf_counter() + timeout
    try:
        while proc.poll() is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        return proc.wait()
    finally:
        os.close(master)
