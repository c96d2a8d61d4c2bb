"""The entry point: a plain launch (`likes-tui [--demo] [--config-dir PATH] ...`) is read by
cli/launch.py, anything else by the full parser (cli/parser.py); then the app, a headless
command or `likes-tui sandbox` runs."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from likes_tui import startup
from likes_tui.cli.launch import plain_launch

if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace

    from likes_tui.app import LikesApp
    from likes_tui.cli.exits import Stopped
    from likes_tui.cli.output import Output
    from likes_tui.core.context import AppContext

    RunApp = Callable[[LikesApp], object]


HEADLESS = ("like", "unlike", "resume", "import", "status", "queue", "history", "account", "usage")


def run_with_context(
    args: argparse.Namespace | SimpleNamespace, run_app: RunApp | None = None
) -> int:
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
        if args.command in HEADLESS:
            try:
                ctx.open_state()
            except StoreError as exc:
                print(f"likes-tui: {exc.message}")
                return 1
            return run_headless(ctx, cast("argparse.Namespace", args))  # never a plain launch
        from likes_tui.api import tls

        if not ctx.demo:  # X over TLS: the context builds on a thread meanwhile (api/tls.py)
            tls.start()
        from likes_tui.app import LikesApp

        app = LikesApp(ctx)
        if run_app is None:
            app.run()
        else:
            run_app(app)
        return app.return_code or 0
    finally:
        startup.release_gc()
        _settle_tls()
        ctx.close()


def _settle_tls() -> None:
    """An exit while the TLS context is still building waits for it: a thread still in
    OpenSSL when the interpreter finalizes can crash it (SIGSEGV after a quick exit)."""
    tls = sys.modules.get("likes_tui.api.tls")
    if tls is not None:
        tls.settle()


def run_headless(ctx: AppContext, args: argparse.Namespace) -> int:
    """A command without the UI. Ctrl+C, SIGTERM and a closed output pipe stop it cleanly:
    no traceback, what was not sent stays queued, and it says so (exit status 130, 143 or
    141)."""
    import asyncio
    import signal

    from likes_tui.cli.exits import USAGE, PipeClosed, Stopped, Terminated
    from likes_tui.cli.output import Output

    def terminated(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminated)
    out = Output(getattr(args, "output", "text"))
    try:
        for warning in ctx.warnings:
            out.error(warning)
        if args.command == "import":
            from likes_tui.cli.archive import run_import

            return run_import(ctx, args, out)
        if args.command in ("like", "unlike", "resume"):
            from likes_tui.cli.headless import run

            if args.pace is not None or args.hours is not None:
                from likes_tui.sending.pace import Pace

                settings = ctx.settings
                pace = settings.pace if args.pace is None else args.pace
                hours = settings.hours if args.hours is None else args.hours
                try:
                    ctx.run_pace = Pace.parse(pace, hours)
                except ValueError as exc:
                    out.error(f"{exc}.")
                    return USAGE

            text = None
            if args.command != "resume":
                from likes_tui.cli.inputs import UsageError, read_input

                try:
                    text = read_input(ctx, args)
                except UsageError as exc:
                    out.error(str(exc))
                    return USAGE
            unlike = args.command == "unlike" or getattr(args, "unlike", False)
            action = "unlike" if unlike else "like"
            force, dry = getattr(args, "force", False), getattr(args, "dry_run", False)
            look_up = getattr(args, "look_up", False)
            return asyncio.run(run(ctx, text, action, out, force=force, dry=dry, look_up=look_up))
        from likes_tui.cli import manage

        return manage.run(ctx, args, out)
    except BrokenPipeError:
        return _stopped(ctx, out, PipeClosed())
    except KeyboardInterrupt as exc:
        return _stopped(ctx, out, exc if isinstance(exc, Stopped) else Stopped())
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stopped(ctx: AppContext, out: Output, how: Stopped) -> int:
    """Say what a stop left queued; with the output's pipe closed, on standard error (and
    standard output goes to /dev/null, so the exit's flush cannot fail)."""
    import os

    from likes_tui.cli.exits import PipeClosed

    left = ctx.state.queue.counts(ctx.account).pending if ctx.account else 0
    line = (
        f"{how.word}: {left} still queued; `likes-tui resume` sends them."
        if left
        else (f"{how.word}.")
    )
    closed = isinstance(how, PipeClosed)
    try:
        if not closed:
            out.event("interrupted", line, left=left, exit=how.status)
        if closed or out.mode == "quiet":
            out.error(line)
    except PipeClosed:
        closed = True
    if closed:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return how.status


def _full_parse(argv: Sequence[str]) -> argparse.Namespace:
    from likes_tui.cli.parser import build_parser

    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None, run_app: RunApp | None = None) -> int:
    """`run_app` runs the app instead of `app.run()` (the start-up benchmark runs it headless,
    through this same path)."""
    argv = sys.argv[1:] if argv is None else argv
    launch = plain_launch(argv)
    if launch is not None:
        startup.hold_gc()
        return run_with_context(launch, run_app)
    args = _full_parse(argv)
    if args.command == "completion":
        from likes_tui.cli.completion import script

        sys.stdout.write(script(args.shell))
        return 0
    if args.command == "sandbox":
        from likes_tui.cli.sandbox import run_sandbox

        return run_sandbox(args)
    if args.command is None:
        startup.hold_gc()
    return run_with_context(args, run_app)
