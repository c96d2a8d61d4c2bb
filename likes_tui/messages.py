"""The app's own messages, in one place, so the data flow reads from one file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from likes_tui.api.models import Lookup
    from likes_tui.queue.sender import Event
    from likes_tui.store.credentials import Profile


@dataclass
class QueueEvent(Message):
    """The scheduler sent, failed, waited or paused."""

    event: Event


@dataclass
class PostsLooked(Message):
    """A batch lookup finished (found posts and per-id errors)."""

    lookup: Lookup


@dataclass
class ProfileActivated(Message):
    """A new account was signed in or switched to."""

    profile: Profile


@dataclass
class LikeStates(Message):
    """What paging through the account's liked posts settled."""

    liked: set[str]
    not_liked: set[str]
    unsettled: int


@dataclass
class OpenPost(Message):
    """Show this post in the main screen (from history)."""

    post_id: str
