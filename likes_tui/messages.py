"""The app's own messages, in one place, so the data flow reads from one file.

Plain classes with an __init__, as in Textual's docs (a dataclass costs start-up a compile of
each generated method)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from likes_tui.core.accounts import Profile, ProfileInfo
    from likes_tui.core.status import Update


class ServiceUpdate(Message):
    """The likes service published a change (rows, the queue view, a notice)."""

    def __init__(self, update: Update) -> None:
        super().__init__()
        self.update = update


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
