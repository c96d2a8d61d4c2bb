"""Shell completion: the bash script (zsh runs the same one) completes commands, options,
choices and stored account names in a real bash; fish gets one line per command and option."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from likes_tui.cli.completion import script
from tests.cli.test_commands import CLI, signed_in

bash_missing = shutil.which("bash") is None


def complete(line: str, tmp_path: Path, cfg: Path | None = None) -> list[str]:
    """What bash offers for the last word of `line`, with `likes-tui` on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "likes-tui"
    wrapper.write_text(f'#!/bin/sh\nexec {" ".join(CLI)} "$@"\n')
    wrapper.chmod(0o755)
    words = line.split(" ")
    program = (
        f"{script('bash')}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        "_likes_tui; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    if cfg is not None:
        env["LIKES_TUI_CONFIG_DIR"] = str(cfg)
    done = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.splitlines() if w]


@pytest.mark.skipif(bash_missing, reason="bash is not installed here")
def test_bash_completes_commands_options_and_choices(tmp_path: Path) -> None:
    assert set(complete("likes-tui ", tmp_path)) >= {"like", "resume", "status", "completion"}
    assert complete("likes-tui qu", tmp_path) == ["queue"]
    assert complete("likes-tui queue ", tmp_path) == ["list", "retry", "drop", "clear"]
    assert set(complete("likes-tui like --d", tmp_path)) == {"--demo", "--dry-run"}
    assert complete("likes-tui sandbox --plan s", tmp_path) == ["self-serve"]
    assert complete("likes-tui account a", tmp_path) == ["add"]
    assert complete("likes-tui --demo like --un", tmp_path) == ["--unlike"]
    (tmp_path / "urls.txt").write_text("")
    assert complete(f"likes-tui like --file {tmp_path}/ur", tmp_path) == [f"{tmp_path}/urls.txt"]


@pytest.mark.skipif(bash_missing, reason="bash is not installed here")
def test_bash_completes_the_stored_account_names(tmp_path: Path) -> None:
    cfg = signed_in(tmp_path)  # one account, named demo
    assert complete("likes-tui account use ", tmp_path, cfg) == ["demo"]
    assert complete("likes-tui status --profile d", tmp_path, cfg) == ["demo"]


def test_zsh_loads_the_bash_function_through_bashcompinit() -> None:
    text = script("zsh")
    assert "bashcompinit" in text and "complete -F _likes_tui likes-tui" in text


def test_fish_has_a_line_for_every_command_and_option() -> None:
    text = script("fish")
    assert "-n '__fish_use_subcommand' -a like -d 'queue posts and send them without the UI" in text
    assert "-n '__fish_seen_subcommand_from like' -l dry-run -d 'say what would be sent" in text
    assert "-l file -r -F" in text
    assert "-a 'enterprise self-serve'" in text
    lines = text.splitlines()
    assert len(lines) == len(set(lines))  # the program's options once, not once per command


def test_the_completion_command_prints_the_script() -> None:
    done = subprocess.run([*CLI, "completion", "bash"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == script("bash")
    bad = subprocess.run([*CLI, "completion", "tcsh"], capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
