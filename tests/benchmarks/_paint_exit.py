"""Run an app on the terminal it was given and leave the process at its first paint.

`bare`: a Textual app showing one Static; `demo`: `likes-tui --demo` through the real entry
point; `user DIR`: `likes-tui --config-dir DIR` (a returning user: settings.toml and a
profile; its API base is a closed port, and nothing is sent before the paint anyway).
Under callgrind the instruction count up to that moment is what start-up costs."""

from __future__ import annotations

import os
import sys


def main() -> None:
    which = sys.argv[1]
    if which == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("bare app painted")

            def on_mount(self) -> None:
                self.call_after_refresh(os._exit, 0)

        Bare().run()
        return
    import likes_tui.app
    from likes_tui.cli.main import main as cli

    likes_tui.app.LikesApp.main_screen_painted = lambda self: os._exit(0)  # type: ignore[method-assign]
    if which == "demo":
        cli(["--demo"])
    else:
        cli(["--config-dir", sys.argv[2], "--api-base", "http://127.0.0.1:9"])


if __name__ == "__main__":
    main()
