"""Headless commands that manage rather than send: `status`, `queue`, `history`, `account`."""

from __future__ import annotations

import argparse
import asyncio
import csv
import getpass
import json
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from likes_tui.api.errors import XError
from likes_tui.billing import KIND_WORDS, first_day, utc_day, utc_day_start
from likes_tui.cli.exits import FAILED, OK, USAGE
from likes_tui.cli.output import Lines, Output
from likes_tui.core.context import AppContext
from likes_tui.durations import clock_text
from likes_tui.store.credentials import OAuth1Profile, OAuth2Profile, Profile
from likes_tui.store.files import StoreError, valid_profile_name
from likes_tui.store.profiles import ProfileInfo

if TYPE_CHECKING:
    from likes_tui.core.signin import Answers


def run(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    try:
        if args.command == "status":
            return status(ctx, args)
        if args.command == "queue":
            return queue(ctx, args, out)
        if args.command == "history":
            return history(ctx, args, out)
        if args.command == "usage":
            return usage(ctx, args, out)
        return account(ctx, args, out)
    except (StoreError, XError) as exc:
        out.error(exc.message)
        return FAILED


def _need_account(ctx: AppContext, out: Output) -> bool:
    if ctx.profile is None:
        out.error("no account set up; run `likes-tui account add NAME --oauth1` (or --oauth2).")
        return False
    return True


# -- status ---------------------------------------------------------------------------------


def _utc_day_start(now: float) -> float:
    day = datetime.fromtimestamp(now, UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp()


def _account(info: ProfileInfo, active: str) -> dict[str, object]:
    """One stored account as `status` and `account list` show it."""
    return {
        "name": info.name,
        "kind": info.kind,
        "username": info.username,
        "user_id": info.user_id,
        "secrets": info.kept_in,
        "owns_app": info.owns_app,
        "active": info.name == active,
    }


def _limit_words(kind: str) -> str:
    """X's rate-limit names in the TUI's words: "like-24h" is "likes today"."""
    base, daily = kind.removesuffix("-24h"), kind.endswith("-24h")
    noun = {"like": "likes", "unlike": "unlikes", "lookup": "post lookups"}.get(base, base)
    return f"{noun} today" if daily else f"{noun} in the current window"


def _account_line(a: dict[str, object]) -> str:
    marker = "*" if a["active"] else " "
    return (
        f"{marker} {a['name']}  @{a['username']} ({a['user_id']})  {a['kind']}, "
        f"secrets: {a['secrets']}{', owns the App' if a['owns_app'] else ''}"
    )


def status(ctx: AppContext, args: argparse.Namespace) -> int:
    now = ctx.clock()
    active = ctx.profile.name if ctx.profile else ""
    accounts = [_account(info, active) for info in ctx.creds.infos()]
    report: dict[str, object] = {"accounts": accounts}
    if ctx.profile is not None:
        account_id = ctx.account
        counts = ctx.state.queue.counts(account_id)
        since = _utc_day_start(now)
        today = list(ctx.state.history.since(account_id, since))
        likes = sum(1 for h in today if h.outcome == "ok" and h.action == "like")
        unlikes = sum(1 for h in today if h.outcome == "ok" and h.action == "unlike")
        spent = ctx.state.spend.spent_on(account_id, utc_day(now))
        limits = {
            kind: {
                "limit": b.limit,
                "remaining": b.remaining,
                "resets_in": max(0, round(b.reset_at - now)),
            }
            for kind, b in ctx.state.rate_limits.stored(account_id).items()
        }
        hold = ctx.state.holds.stored(account_id) if counts.pending else None
        pace = ctx.pace()
        archived = ctx.state.archive.count(account_id)
        report.update(
            pending=counts.pending,
            failed=counts.failed,
            held=(
                {"reason": hold.reason, "message": hold.message, "since": round(hold.at)}
                if hold
                else None
            ),
            budgets=limits,  # the JSON key scripts read, kept as it was
            pace={"rate": pace.rate_words, "hours": pace.hours_words},
            archived=archived,
            today={
                "likes": likes,
                "unlikes": unlikes,
                "spent_usd": spent,
            },
        )
    if args.json:
        print(json.dumps(report))
        return OK
    if not accounts:
        print("no accounts; `likes-tui account add NAME --oauth1` (or --oauth2) sets one up")
        return OK
    for a in accounts:
        print(_account_line(a))
    if ctx.profile is None:
        return OK
    print(f"queue: {report['pending']} waiting to be sent, {report['failed']} failed")
    if pace.active:
        print(f"pace: {pace.words()} (settings `pace` and `hours`)")
    if archived:
        print(
            f"archive: {archived:,} likes imported (`likes-tui unlike --archived` picks from them)"
        )
    if hold is not None:
        print(f"held since {_iso(hold.at)}: {hold.message}")
    limits_now = report["budgets"]
    assert isinstance(limits_now, dict)
    for kind, b in sorted(limits_now.items()):
        print(
            f"{_limit_words(kind)}: {b['remaining']} of {b['limit']} left, resets in "
            f"{clock_text(b['resets_in'])}"
        )
    t = report["today"]
    assert isinstance(t, dict)
    print(
        f"today (UTC): {t['likes']} liked, {t['unlikes']} unliked; X billed about "
        f"${t['spent_usd']:.3f} for this account's calls (`likes-tui usage` itemises it)"
    )
    return OK


# -- usage ----------------------------------------------------------------------------------


def usage(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    """What X billed the active account's calls, per UTC day and kind, from the meter."""
    if not _need_account(ctx, out):
        return FAILED
    since = first_day(args.days, ctx.clock())
    days = ctx.state.spend.days(ctx.account, since)
    prices = ctx.settings.prices
    if args.json:
        # Every UTC day of the window, newest first, those with nothing billed included:
        # a script can tell "nothing" from "broken".
        billed = {day.day: day for day in days}
        for n in range(max(1, args.days)):
            name = utc_day(ctx.clock() - 86400 * n)
            found = billed.get(name)
            kinds = (
                {k: {"count": c, "usd": usd} for k, (c, usd) in found.kinds.items()}
                if found
                else {}
            )
            total = found.total if found else 0.0
            print(json.dumps({"day": name, "total_usd": total, "by_kind": kinds}))
        return OK
    if not days:
        print(f"nothing billed in the last {args.days} day(s) (UTC)")
    for day in days:
        print(f"{day.day} (UTC)  ${day.total:.3f}")
        for kind, (n, usd) in sorted(day.kinds.items(), key=lambda kv: -kv[1][1]):
            words = KIND_WORDS.get(kind, kind)
            print(f"  {n:>6,} {words:<16} ${usd:.3f}  (${prices.of(kind):.3f} each)")
    print(
        f"rates: X's published ones (read {prices.read_on}) unless settings.toml sets "
        "price_*; a resource read twice in a UTC day is billed once."
    )
    return OK


# -- queue ----------------------------------------------------------------------------------


def queue(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    if not _need_account(ctx, out):
        return FAILED
    state, account_id = ctx.state, ctx.account
    if args.action == "list":
        unsent = state.queue.counts(account_id).pending
        hold = state.holds.stored(account_id) if unsent else None
        if hold is not None and not args.json:
            print(f"held since {_iso(hold.at)}: {hold.message}")
        listed = 0
        encode = json.JSONEncoder().encode
        with Lines() as lines:
            for item in state.queue.listed(account_id):
                listed += 1
                if args.json:
                    held = hold.reason if hold and item.status == "pending" else None
                    lines.add(
                        encode(
                            {
                                "post_id": item.post_id,
                                "action": item.action,
                                "status": item.status,
                                "attempts": item.attempts,
                                "error": item.error,
                                "held": held,
                            }
                        )
                    )
                else:
                    error = f"  ({item.error})" if item.error else ""
                    lines.add(
                        f"{item.status:8} {item.action:6} {item.post_id} {item.author}{error}"
                    )
        if not listed and not args.json:
            print("the queue is empty")
        return OK
    if args.action == "retry":
        print(
            f"{state.queue.retry_failed(account_id)} failed items queued again; `likes-tui resume`"
        )
        return OK
    if args.action == "drop":
        print(f"{state.queue.drop_failed(account_id)} failed items dropped")
        return OK
    lock = ctx.send_lock()
    if not lock.try_acquire():
        holder = lock.holder()
        out.error(
            f"another likes-tui{f' (pid {holder})' if holder else ''} is sending this queue; "
            "nothing was cleared."
        )
        return FAILED
    try:
        pending = state.queue.counts(account_id).pending
        if pending and not args.yes and not _confirm(f"Cancel {pending} queued actions?"):
            out.error("nothing was cleared (use --yes to clear without asking).")
            return USAGE if not sys.stdin.isatty() else FAILED
        print(f"{state.queue.cancel_pending(account_id)} queued actions cancelled")
        return OK
    finally:
        lock.release()


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


# -- history --------------------------------------------------------------------------------

HISTORY_FIELDS = ("at", "post_id", "action", "outcome", "author", "excerpt", "detail")


def history(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    since = 0.0
    if args.since:
        try:
            since = utc_day_start(args.since)
        except ValueError:
            out.error(f"--since {args.since!r} is not a date like 2026-11-29.")
            return USAGE
    entries = ctx.state.history.since(ctx.account or None, since)
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(HISTORY_FIELDS)
        for e in entries:
            writer.writerow(
                [_iso(e.at), e.post_id, e.action, e.outcome, e.author, e.excerpt, e.detail]
            )
        return OK
    encode = json.JSONEncoder().encode
    with Lines() as lines:
        for e in entries:
            if args.json:
                lines.add(
                    encode(
                        {
                            "at": _iso(e.at),
                            "post_id": e.post_id,
                            "action": e.action,
                            "outcome": e.outcome,
                            "author": e.author,
                            "excerpt": e.excerpt,
                            "detail": e.detail,
                        }
                    )
                )
            else:
                lines.add(f"{_iso(e.at)}  {e.action:6} {e.outcome:6} {e.post_id} {e.author}")
    return OK


def _iso(at: float) -> str:
    """UTC, to the second (time.gmtime: a third of datetime's cost per row)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))


# -- account --------------------------------------------------------------------------------

OAUTH1_FIELDS = ("API Key", "API Key Secret", "Access Token", "Access Token Secret")


def account(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    command = args.account_command
    if command == "list":
        active = ctx.settings.active_profile or (ctx.profile.name if ctx.profile else "")
        for info in ctx.creds.infos():
            a = _account(info, active)
            print(json.dumps(a) if args.json else _account_line(a))
        for warning in ctx.creds.warnings:
            out.error(warning)
        return OK
    if not valid_profile_name(args.name):
        out.error(f"{args.name!r} is not a valid account name (letters, digits, _ . @ -).")
        return USAGE
    if command == "use":
        profile = ctx.creds.info(args.name)
        if profile is None:
            out.error(f"no stored account named {args.name!r}; `likes-tui account list`.")
            return FAILED
        error = ctx.update_settings(active_profile=profile.name)
        if error:
            out.error(error)
            return FAILED
        print(f"{profile.name} (@{profile.username}) is the active account")
        return OK
    if command == "remove":
        return _remove(ctx, args, out)
    if command == "owns-app":
        return _owns_app_set(ctx, args, out)
    return _add(ctx, args, out)


def _owns_app_set(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    """An account signed in before the question was asked (or answered wrongly) is told
    here; the meter prices its own liked posts by it from the next start."""
    info = ctx.creds.set_owns_app(args.name, args.answer == "yes")
    if info is None:
        out.error(f"no stored account named {args.name!r}; `likes-tui account list`.")
        return FAILED
    if info.owns_app:
        print(
            f"{info.name} (@{info.username}) owns the developer App: its own liked posts are "
            "owned reads, $0.001 each"
        )
    else:
        print(
            f"{info.name} (@{info.username}) does not own the developer App: its own liked "
            "posts cost $0.005 each"
        )
    return OK


def _remove(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    from likes_tui.core.accounts import Accounts

    profile = ctx.creds.info(args.name)
    if profile is None:
        out.error(f"no stored account named {args.name!r}; `likes-tui account list`.")
        return FAILED
    unsent = ctx.state.queue.counts(profile.user_id).pending if profile.user_id else 0
    work = f" {unsent} queued likes or unlikes for it stay unsent." if unsent else ""
    if not args.yes and not _confirm(f"Sign out of {profile.name} and delete its keys?{work}"):
        out.error(f"{profile.name} was kept (use --yes to remove without asking).{work}")
        return USAGE if not sys.stdin.isatty() else FAILED
    for warning in asyncio.run(Accounts(ctx).remove(profile.name)):
        out.error(warning)
    print(f"removed {profile.name}: signed out, its secrets deleted here.{work}")
    return OK


def _read_secret(label: str, interactive: bool) -> str:
    """A secret from a prompt without echo, or the next line of standard input."""
    if interactive:
        return getpass.getpass(f"{label}: ").strip()
    line = sys.stdin.readline()
    return line.strip()


def _add(ctx: AppContext, args: argparse.Namespace, out: Output) -> int:
    if ctx.creds.info(args.name) is not None:
        out.error(f"an account named {args.name!r} exists; remove it first or pick another name.")
        return USAGE
    from likes_tui.core.signin import record_sign_in

    interactive = sys.stdin.isatty()
    answers: Answers = []
    try:
        if args.oauth1_pin:
            profile = _add_oauth1_pin(ctx, args, interactive, out, answers)
        elif args.oauth1:
            profile = _add_oauth1(ctx, args, interactive, answers)
        else:
            profile = _add_oauth2(ctx, args, out, answers)
    except XError as exc:
        out.error(exc.message)
        return FAILED
    if profile is None:
        return USAGE
    record_sign_in(ctx.state, ctx.settings.prices, profile.user_id, answers, ctx.clock())
    if not args.oauth1:
        profile = replace(profile, owns_app=_owns_app(args, profile.username, interactive))
    info = ctx.creds.save(profile)
    if not ctx.settings.active_profile or ctx.creds.info(ctx.settings.active_profile) is None:
        ctx.update_settings(active_profile=profile.name)
    for warning in ctx.creds.warnings:
        out.error(warning)
    print(
        f"saved {profile.name}: @{profile.username} ({profile.user_id}), {profile.kind}; "
        f"secrets: {info.kept_in}"
    )
    return OK


def _owns_app(args: argparse.Namespace, username: str, interactive: bool) -> bool:
    """Asked once: only the App's owner pays $0.001 for its own liked posts; "no" when
    unsure (then the meter counts the ordinary rate, never less than X bills)."""
    if args.owns_app:
        return True
    if not interactive:
        return False
    print(
        f"Does @{username} own the developer App (its own liked posts then cost $0.001, "
        "not $0.005)? [y/N] ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _add_oauth1(
    ctx: AppContext, args: argparse.Namespace, interactive: bool, answers: Answers
) -> Profile | None:
    from likes_tui.api.tokens import OAuth1Credentials
    from likes_tui.core.signin import verify_oauth1

    if args.secret_command:
        return _add_oauth1_from_command(ctx, args, answers)
    values = [_read_secret(label, interactive) for label in OAUTH1_FIELDS]
    missing = [label for label, value in zip(OAUTH1_FIELDS, values, strict=True) if not value]
    if missing:
        print(
            f"likes-tui: missing {', '.join(missing)} (one per line, in the portal's order).",
            file=sys.stderr,
        )
        return None
    creds = OAuth1Credentials(*values)
    user = asyncio.run(verify_oauth1(creds, ctx.backend, answers))
    return OAuth1Profile(args.name, creds, user.id, user.username)


PIN_TRIES = 3


def _add_oauth1_pin(
    ctx: AppContext, args: argparse.Namespace, interactive: bool, out: Output, answers: Answers
) -> Profile | None:
    """Three-legged OAuth 1.0a: the URL on standard error, the PIN from standard input. A
    mistyped PIN is asked again (at a terminal); an expired one gets a new URL."""
    from likes_tui.api.errors import PinRefused
    from likes_tui.core.signin import OAuth1PinSignIn

    if args.secret_command:
        out.error("--oauth1-pin takes the API Key and Secret at a prompt or on standard input.")
        return None
    key, secret = (_read_secret(label, interactive) for label in OAUTH1_FIELDS[:2])
    if not key or not secret:
        out.error("missing API Key or API Key Secret (one per line).")
        return None
    flow = OAuth1PinSignIn(key, secret, ctx.backend)
    flow.answers = answers

    async def sign_in() -> Profile:
        for _ in range(PIN_TRIES):
            if flow.request is None:
                url = await flow.start()
                print(
                    "Open this address in a browser, sign in as the account to add, approve "
                    f"the App, and type the 7-digit PIN X shows:\n{url}",
                    file=sys.stderr,
                    flush=True,
                )
            pin = _read_pin(interactive)
            if not pin:
                raise XError("no PIN given; nothing saved.")
            try:
                return await flow.finish(pin, args.name)
            except PinRefused as exc:
                out.error(exc.message)
                if exc.expired:
                    flow.request = None
        raise XError(f"{PIN_TRIES} PINs refused; nothing saved. Run the command again.")

    return asyncio.run(sign_in())


def _read_pin(interactive: bool) -> str:
    if interactive:
        print("PIN: ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def _add_oauth1_from_command(
    ctx: AppContext, args: argparse.Namespace, answers: Answers
) -> Profile:
    """OAuth 1.0a keys read from the person's password manager, and only the command kept."""
    from likes_tui.api.tokens import OAuth1Credentials
    from likes_tui.core.signin import verify_oauth1
    from likes_tui.store.profiles import OAUTH1_SECRETS
    from likes_tui.store.secrets import run_secret_command, split_command

    command = split_command(args.secret_command)
    values = run_secret_command(args.name, command, OAUTH1_SECRETS)
    missing = [key for key in OAUTH1_SECRETS if key not in values]
    if missing:
        raise StoreError(
            f"Account {args.name!r}: its secret command printed no {', '.join(missing)} "
            "(it prints `field: value` lines or a JSON object)."
        )
    creds = OAuth1Credentials(*(values[key] for key in OAUTH1_SECRETS))
    user = asyncio.run(verify_oauth1(creds, ctx.backend, answers))
    return OAuth1Profile(args.name, creds, user.id, user.username, secret_command=command)


def _add_oauth2(
    ctx: AppContext, args: argparse.Namespace, out: Output, answers: Answers
) -> Profile | None:
    from likes_tui.core.signin import OAuth2SignIn
    from likes_tui.store.secrets import run_secret_command, split_command

    if not args.client_id:
        out.error("--oauth2 needs --client-id (the App's OAuth 2.0 Client ID).")
        return None
    command = split_command(args.secret_command) if args.secret_command else ()
    if command:
        secret: str | None = run_secret_command(args.name, command, ("client_secret",)).get(
            "client_secret"
        )
        if not secret:
            raise StoreError(f"Account {args.name!r}: its secret command printed no client_secret.")
    else:
        secret = sys.stdin.readline().strip() if args.client_secret_stdin else None
    flow = OAuth2SignIn(args.client_id, secret, args.redirect_uri or "", ctx.backend)
    flow.answers = answers

    async def sign_in() -> OAuth2Profile:
        await flow.listen()
        print("Open this address in a browser and approve the App:", flush=True)
        print(flow.url, flush=True)
        print(
            "Waiting for the browser to come back to "
            f"{flow.redirect_uri} (or paste the address it was sent to, then Enter)...",
            flush=True,
        )
        browser = asyncio.ensure_future(flow.wait_for_browser(600))
        pasted = _read_line_in_background()
        done, _ = await asyncio.wait({browser, pasted}, return_when=asyncio.FIRST_COMPLETED)
        if browser in done:
            pasted.cancel()
            code = browser.result()
        else:
            line = pasted.result().strip()
            browser.cancel()
            await flow.cancel()
            if not line:
                raise XError("No redirect address was pasted and the browser did not come back.")
            code = flow.code_from_pasted(line)
        return await flow.finish(code, args.name)

    return replace(asyncio.run(sign_in()), secret_command=command)


def _read_line_in_background() -> asyncio.Future[str]:
    """The next line of standard input, read on a daemon thread: if the browser answers
    first, nothing waits for a line that never comes."""
    import threading

    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def deliver(line: str) -> None:
        if not future.done():
            future.set_result(line)

    def read() -> None:
        line = sys.stdin.readline()
        if not loop.is_closed():
            loop.call_soon_threadsafe(deliver, line)

    threading.Thread(target=read, daemon=True, name="likes-tui-paste").start()
    return future
