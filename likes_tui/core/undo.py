"""What `u` can take back: the last like or unlike (one post or a whole batch), or the posts
a `d` took off the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from likes_tui.core.posts import PostRow


@dataclass(frozen=True)
class Toggled:
    """An l or an L: each post with its like state before (None: not known)."""

    before: tuple[tuple[str, bool | None], ...]


@dataclass(frozen=True)
class Removed:
    """A `d`: the rows taken off, each with its place in the list then."""

    rows: tuple[tuple[int, PostRow], ...]


Undoable = Toggled | Removed
