"""`likes-tui import PATH` and the archive side of `likes-tui unlike --archived`: X's data
export read into the state database, and the filters that pick likes out of it."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from likes_tui.archive import ArchiveError, NotThisAccount
from likes_tui.billing import utc_day
from likes_tui.cli.exits import FAILED, OK, USAGE
from likes_tui.core.archived import import_archive
from likes_tui.store.archive import ArchiveFilter

if TYPE_CHECKING:
    import argparse

    from likes_tui.cli.output import Output
    from likes_tui.core.context import AppContext


def run_import(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    """Read the archive at `args.path` into the active account's known likes; nothing is
    written unless all of it reads."""
    if ctx.profile is None:
        out.error("no account set up; run `likes-tui account add` or likes-tui to sign in.")
        return FAILED
    started = time.monotonic()
    try:
        _, result = import_archive(ctx.state, ctx.account, args.path, time.time)
    except NotThisAccount as exc:
        out.error(
            f"{args.path}: {exc.message} Nothing was imported. Pick that account with "
            "--profile NAME."
        )
        return USAGE
    except ArchiveError as exc:
        out.error(f"{exc.message} Nothing was imported.")
        return USAGE
    dated = result.archived_at
    known = result.found - result.new
    total = ctx.state.archive.count(ctx.account)
    out.event(
        "imported",
        f"imported {result.found} likes from {args.path} (archive of {utc_day(dated)}): "
        f"{result.new} new, {known} known already; {total} archived likes for this account "
        f"({time.monotonic() - started:.1f} s)",
        found=result.found,
        new=result.new,
        total=total,
        archived_at=dated,
    )
    if result.found == 0:
        out.say("the archive holds no likes.")
    return OK


def archive_filter(args: argparse.Namespace) -> ArchiveFilter:
    return ArchiveFilter(
        matching=args.matching or "",
        before=args.before,
        after=args.after,
    )


def archived_ids(ctx: AppContext, args: argparse.Namespace) -> list[str]:
    """The archived likes `unlike --archived` names, oldest post first; ValueError (a usage
    error) when there is no archive or the filter leaves nothing."""
    if not ctx.state.archive.count(ctx.account):
        raise ValueError(
            "no archive imported for this account; download it from X (Settings → Your "
            "account → Download an archive) and run `likes-tui import PATH`."
        )
    where = archive_filter(args)
    found = list(ctx.state.archive.ids(ctx.account, where))
    if not found:
        raise ValueError("no archived like matches the filter.")
    return found
