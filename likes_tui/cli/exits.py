"""Exit statuses of the headless commands (a light module: `--help` reads it at start)."""

from __future__ import annotations

OK = 0
FAILED = 1
"""Something asked for was not done or needs the person: a post gone or protected, a
failure, a sign-in, credits."""
USAGE = 2
"""The command line or its input cannot work (no post in the input, say)."""
TRY_LATER = 75
"""EX_TEMPFAIL: X's daily cap (or a budget) stopped the run; the rest stays queued for
`likes-tui resume`."""
NOT_IN_PLAN = 77
"""EX_NOPERM: X refused the like or unlike for the App's plan (self-serve plans have had no
likes since 20 April 2026); everything stays queued for `likes-tui resume`."""
INTERRUPTED = 130
"""Ctrl+C: stopped cleanly, what was not sent stays queued."""

EXIT_CODES = """exit status:
  0    everything asked for was done
  1    something was not done or needs you: a post deleted or protected, a failure,
       a sign-in, credits
  2    usage: bad options, no post in the input, an unreadable --file
  75   try later: X's daily cap is used up; the rest stays queued for `likes-tui resume`
  77   not in the plan: X refused likes for the App's plan (self-serve plans lost them
       on 20 April 2026); the queue is kept for `likes-tui resume`
  130  interrupted (Ctrl+C); what was not sent stays queued"""
