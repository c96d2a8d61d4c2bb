"""What a person sees when the account's secrets live elsewhere: the app paints, reads them
after, and says plainly (naming the account) when the keyring or the secret command fails;
an account in the keyring works like any other."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.pilot import Pilot

from likes_tui.api.tokens import OAuth1Credentials
from likes_tui.app import LikesApp
from likes_tui.core.backend import Backend
from likes_tui.core.context import AppContext
from likes_tui.sandbox import (
    DEMO_ACCESS_TOKEN,
    DEMO_ACCESS_TOKEN_SECRET,
    DEMO_API_KEY,
    DEMO_API_KEY_SECRET,
)
from likes_tui.sandbox.seed import SEED_POST_ID
from likes_tui.store.credentials import CredentialStore, OAuth1Profile
from likes_tui.store.files import Locations
from likes_tui.widgets.status_bar import StatusBar
from tests.conftest import sandbox_of, wait_for
from tests.keyrings import MemoryKeyring

KEYS = OAuth1Credentials(
    DEMO_API_KEY, DEMO_API_KEY_SECRET, DEMO_ACCESS_TOKEN, DEMO_ACCESS_TOKEN_SECRET
)


def app_with(tmp_path: Path, profile: OAuth1Profile) -> tuple[LikesApp, AppContext]:
    cfg = tmp_path / "cfg"
    CredentialStore(Locations(cfg).ensure()).save(profile)
    ctx = AppContext.open(config_dir=str(cfg), backend=Backend.in_process_sandbox())
    return LikesApp(ctx), ctx


def looked_up(app: LikesApp) -> bool:
    row = getattr(app.screen, "rows", {}).get(SEED_POST_ID)
    return row is not None and row.status == "ready"


async def like_the_seed_post(pilot: Pilot[None], app: LikesApp, *, unpaused: bool = False) -> None:
    """Type the post's id, wait for its card (and, with `unpaused`, for the queue to be
    running), press l, and wait for X to have the like."""
    await pilot.press(*SEED_POST_ID, "enter")
    if unpaused:
        await wait_for(pilot, lambda: "paused" not in str(app.screen.query_one(StatusBar).render()))
    await wait_for(pilot, lambda: looked_up(app))
    await pilot.press("l")
    await wait_for(pilot, lambda: SEED_POST_ID in sandbox_of(app).liked_by())


def profile(**kw: object) -> OAuth1Profile:
    user_id = KEYS.user_id or ""
    return OAuth1Profile("mine", KEYS, user_id, "likes_tui_demo", **kw)  # type: ignore[arg-type]


async def test_an_account_in_the_keyring_likes_a_post(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    app, ctx = app_with(tmp_path, profile())
    assert DEMO_ACCESS_TOKEN_SECRET not in ctx.loc.profile("mine").read_text()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await like_the_seed_post(pilot, app)
    finally:
        ctx.close()


async def test_a_failing_secret_command_is_said_plainly_and_nothing_is_sent(
    tmp_path: Path,
) -> None:
    script = tmp_path / "fail.py"
    script.write_text(
        "import sys\nprint('gpg: decryption failed: No secret key', file=sys.stderr)\nsys.exit(2)\n"
    )
    app, ctx = app_with(tmp_path, profile(secret_command=(sys.executable, str(script))))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(
                pilot,
                lambda: any("secret command" in n.message for n in app._notifications),
            )
            (note,) = [n for n in app._notifications if "secret command" in n.message]
            assert "'mine'" in note.message and "No secret key" in note.message
            assert note.severity == "error"
            await wait_for(pilot, lambda: "paused" in str(app.screen.query_one(StatusBar).render()))
            assert sandbox_of(app).log == []
    finally:
        ctx.close()


async def test_once_the_secret_command_works_the_app_goes_on_without_a_restart(
    tmp_path: Path,
) -> None:
    script = tmp_path / "keys.py"
    script.write_text("import sys\nsys.exit(1)\n")
    app, ctx = app_with(tmp_path, profile(secret_command=(sys.executable, str(script))))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: "paused" in str(app.screen.query_one(StatusBar).render()))
            lines = [
                f"api_key: {DEMO_API_KEY}",
                f"api_key_secret: {DEMO_API_KEY_SECRET}",
                f"access_token: {DEMO_ACCESS_TOKEN}",
                f"access_token_secret: {DEMO_ACCESS_TOKEN_SECRET}",
            ]
            script.write_text("".join(f"print({line!r})\n" for line in lines))  # unlocked
            await like_the_seed_post(pilot, app, unpaused=True)
    finally:
        ctx.close()


async def test_a_move_to_the_keyring_that_fails_is_said_in_the_app(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """An account saved before the keyring (its secrets in its file) moves on first use; a
    keyring that refuses is said, and the account works from its file."""
    cfg = tmp_path / "cfg"
    CredentialStore(Locations(cfg).ensure(), "file").save(profile())
    memory_keyring.refuse_writes = True
    ctx = AppContext.open(config_dir=str(cfg), backend=Backend.in_process_sandbox())
    app = LikesApp(ctx)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(
                pilot,
                lambda: any("stay in its owner-only file" in n.message for n in app._notifications),
            )
            await like_the_seed_post(pilot, app)
    finally:
        ctx.close()
