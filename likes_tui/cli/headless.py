"""Headless runs for scripts and cron: `likes-tui like ...` and `likes-tui resume`.

The same queue, sender and history as the app, through the same likes service, printing one
line (or one JSON object) per event. A post is left out only when X says it is gone or
protected, or history says it is already in the wanted state; a lookup that failed for a
passing reason does not hold a like back, since a like needs only the id. The exit status
says whether everything asked for was done (see EXIT_CODES).
"""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from likes_tui.api.errors import XError
from likes_tui.cli.output import Output
from likes_tui.core.batch import Batch
from likes_tui.core.context import AppContext
from likes_tui.domain import Action, HoldReason, Outcome, WaitReason
from likes_tui.sending.sender import (
    Event,
    Failed,
    Paused,
    Resending,
    Sent,
    Unavailable,
    Waiting,
)
from likes_tui.store.files import StoreError
from likes_tui.store.seen import SeenIds
from likes_tui.urls import ParseResult, extract_post_ids, is_post_id

if TYPE_CHECKING:
    from likes_tui.core.service import LikesService
    from likes_tui.sending.pace import Pace

from likes_tui.cli.exits import (
    EXIT_CODES,
    FAILED,
    INTERRUPTED,
    NOT_ANSWERING,
    NOT_IN_PLAN,
    OK,
    TRY_LATER,
    USAGE,
)

__all__ = [
    "EXIT_CODES",
    "FAILED",
    "INTERRUPTED",
    "NOT_ANSWERING",
    "NOT_IN_PLAN",
    "OK",
    "TRY_LATER",
    "USAGE",
    "run",
]


class Printer:
    """Turns the sender's events into output events."""

    def __init__(
        self,
        out: Output,
        clock: Callable[[], float] = time.time,
        pace: Callable[[], Pace] | None = None,
    ) -> None:
        self.out = out
        self.clock = clock
        self.pace = pace
        """Names the pace in waiting lines."""

    def __call__(self, event: Event) -> None:
        out = self.out
        if isinstance(event, Sent):
            item = event.item
            word = "liked" if event.liked else "unliked"
            out.event(
                "sent",
                f"{word} {item.post_id} {item.author}".rstrip(),
                post_id=item.post_id,
                action=item.action,
                author=item.author,
            )
        elif isinstance(event, Failed):
            item = event.item
            final = "gave up" if event.final else "will retry"
            out.event(
                "failed",
                f"failed {item.post_id}: {event.message} ({final})",
                post_id=item.post_id,
                action=item.action,
                reason=event.message,
                final=event.final,
            )
        elif isinstance(event, Unavailable):
            skipped(out, event.item.post_id, event.message, event.item.post_id)
        elif isinstance(event, Waiting):
            seconds = max(0, int(event.until - self.clock()))
            if event.reason in (WaitReason.PACE, WaitReason.HOURS):
                pace = self.pace().words() if self.pace else ""
                what = "your pace" if event.reason is WaitReason.PACE else "your sending hours"
                line = f"waiting {seconds}s for {what}" + (f" ({pace})" if pace else "")
            elif event.reason is WaitReason.OTHER_SENDER:
                who = f" (pid {event.holder})" if event.holder else ""
                line = (
                    f"waiting: another likes-tui{who} is sending this account's queue, "
                    "these posts included"
                )
            else:
                what = (
                    f"daily {event.action} cap"
                    if event.reason is WaitReason.DAILY_CAP and event.action
                    else str(event.reason)
                )
                line = f"waiting {seconds}s for the {what}"
            out.event("waiting", line, reason=str(event.reason), until=event.until, seconds=seconds)
        elif isinstance(event, Resending):
            out.say(
                f"sending {event.count} again: an earlier run stopped before X's answer "
                "was recorded"
            )
        elif isinstance(event, Paused):
            out.event("paused", f"paused: {event.message}", reason=event.message)


DIGIT_RUNS = re.compile(r"\d{5,19}")


def skipped(
    out: Output, text: str, reason: str, post_id: str | None = None, note: str = ""
) -> None:
    """One `skipped` event: a post left out, or text that is not a post. `note` goes on the
    printed line only."""
    what = f"{text[:60]!r}" if post_id is None else post_id
    out.event(
        "skipped",
        f"skipped {what}: {reason}{note}",
        post_id=post_id,
        text=text[:200],
        reason=reason,
    )


class PostIds(tuple[str, ...]):
    """Post ids known to be well formed (an archive's, the imported likes' an `unlike
    --archived` picks): queued as they are, not written out as text and parsed again."""


