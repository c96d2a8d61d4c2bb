"""The app's own messages, in one place, so the data flow reads from one file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from likes_tui.core.accounts import Profile
    from likes_tui.core.status import Update


@dataclass
class ServiceUpdate(Message):
    """The likes service published a change (rows, the queue view, a notice)."""

    update: Update


@dataclass
class ProfileActivated(Message):
    """A new account was signed in or switched to."""

    profile: Profile


@dataclass
class OpenPost(Message):
    """Show this post in the main screen (from history)."""

    post_id: str
