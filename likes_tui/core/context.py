"""Everything the app needs, opened once at start: config dir, settings, credentials, state, X.

This is where start-up does its file I/O, so `app.py` and the screens never touch the disk
or build a URL themselves.

Who owns what, and which thread runs what:
- `loc`, `demo`, `clock`, `io` and `profiles` are set at open and never change.
- `settings` (a frozen snapshot) and `profile` (the account in use) are replaced only on
  the main thread, which runs the event loop: the app through `change_settings`,
  `switch_to` and `forget` (their files are written on the store thread), a headless
  command through the blocking `update_settings` and `activate`. Anything else raises.
- `state`, `creds` and `backend` are built once on first use (the loader thread, after the
  first paint) and are then only read; the state database is used from the store thread.
- `warnings` is append-only; any thread may add, the loop reads.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from likes_tui.store import settings as settings_mod
from likes_tui.store.files import (
    PROFILE_NAME_RULE,
    Locations,
    StoreError,
    resolve_config_dir,
    valid_profile_name,
)
from likes_tui.store.offloop import OffLoop
from likes_tui.store.profiles import ProfileFiles, ProfileInfo
from likes_tui.store.settings import Settings

if TYPE_CHECKING:
    from likes_tui.api.client import XClient
    from likes_tui.core.backend import Backend
    from likes_tui.sending.pace import Pace
    from likes_tui.store.credentials import CredentialStore, Profile
    from likes_tui.store.locks import SendLock
    from likes_tui.store.profiles import SecretPolicy
    from likes_tui.store.state import StateDB

DEMO_PROFILE = "sandbox-demo"


def demo_account() -> ProfileInfo:
    """The sandbox's demo user, as `--demo` signs in (its secrets are written after the
    paint, when they are first needed)."""
    from likes_tui.sandbox import demo

    return ProfileInfo(
        DEMO_PROFILE,
        "oauth2",
        demo.DEMO_USER_ID,
        demo.DEMO_USERNAME,
        demo.DEMO_CLIENT_ID,
        "http://127.0.0.1:8765/callback",
        owns_app=True,  # the sandbox's App is the demo user's
    )


def _read_pace(pace: str, hours: str) -> tuple[Pace, str | None]:
    """The settings' pace and hours, or none and why they do not read."""
    from likes_tui.sending.pace import Pace

    try:
        return Pace.parse(pace, hours), None
    except ValueError as exc:
        return Pace(), str(exc)


def _on_main_thread(what: str) -> None:
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError(f"{what} changes only on the event loop's thread")


