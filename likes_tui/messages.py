"""The app's own messages, in one place, so the data flow reads from one file.

Plain classes with an __init__, as in Textual's docs (a dataclass costs start-up a compile of
each generated method)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from likes_tui.core.accounts import Profile, ProfileInfo
    from likes_tui.core.status import (
        AskResume,
        InlineNote,
        Notice,
        QueueChanged,
        RowsChanged,
        RowsRemoved,
        RowsRestored,
        Update,
    )

# What the likes service publishes, one message per kind of update (the app routes them:
# notices and the resume question to itself, the rest to the main screen).


class RowsUpdated(Message):
    def __init__(self, update: RowsChanged) -> None:
        super().__init__()
        self.update = update


class RowsGone(Message):
    def __init__(self, update: RowsRemoved) -> None:
        super().__init__()
        self.update = update


class RowsBack(Message):
    def __init__(self, update: RowsRestored) -> None:
        super().__init__()
        self.update = update


class QueueUpdated(Message):
    def __init__(self, update: QueueChanged) -> None:
        super().__init__()
        self.update = update


class InlineNoted(Message):
    def __init__(self, update: InlineNote) -> None:
        super().__init__()
        self.update = update


class Noticed(Message):
    def __init__(self, update: Notice) -> None:
        super().__init__()
        self.update = update


class ResumeAsked(Message):
    def __init__(self, update: AskResume) -> None:
        super().__init__()
        self.update = update


ScreenMessage = RowsUpdated | RowsGone | RowsBack | QueueUpdated | InlineNoted
AppMessage = Noticed | ResumeAsked


def as_message(update: Update) -> ScreenMessage | AppMessage:
    """The message for one update (the service's classes load after the first paint)."""
    from likes_tui.core import status

    match update:
        case status.RowsChanged():
            return RowsUpdated(update)
        case status.RowsRemoved():
            return RowsGone(update)
        case status.RowsRestored():
            return RowsBack(update)
        case status.QueueChanged():
            return QueueUpdated(update)
        case status.InlineNote():
            return InlineNoted(update)
        case status.Notice():
            return Noticed(update)
        case status.AskResume():
            return ResumeAsked(update)


class ProfileActivated(Message):
    """A new account was signed in or switched to."""

    def __init__(self, profile: Profile | ProfileInfo) -> None:
        super().__init__()
        self.profile = profile


class OpenPost(Message):
    """Show this post in the main screen (from history)."""

    def __init__(self, post_id: str) -> None:
        super().__init__()
        self.post_id = post_id
