"""The meter is X's bill, for every account (issue 22): two accounts on one App, one its owner
and one not, signed in with a PIN and with OAuth 2.0, through lookups, likes, `c`, headless
runs, a restart and a UTC midnight. The sandbox's bill and the app's meter agree to the tenth
of a cent, per account."""

from __future__ import annotations

import io
from pathlib import Path

from likes_tui.api.oauth2 import OAuth2Token
from likes_tui.billing import utc_day
from likes_tui.cli.headless import run
from likes_tui.core.backend import Backend
from likes_tui.core.context import AppContext
from likes_tui.core.service import LikesService
from likes_tui.core.signin import OAuth1PinSignIn, record_sign_in
from likes_tui.sandbox import DEMO_API_KEY, DEMO_API_KEY_SECRET, DEMO_BEARER, DEMO_CLIENT_ID
from likes_tui.store.credentials import CredentialStore, OAuth2Profile
from likes_tui.store.files import Locations
from tests.core.test_costs import MIDNIGHT, Clock
from tests.core.test_service import Recorder, ids

DEMO_ID, ALICE_ID = "1590000000000000001", "1590000000000000002"


def billed(sandbox: object, user: str) -> float:
    return round(sum(usd for who, usd in sandbox.bill_by_user if who == user), 6)  # type: ignore[attr-defined]


def metered(ctx: AppContext, user: str) -> float:
    return round(sum(day.total for day in ctx.state.spend.days(user)), 6)


async def session(ctx: AppContext, posts: list[str], like: list[str]) -> None:
    """What a person does in the TUI: paste, like some, check like states."""
    service = LikesService(ctx, Recorder())
    try:
        await service.start()
        service.paste("\n".join(posts))
        await service.lookup(posts)
        await service.wait_idle()
        for post in like:
            await service.toggle(post)
        await service.sender.run_until_idle()  # type: ignore[union-attr]
        await service.check_like_states()
        await service.wait_idle()
    finally:
        await service.close()


async def test_two_accounts_owner_and_not_meter_what_x_bills(tmp_path: Path) -> None:
    clock = Clock(MIDNIGHT - 1800)
    backend = Backend.in_process_sandbox(clock=clock, post_count=80)
    sandbox = backend.sandbox
    cfg = tmp_path / "cfg"
    store = CredentialStore(Locations(cfg).ensure())
    store.save(
        OAuth2Profile(
            "owner", DEMO_CLIENT_ID, None, "", OAuth2Token(DEMO_BEARER), DEMO_ID, "d", owns_app=True
        )
    )
    # alice signs in with a PIN: not the App's owner; her GET /2/users/me is metered
    flow = OAuth1PinSignIn(DEMO_API_KEY, DEMO_API_KEY_SECRET, backend)
    await flow.start()
    alice = await flow.finish(await flow.approve_in_sandbox("likes_tui_alice"), "alice")
    assert not alice.owns_app
    store.save(alice)
    for user in (DEMO_ID, ALICE_ID):
        sandbox.likes.setdefault(user, {}).update({p: i + 1 for i, p in enumerate(ids(3, 60))})

    def open_as(name: str) -> AppContext:
        return AppContext.open(config_dir=str(cfg), backend=backend, clock=clock, profile_name=name)

    first = open_as("alice")
    record_sign_in(first.state, first.settings.prices, ALICE_ID, flow.answers, clock())
    first.close()
    for day_shift in (0, 3600):  # before and after UTC midnight
        clock.now = MIDNIGHT - 1800 + day_shift
        for name in ("owner", "alice"):
            ctx = open_as(name)  # each session is a restart
            try:
                await session(ctx, ids(6), ids(2, 0 if day_shift == 0 else 2))
                out = io.StringIO()
                assert await run(ctx, "\n".join(ids(2, 10)), "like", out) == 0
                assert await run(ctx, ids(1, 10)[0], "unlike", out) == 0
            finally:
                ctx.close()
    ctx = open_as("owner")
    try:
        for user in (DEMO_ID, ALICE_ID):
            assert billed(sandbox, user) > 0
            assert abs(metered(ctx, user) - billed(sandbox, user)) < 0.001, user
        days = {d.day for d in ctx.state.spend.days(ALICE_ID)}
        assert days == {utc_day(MIDNIGHT - 1800), utc_day(MIDNIGHT + 1800)}
        kinds = ctx.state.spend.days(ALICE_ID)[-1].kinds
        assert "owned_read" not in kinds and kinds["post_read"][0] >= 3  # her liked posts
        assert "user_read" in kinds  # her sign-in's GET /2/users/me
        assert "owned_read" in ctx.state.spend.days(DEMO_ID)[-1].kinds
    finally:
        ctx.close()