def find_posts(text: str | PostIds, out: Output) -> ParseResult:
    """The post ids in `text`; each piece that is not a post is reported as skipped, and so
    is each line with no post in it (only those lines are parsed again)."""
    if isinstance(text, PostIds):
        if all(is_post_id(post_id) for post_id in text):
            return ParseResult(tuple(dict.fromkeys(text)))
        text = "".join(f"{post_id}\n" for post_id in text)  # say what is wrong, as for text
    result = extract_post_ids(text)
    for problem in result.problems:
        skipped(out, problem.text, problem.reason)
    ids = set(result.ids)
    reported = [problem.text for problem in result.problems]
    for line in text.splitlines():
        piece = line.strip()
        if not piece or piece in ids or any(run in ids for run in DIGIT_RUNS.findall(piece)):
            continue
        if any(problem in piece for problem in reported):
            continue
        found = extract_post_ids(piece)
        if not found.ids:
            skipped(out, piece, found.problems[0].reason if found.problems else "no post URL or id")
    return result


CHUNK_LINES = 20_000
"""Input lines read, queued and reported at a time: a million-line --file takes the memory of
one chunk, not of a million queued rows held at once."""

Input = str | Iterable[str | PostIds]
"""What a run is given: text, or its lines (each ending in a newline) with runs of known ids
among them, read only as each chunk is needed."""


def chunks(given: Input) -> Iterator[str | PostIds]:
    """Blocks of at most CHUNK_LINES lines, or of as many known ids, in the input's order."""
    if isinstance(given, str):
        given = io.StringIO(given)
    lines: list[str] = []
    for item in given:
        if isinstance(item, PostIds):
            if lines:
                yield "".join(lines)
                lines = []
            for start in range(0, len(item), CHUNK_LINES):
                yield PostIds(item[start : start + CHUNK_LINES])
            continue
        lines.append(item)
        if len(lines) == CHUNK_LINES:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


@dataclass
class Tally:
    """What queueing a whole input did, counted (a chunk's details are printed as it goes)."""

    found: int = 0
    queued: int = 0
    duplicate: int = 0
    already: int = 0
    unavailable: int = 0
    not_posts: int = 0


async def queue_text(
    service: LikesService,
    text: Input,
    action: Action,
    out: Output,
    *,
    force: bool = False,
    look_up: bool = False,
) -> Tally:
    """Find post ids in `text` and queue them through the service, a chunk at a time; say
    what happened. Returns the counts (`found` is how many ids the text held)."""
    tally = Tally()
    seen = SeenIds()  # a post named twice is one action, however far apart
    done = f"already {action}d"
    blocks = chunks(text)

    def read_next() -> tuple[ParseResult, list[str], str] | None:
        """The next chunk, parsed, its new ids, and what parsing it has to say (printed
        once the chunk before it has said its own)."""
        block = next(blocks, None)
        if block is None:
            return None
        said = io.StringIO()
        result = find_posts(block, Output(out.mode, said, out.err))
        return result, seen.fresh(list(result.ids)), said.getvalue()

    # Chunk N+1 is read and parsed on its own thread while chunk N is queued: SQLite
    # inserts without holding the GIL, and at 100,000 lines this takes 1.96 s to 1.59 s.
    loop = asyncio.get_running_loop()
    queueing: asyncio.Task[None] | None = None
    with ThreadPoolExecutor(1, thread_name_prefix="likes-tui-read") as reader:
        try:
            while parsed := await loop.run_in_executor(reader, read_next):
                if queueing is not None:
                    await queueing
                result, ids, said = parsed
                out.replay(said)
                tally.not_posts += len(result.problems)
                queueing = None
                if ids:
                    queueing = asyncio.ensure_future(
                        _queue_chunk(service, ids, action, out, tally, force, look_up)
                    )
            if queueing is not None:
                await queueing
        finally:
            if queueing is not None and not queueing.done():
                queueing.cancel()
            seen.close()
    if not tally.found:
        return tally
    words = [f"{tally.queued} queued"]
    if tally.duplicate:
        words.append(f"{tally.duplicate} queued already")
    if tally.already:
        words.append(f"{tally.already} {done}")
    if tally.unavailable:
        words.append(f"{tally.unavailable} not available")
    if tally.not_posts:
        words.append(f"{tally.not_posts} not a post")
    out.say(", ".join(words))
    return tally


async def _queue_chunk(
    service: LikesService,
    ids: list[str],
    action: Action,
    out: Output,
    tally: Tally,
    force: bool,
    look_up: bool,
) -> None:
    """Queue one chunk's new ids, say what happened to each, and count it in `tally`."""
    tally.found += len(ids)
    report = await Batch(service).queue_posts(ids, action, force=force, look_up=look_up)
    for post_id in report.already:
        skipped(out, post_id, f"already {action}d", post_id, " (history; --force sends it again)")
    for post_id, reason in report.unavailable.items():
        skipped(out, post_id, reason, post_id)
    if report.unchecked:
        why = next(iter(report.unchecked.values()))
        note = (
            "X's lookup limit is reached" if report.lookup_limited else f"the lookup failed ({why})"
        )
        out.say(f"{len(report.unchecked)} queued without a lookup: {note}")
    for post_id, outcome in report.outcomes.items():
        if outcome is Outcome.QUEUED:
            out.event("queued", f"queued {post_id}", post_id=post_id, action=str(action))
    tally.queued += report.count(Outcome.QUEUED)
    tally.duplicate += report.count(Outcome.DUPLICATE)
    tally.already += len(report.already)
    tally.unavailable += len(report.unavailable)


