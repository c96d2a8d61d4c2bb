"""Find X post ids in pasted text.

People paste anything: one URL, a thousand lines copied from a spreadsheet, a chat log with links
in it. Every post URL or bare id is found; text around them is ignored; things that look like a
post link but are not one (a look-alike host, an id that cannot exist) are reported with a reason,
so nothing is liked by mistake and nothing is dropped silently. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_POST_ID = 2**63 - 1
MAX_ID_DIGITS = 19
MIN_BARE_ID_DIGITS = 5
"""Bare numbers shorter than this are treated as text ("3 cats"), not as post ids."""

X_HOSTS = frozenset(
    {
        "x.com",
        "twitter.com",
        "mobile.x.com",
        "mobile.twitter.com",
        "m.twitter.com",
        "fxtwitter.com",
        "vxtwitter.com",
        "fixupx.com",
        "fixvx.com",
        "twittpr.com",
        "d.fxtwitter.com",
    }
)

_SPLIT = re.compile(r"[\s,;<>\"'()\[\]{}|\x00-\x1f\x7f]+")
_TRAILING = ".,;:!?)]}>'\"*"
_ASCII_DIGITS = re.compile(r"[0-9]+")
_ANY_DIGITS = re.compile(r"\d+")
_STATUS_WORDS = frozenset({"status", "statuses"})


@dataclass(frozen=True)
class Problem:
    """Something in the paste that looked like a post reference but could not be used."""

    text: str
    reason: str


@dataclass(frozen=True)
class ParseResult:
    ids: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    duplicates: int = 0

    @property
    def message(self) -> str:
        """One line a person can act on; empty when everything pasted was understood."""
        parts = []
        if self.problems:
            first = self.problems[0]
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            parts.append(f"{_clip(first.text)}: {first.reason}{more}")
        return "; ".join(parts)


@dataclass
class _Acc:
    ids: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    duplicates: int = 0

    def add(self, post_id: str) -> None:
        if post_id in self.seen:
            self.duplicates += 1
            return
        self.seen.add(post_id)
        self.ids.append(post_id)


def _clip(text: str, limit: int = 48) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_id(candidate: str) -> str | None:
    """Return why `candidate` cannot be a post id, or None when it can."""
    if not candidate:
        return "no post id"
    if not _ASCII_DIGITS.fullmatch(candidate):
        if _ANY_DIGITS.fullmatch(candidate):
            return "post ids use the digits 0-9 only"
        return "a post id is digits only"
    stripped = candidate.lstrip("0")
    if len(stripped) > MAX_ID_DIGITS or int(candidate) > MAX_POST_ID:
        return f"too long to be a post id (at most {MAX_ID_DIGITS} digits)"
    if int(candidate) == 0:
        return "0 is not a post id"
    return None


def is_post_id(text: str) -> bool:
    """`text` is a post id exactly as `extract_post_ids` gives one (ASCII digits, no leading
    zero, at most MAX_POST_ID): what can skip the parser."""
    return (
        text.isascii()
        and text.isdigit()
        and text[0] != "0"
        and (len(text) < MAX_ID_DIGITS or (len(text) == MAX_ID_DIGITS and int(text) <= MAX_POST_ID))
    )


def _normalise_id(candidate: str) -> str:
    return str(int(candidate))


def _id_from_path(path: str) -> tuple[str | None, str | None]:
    """(id, problem) for the path of a URL on an X host."""
    segments = [s for s in path.split("/") if s]
    for i, seg in enumerate(segments[:-1]):
        if seg.lower() in _STATUS_WORDS:
            candidate = segments[i + 1]
            problem = check_id(candidate)
            return (None, problem) if problem else (_normalise_id(candidate), None)
    return None, "an X link, but not to a post"


def _looks_like_url(token: str) -> bool:
    if "://" in token:
        return True
    head = token.split("/", 1)[0]
    return "/" in token and "." in head and not head.startswith(".")


def _parse_url(token: str, acc: _Acc) -> None:
    raw = token if "://" in token else "https://" + token
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        acc.problems.append(Problem(token, "not a valid link"))
        return
    if parts.scheme.lower() not in ("http", "https"):
        return
    if host.startswith("www."):
        host = host[4:]
    if host not in X_HOSTS:
        segments = {s.lower() for s in parts.path.split("/")}
        if segments & _STATUS_WORDS or "x.com" in host or "twitter.com" in host:
            acc.problems.append(Problem(token, f"{_clip(host, 40)} is not an X or Twitter address"))
        return
    post_id, problem = _id_from_path(parts.path)
    if post_id:
        acc.add(post_id)
    elif problem:
        acc.problems.append(Problem(token, problem))


def _is_list_token(token: str) -> bool:
    """A token that may stand in a list of ids: a link, a number, or bare punctuation (a
    bullet, a list number's dot)."""
    bare = token.lstrip("#")
    return (
        _looks_like_url(token)
        or bool(_ANY_DIGITS.fullmatch(bare))
        or not any(ch.isalnum() for ch in token)
    )


def extract_post_ids(text: str) -> ParseResult:
    """Every post id referenced in `text`, in order of first appearance, without duplicates.

    Links are found anywhere. A bare number is an id only where it stands alone: on a line
    that holds nothing but ids, links and separators ("1228393702244134912", "id1, id2",
    "- id"). In a line of prose ("order #12345, phone 5551234567") numbers are text."""
    acc = _Acc()
    prose_numbers = 0
    for line in text.splitlines() or [text]:
        tokens = [t for t in (raw.rstrip(_TRAILING) for raw in _SPLIT.split(line)) if t]
        listy = all(_is_list_token(t) for t in tokens)
        for token in tokens:
            if _looks_like_url(token):
                _parse_url(token, acc)
                continue
            bare = token.lstrip("#")
            if not _ANY_DIGITS.fullmatch(bare) or len(bare) < MIN_BARE_ID_DIGITS:
                continue
            if not listy:
                prose_numbers += 1
            elif not _ASCII_DIGITS.fullmatch(bare):
                acc.problems.append(Problem(token, "post ids use the digits 0-9 only"))
            elif problem := check_id(bare):
                acc.problems.append(Problem(token, problem))
            else:
                acc.add(_normalise_id(bare))
    if not acc.ids and not acc.problems and text.strip():
        reason = (
            "numbers inside text are not taken as post ids; paste ids on their own lines"
            if prose_numbers
            else "no post URL or id found"
        )
        acc.problems.append(Problem(text.strip(), reason))
    return ParseResult(tuple(acc.ids), tuple(acc.problems), acc.duplicates)
