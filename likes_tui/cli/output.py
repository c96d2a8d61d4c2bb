"""What headless commands print: short plain lines for people, or one JSON object per event
for programs (`--json`), or nothing but errors (`--quiet`).

JSON events, one object per line, with these keys (stable; new keys may be added):

  {"event": "queued",  "post_id": str, "action": "like"|"unlike"}
  {"event": "skipped", "post_id": str|null, "text": str, "reason": str}
  {"event": "sent",    "post_id": str, "action": str, "author": str}
  {"event": "failed",  "post_id": str, "action": str, "reason": str, "final": bool}
  {"event": "waiting", "reason": str, "until": float, "seconds": int}
  {"event": "paused",  "reason": str}
  {"event": "summary", "sent": int, "already": int, "unavailable": int, "failed": int,
                       "left": int, "exit": int}
  {"event": "interrupted", "left": int, "exit": 130|141|143}
  {"event": "imported", "found": int, "new": int, "total": int, "archived_at": float}
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

EVENT_KEYS: dict[str, tuple[str, ...]] = {
    "queued": ("post_id", "action"),
    "skipped": ("post_id", "text", "reason"),
    "sent": ("post_id", "action", "author"),
    "failed": ("post_id", "action", "reason", "final"),
    "waiting": ("reason", "until", "seconds"),
    "paused": ("reason",),
    "summary": ("sent", "already", "unavailable", "failed", "left", "exit"),
    "interrupted": ("left", "exit"),
    "would-send": ("post_id", "action"),
    "would-read": ("posts", "users", "usd"),
    "estimate": ("count", "action", "usd", "reads_usd", "eta_seconds"),
    "imported": ("found", "new", "total", "archived_at"),
}
"""The documented keys of each event (tests hold the output to them)."""


class Output:
    def __init__(
        self, mode: str = "text", out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.mode = mode
        """"text", "json" or "quiet"."""
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def event(self, kind: str, line: str, **fields: Any) -> None:
        """One event: `line` for people, `fields` (the documented keys) for programs."""
        if self.mode == "json":
            self._print(json.dumps({"event": kind, **fields}), self.out)
        elif self.mode == "text":
            self._print(line, self.out)

    def say(self, line: str) -> None:
        """A line for people only (not an event)."""
        if self.mode == "text":
            self._print(line, self.out)

    def replay(self, said: str) -> None:
        """Lines another Output wrote into a buffer, printed here now."""
        if said:
            self._print(said.removesuffix("\n"), self.out)

    def error(self, line: str) -> None:
        self._print(f"likes-tui: {line}", self.err)

    @staticmethod
    def _print(line: str, stream: TextIO) -> None:
        """A closed pipe (`| head` has read enough) stops the run as Ctrl+C does."""
        try:
            print(line, file=stream, flush=True)
        except BrokenPipeError:
            from likes_tui.cli.exits import PipeClosed

            raise PipeClosed from None


class Lines:
    """Many lines to standard output, written a thousand at a time: `history` and `queue
    list` print one line per row, and a print and a flush per row was a tenth of exporting
    100,000. What is written goes out by the end of the `with` (or at a closed pipe, which
    raises BrokenPipeError as print does)."""

    def __init__(self, stream: TextIO | None = None, every: int = 1000) -> None:
        self.stream = stream or sys.stdout
        self.every = every
        self._held: list[str] = []

    def __enter__(self) -> Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()

    def add(self, line: str) -> None:
        self._held.append(line)
        if len(self._held) >= self.every:
            self.flush()

    def flush(self) -> None:
        if self._held:
            held, self._held = self._held, []
            self.stream.write("\n".join(held) + "\n")
        self.stream.flush()