@dataclass
class AppContext:
    loc: Locations
    _settings: Settings
    profiles: ProfileFiles
    """The account files, read before the first paint (no secrets)."""
    demo: bool = False
    _profile: ProfileInfo | None = None
    warnings: list[str] = field(default_factory=list)
    clock: Callable[[], float] = time.time
    io: OffLoop = field(default_factory=OffLoop)
    """Runs store calls on one worker thread, off the event loop."""
    _tmp: tempfile.TemporaryDirectory[str] | None = None
    _backend: Backend | None = None
    _make_backend: Callable[[], Backend] | None = None
    _state: StateDB | None = None
    _state_lock: threading.Lock = field(default_factory=threading.Lock)
    _creds: CredentialStore | None = None
    run_pace: Pace | None = None
    """`--pace` and `--hours` of a headless run, over the settings' for this run only."""
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    """How the service waits (a window, a pace); tests give a fake clock's."""

    _pace: tuple[tuple[str, str], Pace] | None = None

    def pace(self) -> Pace:
        """The pace and hours sends keep: this run's, else the settings' (asked at each send
        and each view, so a change in the app applies to the next one; parsed once a change)."""
        if self.run_pace is not None:
            return self.run_pace
        key = (self.settings.pace, self.settings.hours)
        if self._pace is None or self._pace[0] != key:
            self._pace = (key, _read_pace(*key)[0])
        return self._pace[1]

    @property
    def settings(self) -> Settings:
        """The settings in force (a frozen snapshot; a change replaces it)."""
        return self._settings

    @property
    def profile(self) -> ProfileInfo | None:
        """The account in use, as its file says (no secrets: those load with the client)."""
        return self._profile

    def _use_settings(self, settings: Settings) -> None:
        _on_main_thread("The settings")
        self._settings = settings

    def _use_profile(self, profile: ProfileInfo | None) -> None:
        _on_main_thread("The account in use")
        self._profile = profile

    @property
    def creds(self) -> CredentialStore:
        """The accounts with their secrets (keyring, secret commands): built on first use,
        after the first paint, with the policy settings.toml names."""
        if self._creds is None:
            from likes_tui.store.credentials import CredentialStore

            # The demo's throwaway account never goes to the person's keyring.
            policy: SecretPolicy = "file" if self.demo else self.settings.secret_store
            self._creds = CredentialStore(self.loc, policy)
        return self._creds

    @property
    def state(self) -> StateDB:
        """The state database, opened on first use: the app paints before SQLite loads (and
        reads it off the event loop); a warning about a damaged file joins `warnings`.
        Raises StoreError when the file cannot be used."""
        with self._state_lock:
            if self._state is None:
                from likes_tui.store.state import StateDB

                self._state = StateDB(self.loc.state, clock=self.clock)
                if self._state.warning:
                    self.warnings.append(self._state.warning)
            return self._state

    def open_state(self) -> list[str]:
        """Open the state database now; the warnings it added (headless runs print them)."""
        before = len(self.warnings)
        self.state  # noqa: B018
        return self.warnings[before:]

    @property
    def backend(self) -> Backend:
        """Built on first use: the screen paints before httpx (or the sandbox) is imported."""
        if self._backend is None:
            assert self._make_backend is not None
            self._backend = self._make_backend()
        return self._backend

    @classmethod
    def open(
        cls,
        *,
        demo: bool = False,
        config_dir: str | None = None,
        api_base: str | None = None,
        profile_name: str | None = None,
        backend: Backend | None = None,
        clock: Callable[[], float] = time.time,
    ) -> AppContext:
        tmp = None
        if demo and not config_dir:
            tmp = tempfile.TemporaryDirectory(prefix="likes-tui-demo-")
            root = tmp.name
        else:
            root = str(resolve_config_dir(config_dir))
        loc = Locations(resolve_config_dir(root))
        warnings = loc.ensure_reporting()
        settings, warning = settings_mod.load(loc)
        if warning:
            warnings.append(warning)
        if settings.pace or settings.hours:
            problem = _read_pace(settings.pace, settings.hours)[1]
            if problem:
                warnings.append(f"{loc.settings}: {problem}; sending as fast as X allows.")
        profiles = ProfileFiles(loc)
        base = api_base or settings.api_base or None

        def make_backend() -> Backend:
            from likes_tui.core.backend import Backend

            if demo:
                return Backend.in_process_sandbox(clock=clock)
            return Backend(base, clock=clock) if base else Backend(clock=clock)

        ctx = cls(loc, settings, profiles, demo, None, warnings, clock, OffLoop(), tmp)
        ctx._backend = backend
        ctx._make_backend = make_backend
        ctx._profile = demo_account() if demo else ctx._pick_profile(profile_name)
        ctx.warnings.extend(profiles.warnings)
        return ctx

    def _demo_credentials(self) -> Profile:
        """The sandbox's demo account, written to the (throwaway) config dir when its
        secrets are first needed: after the first paint, like any account's."""
        from likes_tui.api.tokens import OAuth2Token
        from likes_tui.sandbox.demo import DEMO_BEARER, DEMO_REFRESH
        from likes_tui.store.credentials import OAuth2Profile

        a = demo_account()
        token = OAuth2Token(DEMO_BEARER, DEMO_REFRESH, None, "like.read like.write")
        profile = OAuth2Profile(
            a.name, a.client_id, None, a.redirect_uri, token, a.user_id, a.username, owns_app=True
        )
        self.creds.save(profile)
        return profile

    def _pick_profile(self, requested: str | None) -> ProfileInfo | None:
        """`requested` is checked by the caller (a bad name there is a usage error); a bad
        name in settings.toml is ignored with a warning, never used as a path."""
        if requested:
            profile = self.profiles.info(requested)
            if profile is None:
                self.warnings.append(f"No stored account named {requested!r}; set one up.")
            return profile
        active = self.settings.active_profile
        if active and not valid_profile_name(active):
            self.warnings.append(
                f"settings.toml names active_profile {active!r}, which is not a valid account "
                f"name ({PROFILE_NAME_RULE}); it was ignored."
            )
        elif active:
            profile = self.profiles.info(active)
            if profile is not None:
                return profile
        names = self.profiles.names()
        return self.profiles.info(names[0]) if len(names) == 1 else None

    @property
    def account(self) -> str:
        return self.profile.user_id if self.profile else ""

    def send_lock(self) -> SendLock:
        """The lock that makes this process the account's one sender while it sends."""
        from likes_tui.store.locks import SendLock

        return SendLock(self.loc.send_lock(self.account))

    def unlock(self) -> Profile:
        """The account in use with its secrets (blocks: the keyring, a secret command).
        Raises StoreError (SecretsUnavailable) with a message naming the account."""
        from likes_tui.store.files import StoreError

        assert self.profile is not None
        if self.demo and self.profile.name == DEMO_PROFILE and not self.creds.info(DEMO_PROFILE):
            return self._demo_credentials()
        profile = self.creds.load(self.profile.name)
        if profile is None:
            raise StoreError(f"The account {self.profile.name!r} is gone from {self.loc.profiles}.")
        self.warnings.extend(self.creds.warnings)
        self.creds.warnings.clear()
        return profile

    def client(self, profile: Profile) -> XClient:
        from likes_tui.core.signin import client_for

        return client_for(profile, self.creds, self.backend)

    # -- changes: on the main thread only (see the module's docstring) ---------------------

    def _save_settings(self, settings: Settings) -> str | None:
        """Write settings.toml (any thread); an error message instead of raising."""
        try:
            settings_mod.save(self.loc, settings)
        except StoreError as exc:
            return exc.message
        return None

    def update_settings(self, **changes: object) -> str | None:
        """Headless and tests: change the settings and save them now (blocking)."""
        self._use_settings(self.settings.with_(**changes))
        return self._save_settings(self.settings)

    async def change_settings(self, **changes: object) -> str | None:
        """The app: the new snapshot is in force at once; the file is written on the store
        thread. An error message when it could not be saved."""
        self._use_settings(self.settings.with_(**changes))
        return await self.io(self._save_settings, self.settings)

    def activate(self, profile: Profile | ProfileInfo) -> str | None:
        """Headless and tests: make an account the active one (a new sign-in is saved
        first; a stored one, a ProfileInfo, is only picked)."""
        if not isinstance(profile, ProfileInfo):
            try:
                profile = self.creds.save(profile)
            except StoreError as exc:
                return exc.message
        self._use_profile(profile)
        return self.update_settings(active_profile=profile.name)

    async def switch_to(self, profile: Profile | ProfileInfo) -> str | None:
        """The app: as `activate`, the saving on the store thread, the switch on the loop."""
        if not isinstance(profile, ProfileInfo):
            try:
                profile = await self.io(self.creds.save, profile)
            except StoreError as exc:
                return exc.message
        self._use_profile(profile)
        return await self.change_settings(active_profile=profile.name)

    async def forget(self, name: str) -> None:
        """The app: the account `name` was deleted; stop using it if it was in use."""
        if self.profile and self.profile.name == name:
            self._use_profile(None)
            await self.change_settings(active_profile="")

    def remove(self, name: str) -> None:
        """Headless: forget the account on this computer (keyring item and file); raises
        StoreError if the keyring refuses, with the file kept so removing can be tried
        again."""
        self.creds.delete(name)
        if self.profile and self.profile.name == name:
            self._use_profile(None)
            self.update_settings(active_profile="")

    def close(self) -> None:
        self.io.close()
        if self._state is not None:
            self._state.close()
        if self._tmp is not None:
            self._tmp.cleanup()
