"""Asked at start when unsent likes are waiting from an earlier run."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from likes_tui.domain import ResumeAnswer


class ResumeScreen(ModalScreen[ResumeAnswer]):
    DEFAULT_CSS = """
    ResumeScreen { align: center middle; }
    ResumeScreen > Vertical {
        width: 64; height: auto; background: $surface; border: round $warning; padding: 1 2;
    }
    ResumeScreen Horizontal { height: auto; margin-top: 1; }
    ResumeScreen Button { margin-right: 1; }
    ResumeScreen #held { margin-top: 1; color: $text-warning; }
    """
    BINDINGS = [
        Binding("r", "answer('resume')", "Resume"),
        Binding("escape,l", "answer('later')", "Later"),
        Binding("d", "answer('discard')", "Discard"),
    ]

    def __init__(self, pending: int, held: str = "") -> None:
        super().__init__()
        self.pending = pending
        self.held = held

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Unsent work"
            yield Static(
                f"{self.pending} like/unlike actions from last time were not sent yet.\n"
                'Send them now? (Setting resume_pending = "auto" skips this question.)'
            )
            if self.held:
                yield Static(self.held, id="held", markup=False)
            with Horizontal():
                yield Button("Resume (r)", id="resume", variant="primary")
                yield Button("Later (l)", id="later")
                yield Button("Discard (d)", id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(ResumeAnswer(event.button.id or ResumeAnswer.LATER))

    def action_answer(self, answer: str) -> None:
        self.dismiss(ResumeAnswer(answer))
