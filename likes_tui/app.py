"""LikesApp: screens, bindings and wiring. No HTTP and no file I/O happen here directly:
the API client and the store are reached through the AppContext and workers.

Start-up imports only what the first painted screen needs; the scheduler, the API models and
the HTTP stack load in `connect()`, right after that paint (the start-up benchmark holds us to
1.25x a bare Textual app)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from likes_tui import __version__, startup
from likes_tui.api.errors import XError
from likes_tui.core.context import AppContext
from likes_tui.messages import OpenPost, ProfileActivated, QueueEvent
from likes_tui.store.files import StoreError
from likes_tui.store.state import QueueCounts

if TYPE_CHECKING:
    from likes_tui.api.client import XClient
    from likes_tui.api.models import RateLimit
    from likes_tui.queue.sender import Event, Sender
    from likes_tui.screens.main import MainScreen


class LikesApp(App[None]):
    TITLE = "likes-tui"
    CSS_PATH = ["screens/main.tcss", "screens/setup.tcss"]
    """The screens' styles sit next to them but load here, with the app's: a screen's own
    CSS_PATH makes Textual parse every stylesheet again (App's, Screen's, Widget's) when that
    screen is first shown, which costs start-up about a fifth of its CSS parsing."""
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f2", "accounts", "Accounts"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.client: XClient | None = None
        self.scheduler: Sender | None = None
        self.known_liked: set[str] = set()
        self.session_start = 0
        self.held_unsent = False
        """True while last run's unsent work waits for the person's answer (or 'Later')."""
        self.first_paint_at: float | None = None
        """time.time() when the main screen first painted (start-up benchmark reads it)."""
        self.theme = (
            ctx.settings.theme if ctx.settings.theme in self.available_themes else "textual-dark"
        )

    # -- start -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        for warning in self.ctx.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=15)
        if self.ctx.profile is None:
            from likes_tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen(first_run=True))
            self.call_after_refresh(startup.release_gc)
        else:
            self.start_session()

    def start_session(self) -> None:
        """Show the main screen for the active profile; connect to X once it has painted."""
        from likes_tui.screens.main import MainScreen

        assert self.ctx.profile is not None
        if self.client is not None:
            self.workers.cancel_group(self, "scheduler")
            self.run_worker(self.client.aclose(), group="close")
        self.client = None
        self.scheduler = None
        self.session_start = self.ctx.state.last_queue_id()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(MainScreen())
        else:
            self.push_screen(MainScreen())

    def main_screen_painted(self) -> None:
        """Called once the main screen is on the terminal: now load the network side."""
        if self.first_paint_at is None:
            self.first_paint_at = time.time()
            startup.release_gc()
        self.connect()

    def connect(self) -> XClient:
        """The API client and the queue's scheduler, created on first need (after first paint,
        so start-up never waits for httpx to load)."""
        if self.client is not None:
            return self.client
        from likes_tui.queue.sender import Sender

        self.client = client = self.ctx.client()
        self.scheduler = scheduler = Sender(
            client,
            self.ctx.state,
            self.ctx.account,
            on_event=self._scheduler_event,
            clock=self.ctx.clock,
            lock=self.ctx.send_lock(),
        )
        unsent = self.ctx.state.pending(self.ctx.account)
        main = self._main()
        if unsent and main is not None:
            main.add_posts([item.post_id for item in unsent])
        pending = len(unsent)
        if pending and not scheduler.try_hold():
            # Not left over: another likes-tui is sending them right now.
            holder = scheduler.lock.holder() if scheduler.lock else None
            who = f" (pid {holder})" if holder else ""
            self.notify(
                f"{pending} queued likes are being sent by another likes-tui{who}; "
                "they show here as queued.",
                timeout=8,
            )
        elif pending and self.ctx.settings.resume_pending != "auto":
            from likes_tui.screens.resume import ResumeScreen

            scheduler.pause(f"{pending} unsent from last time", announce=False)
            self.held_unsent = True
            self.push_screen(ResumeScreen(pending), self._resume_answer)
        self.run_scheduler()
        self.load_liked()
        return client

    def _resume_answer(self, answer: str | None) -> None:
        assert self.scheduler is not None
        if answer == "discard" and not self.scheduler.try_hold():
            self.notify(
                "Another likes-tui started sending them; nothing was discarded.",
                severity="warning",
            )
            self.held_unsent = False
            self.scheduler.resume()
        elif answer == "discard":
            discarded = [item.post_id for item in self.ctx.state.pending(self.ctx.account)]
            self.ctx.state.cancel_pending(self.ctx.account)
            main = self._main()
            if main is not None:
                main.forget_pending(discarded)
            self.notify(f"Discarded {len(discarded)} unsent actions.")
            self.held_unsent = False
            self.scheduler.resume()
        elif answer == "resume":
            self.held_unsent = False
            self.scheduler.resume()
            self.notify("Resuming unsent likes.")
        else:
            self.notify("Unsent likes are kept; resume from the command palette.", timeout=6)
        self._refresh_main()

    @work(group="scheduler", exclusive=True)
    async def run_scheduler(self) -> None:
        assert self.scheduler is not None
        await self.scheduler.run()

    @work(group="liked", exclusive=True)
    async def load_liked(self) -> None:
        """Recent likes from X, so posts liked elsewhere show as liked (one request)."""
        assert self.client is not None
        try:
            page = await self.client.liked_posts(max_results=100)
        except XError:
            return
        self.known_liked = {p.id for p in page.posts}

    def _scheduler_event(self, event: Event) -> None:
        (self._main() or self.screen).post_message(QueueEvent(event))

    def _main(self) -> MainScreen | None:
        from likes_tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _refresh_main(self) -> None:
        main = self._main()
        if main is not None:
            main.refresh_status()

    # -- services the screens call -----------------------------------------------------------

    def enqueue(self, items: list[tuple[str, str, str, str]]) -> dict[str, str]:
        try:
            outcomes = self.ctx.state.enqueue_many(self.ctx.account, items)
        except (StoreError, OSError) as exc:
            self.notify(f"Could not queue: {exc}", severity="error")
            return {}
        self.connect()
        if self.scheduler is not None:
            if self.held_unsent:
                self.held_unsent = False
                self.scheduler.resume()
                self.notify("The queue runs again; last time's unsent work goes first.")
            self.scheduler.wake()
        return outcomes

    def like_limit(self) -> RateLimit | None:
        return self.client.rate_limits.get("like") if self.client else None

    def daily_like_limit(self) -> RateLimit | None:
        """X's 24-hour cap on likes, once X has reported it."""
        return self.client.rate_limits.get("like-24h") if self.client else None

    def queue_counts(self) -> QueueCounts:
        if not self.ctx.account:
            return QueueCounts()
        return self.ctx.state.counts(self.ctx.account, self.session_start)

    def paused_reason(self) -> str:
        return (self.scheduler.paused or "") if self.scheduler else ""

    # -- actions -------------------------------------------------------------------------------

    def action_help(self) -> None:
        from likes_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_history(self) -> None:
        from likes_tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(), self._history_closed)

    def _history_closed(self, post_id: object) -> None:
        if isinstance(post_id, str) and post_id:
            main = self._main()
            if main is not None:
                main.post_message(OpenPost(post_id))

    def action_accounts(self) -> None:
        from likes_tui.screens.setup import SetupScreen

        if not isinstance(self.screen, SetupScreen):
            self.push_screen(SetupScreen(first_run=False))

    def action_toggle_auto_like(self) -> None:
        value = not self.ctx.settings.auto_like
        error = self.ctx.update_settings(auto_like=value)
        self.notify(error or f"Auto-like on paste is {'on' if value else 'off'}.")
        self._refresh_main()

    def action_retry_failed(self) -> None:
        n = self.ctx.state.retry_failed(self.ctx.account)
        self.notify(f"Retrying {n} failed actions." if n else "No failed actions.")
        if self.scheduler:
            self.scheduler.wake()
        self._refresh_main()

    def action_drop_failed(self) -> None:
        n = self.ctx.state.drop_failed(self.ctx.account)
        self.notify(f"Dropped {n} failed actions." if n else "No failed actions.")
        self._refresh_main()

    def action_resume_queue(self) -> None:
        self.held_unsent = False
        if self.scheduler is not None:
            self.scheduler.resume()
            self.notify("Queue resumed.")
        self._refresh_main()

    def on_profile_activated(self, message: ProfileActivated) -> None:
        error = self.ctx.activate(message.profile)
        if error:
            self.notify(error, severity="error")
            return
        self.notify(f"Signed in as @{message.profile.username} ({message.profile.user_id}).")
        self.start_session()

    def watch_theme(self, theme: str) -> None:
        if theme != self.ctx.settings.theme:
            self.ctx.update_settings(theme=theme)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self._main()
        if main is not None:
            yield SystemCommand(
                "Like / unlike selected post",
                "Toggle the like on the selected post (l)",
                main.action_toggle_like,
            )
            yield SystemCommand(
                "Like all",
                "Like every post in the session list not liked yet (L)",
                main.action_like_all,
            )
            yield SystemCommand("Undo", "Undo the last like or unlike (u)", main.action_undo)
            yield SystemCommand(
                "Toggle auto-like on paste",
                "Like every found post without a keystroke each (a)",
                self.action_toggle_auto_like,
            )
            yield SystemCommand(
                "Retry failed", "Send failed likes again (R)", self.action_retry_failed
            )
            yield SystemCommand("Drop failed", "Forget failed likes (X)", self.action_drop_failed)
            yield SystemCommand("Resume queue", "Send unsent likes now", self.action_resume_queue)
            yield SystemCommand(
                "Check like states",
                "Page through this account's likes to settle the posts shown as ? (c)",
                main.action_check_likes,
            )
        yield SystemCommand(
            "History", "Every like and unlike made from this config dir (h)", self.action_history
        )
        yield SystemCommand(
            "Accounts", "Add, switch or remove an account (F2)", self.action_accounts
        )
        yield SystemCommand("Keys", "Show every key binding (?)", self.action_help)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


__all__ = ["LikesApp", "__version__"]
