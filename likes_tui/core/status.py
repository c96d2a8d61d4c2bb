"""What the likes service publishes: immutable updates the UI renders and never edits.

The app turns each into its Textual message (likes_tui/messages.py: one per kind), handled
by the app or the main screen. The UI needs none of these classes at start-up: they load
with the service, after the first paint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from likes_tui.core.posts import PostRow
    from likes_tui.core.view import QueueView


Severity = Literal["information", "warning", "error"]
"""How a notice is shown (Textual's own levels)."""


@dataclass(frozen=True)
class RowsChanged:
    rows: tuple[PostRow, ...]
    select: str | None = None
    """Move the cursor to this post (the first of a paste)."""


@dataclass(frozen=True)
class RowsRemoved:
    ids: tuple[str, ...]


@dataclass(frozen=True)
class RowsRestored:
    """Rows came back (undo of a removal): the list is redrawn in this order."""

    rows: tuple[PostRow, ...]
    select: str | None = None


@dataclass(frozen=True)
class QueueChanged:
    view: QueueView


@dataclass(frozen=True)
class Notice:
    message: str
    severity: Severity = "information"
    title: str = ""
    timeout: float = 5.0


@dataclass(frozen=True)
class AskResume:
    """Work from an earlier run waits: ask whether to send it."""

    count: int
    held: str = ""
    """Why X stopped them last time, when it did (a plan without likes, a 402)."""


@dataclass(frozen=True)
class InlineNote:
    """The line under the URL box: what the last paste found."""

    text: str


Update = RowsChanged | RowsRemoved | RowsRestored | QueueChanged | Notice | AskResume | InlineNote
