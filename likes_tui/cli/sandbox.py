"""`likes-tui sandbox`: serve the X emulator on 127.0.0.1 and print how to use it."""

from __future__ import annotations

import argparse
import sys


def banner(base: str, approver: str) -> str:
    """What the sandbox prints first: where it listens and every credential it accepts, as
    the developer portal would show them."""
    from likes_tui.sandbox.demo import (
        ACCOUNTS,
        DEMO_API_KEY,
        DEMO_API_KEY_SECRET,
        DEMO_APP_BEARER,
        DEMO_CLIENT_ID,
        DEMO_CONFIDENTIAL_ID,
        DEMO_CONFIDENTIAL_SECRET,
    )

    demo = ACCOUNTS[0]
    lines = [
        f"X API sandbox listening on {base}  (Ctrl+C stops it)",
        "",
        "The App (developer portal → Keys and tokens)",
        f"  API Key                {DEMO_API_KEY}",
        f"  API Key Secret         {DEMO_API_KEY_SECRET}",
        f"  Bearer Token           {DEMO_APP_BEARER}",
        "                         (app-only: reads public posts; X refuses it for likes)",
        f"  OAuth 2.0 Client ID    {DEMO_CLIENT_ID}  (public client)",
        f"  confidential client    {DEMO_CONFIDENTIAL_ID} / {DEMO_CONFIDENTIAL_SECRET}",
        f"  sign-ins approve as    @{approver}  (sandbox_user=NAME on the authorize URL)",
        "",
        "Accounts",
    ]
    for account in ACCOUNTS:
        lines += [
            f"  @{account.username}  id {account.user_id}",
            f"    OAuth 2.0 token      {account.bearer}",
            f"    Access Token         {account.access_token}",
            f"    Access Token Secret  {account.access_token_secret}",
        ]
    lines += [
        "",
        "Try:",
        f"  curl -H 'Authorization: Bearer {demo.bearer}' {base}/2/users/me",
        f"  curl -X POST -H 'Authorization: Bearer {demo.bearer}' "
        "-H 'Content-Type: application/json' \\",
        f'       -d \'{{"tweet_id": "1228393702244134912"}}\' {base}/2/users/{demo.user_id}/likes',
        f"  likes-tui --api-base {base}",
        "",
    ]
    return "\n".join(lines)


def run_sandbox(args: argparse.Namespace) -> int:
    from likes_tui.sandbox import XSandbox
    from likes_tui.sandbox.limits import DAILY_LIMITS, DEFAULT_LIMITS
    from likes_tui.sandbox.server import SandboxServer

    # a file or a pipe gets each line as it is printed, not at exit
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    limits = dict(DEFAULT_LIMITS)
    limits["like"] = (args.like_limit, args.window)
    limits["unlike"] = (args.like_limit, args.window)
    daily = {"like": (args.daily_cap, DAILY_LIMITS["like"][1])}
    sandbox = XSandbox(
        post_count=args.posts,
        limits=limits,
        daily_limits=daily,
        legacy_problems=args.legacy_problem_types,
    )
    if not any(u.username == args.approve_as for u in sandbox.users.values()):
        print(f"likes-tui sandbox: no sandbox account is called {args.approve_as!r}.")
        return 2
    sandbox.approver = args.approve_as
    sandbox.faults.error_rate = args.error_rate
    sandbox.faults.drop_rate = args.drop_rate
    sandbox.faults.latency = args.latency
    sandbox.faults.trickle = args.trickle
    sandbox.faults.fault_on = args.fault_on
    try:
        server = SandboxServer(sandbox, args.port, log=None if args.quiet else print)
    except OSError as exc:
        print(f"likes-tui sandbox: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}")
        return 1
    print(banner(server.base_url, args.approve_as), flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0
