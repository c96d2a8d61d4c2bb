"""The selected post: author, text, time, counts and this account's like state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from likes_tui.widgets.cells import as_laid_out

if TYPE_CHECKING:
    from datetime import datetime

    from likes_tui.core.posts import PostRow


def _count(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.1f}K"
    return f"{n:,}"


def _when(created_at: datetime | None) -> str:
    """When the post was made, in local time (empty when X did not say)."""
    return created_at.astimezone().strftime("%Y-%m-%d %H:%M") if created_at else ""


class PostCard(Static, can_focus=False):
    """Renders a PostRow; set `row` (attributes down). Rows are immutable, so a changed post
    is a new value and the card redraws by itself.

    The like state sits right under the author: it must stay visible on a short terminal."""

    DEFAULT_CSS = """
    PostCard {
        border: round $primary-background-lighten-2;
        border-title-color: $text-muted;
        padding: 0 1;
        height: auto;
        min-height: 8;
    }
    PostCard.-folded { min-height: 0; }
    PostCard.-liked { border: round $error; }
    PostCard.-empty { color: $text-muted; }
    """

    row: reactive[PostRow | None] = reactive(None)
    folded: reactive[bool] = reactive(False)
    """A short terminal: two lines (who and when; the like state and counts), so the list
    keeps its rows. The list shows the text."""
    plain: str = ""
    """The card's text without styles (what a screen reader or a test sees)."""

    def on_mount(self) -> None:
        self.border_title = "Post"

    def watch_folded(self) -> None:
        self.set_class(self.folded, "-folded")
        self.watch_row(self.row)

    def watch_row(self, row: PostRow | None) -> None:
        self.set_class(row is None, "-empty")
        self.set_class(bool(row and row.liked and row.status == "ready"), "-liked")
        parts = self._render_row(row)
        if self.folded:
            parts = self._fold(row, parts)
        self.plain = "\n".join(part.plain for part in parts)
        self.update(Group(*parts))

    @staticmethod
    def _fold(row: PostRow | None, parts: list[Text]) -> list[Text]:
        """The card in two lines: the author and the time, then the state and the counts."""
        if row is None:
            return [Text("Paste post URLs above; l likes the selected post.", style="italic")]
        if row.post is None:
            return parts[:2]
        head = parts[0]
        head.append(f"  {_when(row.post.created_at)}", style="dim")
        style = "bold red" if row.liked else "bold"
        m = row.post.metrics
        state = Text.assemble(
            (f"{row.state_symbol()} {row.state_words().capitalize()}", style),
            "   ",
            ("♥ ", "red"),
            f"{_count(row.like_count)}",
            (" with yours" if row.counts_ours_assumed else "", "dim"),
            "  ",
            ("⟲ ", "green"),
            f"{_count(m.reposts)}  ",
            ("↩ ", "cyan"),
            _count(m.replies),
        )
        return [head, state]

    def _render_row(self, row: PostRow | None) -> list[Text]:
        if row is None:
            return [
                Text(
                    "Paste post URLs (one or hundreds) into the box above, or type one and press Enter.\n"
                    "Then press l to like or unlike the selected post.",
                    style="italic",
                )
            ]
        if row.post is None:
            return [
                Text(f"Post {row.post_id}", style="bold"),
                Text(row.state_words(), style="italic"),
            ]
        post = row.post
        head = Text()
        if post.author:
            head.append(as_laid_out(post.author.name), style="bold")
            if post.author.verified:
                head.append(" ✓", style="bold $accent")
            head.append(f"  @{post.author.username}", style="dim")
        else:
            head.append(f"author {post.author_id or 'unknown'}", style="dim")
        meta = Text(f"{_when(post.created_at)}   id {post.id}", style="dim")
        body = Text(as_laid_out(post.text))
        m = post.metrics
        counts = Text.assemble(
            ("♥ ", "red"),
            f"{_count(row.like_count)}",
            (" with yours" if row.counts_ours_assumed else "", "dim"),
            "   ",
            ("⟲ ", "green"),
            f"{_count(m.reposts)} reposts   ",
            ("↩ ", "cyan"),
            f"{_count(m.replies)} replies",
        )
        symbol = row.state_symbol()
        style = "bold red" if row.liked else "bold"
        state = Text.assemble((f"{symbol} ", style), (row.state_words().capitalize(), style))
        if row.liked is None and not row.pending:
            state.append("  (c checks this account's likes; l likes it)", style="dim")
        return [head, state, meta, Text(""), body, Text(""), counts]
