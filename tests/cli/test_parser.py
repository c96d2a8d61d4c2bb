"""A plain app launch is read by a small parser; it must read it as the full one does."""

from __future__ import annotations

import pytest

from likes_tui.cli.launch import ROOT_OPTIONS, plain_launch
from likes_tui.cli.parser import build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--dem"],
        ["--config-dir", "/tmp/x", "--profile", "work"],
        ["--profile=work", "--api-base", "http://127.0.0.1:8710"],
        ["--profile", "like"],
        ["--prof=work", "--c", "/tmp/y", "--demo", "--demo"],
        ["--profile=", "--api-base=http://127.0.0.1:9"],
    ],
)
def test_an_app_launch_reads_as_the_full_parser_reads_it(argv: list[str]) -> None:
    small = plain_launch(argv)
    assert small is not None
    assert vars(small) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["like", "123"],
        ["--demo", "status"],
        ["-h"],
        ["--help"],
        ["--version"],
        ["--profile"],
        ["--demo=yes"],
        ["--no-such-option"],
        ["sandbox", "--port", "0"],
        ["--profile", "--demo"],
        ["--config-dir"],
        ["--", "--demo"],
        ["-d"],
        ["--de=1"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert plain_launch(argv) is None


def test_the_small_reader_knows_every_top_level_option_of_the_full_parser() -> None:
    """Abbreviations resolve against the same options (argparse's unique-prefix rule)."""
    full = {
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--")
    }
    assert set(ROOT_OPTIONS) == full


@pytest.mark.parametrize("command", [[], ["like"], ["account", "add"], ["status"], ["queue"]])
def test_help_fits_an_80_column_terminal(command: list[str]) -> None:
    """Issue 23: about 20 lines of --help ran past 80 columns, up to 116."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, COLUMNS="80")
    out = subprocess.run(
        [sys.executable, "-m", "likes_tui", *command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    ).stdout
    assert "exit status:" in out
    assert [line for line in out.splitlines() if len(line) > 80] == []
    assert "  130  interrupted" in out  # the table keeps its columns
