"""`y` copies with the tools that exist and says what happened (issue 23: it said "Copied"
in tmux, whose default settings ignore the terminal clipboard)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from likes_tui.core.clipboard import copy

URL = "https://x.com/TwitterDev/status/1228393702244134912"


def fake_tool(bin_dir: Path, name: str, out: Path) -> None:
    script = bin_dir / name
    script.write_text(f"#!/bin/sh\nexec {shutil.which('cat')} > {out}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_inside_tmux_the_url_goes_to_the_tmux_buffer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_tool(tmp_path, "tmux", tmp_path / "buffer")
    monkeypatch.setenv("PATH", str(tmp_path))
    said = copy(URL, {"TMUX": "/tmp/tmux-0/default,1,0"})
    assert (tmp_path / "buffer").read_text() == URL
    assert said.startswith("Copied to the tmux buffer") and URL in said


def test_with_no_tool_it_says_the_terminal_may_ignore_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it
    said = copy(URL, {"TMUX": "x", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"})
    assert not said.startswith("Copied") and "may ignore" in said and URL in said


def test_a_tool_that_fails_is_not_claimed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "xclip"
    script.write_text("#!/bin/sh\nexit 1\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "may ignore" in copy(URL, {"DISPLAY": ":0"})
