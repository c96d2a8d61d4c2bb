"""Run in a fresh interpreter by the benchmarks: `python _child.py MODE`.

Prints `ready <seconds since the epoch>` at the first painted screen and `rss <KiB>` (peak) at
the end.
"""

from __future__ import annotations

import resource
import sys
import time


def peak_rss_kib() -> int:
    """VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        painted: float | None = None

        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: setattr(self, "painted", time.time()))

    async def pilot(p) -> None:
        while p.app.painted is None:
            await p.pause()
        print(f"ready {p.app.painted}", flush=True)
        p.app.exit()

    Bare().run(headless=True, size=(120, 34), auto_pilot=pilot)


def demo() -> None:
    """`likes-tui --demo` through the real entry point, run headless."""
    from likes_tui.cli.main import main

    def run_app(app) -> None:
        async def pilot(p) -> None:
            while p.app.first_paint_at is None:
                await p.pause()
            print(f"ready {p.app.first_paint_at}", flush=True)
            p.app.exit()

        app.run(headless=True, size=(120, 34), auto_pilot=pilot)

    main(["--demo"], run_app=run_app)


def session(posts: int) -> None:
    """Look up and like `posts` posts in one demo session."""
    import tempfile

    from likes_tui.app import LikesApp
    from likes_tui.core.context import AppContext
    from likes_tui.core.signin import Backend

    backend = Backend.in_process_sandbox(post_count=posts)
    backend.sandbox.limits["like"] = (posts * 2, 900.0)  # type: ignore[attr-defined]
    ctx = AppContext.open(demo=True, config_dir=tempfile.mkdtemp(), backend=backend)

    async def pilot(p) -> None:
        from textual import events

        from likes_tui.sandbox.seed import GENERATED_BASE

        while p.app.first_paint_at is None:
            await p.pause()
        ids = [str(GENERATED_BASE + i) for i in range(posts)]
        p.app.focused.post_message(events.Paste("\n".join(ids)))
        screen = p.app.screen
        while len(screen.rows) < posts or any(r.status == "looking" for r in screen.rows.values()):
            await p.pause(0.01)
        await p.press("L")
        await p.pause()
        await p.press("y")  # a bulk action this size asks first
        sandbox = ctx.backend.sandbox
        while len(sandbox.liked_by()) < posts:
            await p.pause(0.01)
        print(f"liked {len(sandbox.liked_by())}", flush=True)
        p.app.exit()

    LikesApp(ctx).run(headless=True, size=(120, 34), auto_pilot=pilot)
    ctx.close()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        bare()
    elif mode == "demo":
        demo()
    elif mode == "session":
        session(int(sys.argv[2]))
    print(f"rss {peak_rss_kib()}", flush=True)
