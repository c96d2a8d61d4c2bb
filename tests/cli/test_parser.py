"""A plain app launch is read by a small parser; it must read it as the full one does."""

from __future__ import annotations

import pytest

from likes_tui.cli.main import app_launch, build_parser


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--dem"],
        ["--config-dir", "/tmp/x", "--profile", "work"],
        ["--profile=work", "--api-base", "http://127.0.0.1:8710"],
        ["--profile", "like"],
    ],
)
def test_an_app_launch_reads_as_the_full_parser_reads_it(argv: list[str]) -> None:
    small = app_launch(argv)
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
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert app_launch(argv) is None
