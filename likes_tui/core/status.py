"""What the likes service publishes: immutable updates the UI renders and never edits.

Each update names its `kind`; the app and the main screen route it to the method named for
that kind (`show_<kind>`), as Textual routes messages to `on_<name>` handlers. So the UI needs
none of these classes at start-up: they load with the service, after the first paint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from likes_tui.core.posts import PostRow
    from likes_tui.core.view import QueueView


@dataclass(frozen=True)
class RowsChanged:
    kind: ClassVar[str] = "rows_changed"
    rows: tuple[PostRow, ...]
    select: str | None = None
    """Move the cursor to this post (the first of a paste)."""


@dataclass(frozen=True)
class RowsRemoved:
    kind: ClassVar[str] = "rows_removed"
    ids: tuple[str, ...]


@dataclass(frozen=True)
class RowsRestored:
    """Rows came back (undo of a removal): the list is redrawn in this order."""

    kind: ClassVar[str] = "rows_restored"
    rows: tuple[PostRow, ...]
    select: str | None = None


@dataclass(frozen=True)
class QueueChanged:
    kind: ClassVar[str] = "queue_changed"
    view: QueueView


@dataclass(frozen=True)
class Notice:
    kind: ClassVar[str] = "notice"
    message: str
    severity: str = "information"
    title: str = ""
    timeout: float = 5.0


@dataclass(frozen=True)
class AskResume:
    """Work from an earlier run waits: ask whether to send it."""

    kind: ClassVar[str] = "ask_resume"
    count: int
    held: str = ""
    """Why X stopped them last time, when it did (a plan without likes, a 402)."""


@dataclass(frozen=True)
class InlineNote:
    """The line under the URL box: what the last paste found."""

    kind: ClassVar[str] = "inline_note"
    text: str


Update = RowsChanged | RowsRemoved | RowsRestored | QueueChanged | Notice | AskResume | InlineNote
