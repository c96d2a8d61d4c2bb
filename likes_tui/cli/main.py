"""The argparse entry: `likes-tui [--demo] [--config-dir PATH] ...`, the headless commands
and `likes-tui sandbox`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from likes_tui import __version__, startup

if TYPE_CHECKING:
    from likes_tui.app import LikesApp
    from likes_tui.core.context import AppContext

    RunApp = Callable[[LikesApp], object]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="likes-tui",
        description="Like and unlike posts on X from the terminal (X API v2 manage Likes).",
    )
    parser.add_argument("--version", action="version", version=f"likes-tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in sandbox X API, signed in as a demo user; "
        "nothing is read from or written to your real config directory",
    )
    parser.add_argument(
        "--config-dir",
        metavar="PATH",
        help="where settings, credentials and history live "
        "(default: the platform's config dir; also $LIKES_TUI_CONFIG_DIR)",
    )
    parser.add_argument(
        "--api-base",
        metavar="URL",
        help="X API base URL (default https://api.x.com); point it at `likes-tui sandbox`",
    )
    parser.add_argument("--profile", metavar="NAME", help="which stored account to use")
    sub = parser.add_subparsers(dest="command")
    sandbox = sub.add_parser(
        "sandbox", help="serve the X API emulator on 127.0.0.1 for curl, xurl or this app"
    )
    sandbox.add_argument("--port", type=int, default=8710, help="port (default 8710; 0 = any)")
    sandbox.add_argument(
        "--like-limit", type=int, default=50, help="likes per window per user (default 50)"
    )
    sandbox.add_argument(
        "--window", type=float, default=900.0, help="rate-limit window in seconds (default 900)"
    )
    sandbox.add_argument(
        "--daily-cap", type=int, default=1000, help="likes per 24 hours per user (default 1000)"
    )
    sandbox.add_argument("--posts", type=int, default=60, help="how many posts to seed")
    faults = sandbox.add_argument_group(
        "faults", "misbehave like a bad day at X, to see how a client copes"
    )
    faults.add_argument(
        "--error-rate",
        type=probability,
        default=0.0,
        metavar="P",
        help="answer this share of requests with 503 (0 to 1)",
    )
    faults.add_argument(
        "--drop-rate",
        type=probability,
        default=0.0,
        metavar="P",
        help="drop this share of connections without an answer (0 to 1)",
    )
    faults.add_argument(
        "--latency", type=float, default=0.0, metavar="SECONDS", help="wait before answering"
    )
    faults.add_argument(
        "--trickle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="send response bodies one byte every SECONDS (a server that never quite stops)",
    )
    faults.add_argument(
        "--fault-on",
        choices=("lookup", "likes", "all"),
        default="all",
        help="which endpoints misbehave: post lookups, like/unlike, or all (default)",
    )
    like = sub.add_parser(
        "like", help="queue posts and send them without the UI (for scripts), then exit"
    )
    like.add_argument("urls", nargs="*", help="post URLs or ids")
    like.add_argument("--file", metavar="PATH", help="read URLs from a file ('-' for stdin)")
    like.add_argument("--unlike", action="store_true", help="unlike instead of like")
    like.add_argument(
        "--force",
        action="store_true",
        help="send even posts this account's history says are already liked (or unliked)",
    )
    sub.add_parser("resume", help="send what is still queued from earlier runs, then exit")
    return parser


def probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def run_with_context(args: argparse.Namespace, run_app: RunApp | None = None) -> int:
    """Open the config dir (a clear message, not a traceback, when it is unusable), then run
    the app or a headless command in it."""
    from likes_tui.core.context import AppContext
    from likes_tui.store.files import PROFILE_NAME_RULE, StoreError, valid_profile_name

    if args.profile is not None and not valid_profile_name(args.profile):
        print(
            f"likes-tui: --profile {args.profile!r} is not a valid account name "
            f"({PROFILE_NAME_RULE}).",
            file=sys.stderr,
        )
        return 2
    try:
        ctx = AppContext.open(
            demo=args.demo,
            config_dir=args.config_dir,
            api_base=args.api_base,
            profile_name=args.profile,
        )
    except StoreError as exc:
        print(f"likes-tui: {exc.message}")
        return 1
    try:
        if args.command in ("like", "resume"):
            try:
                ctx.open_state()
            except StoreError as exc:
                print(f"likes-tui: {exc.message}")
                return 1
            return run_headless(ctx, args)
        from likes_tui.app import LikesApp

        app = LikesApp(ctx)
        if run_app is None:
            app.run()
        else:
            run_app(app)
        return app.return_code or 0
    finally:
        startup.release_gc()
        ctx.close()


def read_input(args: argparse.Namespace) -> str:
    """The URLs and ids given on the command line and in --file; UsageError when the file
    cannot be read as text."""
    parts = list(args.urls)
    if args.file == "-":
        parts.append(sys.stdin.read())
    elif args.file:
        try:
            raw = Path(args.file).read_bytes()
        except IsADirectoryError:
            raise UsageError(f"--file {args.file} is a directory; name a text file.") from None
        except OSError as exc:
            raise UsageError(f"cannot read --file {args.file}: {exc.strerror}.") from None
        try:
            parts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageError(f"--file {args.file} is not UTF-8 text.") from None
    return "\n".join(parts)


class UsageError(Exception):
    """The command line asks for something that cannot work: exit status 2."""


def run_headless(ctx: AppContext, args: argparse.Namespace) -> int:
    import asyncio

    from likes_tui.cli.headless import USAGE, run

    for warning in ctx.warnings:
        print(f"likes-tui: {warning}", file=sys.stderr)
    text = None
    if args.command == "like":
        try:
            text = read_input(args)
        except UsageError as exc:
            print(f"likes-tui: {exc}", file=sys.stderr)
            return USAGE
    action = "unlike" if getattr(args, "unlike", False) else "like"
    return asyncio.run(run(ctx, text, action, force=getattr(args, "force", False)))


def main(argv: Sequence[str] | None = None, run_app: RunApp | None = None) -> int:
    """`run_app` runs the app instead of `app.run()` (the start-up benchmark runs it headless,
    through this same path)."""
    args = build_parser().parse_args(argv)
    if args.command == "sandbox":
        from likes_tui.cli.sandbox import run_sandbox

        return run_sandbox(args)
    if args.command is None:
        startup.hold_gc()
    return run_with_context(args, run_app)
