"""`likes-tui sandbox`: serve the X emulator on 127.0.0.1 and print how to use it."""

from __future__ import annotations

import argparse
import sys


def banner(
    base: str, approver: str, plan: str = "enterprise", money: str = "", liked: str = ""
) -> str:
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
        f"  plan                   {plan}"
        + ("  (likes and unlikes refused with 403)" if plan == "self-serve" else ""),
        *([f"  billing                {money}"] if money else []),
        *([f"  starts with            {liked}"] if liked else []),
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
    from likes_tui.plans import DAILY, Plan
    from likes_tui.sandbox import XSandbox
    from likes_tui.sandbox.limits import windows_for
    from likes_tui.sandbox.server import SandboxServer

    # a file or a pipe gets each line as it is printed, not at exit
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    plan = Plan(args.plan)
    limits = windows_for(plan)
    limits["like"] = limits["unlike"] = (args.like_limit, args.window)
    limits.update(dict(args.limit))
    daily = {kind: (args.daily_cap, cap.window) for kind, cap in DAILY.items()}
    sandbox = XSandbox(
        post_count=args.posts,
        plan=plan,
        limits=limits,
        daily_limits=daily,
        legacy_problems=args.legacy_problem_types,
        credits=args.credits,
        spending_limit=args.spending_limit,
        auto_recharge=args.auto_recharge,
    )
    if not any(u.username == args.approve_as for u in sandbox.users.values()):
        print(f"likes-tui sandbox: no sandbox account is called {args.approve_as!r}.")
        return 2
    sandbox.approver = args.approve_as
    liked = ""
    if args.liked_from:
        from likes_tui.archive import ArchiveError, open_archive

        try:
            archive = open_archive(args.liked_from)
            owner = archive.account_id if archive.account_id in sandbox.users else None
            count = sandbox.load_likes(archive.likes(), owner)
        except ArchiveError as exc:
            print(f"likes-tui sandbox: --liked-from: {exc.message}")
            return 2
        who = sandbox.users[owner or sandbox.demo_user_id].username
        liked = f"{count} likes of @{who} from {args.liked_from}"
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
    money = ", ".join(
        part
        for part in (
            f"${args.credits:.2f} of credits" if args.credits is not None else "",
            f"spending limit ${args.spending_limit:.2f}" if args.spending_limit is not None else "",
            f"auto-recharge ${args.auto_recharge:.2f}" if args.auto_recharge else "",
        )
        if part
    )
    print(banner(server.base_url, args.approve_as, str(plan), money, liked), flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0
