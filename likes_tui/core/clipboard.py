"""Copying text where the person can paste it. The terminal's own clipboard (OSC 52, which the
app always sends) is ignored by many terminals and by tmux's default settings, so the tools
that do exist are tried too, and the words say what actually happened, never a bare
"Copied" when nothing was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

TIMEOUT = 3.0


def tools(env: Mapping[str, str], platform: str = sys.platform) -> list[tuple[str, list[str]]]:
    """(name, command reading the text on standard input), most specific first."""
    found: list[tuple[str, list[str]]] = []
    if env.get("TMUX") and shutil.which("tmux"):
        found.append(("the tmux buffer (prefix + ] pastes it)", ["tmux", "load-buffer", "-"]))
    if platform == "darwin" and shutil.which("pbcopy"):
        found.append(("the clipboard (pbcopy)", ["pbcopy"]))
    if env.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        found.append(("the clipboard (wl-copy)", ["wl-copy"]))
    if env.get("DISPLAY") and shutil.which("xclip"):
        found.append(("the clipboard (xclip)", ["xclip", "-selection", "clipboard"]))
    return found


def copy(text: str, env: Mapping[str, str] | None = None) -> str:
    """Copy `text` with every tool that works here; what happened, in words. Blocks (run it
    off the event loop)."""
    done = []
    for name, command in tools(os.environ if env is None else env):
        try:
            subprocess.run(
                command, input=text.encode(), check=True, timeout=TIMEOUT, capture_output=True
            )
        except (OSError, subprocess.SubprocessError):
            continue
        done.append(name)
    if done:
        return f"Copied to {' and '.join(done)}: {text}"
    return (
        f"Sent to the terminal's clipboard (OSC 52), which this terminal may ignore; no "
        f"clipboard tool (tmux, wl-copy, xclip, pbcopy) is available here. The URL: {text}"
    )
