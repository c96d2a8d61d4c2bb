"""LikesApp: screens, bindings and navigation. It renders what the likes service publishes.

The service (core/service.py) owns the state; the app builds it for the active account, runs
its long-lived work in workers, and turns what it publishes into messages for the screens.

Start-up imports only what the first painted screen needs; the service, the sender, the API
models and the HTTP stack load right after that paint (the start-up benchmark holds us to
1.25x a bare Textual app)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App

from likes_tui import __version__, startup
from likes_tui.core.context import AppContext
from likes_tui.keymap import APP, bindings
from likes_tui.messages import (
    Noticed,
    OpenPost,
    ProfileActivated,
    QueueUpdated,
    ResumeAsked,
    as_message,
)
from likes_tui.screens.base import LikesScreen

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.command import Provider
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from likes_tui.core.service import LikesService
    from likes_tui.core.status import Update
    from likes_tui.domain import ResumeAnswer
    from likes_tui.screens.main import MainScreen


def likes_commands() -> type[Provider]:
    """The palette's provider, loaded when the palette first opens (textual.command is
    about 20 ms of imports that start-up does not need)."""
    from likes_tui.commands import LikesCommands

    return LikesCommands


class LikesApp(App[None]):
    TITLE = "likes-tui"
    CSS_PATH = "screens/main.tcss"
    """The main screen's styles sit next to it but load with the app's: a screen's own
    CSS_PATH makes Textual parse every stylesheet again when that screen is first shown. The
    other screens carry theirs as DEFAULT_CSS, parsed when they are first shown."""
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {likes_commands}

    BINDINGS = bindings(APP)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.service: LikesService | None = None
        """The likes service for the active account, built once the main screen painted."""
        self.first_paint_at: float | None = None
        """time.time() when the main screen first painted (start-up benchmark reads it)."""
        self.theme = (
            ctx.settings.theme if ctx.settings.theme in self.available_themes else "textual-dark"
        )

    # -- start -----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """A returning user's first screen is the main one, composed straight onto the
        terminal as a one-screen app's is. Pushed over a blank default screen, it was laid out
        and drawn twice: the terminal's size report, coming in meanwhile, redid the layout, and
        the complete first frame came one update tick (about 17 ms) later."""
        if self.ctx.profile is None:
            return super().get_default_screen()
        from likes_tui.screens.main import MainScreen

        return MainScreen()

    def on_resize(self, event: events.Resize) -> None:
        """Rich's console asks the OS for the terminal's size at every measure (a table's
        every cell, three failing calls each when not a tty); the app knows it already."""
        self.console.size = (event.size.width, event.size.height)

    def on_mount(self) -> None:
        self.console.size = (self.size.width, self.size.height)
        for warning in self.ctx.warnings:
            self.notify(warning, title="Config", severity="warning", timeout=15)
        if self.ctx.profile is None:
            from likes_tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen(first_run=True))
            self.call_after_refresh(startup.release_gc)

    def show_account(self) -> None:
        """Show the main screen for the active profile; the service starts once it painted."""
        from likes_tui.screens.main import MainScreen

        assert self.ctx.profile is not None
        self.workers.cancel_group(self, "sender")
        if self.service is not None:
            self.run_worker(self.service.close(), group="close")
        self.service = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(MainScreen())  # in place of the screen pushed over the first
        else:
            # Only the first screen is left (the default screen cannot be switched out):
            # the new main screen goes over it.
            self.push_screen(MainScreen())

    def main_screen_painted(self) -> None:
        """Called once the main screen is on the terminal: now load the network side."""
        if self.first_paint_at is None:
            self.first_paint_at = time.time()
            startup.release_gc()
        if self.service is None:
            self.load_network_side()

    @work(thread=True, group="load", exclusive=True)
    def load_network_side(self) -> None:
        """Import what only runs after the first paint (the service, the sender, httpx, the
        emulator for --demo, the list's table) on a thread: the event loop goes on painting and taking keys,
        so the first frame reaches the terminal at once."""
        import filelock  # noqa: F401 (the send lock's, taken on the loop at connect: 9 ms)

        from likes_tui.core import service
        from likes_tui.core.signin import client_for  # noqa: F401 (httpx, authlib's parts)
        from likes_tui.sending import sender  # noqa: F401
        from likes_tui.store.files import StoreError
        from likes_tui.widgets import post_table  # noqa: F401 (the live list, see MainScreen)

        try:
            warnings = self.ctx.open_state()
        except StoreError as exc:
            message = f"likes-tui: {exc.message}"
            self.call_from_thread(lambda: self.exit(return_code=1, message=message))
            return
        self.ctx.backend.warm()  # builds the emulator for --demo, or the TLS context
        self.call_from_thread(self._network_side_loaded, service.LikesService, warnings)

    def _network_side_loaded(self, service_type: type[LikesService], warnings: list[str]) -> None:
        for warning in warnings:
            self.notify(warning, title="Config", severity="warning", timeout=15)
        if self.service is None and self.ctx.profile is not None:
            self.service = service_type(self.ctx, self._publish)
            self.start_service(self.service)
            main = self.main_screen()
            if main is not None:
                main.run_worker(main.service_ready(), group="ready")

    @work(group="service")
    async def start_service(self, service: LikesService) -> None:
        await service.start()
        self.run_sender(service)
        self.load_liked(service)

    @work(group="sender", exclusive=True)
    async def run_sender(self, service: LikesService) -> None:
        await service.run_sender()

    @work(group="liked", exclusive=True)
    async def load_liked(self, service: LikesService) -> None:
        await service.load_liked()

    # -- what the service publishes -----------------------------------------------------------

    def _publish(self, update: Update) -> None:
        """What the service publishes, as a message: notices and the resume question are the
        app's, everything else the main screen's."""
        message = as_message(update)
        if isinstance(message, Noticed | ResumeAsked):
            self.post_message(message)
            return
        main = self.main_screen()
        if main is not None:
            main.post_message(message)
        top = self.screen
        follows = isinstance(top, LikesScreen) and top.follows_queue and top is not main
        if isinstance(message, QueueUpdated) and follows:
            top.post_message(as_message(update))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice as written: they carry X's words, paths and people's text, and Textual
        would read `[...]` in them as markup (dropping it, or failing on `[/b]`). The app
        writes no markup of its own; a widget's notify passes markup=True, so it is ignored."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_noticed(self, message: Noticed) -> None:
        update = message.update
        self.notify(
            update.message, title=update.title, severity=update.severity, timeout=update.timeout
        )

    def on_resume_asked(self, message: ResumeAsked) -> None:
        from likes_tui.screens.resume import ResumeScreen

        update = message.update
        self.push_screen(ResumeScreen(update.count, update.held), self._resume_answer)

    def _resume_answer(self, answer: ResumeAnswer | None) -> None:
        if self.service is not None:
            self.run_worker(self.service.answer_resume(answer), group="actions")

    def main_screen(self) -> MainScreen | None:
        from likes_tui.screens.main import MainScreen

        for screen in reversed(self.screen_stack):  # the newest: an older one may lie under it
            if isinstance(screen, MainScreen):
                return screen
        return None

    def service_run(self, action: Callable[[LikesService], Awaitable[None]]) -> None:
        """Run one of the service's actions in a worker (the palette and app keys)."""
        if self.service is not None:
            self.run_worker(action(self.service), group="actions")

    # -- actions -------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; with work still queued, ask first, saying what happens to it (as lazygit
        and gh do), and say it again on the way out."""
        from likes_tui.screens.confirm import ConfirmScreen

        service = self.service
        asking = isinstance(self.screen, ConfirmScreen) and self.screen.asks_to_quit
        if service is None or not service.unsent or asking:
            self.exit()
            return
        n = service.unsent
        things = "like or unlike is" if n == 1 else "likes and unlikes are"
        if self.ctx.demo:
            title = f"Quit the demo with {n} unsent?"
            body = f"{n} {things} still in the demo queue: they are thrown away with the demo."
            message = f"{n} {things} left in the demo queue; demo history is discarded."
        else:
            title = f"Quit with {n} unsent?"
            body = (
                f"{n} {things} still queued. They are kept: the next start of likes-tui sends "
                "them, or `likes-tui resume` from a shell or cron."
            )
            message = (
                f"{n} {things} still queued. They go out at the next start, "
                "or now with `likes-tui resume`."
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(message=message)

        question = ConfirmScreen(title, body, "Quit")
        question.asks_to_quit = True
        self.push_screen(question, answered)

    def action_help(self) -> None:
        from likes_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_history(self) -> None:
        from likes_tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(), self._history_closed)

    def action_costs(self) -> None:
        from likes_tui.screens.costs import CostsScreen

        if not isinstance(self.screen, CostsScreen) and self.service is not None:
            self.push_screen(CostsScreen())

    def action_archive(self) -> None:
        from likes_tui.screens.archive import ArchiveScreen

        if not isinstance(self.screen, ArchiveScreen) and self.service is not None:
            self.push_screen(ArchiveScreen(), self._history_closed)

    def _history_closed(self, post_id: object) -> None:
        if isinstance(post_id, str) and post_id:
            main = self.main_screen()
            if main is not None:
                main.post_message(OpenPost(post_id))

    def action_accounts(self) -> None:
        from likes_tui.screens.setup import SetupScreen

        if not isinstance(self.screen, SetupScreen):
            self.push_screen(SetupScreen(first_run=False))

    def action_resume_queue(self) -> None:
        self.service_run(lambda s: s.resume_queue())

    def on_profile_activated(self, message: ProfileActivated) -> None:
        self.activate(message)

    @work(group="activate", exclusive=True)
    async def activate(self, message: ProfileActivated) -> None:
        error = await self.ctx.switch_to(message.profile)
        if error:
            self.notify(error, severity="error")
            return
        self.notify(f"Signed in as @{message.profile.username} ({message.profile.user_id}).")
        self.show_account()

    def watch_theme(self, theme: str) -> None:
        if theme != self.ctx.settings.theme and self.is_running:
            self.run_worker(self.ctx.change_settings(theme=theme), group="settings")

    async def on_unmount(self) -> None:
        if self.service is not None:
            await self.service.close()


__all__ = ["LikesApp", "__version__"]
