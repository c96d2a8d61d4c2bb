"""Exit statuses of the headless commands (a light module: `--help` reads it at start), and
which of them each command can end with (its `--help` lists those; the README the lot)."""

from __future__ import annotations

OK = 0
FAILED = 1
"""Something asked for was not done or needs the person: a post gone or protected, a
failure, a sign-in, credits."""
USAGE = 2
"""The command line or its input cannot work (no post in the input, say)."""
NOT_ANSWERING = 69
"""EX_UNAVAILABLE: X did not answer (timeouts, dropped connections) for about a minute; the
rest stays queued for `likes-tui resume`."""
TRY_LATER = 75
"""EX_TEMPFAIL: X's daily cap (or the daily budget, or the person's sending hours) stopped the
run; the rest stays queued for `likes-tui resume`."""
NOT_IN_PLAN = 77
"""EX_NOPERM: X refused the like or unlike for the App's plan (self-serve plans have had no
likes since 20 April 2026); everything stays queued for `likes-tui resume`."""
INTERRUPTED = 130
"""Ctrl+C: stopped cleanly, what was not sent stays queued."""
PIPE_CLOSED = 141
"""The reader of standard output went away (`| head`): stopped as at Ctrl+C."""
TERMINATED = 143
"""SIGTERM (`kill`, a service manager, a cron timeout): stopped as at Ctrl+C."""

MEANING = {
    OK: "everything asked for was done",
    FAILED: "something was not done or needs you: a post deleted or protected, a failure, "
    "a sign-in, credits, an unknown account",
    USAGE: "usage: bad options, no post in the input, an unreadable --file or archive, an "
    "invalid account name, a question that needs --yes without a terminal",
    NOT_ANSWERING: "X is not answering: no answer for about a minute (timeouts, dropped "
    "connections); the rest stays queued for `likes-tui resume`",
    TRY_LATER: "try later: X's daily cap is used up, or it is outside your sending hours; the "
    "rest stays queued for `likes-tui resume`",
    NOT_IN_PLAN: "not in the plan: X refused likes for the App's plan (self-serve plans lost "
    "them on 20 April 2026); the queue is held and kept for `likes-tui resume` once the "
    "plan includes likes",
    INTERRUPTED: "interrupted (Ctrl+C); what was not sent stays queued",
    PIPE_CLOSED: "the output's reader went away (`head` read enough); stopped as at Ctrl+C",
    TERMINATED: "terminated (SIGTERM); stopped as at Ctrl+C",
}

STOPS = (INTERRUPTED, PIPE_CLOSED, TERMINATED)
SENDS = (OK, FAILED, USAGE, NOT_ANSWERING, TRY_LATER, NOT_IN_PLAN, *STOPS)
READS = (OK, FAILED, USAGE, *STOPS)
COMMAND_CODES: dict[str, tuple[int, ...]] = {
    "like": SENDS,
    "unlike": SENDS,
    "resume": SENDS,
    "import": READS,
    "status": READS,
    "queue": READS,
    "usage": READS,
    "history": READS,
    "account": (OK, FAILED, USAGE, INTERRUPTED, TERMINATED),
}
"""The statuses each command can end with."""


def exit_codes(*codes: int) -> str:
    """The `exit status:` table of a `--help` (the formatter wraps it to the terminal)."""
    rows = [f"  {code:<4} {MEANING[code]}" for code in codes or tuple(MEANING)]
    return "exit status:\n" + "\n".join(rows)


EXIT_CODES = exit_codes()


class Stopped(KeyboardInterrupt):
    """A headless run stopped from outside; it ends as at Ctrl+C, with its own status.
    A KeyboardInterrupt, so asyncio lets it out of the event loop as it does Ctrl+C."""

    status = INTERRUPTED
    word = "stopped"


class Terminated(Stopped):
    status = TERMINATED
    word = "terminated"


class PipeClosed(Stopped):
    status = PIPE_CLOSED
    word = "output closed"
