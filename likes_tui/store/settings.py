"""Settings in a small, human-editable TOML file."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from likes_tui.billing import DEFAULT_PRICES, Prices
from likes_tui.store import platform
from likes_tui.store.files import Locations, StoreError, atomic_write, quarantine

if TYPE_CHECKING:
    from likes_tui.store.profiles import SecretPolicy

RESUME_CHOICES = ("ask", "auto")
SECRET_STORES = ("auto", "keyring", "file")


@dataclass(frozen=True)
class Settings:
    active_profile: str = ""
    auto_like: bool = False
    resume_pending: str = "ask"
    theme: str = "textual-dark"
    api_base: str = ""
    secret_store: SecretPolicy = "auto"
    confirm_above: int = 20
    sync_likes_at_start: bool = False
    daily_budget_usd: float = 0.0
    pace: str = ""
    hours: str = ""
    price_like: float = DEFAULT_PRICES.like
    price_unlike: float = DEFAULT_PRICES.unlike
    price_post_read: float = DEFAULT_PRICES.post_read
    price_user_read: float = DEFAULT_PRICES.user_read
    price_owned_read: float = DEFAULT_PRICES.owned_read
    price_like_read: float = DEFAULT_PRICES.like_read

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def prices(self) -> Prices:
        return Prices(
            like=self.price_like,
            unlike=self.price_unlike,
            post_read=self.price_post_read,
            user_read=self.price_user_read,
            owned_read=self.price_owned_read,
            like_read=self.price_like_read,
        )


_HELP = {
    "active_profile": "the account used at start (a file name in profiles/, without .json)",
    "auto_like": "like every post found in a paste without a keystroke each",
    "resume_pending": 'unfinished likes at start: "ask" or "auto" (resume at once)',
    "theme": "any Textual theme name",
    "api_base": 'X API base URL; empty means "https://api.x.com"',
    "secret_store": 'where accounts keep their secrets: "auto" (the OS keyring when one is '
    'usable, else an owner-only file), "keyring" or "file"; an account moves on its next use',
    "confirm_above": "ask before liking, unliking or undoing more posts than this at once",
    "daily_budget_usd": "pause the queue before today's spend (UTC) would pass this many US "
    "dollars, and ask before lookups over it; 0 is off",
    "pace": 'send at most this many, evenly spaced, below X\'s limits: "30 per hour", '
    '"500/day"; empty is as fast as X allows',
    "hours": 'send only between these local times, such as "09:00-22:00"; empty is any time',
    "sync_likes_at_start": "read your 100 latest likes from X at each start, so posts liked "
    "elsewhere show as liked (X bills it: up to about $0.10 of owned reads and $1.00 of authors)",
    "price_like": f"US dollars X bills per like (published rate, read {DEFAULT_PRICES.read_on})",
    "price_unlike": "US dollars X bills per unlike",
    "price_post_read": "US dollars per post read (once per post per UTC day)",
    "price_user_read": "US dollars per user read, an expanded author too (once a UTC day)",
    "price_owned_read": "US dollars per read of your own liked posts (the App's owner only)",
    "price_like_read": "US dollars per user read from a post's likers (X's \"Like: Read\")",
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def dumps(settings: Settings) -> str:
    lines = ["# likes-tui settings. Edit freely; unknown keys are ignored.", ""]
    for f in fields(settings):
        lines.append(f"# {_HELP[f.name]}")
        lines.append(f"{f.name} = {_toml_value(getattr(settings, f.name))}")
    return "\n".join(lines) + "\n"


def load(loc: Locations) -> tuple[Settings, str | None]:
    """The settings and, if the file was unusable, a message saying where it was moved."""
    path = loc.settings
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as exc:
        raise StoreError(
            f"Cannot read {path}: {exc.strerror}. {platform.FIX_FILE_ACCESS}", path
        ) from None
    import tomllib  # only when there is a file: a first run or --demo starts without it

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        moved = quarantine(path)
        return (
            Settings(),
            f"{path} was not valid TOML ({exc}); moved to {moved.name}, using defaults.",
        )
    values: dict[str, object] = {}
    for f in fields(Settings):
        value = data.get(f.name)
        if isinstance(f.default, float) and type(value) is int:
            value = float(value)  # `daily_budget_usd = 2` means 2.0
        if value is not None and type(value) is type(f.default):
            values[f.name] = value
    settings = Settings(**values)  # type: ignore[arg-type]
    if settings.resume_pending not in RESUME_CHOICES:
        settings = settings.with_(resume_pending="ask")
    if settings.secret_store not in SECRET_STORES:
        return settings.with_(secret_store="auto"), (
            f"{path}: secret_store = {settings.secret_store!r} is not one of "
            f'{", ".join(SECRET_STORES)}; using "auto".'
        )
    return settings, None


def save(loc: Locations, settings: Settings) -> None:
    atomic_write(loc.settings, dumps(settings).encode(), mode=0o600)
