"""A plain app launch, `likes-tui [--demo] [--config-dir PATH] [--api-base URL] [--profile
NAME]`, read without argparse: loading argparse (and gettext with it) is about 1% of the time
to the first paint, and starting the app is what people do most. Anything else (a command,
help, a mistake) is left to the full parser in cli/parser.py, which reads it exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

FLAGS = {"--demo": "demo"}
VALUED = {"--config-dir": "config_dir", "--api-base": "api_base", "--profile": "profile"}
ROOT_OPTIONS = ("--help", "--version", *FLAGS, *VALUED)
"""Every long option of the full parser's top level: an abbreviation stands for one of them
only when it is the start of no other (argparse's rule)."""


def _option(word: str) -> str | None:
    if word in ROOT_OPTIONS:
        return word
    matches = [option for option in ROOT_OPTIONS if option.startswith(word)]
    return matches[0] if len(matches) == 1 else None


def plain_launch(argv: Sequence[str]) -> SimpleNamespace | None:
    """The launch's options (as the full parser would give them), or None for anything that
    is not a plain launch."""
    found: dict[str, object] = {"demo": False, "config_dir": None, "api_base": None}
    found["profile"] = None
    words = list(argv)
    i = 0
    while i < len(words):
        name, eq, value = words[i].partition("=")
        option = _option(name) if name.startswith("--") and name != "--" else None
        if option in FLAGS and not eq:
            found[FLAGS[option]] = True
            i += 1
            continue
        if option not in VALUED:
            return None
        if not eq:
            if i + 1 == len(words) or words[i + 1].startswith("-"):
                return None  # no value: the full parser says what is wrong
            i += 1
            value = words[i]
        found[VALUED[option]] = value
        i += 1
    return SimpleNamespace(command=None, **found)
