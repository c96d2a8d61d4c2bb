"""The full command line: every command's options and help (argparse). A plain app launch
does not load it: cli/launch.py reads that without argparse."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from likes_tui import __version__


class Parser(argparse.ArgumentParser):
    """An argparse parser whose help can end with a note worked out only when help is shown
    (where this machine keeps secrets: finding out loads the keyring library)."""

    live_note: Callable[[], str] | None = None

    def format_help(self) -> str:
        if self.live_note is None:
            return super().format_help()
        epilog = self.epilog
        self.epilog = f"{self.live_note()}\n\n{epilog}" if epilog else self.live_note()
        try:
            return super().format_help()
        finally:
            self.epilog = epilog


SECRETS_NOTE = (
    "Where secrets are kept: in the OS keyring where one is usable (macOS Keychain, Windows\n"
    "Credential Manager, Secret Service or KWallet on Linux), the account's file keeping\n"
    "only a reference; where none is (a headless box, CI), in the account's own file in\n"
    "profiles/, owner-only. settings.toml's secret_store picks (auto, keyring, file), and\n"
    "--secret-command reads them from a password manager instead."
)


def secrets_note() -> str:
    from likes_tui.store import settings
    from likes_tui.store.credentials import CredentialStore
    from likes_tui.store.files import Locations, StoreError, resolve_config_dir

    loc = Locations(resolve_config_dir())
    try:
        policy = settings.load(loc)[0].secret_store
    except StoreError:
        policy = "auto"
    here = CredentialStore(loc, policy).where_new_secrets_go()
    return f"{SECRETS_NOTE}\n\nOn this machine: {here} ({loc.profiles})"  # the formatter wraps


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options every command takes, before or after the command's name. On the
    subcommands their default is SUPPRESS, so a value given before the name is kept."""
    default: dict[str, object] = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in sandbox X API, signed in as a demo user; "
        "nothing is read from or written to your real config directory",
        **default,  # type: ignore[arg-type]
    )
    parser.add_argument(
        "--config-dir",
        metavar="PATH",
        help="where settings, credentials and history live "
        "(default: the platform's config dir; also $LIKES_TUI_CONFIG_DIR)",
        **default,  # type: ignore[arg-type]
    )
    parser.add_argument(
        "--api-base",
        metavar="URL",
        help="X API base URL (default https://api.x.com); point it at `likes-tui sandbox`",
        **default,  # type: ignore[arg-type]
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="which stored account to use",
        **default,  # type: ignore[arg-type]
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--json",
        dest="output",
        action="store_const",
        const="json",
        help="one JSON object per event (keys documented in the README)",
    )
    group.add_argument(
        "--quiet",
        "-q",
        dest="output",
        action="store_const",
        const="quiet",
        help="print only errors",
    )
    parser.set_defaults(output="text")


class WrappingFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs wrapped to the terminal's width (at most 100 columns):
    prose paragraphs refilled, indented tables (the exit codes) wrapped under their own
    text column, so `--help` fits an 80-column terminal."""

    def __init__(self, prog: str, **kw: Any) -> None:
        import shutil

        kw.setdefault("width", min(100, shutil.get_terminal_size().columns - 2))
        super().__init__(prog, **kw)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import re
        import textwrap

        out: list[str] = []
        for block in text.split("\n\n"):
            lines = block.splitlines()
            if not any(line.startswith(" ") for line in lines):
                out.append(
                    textwrap.fill(
                        " ".join(lines),
                        width,
                        initial_indent=indent,
                        subsequent_indent=indent,
                        break_on_hyphens=False,
                    )
                )
                continue
            entries: list[str] = []
            for line in lines:  # a line indented past its entry's text goes on with it
                if entries and re.match(r"^\s{4,}", line) and entries[-1].startswith("  "):
                    entries[-1] += " " + line.strip()
                else:
                    entries.append(line)
            wrapped: list[str] = []
            for entry in entries:
                hang = re.match(r"^(\s+\S+\s+)", entry)
                under = " " * len(hang.group(1)) if hang else ""
                wrapped += textwrap.wrap(
                    entry, width, subsequent_indent=under, break_on_hyphens=False
                ) or [""]
            out.append("\n".join(indent + w for w in wrapped))
        return "\n\n".join(out)


def _pace_options(cmd: argparse.ArgumentParser) -> None:
    from likes_tui.sending.pace import HOURS_HELP, PACE_HELP

    cmd.add_argument(
        "--pace",
        metavar="RATE",
        help=f"send at most this many, evenly spaced ({PACE_HELP}), for this run; settings' "
        "`pace` otherwise; '' for as fast as X allows",
    )
    cmd.add_argument(
        "--hours",
        metavar="HH:MM-HH:MM",
        help=f"send only inside these hours ({HOURS_HELP}); outside them the run stops with "
        "status 75 and `likes-tui resume` (from cron) carries on",
    )


def _send_options(cmd: argparse.ArgumentParser, action: str) -> None:
    """What `like` and `unlike` share."""
    _pace_options(cmd)
    cmd.add_argument("urls", nargs="*", help="post URLs or ids")
    cmd.add_argument(
        "--file",
        metavar="PATH",
        help="read URLs from a file ('-' for stdin); an archive's like.js gives its likes",
    )
    cmd.add_argument(
        "--dry-run",
        action="store_true",
        help="say what would be sent, which reads it would make, what it would cost and how "
        "long it would take; send nothing",
    )
    cmd.add_argument(
        "--force",
        action="store_true",
        help=f"send even posts this account's history says are already {action}d",
    )
    cmd.add_argument(
        "--look-up",
        action="store_true",
        help="read each post and its author from X first (billed: $0.005 a post, $0.010 an "
        "author), to leave out deleted and protected posts before sending and to name authors "
        f"in the output; without it {'a like' if action == 'like' else 'an unlike'} needs "
        "only the id, and X's answer to it says whether the post is gone",
    )


def build_parser() -> argparse.ArgumentParser:
    from likes_tui.cli.exits import COMMAND_CODES, EXIT_CODES, exit_codes

    formatter = WrappingFormatter
    parser = Parser(
        prog="likes-tui",
        description="Like and unlike posts on X from the terminal (X API v2 manage Likes). "
        "Without a command, the full-screen app starts.",
        epilog=EXIT_CODES + "\n\nOptions such as --config-dir work before or after a command.",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"likes-tui {__version__}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(
            name,
            help=help_text,
            description=description,
            epilog=exit_codes(*COMMAND_CODES[name]),
            formatter_class=formatter,
        )
        _global_options(cmd, suppress=True)
        return cmd

    completion = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print the completion script for your shell. Install it with one line: "
        'bash: eval "$(likes-tui completion bash)" in ~/.bashrc; zsh: eval "$(likes-tui '
        'completion zsh)" in ~/.zshrc; fish: likes-tui completion fish > '
        "~/.config/fish/completions/likes-tui.fish",
        formatter_class=formatter,
    )
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    sandbox = sub.add_parser(
        "sandbox",
        help="serve the X API emulator on 127.0.0.1 for curl, xurl or this app",
        description="Serve the X API emulator on 127.0.0.1 until Ctrl+C: the same paths, "
        "shapes, limits and OAuth flows as X, with demo credentials printed at start.",
    )
    sandbox.add_argument("--port", type=int, default=8710, help="port (default 8710; 0 = any)")
    sandbox.add_argument(
        "--like-limit", type=int, default=50, help="likes per window per user (default 50)"
    )
    sandbox.add_argument(
        "--window", type=float, default=900.0, help="rate-limit window in seconds (default 900)"
    )
    sandbox.add_argument(
        "--daily-cap",
        type=int,
        default=1000,
        help="likes, and unlikes, per 24 hours per user (default 1000 each)",
    )
    sandbox.add_argument(
        "--plan",
        choices=["enterprise", "self-serve"],
        default="enterprise",
        help="the App's plan: enterprise (default) allows everything; self-serve refuses "
        "likes and unlikes (403, as X's changelog of April 2026 says) and answers "
        "liked_tweets once per 15 minutes, as seen on pay-per-use",
    )
    sandbox.add_argument(
        "--limit",
        action="append",
        default=[],
        type=endpoint_limit,
        metavar="NAME=COUNT[/SECONDS]",
        help="one endpoint's window, e.g. liked_tweets=1/900 (names: likes, unlike, "
        "users_me, tweets, users, liked_tweets, liking_users); repeatable",
    )
    money = sandbox.add_argument_group(
        "billing", "the App's money at X: what a pay-per-use account meets (402s)"
    )
    money.add_argument(
        "--credits",
        type=float,
        metavar="USD",
        help="prepaid balance; requests are refused with 402 once it is used up (default: "
        "never runs out). A request can take it slightly below zero, as on X",
    )
    money.add_argument(
        "--spending-limit",
        type=float,
        metavar="USD",
        help="spend allowed this billing cycle (the sandbox's life); then 402 until the next cycle",
    )
    money.add_argument(
        "--auto-recharge",
        type=float,
        default=0.0,
        metavar="USD",
        help="add this much when the balance is used up, at most once every 5 minutes",
    )
    sandbox.add_argument("--posts", type=int, default=60, help="how many posts to seed")
    sandbox.add_argument(
        "--liked-from",
        metavar="PATH",
        help="start with the likes of an X archive (its .zip, folder or like.js), liked by "
        "the archive's account when it is a sandbox account, else by the demo user",
    )
    sandbox.add_argument(
        "--legacy-problem-types",
        action="store_true",
        help="give problem `type`s the https://api.twitter.com/2/problems/ prefix many real "
        "answers still carry (default: the definition's https://api.x.com/2/problems/)",
    )
    sandbox.add_argument(
        "--approve-as",
        metavar="USERNAME",
        default="likes_tui_demo",
        help="the sandbox account that approves OAuth 2.0 sign-ins (default likes_tui_demo; "
        "`sandbox_user=NAME` on an authorize URL picks one for that sign-in)",
    )
    sandbox.add_argument(
        "--quiet", "-q", action="store_true", help="no line per request (the banner only)"
    )
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

    like = command(
        "like",
        "queue posts and send them without the UI (for scripts), then exit",
        "Find every post URL or id in the arguments (and --file), queue them for the active "
        "account and send them at the pace X allows. Posts this account's history says are "
        "already liked are not sent again (--force sends them).",
    )
    _send_options(like, "like")
    like.add_argument("--unlike", action="store_true", help="unlike instead of like")
    _output_options(like)
    unlike = command(
        "unlike",
        "unlike posts without the UI: given ones, or your archive's by filter",
        "Unlike every post in the arguments (and --file, which may be an archive's like.js), "
        "or with --archived the likes of an imported archive (`likes-tui import`), picked by "
        "--before, --after and --matching. X allows 1,000 unlikes a day: a bigger run sends "
        "what today allows and leaves the rest queued for `likes-tui resume` (from cron, "
        "say), which carries on day after day.",
    )
    _send_options(unlike, "unlike")
    picked = unlike.add_argument_group("from the archive")
    picked.add_argument(
        "--archived",
        action="store_true",
        help="unlike the imported archive's likes (all of them, or those the filters pick)",
    )
    picked.add_argument(
        "--before", type=day_start, metavar="YYYY-MM-DD", help="posts made before this day (UTC)"
    )
    picked.add_argument(
        "--after", type=day_start, metavar="YYYY-MM-DD", help="posts made on or after this day"
    )
    picked.add_argument(
        "--matching", metavar="TEXT", help="posts whose text, URL or id contains TEXT"
    )
    _output_options(unlike)
    imported = command(
        "import",
        "read your X archive's likes into the app, at no cost",
        "Read the likes of X's data export (Settings → Your account → Download an archive): "
        "the .zip, its unpacked folder, or data/like.js alone. Each becomes this account's "
        "known like state (liked, as of the archive's date), at no cost; posts it holds show "
        "as liked, and `likes-tui unlike --archived` can unlike them in bulk. Importing again "
        "changes nothing; a newer archive brings its likes up to date.",
    )
    imported.add_argument("path", metavar="PATH", help="the archive's .zip, folder or like.js")
    _output_options(imported)
    resume = command(
        "resume",
        "send what is still queued from earlier runs, then exit",
        "Send what earlier runs left queued (and retry what failed for a passing reason).",
    )
    _pace_options(resume)
    _output_options(resume)
    status = command(
        "status",
        "accounts, queued and failed work, rate limits, today's writes",
        "Say where things stand: the accounts, the queue, the rate limits X last reported and "
        "what today's likes and unlikes cost at X's rates.",
    )
    status.add_argument("--json", action="store_true", help="one JSON object")
    queue = command(
        "queue",
        "list, retry, drop or clear queued work",
        "See and manage the active account's queue. `list` shows what is pending or failed; "
        "`retry` sends failed items again; `drop` forgets failed items; `clear` cancels "
        "everything not sent yet (it asks unless --yes).",
    )
    queue.add_argument("action", choices=("list", "retry", "drop", "clear"))
    queue.add_argument("--json", action="store_true", help="`list` as JSON lines")
    queue.add_argument("--yes", "-y", action="store_true", help="do not ask before `clear`")
    usage = command(
        "usage",
        "what X billed this account's calls, per UTC day and kind",
        "What X's pay-per-use billing charged for the calls likes-tui made for the active "
        "account (likes, unlikes, and every post and user read), as the app's meter counted "
        "them: per UTC day, a resource read twice the same day is billed once.",
    )
    usage.add_argument("--days", type=int, default=7, help="how many UTC days (default 7)")
    usage.add_argument("--json", action="store_true", help="one JSON object per day")
    history = command(
        "history",
        "export the history of likes and unlikes",
        "Every like and unlike made for the active account, newest first.",
    )
    history.add_argument("--since", metavar="YYYY-MM-DD", help="only from this day (UTC) on")
    fmt = history.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="CSV with a header row")
    fmt.add_argument("--json", action="store_true", help="one JSON object per line")
    account = command(
        "account",
        "add, list, use or remove accounts without the full-screen app",
        "Manage accounts from a shell (over SSH, in a script). Secrets are read from a "
        "prompt without echo, or one per line from standard input when it is not a terminal; "
        "never from arguments, which other users can see in `ps`.",
    )
    account.live_note = secrets_note  # type: ignore[attr-defined]
    acc = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    add = acc.add_parser(
        "add",
        help="sign in and save an account",
        description="OAuth 1.0a: the four values from the portal, in its order: API Key, API "
        "Key Secret, Access Token, Access Token Secret. OAuth 1.0a with a PIN: the API Key and "
        "Secret, then the 7-digit PIN X shows once you approve at the printed URL. OAuth 2.0: "
        "the browser sign-in (PKCE); the URL is printed, and the redirect is taken on "
        "127.0.0.1 or pasted here.",
        epilog=exit_codes(*COMMAND_CODES["account"]),
        formatter_class=formatter,
    )
    add.live_note = secrets_note  # type: ignore[attr-defined]
    add.add_argument("name", help="a name for the account (letters, digits, _ . @ -)")
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--oauth1", action="store_true", help="OAuth 1.0a keys")
    kind.add_argument(
        "--oauth1-pin",
        action="store_true",
        help="OAuth 1.0a sign-in with a PIN: the API Key and Secret only; prints the URL to "
        "approve at (any account, in any browser) on standard error, then reads the PIN",
    )
    kind.add_argument("--oauth2", action="store_true", help="OAuth 2.0 browser sign-in")
    add.add_argument("--client-id", help="OAuth 2.0 Client ID")
    add.add_argument(
        "--owns-app",
        action="store_true",
        help="with --oauth1-pin or --oauth2: this account owns the developer App, so its own "
        "liked posts are owned reads ($0.001, not $0.005); asked at a terminal, no otherwise "
        "(keys from the portal, --oauth1, are always the owner's)",
    )
    secret_source = add.add_mutually_exclusive_group()
    secret_source.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read a confidential client's secret from standard input (first line)",
    )
    secret_source.add_argument(
        "--secret-command",
        metavar="CMD",
        help="read the secrets from this command at each start instead of storing them, "
        'e.g. "pass show x/likes" (run without a shell); it prints `field: value` lines or '
        "a JSON object: api_key, api_key_secret, access_token, access_token_secret for "
        "OAuth 1.0a, client_secret for OAuth 2.0 (whose rotating tokens are still stored)",
    )
    add.add_argument("--redirect-uri", help="OAuth 2.0 callback (default 127.0.0.1:8765)")
    for parser_ in (add,):
        _global_options(parser_, suppress=True)
    listing = acc.add_parser("list", help="the stored accounts")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    use = acc.add_parser("use", help="make an account the active one")
    use.add_argument("name")
    remove = acc.add_parser("remove", help="sign out (revoke) and delete an account")
    remove.add_argument("name")
    remove.add_argument("--yes", "-y", action="store_true", help="do not ask first")
    owns = acc.add_parser(
        "owns-app",
        help="say whether an account owns the developer App: its own liked posts are then "
        "owned reads ($0.001 each), otherwise $0.005 (what the cost meter counts)",
    )
    owns.add_argument("name")
    owns.add_argument("answer", choices=("yes", "no"))
    for parser_ in (listing, use, remove, owns):
        _global_options(parser_, suppress=True)
    return parser


def day_start(text: str) -> float:
    """`--before 2024-01-01`: the start of that UTC day."""
    from likes_tui.billing import utc_day_start

    try:
        return utc_day_start(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-01-31") from None


def probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def endpoint_limit(text: str) -> tuple[str, tuple[int, float]]:
    """`--limit liked_tweets=1/900`: an endpoint kind and its window."""
    from likes_tui.plans import parse_limit

    try:
        kind, limit = parse_limit(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return kind, (limit.count, limit.window)
