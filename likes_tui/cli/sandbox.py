"""`likes-tui sandbox`: serve the X emulator on 127.0.0.1 and print how to use it."""

from __future__ import annotations

import argparse


def run_sandbox(args: argparse.Namespace) -> int:
    from likes_tui.sandbox import (
        DEMO_ACCESS_TOKEN,
        DEMO_ACCESS_TOKEN_SECRET,
        DEMO_API_KEY,
        DEMO_API_KEY_SECRET,
        DEMO_BEARER,
        DEMO_CLIENT_ID,
        XSandbox,
    )
    from likes_tui.sandbox.limits import DAILY_LIMITS, DEFAULT_LIMITS
    from likes_tui.sandbox.server import SandboxServer

    limits = dict(DEFAULT_LIMITS)
    limits["like"] = (args.like_limit, args.window)
    limits["unlike"] = (args.like_limit, args.window)
    daily = {"like": (args.daily_cap, DAILY_LIMITS["like"][1])}
    sandbox = XSandbox(post_count=args.posts, limits=limits, daily_limits=daily)
    sandbox.faults.error_rate = args.error_rate
    sandbox.faults.drop_rate = args.drop_rate
    sandbox.faults.latency = args.latency
    sandbox.faults.trickle = args.trickle
    sandbox.faults.fault_on = args.fault_on
    try:
        server = SandboxServer(sandbox, args.port)
    except OSError as exc:
        print(f"likes-tui sandbox: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}")
        return 1
    base = server.base_url
    print(
        f"""X API sandbox listening on {base}  (Ctrl+C stops it)

  demo user            @likes_tui_demo  id {sandbox.demo_user_id}
  OAuth 2.0 token      {DEMO_BEARER}
  OAuth 2.0 client id  {DEMO_CLIENT_ID}  (public client; authorize auto-approves)
  OAuth 1.0a keys      API Key {DEMO_API_KEY}
                       API Key Secret {DEMO_API_KEY_SECRET}
                       Access Token {DEMO_ACCESS_TOKEN}
                       Access Token Secret {DEMO_ACCESS_TOKEN_SECRET}

Try:
  curl -H 'Authorization: Bearer {DEMO_BEARER}' {base}/2/users/me
  curl -X POST -H 'Authorization: Bearer {DEMO_BEARER}' -H 'Content-Type: application/json' \\
       -d '{{"tweet_id": "1228393702244134912"}}' {base}/2/users/{sandbox.demo_user_id}/likes
  likes-tui --api-base {base}
""",
        flush=True,
    )
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0
