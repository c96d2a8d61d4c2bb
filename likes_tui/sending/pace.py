"""A pace the person chooses, below X's: `pace = "30 per hour"` spreads sends evenly, and
`hours = "09:00-22:00"` (local time; "22:00-06:00" runs over midnight) keeps them inside
those hours, so a big queue drips over days instead of spending every window at once. Pure:
times in, times out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
_PACE = re.compile(
    r"^\s*(\d+)\s*(?:per|a|an|/|every)?\s*(s|sec|second|m|min|minute|h|hr|hour|d|day)s?\s*$",
    re.IGNORECASE,
)
_UNIT = {"s": "second", "sec": "second", "m": "minute", "min": "minute", "h": "hour", "hr": "hour"}
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-\u2013]\s*(\d{1,2}):(\d{2})\s*$")
PACE_HELP = 'a count per second, minute, hour or day, such as "30 per hour" or "500/day"'
HOURS_HELP = 'local hours such as "09:00-22:00" ("22:00-06:00" runs over midnight)'


@dataclass(frozen=True)
class Pace:
    count: int = 0
    """Sends per `period`; 0: as fast as X allows."""
    period: float = 3600.0
    unit: str = "hour"
    hours: tuple[int, int] | None = None
    """Minutes after local midnight: [start, end); None: any time."""

    @classmethod
    def parse(cls, pace: str = "", hours: str = "") -> Pace:
        """ValueError with a message a person can act on when either cannot be read."""
        count, period, unit = 0, 3600.0, "hour"
        if pace.strip():
            found = _PACE.match(pace)
            if not found or int(found.group(1)) == 0:
                raise ValueError(f"pace {pace!r} is not {PACE_HELP}")
            unit = found.group(2).lower()
            unit = _UNIT.get(unit, unit)
            count, period = int(found.group(1)), PERIODS[unit]
        window = None
        if hours.strip():
            found = _HOURS.match(hours)
            if not found:
                raise ValueError(f"hours {hours!r} are not {HOURS_HELP}")
            h1, m1, h2, m2 = (int(g) for g in found.groups())
            if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or (h1 * 60 + m1) == (h2 * 60 + m2):
                raise ValueError(f"hours {hours!r} are not {HOURS_HELP}")
            window = (min(h1 * 60 + m1, 1440), min(h2 * 60 + m2, 1440))
        return cls(count, period, unit, window)

    @property
    def active(self) -> bool:
        return bool(self.count) or self.hours is not None

    @property
    def spacing(self) -> float:
        """Seconds between two sends at this pace."""
        return self.period / self.count if self.count else 0.0

    @property
    def rate_words(self) -> str | None:
        return f"{self.count} per {self.unit}" if self.count else None

    @property
    def hours_words(self) -> str | None:
        if self.hours is None:
            return None
        return f"{_clock(self.hours[0])}-{_clock(self.hours[1])}"

    def words(self) -> str:
        return ", ".join(part for part in (self.rate_words, self.hours_words) if part)

    def in_hours(self, now: float) -> bool:
        if self.hours is None:
            return True
        start, end = self.hours
        local = datetime.fromtimestamp(now)
        minute = local.hour * 60 + local.minute
        return start <= minute < end if start < end else minute >= start or minute < end

    def opens_at(self, now: float) -> float:
        """`now` inside the hours, else when they next begin."""
        if self.hours is None or self.in_hours(now):
            return now
        return _next_local(now, self.hours[0])

    def closes_at(self, now: float) -> float:
        """When the hours `now` is inside end (`now` itself when outside them)."""
        if self.hours is None or not self.in_hours(now):
            return now
        return _next_local(now, self.hours[1])

    def spaced(self, now: float, last_sent: float | None) -> float:
        """A spacing after the last send (or now, if that is later)."""
        if self.count and last_sent is not None:
            return max(now, last_sent + self.spacing)
        return now

    def next_send(self, now: float, last_sent: float | None) -> float:
        """The earliest time the next send may go: spaced, and inside the hours."""
        return self.opens_at(self.spaced(now, last_sent))

    def eta(self, now: float, count: int, at_least: float = 0.0) -> float:
        """Seconds until `count` sends are done at this pace, and not sooner than
        `at_least` seconds of sending (X's limits), counting only the hours."""
        if count <= 0:
            return 0.0
        needed = max(at_least, (count - 1) * self.spacing)
        if self.hours is None:
            return needed
        at = self.opens_at(now)
        for _ in range(3660):  # ten years of days: a bound, never reached in practice
            end = self.closes_at(at)
            if at + needed <= end:
                return at + needed - now
            needed -= end - at
            at = self.opens_at(end)
        return at + needed - now


def _next_local(now: float, minutes: int) -> float:
    """The first moment after `now` that is `minutes` past a local midnight."""
    local = datetime.fromtimestamp(now)
    at = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(minutes=minutes)
    if at <= local:
        at += timedelta(days=1)
    return at.timestamp()


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
