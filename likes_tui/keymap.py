"""Every command of the app in one table: the key bindings, the command palette and the
help screen are all built from it, so a key, its words and its palette entry cannot drift
apart. A plain class, not a dataclass: this module loads before the first paint."""

from __future__ import annotations

from textual.binding import Binding


class Command:
    """One thing a person can do: its keys (none: palette only), its Textual action (on the
    screen that binds it, `app.` for the app's), the key bar's word, and its palette entry
    (none: not in the palette)."""

    __slots__ = ("about", "action", "display", "keys", "label", "priority", "show", "title")

    def __init__(
        self,
        keys: str,
        action: str,
        label: str,
        title: str = "",
        about: str = "",
        *,
        show: bool = True,
        display: str | None = None,
        priority: bool = False,
    ) -> None:
        self.keys = keys
        self.action = action
        self.label = label
        self.title = title
        self.about = about
        self.show = show
        self.display = display
        self.priority = priority

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            key_display=self.display,
            priority=self.priority,
        )

    def palette_help(self, key_words: str) -> str:
        """The palette's line under the title, ending with the key that does it."""
        return f"{self.about} ({key_words})" if key_words else self.about


MAIN: tuple[Command, ...] = (
    Command(
        "l",
        "toggle_like",
        "Like/unlike",
        "Like / unlike selected post",
        "Toggle the like on the selected post, or on the marked ones",
    ),
    Command("L", "like_all", "Like all", "Like all", "Like every post in the list not liked yet"),
    Command("U", "unlike_all", "Unlike all", "Unlike all", "Unlike every liked post in the list"),
    Command("u", "undo", "Undo", "Undo", "Undo the last like, unlike or removal"),
    Command(
        "space",
        "mark",
        "Mark",
        "Mark post",
        "Mark the selected post for l on a selection",
        display="space",
    ),
    Command(
        "v",
        "visual",
        "Mark a range",
        "Mark a range",
        "Add every post the cursor passes to the marks (again to end)",
        show=False,
    ),
    Command("o", "open_post", "Open", "Open in browser", "Open the selected post on x.com"),
    Command("y", "copy_url", "Copy URL", "Copy URL", "Copy the selected post's URL", show=False),
    Command(
        "d,delete",
        "remove_row",
        "Remove from list",
        "Remove from list",
        "Take the post (or the marked ones) off the list; u puts them back",
        show=False,
    ),
    Command(
        "",
        "clear_list",
        "",
        "Clear the list",
        "Empty the list; queued likes are still sent, and u puts it back",
    ),
    Command("escape", "unmark", "Clear marks", show=False),
    Command("slash", "focus_input", "URL box", display="/"),
    Command("i", "focus_input", "URL box", show=False),
    Command(
        "a",
        "toggle_auto_like",
        "Auto-like",
        "Toggle auto-like on paste",
        "Like every found post without a keystroke each",
    ),
    Command(
        "c",
        "check_likes",
        "Check like states",
        "Check like states",
        "Page through this account's likes to settle the posts shown as ?; again stops",
        show=False,
    ),
    Command("h", "app.history", "History"),
    Command("A", "app.archive", "Archive", show=False),
    Command("dollar_sign", "app.costs", "Costs", display="$", show=False),
    Command(
        "R", "retry_failed", "Retry failed", "Retry failed", "Send failed likes again", show=False
    ),
    Command("X", "drop_failed", "Drop failed", "Drop failed", "Forget failed likes", show=False),
    Command("q", "app.quit", "Quit", show=False),
)
"""The main screen's commands."""

APP: tuple[Command, ...] = (
    Command("ctrl+q", "quit", "Quit", priority=True),
    # Tab moves the focus as the key arrives, before the next key is routed: as the screen's
    # binding it ran only once the focused field had taken it in turn, so a password
    # manager's auto-type (value, Tab, value, ...) arriving in one burst filled one field.
    Command("tab", "focus_next", "Next field", show=False, priority=True),
    Command("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
    Command(
        "question_mark",
        "help",
        "Help",
        "Help: every key",
        "The keys of this screen and of the whole app",
        display="?",
    ),
    Command("f1", "help", "Help", show=False),
    Command("f2", "accounts", "Accounts", "Accounts", "Add, switch or remove an account"),
    Command("", "history", "", "History", "Every like and unlike made from this config dir"),
    Command("", "costs", "", "Costs", "What X billed this account's calls, per day and kind"),
    Command(
        "",
        "archive",
        "",
        "Archived likes",
        "Your X archive's likes: import it, search them, unlike them in bulk",
    ),
    Command("", "resume_queue", "", "Resume queue", "Send unsent likes now"),
)
"""The app's commands, on every screen."""


def bindings(
    commands: tuple[Command, ...],
) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The Textual bindings of the commands that have keys (typed as Textual's BINDINGS)."""
    return [c.binding() for c in commands if c.keys]


def keys_of(action: str) -> list[Command]:
    """The commands with keys that run `action` (an app action also from the main screen)."""
    names = {action, f"app.{action}"}
    return [c for c in (*MAIN, *APP) if c.keys and c.action in names]