def say_estimate(
    service: LikesService, out: Output, action: Action, count: int, reads: int
) -> None:
    estimate = service.estimate(action, count, reads=reads)
    out.event(
        "estimate",
        estimate.words(),
        count=count,
        action=str(action),
        usd=estimate.cost_usd,
        reads_usd=estimate.reads_usd,
        eta_seconds=round(estimate.eta_seconds),
    )


async def dry_run(
    service: LikesService,
    text: Input,
    action: Action,
    out: Output,
    *,
    force: bool = False,
    look_up: bool = False,
) -> int:
    """`like --dry-run`: what would be sent, which reads it would make, what it would cost
    and how long it would take; nothing goes to X."""
    done = f"already {action}d"
    seen = SeenIds()
    found = todo = 0
    try:
        for block in chunks(text):
            ids = seen.fresh(list(find_posts(block, out).ids))
            found += len(ids)
            sending = ids if force else await Batch(service).not_done(ids, action)
            chosen = set(sending)
            for post_id in ids:
                if post_id not in chosen:
                    skipped(out, post_id, done, post_id, " (history)")
            for post_id in sending:
                out.event(
                    "would-send", f"would {action} {post_id}", post_id=post_id, action=str(action)
                )
            todo += len(sending)
    finally:
        seen.close()
    if not found:
        out.error("no post URL or id in the input.")
        return USAGE
    reads = todo if look_up else 0
    prices = service.ctx.settings.prices
    usd = round(reads * (prices.post_read + prices.user_read), 6)
    line = (
        f"would read {reads} posts and their authors first (--look-up): up to ${usd:.3f}, "
        "less for posts and authors read today"
        if reads
        else "would read nothing from X: a like needs only the id (--look-up reads each post "
        f"and its author first, up to ${prices.post_read + prices.user_read:.3f} a post)"
    )
    out.event("would-read", line, posts=reads, users=reads, usd=usd)
    say_estimate(service, out, action, todo, reads)
    out.say("dry run: nothing was sent to X.")
    return OK


async def send_pending(
    service: LikesService, out: Output, tally: Tally, action: Action | None = None
) -> int:
    """Send everything queued for the account; the exit status (see EXIT_CODES). `action`
    names what was sent in the summary; None (`resume`: likes and unlikes alike) says sent."""
    result = await Batch(service).send_all()
    already = tally.already
    gone = tally.unavailable + result.unavailable
    status = OK
    if result.held_for is HoldReason.PLAN:
        status = NOT_IN_PLAN
    elif result.held_for is HoldReason.NOT_ANSWERING:
        status = NOT_ANSWERING
    elif (result.stopped_at_daily_cap or result.held_for is HoldReason.HOURS) and not result.failed:
        status = TRY_LATER
    elif result.held is not None or result.failed or gone:
        status = FAILED
    word = {Action.LIKE: "liked", Action.UNLIKE: "unliked", None: "sent"}[action]
    parts = [f"{word} {result.sent}"]
    if already:
        parts.append(f"already {word} {already}")
    if gone:
        parts.append(f"not available {gone}")
    parts.append(f"failed {result.failed}")
    out.event(
        "summary",
        f"{', '.join(parts)}; {result.unsent} left in the queue",
        sent=result.sent,
        already=already,
        unavailable=gone,
        failed=result.failed,
        left=result.unsent,
        exit=status,
    )
    if out.mode == "quiet" and status != OK:
        out.error(f"{', '.join(parts)}; {result.unsent} left in the queue")
    return status


async def run(
    ctx: AppContext,
    text: Input | None,
    action: str,
    out: Output | TextIO | None = None,
    *,
    force: bool = False,
    dry: bool = False,
    look_up: bool = False,
) -> int:
    """`like` (text given) or `resume` (None): queue, send, and say how it went. `dry`:
    only say what would be sent and what it would cost."""
    from likes_tui.core.service import LikesService

    if not isinstance(out, Output):
        out = Output("text", out, out) if out is not None else Output()
    if ctx.profile is None:
        out.error("no account set up; run `likes-tui account add` or likes-tui to sign in.")
        return FAILED
    service = LikesService(ctx, lambda update: None, on_sender=Printer(out, ctx.clock, ctx.pace))
    try:
        tally = Tally()
        if text is not None and dry:
            return await dry_run(service, text, Action(action), out, force=force, look_up=look_up)
        if text is not None:
            tally = await queue_text(
                service, text, Action(action), out, force=force, look_up=look_up
            )
            if not tally.found:
                out.error("no post URL or id in the input.")
                return USAGE
            if tally.queued > ctx.settings.confirm_above:
                say_estimate(service, out, Action(action), tally.queued, 0)
        else:
            retried = await Batch(service).retry_retryable()
            if retried:
                out.say(f"retrying {retried} that failed earlier")
        return await send_pending(service, out, tally, Action(action) if text else None)
    except (XError, StoreError) as exc:
        out.error(exc.message)
        return FAILED
    finally:
        await service.close()
